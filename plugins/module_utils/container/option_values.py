# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The value adapters of the container option table (``container/options.py``), one per option that needs its own.

Three shapes, as the table's :class:`~.options.Option` calls them:

* ``parse_*(value, params, name)``  user value -> normalised engine value (raises ``SpecError`` naming ``name``;
  ``params`` are the task's other options, for the few that depend on one);
* ``put_*(request, value, ctx)``      writes the value into the create request (``Config``, ``HostConfig``, ...);
* ``read_*(inspect, ctx)``            the same normalised value read back from ``docker inspect``;

and ``show_*(value)`` for the diff where the engine's form is not what the user wrote.  A few
(``put_cmd(key)``, ``read_caps(key)``, ``parse_choices(*accepted)``, ...) make the adapter of one row.
``ctx`` is the comparison context (``spec.Context``: the image's own settings, the peers' IDs, what the
task gave).  Pure code.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.dockyard.docker.plugins.module_utils.container import restart_policy
from ansible_collections.dockyard.docker.plugins.module_utils.parsing import forms
from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError


def parse_size(value, params, name):
    return values.size(value, name)


def parse_nonneg(value, params, name):
    return values.nonneg_int(value, name)


def parse_choices(*accepted):
    return lambda value, params, name: values.choice(value, accepted, name)


def parse_restart_policy(value, params, name):
    try:
        return restart_policy.parse_restart_policy(value, params.get("restart_retries"))
    except restart_policy.RestartPolicyError as exc:
        raise SpecError(str(exc))


def put_restart_policy(request, policy, ctx):
    request["HostConfig"]["RestartPolicy"] = policy.to_engine()


def read_restart_policy(inspect, ctx):
    return restart_policy.from_engine((inspect.get("HostConfig") or {}).get("RestartPolicy"))


def parse_command(value, params, name):
    if params.get("command_handling") == "compatibility":
        if not value:
            return None  # an empty command or entrypoint means "the image's", as it always did
        if isinstance(value, (list, tuple)):
            value = " ".join(str(v) for v in value)
    return values.command(value, name)


def put_cmd(key):
    def put(request, value, ctx):
        request["Config"][key] = value
    return put


def read_cmd(key):
    def read(inspect, ctx):
        return list((inspect.get("Config") or {}).get(key) or [])
    return read


def parse_env(value, params, name):
    return values.env_list(value, name)


def put_env(request, value, ctx):
    merged = dict(ctx.env_file)
    merged.update(value)
    request["Config"]["Env"] = ["%s=%s" % item for item in sorted(merged.items())]


def read_env(inspect, ctx):
    # A variable the image sets, left at the image's value and not given, is the image's, not the user's.
    env = forms.env_from_engine((inspect.get("Config") or {}).get("Env"))
    return dict((key, val) for key, val in env.items()
                if key in ctx.given_env or ctx.image_env.get(key) != val)


def put_labels(request, value, ctx):
    request["Config"].setdefault("Labels", {}).update(value)


def read_labels(inspect, ctx):
    labels = dict((inspect.get("Config") or {}).get("Labels") or {})
    for key in ctx.ignored_labels:
        labels.pop(key, None)
    return labels


def parse_ports(value, params, name):
    return forms.parse_ports(value, params.get("default_host_ip"))


def put_ports(request, bindings, ctx):
    exposed = request["Config"].setdefault("ExposedPorts", {})
    for port in bindings:
        exposed[port] = {}
    request["HostConfig"]["PortBindings"] = dict(
        (port, [{"HostIp": ip, "HostPort": hp} for ip, hp in binds]) for port, binds in bindings.items())


def read_ports(inspect, ctx):
    return forms.ports_from_engine((inspect.get("HostConfig") or {}).get("PortBindings"))


def parse_exposed(value, params, name):
    return forms.parse_exposed(value, name)


def put_exposed(request, ports, ctx):
    exposed = request["Config"].setdefault("ExposedPorts", {})
    for port in ports:
        exposed[port] = {}


def read_exposed(inspect, ctx):
    # Ports the image or published_ports expose are there anyway: only the extra ones count.
    have = set((inspect.get("Config") or {}).get("ExposedPorts") or {})
    return sorted(have - set(ctx.image_exposed) - set(ctx.published))


def put_volumes(request, value, ctx):
    binds, anonymous = value
    if anonymous:
        request["Config"]["Volumes"] = dict((path, {}) for path in anonymous)
    if binds:
        request["HostConfig"]["Binds"] = list(binds)


def read_volumes(inspect, ctx):
    config_volumes = (inspect.get("Config") or {}).get("Volumes") or {}
    anonymous = sorted(v for v in ctx.wanted_anonymous if v in config_volumes)
    return (forms.binds_from_engine((inspect.get("HostConfig") or {}).get("Binds")), anonymous)


def show_volumes(value):
    binds, anonymous = value
    return sorted(list(binds) + list(anonymous))


def put_mounts(request, mounts, ctx):
    request["HostConfig"]["Mounts"] = forms.mounts_to_engine(mounts)


def read_mounts(inspect, ctx):
    return forms.mounts_from_engine((inspect.get("HostConfig") or {}).get("Mounts"))


def put_networks(request, networks, ctx):
    if networks:
        first = networks[0]
        request["HostConfig"].setdefault("NetworkMode", first["name"])
        request["NetworkingConfig"] = {"EndpointsConfig": {first["name"]: forms.endpoint_config(first)}}


def read_networks(inspect, ctx):
    return forms.networks_from_engine(inspect, ctx.wanted_networks)


def _peer_mode(mode, wanted, ctx):
    """The engine stores ``container:<id>`` for ``container:<name>``: compare by the peer's ID."""
    if wanted.startswith("container:") and mode.startswith("container:"):
        peer_id = ctx.peers.get(wanted.split(":", 1)[1])
        if peer_id and mode == "container:" + peer_id:
            return wanted
    return mode


def read_network_mode(inspect, ctx):
    mode = (inspect.get("HostConfig") or {}).get("NetworkMode") or "default"
    wanted = ctx.network_mode or ""
    if mode == "default" and wanted == "bridge":
        return "bridge"
    return _peer_mode(mode, wanted, ctx)


def read_namespace_mode(option, key):
    def read(inspect, ctx):
        return _peer_mode((inspect.get("HostConfig") or {}).get(key) or "", ctx.wanted_modes.get(option, ""), ctx)
    return read


def parse_healthcheck(value, params, name):
    return values.healthcheck(value, name)


def read_healthcheck(inspect, ctx):
    actual = (inspect.get("Config") or {}).get("Healthcheck") or {}
    # Only the keys given are compared: the engine fills the others from the image.
    return dict((key, actual.get(key)) for key in ctx.wanted_healthcheck_keys if key in actual
                or key != "StartInterval")


def put_healthcheck(request, value, ctx):
    request["Config"]["Healthcheck"] = value


def parse_signal(value, params, name):
    return values.signal_name(value, name)


def put_log_driver(request, value, ctx):
    request["HostConfig"].setdefault("LogConfig", {"Type": value, "Config": {}})["Type"] = value


def read_log_driver(inspect, ctx):
    return ((inspect.get("HostConfig") or {}).get("LogConfig") or {}).get("Type") or ""


def put_log_options(request, value, ctx):
    request["HostConfig"].setdefault("LogConfig", {"Type": "", "Config": {}})["Config"] = dict(value)


def read_log_options(inspect, ctx):
    return dict(((inspect.get("HostConfig") or {}).get("LogConfig") or {}).get("Config") or {})


def parse_caps(value, params, name):
    return forms.parse_capabilities(value, name)


def put_caps(key):
    # The names as `docker run --cap-add` writes them (NET_ADMIN, not CAP_NET_ADMIN): inspect then shows what
    # the CLI and community.docker show for the same task.
    def put(request, value, ctx):
        request["HostConfig"][key] = [cap[len("CAP_"):] if cap.startswith("CAP_") else cap for cap in value]
    return put


def read_caps(key):
    def read(inspect, ctx):
        return forms.normalize_capabilities((inspect.get("HostConfig") or {}).get(key) or [])
    return read


def parse_devices(value, params, name):
    return forms.parse_devices(value, name)


def parse_ulimits(value, params, name):
    return forms.parse_ulimits(value, name)


def read_ulimits(inspect, ctx):
    return sorted(((inspect.get("HostConfig") or {}).get("Ulimits") or []), key=lambda u: u.get("Name", ""))


def parse_sysctls(value, params, name):
    return forms.parse_sysctls(value, name)


def parse_tmpfs(value, params, name):
    return forms.parse_tmpfs(value, name)


def parse_etc_hosts(value, params, name):
    return forms.parse_etc_hosts(value, name)


def parse_ips(value, params, name):
    items = values.string_list(value, name)
    for item in items or []:
        values.ip_address(item, "%s item" % name)
    return items


def parse_throttle(value, params, name):
    return forms.parse_throttle(value, name, iops=name.endswith("iops"))


def parse_device_requests(value, params, name):
    return forms.parse_device_requests(value, name)


def read_device_requests(inspect, ctx):
    return forms.device_requests_from_engine((inspect.get("HostConfig") or {}).get("DeviceRequests"))


def parse_links(value, params, name):
    return forms.parse_links(value, name)


def read_links(inspect, ctx):
    return forms.links_from_engine((inspect.get("HostConfig") or {}).get("Links"), inspect.get("Name"))


def parse_pids_limit(value, params, name):
    number = values.integer(value, name)
    return None if number is None else max(number, 0)


def parse_memory_swap(value, params, name):
    if isinstance(value, str) and value.strip().lower() == "unlimited":
        return -1
    return values.size_or_unlimited(value, name)


PULL_CHOICES = ("missing", "always", "never")


def parse_pull(value, params, name):
    # community.docker's older boolean form: true pulls every run, false only when missing.
    if isinstance(value, bool):
        return "always" if value else "missing"
    if value not in PULL_CHOICES:
        raise SpecError("%s %s is not valid. Accepted values: %s (or true = always, false = missing)"
                        % (name, values.shown(value), ", ".join(PULL_CHOICES)))
    return value


def parse_kernel_memory(value, params, name):
    values.size(value, name)
    return value


def parse_oom_killer(value, params, name):
    return values.boolean(value, name)


def put_oom_killer(request, value, ctx):
    request["HostConfig"]["OomKillDisable"] = value


def read_oom_killer(inspect, ctx):
    return bool((inspect.get("HostConfig") or {}).get("OomKillDisable"))


def parse_swappiness(value, params, name):
    return values.integer(value, name, minimum=-1, maximum=100)


def read_swappiness(inspect, ctx):
    value = (inspect.get("HostConfig") or {}).get("MemorySwappiness")
    return -1 if value is None else value


def put_swappiness(request, value, ctx):
    if value != -1:
        request["HostConfig"]["MemorySwappiness"] = value


def put_platform(request, value, ctx):
    request["query"]["platform"] = value


def parse_mode(value, params, name):
    text = values.string(value, name)
    if text is not None and not re.match(r"^(host|private|shareable|none|container:.+|)$", text):
        raise SpecError("%s %s is not valid. Accepted values: host, private, shareable, none, container:NAME"
                        % (name, values.shown(value)))
    return text


def parse_cpus(value, params, name):
    return values.cpus(value, name)


def show_cpus(value):
    return value / 1e9


def parse_volumes(value, params, name):
    return forms.parse_volumes(value)


def parse_mounts(value, params, name):
    return forms.parse_mounts(value)


def parse_networks(value, params, name):
    return forms.parse_networks(value)


def parse_name(value, params, name):
    return forms.validate_name(value)


def parse_image(value, params, name):
    if value is None:
        return None
    text = str(value).strip()
    if not text or " " in text:
        raise SpecError("image %s is not an image reference (e.g. app:1.2, registry:5000/app)" % values.shown(value))
    return text


def parse_comparisons(value, params, name):
    return value  # validated against the whole table in spec.parse_comparisons


def parse_host_ip(value, params, name):
    if value in (None, ""):
        return value
    text = str(value).strip("[]")
    if not values.is_ip(text):
        raise SpecError("default_host_ip %s must be an empty string, an IPv4 address or an IPv6 address"
                        % values.shown(value))
    return text


def parse_stop_timeout(value, params, name):
    return values.integer(value, name, minimum=-1)


def parse_timeout(value, params, name):
    return values.seconds(value, name)


def parse_env_file(value, params, name):
    return values.string(value, name)
