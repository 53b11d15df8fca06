# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One node of a swarm, seen from a manager: find it, change its labels, availability or role, remove it
(module swarm_node)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    APIError,
    DockerException,
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
    """What a diff shows of a node: role, availability and labels."""
    spec = (node or {}).get("Spec") or {}
    return dict(role=spec.get("Role"), availability=spec.get("Availability"), labels=spec.get("Labels") or {})


class NodeManager:
    """Changes one node of the swarm (labels, availability, role) or removes it, guarding the managers' quorum."""

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
