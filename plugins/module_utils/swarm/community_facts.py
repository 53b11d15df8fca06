# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""community.docker.docker_swarm_service's return values, built from a service's engine spec.

Tasks written for community.docker read ``swarm_service`` (a flat dict keyed by that module's attribute names:
``limit_cpu``, ``update_delay``, ``restart_policy`` ...) and ``changes`` (the names of the attributes a run
changed).  :data:`FACTS` says, once, which engine spec path each name comes from; durations and sizes stay as the
engine stores them (nanoseconds, bytes), as community.docker returns them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

CONTAINER = "TaskTemplate.ContainerSpec."


def _lower_keys(value):
    return dict((key.lower(), item) for key, item in value.items()) or None


def _healthcheck(value):
    keys = {"Test": "test", "Interval": "interval", "Timeout": "timeout", "StartPeriod": "start_period",
            "Retries": "retries"}
    return dict((keys[key], item) for key, item in value.items() if key in keys and item is not None)


def _healthcheck_disabled(value):
    return (value.get("Test") or [None])[0] == "NONE"


def _hosts(value):
    """``IP HOST`` (the CLI's form) or ``HOST:IP`` (the SDK's) -> {host: ip}."""
    hosts = {}
    for entry in value:
        if ":" in entry and " " not in entry:
            host, address = entry.split(":", 1)
        else:
            address, host = entry.split(" ", 1)
        hosts[host.strip()] = address.strip()
    return hosts


def _preferences(value):
    return [dict((kind.lower(), item.get("SpreadDescriptor")) for kind, item in preference.items())
            for preference in value] or None


def _ports(value):
    return [dict(protocol=port.get("Protocol"), mode=port.get("PublishMode"),
                 published_port=port.get("PublishedPort"), target_port=port.get("TargetPort")) for port in value]


def _cpus(value):
    return float(value) / 1000000000 if value else None


def _bytes(value):
    return int(value) if value else None


def _rollback(value):
    keys = {"Parallelism": "parallelism", "Delay": "delay", "FailureAction": "failure_action", "Monitor": "monitor",
            "MaxFailureRatio": "max_failure_ratio", "Order": "order"}
    return dict((name, value.get(key)) for key, name in keys.items())


def _mounts(value):
    mounts = []
    for mount in value:
        bind = mount.get("BindOptions") or {}
        volume = mount.get("VolumeOptions") or {}
        tmpfs = mount.get("TmpfsOptions") or {}
        mounts.append(dict(
            source=mount.get("Source", ""), type=mount.get("Type"), target=mount.get("Target"),
            readonly=mount.get("ReadOnly"), propagation=bind.get("Propagation"), no_copy=volume.get("NoCopy"),
            labels=volume.get("Labels"), driver_config=_lower_keys(volume.get("DriverConfig") or {}),
            tmpfs_mode=tmpfs.get("Mode"), tmpfs_size=tmpfs.get("SizeBytes")))
    return mounts


def _references(kind):
    def convert(value):
        return [{"%s_id" % kind: ref.get("%sID" % kind.capitalize()),
                 "%s_name" % kind: ref.get("%sName" % kind.capitalize()),
                 "filename": (ref.get("File") or {}).get("Name"), "uid": (ref.get("File") or {}).get("UID"),
                 "gid": (ref.get("File") or {}).get("GID"), "mode": (ref.get("File") or {}).get("Mode")}
                for ref in value]
    return convert


def _networks(value):
    networks = []
    for attachment in value:
        network = {"id": attachment.get("Target")}
        if "Aliases" in attachment:
            network["aliases"] = attachment["Aliases"]
        if "DriverOpts" in attachment:
            network["options"] = attachment["DriverOpts"]
        networks.append(network)
    return networks


MODE_NAMES = (("Replicated", "replicated"), ("Global", "global"), ("ReplicatedJob", "replicated-job"),
              ("GlobalJob", "global-job"))


def _mode(value):
    return next((name for key, name in MODE_NAMES if key in value), None)


def _replicas(value):
    if "Replicated" in value:
        return value["Replicated"].get("Replicas")
    if "ReplicatedJob" in value:
        return value["ReplicatedJob"].get("TotalCompletions")
    return None


# (community.docker's name, engine spec path, conversion or None for the value as the engine stores it).
FACTS = (
    ("args", CONTAINER + "Args", None),
    ("cap_add", CONTAINER + "CapabilityAdd", None),
    ("cap_drop", CONTAINER + "CapabilityDrop", None),
    ("command", CONTAINER + "Command", None),
    ("configs", CONTAINER + "Configs", _references("config")),
    ("constraints", "TaskTemplate.Placement.Constraints", None),
    ("container_labels", CONTAINER + "Labels", None),
    ("dns", CONTAINER + "DNSConfig.Nameservers", None),
    ("dns_options", CONTAINER + "DNSConfig.Options", None),
    ("dns_search", CONTAINER + "DNSConfig.Search", None),
    ("endpoint_mode", "EndpointSpec.Mode", None),
    ("env", CONTAINER + "Env", None),
    ("groups", CONTAINER + "Groups", None),
    ("healthcheck", CONTAINER + "Healthcheck", _healthcheck),
    ("healthcheck_disabled", CONTAINER + "Healthcheck", _healthcheck_disabled),
    ("hostname", CONTAINER + "Hostname", None),
    ("hosts", CONTAINER + "Hosts", _hosts),
    ("image", CONTAINER + "Image", None),
    ("init", CONTAINER + "Init", None),
    ("labels", "Labels", None),
    ("limit_cpu", "TaskTemplate.Resources.Limits.NanoCPUs", _cpus),
    ("limit_memory", "TaskTemplate.Resources.Limits.MemoryBytes", _bytes),
    ("log_driver", "TaskTemplate.LogDriver.Name", None),
    ("log_driver_options", "TaskTemplate.LogDriver.Options", None),
    ("mode", "Mode", _mode),
    ("mounts", CONTAINER + "Mounts", _mounts),
    ("networks", "TaskTemplate.Networks", _networks),
    ("placement_preferences", "TaskTemplate.Placement.Preferences", _preferences),
    ("publish", "EndpointSpec.Ports", _ports),
    ("read_only", CONTAINER + "ReadOnly", None),
    ("replicas", "Mode", _replicas),
    ("replicas_max_per_node", "TaskTemplate.Placement.MaxReplicas", None),
    ("reserve_cpu", "TaskTemplate.Resources.Reservations.NanoCPUs", _cpus),
    ("reserve_memory", "TaskTemplate.Resources.Reservations.MemoryBytes", _bytes),
    ("restart_policy", "TaskTemplate.RestartPolicy.Condition", None),
    ("restart_policy_attempts", "TaskTemplate.RestartPolicy.MaxAttempts", None),
    ("restart_policy_delay", "TaskTemplate.RestartPolicy.Delay", None),
    ("restart_policy_window", "TaskTemplate.RestartPolicy.Window", None),
    ("rollback_config", "RollbackConfig", _rollback),
    ("secrets", CONTAINER + "Secrets", _references("secret")),
    ("stop_grace_period", CONTAINER + "StopGracePeriod", None),
    ("stop_signal", CONTAINER + "StopSignal", None),
    ("sysctls", CONTAINER + "Sysctls", None),
    ("tty", CONTAINER + "TTY", None),
    ("update_delay", "UpdateConfig.Delay", None),
    ("update_failure_action", "UpdateConfig.FailureAction", None),
    ("update_max_failure_ratio", "UpdateConfig.MaxFailureRatio", None),
    ("update_monitor", "UpdateConfig.Monitor", None),
    ("update_order", "UpdateConfig.Order", None),
    ("update_parallelism", "UpdateConfig.Parallelism", None),
    ("user", CONTAINER + "User", None),
    ("working_dir", CONTAINER + "Dir", None),
)
# force_update is a request of one run, not a state: the spec keeps only a counter, so it is always null here (as
# community.docker reports it for a service it reads back).
ALWAYS_NULL = ("force_update",)
# Where a change of the replica count shows in a difference path (the rest of Mode is the mode).
REPLICA_PATHS = ("Mode.Replicated.Replicas", "Mode.ReplicatedJob.TotalCompletions")
# force_update's counter: community.docker does not list a forced update among the changes.
UNLISTED_PATHS = ("TaskTemplate.ForceUpdate",)


def _lookup(spec, path):
    value = spec
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def service_facts(spec):
    """community.docker's ``swarm_service`` for a service whose spec is ``spec`` ({} when there is none)."""
    if not spec:
        return {}
    facts = dict((name, None) for name in ALWAYS_NULL)
    # Networks were once given at the top of the spec; an engine may still show them there.
    spec = dict(spec)
    if _lookup(spec, "TaskTemplate.Networks") is None and spec.get("Networks"):
        spec["TaskTemplate"] = dict(spec.get("TaskTemplate") or {}, Networks=spec["Networks"])
    for name, path, convert in FACTS:
        value = _lookup(spec, path)
        if name == "init":
            value = bool(value)
        elif value is not None and value != [] and value != {} and convert is not None:
            value = convert(value)
        facts[name] = value
    return facts


def _names_at(path):
    """community.docker's names for one difference path: the table's path that contains it, else every name
    under it."""
    if path in REPLICA_PATHS:
        return ["replicas"]
    containing = [(len(p), name) for name, p, _convert in FACTS
                  if name != "replicas" and (path == p or path.startswith(p + ".") or path.startswith(p + "["))]
    if containing:
        longest = max(length for length, _name in containing)
        return [name for length, name in containing if length == longest and name != "healthcheck_disabled"]
    return [name for name, p, _convert in FACTS if p.startswith(path + ".")]


def changes(paths):
    """community.docker's ``changes``: the attribute names behind engine spec ``paths`` (sorted, once each); a
    path with no community.docker attribute (an option only this collection has) is given as it is."""
    found = set()
    for path in paths:
        if path not in UNLISTED_PATHS:
            found.update(_names_at(path) or [path])
    return sorted(found)
