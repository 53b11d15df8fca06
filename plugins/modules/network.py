#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: network
short_description: Manage a Docker network (bridge, overlay, ...)
version_added: 0.1.0
description:
  - Creates a network, or removes it, idempotently.
  - Only the options given are compared with an existing network. A network cannot be changed in place, so a
    difference recreates it; while containers are attached that is refused unless O(force=true), which
    disconnects them, recreates the network and connects them again.
  - O(state=absent) refuses while containers are attached, unless O(force=true) (they are disconnected first).
  - Overlay networks need a swarm manager.
attributes:
  check_mode:
    support: full
    description: Reports what would be created, recreated, disconnected or removed without doing it.
  diff_mode:
    support: full
    description: Before and after of the compared options.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
options:
  name:
    description: Name of the network.
    type: str
    required: true
  driver:
    description: Network driver, e.g. C(bridge), C(overlay), C(macvlan).
    type: str
    default: bridge
  attachable:
    description: Whether standalone containers may attach to an overlay network. Compared only when set.
    type: bool
  internal:
    description: Restrict external access to the network. Compared only when set.
    type: bool
  subnet:
    description: Subnet in CIDR notation, e.g. C(172.30.0.0/24). Compared only when set.
    type: str
  gateway:
    description: Gateway address inside O(subnet). Needs O(subnet).
    type: str
  labels:
    description: Labels of the network. Only the labels given are compared.
    type: dict
  force:
    description:
      - Disconnect attached containers when the network has to be removed or recreated.
    type: bool
    default: false
  state:
    description: Whether the network exists.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: dockyard.docker.container
"""

EXAMPLES = r"""
- name: A bridge network with a fixed subnet
  dockyard.docker.network:
    name: backend
    subnet: 172.30.0.0/24
    gateway: 172.30.0.1
    labels:
      tier: backend

- name: A container on it with a fixed address, restarted unless stopped by hand
  dockyard.docker.container:
    name: db
    image: registry.example.com/db:16
    networks:
      - name: backend
        ipv4_address: 172.30.0.10
        aliases: [database]
    restart_policy: unless-stopped

- name: An internal overlay network standalone containers can join (on a swarm manager)
  dockyard.docker.network:
    name: mesh
    driver: overlay
    attachable: true
    internal: true

- name: Remove a network even while containers are attached (they are disconnected)
  dockyard.docker.network:
    name: old-net
    state: absent
    force: true
"""

RETURN = r"""
network:
  description: Inspect data of the network after the run (before it in check mode); empty when absent.
  returned: always
  type: dict
  sample:
    Name: backend
    Driver: bridge
    IPAM:
      Config:
        - Subnet: 172.30.0.0/24
          Gateway: 172.30.0.1
actions:
  description: What was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample: ["created"]
diff:
  description: Before and after of the compared options.
  returned: always
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import (  # noqa: E402
    connect,
    docker_argument_spec,
    or_none,
)
from ansible_collections.dockyard.docker.plugins.module_utils.engine import named_object, networks


class NetworkManager(named_object.NamedObjectManager):
    kind = "network"

    def inspect(self):
        data = or_none(self.api.inspect_network, self.name)
        if data is None:
            return None
        # the engine also matches IDs and ID prefixes: only an exact name is this network
        return data if data.get("Name") == self.name else None

    @staticmethod
    def attached(inspect):
        return sorted(
            (info.get("Name") or cid, cid) for cid, info in ((inspect or {}).get("Containers") or {}).items()
        )

    def endpoint(self, container_id):
        """Aliases and fixed address of a container on this network, to connect it again the same way."""
        data = self.api.inspect_container(container_id)
        settings = ((data.get("NetworkSettings") or {}).get("Networks") or {}).get(self.name) or {}
        short = container_id[:12]
        aliases = [a for a in (settings.get("Aliases") or []) if a != short]
        endpoint = {}
        if aliases:
            endpoint["aliases"] = aliases
        address = (settings.get("IPAMConfig") or {}).get("IPv4Address")
        if address:
            endpoint["ipv4_address"] = address
        return endpoint

    def disconnect_all(self, attached):
        for _name, cid in attached:
            self.api.disconnect_container_from_network(cid, self.name, force=True)

    def run(self):
        before = self.inspect()
        if self.params["state"] == "absent":
            return self.absent(before)
        if before is None:
            self.actions.append("created")
            after = dict(self.desired)
            if not self.check_mode:
                self.api.create_network(self.name, **networks.create_kwargs(self.desired))
            return self.result(before, {}, after, True)
        differing = networks.differences(self.desired, networks.actual(before))
        if differing:
            attached = self.attached(before)
            if attached and not self.params["force"]:
                raise named_object.Refused(
                    "network %s differs (%s) and can only be changed by recreating it, but containers are "
                    "attached: %s. Set force: true to disconnect them, recreate the network and connect them "
                    "again." % (self.name, ", ".join(differing), ", ".join(n for n, _c in attached))
                )
            self.actions.append("recreated: %s changed" % ", ".join(differing))
            if not self.check_mode:
                endpoints = [(cid, self.endpoint(cid)) for _name, cid in attached]
                self.disconnect_all(attached)
                self.api.remove_network(before["Id"])
                self.api.create_network(self.name, **networks.create_kwargs(self.desired))
                for cid, endpoint in endpoints:
                    self.api.connect_container_to_network(cid, self.name, **endpoint)
        before_view = named_object.engine_view(self.desired, differing)
        return self.result(before, before_view, dict(self.desired), bool(differing))

    def absent(self, before):
        if before is None:
            return self.result(None, {"state": "absent"}, {"state": "absent"}, False)
        attached = self.attached(before)
        if attached and not self.params["force"]:
            raise named_object.Refused(
                "network %s has containers attached (%s), so it was not removed; disconnect them or set "
                "force: true" % (self.name, ", ".join(n for n, _c in attached))
            )
        if attached:
            self.actions.append("disconnected %s" % ", ".join(n for n, _c in attached))
        self.actions.append("removed")
        if not self.check_mode:
            self.disconnect_all(attached)
            self.api.remove_network(before["Id"])
        return self.result(before, {"state": "present"}, {"state": "absent"}, True)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        driver=dict(type="str", default="bridge"),
        attachable=dict(type="bool"),
        internal=dict(type="bool"),
        subnet=dict(type="str"),
        gateway=dict(type="str"),
        labels=dict(type="dict"),
        force=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    argument_spec.update(docker_argument_spec())
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    named_object.run(module, networks.desired, NetworkManager, connect)


if __name__ == "__main__":
    main()
