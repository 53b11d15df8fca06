#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: swarm_service
short_description: Create, update and remove Swarm services, waiting until they converge
version_added: 0.1.0
description:
  - Runs on a swarm manager. Builds the engine's service spec from the options and creates the service, updates
    it when the options differ from what the engine holds, or removes it.
  - Idempotent; only options that are given are compared, so a second run with the same options triggers no
    service update (and no task restart). Give an empty list or dict to clear a list or map option.
  - With O(wait=true) (the default) returns only when the running tasks equal the desired ones, or fails with
    the tasks' errors after O(wait_timeout) seconds.
  - B(Routing mesh preflight) - the ingress routing mesh (O(publish) with mode V(ingress)) and virtual-IP load
    balancing (O(endpoint_mode=vip), the engine default, on a service attached to a network or publishing ports)
    need the kernel's IPVS. When C(/proc/net/ip_vs) is absent on the manager the module runs on and
    C(modprobe -n ip_vs) says the module cannot be loaded, the module refuses such a service (it would show
    Running while every connection fails) and names the fix - O(endpoint_mode=dnsrr) with O(publish) mode
    V(host), or loading C(ip_vs) on every node. O(ignore_ipvs_check=true) skips the check.
  - The engine cannot switch a service between V(replicated) and V(global); such a change removes and recreates
    the service (reported in RV(actions)).
author:
  - dockyard.docker contributors (@dockyard)
requirements:
  - Docker SDK for Python (C(docker)) on the managed host
  - Docker engine API 1.41 (Docker 20.10) or newer
extends_documentation_fragment:
  - dockyard.docker.connection
options:
  name:
    description: Service name.
    type: str
    required: true
  state:
    description: V(present) creates or updates, V(absent) removes.
    type: str
    choices: [present, absent]
    default: present
  image:
    description:
      - Image of the tasks. Required to create a service. The image must be on every node that may run a task
        (see the M(dockyard.docker.image) module for hosts without a registry).
    type: str
  command:
    description: Replaces the image's entrypoint; a string is split like a shell would.
    type: raw
  args:
    description: Arguments of the command (the image's CMD).
    type: list
    elements: str
  mode:
    description:
      - V(replicated) runs O(replicas) tasks, V(global) one task on every eligible node.
      - A new service is V(replicated) when left out; an existing service keeps its mode.
    type: str
    choices: [replicated, global]
  replicas:
    description:
      - Number of tasks of a V(replicated) service (0 or more). Not allowed with O(mode=global).
      - When left out, a new service gets 1 and an existing one keeps its count.
    type: int
  endpoint_mode:
    description:
      - V(vip) gives the service a virtual IP load balanced with IPVS; V(dnsrr) makes the service name resolve to
        every task (DNS round robin). V(dnsrr) publishes only in V(host) mode.
    type: str
    choices: [vip, dnsrr]
  publish:
    description: Published ports.
    type: list
    elements: dict
    suboptions:
      published_port:
        description: Port on the nodes. Left out, the engine picks one (ingress) or uses a random one (host).
        type: int
      target_port:
        description: Port inside the task.
        type: int
        required: true
      protocol:
        description: Protocol.
        type: str
        choices: [tcp, udp, sctp]
        default: tcp
      mode:
        description:
          - V(ingress) publishes on every node through the routing mesh (needs IPVS),
            V(host) only on the nodes running a task, directly.
        type: str
        choices: [ingress, host]
        default: ingress
  networks:
    description: Networks (overlay) to attach, by name, as strings or C({name, aliases}) dicts.
    type: list
    elements: raw
  env:
    description: Environment variables, a dict or a list of C(KEY=VALUE) strings.
    type: raw
  labels:
    description: Service labels (compared as a whole).
    type: dict
  mounts:
    description: Mounts of each task.
    type: list
    elements: dict
    suboptions:
      source:
        description: Volume name, or host path for V(bind). None for V(tmpfs).
        type: str
      target:
        description: Path inside the task.
        type: str
        required: true
      type:
        description:
          - V(volume) is local to each node unless O(mounts[].driver) shares it, V(bind) a host path on each
            node, V(tmpfs) memory.
        type: str
        choices: [volume, bind, tmpfs]
        default: volume
      readonly:
        description: Mount read-only.
        type: bool
        default: false
      driver:
        description: Volume driver (type V(volume) only).
        type: str
      driver_opts:
        description: Options of the volume driver (type V(volume) only).
        type: dict
      labels:
        description: Labels of the volume created on each node (type V(volume) only).
        type: dict
      tmpfs_size:
        description: Size of a V(tmpfs) mount, for example V(64m).
        type: str
      tmpfs_mode:
        description: Octal permission of a V(tmpfs) mount, for example V('1777').
        type: str
  update_config:
    description: How updates roll out.
    type: dict
    suboptions:
      parallelism:
        description: Tasks updated at once (0 = all).
        type: int
      delay:
        description: Pause between batches, for example V(10s) or seconds.
        type: str
      failure_action:
        description: What to do when an update fails.
        type: str
        choices: [continue, pause, rollback]
      monitor:
        description: Time to watch each updated task for failure, for example V(5s).
        type: str
      max_failure_ratio:
        description: Failure ratio (0 to 1) tolerated during an update.
        type: float
      order:
        description: V(stop-first) stops the old task first, V(start-first) starts the new one first.
        type: str
        choices: [stop-first, start-first]
  rollback_config:
    description: How rollbacks roll out.
    type: dict
    suboptions:
      parallelism:
        description: Tasks rolled back at once (0 = all).
        type: int
      delay:
        description: Pause between batches.
        type: str
      failure_action:
        description: What to do when a rollback fails.
        type: str
        choices: [continue, pause]
      monitor:
        description: Time to watch each task after rollback.
        type: str
      max_failure_ratio:
        description: Failure ratio (0 to 1) tolerated during a rollback.
        type: float
      order:
        description: V(stop-first) or V(start-first).
        type: str
        choices: [stop-first, start-first]
  restart_config:
    description: When the swarm restarts a task.
    type: dict
    suboptions:
      condition:
        description: Restart condition.
        type: str
        choices: [none, on-failure, any]
      delay:
        description: Delay between restarts, for example V(5s).
        type: str
      max_attempts:
        description: Restarts before giving up (0 = unlimited).
        type: int
      window:
        description: Window used to evaluate the restart policy.
        type: str
  healthcheck:
    description: Health check of the tasks; an unhealthy task is replaced.
    type: dict
    suboptions:
      test:
        description: A shell command string, or a list (V(CMD) / V(CMD-SHELL) / V(NONE) form).
        type: raw
      interval:
        description: Time between checks.
        type: str
      timeout:
        description: Time a check may take.
        type: str
      retries:
        description: Consecutive failures that make a task unhealthy.
        type: int
      start_period:
        description: Start-up time during which failures do not count.
        type: str
  placement:
    description: Where tasks may run.
    type: dict
    suboptions:
      constraints:
        description: Constraints such as V(node.role==worker) or V(node.labels.zone==a).
        type: list
        elements: str
      preferences:
        description: 'Spread preferences, each C({spread: node.labels.NAME}).'
        type: list
        elements: dict
      max_replicas:
        description: Maximum tasks per node (0 = unlimited).
        type: int
  resources:
    description: Resource limits and reservations of each task.
    type: dict
    suboptions:
      limits:
        description: C(cpus) (for example V(0.5)) and C(memory) (for example V(256m)).
        type: dict
      reservations:
        description: C(cpus) and C(memory) reserved on the node.
        type: dict
  secrets:
    description: Swarm secrets given to the tasks, by name (they must exist).
    type: list
    elements: dict
    suboptions:
      secret_name:
        description: Name of the secret.
        type: str
        required: true
      filename:
        description: File name under C(/run/secrets) (default the secret's name).
        type: str
        aliases: [target]
      uid:
        description: Owner UID of the file.
        type: str
      gid:
        description: Owner GID of the file.
        type: str
      mode:
        description: Octal file mode, for example V('0400') (default V('0444')).
        type: str
  configs:
    description: Swarm configs given to the tasks, by name (they must exist).
    type: list
    elements: dict
    suboptions:
      config_name:
        description: Name of the config.
        type: str
        required: true
      filename:
        description: Path of the file in the task (default the config's name, relative to C(/)).
        type: str
        aliases: [target]
      uid:
        description: Owner UID of the file.
        type: str
      gid:
        description: Owner GID of the file.
        type: str
      mode:
        description: Octal file mode (default V('0444')).
        type: str
  with_registry_auth:
    description:
      - V(true) sends the registry credentials of O(image)'s registry, from the Docker client config of the user
        the module runs as on the manager (see M(dockyard.docker.login)), with the create or update, so that
        nodes that never logged in can pull a private image (C(docker service create --with-registry-auth)).
        The swarm keeps them with the service and hands them to the nodes that run its tasks. Fails, changing
        nothing, when that config has no credentials for the registry.
      - V(false) sends none (as the C(docker) CLI by default), so nodes pull with their own credentials, if any.
    type: bool
    default: false
  wait:
    description: Wait until the running tasks equal the desired tasks.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait with O(wait=true) before failing with the tasks' errors.
    type: int
    default: 120
  ignore_ipvs_check:
    description:
      - Create or update a service that needs IPVS (ingress publishing or VIP mode) even though the node has none.
      - Only for kernels where the check is wrong; otherwise the service will not answer.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reports create/update/remove and the spec difference without touching the service.
  diff_mode:
    support: full
    description: Shows the service spec before and after (the parts the module manages).
"""

EXAMPLES = r"""
- name: A replicated HTTP service reachable by name with DNS round robin (works without IPVS)
  dockyard.docker.swarm_service:
    name: web
    image: dockyard-lab/app:latest
    replicas: 3
    endpoint_mode: dnsrr
    networks: [appnet]
    env:
      COLOR: blue
    update_config:
      parallelism: 1
      order: start-first

- name: A global service answering on port 8080 of every node (host-mode publishing)
  dockyard.docker.swarm_service:
    name: edge
    image: dockyard-lab/app:latest
    mode: global
    endpoint_mode: dnsrr
    publish:
      - published_port: 8080
        target_port: 8000
        mode: host

- name: Remove a service
  dockyard.docker.swarm_service:
    name: old
    state: absent
"""

RETURN = r"""
service:
  description: The service as C(docker service inspect) shows it after the run (before it in check mode).
  returned: when the service exists
  type: dict
tasks:
  description: Running and failed tasks after waiting (node, state, error).
  returned: when O(wait=true) and the service exists
  type: list
  elements: dict
differences:
  description: Spec paths where the service differed from the options.
  returned: success
  type: list
  elements: str
actions:
  description: What was done (or would be done in check mode).
  returned: success
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect, docker_argument_spec  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import (  # noqa: E402
    ENDPOINT_MODES,
    MODES,
    ORDERS,
    PROTOCOLS,
    PUBLISH_MODES,
    RESTART_CONDITIONS,
    ROLLBACK_FAILURE_ACTIONS,
    UPDATE_FAILURE_ACTIONS,
    MOUNT_TYPES,
)
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.services import ServiceManager  # noqa: E402


def run(module, manager):
    params = module.params
    name = params["name"]
    result = manager.result
    service = manager.current(name)
    if params["state"] == "absent":
        if service:
            manager.result["actions"].append("remove service %s" % name)
            result["changed"] = True
            if module._diff:
                result["diff"] = dict(before=service.get("Spec"), after={})
            if not module.check_mode:
                manager.remove(service)
        module.exit_json(**result)

    desired = manager.desired(params)
    action, diffs, before, after = manager.plan(desired, service)
    manager.check_registry_auth(desired["TaskTemplate"]["ContainerSpec"].get("Image")
                                or (before.get("TaskTemplate") or {}).get("ContainerSpec", {}).get("Image"))
    manager.preflight(after, params["ignore_ipvs_check"])
    if action != "recreate":
        result["differences"] = diffs
    if action != "none":
        result["changed"] = True
        result["actions"].append({
            "create": "create service %s" % name,
            "recreate": "recreate service %s: %s" % (name, "; ".join(diffs)),
            "update": "update service %s (%s)" % (name, ", ".join(diffs)),
        }[action])
    if module._diff:
        result["diff"] = dict(before=before, after=after)
    if module.check_mode:
        result["service"] = service
        module.exit_json(**result)
    manager.apply(action, service, desired, after)
    service = manager.current(name)
    result["service"] = service
    if params["wait"] and service:
        result["tasks"] = manager.wait(service["ID"], name, params["wait_timeout"])
    module.exit_json(**result)


def _update_options(failure_actions):
    return dict(
        parallelism=dict(type="int"),
        delay=dict(type="str"),
        failure_action=dict(type="str", choices=list(failure_actions)),
        monitor=dict(type="str"),
        max_failure_ratio=dict(type="float"),
        order=dict(type="str", choices=list(ORDERS)),
    )


def argument_spec():
    spec = docker_argument_spec()
    ref = dict(filename=dict(type="str", aliases=["target"]), uid=dict(type="str"),
               gid=dict(type="str"), mode=dict(type="str"))
    spec.update(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        image=dict(type="str"),
        command=dict(type="raw"),
        args=dict(type="list", elements="str"),
        mode=dict(type="str", choices=list(MODES)),
        replicas=dict(type="int"),
        endpoint_mode=dict(type="str", choices=list(ENDPOINT_MODES)),
        publish=dict(type="list", elements="dict", options=dict(
            published_port=dict(type="int"),
            target_port=dict(type="int", required=True),
            protocol=dict(type="str", default="tcp", choices=list(PROTOCOLS)),
            mode=dict(type="str", default="ingress", choices=list(PUBLISH_MODES)),
        )),
        networks=dict(type="list", elements="raw"),
        env=dict(type="raw"),
        labels=dict(type="dict"),
        mounts=dict(type="list", elements="dict", options=dict(
            source=dict(type="str"),
            target=dict(type="str", required=True),
            type=dict(type="str", default="volume", choices=list(MOUNT_TYPES)),
            readonly=dict(type="bool", default=False),
            driver=dict(type="str"),
            driver_opts=dict(type="dict"),
            labels=dict(type="dict"),
            tmpfs_size=dict(type="str"),
            tmpfs_mode=dict(type="str"),
        )),
        update_config=dict(type="dict", options=_update_options(UPDATE_FAILURE_ACTIONS)),
        rollback_config=dict(type="dict", options=_update_options(ROLLBACK_FAILURE_ACTIONS)),
        restart_config=dict(type="dict", options=dict(
            condition=dict(type="str", choices=list(RESTART_CONDITIONS)),
            delay=dict(type="str"),
            max_attempts=dict(type="int"),
            window=dict(type="str"),
        )),
        healthcheck=dict(type="dict", options=dict(
            test=dict(type="raw"),
            interval=dict(type="str"),
            timeout=dict(type="str"),
            retries=dict(type="int"),
            start_period=dict(type="str"),
        )),
        placement=dict(type="dict", options=dict(
            constraints=dict(type="list", elements="str"),
            preferences=dict(type="list", elements="dict"),
            max_replicas=dict(type="int"),
        )),
        resources=dict(type="dict", options=dict(
            limits=dict(type="dict"),
            reservations=dict(type="dict"),
        )),
        secrets=dict(type="list", elements="dict", no_log=False, options=dict(secret_name=dict(type="str", required=True), **ref)),
        configs=dict(type="list", elements="dict", options=dict(config_name=dict(type="str", required=True), **ref)),
        with_registry_auth=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=120),
        ignore_ipvs_check=dict(type="bool", default=False),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    client = connect(module)
    result = dict(changed=False, actions=[], differences=[])
    run(module, ServiceManager(module, client, result, module.params["with_registry_auth"]))


if __name__ == "__main__":
    main()
