# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A node's swarm membership: init, join or leave, and the settings of the swarm it manages (module swarm)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    APIError,
    DockerException,
    fail_from_error,
)

IN_SWARM_STATES = ("active", "pending", "locked", "error")


def token_digest(token):
    """The cluster CA digest carried in a join token (``SWMTKN-1-<digest>-<secret>``), or None."""
    parts = (token or "").split("-")
    if len(parts) != 4 or parts[0] != "SWMTKN":
        return None
    return parts[2]


def addr_key(addr, default_port=2377):
    """A manager address as ``ip:port`` (a host name resolved, the swarm port added), to compare addresses."""
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
        known = set(addr_key(m.get("Addr")) for m in info.get("RemoteManagers") or [])
        wanted = set(addr_key(a) for a in self.params["remote_addrs"])
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
