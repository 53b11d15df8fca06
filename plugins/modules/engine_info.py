#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: engine_info
short_description: Report a Docker engine's version, drivers, swarm membership and containers
version_added: 0.1.0
description:
  - Reads the engine's version, API version, storage driver, cgroup driver and version.
  - Reports the engine's swarm membership (state, node ID, manager or worker, cluster ID).
  - Lists the containers with their image, state, restart policy and C(RestartCount).
  - On request, lists the images, networks and volumes (each with filters, as the engine's API takes them) and
    reports the disk usage per kind, as C(docker system df) does.
  - Never changes anything; runs the same in check mode.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements.sdk
  - dockyard.docker.info_module
options:
  containers:
    description:
      - Whether to list the containers with their restart policy and C(RestartCount).
      - Each listed container is inspected once (the list call lacks the restart data).
    type: bool
    default: true
  containers_all:
    description:
      - List stopped containers too, not only running ones.
    type: bool
    default: true
  containers_filters:
    description:
      - Filters for the container list, as the engine's API takes them, for example
        C(label) with a list of labels or C(name) with a name.
    type: dict
  images:
    description: Whether to list the images (RV(images)).
    type: bool
    default: false
  images_filters:
    description: Filters for the image list, for example C(dangling), C(label), C(reference), C(before).
    type: dict
  networks:
    description: Whether to list the networks (RV(networks)).
    type: bool
    default: false
  networks_filters:
    description: Filters for the network list, for example C(driver), C(label), C(name), C(scope).
    type: dict
  volumes:
    description: Whether to list the volumes (RV(volumes)).
    type: bool
    default: false
  volumes_filters:
    description: Filters for the volume list, for example C(dangling), C(driver), C(label), C(name).
    type: dict
  disk_usage:
    description: Whether to report the disk usage per kind (RV(disk_usage)); the engine computes it, which can
      take a while on a host with many images or volumes.
    type: bool
    default: false
notes:
  - Swarm C(cluster_id), C(managers) and C(nodes) are only reported by managers; a worker does not know them.
seealso:
  - module: dockyard.docker.container
  - module: dockyard.docker.swarm
"""

EXAMPLES = r"""
- name: Read the engine's facts
  dockyard.docker.engine_info:
  register: engine

- name: Show version and swarm state
  ansible.builtin.debug:
    msg: "Docker {{ engine.engine.version }} (API {{ engine.engine.api_version }}), swarm {{ engine.swarm.state }}"

- name: Containers this collection manages that restarted
  dockyard.docker.engine_info:
    containers_filters:
      label: [io.dockyard.managed]
  register: managed

- name: Fail when a managed container restarts in a loop
  ansible.builtin.assert:
    that: managed.containers | selectattr('restart_count', 'gt', 5) | list | length == 0

- name: Only the engine and swarm facts, no container list
  dockyard.docker.engine_info:
    containers: false

- name: The host's inventory - untagged images, volumes no container uses, disk usage
  dockyard.docker.engine_info:
    containers: false
    images: true
    images_filters:
      dangling: true
    volumes: true
    volumes_filters:
      dangling: true
    networks: true
    disk_usage: true
  register: inventory
"""

RETURN = r"""
host_info:
  description:
    - The engine's C(docker system info) document as the API returns it (community.docker.docker_host_info's key).
  returned: always
  type: dict
can_talk_to_docker:
  description:
    - Always true when the module succeeds (community.docker.docker_host_info's key); the module fails when it cannot
      reach the engine.
  returned: success
  type: bool
engine:
  description: The engine's version and configuration.
  returned: always
  type: dict
  contains:
    version:
      description: Engine version.
      type: str
      sample: 20.10.24+dfsg1
    api_version:
      description: Highest API version the engine speaks.
      type: str
      sample: "1.41"
    min_api_version:
      description: Lowest API version the engine accepts.
      type: str
      sample: "1.12"
    storage_driver:
      description: Storage driver.
      type: str
      sample: overlay2
    logging_driver:
      description: Default logging driver.
      type: str
      sample: json-file
    cgroup_driver:
      description: Cgroup driver.
      type: str
      sample: systemd
    cgroup_version:
      description: Cgroup version (C(1) or C(2)).
      type: str
      sample: "2"
    live_restore_enabled:
      description: Whether live-restore is on.
      type: bool
    docker_root_dir:
      description: Data directory.
      type: str
      sample: /var/lib/docker
    operating_system:
      description: Host operating system as the engine sees it.
      type: str
    kernel_version:
      description: Kernel version of the host.
      type: str
    os:
      description: Engine operating system (C(linux)).
      type: str
    arch:
      description: Engine architecture.
      type: str
    name:
      description: The engine's host name.
      type: str
    containers_total:
      description: Number of containers.
      type: int
    containers_running:
      description: Number of running containers.
      type: int
    images:
      description: Number of images.
      type: int
  sample:
    version: 20.10.24+dfsg1
    api_version: "1.41"
    storage_driver: overlay2
    cgroup_driver: cgroupfs
    cgroup_version: "1"
swarm:
  description: The engine's swarm membership.
  returned: always
  type: dict
  contains:
    state:
      description: Local node state.
      type: str
      sample: inactive
      choices: [inactive, pending, active, error, locked]
    node_id:
      description: This node's ID, when in a swarm.
      type: str
    node_addr:
      description: Address this node is reached at by the swarm.
      type: str
    role:
      description: C(manager), C(worker) or C(none) outside a swarm.
      type: str
      sample: none
    is_manager:
      description: Whether this node is a manager (control plane available).
      type: bool
    cluster_id:
      description: Cluster ID (managers only).
      type: str
    managers:
      description: Number of managers (managers only).
      type: int
    nodes:
      description: Number of nodes (managers only).
      type: int
    error:
      description: The engine's swarm error, if any.
      type: str
    remote_managers:
      description: Addresses of the managers this node knows.
      type: list
      elements: str
containers:
  description: Containers with restart data, empty when O(containers=false).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Container ID.
      type: str
    name:
      description: Container name.
      type: str
    image:
      description: Image as the container was created from.
      type: str
    state:
      description: Engine state (C(running), C(exited), C(restarting), ...).
      type: str
    restart_policy:
      description: Restart policy name (C(no), C(always), C(unless-stopped), C(on-failure)).
      type: str
    restart_retries:
      description: Maximum retries of C(on-failure).
      type: int
    restart_count:
      description: How often the engine restarted the container (C(RestartCount)).
      type: int
    exit_code:
      description: Last exit code.
      type: int
    image_id:
      description: ID of the image the container runs.
      type: str
    running:
      description: Whether the container is running.
      type: bool
    health:
      description: Health status when the container has a healthcheck, else null.
      type: str
    started_at:
      description: When the container last started.
      type: str
    finished_at:
      description: When the container last stopped.
      type: str
    labels:
      description: The container's labels.
      type: dict
  sample:
    - name: web
      image: dockyard-lab/app:latest
      state: running
      restart_policy: always
      restart_retries: 0
      restart_count: 0
images:
  description: Images as the engine lists them (C(docker images)), empty unless O(images=true).
  returned: always
  type: list
  elements: dict
  sample:
    - Id: sha256:ec30968621c2...
      RepoTags: [dockyard-lab/app:latest]
      RepoDigests: []
      Created: 1764516000
      Size: 244000000
      Labels: {}
networks:
  description: Networks as the engine lists them (C(docker network ls)), empty unless O(networks=true).
  returned: always
  type: list
  elements: dict
  sample:
    - Id: 5c1e...
      Name: bridge
      Driver: bridge
      Scope: local
      Internal: false
      Attachable: false
      Labels: {}
volumes:
  description:
    - Volumes as the engine lists them (C(docker volume ls)), empty unless O(volumes=true).
    - Each also has C(shared) (true for a volume of the C(dockyard.docker.shared_storage) role, labelled
      C(io.dockyard.shared_storage.mount)) and C(mount_up) (for a shared volume, whether its shared filesystem is
      mounted on the host the module runs on; null for other volumes).
  returned: always
  type: list
  elements: dict
  sample:
    - Name: pgdata
      Driver: local
      Mountpoint: /var/lib/docker/volumes/pgdata/_data
      Scope: local
      Labels: {}
      Options: {}
      shared: false
      mount_up: null
    - Name: pgdata-shared
      Driver: local
      Labels: {io.dockyard.shared_storage.backend: glusterfs, io.dockyard.shared_storage.mount: /mnt/dockyard}
      Options: {type: none, o: bind, device: /mnt/dockyard/volumes/pgdata-shared}
      shared: true
      mount_up: true
disk_usage:
  description: Disk usage per kind (count, count in use, bytes), as C(docker system df) shows it; empty unless
    O(disk_usage=true).
  returned: always
  type: dict
  sample:
    layers_size: 1201000000
    images: {count: 6, active: 2, size: 1900000000}
    containers: {count: 3, active: 2, size: 1200}
    volumes: {count: 1, active: 1, size: 4096}
    build_cache: {count: 0, active: 0, size: 0}
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import (  # noqa: E402
    connect,
    docker_argument_spec,
    fail_from_error,
    is_not_found,
)
from ansible_collections.dockyard.docker.plugins.module_utils.engine.facts import (
    container_facts,
    disk_usage_summary,
    engine_facts,
    image_summary,
    network_summary,
    swarm_facts,
    volume_summary,
)
from ansible_collections.dockyard.docker.plugins.module_utils.shared_storage import shared_volume_state


class EngineInfoParameters:
    """The module's options, read once."""

    def __init__(self, params):
        self.containers = params["containers"]
        self.containers_all = params["containers_all"]
        self.containers_filters = params.get("containers_filters") or None
        for kind in ("images", "networks", "volumes"):
            setattr(self, kind, params.get(kind))
            setattr(self, kind + "_filters", params.get(kind + "_filters") or None)
        self.disk_usage = params.get("disk_usage")


class EngineInfoManager:
    """Reads the engine; never writes."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = EngineInfoParameters(module.params)

    def _call(self, doing, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - translated for the operator
            fail_from_error(self.module, exc, doing)

    def containers(self):
        if not self.params.containers:
            return []
        listed = self._call(
            "list the containers",
            self.client.api.containers,
            all=self.params.containers_all,
            filters=self.params.containers_filters,
        )
        result = []
        for entry in listed or []:
            try:
                data = self.client.api.inspect_container(entry["Id"])
            except Exception as exc:  # noqa: BLE001
                if is_not_found(exc):
                    # Removed between the list and the inspect: not there any more.
                    continue
                fail_from_error(self.module, exc, "inspect container %s" % entry["Id"][:12])
            result.append(container_facts(data))
        result.sort(key=lambda c: c["name"])
        return result

    def images(self):
        if not self.params.images:
            return []
        listed = self._call("list the images", self.client.api.images, filters=self.params.images_filters)
        return sorted((image_summary(i) for i in listed or []), key=lambda i: (i["RepoTags"], i["Id"]))

    def networks(self):
        if not self.params.networks:
            return []
        listed = self._call("list the networks", self.client.api.networks, filters=self.params.networks_filters)
        return sorted((network_summary(n) for n in listed or []), key=lambda n: n["Name"] or "")

    def volumes(self):
        if not self.params.volumes:
            return []
        listed = self._call("list the volumes", self.client.api.volumes, filters=self.params.volumes_filters)
        result = []
        for entry in (listed or {}).get("Volumes") or []:
            summary = volume_summary(entry)
            summary.update(shared_volume_state(entry, os.path.ismount))
            result.append(summary)
        return sorted(result, key=lambda v: v["Name"])

    def disk_usage(self):
        if not self.params.disk_usage:
            return {}
        return disk_usage_summary(self._call("read the disk usage", self.client.api.df))

    def run(self):
        version = self._call("read the engine version", self.client.api.version)
        info = self._call("read the engine information", self.client.api.info)
        return dict(
            changed=False,
            engine=engine_facts(version, info),
            # community.docker.docker_host_info's keys, for tasks that read them.
            host_info=info,
            can_talk_to_docker=True,
            swarm=swarm_facts(info),
            containers=self.containers(),
            images=self.images(),
            networks=self.networks(),
            volumes=self.volumes(),
            disk_usage=self.disk_usage(),
        )


def main():
    argument_spec = docker_argument_spec()
    for kind in ("containers", "images", "networks", "volumes"):
        argument_spec[kind] = dict(type="bool", default=kind == "containers")
        argument_spec["%s_filters" % kind] = dict(type="dict")
    argument_spec.update(containers_all=dict(type="bool", default=True), disk_usage=dict(type="bool", default=False))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    client = connect(module)
    module.exit_json(**EngineInfoManager(module, client).run())


if __name__ == "__main__":
    main()
