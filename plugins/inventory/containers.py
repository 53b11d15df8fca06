# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: containers
short_description: The containers of one or more Docker engines as inventory hosts
version_added: 0.4.0
description:
  - Reads every container (running or not) of one or more engines through the engine API and makes each a
    host named after the container (with the engine's O(engines[].prefix) in front when one is set).
  - Groups every host by status, image, network, label and engine (see O(default_groups)), and supports
    Ansible's constructed options O(compose), O(groups), O(keyed_groups) and O(strict), plus O(filters).
  - Sets the connection variables for the P(dockyard.docker.docker_api#connection) connection plugin (no Docker
    CLI needed), or for SSH to a port the container publishes (O(connection_type)).
  - Host variables for every host - C(docker_name), C(docker_id), C(docker_short_id) (12 characters),
    C(docker_image) (the image as the container was created from it), C(docker_image_id), C(docker_status)
    (C(running), C(exited), C(paused), C(created), ...), C(docker_labels), C(docker_networks) (names),
    C(docker_engine) (the engine's O(engines[].name)); with O(verbose_output) also each top-level key of the
    container's inspect data as C(docker_<key in lower case>) (C(docker_state), C(docker_config),
    C(docker_hostconfig), C(docker_networksettings), ...).
  - The configuration file's name must end with C(containers.yml) or C(containers.yaml).
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
    choices: [dockyard.docker.containers]
  engines:
    description:
      - Several engines in one inventory. Each entry takes the engine options (O(docker_host), O(timeout),
        O(tls_ca_cert), O(tls_client_cert), O(tls_client_key), O(validate_certs)); what an entry leaves out
        comes from the top-level options.
      - Without O(engines), the top-level options name the only engine.
      - Two engines with a container of the same name need a O(engines[].prefix) on one of them; the plugin
        fails naming both engines otherwise.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The engine's name in C(docker_engine) and in its group C(docker_engine_<name>).
          - Defaults to the address part of O(docker_host) (C(local) for a unix socket).
        type: str
      prefix:
        description: Put in front of each container name to make the host name.
        type: str
        default: ""
      docker_host:
        description: See O(docker_host).
        type: str
      timeout:
        description: See O(timeout).
        type: int
      tls_ca_cert:
        description: See O(tls_ca_cert).
        type: path
      tls_client_cert:
        description: See O(tls_client_cert).
        type: path
      tls_client_key:
        description: See O(tls_client_key).
        type: path
      validate_certs:
        description: See O(validate_certs).
        type: bool
  connection_type:
    description:
      - C(docker-api) - hosts are reached with P(dockyard.docker.docker_api#connection) through their engine,
        with the variables C(ansible_connection), C(ansible_host) (the container name), C(ansible_docker_host)
        and the engine's TLS options as C(ansible_docker_*) variables.
      - C(ssh) - hosts are reached over SSH at the address and port where the container publishes
        O(private_ssh_port) (C(ansible_host), C(ansible_port)); a container that does not publish it is left
        out.
      - C(none) - no connection variables (an inventory of containers for plays that run elsewhere).
    type: str
    default: docker-api
    choices: [docker-api, ssh, none]
  private_ssh_port:
    description: The container port sshd listens on, for O(connection_type=ssh).
    type: int
    default: 22
  default_ip:
    description:
      - The address to reach a port published on all addresses (C(0.0.0.0), C(::)) with O(connection_type=ssh)
        when the engine is a unix socket; for a C(tcp://) engine its host is used.
    type: str
    default: 127.0.0.1
  default_groups:
    description:
      - Put every host into C(docker_status_<status>), C(docker_image_<image>), C(docker_network_<network>)
        (one per network), C(docker_label_<key>_<value>) (one per label) and C(docker_engine_<name>).
      - Every character of a group name that is not a letter, digit or C(_) becomes C(_); the names of
        O(groups) and O(keyed_groups) follow the same rule.
    type: bool
    default: true
  verbose_output:
    description: Add the container's whole inspect data as C(docker_<key>) host variables.
    type: bool
    default: false
  filters:
    description:
      - Which containers become hosts. A list of dicts with one key each, C(include) or C(exclude), whose value
        is a Jinja condition over the host variables above (before O(compose)).
      - Filters are tried in order and the first whose condition is true decides; a container no filter
        matches is kept. End the list with an C(exclude) of C(true) to keep only what an C(include) matched.
    type: list
    elements: dict
    default: []
notes:
  - Runs on the controller; the containers' engines are reached from there.
  - With O(cache=true) the engines' answers are kept per Ansible's inventory cache options and groups are
    computed again from them on every run.
seealso:
  - plugin: dockyard.docker.docker_api
    plugin_type: connection
  - plugin: dockyard.docker.swarm_nodes
    plugin_type: inventory
"""

EXAMPLES = r"""
# containers.yml - every container of the local engine, reached through the engine API
plugin: dockyard.docker.containers

---
# web.containers.yml - running containers labelled app=web, on two engines over TLS, grouped by tier
plugin: dockyard.docker.containers
tls_ca_cert: /etc/dockyard/ca.pem
tls_client_cert: /etc/dockyard/cert.pem
tls_client_key: /etc/dockyard/key.pem
engines:
  - docker_host: tcp://node1.example.com:2376
    name: node1
  - docker_host: tcp://node2.example.com:2376
    name: node2
    prefix: node2-
filters:
  - include: "docker_status == 'running' and docker_labels.app | default('') == 'web'"
  - exclude: true
keyed_groups:
  - key: docker_labels.tier | default('none')
    prefix: tier
compose:
  web_port: 8080

---
# ssh.containers.yml - containers that publish sshd, reached over SSH
plugin: dockyard.docker.containers
connection_type: ssh
private_ssh_port: 22
compose:
  ansible_user: "'root'"
"""

from ansible.errors import AnsibleError, AnsibleParserError

from ansible_collections.dockyard.docker.plugins.plugin_utils.engine import (
    ENGINE_OPTIONS,
    engine_error,
    engine_params,
    open_api,
)
from ansible_collections.dockyard.docker.plugins.plugin_utils.inventory import (
    EngineInventory,
    label_groups,
    safe_group_name,
)

CONNECTION_PLUGIN = "dockyard.docker.docker_api"
# Engine option -> the connection plugin's variable for it.
CONNECTION_VARS = dict(
    docker_host="ansible_docker_host",
    timeout="ansible_docker_timeout",
    tls_ca_cert="ansible_docker_tls_ca_cert",
    tls_client_cert="ansible_docker_tls_client_cert",
    tls_client_key="ansible_docker_tls_client_key",
    validate_certs="ansible_docker_validate_certs",
)
ANY_ADDRESS = ("", "0.0.0.0", "::")


def engine_name(docker_host):
    """Pure: ``tcp://node1:2376`` -> ``node1``; a unix socket -> ``local``."""
    if not docker_host or docker_host.startswith("unix://") or docker_host.startswith("npipe://"):
        return "local"
    address = docker_host.split("://", 1)[-1].split("/", 1)[0]
    if address.startswith("["):
        return address[1:].split("]", 1)[0]
    return address.rsplit(":", 1)[0] if address.count(":") == 1 else address


def engine_host_address(docker_host):
    """Pure: the host part of a ``tcp://`` engine address, else ``None``."""
    name = engine_name(docker_host)
    return None if name == "local" else name


def resolve_engines(top, engines):
    """Pure: the engine list, each entry completed from the top-level options ``top``."""
    resolved = []
    for entry in engines or [dict()]:
        params = dict((key, entry.get(key) if entry.get(key) is not None else top.get(key))
                      for key in ENGINE_OPTIONS)
        resolved.append(dict(params=params, name=entry.get("name") or engine_name(params["docker_host"]),
                             prefix=entry.get("prefix") or ""))
    names = [engine["name"] for engine in resolved]
    for name in names:
        if names.count(name) > 1:
            raise AnsibleParserError("engines: two engines are both named %r: give each a distinct name" % name)
    return resolved


def network_names(inspect):
    return sorted(((inspect.get("NetworkSettings") or {}).get("Networks") or {}).keys())


def published_address(inspect, port, default_ip, docker_host):
    """Pure: ``(address, host port)`` where the container publishes ``port``/tcp, or ``None``."""
    bindings = ((inspect.get("NetworkSettings") or {}).get("Ports") or {}).get("%s/tcp" % port) or []
    for binding in bindings:
        if not binding.get("HostPort"):
            continue
        address = binding.get("HostIp") or ""
        if address in ANY_ADDRESS:
            address = engine_host_address(docker_host) or default_ip
        return address, int(binding["HostPort"])
    return None


def container_vars(inspect, engine, verbose=False):
    """Pure: the documented ``docker_*`` host variables of one container."""
    config = inspect.get("Config") or {}
    hostvars = dict(
        docker_name=inspect["Name"].lstrip("/"),
        docker_id=inspect["Id"],
        docker_short_id=inspect["Id"][:12],
        docker_image=config.get("Image"),
        docker_image_id=inspect.get("Image"),
        docker_status=(inspect.get("State") or {}).get("Status"),
        docker_labels=dict(config.get("Labels") or {}),
        docker_networks=network_names(inspect),
        docker_engine=engine["name"],
    )
    if verbose:
        for key, value in inspect.items():
            hostvars["docker_%s" % key.lower()] = value
    return hostvars


def connection_vars(inspect, engine, connection_type, private_ssh_port=22, default_ip="127.0.0.1"):
    """Pure: the connection variables for a container, or ``None`` when it cannot be reached that way."""
    if connection_type == "none":
        return {}
    params = engine["params"]
    if connection_type == "ssh":
        published = published_address(inspect, private_ssh_port, default_ip, params["docker_host"])
        if published is None:
            return None
        return dict(ansible_connection="ssh", ansible_host=published[0], ansible_port=published[1])
    out = dict(ansible_connection=CONNECTION_PLUGIN, ansible_host=inspect["Name"].lstrip("/"))
    for option, var in sorted(CONNECTION_VARS.items()):
        if params.get(option) is not None:
            out[var] = params[option]
    return out


def container_groups(hostvars):
    """Pure: the default groups of a host (see the ``default_groups`` option)."""
    groups = [safe_group_name("docker_status", hostvars["docker_status"] or "unknown")]
    if hostvars["docker_image"]:
        groups.append(safe_group_name("docker_image", hostvars["docker_image"]))
    groups.extend(safe_group_name("docker_network", name) for name in hostvars["docker_networks"])
    groups.extend(label_groups("docker_label", hostvars["docker_labels"]))
    groups.append(safe_group_name("docker_engine", hostvars["docker_engine"]))
    return groups


def container_records(engines, data, options):
    """Pure: ``[(host name, host vars, groups)]`` for every container of every engine in ``data``.

    ``data`` maps an engine's name to its containers' inspect documents; ``options`` holds
    ``connection_type``, ``private_ssh_port``, ``default_ip``, ``default_groups``, ``verbose_output``.
    """
    records, owners = [], {}
    for engine in engines:
        for inspect in sorted(data.get(engine["name"]) or [], key=lambda item: item["Name"]):
            name = engine["prefix"] + inspect["Name"].lstrip("/")
            if name in owners:
                raise AnsibleParserError(
                    "containers: host %s is a container on engine %s and on engine %s: give one of them a "
                    "prefix (engines[].prefix)" % (name, owners[name], engine["name"]))
            owners[name] = engine["name"]
            reach = connection_vars(inspect, engine, options["connection_type"], options["private_ssh_port"],
                                    options["default_ip"])
            if reach is None:
                continue
            hostvars = container_vars(inspect, engine, options["verbose_output"])
            hostvars.update(reach)
            groups = container_groups(hostvars) if options["default_groups"] else []
            records.append((name, hostvars, groups))
    return records


class InventoryModule(EngineInventory):

    NAME = "dockyard.docker.containers"

    def _engines(self):
        return resolve_engines(engine_params(self.get_option), self.get_option("engines"))

    def fetch(self):
        data = {}
        for engine in self._engines():
            api = open_api(engine["params"])
            host = engine["params"]["docker_host"]
            try:
                summaries = api.containers(all=True)
                inspects = []
                for summary in summaries:
                    try:
                        inspects.append(api.inspect_container(summary["Id"]))
                    except Exception as exc:  # noqa: BLE001 - a container removed since the list is skipped
                        if getattr(exc, "status_code", None) != 404:
                            raise
            except AnsibleError:
                raise
            except Exception as exc:  # noqa: BLE001 - every engine error is explained
                raise engine_error(exc, host, "list the containers")
            finally:
                api.close()
            data[engine["name"]] = inspects
        return data

    def records(self, data):
        options = self.option_values(
            "connection_type", "private_ssh_port", "default_ip", "default_groups", "verbose_output")
        return container_records(self._engines(), data, options)
