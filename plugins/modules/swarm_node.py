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

import copy

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import (  # noqa: E402
    APIError,
    DockerException,
    connect,
    docker_argument_spec,
    fail_from_error,
)
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.quorum import (
    check_manager_change,
    summarize_managers,
)


def desired_labels(current, wanted, state):
    """Pure: the label map a node should carry."""
    if wanted is None:
        return dict(current or {})
    wanted = dict((str(k), "" if v is None else str(v)) for k, v in wanted.items())
    if state == "replace":
        return wanted
    merged = dict(current or {})
    merged.update(wanted)
    return merged


def find_node(nodes, name):
    """Pure: the node whose ID or host name is ``name``; (node, error)."""
    by_id = [n for n in nodes if n.get("ID") == name]
    if by_id:
        return by_id[0], None
    by_name = [n for n in nodes if (n.get("Description") or {}).get("Hostname") == name
               or (n.get("Spec") or {}).get("Name") == name]
    if len(by_name) > 1:
        ready = [n for n in by_name if (n.get("Status") or {}).get("State") == "ready"]
        if len(ready) == 1:
            return ready[0], None
        return None, ("%d nodes are called %s (%s); give the node ID as hostname"
                      % (len(by_name), name, ", ".join(n.get("ID") for n in by_name)))
    if not by_name:
        return None, None
    return by_name[0], None


def view(node):
    spec = (node or {}).get("Spec") or {}
    return dict(role=spec.get("Role"), availability=spec.get("Availability"), labels=spec.get("Labels") or {})


class NodeManager:
    def __init__(self, module, client):
        self.module = module
        self.api = client.api
        self.params = module.params
        self.actions = []
        self.result = dict(changed=False, actions=self.actions)

    def call(self, doing, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (APIError, DockerException) as exc:
            fail_from_error(self.module, exc, doing, **self.result)

    def quorum_guard(self, nodes, node, action):
        total, reachable = summarize_managers(nodes)
        leaving_reachable = 1 if ((node.get("ManagerStatus") or {}).get("Reachability") == "reachable") else 0
        ok, msg = check_manager_change(total, len(reachable), 1, leaving_reachable, action=action)
        self.result["quorum"] = msg
        if not ok:
            self.module.fail_json(msg="%s (node %s)" % (msg, self.params["hostname"]), **self.result)

    def run(self):
        nodes = self.call("list the swarm's nodes (this must run on a manager)", self.api.nodes)
        node, error = find_node(nodes, self.params["hostname"])
        if error:
            self.module.fail_json(msg=error, **self.result)
        if node is None:
            if self.params["state"] == "absent":
                self.module.exit_json(**self.result)
            self.module.fail_json(msg="No node %s in this swarm (nodes: %s)" % (
                self.params["hostname"],
                ", ".join(sorted((n.get("Description") or {}).get("Hostname", n.get("ID")) for n in nodes))),
                **self.result)
        before = view(node)
        if self.params["state"] == "absent":
            self.remove(nodes, node, before)
        spec = copy.deepcopy(node.get("Spec") or {})
        labels = desired_labels(spec.get("Labels"), self.params["labels"], self.params["labels_state"])
        if labels != (spec.get("Labels") or {}):
            self.actions.append("set labels")
            spec["Labels"] = labels
        if self.params["availability"] and self.params["availability"] != spec.get("Availability"):
            self.actions.append("set availability %s" % self.params["availability"])
            spec["Availability"] = self.params["availability"]
        role = self.params["role"]
        if role and role != spec.get("Role"):
            if role == "worker":
                self.quorum_guard(nodes, node, "demote")
            self.actions.append("promote to manager" if role == "manager" else "demote to worker")
            spec["Role"] = role
        after = view(dict(Spec=spec))
        if self.actions:
            self.result["changed"] = True
            if not self.module.check_mode:
                self.call("update node %s" % self.params["hostname"], self.api.update_node,
                          node["ID"], node["Version"]["Index"], spec)
                node = self.call("inspect node %s" % self.params["hostname"], self.api.inspect_node, node["ID"])
        self.result["node"] = node
        if self.module._diff:
            self.result["diff"] = dict(before=before, after=after)
        self.module.exit_json(**self.result)

    def remove(self, nodes, node, before):
        state = (node.get("Status") or {}).get("State")
        if state != "down":
            self.module.fail_json(
                msg="Node %s is %s, not down: make it leave the swarm (dockyard.docker.swarm state: absent on "
                    "it) or stop it before removing it from the node list." % (self.params["hostname"], state),
                **self.result)
        is_manager = (node.get("Spec") or {}).get("Role") == "manager"
        if is_manager:
            self.quorum_guard(nodes, node, "remove")
            self.actions.append("demote to worker")
        self.actions.append("remove from the swarm")
        self.result["changed"] = True
        if self.module._diff:
            self.result["diff"] = dict(before=before, after={})
        if not self.module.check_mode:
            if is_manager:
                spec = dict(node["Spec"], Role="worker")
                self.call("demote node %s" % self.params["hostname"], self.api.update_node,
                          node["ID"], node["Version"]["Index"], spec)
            self.call("remove node %s" % self.params["hostname"], self.api.remove_node, node["ID"])
        self.module.exit_json(**self.result)


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
