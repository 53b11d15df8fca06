#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: container
short_description: Manage one Docker container, including its restart policy
version_added: 0.1.0
description:
  - Creates, updates, recreates, starts, stops, restarts or removes one named container so that it matches the
    options given.
  - Only options that are set are compared with the container. The image is compared by image ID.
  - Differences the engine applies to a running container (restart policy, memory and CPU limits, C(pids_limit),
    C(blkio_weight), O(paused)) are applied in place; the container keeps its ID and its process is not
    restarted. Any other difference recreates the container. Volumes are never removed, so named volumes and
    their data survive a recreation.
  - A recreate is safe - the old container is stopped and renamed aside (C(NAME-dockyard-old)), the new one is
    created and started (and waited for with O(state=healthy)); only then is the old one removed. When the new
    one cannot be created or started (a host port taken, an unknown runtime, a missing device), it is removed,
    the old one gets its name back and is started again if it was running, and the task fails saying so. A
    container left aside by an interrupted run is restored (or removed, when the new one exists) by the next run.
  - Changes take a per-host lock (C(/run/dockyard/docker.lock), only root can open it); a run that had to wait
    for it plans again, so concurrent runs converge one container per name. Check mode and no-op runs never wait
    for it; a run that cannot take it within O(lock_timeout) fails and changes nothing.
  - In check mode an image that is not on the host is looked up in its registry (through the engine); one that
    cannot be pulled fails the task, as the real run would.
  - Every container this module creates carries the labels C(io.dockyard.managed=true),
    C(io.dockyard.owner=<owner>) (O(owner)) and C(io.dockyard.created-as=<name>). They are not compared with
    O(labels).
  - The old container of a recreate is recognised by those labels (created as O(name) by this collection). A
    container of someone else under the aside name C(NAME-dockyard-old) is never removed or renamed; a recreate,
    which needs that name, fails naming it and changes nothing (rename or remove that container, then run again).
  - The container is only ever looked up by name; the module never lists all containers.
attributes:
  check_mode:
    support: full
    description: Computes exactly the actions a real run takes (returned in RV(actions)) and changes nothing.
      An image that would have to be pulled is reported as pulled and its (unknown) ID as a change.
  diff_mode:
    support: full
    description: Before and after of every compared option, plus the container state.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.change_lock
  - dockyard.docker.container_options
options:
  owner:
    description:
      - Who the container belongs to, written as the label C(io.dockyard.owner) when it is created. The
        O(dockyard.docker.containers#module:prune) of M(dockyard.docker.containers) removes only containers of
        its own O(dockyard.docker.containers#module:owner).
      - 1 to 128 characters of C([A-Za-z0-9_.-]), starting with a letter or digit. Not compared - changing it
        recreates nothing; the container keeps the owner it was created with until it is recreated.
    type: str
    default: default
notes:
  - The compiled code of this collection's module_utils is kept per user on the managed host
    (C(~/.cache/dockyard.docker), mode C(0700)) so later tasks do not compile it again; set
    E(DOCKYARD_BYTECODE_CACHE=off) on the host to turn that off.
  - Restart policies are the engine's; the engine restarts a container only after it ran successfully for 10
    seconds once, with a growing delay between attempts. C(RestartCount) in RV(container) counts the restarts.
  - With O(pull=always) check mode cannot know whether a pull would bring a new image and assumes it would not.
  - Anonymous volumes (O(volumes) entries without a source) are not carried over on recreation; use named volumes
    for data.
seealso:
  - module: dockyard.docker.containers
  - module: dockyard.docker.container_unit
  - module: dockyard.docker.image
  - name: Docker restart policies
    description: Docker documentation on start containers automatically.
    link: https://docs.docker.com/config/containers/start-containers-automatically/
"""

EXAMPLES = r"""
- name: A web server that is always restarted, even after an engine restart or a manual stop
  dockyard.docker.container:
    name: web
    image: dockyard-lab/app:latest
    published_ports:
      - "8080:8000"
    restart_policy: always

- name: Restarted unless someone stopped it by hand
  dockyard.docker.container:
    name: cache
    image: redis:7
    restart_policy: unless-stopped
    memory: 512m
    cpus: 0.5

- name: A job restarted at most 3 times when it exits non-zero (same as restart_retries 3)
  dockyard.docker.container:
    name: import-job
    image: registry.example.com/importer:2.1
    command: ["importer", "--once"]
    restart_policy: on-failure:3

- name: Same with the separate retry count
  dockyard.docker.container:
    name: import-job
    image: registry.example.com/importer:2.1
    restart_policy: on-failure
    restart_retries: 3

- name: Never restarted by Docker (for a process manager, see container_unit)
  dockyard.docker.container:
    name: worker
    image: registry.example.com/worker:1
    restart_policy: "no"
    state: present

- name: Data in a named volume, DNS on localhost only, a health check and a short stop timeout
  dockyard.docker.container:
    name: dns
    image: registry.example.com/dns:1
    volumes:
      - dns-data:/var/lib/dns
      - /etc/dns:/etc/dns:ro
    published_ports:
      - "127.0.0.1:53:53/udp"
    env:
      LOG_LEVEL: info
    healthcheck:
      test: ["CMD", "dns-check"]
      interval: 30s
      retries: 3
    stop_timeout: 5

- name: Image loaded from an archive, never pulled
  dockyard.docker.container:
    name: app
    image: dockyard-lab/app:latest
    pull: never

- name: Remove the container (its volumes stay)
  dockyard.docker.container:
    name: web
    state: absent
"""

RETURN = r"""
container:
  description:
    - The container's inspect data after the run (before it in check mode); empty when there is none.
    - Includes C(Id), C(State) (C(Status), C(Running), C(ExitCode), ...), C(RestartCount) and
      C(HostConfig.RestartPolicy).
  returned: always
  type: dict
  sample:
    Id: 4c5d...
    Name: /web
    RestartCount: 0
    State:
      Status: running
      Running: true
    HostConfig:
      RestartPolicy:
        Name: always
        MaximumRetryCount: 0
actions:
  description: What was done (or would be done in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: ["created", "started"]
diff:
  description: Before and after of the compared options and of the container state.
  returned: always
  type: dict
  sample:
    before:
      restart_policy: always
      state: running
    after:
      restart_policy: unless-stopped
      state: running
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.change_lock import (  # noqa: E402
    ChangeLock,
    ChangeLockError,
    change_lock_argument_spec,
)
from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    connect,
    docker_argument_spec,
    fail_from_error,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.execute import reconcile
from ansible_collections.dockyard.docker.plugins.module_utils.container.plan import ContainerError
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import (
    SpecError,
    container_argument_spec,
    parse_spec,
)


def main():
    argument_spec = container_argument_spec()
    argument_spec.update(owner=dict(type="str", default="default"))
    argument_spec.update(docker_argument_spec())
    argument_spec.update(change_lock_argument_spec())
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)

    # Validate everything before talking to the engine: a bad option changes nothing.
    try:
        spec = parse_spec(module.params)
        lock = ChangeLock(timeout=module.params["lock_timeout"], purpose="dockyard.docker.container %s" % spec.name)
    except (SpecError, ChangeLockError) as exc:
        module.fail_json(msg=str(exc), changed=False)
    spec.skip_what_the_engine_discards(module.params.get("docker_host"))
    for warning in spec.warnings:
        module.warn(warning)

    # Lazy: the SDK is only loaded when something has to change; a no-op run makes its three
    # reads (the container, the name a recreate keeps an old one under, the image) over the socket.
    engine = connect(module, lazy=True)
    try:
        result = reconcile(engine.lazy_api(), spec, check_mode=module.check_mode, reader=engine.reader, lock=lock)
    except (ContainerError, ChangeLockError) as exc:
        module.fail_json(msg=str(exc), changed=False)
    except Exception as exc:  # noqa: BLE001 - SDK / transport errors, explained
        fail_from_error(module, exc, "manage container %s" % spec.name)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
