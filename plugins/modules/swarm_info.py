#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: swarm_info
short_description: Read a swarm - the cluster, and on request its nodes, services, tasks and unlock key
version_added: 0.4.0
description:
  - Tells whether the engine is in a swarm and whether it is a manager, and on a manager returns the swarm's
    inspect data (C(docker swarm inspect)'s, join tokens included - keep them out of logs).
  - On request lists the nodes, services and tasks (each with filters, as the engine's API takes them) and
    returns the unlock key.
  - Asking a worker, or an engine outside a swarm, for nodes, services, tasks or the unlock key fails with a
    message that says so; without those, such an engine answers with RV(docker_swarm_active) and
    RV(docker_swarm_manager).
  - Never changes anything; runs the same in check mode.
  - On a local unix socket everything is read straight from the engine's API, without loading the Docker SDK.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements
  - dockyard.docker.info_module
options:
  nodes:
    description: Whether to list the swarm's nodes (RV(nodes)).
    type: bool
    default: false
  nodes_filters:
    description:
      - Filters for the node list, as C(docker node ls --filter) takes them, for example C(role), C(name),
        C(label), C(membership). Only with O(nodes=true).
    type: dict
  services:
    description: Whether to list the swarm's services (RV(services)).
    type: bool
    default: false
  services_filters:
    description:
      - Filters for the service list, for example C(name), C(label), C(mode), C(id). Only with O(services=true).
    type: dict
  tasks:
    description: Whether to list the swarm's tasks (RV(tasks)).
    type: bool
    default: false
  tasks_filters:
    description:
      - Filters for the task list, for example C(service), C(node), C(desired-state), C(label).
        Only with O(tasks=true).
    type: dict
  unlock_key:
    description: Whether to return the swarm's unlock key (RV(swarm_unlock_key)); null when autolock is off.
    type: bool
    default: false
  verbose_output:
    description:
      - Return the full inspect data of each node, service and task instead of the short form.
    type: bool
    default: false
notes:
  - RV(swarm_facts) holds the join tokens and RV(swarm_unlock_key) the unlock key; use C(no_log) on the task
    when they would otherwise reach a log.
seealso:
  - module: dockyard.docker.swarm
  - module: dockyard.docker.swarm_node_info
  - module: dockyard.docker.swarm_service_info
"""

EXAMPLES = r"""
- name: Is this engine a swarm manager?
  dockyard.docker.swarm_info:
  register: swarm

- name: The workers and the tasks still meant to run
  dockyard.docker.swarm_info:
    nodes: true
    nodes_filters:
      role: worker
    tasks: true
    tasks_filters:
      desired-state: running
  register: cluster
  when: swarm.docker_swarm_manager

- name: The unlock key of an autolocked swarm
  dockyard.docker.swarm_info:
    unlock_key: true
  register: locked
  no_log: true
"""

RETURN = r"""
can_talk_to_docker:
  description: Whether the engine answered.
  returned: always, also on failure
  type: bool
docker_swarm_active:
  description: Whether the engine is in a swarm (its node state is C(active)).
  returned: always, also on failure
  type: bool
docker_swarm_manager:
  description: Whether the engine is a swarm manager.
  returned: always, also on failure
  type: bool
swarm_facts:
  description: The swarm's inspect data (C(docker swarm inspect)), join tokens included; empty on a non-manager.
  returned: always
  type: dict
  sample:
    ID: k1a2b3...
    Spec: {Name: default, Orchestration: {TaskHistoryRetentionLimit: 5}}
    JoinTokens: {Worker: SWMTKN-1-..., Manager: SWMTKN-1-...}
swarm_unlock_key:
  description: The unlock key, null when the swarm is not autolocked.
  returned: when O(unlock_key=true)
  type: str
nodes:
  description:
    - The nodes, each with C(ID), C(Hostname), C(Status), C(Availability), C(ManagerStatus) (C(Leader),
      C(reachable), C(unreachable) or null for a worker) and C(EngineVersion); the full inspect data with
      O(verbose_output=true).
  returned: when O(nodes=true)
  type: list
  elements: dict
  sample:
    - {ID: 2bq6..., Hostname: m1, Status: ready, Availability: active, ManagerStatus: Leader, EngineVersion: "20.10.24"}
services:
  description:
    - The services, each with C(ID), C(Name), C(Mode) (C(Replicated), C(Global), ...), C(Replicas) (null when
      global), C(Image) and C(Ports); the full inspect data with O(verbose_output=true).
  returned: when O(services=true)
  type: list
  elements: dict
  sample:
    - {ID: ohd1..., Name: web, Mode: Replicated, Replicas: 3, Image: "dockyard-lab/app:latest", Ports: []}
tasks:
  description:
    - The tasks, each with C(ID), C(ContainerID), C(Image), C(Node) (host name), C(DesiredState),
      C(CurrentState) and C(Error); the full inspect data with O(verbose_output=true).
  returned: when O(tasks=true)
  type: list
  elements: dict
  sample:
    - {ID: x2n4..., ContainerID: 6f1e..., Image: "dockyard-lab/app:latest", Node: w1, DesiredState: running,
       CurrentState: running, Error: null}
"""

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.info import InfoReader, info_module  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.views import (  # noqa: E402
    node_names,
    node_summary,
    service_summary,
    task_summary,
    validate_filters,
)

MANAGER_DATA = ("nodes", "services", "tasks", "unlock_key")


def asked_manager_data(params):
    """Pure: the manager-only things the task asked for, in option order."""
    return [key.replace("_", " ") for key in MANAGER_DATA if params.get(key)]


def read_lists(reader, params):
    """The requested lists (short or verbose) and the unlock key, read from a manager."""
    result = {}
    verbose = params["verbose_output"]
    nodes = None
    if params["nodes"] or (params["tasks"] and not verbose):
        nodes = reader.read("list the swarm nodes", "nodes")
    if params["nodes"]:
        listed = nodes if not params["nodes_filters"] else reader.read(
            "list the swarm nodes", "nodes", filters=params["nodes_filters"])
        result["nodes"] = listed if verbose else [node_summary(n) for n in listed or []]
    if params["services"]:
        listed = reader.read("list the swarm services", "services", filters=params["services_filters"])
        result["services"] = listed if verbose else [service_summary(s) for s in listed or []]
    if params["tasks"]:
        listed = reader.read("list the swarm tasks", "tasks", filters=params["tasks_filters"])
        names = node_names(nodes)
        result["tasks"] = listed if verbose else [task_summary(t, names) for t in listed or []]
    if params["unlock_key"]:
        result["swarm_unlock_key"] = (reader.read("read the swarm unlock key", "get_unlock_key") or {}).get(
            "UnlockKey") or None
    return result


def main():
    module = info_module(
        nodes=dict(type="bool", default=False),
        nodes_filters=dict(type="dict"),
        services=dict(type="bool", default=False),
        services_filters=dict(type="dict"),
        tasks=dict(type="bool", default=False),
        tasks_filters=dict(type="dict"),
        unlock_key=dict(type="bool", default=False),
        verbose_output=dict(type="bool", default=False),
    )
    params = module.params
    problem = validate_filters(params)
    if problem:
        module.fail_json(msg=problem)
    flags = dict(can_talk_to_docker=False, docker_swarm_active=False, docker_swarm_manager=False)
    reader = InfoReader(module, connect)
    reader.fail_result = flags
    swarm = reader.swarm()
    flags.update(can_talk_to_docker=True, docker_swarm_active=swarm["state"] == "active",
                 docker_swarm_manager=swarm["is_manager"])
    asked = asked_manager_data(params)
    if asked:
        reader.require_manager("The swarm's %s" % ", ".join(asked), swarm)
    result = dict(changed=False, swarm_facts={}, **flags)
    if swarm["is_manager"]:
        result["swarm_facts"] = reader.read("inspect the swarm", "inspect_swarm")
        result.update(read_lists(reader, params))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
