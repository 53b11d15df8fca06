# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: swarm_nodes
short_description: The nodes of a Docker Swarm as inventory hosts
version_added: 0.4.0
description:
  - Reads the nodes of a swarm from one of its managers (O(docker_host)) and makes each a host named after the
    node's host name, with the node's address as C(ansible_host).
  - Groups C(managers), C(workers), C(leader) (the raft leader), C(nonleaders) (every other node),
    C(swarm_availability_<active|pause|drain>), C(swarm_state_<ready|down|...>) and one group per node label,
    C(swarm_label_<key>_<value>) (O(default_groups)); Ansible's constructed options O(compose), O(groups),
    O(keyed_groups), O(strict) and O(filters) apply as in P(dockyard.docker.containers#inventory).
  - Host variables - C(ansible_host), C(swarm_node_id), C(swarm_hostname), C(swarm_role), C(swarm_availability),
    C(swarm_state), C(swarm_labels), C(swarm_leader) (bool), C(swarm_reachability) (managers), C(swarm_engine_version);
    with O(verbose_output) the node's whole inspect data as C(docker_swarm_node_attributes); with
    O(include_host_uri) C(ansible_host_uri), the node's engine as C(tcp://<address>:<include_host_uri_port>).
  - The configuration file's name must end with C(swarm_nodes.yml) or C(swarm_nodes.yaml).
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.inventory_engine
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: The name of this plugin.
    type: str
    required: true
    choices: [dockyard.docker.swarm_nodes]
  default_groups:
    description:
      - Put the hosts into the role, leader, availability, state and label groups above.
      - Every character of a group name that is not a letter, digit or C(_) becomes C(_); the names of
        O(groups) and O(keyed_groups) follow the same rule.
    type: bool
    default: true
  verbose_output:
    description: Add the node's inspect data as C(docker_swarm_node_attributes).
    type: bool
    default: false
  include_host_uri:
    description: Add C(ansible_host_uri), the node's engine address, for plays that manage it remotely.
    type: bool
    default: false
  include_host_uri_port:
    description: The engine port in C(ansible_host_uri).
    type: int
    default: 2376
  filters:
    description:
      - Which nodes become hosts. Dicts with one key, C(include) or C(exclude), whose value is a Jinja condition
        over the host variables; the first condition that is true decides, a node none matches is kept.
    type: list
    elements: dict
    default: []
notes:
  - O(docker_host) must be a manager (a worker's engine cannot list the nodes, and the plugin fails saying so).
  - A manager whose node address reads C(0.0.0.0) gets the address of its manager endpoint instead.
seealso:
  - plugin: dockyard.docker.containers
    plugin_type: inventory
"""

EXAMPLES = r"""
# swarm_nodes.yml - the swarm of the manager at node1, over TLS
plugin: dockyard.docker.swarm_nodes
docker_host: tcp://node1.example.com:2376
tls_ca_cert: /etc/dockyard/ca.pem
tls_client_cert: /etc/dockyard/cert.pem
tls_client_key: /etc/dockyard/key.pem
keyed_groups:
  - key: swarm_labels.zone | default('none')
    prefix: zone
compose:
  ansible_user: "'admin'"
"""

from ansible.errors import AnsibleError

from ansible_collections.dockyard.docker.plugins.plugin_utils.engine import engine_error, engine_params, open_api
from ansible_collections.dockyard.docker.plugins.plugin_utils.inventory import (
    EngineInventory,
    label_groups,
    safe_group_name,
)


def node_address(node):
    """Pure: the address the node is reached at (its own, or its manager endpoint's host)."""
    address = (node.get("Status") or {}).get("Addr") or ""
    if address in ("", "0.0.0.0"):
        manager_addr = (node.get("ManagerStatus") or {}).get("Addr") or ""
        address = manager_addr.rsplit(":", 1)[0] if manager_addr else address
    return address.strip("[]") or None


def node_vars(node, verbose=False, host_uri_port=None):
    """Pure: the documented host variables of one node."""
    spec = node.get("Spec") or {}
    manager = node.get("ManagerStatus") or {}
    address = node_address(node)
    hostvars = dict(
        ansible_host=address,
        swarm_node_id=node["ID"],
        swarm_hostname=(node.get("Description") or {}).get("Hostname"),
        swarm_role=spec.get("Role"),
        swarm_availability=spec.get("Availability"),
        swarm_state=(node.get("Status") or {}).get("State"),
        swarm_labels=dict(spec.get("Labels") or {}),
        swarm_leader=bool(manager.get("Leader")),
        swarm_reachability=manager.get("Reachability"),
        swarm_engine_version=((node.get("Description") or {}).get("Engine") or {}).get("EngineVersion"),
    )
    if verbose:
        hostvars["docker_swarm_node_attributes"] = node
    if host_uri_port and address:
        hostvars["ansible_host_uri"] = "tcp://%s:%d" % ("[%s]" % address if ":" in address else address,
                                                        host_uri_port)
    return hostvars


def node_groups(hostvars):
    """Pure: the default groups of a node host."""
    groups = ["managers" if hostvars["swarm_role"] == "manager" else "workers",
              "leader" if hostvars["swarm_leader"] else "nonleaders"]
    groups.append(safe_group_name("swarm_availability", hostvars["swarm_availability"] or "unknown"))
    groups.append(safe_group_name("swarm_state", hostvars["swarm_state"] or "unknown"))
    groups.extend(label_groups("swarm_label", hostvars["swarm_labels"]))
    return groups


def node_records(nodes, options):
    """Pure: ``[(host name, host vars, groups)]`` for the swarm's nodes."""
    records = []
    port = options["include_host_uri_port"] if options["include_host_uri"] else None
    for node in sorted(nodes, key=lambda item: ((item.get("Description") or {}).get("Hostname") or item["ID"])):
        hostvars = node_vars(node, options["verbose_output"], port)
        name = hostvars["swarm_hostname"] or node["ID"]
        records.append((name, hostvars, node_groups(hostvars) if options["default_groups"] else []))
    return records


def not_a_manager(exc):
    text = str(getattr(exc, "explanation", "") or exc).lower()
    return "not a swarm manager" in text or "swarm is not initialized" in text or "not part of a swarm" in text


class InventoryModule(EngineInventory):

    NAME = "dockyard.docker.swarm_nodes"

    def fetch(self):
        params = engine_params(self.get_option)
        api = open_api(params)
        try:
            return api.nodes()
        except Exception as exc:  # noqa: BLE001 - every engine error is explained
            if not_a_manager(exc):
                raise AnsibleError(
                    "swarm_nodes: the engine at %s is not a swarm manager (%s): point docker_host at a manager "
                    "of the swarm" % (params["docker_host"], getattr(exc, "explanation", None) or exc))
            raise engine_error(exc, params["docker_host"], "list the swarm's nodes")
        finally:
            api.close()

    def records(self, data):
        options = self.option_values("default_groups", "verbose_output", "include_host_uri", "include_host_uri_port")
        return node_records(data, options)
