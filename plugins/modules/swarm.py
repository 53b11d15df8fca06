#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: swarm
short_description: Create, join or leave a Docker Swarm, idempotent by cluster identity
version_added: 0.1.0
description:
  - O(state=present) initialises a new swarm on a node that is in none, or confirms that the node already
    manages a swarm (then only O(autolock) and token rotation are applied).
  - O(state=join) joins the swarm reached through O(remote_addrs) with O(join_token) (a worker or manager
    token). A node already in that swarm is left unchanged.
  - O(state=absent) leaves the swarm; the last manager needs O(force=true).
  - A node that is in a B(different) swarm than the one asked for is an error; the module never leaves a
    swarm on its own.
  - The result contains the join tokens; register it with C(no_log) on the task (the M(dockyard.docker.swarm)
    role does) so they never reach a log.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements.sdk
options:
  state:
    description:
      - V(present) initialise or confirm a manager, V(join) join an existing swarm, V(absent) leave.
    type: str
    choices: [present, join, absent]
    default: present
  advertise_addr:
    description:
      - Address (or interface) other nodes use to reach this node, for example V(10.0.0.5) or V(eth0).
      - On hosts with several networks always give it; the engine otherwise guesses.
    type: str
  listen_addr:
    description:
      - Address the swarm control plane listens on.
    type: str
    default: 0.0.0.0:2377
  remote_addrs:
    description:
      - Managers of the swarm to join (V(host) or V(host:port)), required with O(state=join).
    type: list
    elements: str
  join_token:
    description:
      - Worker or manager join token of the swarm, required with O(state=join). Never logged.
    type: str
  force:
    description:
      - With O(state=absent), leave even when this node is the last manager (that destroys the swarm).
      - With O(state=present) on a node that is in no swarm, nothing more; it never forces a new cluster.
    type: bool
    default: false
  default_addr_pool:
    description:
      - Address pools (CIDR) overlay networks get their subnets from, at O(state=present) initialisation.
    type: list
    elements: str
  subnet_size:
    description:
      - Prefix length of each overlay network taken from O(default_addr_pool).
    type: int
  data_path_port:
    description:
      - UDP port of the VXLAN data path, at initialisation (engine default 4789).
    type: int
  autolock:
    description:
      - Require an unlock key after a manager restarts. The unlock key is returned in RV(swarm) as C(UnlockKey).
    type: bool
  rotate_worker_token:
    description:
      - Replace the worker join token (managers only).
    type: bool
    default: false
  rotate_manager_token:
    description:
      - Replace the manager join token (managers only).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reports what would change (init, join, leave, settings) without doing it.
  diff_mode:
    support: full
    description: Shows the node's swarm membership before and after.
notes:
  - Joins are never retried against a different swarm; to move a node, leave first with O(state=absent).
"""

EXAMPLES = r"""
- name: Initialise the swarm on the first manager (or confirm it)
  dockyard.docker.swarm:
    state: present
    advertise_addr: 10.0.0.11
  register: swarm_init
  no_log: true

- name: Join a worker
  dockyard.docker.swarm:
    state: join
    advertise_addr: 10.0.0.21
    remote_addrs: [10.0.0.11]
    join_token: "{{ hostvars['manager1'].swarm_init.swarm.JoinTokens.Worker }}"
  no_log: true

- name: Leave the swarm
  dockyard.docker.swarm:
    state: absent
"""

RETURN = r"""
swarm:
  description:
    - The swarm as its manager sees it (C(docker swarm inspect)); empty on a worker or after leaving.
    - Contains C(JoinTokens.Worker), C(JoinTokens.Manager) and, with autolock, C(UnlockKey) - secrets.
  returned: success
  type: dict
  sample: {"ID": "q1w2e3", "JoinTokens": {"Worker": "SWMTKN-1-...", "Manager": "SWMTKN-1-..."}}
swarm_facts:
  description:
    - The same document as RV(swarm), under community.docker.docker_swarm's name for it (C(JoinTokens),
      C(UnlockKey) with autolock - secrets).
  returned: success
  type: dict
node_id:
  description: This node's swarm node ID (empty when not in a swarm).
  returned: success
  type: str
cluster_id:
  description: The swarm's cluster ID (managers only; empty otherwise).
  returned: success
  type: str
node_state:
  description: The engine's LocalNodeState after the module ran (C(active), C(inactive), ...).
  returned: success
  type: str
is_manager:
  description: Whether this node is a manager.
  returned: success
  type: bool
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
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.membership import SwarmMembership  # noqa: E402


def main():
    argument_spec = docker_argument_spec()
    argument_spec.update(
        state=dict(type="str", default="present", choices=["present", "join", "absent"]),
        advertise_addr=dict(type="str"),
        listen_addr=dict(type="str", default="0.0.0.0:2377"),
        remote_addrs=dict(type="list", elements="str"),
        join_token=dict(type="str", no_log=True),
        force=dict(type="bool", default=False),
        default_addr_pool=dict(type="list", elements="str"),
        subnet_size=dict(type="int"),
        data_path_port=dict(type="int"),
        autolock=dict(type="bool"),
        rotate_worker_token=dict(type="bool", default=False),
        rotate_manager_token=dict(type="bool", default=False),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[("state", "join", ("join_token", "remote_addrs"))],
    )
    client = connect(module)
    SwarmMembership(module, client).run()


if __name__ == "__main__":
    main()
