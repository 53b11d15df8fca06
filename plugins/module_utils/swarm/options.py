# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every option of a Swarm service (``swarm_service``), declared once.

Each :class:`Option` row holds all there is to know about one option:

* ``spec``      its Ansible argument spec entry (with ``description`` for the docs);
* ``path``      where its value lives in the engine's service spec (``docker service inspect`` ``.Spec``);
* ``build``     ``(params, ids, name)`` -> the engine value at ``path`` (``None``: not given, nothing is written),
                raising ``SpecError`` naming the option on bad input; ``ids`` maps network, secret and config
                names to their IDs;
* ``built_by``  for an option that only makes sense with another (``replicas`` with ``mode``, ``publish`` with
                ``endpoint_mode``, ...): the row whose ``build`` reads both;
* ``compare``   how the value at ``path`` compares with the service's: ``strict`` (equal; inside a dict only the
                keys given are compared), ``unordered`` (a list compared as a set, items of dicts matched by
                ``key``) or ``map`` (a user map, compared and replaced as a whole); ``inner`` gives the rule of
                paths inside the value (a mount's driver options ...);
* ``unset``     what leaving the option out means;
* ``compose``   the key of a Compose service whose value is this option's as it is (``stack`` translates it so).

The module's argument spec (:func:`argument_spec`), its option docs (the doc fragment
``swarm_service_options``, written by ``tools/gen_container_docs.py``), the swarm role's item spec, the spec
built (:func:`build`) and the comparison rules (:data:`MAP_PATHS`, :data:`UNORDERED_PATHS`, used by
``service_spec.differences``) all come from this table.  Rows without ``path`` steer the module (``state``,
``wait``, ...) and are never compared.

The rows are in the order the engine spec is built: the first error is the one an earlier option gives, and
the spec's keys come in this order (so do the difference paths reported).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.dockyard.docker.plugins.module_utils import option_table
from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing import forms

parse_duration = values.duration
parse_size = values.size
_nonneg_int = values.nonneg_int
_str_map = values.string_map

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

CONTAINER = "TaskTemplate.ContainerSpec."
STRICT = "strict"
UNORDERED = "unordered"
MAP = "map"
COMPARES = (STRICT, UNORDERED, MAP)
# Only what is given is compared: whatever the service has for an option left out stays as it is.
KEPT = "The service keeps what it has; not compared."


# --------------------------------------------------------------------------- the rows' builders


def _choice(value, choices, option):
    return values.choice(value, choices, option)


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


def _dns_servers(value):
    servers = values.string_list(value, "dns")
    for server in servers or []:
        values.ip_address(server, "dns item")
    return servers


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


def _name(params, ids, name):
    if not params.get("name"):
        raise SpecError("name is required")
    return params["name"]


def _value(parse):
    """A row whose value is ``parse(value, option name)`` of its own option alone."""
    return lambda params, ids, name: parse(params.get(name), name)


# --------------------------------------------------------------------------- the table


doc = option_table.doc


def _rollout_options(done, a_rollout, failure_actions):
    """The sub-options of update_config and rollback_config: the same keys, worded for the one or the other."""
    return dict(
        parallelism=dict(type="int", description=doc("Tasks %s at once (0 = all)." % done)),
        delay=dict(type="str", description=doc("Pause between batches, for example V(10s) or seconds.")),
        failure_action=dict(type="str", choices=list(failure_actions), description=doc(
            "What to do when %s fails." % a_rollout)),
        monitor=dict(type="str", description=doc(
            "Time to watch each task after %s for failure, for example V(5s)." % a_rollout)),
        max_failure_ratio=dict(type="float", description=doc(
            "Failure ratio (0 to 1) tolerated during %s." % a_rollout)),
        order=dict(type="str", choices=list(ORDERS), description=doc(
            "V(stop-first) stops the old task first, V(start-first) starts the new one first.")))


class Option(object):
    """One service option (see the module docstring for the fields)."""

    def __init__(self, name, spec, path=None, build=None, built_by=None, compare=STRICT, key=None, inner=None,
                 unset=None, compose=None):
        self.name = name
        self.spec = spec
        self.path = path
        self.build = build
        self.built_by = built_by
        self.compare = compare if path else None
        self.key = key
        self.inner = inner or {}
        if unset is None:
            unset = KEPT if path else ("Default %s." % values.shown(spec["default"]) if "default" in spec else
                                       "Not used.")
        self.unset = unset
        self.compose = compose


OPTIONS = [
    Option("name", dict(type="str", required=True, description=doc(
        "Service name.")),
        path="Name", build=_name, unset="Required: the name finds the service."),
    Option("labels", dict(type="dict", description=doc(
        "Service labels (compared as a whole).")),
        path="Labels", build=_value(_str_map), compare=MAP),
    Option("image", dict(type="str", description=doc(
        "Image of the tasks. Required to create a service. The image must be on every node that may run a task "
        "(see the M(dockyard.docker.image) module for hosts without a registry).")),
        path=CONTAINER + "Image", build=lambda params, ids, name: params.get("image")),
    Option("command", dict(type="raw", description=doc(
        "Replaces the image's entrypoint; a string is split like a shell would.")),
        path=CONTAINER + "Command", build=_value(_command)),
    Option("args", dict(type="list", elements="str", description=doc(
        "Arguments of the command (the image's CMD).")),
        path=CONTAINER + "Args", build=_value(_command)),
    Option("env", dict(type="raw", description=doc(
        "Environment variables, a dict or a list of C(KEY=VALUE) strings.")),
        path=CONTAINER + "Env", build=lambda params, ids, name: _env_list(params.get("env"), params.get("env_files")),
        compare=UNORDERED),
    Option("env_files", dict(type="list", elements="path", description=doc(
        "Files of C(KEY=VALUE) lines (C(#) comments and blank lines allowed), read on the managed host, whose "
        "variables are given to the tasks. A later file wins over an earlier one and O(env) wins over them all.")),
        path=CONTAINER + "Env", built_by="env"),
    Option("container_labels", dict(type="dict", description=doc(
        "Labels of the task containers (the service's own labels are O(labels)); compared as a whole.")),
        path=CONTAINER + "Labels", build=_value(_str_map), compare=MAP),
    Option("hostname", dict(type="str", description=doc(
        "Host name inside the tasks (may use Go templates such as V({{.Task.Slot}}), as the CLI does).")),
        path=CONTAINER + "Hostname", build=_value(values.string), compose="hostname"),
    Option("user", dict(type="str", description=doc(
        "User (name or UID, optionally C(:group)) the task's process runs as.")),
        path=CONTAINER + "User", build=_value(values.string), compose="user"),
    Option("groups", dict(type="list", elements="str", description=doc(
        "Additional groups the task's user belongs to (names or GIDs); compared as a set.")),
        path=CONTAINER + "Groups", build=_value(values.string_list), compare=UNORDERED, compose="group_add"),
    Option("working_dir", dict(type="str", description=doc(
        "Working directory of the task's process.")),
        path=CONTAINER + "Dir", build=_value(values.string), compose="working_dir"),
    Option("init", dict(type="bool", description=doc(
        "Run an init process (PID 1) in each task that reaps zombies and forwards signals.")),
        path=CONTAINER + "Init", build=_value(values.boolean), compose="init"),
    Option("tty", dict(type="bool", description=doc(
        "Give each task a pseudo-TTY.")),
        path=CONTAINER + "TTY", build=_value(values.boolean), compose="tty"),
    Option("stdin_open", dict(type="bool", description=doc(
        "Keep the task's standard input open (C(OpenStdin), as C(stdin_open) of a Compose service). "
        "community.docker's module has no such option.")),
        path=CONTAINER + "OpenStdin", build=_value(values.boolean), compose="stdin_open"),
    Option("read_only", dict(type="bool", description=doc(
        "Mount the task's root filesystem read-only (add O(mounts) of type V(tmpfs) where it must write).")),
        path=CONTAINER + "ReadOnly", build=_value(values.boolean), compose="read_only"),
    Option("stop_signal", dict(type="str", description=doc(
        "Signal that stops a task, for example V(SIGTERM) or V(SIGQUIT) (V(TERM) is the same as V(SIGTERM)).")),
        path=CONTAINER + "StopSignal", build=_value(values.signal_name), compose="stop_signal"),
    Option("stop_grace_period", dict(type="str", description=doc(
        "Time a task gets to stop after O(stop_signal) before it is killed, for example V(30s) or V(1m30s).")),
        path=CONTAINER + "StopGracePeriod", build=_value(parse_duration), compose="stop_grace_period"),
    Option("hosts", dict(type="dict", description=doc(
        "Extra C(/etc/hosts) entries of the tasks, host name to IP address, for example C(db.internal) to "
        "V(10.0.0.5); the engine stores them as C(IP hostname). Compared as a whole.")),
        path=CONTAINER + "Hosts", build=lambda params, ids, name: _hosts(params.get("hosts")), compare=UNORDERED),
    Option("dns", dict(type="list", elements="str", description=doc(
        "DNS servers (IP addresses) of the tasks, in order.")),
        path=CONTAINER + "DNSConfig.Nameservers", build=lambda params, ids, name: _dns_servers(params.get("dns")),
        compose="dns"),
    Option("dns_search", dict(type="list", elements="str", description=doc(
        "DNS search domains of the tasks.")),
        path=CONTAINER + "DNSConfig.Search", build=_value(values.string_list), compose="dns_search"),
    Option("dns_options", dict(type="list", elements="str", description=doc(
        "Resolver options of the tasks, for example V(ndots:2) or V(timeout:2).")),
        path=CONTAINER + "DNSConfig.Options", build=_value(values.string_list), compare=UNORDERED, compose="dns_opt"),
    Option("sysctls", dict(type="dict", description=doc(
        "Namespaced kernel parameters of the tasks, for example C(net.core.somaxconn) V(1024); compared as a "
        "whole.")),
        path=CONTAINER + "Sysctls", build=_value(forms.parse_sysctls), compare=MAP),
    Option("cap_add", dict(type="list", elements="str", description=doc(
        "Linux capabilities added to each task, for example V(NET_ADMIN) (with or without C(CAP_), any case; "
        "V(ALL) for all). Compared as a set. Needs engine API 1.41.")),
        path=CONTAINER + "CapabilityAdd", build=_value(forms.parse_capabilities), compare=UNORDERED,
        compose="cap_add"),
    Option("cap_drop", dict(type="list", elements="str", description=doc(
        "Linux capabilities dropped from each task, as for O(cap_add).")),
        path=CONTAINER + "CapabilityDrop", build=_value(forms.parse_capabilities), compare=UNORDERED,
        compose="cap_drop"),
    Option("ulimits", dict(type="list", elements="str", description=doc(
        "Resource limits of the tasks, C(NAME:SOFT[:HARD]) as for M(dockyard.docker.container), for example "
        "V(nofile:1024:2048). Compared as a set. community.docker's module has no such option.")),
        path=CONTAINER + "Ulimits", build=_value(forms.parse_ulimits), compare=UNORDERED, key="Name"),
    Option("mounts", dict(type="list", elements="dict", options=dict(
        source=dict(type="str", description=doc(
            "Volume name, or host path for V(bind). The engine keeps but does not use one for V(tmpfs).")),
        target=dict(type="str", required=True, description=doc(
            "Path inside the task.")),
        type=dict(type="str", default="volume", choices=list(MOUNT_TYPES), description=doc(
            "V(volume) is local to each node unless O(mounts[].driver) shares it, V(bind) a host path on each "
            "node, V(tmpfs) memory.")),
        readonly=dict(type="bool", default=False, description=doc(
            "Mount read-only.")),
        driver=dict(type="str", description=doc(
            "Volume driver (type V(volume) only).")),
        driver_opts=dict(type="dict", description=doc(
            "Options of the volume driver (type V(volume) only).")),
        labels=dict(type="dict", description=doc(
            "Labels of the volume created on each node (type V(volume) only).")),
        tmpfs_size=dict(type="str", description=doc(
            "Size of a V(tmpfs) mount, for example V(64m).")),
        tmpfs_mode=dict(type="raw", description=doc(
            "Permission of a V(tmpfs) mount, octal text such as V('1777') or an integer (a YAML V(0o1777) or "
            "V(1023), as community.docker takes it).")),
        propagation=dict(type="str", choices=list(PROPAGATIONS), description=doc(
            "Bind propagation (type V(bind) only).")),
        no_copy=dict(type="bool", description=doc(
            "Do not copy the image's files into a new volume (type V(volume) only).")),
        driver_config=dict(type="dict", options=dict(
            name=dict(type="str", description=doc(
                "Volume driver.")),
            options=dict(type="dict", description=doc(
                "Options of the volume driver."))), description=doc(
            "community.docker's form of O(mounts[].driver) and O(mounts[].driver_opts) (type V(volume) only); give "
            "one form or the other."))), description=doc(
        "Mounts of each task.")),
        path=CONTAINER + "Mounts", build=lambda params, ids, name: _mounts(params.get("mounts")), compare=UNORDERED,
        key="Target", inner={"[].VolumeOptions.DriverConfig.Options": MAP, "[].VolumeOptions.Labels": MAP}),
    Option("healthcheck", dict(type="dict", options=dict(
        test=dict(type="raw", description=doc(
            "A shell command string, or a list (V(CMD) / V(CMD-SHELL) / V(NONE) form).")),
        interval=dict(type="str", description=doc(
            "Time between checks.")),
        timeout=dict(type="str", description=doc(
            "Time a check may take.")),
        retries=dict(type="int", description=doc(
            "Consecutive failures that make a task unhealthy.")),
        start_period=dict(type="str", description=doc(
            "Start-up time during which failures do not count."))), description=doc(
        "Health check of the tasks; an unhealthy task is replaced.")),
        path=CONTAINER + "Healthcheck", build=lambda params, ids, name: _healthcheck(params.get("healthcheck"))),
    Option("secrets", dict(type="list", elements="dict", no_log=False, options=dict(
        secret_name=dict(type="str", required=True, description=doc(
            "Name of the secret.")),
        secret_id=dict(type="str", no_log=False, description=doc(
            "ID of the secret. Not needed (the name is looked up); when given it must be the ID of "
            "O(secrets[].secret_name).")),
        filename=dict(type="str", aliases=["target"], description=doc(
            "File name under C(/run/secrets) (default the secret's name).")),
        uid=dict(type="str", description=doc(
            "Owner UID of the file.")),
        gid=dict(type="str", description=doc(
            "Owner GID of the file.")),
        mode=dict(type="raw", description=doc(
            "File mode, octal text such as V('0400') or an integer as community.docker takes it (a YAML V(0o400) "
            "or V(256)); default V('0444')."))), description=doc(
        "Swarm secrets given to the tasks, by name (they must exist).")),
        path=CONTAINER + "Secrets", build=lambda params, ids, name: _references(params.get("secrets"), "secret", ids["secrets"]),
        compare=UNORDERED, key="SecretName"),
    Option("configs", dict(type="list", elements="dict", options=dict(
        config_name=dict(type="str", required=True, description=doc(
            "Name of the config.")),
        config_id=dict(type="str", description=doc(
            "ID of the config. Not needed (the name is looked up); when given it must be the ID of "
            "O(configs[].config_name).")),
        filename=dict(type="str", aliases=["target"], description=doc(
            "Path of the file in the task (default the config's name, relative to C(/)).")),
        uid=dict(type="str", description=doc(
            "Owner UID of the file.")),
        gid=dict(type="str", description=doc(
            "Owner GID of the file.")),
        mode=dict(type="raw", description=doc(
            "File mode, octal text such as V('0400') or an integer (a YAML V(0o400) or V(256)); default V('0444')."))), description=doc(
        "Swarm configs given to the tasks, by name (they must exist).")),
        path=CONTAINER + "Configs", build=lambda params, ids, name: _references(params.get("configs"), "config", ids["configs"]),
        compare=UNORDERED, key="ConfigName"),
    Option("logging", dict(type="dict", options=dict(
        driver=dict(type="str", description=doc(
            "Driver name, for example V(json-file), V(local), V(syslog), V(none).")),
        options=dict(type="dict", description=doc(
            "Options of the driver, for example C(max-size) V(10m); compared as a whole."))), description=doc(
        "Logging driver of the tasks.")),
        path="TaskTemplate.LogDriver", build=lambda params, ids, name: _logging(params.get("logging")),
        inner={".Options": MAP}),
    Option("restart_config", dict(type="dict", options=dict(
        condition=dict(type="str", choices=list(RESTART_CONDITIONS), description=doc(
            "Restart condition.")),
        delay=dict(type="str", description=doc(
            "Delay between restarts, for example V(5s).")),
        max_attempts=dict(type="int", description=doc(
            "Restarts before giving up (0 = unlimited).")),
        window=dict(type="str", description=doc(
            "Window used to evaluate the restart policy."))), description=doc(
        "When the swarm restarts a task.")),
        path="TaskTemplate.RestartPolicy", build=lambda params, ids, name: _restart_config(params.get("restart_config"))),
    Option("placement", dict(type="dict", options=dict(
        constraints=dict(type="list", elements="str", description=doc(
            "Constraints such as V(node.role==worker) or V(node.labels.zone==a).")),
        preferences=dict(type="list", elements="dict", description=doc(
            "Spread preferences, each C({spread: node.labels.NAME}).")),
        max_replicas=dict(type="int", aliases=["replicas_max_per_node"], description=doc(
            "Maximum tasks per node (0 = unlimited). community.docker calls it C(replicas_max_per_node)."))), description=doc(
        "Where tasks may run.")),
        path="TaskTemplate.Placement", build=lambda params, ids, name: _placement(params.get("placement")),
        inner={".Constraints": UNORDERED}),
    Option("resources", dict(type="dict", options=dict(
        limits=dict(type="dict", description=doc(
            "C(cpus) (for example V(0.5)) and C(memory) (for example V(256m)).")),
        reservations=dict(type="dict", description=doc(
            "C(cpus) and C(memory) reserved on the node."))), description=doc(
        "Resource limits and reservations of each task.")),
        path="TaskTemplate.Resources",
        build=lambda params, ids, name: _resources(params.get("resources"), params.get("limits"), params.get("reservations"))),
    Option("limits", dict(type="dict", options=dict(
        cpus=dict(type="float", description=doc(
            "CPU limit, for example V(0.5).")),
        memory=dict(type="str", description=doc(
            "Memory limit, for example V(256m)."))), description=doc(
        "community.docker's form of O(resources.limits), accepted as it is; give one of the two.")),
        path="TaskTemplate.Resources.Limits", built_by="resources"),
    Option("reservations", dict(type="dict", options=dict(
        cpus=dict(type="float", description=doc(
            "CPUs reserved on the node.")),
        memory=dict(type="str", description=doc(
            "Memory reserved on the node."))), description=doc(
        "community.docker's form of O(resources.reservations), accepted as it is; give one of the two.")),
        path="TaskTemplate.Resources.Reservations", built_by="resources"),
    Option("networks", dict(type="list", elements="raw", description=doc(
        "Networks (overlay) to attach, by name, as strings or C({name, aliases}) dicts.")),
        path="TaskTemplate.Networks", build=lambda params, ids, name: _networks(params.get("networks"), ids["networks"]),
        compare=UNORDERED, key="Target"),
    Option("mode", dict(type="str", choices=list(MODES), description=doc(
        "V(replicated) runs O(replicas) tasks, V(global) one task on every eligible node.",
        "V(replicated-job) runs tasks to completion until O(replicas) of them have completed (exited 0), up to "
        "O(replicas) at once (as C(docker service create --mode replicated-job --replicas N)); V(global-job) runs "
        "one task to completion on every eligible node. With O(wait=true) the module waits until the tasks have "
        "completed, not until they run. A job takes neither O(update_config) nor O(rollback_config); a changed job "
        "spec runs the job again.",
        "A new service is V(replicated) when left out; an existing service keeps its mode.",
        "The engine cannot switch between these modes; such a change removes and recreates the service.")),
        path="Mode", build=lambda params, ids, name: validate_mode(params), unset=(
        "An existing service keeps its mode and count; a new one is replicated with 1 task.")),
    Option("replicas", dict(type="int", description=doc(
        "Number of tasks of a V(replicated) service (0 or more), or the number of completions of a "
        "V(replicated-job) (the engine's C(TotalCompletions), as community.docker sets it). Not allowed with "
        "O(mode=global) or O(mode=global-job).",
        "When left out, a new service gets 1 and an existing one keeps its count.")),
        path="Mode", built_by="mode", unset=(
        "An existing service keeps its count; a new one gets 1 (1 completion for a replicated-job).")),
    Option("update_config", dict(type="dict", options=_rollout_options("updated", "an update", UPDATE_FAILURE_ACTIONS),
                                 description=doc("How updates roll out. Not allowed with the job modes.")),
           path="UpdateConfig",
           build=lambda params, ids, name: _update_config(params.get("update_config"), "update_config", UPDATE_FAILURE_ACTIONS)),
    Option("rollback_config", dict(type="dict", options=_rollout_options("rolled back", "a rollback",
                                                                         ROLLBACK_FAILURE_ACTIONS),
                                   description=doc("How rollbacks roll out. Not allowed with the job modes.")),
           path="RollbackConfig",
           build=lambda params, ids, name: _update_config(params.get("rollback_config"), "rollback_config",
                                                          ROLLBACK_FAILURE_ACTIONS)),
    Option("endpoint_mode", dict(type="str", choices=list(ENDPOINT_MODES), description=doc(
        "V(vip) gives the service a virtual IP load balanced with IPVS; V(dnsrr) makes the service name resolve to "
        "every task (DNS round robin). V(dnsrr) publishes only in V(host) mode.")),
        path="EndpointSpec", build=lambda params, ids, name: _endpoint(params)),
    Option("publish", dict(type="list", elements="dict", options=dict(
        published_port=dict(type="int", description=doc(
            "Port on the nodes. Left out, the engine picks one (ingress) or uses a random one (host).")),
        target_port=dict(type="int", required=True, description=doc(
            "Port inside the task.")),
        protocol=dict(type="str", default="tcp", choices=list(PROTOCOLS), description=doc(
            "Protocol.")),
        mode=dict(type="str", default="ingress", choices=list(PUBLISH_MODES), description=doc(
            "V(ingress) publishes on every node through the routing mesh (needs IPVS), V(host) only on the nodes "
            "running a task, directly."))), description=doc(
        "Published ports.")),
        path="EndpointSpec.Ports", built_by="endpoint_mode"),
    Option("state", dict(type="str", default="present", choices=["present", "absent"], description=doc(
        "V(present) creates or updates, V(absent) removes."))),
    Option("force_update", dict(type="bool", default=False, description=doc(
        "V(true) replaces every task even when the spec has not changed (C(docker service update --force)); the "
        "spec's C(ForceUpdate) counter is increased, so the task is always reported as changed."))),
    Option("resolve_image", dict(type="bool", default=False, description=doc(
        "V(true) asks the image's registry, through the engine, for the digest of O(image) and pins the service to "
        "C(image:tag@sha256:...), as C(docker service create) does by default. An image pushed again under the "
        "same tag then updates the service on the next run; an unchanged registry changes nothing. The credentials "
        "of O(with_registry_auth) are used for the question when that is V(true).",
        "Check mode asks the registry too. Fails, changing nothing, when the registry does not answer.",
        "V(false) (the default) uses the image as given (nodes pull it or must have it, see "
        "M(dockyard.docker.image))."))),
    Option("with_registry_auth", dict(type="bool", default=False, description=doc(
        "V(true) sends the registry credentials of O(image)'s registry, from the Docker client config of the user "
        "the module runs as on the manager (see M(dockyard.docker.login)), with the create or update, so that "
        "nodes that never logged in can pull a private image (C(docker service create --with-registry-auth)). The "
        "swarm keeps them with the service and hands them to the nodes that run its tasks. Fails, changing "
        "nothing, when that config has no credentials for the registry.",
        "V(false) sends none (as the C(docker) CLI by default), so nodes pull with their own credentials, if any."))),
    Option("wait", dict(type="bool", default=True, description=doc(
        "Wait until the running tasks equal the desired tasks (for a job, until its tasks have completed)."))),
    Option("wait_timeout", dict(type="int", default=120, description=doc(
        "Seconds to wait with O(wait=true) before failing with the tasks' errors."))),
    Option("ignore_ipvs_check", dict(type="bool", default=False, description=doc(
        "Create or update a service that needs IPVS (ingress publishing or VIP mode) even though the node has "
        "none.",
        "Only for kernels where the check is wrong; otherwise the service will not answer."))),
]

BY_NAME = dict((option.name, option) for option in OPTIONS)
# Compose service key -> the option it is given to unchanged, in the table's order.
COMPOSE_KEYS = dict((option.compose, option.name) for option in OPTIONS if option.compose)


def suboptions(name):
    """The keys an option's dict (or each item of its list) takes, in the table's order."""
    return tuple(BY_NAME[name].spec["options"])


def _rules():
    maps, unordered = [], {}
    for option in OPTIONS:
        if option.build is None:
            continue
        rules = [(option.path, option.compare, option.key)]
        rules.extend((option.path + sub, rule, None) for sub, rule in option.inner.items())
        for path, rule, key in rules:
            if rule == MAP:
                maps.append(path)
            elif rule == UNORDERED:
                unordered[path] = key
    return tuple(maps), unordered


# Paths whose value is a user map (compared and replaced as a whole), and lists whose order carries no meaning
# (compared sorted, by the item key given, or by the item itself for None).
MAP_PATHS, UNORDERED_PATHS = _rules()


def _key_order():
    """{path of a dict in the spec: its keys in the order the table builds them}."""
    order = {}
    for option in OPTIONS:
        if option.build is None:
            continue
        parts = option.path.split(".")
        for depth in range(len(parts)):
            keys = order.setdefault(".".join(parts[:depth]), [])
            if parts[depth] not in keys:
                keys.append(parts[depth])
    return order


KEY_ORDER = _key_order()


def _ordered(value, path=""):
    keys = KEY_ORDER.get(path)
    if keys is None or not isinstance(value, dict):
        return value
    rank = dict((key, index) for index, key in enumerate(keys))
    return dict((key, _ordered(value[key], "%s.%s" % (path, key) if path else key))
                for key in sorted(value, key=lambda key: rank.get(key, len(rank))))


def _set(spec, path, value):
    parts = path.split(".")
    for part in parts[:-1]:
        spec = spec.setdefault(part, {})
    spec[parts[-1]] = value


def build(params, network_ids=None, secret_ids=None, config_ids=None):
    """Module options -> desired ServiceSpec (only the parts the user manages).

    Raises :class:`SpecError` with a message naming the option on bad input.
    """
    ids = dict(networks=network_ids or {}, secrets=secret_ids or {}, configs=config_ids or {})
    spec = {}
    for option in OPTIONS:
        if option.build is not None:
            value = option.build(params, ids, option.name)
            if value is not None:
                _set(spec, option.path, value)
    # A spec always has a task template, even when nothing of it is managed.
    spec.setdefault("TaskTemplate", {}).setdefault("ContainerSpec", {})
    return _ordered(spec)


def argument_spec():
    """AnsibleModule options of ``swarm_service`` (without the connection options)."""
    return option_table.argument_spec(OPTIONS)
