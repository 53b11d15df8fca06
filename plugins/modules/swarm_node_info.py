#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: swarm_node_info
short_description: Read the inspect data of swarm nodes
version_added: 0.4.0
description:
  - Returns what C(docker node inspect) returns for the nodes named in O(name), for the node the engine runs
    on (O(self=true)), or for every node of the swarm.
  - A node named in O(name) that is not in the swarm is left out of RV(nodes); it is not an error.
  - Must run on a swarm manager; on a worker or outside a swarm it fails and says so.
  - Never changes anything; runs the same in check mode.
  - On a local unix socket the nodes are read straight from the engine's API, without loading the Docker SDK.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements
  - dockyard.docker.info_module
options:
  name:
    description:
      - Host names or node IDs of the nodes to read. Not given (and O(self=false)) - every node.
    type: list
    elements: str
  self:
    description:
      - Read the node the engine itself runs on. Cannot be combined with O(name).
    type: bool
    default: false
seealso:
  - module: dockyard.docker.swarm_node
  - module: dockyard.docker.swarm_info
"""

EXAMPLES = r"""
- name: Every node of the swarm
  dockyard.docker.swarm_node_info:
  register: swarm_nodes

- name: Two nodes by host name
  dockyard.docker.swarm_node_info:
    name: [worker1, worker2]
  register: workers

- name: The manager this task runs on
  dockyard.docker.swarm_node_info:
    self: true
  register: me
"""

RETURN = r"""
nodes:
  description:
    - The inspect data of each node found, as the engine returns it (C(docker node inspect)), in the order of
      O(name) (else the engine's order).
  returned: always
  type: list
  elements: dict
  sample:
    - ID: 2bq6...
      Description: {Hostname: m1, Engine: {EngineVersion: "20.10.24"}}
      Spec: {Role: manager, Availability: active, Labels: {zone: a}}
      Status: {State: ready, Addr: 10.0.0.11}
      ManagerStatus: {Leader: true, Reachability: reachable, Addr: "10.0.0.11:2377"}
"""

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.info import InfoReader, info_module  # noqa: E402


def pick_nodes(nodes, names):
    """Pure: the nodes whose host name or ID (or unique ID prefix) is in ``names``, in that order, once each."""
    picked, seen = [], set()
    for name in names:
        matches = [n for n in nodes if (n.get("Description") or {}).get("Hostname") == name or n.get("ID") == name]
        if not matches:
            matches = [n for n in nodes if (n.get("ID") or "").startswith(name)]
            matches = matches if len(matches) == 1 else []
        for node in matches:
            if node["ID"] not in seen:
                seen.add(node["ID"])
                picked.append(node)
    return picked


def main():
    module = info_module(
        name=dict(type="list", elements="str"),
        self=dict(type="bool", default=False),
    )
    names, own = module.params["name"], module.params["self"]
    if own and names:
        module.fail_json(msg="name and self: true cannot be combined: give the nodes by name, or self: true for "
                             "the node this task runs on")
    if names is not None and not all((n or "").strip() for n in names):
        module.fail_json(msg="name must list host names or node IDs, got an empty entry: %r" % (names,))
    reader = InfoReader(module, connect)
    swarm = reader.require_manager("The swarm's nodes")
    nodes = reader.read("list the swarm nodes", "nodes") or []
    if own:
        nodes = [n for n in nodes if n.get("ID") == swarm["node_id"]]
    elif names is not None:
        nodes = pick_nodes(nodes, names)
    module.exit_json(changed=False, nodes=nodes)


if __name__ == "__main__":
    main()
