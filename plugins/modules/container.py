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
  - Differences the engine applies to a running container (O(restart_policy), O(restart_retries), O(memory),
    O(cpus)) are applied in place with C(docker update); the container keeps its ID and its process is not
    restarted. Any other difference recreates the container (stop, move the old one aside, create the new one,
    remove the old one). Volumes are never removed, so named volumes and their data survive a recreation.
  - Every container this module creates carries the label C(io.dockyard.managed=true).
  - The container is only ever looked up by name; the module never lists all containers.
author:
  - dockyard.docker contributors (@dockyard)
attributes:
  check_mode:
    support: full
    description: Computes exactly the actions a real run takes (returned in RV(actions)) and changes nothing.
      An image that would have to be pulled is reported as pulled and its (unknown) ID as a change.
  diff_mode:
    support: full
    description: Before and after of every compared option, plus the container state.
extends_documentation_fragment:
  - dockyard.docker.connection
options:
  name:
    description:
      - Name of the container. 2 or more of C([a-zA-Z0-9_.-]), starting with a letter or digit; no slashes.
    type: str
    required: true
  image:
    description:
      - Image reference (C(repository[:tag]) or C(repository@digest)). Required to create the container.
      - Compared by image ID; when the tag now points to another image, the container is recreated.
    type: str
  pull:
    description:
      - C(missing) pulls the image only when it is not on the host.
      - C(always) pulls it on every run (the container is recreated only when the image ID changed).
      - C(never) never pulls; a missing image is an error and nothing is changed.
    type: str
    choices: [missing, always, never]
    default: missing
  command:
    description:
      - Command to run, a string (split like a shell would) or a list of arguments. Replaces the image's C(CMD).
    type: raw
  entrypoint:
    description:
      - Replaces the image's C(ENTRYPOINT).
    type: list
    elements: str
  env:
    description:
      - Environment variables. Values are strings; numbers are converted, booleans must be quoted.
      - Only the variables given are compared (the image's own variables are left alone).
    type: dict
  published_ports:
    description:
      - Ports to publish, C([IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]), e.g. C(8080:80), C(127.0.0.1:53:53/udp),
        C(127.0.0.1::80) (host port chosen by the engine), C(9000-9001:9000-9001). Protocol C(tcp) (default),
        C(udp) or C(sctp). IPv6 host addresses go in brackets, C([::1]:80:80).
    type: list
    elements: str
    aliases: [ports]
  volumes:
    description:
      - Volumes as C(CONTAINER_PATH) (anonymous volume), C(VOLUME_NAME:CONTAINER_PATH[:MODE]) (named volume) or
        C(/HOST_PATH:CONTAINER_PATH[:MODE]) (bind mount). MODE is a comma list of C(ro), C(rw), C(z), C(Z),
        C(nocopy) and propagation flags.
    type: list
    elements: str
  mounts:
    description:
      - Mounts in the engine's C(--mount) form.
    type: list
    elements: dict
    suboptions:
      type:
        description: Mount type.
        type: str
        choices: [volume, bind, tmpfs]
        default: volume
      source:
        description: Volume name or absolute host path. Not used for C(tmpfs).
        type: str
      target:
        description: Absolute path in the container.
        type: str
        required: true
      read_only:
        description: Mount read-only.
        type: bool
        default: false
  networks:
    description:
      - Networks to attach the container to. When given, the container is attached to exactly these networks
        (not to the default bridge), the first one at creation.
    type: list
    elements: dict
    suboptions:
      name:
        description: Network name.
        type: str
        required: true
      aliases:
        description: Network-scoped aliases.
        type: list
        elements: str
      ipv4_address:
        description: Fixed IPv4 address on a network with a configured subnet.
        type: str
  network_mode:
    description:
      - C(bridge), C(host), C(none), C(container:NAME) or a network name.
    type: str
  labels:
    description:
      - Labels. Only the labels given are compared.
    type: dict
  hostname:
    description: Container host name.
    type: str
  user:
    description: User (and group) the process runs as, C(name), C(uid) or C(uid:gid).
    type: str
  working_dir:
    description: Working directory of the process.
    type: str
  restart_policy:
    description:
      - Docker restart policy. C(no) never restarts; C(on-failure) restarts after a non-zero exit (at most
        O(restart_retries) times when set); C(always) restarts whenever the container stops and at engine start,
        even after a manual stop; C(unless-stopped) like C(always) except after a manual stop.
      - The literal C(on-failure:N) is accepted and means O(restart_retries=N).
      - Quote C("no") in YAML, or the value becomes the boolean false (which is accepted as C(no) too).
      - A change is applied in place (same container ID, the process is not restarted).
      - 'Accepted values: C(no), C(on-failure), C(on-failure:N), C(always), C(unless-stopped).'
    type: raw
  restart_retries:
    description:
      - Maximum restart count for O(restart_policy=on-failure); C(0) means no limit. Only valid with C(on-failure).
    type: int
  stop_timeout:
    description:
      - Seconds to wait after the stop signal before the container is killed. Stored on the container (compared)
        and used when this module stops, restarts or recreates it.
    type: int
  stop_signal:
    description: Signal that stops the container, e.g. C(SIGTERM) or C(SIGINT).
    type: str
  force_kill:
    description: Kill (SIGKILL) instead of stopping gracefully when the module stops the container.
    type: bool
    default: false
  healthcheck:
    description:
      - Health check with keys C(test) (string run by a shell, or a list), C(interval), C(timeout),
        C(start_period) (durations like C(30s), C(1m30s) or seconds), C(retries), C(disable) (true disables the
        image's check).
    type: dict
  memory:
    description:
      - Memory limit, bytes or a number with unit C(b), C(k), C(m), C(g), C(t) (e.g. C(512m), C(1g)). C(0) is
        unlimited. Applied in place.
    type: str
  cpus:
    description: CPU limit, may be fractional (C(0.5)). Applied in place.
    type: float
  log_driver:
    description: Logging driver, e.g. C(json-file), C(local), C(journald).
    type: str
  log_options:
    description: Options of the logging driver (only those given are compared). Needs O(log_driver).
    type: dict
  recreate:
    description: Recreate the container even when nothing differs.
    type: bool
    default: false
  state:
    description:
      - C(started) creates the container when missing and makes sure it runs.
      - C(present) creates it when missing (not started) and leaves a running container running.
      - C(stopped) creates it when missing (not started) and makes sure it is stopped.
      - C(restarted) like C(started), and restarts it when it was not just created or recreated (always changed).
      - C(absent) removes the container (never its volumes).
    type: str
    choices: [started, present, stopped, restarted, absent]
    default: started
notes:
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

from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    connect,
    docker_argument_spec,
    fail_from_error,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.manager import (
    ContainerError,
    reconcile,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import (
    SpecError,
    container_argument_spec,
    parse_spec,
)


def main():
    argument_spec = container_argument_spec()
    argument_spec.update(docker_argument_spec())
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)

    # Validate everything before talking to the engine: a bad option changes nothing.
    try:
        spec = parse_spec(module.params)
    except SpecError as exc:
        module.fail_json(msg=str(exc), changed=False)

    # Lazy: the SDK is only loaded when something has to change (a no-op run reads
    # two inspect documents over the socket and is ~65 ms faster per task).
    engine = connect(module, lazy=True)
    try:
        result = reconcile(engine.lazy_api(), spec, check_mode=module.check_mode, reader=engine.reader)
    except ContainerError as exc:
        module.fail_json(msg=str(exc), changed=False)
    except Exception as exc:  # noqa: BLE001 - SDK / transport errors, explained
        fail_from_error(module, exc, "manage container %s" % spec.name)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
