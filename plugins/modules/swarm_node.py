#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: swarm_node
short_description: Manage a Swarm node's labels, availability and role, guarding the managers' quorum
version_added: 0.1.0
description:
  - Runs on a swarm manager and changes one node of the swarm, found by host name or node ID.
  - Sets node labels (merged into or replacing the current ones), availability (active, pause, drain) and role
    (promote to manager, demote to worker).
  - Refuses a demotion or removal that would leave fewer reachable managers than the quorum needs, and says
    how many managers there are, how many are reachable and how many the quorum needs.
  - O(state=absent) removes a node that is down from the node list (a manager is demoted first, under the same
    quorum check); a node that is still up must leave the swarm itself first.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements.sdk
options:
  hostname:
    description:
      - The node's host name (as C(docker node ls) shows it) or its node ID.
    type: str
    required: true
  labels:
    description:
      - Node labels, as C(docker node update --label-add) sets them. Values are strings.
    type: dict
  labels_state:
    description:
      - V(merge) adds and changes the given labels and keeps the others; V(replace) makes the node carry exactly
        O(labels).
    type: str
    choices: [merge, replace]
    default: merge
  availability:
    description:
      - V(active) runs tasks, V(pause) keeps its tasks but gets no new ones, V(drain) moves its tasks away.
    type: str
    choices: [active, pause, drain]
  role:
    description:
      - V(manager) promotes, V(worker) demotes (refused when it would break the managers' quorum).
    type: str
    choices: [manager, worker]
  state:
    description:
      - V(present) keeps the node and applies the options, V(absent) removes a node that is down.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    support: full
    description: Reports the change (and any quorum refusal) without applying it.
  diff_mode:
    support: full
    description: Shows the node's labels, availability and role before and after.
"""

EXAMPLES = r"""
- name: Label a node and keep it taking tasks
  dockyard.docker.swarm_node:
    hostname: worker1
    labels:
      zone: a
      disk: ssd
    availability: active

- name: Drain a node before maintenance
  dockyard.docker.swarm_node:
    hostname: worker2
    availability: drain

- name: Demote a manager (refused if the managers would lose quorum)
  dockyard.docker.swarm_node:
    hostname: manager3
    role: worker

- name: Forget a lost node after it was demoted
  dockyard.docker.swarm_node:
    hostname: manager3
    state: absent
"""

RETURN = r"""
node:
  description: The node as C(docker node inspect) shows it after the change (before it, in check mode).
  returned: when the node exists
  type: dict
quorum:
  description: The quorum evaluation of a demotion or removal, with the numbers.
  returned: when a manager is demoted or removed
  type: str
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

from ansible_collections.dockyard.docker.plugins.module_utils.client import (  # noqa: E402
    connect,
    docker_argument_spec,
)
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.nodes import NodeManager  # noqa: E402


def main():
    argument_spec = docker_argument_spec()
    argument_spec.update(
        hostname=dict(type="str", required=True),
        labels=dict(type="dict"),
        labels_state=dict(type="str", default="merge", choices=["merge", "replace"]),
        availability=dict(type="str", choices=["active", "pause", "drain"]),
        role=dict(type="str", choices=["manager", "worker"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    client = connect(module)
    NodeManager(module, client).run()


if __name__ == "__main__":
    main()
