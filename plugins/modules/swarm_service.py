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
  - The engine cannot switch a service between V(replicated), V(global) and the job modes; such a change removes
    and recreates the service (reported in RV(actions)).
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.swarm_service_options
  - dockyard.docker.requirements.sdk
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

- name: A hardened service (read-only root, own user, fewer capabilities, host entries, log rotation)
  dockyard.docker.swarm_service:
    name: api
    image: registry.example.com:5000/team/api:1
    resolve_image: true
    with_registry_auth: true
    replicas: 2
    user: "1000:1000"
    read_only: true
    mounts:
      - {type: tmpfs, target: /tmp}
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
    hosts:
      db.internal: 10.0.0.5
    sysctls:
      net.core.somaxconn: 1024
    ulimits: ["nofile:4096:8192"]
    logging:
      driver: json-file
      options: {max-size: 10m, max-file: "3"}
    stop_signal: SIGQUIT
    stop_grace_period: 30s

- name: A one-off migration run as a job (waits until both tasks have completed)
  dockyard.docker.swarm_service:
    name: migrate
    image: registry.example.com:5000/team/api:1
    mode: replicated-job
    replicas: 2
    args: [migrate]
    restart_config:
      condition: on-failure

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
resolved_image:
  description: The image pinned to its registry digest.
  returned: when O(resolve_image=true) resolved one
  type: str
  sample: registry.example.com:5000/team/web:1@sha256:0f3c...
actions:
  description: What was done (or would be done in check mode).
  returned: success
  type: list
  elements: str
swarm_service:
  description:
    - community.docker.docker_swarm_service's key, for tasks that read it - the service under that module's
      attribute names (C(image), C(replicas), C(limit_cpu), C(update_delay), C(restart_policy), ...), built from
      the engine's spec after the run (in check mode, the spec the run would write); durations in nanoseconds and
      sizes in bytes, as the engine stores them; empty after O(state=absent).
  returned: always
  type: dict
changes:
  description:
    - community.docker.docker_swarm_service's key - the names (as in RV(swarm_service)) of what a run changes on an
      existing service; a setting only this module has is named by its spec path. Empty when the service is
      created, removed or unchanged.
  returned: always
  type: list
  elements: str
rebuilt:
  description: True when the service was removed and created again (a change of mode).
  returned: always
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect, docker_argument_spec  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm import options  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import (  # noqa: E402
    differences,
    force_update,
)
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.services import ServiceManager  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm import community_facts  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils import redact  # noqa: E402


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
                result["diff"] = dict(before=redact.mask_service_specs(service.get("Spec"), None)[0], after={})
            if not module.check_mode:
                manager.remove(service)
        module.exit_json(**result)

    desired = manager.desired(params)
    before = (service or {}).get("Spec") or {}
    if params["resolve_image"]:
        desired = manager.resolve_image(desired, before)
    if service is not None and params["force_update"]:
        desired = force_update(desired, before)
    action, diffs, before, after = manager.plan(desired, service)
    manager.check_registry_auth(desired["TaskTemplate"]["ContainerSpec"].get("Image")
                                or (before.get("TaskTemplate") or {}).get("ContainerSpec", {}).get("Image"))
    manager.preflight(after, params["ignore_ipvs_check"])
    if action != "recreate":
        result["differences"] = diffs
    # community.docker.docker_swarm_service's keys, for tasks that read them.
    result["rebuilt"] = action == "recreate"
    if service is not None and action != "none":
        # A recreate is always a change of mode (the one change the engine cannot make in place).
        result["changes"] = community_facts.changes(differences(desired, before) + (
            ["Mode"] if action == "recreate" else []))
    if action != "none":
        result["changed"] = True
        result["actions"].append({
            "create": "create service %s" % name,
            "recreate": "recreate service %s: %s" % (name, "; ".join(diffs)),
            "update": "update service %s (%s)" % (name, ", ".join(diffs)),
        }[action])
    if module._diff:
        masked_before, masked_after = redact.mask_service_specs(before, after)
        result["diff"] = dict(before=masked_before, after=masked_after)
    if module.check_mode:
        result["service"] = service
        result["swarm_service"] = community_facts.service_facts(after)
        module.exit_json(**result)
    manager.apply(action, service, desired, after)
    service = manager.current(name)
    result["service"] = service
    result["swarm_service"] = community_facts.service_facts((service or {}).get("Spec"))
    if params["wait"] and service:
        result["tasks"] = manager.wait(service["ID"], name, params["wait_timeout"])
    module.exit_json(**result)


def argument_spec():
    """The connection options and every service option of the table (:mod:`.swarm.options`)."""
    spec = docker_argument_spec()
    spec.update(options.argument_spec())
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    client = connect(module)
    result = dict(changed=False, actions=[], differences=[], changes=[], rebuilt=False, swarm_service={})
    run(module, ServiceManager(module, client, result, module.params["with_registry_auth"]))


if __name__ == "__main__":
    main()
