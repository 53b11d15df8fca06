# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic for ``swarm_service``: validate options, build the engine's ServiceSpec, compare specs.

Nothing here talks to an engine.  The module resolves names (networks, secrets,
configs) to IDs and passes them in; this file turns module options into the
JSON the engine stores (``docker service inspect`` ``.Spec``) and tells whether
an existing service already matches, so that a re-run with the same options
triggers no service update.

Comparison rule: only what the user specified is compared.  Inside a section
the user gave (``update_config``, a mount, ...), keys the user left out are not
compared (the engine fills defaults there); user maps (labels, driver options)
are compared as a whole; a missing key equals an empty/false/zero value.
To clear a list (for example all published ports) give an empty list.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.dockyard.docker.plugins.module_utils import values
from ansible_collections.dockyard.docker.plugins.module_utils.container import forms

parse_duration = values.duration
parse_size = values.size
_nonneg_int = values.nonneg_int
_str_map = values.string_map


def _choice(value, choices, option):
    return values.choice(value, choices, option)


SpecError = values.SpecError

MODES = ("replicated", "global", "replicated-job", "global-job")
JOB_MODES = ("replicated-job", "global-job")
# mode option -> the key of the engine's Mode object
MODE_KEYS = {"replicated": "Replicated", "global": "Global", "replicated-job": "ReplicatedJob",
             "global-job": "GlobalJob"}
ENDPOINT_MODES = ("vip", "dnsrr")
PUBLISH_MODES = ("ingress", "host")
PROTOCOLS = ("tcp", "udp", "sctp")
UPDATE_FAILURE_ACTIONS = ("continue", "pause", "rollback")
ROLLBACK_FAILURE_ACTIONS = ("continue", "pause")
ORDERS = ("stop-first", "start-first")
RESTART_CONDITIONS = ("none", "on-failure", "any")
MOUNT_TYPES = ("volume", "bind", "tmpfs")
PROPAGATIONS = ("private", "rprivate", "shared", "rshared", "slave", "rslave")

# Paths whose value is a user map: compared and replaced as a whole.
MAP_PATHS = (
    "Labels",
    "TaskTemplate.ContainerSpec.Labels",
    "TaskTemplate.ContainerSpec.Mounts[].VolumeOptions.DriverConfig.Options",
    "TaskTemplate.ContainerSpec.Mounts[].VolumeOptions.Labels",
    "TaskTemplate.ContainerSpec.Sysctls",
    "TaskTemplate.LogDriver.Options",
)
# Lists whose order carries no meaning: compared sorted.
UNORDERED_PATHS = {
    "TaskTemplate.ContainerSpec.Env": None,
    "TaskTemplate.Placement.Constraints": None,
    "TaskTemplate.Networks": "Target",
    "TaskTemplate.ContainerSpec.Secrets": "SecretName",
    "TaskTemplate.ContainerSpec.Configs": "ConfigName",
    "TaskTemplate.ContainerSpec.CapabilityAdd": None,
    "TaskTemplate.ContainerSpec.CapabilityDrop": None,
    "TaskTemplate.ContainerSpec.Groups": None,
    "TaskTemplate.ContainerSpec.Hosts": None,
    "TaskTemplate.ContainerSpec.Ulimits": "Name",
    "TaskTemplate.ContainerSpec.DNSConfig.Options": None,
    "TaskTemplate.ContainerSpec.Mounts": "Target",
}


def _put(target, key, value):
    if value is not None:
        target[key] = value


def _env_list(env, env_files=None):
    """``env_files`` (read on the managed host, in order, a later file wins) with ``env`` on top."""
    files = values.string_list(env_files, "env_files")
    if env is None and files is None:
        return None
    merged = {}
    for path in files or []:
        merged.update(forms.read_env_file(path, "env_files"))
    if env is not None:
        merged.update(values.env_list(env, "env"))
    return sorted("%s=%s" % item for item in merged.items())


def _command(value, option):
    if value is not None and not isinstance(value, (str, list, tuple)):
        raise SpecError("%s must be a string or a list of strings, got %r" % (option, value))
    return values.command(value, option)


def _update_config(value, option, failure_actions):
    if value is None:
        return None
    values.mapping(value, option)
    out = {}
    _put(out, "Parallelism", _nonneg_int(value.get("parallelism"), option + ".parallelism"))
    _put(out, "Delay", parse_duration(value.get("delay"), option + ".delay"))
    _put(out, "FailureAction", _choice(value.get("failure_action"), failure_actions, option + ".failure_action"))
    _put(out, "Monitor", parse_duration(value.get("monitor"), option + ".monitor"))
    ratio = value.get("max_failure_ratio")
    if ratio is not None:
        try:
            ratio = float(ratio)
        except (TypeError, ValueError):
            raise SpecError("%s.max_failure_ratio must be a number between 0 and 1" % option)
        if not 0 <= ratio <= 1:
            raise SpecError("%s.max_failure_ratio must be between 0 and 1, got %s" % (option, ratio))
        out["MaxFailureRatio"] = ratio
    _put(out, "Order", _choice(value.get("order"), ORDERS, option + ".order"))
    return out


def _restart_config(value):
    if value is None:
        return None
    values.mapping(value, "restart_config")
    out = {}
    _put(out, "Condition", _choice(value.get("condition"), RESTART_CONDITIONS, "restart_config.condition"))
    _put(out, "Delay", parse_duration(value.get("delay"), "restart_config.delay"))
    _put(out, "MaxAttempts", _nonneg_int(value.get("max_attempts"), "restart_config.max_attempts"))
    _put(out, "Window", parse_duration(value.get("window"), "restart_config.window"))
    return out


def _healthcheck(value):
    return values.healthcheck(value, "healthcheck")


def _placement(value):
    if value is None:
        return None
    values.mapping(value, "placement")
    out = {}
    constraints = value.get("constraints")
    if constraints is not None:
        out["Constraints"] = sorted(values.string_list(constraints, "placement.constraints"))
    prefs = value.get("preferences")
    if prefs is not None:
        rendered = []
        for pref in values.sequence(prefs, "placement.preferences"):
            if not isinstance(pref, dict) or list(pref.keys()) != ["spread"]:
                raise SpecError("placement.preferences: each item must be {spread: node.labels.NAME}, got %s" % (values.shown(pref),))
            rendered.append({"Spread": {"SpreadDescriptor": str(pref["spread"])}})
        out["Preferences"] = rendered
    max_replicas = value.get("max_replicas")
    if max_replicas is None:
        max_replicas = value.get("replicas_max_per_node")
    _put(out, "MaxReplicas", _nonneg_int(max_replicas, "placement.max_replicas"))
    return out


def _resource_block(value, option):
    if value is None:
        return None
    values.mapping(value, option)
    out = {}
    _put(out, "NanoCPUs", values.cpus(value.get("cpus"), option + ".cpus"))
    _put(out, "MemoryBytes", parse_size(value.get("memory"), option + ".memory"))
    return out


def _resources(value, limits=None, reservations=None):
    """``resources: {limits, reservations}``, or community.docker's top-level ``limits``/``reservations``."""
    value = dict(values.mapping(value, "resources", ("limits", "reservations")) if value is not None else {})
    for key, given in (("limits", limits), ("reservations", reservations)):
        if given is not None:
            if value.get(key) is not None:
                raise SpecError("%s and resources.%s are the same setting: give one of them" % (key, key))
            value[key] = given
    if not value:
        return None
    values.mapping(value, "resources", ("limits", "reservations"))
    out = {}
    _put(out, "Limits", _resource_block(value.get("limits"), "resources.limits"))
    _put(out, "Reservations", _resource_block(value.get("reservations"), "resources.reservations"))
    return out


def _driver_config(mount, where):
    """community.docker's ``driver_config: {name, options}`` is ``driver`` + ``driver_opts`` here."""
    config = mount.get("driver_config")
    if not config:
        return mount
    if mount.get("driver") or mount.get("driver_opts"):
        raise SpecError("%s: driver_config and driver/driver_opts are the same setting: give one of them" % where)
    return dict(mount, driver=config.get("name"), driver_opts=config.get("options"))


def _mounts(value):
    if value is None:
        return None
    out = []
    for index, mount in enumerate(values.sequence(value, "mounts")):
        where = "mounts[%d]" % index
        values.mapping(mount, where)
        mount = _driver_config(mount, where)
        mtype = _choice(mount.get("type") or "volume", MOUNT_TYPES, where + ".type")
        target = mount.get("target")
        if not target:
            raise SpecError("%s.target is required" % where)
        source = mount.get("source")
        item = {"Type": mtype, "Target": target}
        if mtype == "bind" and not source:
            raise SpecError("%s: a bind mount needs source (a path on every node)" % where)
        if mtype != "bind" and mount.get("propagation"):
            raise SpecError("%s: propagation applies to type bind only" % where)
        if mtype != "volume" and mount.get("no_copy") is not None:
            raise SpecError("%s: no_copy applies to type volume only" % where)
        if mtype != "volume" and (mount.get("driver") or mount.get("driver_opts") or mount.get("labels")):
            raise SpecError("%s: driver, driver_opts and labels apply to type volume only" % where)
        if mtype != "tmpfs" and (mount.get("tmpfs_size") is not None or mount.get("tmpfs_mode") is not None):
            raise SpecError("%s: tmpfs_size and tmpfs_mode apply to type tmpfs only" % where)
        _put(item, "Source", source)
        item["ReadOnly"] = bool(mount.get("readonly"))
        if mount.get("propagation"):
            item["BindOptions"] = {"Propagation": _choice(mount["propagation"], PROPAGATIONS, where + ".propagation")}
        if mtype == "volume" and (mount.get("driver") or mount.get("driver_opts") or mount.get("labels")
                                  or mount.get("no_copy")):
            vol = {}
            if mount.get("no_copy"):
                vol["NoCopy"] = True
            if mount.get("driver") or mount.get("driver_opts"):
                driver = {"Name": mount.get("driver") or "local"}
                _put(driver, "Options", _str_map(mount.get("driver_opts"), where + ".driver_opts"))
                vol["DriverConfig"] = driver
            _put(vol, "Labels", _str_map(mount.get("labels"), where + ".labels"))
            item["VolumeOptions"] = vol
        if mtype == "tmpfs":
            tmpfs = {}
            _put(tmpfs, "SizeBytes", parse_size(mount.get("tmpfs_size"), where + ".tmpfs_size"))
            mode = mount.get("tmpfs_mode")
            if mode is not None:
                tmpfs["Mode"] = _file_mode(mode, where + ".tmpfs_mode")
            if tmpfs:
                item["TmpfsOptions"] = tmpfs
        out.append(item)
    return out


def _file_mode(value, option):
    return values.file_mode(value, option)


def _references(value, kind, ids):
    """secrets/configs: [{secret_name|config_name, filename, uid, gid, mode}] -> engine references."""
    if value is None:
        return None
    name_key = "%s_name" % kind
    out = []
    for index, ref in enumerate(values.sequence(value, kind + "s")):
        where = "%ss[%d]" % (kind, index)
        values.mapping(ref, where)
        name = ref.get(name_key)
        if not name:
            raise SpecError("%s.%s is required" % (where, name_key))
        given_id = ref.get("%s_id" % kind)
        if given_id and ids.get(name, given_id) != given_id:
            raise SpecError("%s: %s_id %s is not the ID of %s %r (%s); leave %s_id out, the name is enough"
                            % (where, kind, given_id, kind, name, ids[name], kind))
        if given_id and name not in ids:
            ids = dict(ids, **{name: given_id})
        if name not in ids:
            raise SpecError("%s: %s %s does not exist in the swarm; create it first (dockyard.docker.swarm_%s)"
                            % (where, kind, values.shown(name), kind))
        default_mode = 0o444
        item = {
            "File": {
                "Name": ref.get("filename") or name,
                "UID": str(ref.get("uid") if ref.get("uid") is not None else 0),
                "GID": str(ref.get("gid") if ref.get("gid") is not None else 0),
                "Mode": _file_mode(ref.get("mode"), where + ".mode") if ref.get("mode") is not None else default_mode,
            },
            "%sID" % kind.capitalize(): ids[name],
            "%sName" % kind.capitalize(): name,
        }
        out.append(item)
    return sorted(out, key=lambda r: r["%sName" % kind.capitalize()])


def _networks(value, ids):
    if value is None:
        return None
    out = []
    for index, net in enumerate(values.sequence(value, "networks")):
        if isinstance(net, str):
            net = {"name": net}
        if not isinstance(net, dict) or not net.get("name"):
            raise SpecError("networks[%d] must be a network name or {name, aliases}" % index)
        name = net["name"]
        if name not in ids:
            raise SpecError("networks[%d]: network %s does not exist; create it (driver overlay) first" % (index, values.shown(name)))
        item = {"Target": ids[name]}
        if net.get("aliases"):
            item["Aliases"] = [str(a) for a in net["aliases"]]
        out.append(item)
    return sorted(out, key=lambda n: n["Target"])


def _endpoint(params):
    mode = _choice(params.get("endpoint_mode"), ENDPOINT_MODES, "endpoint_mode")
    publish = params.get("publish")
    if mode is None and publish is None:
        return None
    out = {}
    _put(out, "Mode", mode)
    if publish is not None:
        ports = []
        for index, port in enumerate(values.sequence(publish, "publish")):
            where = "publish[%d]" % index
            values.mapping(port, where)
            target = values.integer(port.get("target_port"), where + ".target_port", minimum=0, maximum=65535)
            if not target:
                raise SpecError("%s.target_port is required (the port inside the task)" % where)
            item = {
                "Protocol": _choice(port.get("protocol") or "tcp", PROTOCOLS, where + ".protocol"),
                "TargetPort": target,
                "PublishMode": _choice(port.get("mode") or "ingress", PUBLISH_MODES, where + ".mode"),
            }
            published = values.integer(port.get("published_port"), where + ".published_port", minimum=0,
                                       maximum=65535)
            if published:
                item["PublishedPort"] = published
            ports.append(item)
        if mode == "dnsrr" and any(p["PublishMode"] == "ingress" for p in ports):
            raise SpecError(
                "endpoint_mode dnsrr cannot publish through the ingress routing mesh: set mode: host on every "
                "publish item, or use endpoint_mode: vip"
            )
        out["Ports"] = ports
    return out


def validate_mode(params):
    """Check mode/replicas combination, return the engine's Mode object (or None if unmanaged).

    ``replicas`` of a ``replicated-job`` is the number of completions (``TotalCompletions``); as with
    ``docker service create --mode replicated-job --replicas N``, up to N tasks run at once (``MaxConcurrent``).
    """
    given = params.get("mode")
    mode = _choice(given or "replicated", MODES, "mode")
    key = MODE_KEYS[mode]
    replicas = params.get("replicas")
    if mode in JOB_MODES:
        for option in ("update_config", "rollback_config"):
            if params.get(option) is not None:
                raise SpecError(
                    "%s cannot be used with mode: %s (a job runs its tasks to completion and is never rolled "
                    "out or rolled back); remove %s or use mode: replicated or global" % (option, mode, option))
    if replicas is not None:
        if isinstance(replicas, bool):
            raise SpecError("replicas must be an integer >= 0, got %s" % (values.shown(replicas),))
        try:
            replicas = values.integer(replicas, "replicas", minimum=0)
        except SpecError:
            raise SpecError("replicas must be an integer >= 0 (0 stops all tasks; at most %d), got %s"
                            % (values.INT64_MAX, values.shown(replicas)))
        if mode in ("global", "global-job"):
            raise SpecError(
                "replicas cannot be used with mode: %s (a global %s runs one task on every eligible "
                "node); remove replicas or use mode: replicated%s"
                % (mode, "job" if mode == "global-job" else "service", "-job" if mode == "global-job" else ""))
        if mode == "replicated-job":
            return {key: {"MaxConcurrent": replicas, "TotalCompletions": replicas}}
        return {key: {"Replicas": replicas}}
    if given is None:
        return None  # neither mode nor replicas given: an existing service keeps both
    return {key: {}}


def _hosts(value):
    """``{hostname: IP}`` (as community.docker) -> the engine's ``["IP hostname", ...]``."""
    entries = forms.parse_etc_hosts(value, "hosts")
    if entries is None:
        return None
    out = []
    for entry in entries:
        name, _sep, address = entry.partition(":")
        out.append("%s %s" % (address, name))
    return sorted(out)


def _dns_config(params):
    servers = values.string_list(params.get("dns"), "dns")
    for server in servers or []:
        values.ip_address(server, "dns item")
    out = {}
    _put(out, "Nameservers", servers)
    _put(out, "Search", values.string_list(params.get("dns_search"), "dns_search"))
    _put(out, "Options", values.string_list(params.get("dns_options"), "dns_options"))
    return out or None


def _logging(value):
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SpecError("logging must be a dict {driver, options}, got %s" % (values.shown(value),))
    unknown = values.unknown_keys(value, ("driver", "options"))
    if unknown:
        raise SpecError("logging: unknown keys %s; accepted keys: driver, options" % unknown)
    driver = values.string(value.get("driver"), "logging.driver")
    options = _str_map(value.get("options"), "logging.options")
    if not driver:
        if options:
            raise SpecError("logging.options needs logging.driver (for example json-file, local, syslog)")
        return None
    out = {"Name": driver}
    _put(out, "Options", options)
    return out


def _bool(params, option):
    return values.boolean(params.get(option), option)


def pin_image(image, digest):
    """``name[:tag]`` and the registry's digest -> ``name:tag@sha256:...`` (the form ``docker service create``
    records); an image already pinned by digest is kept as it is."""
    if not image or "@" in image:
        return image
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        image += ":latest"
    return "%s@%s" % (image, digest)


def build_spec(params, network_ids=None, secret_ids=None, config_ids=None):
    """Module options -> desired ServiceSpec (only the parts the user manages).

    Raises :class:`SpecError` with a message naming the option on bad input.
    """
    name = params.get("name")
    if not name:
        raise SpecError("name is required")
    spec = {"Name": name}
    _put(spec, "Labels", _str_map(params.get("labels"), "labels"))
    container = {}
    _put(container, "Image", params.get("image"))
    _put(container, "Command", _command(params.get("command"), "command"))
    _put(container, "Args", _command(params.get("args"), "args"))
    _put(container, "Env", _env_list(params.get("env"), params.get("env_files")))
    _put(container, "Labels", _str_map(params.get("container_labels"), "container_labels"))
    _put(container, "Hostname", values.string(params.get("hostname"), "hostname"))
    _put(container, "User", values.string(params.get("user"), "user"))
    _put(container, "Groups", values.string_list(params.get("groups"), "groups"))
    _put(container, "Dir", values.string(params.get("working_dir"), "working_dir"))
    _put(container, "Init", _bool(params, "init"))
    _put(container, "TTY", _bool(params, "tty"))
    _put(container, "OpenStdin", _bool(params, "stdin_open"))
    _put(container, "ReadOnly", _bool(params, "read_only"))
    _put(container, "StopSignal", values.signal_name(params.get("stop_signal"), "stop_signal"))
    _put(container, "StopGracePeriod", parse_duration(params.get("stop_grace_period"), "stop_grace_period"))
    _put(container, "Hosts", _hosts(params.get("hosts")))
    _put(container, "DNSConfig", _dns_config(params))
    _put(container, "Sysctls", forms.parse_sysctls(params.get("sysctls"), "sysctls"))
    _put(container, "CapabilityAdd", forms.parse_capabilities(params.get("cap_add"), "cap_add"))
    _put(container, "CapabilityDrop", forms.parse_capabilities(params.get("cap_drop"), "cap_drop"))
    _put(container, "Ulimits", forms.parse_ulimits(params.get("ulimits"), "ulimits"))
    _put(container, "Mounts", _mounts(params.get("mounts")))
    _put(container, "Healthcheck", _healthcheck(params.get("healthcheck")))
    _put(container, "Secrets", _references(params.get("secrets"), "secret", secret_ids or {}))
    _put(container, "Configs", _references(params.get("configs"), "config", config_ids or {}))
    task = {"ContainerSpec": container}
    _put(task, "LogDriver", _logging(params.get("logging")))
    _put(task, "RestartPolicy", _restart_config(params.get("restart_config")))
    _put(task, "Placement", _placement(params.get("placement")))
    _put(task, "Resources", _resources(params.get("resources"), params.get("limits"), params.get("reservations")))
    _put(task, "Networks", _networks(params.get("networks"), network_ids or {}))
    spec["TaskTemplate"] = task
    _put(spec, "Mode", validate_mode(params))
    _put(spec, "UpdateConfig", _update_config(params.get("update_config"), "update_config", UPDATE_FAILURE_ACTIONS))
    _put(spec, "RollbackConfig",
         _update_config(params.get("rollback_config"), "rollback_config", ROLLBACK_FAILURE_ACTIONS))
    _put(spec, "EndpointSpec", _endpoint(params))
    return spec


# ---------------------------------------------------------------- comparison

def _is_empty(value):
    return value is None or value is False or value == 0 or value == "" or value == [] or value == {}


def _is_map_path(path):
    return path in MAP_PATHS


def _sorted_list(path, value):
    key = UNORDERED_PATHS.get(path, "missing")
    if key == "missing" or not isinstance(value, list):
        return value
    if key is None:
        return sorted(value, key=str)
    return sorted(value, key=lambda item: str(item.get(key)) if isinstance(item, dict) else str(item))


def _normalize_image(desired, current):
    """The CLI pins ``image@sha256:...``; when the user gave no digest, compare without it."""
    if isinstance(desired, str) and isinstance(current, str) and "@" not in desired and "@" in current:
        return current.split("@", 1)[0]
    return current


def differences(desired, current, path=""):
    """Paths where ``current`` does not match the user-managed parts of ``desired``."""
    found = []
    if isinstance(desired, dict) and not _is_map_path(path):
        if not isinstance(current, dict):
            if _is_empty(current) and all(_is_empty(v) for v in desired.values()):
                return found
            return [path or "."]
        for key, value in desired.items():
            sub = "%s.%s" % (path, key) if path else key
            found.extend(differences(value, current.get(key), sub))
        return found
    if isinstance(desired, dict):  # user map: whole comparison
        if (current or {}) != desired:
            found.append(path)
        return found
    if isinstance(desired, list):
        if _is_empty(current) and not desired:
            return found
        if not isinstance(current, list) or len(current) != len(desired):
            return [path]
        want = _sorted_list(path, desired)
        have = _sorted_list(path, current)
        for index, (w_item, h_item) in enumerate(zip(want, have)):
            item_path = path + "[]"
            sub = differences(w_item, h_item, item_path)
            if sub:
                return [path]
            del index
        return found
    if path == "TaskTemplate.ContainerSpec.Image":
        current = _normalize_image(desired, current)
    if _is_empty(desired) and _is_empty(current):
        return found
    if isinstance(desired, float) or isinstance(current, float):
        try:
            if abs(float(desired) - float(current)) < 1e-9:
                return found
        except (TypeError, ValueError):
            pass
    if desired != current:
        found.append(path)
    return found


def merge_spec(current, desired, path=""):
    """New full spec for an update: ``current`` with the user-managed parts of ``desired`` applied."""
    if isinstance(desired, dict) and isinstance(current, dict) and not _is_map_path(path):
        merged = copy.deepcopy(current)
        for key, value in desired.items():
            sub = "%s.%s" % (path, key) if path else key
            merged[key] = merge_spec(current.get(key), value, sub)
        return merged
    return copy.deepcopy(desired)


def mode_kind(mode):
    """The engine's Mode object -> ``replicated``, ``global``, ``replicated-job`` or ``global-job``."""
    if not mode:
        return "replicated"
    for name, key in MODE_KEYS.items():
        if key in mode:
            return name
    return "replicated"


def is_job(mode):
    return mode_kind(mode) in JOB_MODES


def needs_recreate(desired, current):
    """The engine cannot switch a service between replicated, global and the job modes: say so (or None)."""
    if not desired.get("Mode"):
        return None
    want = mode_kind(desired.get("Mode"))
    have = mode_kind(current.get("Mode"))
    if want != have:
        return "mode changes from %s to %s, which the engine only allows by recreating the service" % (have, want)
    return None


def force_update(desired, current):
    """``force_update``: ``desired`` with ``TaskTemplate.ForceUpdate`` one past the service's, so the tasks are
    replaced even when nothing else changed (``docker service update --force``)."""
    bumped = copy.deepcopy(desired)
    counter = ((current or {}).get("TaskTemplate") or {}).get("ForceUpdate") or 0
    bumped.setdefault("TaskTemplate", {})["ForceUpdate"] = int(counter) + 1
    return bumped


def creation_mode(mode):
    """The Mode a new service is created with: left-out counts filled as ``docker service create`` fills them."""
    mode = copy.deepcopy(mode) or {"Replicated": {}}
    if "Replicated" in mode and mode["Replicated"].get("Replicas") is None:
        mode["Replicated"]["Replicas"] = 1
    if "ReplicatedJob" in mode:
        job = mode["ReplicatedJob"]
        if job.get("TotalCompletions") is None:
            job["TotalCompletions"] = job.get("MaxConcurrent") or 1
        if job.get("MaxConcurrent") is None:
            job["MaxConcurrent"] = job["TotalCompletions"]
    return mode


ACTIVE_TASK_STATES = ("new", "pending", "assigned", "accepted", "preparing", "ready", "starting", "running")


def job_progress(service, tasks):
    """A job's tasks of its current run -> (done, completed tasks, expected count, summary).

    A job is done when its tasks have *completed* (exited 0), not when they run: a ``replicated-job`` when
    ``TotalCompletions`` tasks have completed, a ``global-job`` when every node given a task has completed it.
    Tasks of an earlier run (before an update re-ran the job) are not counted.
    """
    spec = service.get("Spec") or {}
    mode = spec.get("Mode") or {}
    iteration = ((service.get("JobStatus") or {}).get("JobIteration") or {}).get("Index")
    current = [t for t in tasks if iteration is None
               or ((t.get("JobIteration") or {}).get("Index")) == iteration]
    completed = [t for t in current if (t.get("Status") or {}).get("State") == "complete"]
    active = [t for t in current if (t.get("Status") or {}).get("State") in ACTIVE_TASK_STATES
              and t.get("DesiredState") != "shutdown"]
    if "ReplicatedJob" in mode:
        expected = int((mode["ReplicatedJob"] or {}).get("TotalCompletions") or 0)
        done = len(completed) >= expected
    else:
        nodes = set(t.get("NodeID") for t in current if t.get("DesiredState") != "shutdown")
        expected = len(nodes)
        done = expected > 0 and not active and len(set(t.get("NodeID") for t in completed)) >= expected
    summary = "%d of %d job task(s) completed, %d still running" % (len(completed), expected, len(active))
    return done, completed, expected, summary


def ipvs_requirements(spec):
    """Why this (effective) spec needs the kernel's IPVS, as a list of reasons (empty: it does not).

    The ingress routing mesh (publish mode ingress) and virtual-IP load balancing
    (endpoint_mode vip on a service attached to a network or publishing ports)
    are implemented with IPVS on every node.
    """
    endpoint = spec.get("EndpointSpec") or {}
    ports = endpoint.get("Ports") or []
    reasons = []
    ingress = ["%s/%s" % (p.get("PublishedPort") or p.get("TargetPort"), p.get("Protocol") or "tcp")
               for p in ports if (p.get("PublishMode") or "ingress") == "ingress"]
    if ingress:
        reasons.append("publish through the ingress routing mesh (%s)" % ", ".join(ingress))
    mode = endpoint.get("Mode") or "vip"
    attached = spec.get("TaskTemplate", {}).get("Networks") or spec.get("Networks")
    if mode == "vip" and (attached or ports):
        reasons.append("endpoint_mode vip (the default) on a service attached to a network")
    return reasons


def ipvs_refusal(reasons, node=None):
    where = " on %s" % node if node else ""
    return (
        "This service needs the kernel's IPVS (ip_vs) for %s, but%s /proc/net/ip_vs is absent and the ip_vs "
        "module cannot be loaded: the service would show Running while every connection is refused or times "
        "out. Fix: use endpoint_mode: dnsrr and publish items with mode: host, or load ip_vs on every node "
        "(modprobe ip_vs). Set ignore_ipvs_check: true to create it anyway."
        % (" and ".join(reasons), where)
    )
