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

import socket

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

IN_SWARM_STATES = ("active", "pending", "locked", "error")


def token_digest(token):
    """The cluster CA digest carried in a join token (``SWMTKN-1-<digest>-<secret>``), or None."""
    parts = (token or "").split("-")
    if len(parts) != 4 or parts[0] != "SWMTKN":
        return None
    return parts[2]


def _addr_key(addr, default_port=2377):
    addr = (addr or "").strip()
    if addr.startswith("["):
        host, _sep, port = addr[1:].partition("]")
        port = port.lstrip(":")
    elif addr.count(":") == 1:
        host, port = addr.split(":")
    else:
        host, port = addr, ""
    try:
        host = socket.gethostbyname(host)
    except (socket.error, UnicodeError):
        pass
    return "%s:%s" % (host, port or default_port)


class SwarmMembership:
    """Reads the node's swarm membership and applies present/join/absent."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.api = client.api
        self.params = module.params
        self.actions = []
        self.changed = False

    def info(self):
        try:
            return self.api.info().get("Swarm") or {}
        except (APIError, DockerException) as exc:
            fail_from_error(self.module, exc, "read the engine's swarm state")

    def inspect(self):
        try:
            return self.api.inspect_swarm()
        except (APIError, DockerException) as exc:
            fail_from_error(self.module, exc, "inspect the swarm")

    @staticmethod
    def summary(info):
        return dict(
            state=info.get("LocalNodeState") or "inactive",
            node_id=info.get("NodeID") or "",
            cluster_id=((info.get("Cluster") or {}).get("ID")) or "",
            is_manager=bool(info.get("ControlAvailable")),
        )

    def fail(self, msg, before):
        self.module.fail_json(msg=msg, changed=False, node_state=before["state"], node_id=before["node_id"])

    # ---- present
    def present(self, info, before):
        if before["state"] == "inactive":
            self.actions.append("initialise a new swarm")
            self.changed = True
            if self.module.check_mode:
                return
            kwargs = dict(
                advertise_addr=self.params["advertise_addr"],
                listen_addr=self.params["listen_addr"],
                default_addr_pool=self.params["default_addr_pool"],
                subnet_size=self.params["subnet_size"],
                data_path_port=self.params["data_path_port"],
            )
            if self.params["autolock"]:
                kwargs["swarm_spec"] = self.api.create_swarm_spec(autolock_managers=True)
            try:
                self.api.init_swarm(**dict((k, v) for k, v in kwargs.items() if v is not None))
            except (APIError, DockerException) as exc:
                fail_from_error(self.module, exc, "initialise the swarm")
            return
        if before["state"] != "active":
            self.fail("This node's swarm state is %r, not active: fix the node (unlock it with the unlock key, "
                      "or wait for a pending join) before managing it." % before["state"], before)
        if not before["is_manager"]:
            managers = ", ".join(m.get("Addr", "?") for m in info.get("RemoteManagers") or [])
            self.fail("This node is a worker of swarm (managers: %s); state=present needs a manager. Run it "
                      "on a manager, or promote this node with dockyard.docker.swarm_node." % managers, before)
        self.update_settings()

    def update_settings(self):
        rotate_w = self.params["rotate_worker_token"]
        rotate_m = self.params["rotate_manager_token"]
        autolock = self.params["autolock"]
        current = self.inspect()
        spec = current.get("Spec") or {}
        enc = spec.get("EncryptionConfig") or {}
        change_lock = autolock is not None and bool(enc.get("AutoLockManagers")) != autolock
        if not (rotate_w or rotate_m or change_lock):
            return
        if change_lock:
            self.actions.append("turn autolock %s" % ("on" if autolock else "off"))
        if rotate_w:
            self.actions.append("rotate the worker join token")
        if rotate_m:
            self.actions.append("rotate the manager join token")
        self.changed = True
        if self.module.check_mode:
            return
        if change_lock:
            spec = dict(spec)
            spec["EncryptionConfig"] = dict(enc, AutoLockManagers=autolock)
        try:
            self.api.update_swarm(version=current["Version"]["Index"], swarm_spec=spec,
                                  rotate_worker_token=rotate_w, rotate_manager_token=rotate_m)
        except (APIError, DockerException) as exc:
            fail_from_error(self.module, exc, "update the swarm settings")

    # ---- join
    def same_swarm(self, info, before):
        token = self.params["join_token"]
        if before["is_manager"]:
            tokens = self.inspect().get("JoinTokens") or {}
            mine = set(filter(None, [token_digest(tokens.get("Worker")), token_digest(tokens.get("Manager"))]))
            return token_digest(token) in mine, "the join token belongs to another cluster CA"
        known = set(_addr_key(m.get("Addr")) for m in info.get("RemoteManagers") or [])
        wanted = set(_addr_key(a) for a in self.params["remote_addrs"])
        return bool(known & wanted), "managers %s" % ", ".join(sorted(known))

    def join(self, info, before):
        if token_digest(self.params["join_token"]) is None:
            self.fail("join_token is not a swarm join token (expected SWMTKN-1-<digest>-<secret>, as printed by "
                      "docker swarm join-token)", before)
        if before["state"] in IN_SWARM_STATES:
            same, evidence = self.same_swarm(info, before)
            if same:
                return
            self.fail(
                "This node is already in a different swarm (node %s, %s; cluster %s) than the one at %s. "
                "It was not changed: leave that swarm first (state: absent) if it should move."
                % (before["node_id"], evidence, before["cluster_id"] or "unknown from a worker",
                   ", ".join(self.params["remote_addrs"])), before)
        self.actions.append("join the swarm at %s" % ", ".join(self.params["remote_addrs"]))
        self.changed = True
        if self.module.check_mode:
            return
        kwargs = dict(remote_addrs=self.params["remote_addrs"], join_token=self.params["join_token"],
                      listen_addr=self.params["listen_addr"])
        if self.params["advertise_addr"]:
            kwargs["advertise_addr"] = self.params["advertise_addr"]
        try:
            self.api.join_swarm(**kwargs)
        except (APIError, DockerException) as exc:
            fail_from_error(self.module, exc, "join the swarm at %s" % ", ".join(self.params["remote_addrs"]))

    # ---- absent
    def absent(self, info, before):
        if before["state"] == "inactive":
            return
        self.actions.append("leave the swarm%s" % (" (forced)" if self.params["force"] else ""))
        self.changed = True
        if self.module.check_mode:
            return
        try:
            self.api.leave_swarm(force=self.params["force"])
        except (APIError, DockerException) as exc:
            fail_from_error(self.module, exc, "leave the swarm (force: true is needed to leave as the last "
                                              "manager, which destroys the swarm)")

    def run(self):
        info = self.info()
        before = self.summary(info)
        state = self.params["state"]
        getattr(self, state)(info, before)
        after_info = info if (self.module.check_mode or not self.changed) else self.info()
        after = self.summary(after_info)
        if self.module.check_mode and self.changed:
            after = dict(before)
            after["state"] = "inactive" if state == "absent" else "active"
            if state == "present":
                after["is_manager"] = True
        swarm = {}
        if after["is_manager"] and after["state"] == "active" and not (self.module.check_mode and self.changed):
            swarm = self.inspect()
            if swarm.get("Spec", {}).get("EncryptionConfig", {}).get("AutoLockManagers"):
                try:
                    swarm["UnlockKey"] = self.api.get_unlock_key().get("UnlockKey")
                except (APIError, DockerException):
                    swarm["UnlockKey"] = None
            after["cluster_id"] = swarm.get("ID", after["cluster_id"])
        result = dict(
            changed=self.changed,
            actions=self.actions,
            swarm=swarm,
            # community.docker.docker_swarm's key for the same document, for tasks that read it.
            swarm_facts=swarm,
            node_id=after["node_id"],
            cluster_id=after["cluster_id"],
            node_state=after["state"],
            is_manager=after["is_manager"],
        )
        if self.module._diff:
            result["diff"] = dict(before=before, after=after)
        self.module.exit_json(**result)


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
