# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a user asked a container to be, and how that differs from what the engine has.

Pure code (no engine access).  :func:`parse_spec` validates and normalises the
options of ``dockyard.docker.container`` (one item of ``containers``) into a
:class:`ContainerSpec`.  The spec builds the engine's create request
(:meth:`ContainerSpec.create_config`) and compares itself against the engine's
inspect data (:meth:`ContainerSpec.compare`): only options the user set are
compared, and every difference is classified ``update`` (the engine applies it
live with ``container update``) or ``recreate``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import shlex

try:
    import ipaddress

    HAS_IPADDRESS = True
except ImportError:  # pragma: no cover - Python 2 only
    HAS_IPADDRESS = False

from ansible_collections.dockyard.docker.plugins.module_utils.restart_policy import (
    RestartPolicyError,
    format_policy,
    from_engine as policy_from_engine,
    parse_restart_policy,
)

try:
    from ansible_collections.dockyard.docker.plugins.module_utils.client import OWNER_LABEL
except ImportError:  # pragma: no cover - client needs ansible; keep the pure code importable
    OWNER_LABEL = "io.dockyard.managed"

UPDATE = "update"
RECREATE = "recreate"

# Options the engine applies to a running container with `container update`.
LIVE_OPTIONS = ("restart_policy", "memory", "cpus")

# Docker's own rule for container names (daemon/names.go).
NAME_RE = re.compile(r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
VOLUME_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
PROTOCOLS = ("tcp", "udp", "sctp")
VOLUME_MODES = (
    "ro", "rw", "z", "Z", "shared", "rshared", "slave", "rslave", "private", "rprivate",
    "nocopy", "consistent", "delegated", "cached",
)
MOUNT_TYPES = ("volume", "bind", "tmpfs")
PULL_CHOICES = ("missing", "always", "never")
STATES = ("started", "present", "stopped", "restarted", "absent")

PORT_FORMS = (
    "[IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL] with PROTOCOL tcp, udp or sctp "
    "(e.g. 80, 8080:80, 127.0.0.1:53:53/udp, 127.0.0.1::80, 9000-9001:9000-9001)"
)
VOLUME_FORMS = (
    "CONTAINER_PATH, VOLUME_NAME:CONTAINER_PATH[:MODE] or /HOST_PATH:CONTAINER_PATH[:MODE] with MODE a "
    "comma list of %s (e.g. data:/var/lib/app, /srv/conf:/etc/app:ro)" % ", ".join(VOLUME_MODES)
)
SIZE_FORMS = "a number of bytes or a number with unit b, k, m, g or t (e.g. 536870912, 512m, 1g, 1.5g)"
DURATION_FORMS = "seconds as a number or a duration like 500ms, 30s, 1m30s, 2h"


class SpecError(ValueError):
    """A container option that cannot be used; the message names the option."""


# --------------------------------------------------------------------------- parsers


def validate_name(name, option="name"):
    if name is None or not isinstance(name, str) or not NAME_RE.match(name) or "/" in name[1:]:
        raise SpecError(
            "%s %r is not a valid container name: use 2 or more of the characters [a-zA-Z0-9_.-], "
            "starting with a letter or digit (no slashes)" % (option, name)
        )
    return name.lstrip("/")


_SIZE_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([bkmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4}


def parse_size(value, option="memory"):
    """``"512m"`` -> 536870912.  ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise SpecError("%s %r is not a size: use %s" % (option, value, SIZE_FORMS))
    if isinstance(value, int):
        number = value
    else:
        match = _SIZE_RE.match(str(value))
        if not match:
            raise SpecError("%s %r is not a size: use %s" % (option, value, SIZE_FORMS))
        number = int(float(match.group(1)) * _SIZE_UNITS[match.group(2).lower()])
    if number < 0:
        raise SpecError("%s %r is not a size: use %s" % (option, value, SIZE_FORMS))
    return number


def parse_cpus(value, option="cpus"):
    """CPU count (may be fractional) -> the engine's NanoCpus."""
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = float(value)
    except (TypeError, ValueError):
        raise SpecError("%s %r is not a number of CPUs: use a number > 0 such as 0.5, 1 or 2" % (option, value))
    if number < 0:
        raise SpecError("%s %r is not a number of CPUs: use a number > 0 such as 0.5, 1 or 2" % (option, value))
    return int(round(number * 1e9))


_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s|m|h)")
_DURATION_NS = {"ns": 1, "us": 1000, "ms": 10 ** 6, "s": 10 ** 9, "m": 60 * 10 ** 9, "h": 3600 * 10 ** 9}


def parse_duration(value, option):
    """``"1m30s"`` / ``90`` -> nanoseconds."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise SpecError("%s %r is not a duration: use %s" % (option, value, DURATION_FORMS))
    if isinstance(value, (int, float)):
        if value < 0:
            raise SpecError("%s %r is not a duration: use %s" % (option, value, DURATION_FORMS))
        return int(value * 10 ** 9)
    text = str(value).strip()
    if re.match(r"^[0-9]+(\.[0-9]+)?$", text):
        return int(float(text) * 10 ** 9)
    pos = 0
    total = 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            break
        total += int(float(match.group(1)) * _DURATION_NS[match.group(2)])
        pos = match.end()
    if pos != len(text) or not text:
        raise SpecError("%s %r is not a duration: use %s" % (option, value, DURATION_FORMS))
    return total


def _port_range(text, item, allow_empty):
    if text == "" and allow_empty:
        return None
    match = re.match(r"^([0-9]+)(?:-([0-9]+))?$", text)
    if not match:
        raise SpecError("published_ports item %r is not valid: expected %s" % (item, PORT_FORMS))
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if not (1 <= start <= end <= 65535):
        raise SpecError(
            "published_ports item %r is not valid: ports must be 1-65535 (ranges low-high); expected %s"
            % (item, PORT_FORMS)
        )
    return list(range(start, end + 1))


def _valid_ip(text):
    if HAS_IPADDRESS:
        try:
            ipaddress.ip_address(u"%s" % text)
            return True
        except ValueError:
            return False
    return bool(re.match(r"^[0-9.]+$|^[0-9a-fA-F:]+$", text))  # pragma: no cover


def parse_port(item):
    """One ``published_ports`` item -> list of ``(container_port "80/tcp", host_ip, host_port)``.

    ``host_port`` is ``""`` when the engine should choose one.
    """
    text = str(item).strip()
    if not text:
        raise SpecError("published_ports item %r is not valid: expected %s" % (item, PORT_FORMS))
    proto = "tcp"
    if "/" in text:
        text, proto = text.rsplit("/", 1)
        proto = proto.lower()
        if proto not in PROTOCOLS:
            raise SpecError(
                "published_ports item %r: protocol %r is not one of %s; expected %s"
                % (item, proto, ", ".join(PROTOCOLS), PORT_FORMS)
            )
    host_ip = ""
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or text[end + 1:end + 2] != ":":
            raise SpecError("published_ports item %r is not valid: expected %s" % (item, PORT_FORMS))
        host_ip = text[1:end]
        rest = text[end + 2:].split(":")
        if len(rest) != 2:
            raise SpecError("published_ports item %r is not valid: expected %s" % (item, PORT_FORMS))
        host_part, cont_part = rest
    else:
        parts = text.split(":")
        if len(parts) == 1:
            host_part, cont_part = "", parts[0]
        elif len(parts) == 2:
            host_part, cont_part = parts
        elif len(parts) == 3:
            host_ip, host_part, cont_part = parts
        else:
            raise SpecError("published_ports item %r is not valid: expected %s" % (item, PORT_FORMS))
    if host_ip and not _valid_ip(host_ip):
        raise SpecError(
            "published_ports item %r: %r is not an IP address; expected %s" % (item, host_ip, PORT_FORMS)
        )
    cont_ports = _port_range(cont_part, item, allow_empty=False)
    host_ports = _port_range(host_part, item, allow_empty=True)
    if host_ports is not None and len(host_ports) != len(cont_ports):
        raise SpecError(
            "published_ports item %r: host and container port ranges differ in length; expected %s"
            % (item, PORT_FORMS)
        )
    result = []
    for index, cport in enumerate(cont_ports):
        hport = "" if host_ports is None else str(host_ports[index])
        result.append(("%d/%s" % (cport, proto), host_ip, hport))
    return result


def parse_ports(items):
    """``published_ports`` -> ``{"80/tcp": [(host_ip, host_port), ...]}`` (sorted bindings)."""
    if items is None:
        return None
    if isinstance(items, (str, int)):
        items = [items]
    bindings = {}
    for item in items:
        for cport, host_ip, hport in parse_port(item):
            bindings.setdefault(cport, [])
            if (host_ip, hport) not in bindings[cport]:
                bindings[cport].append((host_ip, hport))
    return dict((k, sorted(v)) for k, v in bindings.items())


def ports_from_engine(port_bindings):
    result = {}
    for cport, binds in (port_bindings or {}).items():
        result[cport] = sorted(((b.get("HostIp") or ""), (b.get("HostPort") or "")) for b in (binds or [{}]))
    return result


def format_ports(bindings):
    out = []
    for cport, binds in sorted((bindings or {}).items()):
        for host_ip, hport in binds:
            if host_ip:
                ip = "[%s]" % host_ip if ":" in host_ip else host_ip
                out.append("%s:%s:%s" % (ip, hport, cport))
            elif hport:
                out.append("%s:%s" % (hport, cport))
            else:
                out.append(cport)
    return out


def parse_volume(item):
    """One ``volumes`` item -> ``("bind"|"volume"|"anonymous", source, target, mode)``."""
    text = str(item).strip()
    parts = text.split(":")
    if len(parts) == 1:
        source, target, mode = None, parts[0], "rw"
    elif len(parts) == 2:
        source, target, mode = parts[0], parts[1], "rw"
    elif len(parts) == 3:
        source, target, mode = parts
    else:
        raise SpecError("volumes item %r is not valid: expected %s" % (item, VOLUME_FORMS))
    if not target.startswith("/"):
        raise SpecError(
            "volumes item %r: the container path %r must be absolute; expected %s" % (item, target, VOLUME_FORMS)
        )
    modes = [m for m in mode.split(",") if m]
    for flag in modes:
        if flag not in VOLUME_MODES:
            raise SpecError("volumes item %r: mode %r is not valid; expected %s" % (item, flag, VOLUME_FORMS))
    if "ro" in modes and "rw" in modes:
        raise SpecError("volumes item %r: mode cannot be both ro and rw" % (item,))
    if "ro" not in modes and "rw" not in modes:
        modes.insert(0, "rw")
    mode = ",".join(modes)
    if source is None:
        return ("anonymous", None, target, mode)
    if source.startswith("/"):
        return ("bind", source.rstrip("/") or "/", target.rstrip("/") or "/", mode)
    if not VOLUME_NAME_RE.match(source):
        raise SpecError(
            "volumes item %r: %r is neither an absolute host path nor a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+); "
            "expected %s" % (item, source, VOLUME_FORMS)
        )
    return ("volume", source, target.rstrip("/") or "/", mode)


def parse_volumes(items):
    """``volumes`` -> ``(binds, anonymous)``: sorted ``"src:dst:mode"`` strings and container paths."""
    if items is None:
        return None, None
    binds, anonymous = [], []
    for item in items:
        kind, source, target, mode = parse_volume(item)
        if kind == "anonymous":
            anonymous.append(target)
        else:
            binds.append("%s:%s:%s" % (source, target, mode))
    return sorted(set(binds)), sorted(set(anonymous))


def binds_from_engine(binds):
    out = []
    for bind in binds or []:
        try:
            kind, source, target, mode = parse_volume(bind)
        except SpecError:
            out.append(bind)
            continue
        out.append("%s:%s:%s" % (source, target, mode))
    return sorted(set(out))


def parse_mounts(items):
    if items is None:
        return None
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise SpecError("mounts[%d] must be a dict with type, source, target, read_only" % index)
        unknown = set(item) - set(("type", "source", "target", "read_only"))
        if unknown:
            raise SpecError(
                "mounts[%d]: unknown keys %s; accepted keys: type, source, target, read_only"
                % (index, ", ".join(sorted(unknown)))
            )
        mtype = item.get("type") or "volume"
        if mtype not in MOUNT_TYPES:
            raise SpecError("mounts[%d].type %r is not one of %s" % (index, mtype, ", ".join(MOUNT_TYPES)))
        target = item.get("target")
        if not target or not str(target).startswith("/"):
            raise SpecError("mounts[%d].target must be an absolute container path, got %r" % (index, target))
        source = item.get("source")
        if mtype == "bind" and (not source or not str(source).startswith("/")):
            raise SpecError("mounts[%d].source must be an absolute host path for type bind, got %r" % (index, source))
        if mtype == "tmpfs" and source:
            raise SpecError("mounts[%d].source must not be set for type tmpfs" % index)
        out.append(dict(
            type=mtype,
            source=str(source) if source else "",
            target=str(target),
            read_only=bool(item.get("read_only", False)),
        ))
    return sorted(out, key=lambda m: m["target"])


def mounts_from_engine(mounts):
    out = []
    for m in mounts or []:
        out.append(dict(
            type=m.get("Type") or "volume",
            source=m.get("Source") or "",
            target=m.get("Target") or "",
            read_only=bool(m.get("ReadOnly", False)),
        ))
    return sorted(out, key=lambda m: m["target"])


def mounts_to_engine(mounts):
    return [
        dict((k, v) for k, v in (("Type", m["type"]), ("Source", m["source"] or None),
                                 ("Target", m["target"]), ("ReadOnly", m["read_only"])) if v is not None)
        for m in mounts
    ]


def parse_string_map(value, option):
    """env / labels / log_options: dict of strings (numbers are converted, booleans refused)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SpecError("%s must be a dict of KEY: value" % option)
    out = {}
    for key, val in value.items():
        if isinstance(val, bool):
            raise SpecError(
                "%s.%s is the boolean %s: quote it (e.g. '%s' or 'yes') so the exact text is passed"
                % (option, key, val, str(val).lower())
            )
        if val is None:
            val = ""
        if isinstance(val, (dict, list)):
            raise SpecError("%s.%s must be a string, got %s" % (option, key, type(val).__name__))
        out[str(key)] = str(val)
    return out


def env_from_engine(env_list):
    out = {}
    for item in env_list or []:
        key, _sep, val = item.partition("=")
        out[key] = val
    return out


def parse_command(value, option):
    """str (split like a shell) or list -> list of strings."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    try:
        return shlex.split(str(value))
    except ValueError as exc:
        raise SpecError("%s %r cannot be split into arguments: %s" % (option, value, exc))


def parse_healthcheck(value):
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SpecError("healthcheck must be a dict with test, interval, timeout, retries, start_period, disable")
    unknown = set(value) - set(("test", "interval", "timeout", "retries", "start_period", "disable"))
    if unknown:
        raise SpecError(
            "healthcheck: unknown keys %s; accepted keys: test, interval, timeout, retries, start_period, disable"
            % ", ".join(sorted(unknown))
        )
    if value.get("disable"):
        return {"Test": ["NONE"]}
    out = {}
    test = value.get("test")
    if test is not None:
        if isinstance(test, (list, tuple)):
            test = [str(t) for t in test]
            if not test or test[0] not in ("NONE", "CMD", "CMD-SHELL"):
                test = ["CMD"] + test
        else:
            test = ["CMD-SHELL", str(test)]
        out["Test"] = test
    for key, engine_key in (("interval", "Interval"), ("timeout", "Timeout"), ("start_period", "StartPeriod")):
        if value.get(key) is not None:
            out[engine_key] = parse_duration(value[key], "healthcheck.%s" % key)
    if value.get("retries") is not None:
        try:
            retries = int(value["retries"])
        except (TypeError, ValueError):
            retries = -1
        if retries < 0 or isinstance(value["retries"], bool):
            raise SpecError("healthcheck.retries must be a whole number >= 0, got %r" % value["retries"])
        out["Retries"] = retries
    return out


def parse_networks(value):
    if value is None:
        return None
    out = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not item.get("name"):
            raise SpecError("networks[%d] must be a dict with name (and optional aliases, ipv4_address)" % index)
        unknown = set(item) - set(("name", "aliases", "ipv4_address"))
        if unknown:
            raise SpecError(
                "networks[%d]: unknown keys %s; accepted keys: name, aliases, ipv4_address"
                % (index, ", ".join(sorted(unknown)))
            )
        ipv4 = item.get("ipv4_address")
        if ipv4 and not _valid_ip(str(ipv4)):
            raise SpecError("networks[%d].ipv4_address %r is not an IP address" % (index, ipv4))
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        out.append(dict(name=str(item["name"]), aliases=sorted(str(a) for a in aliases),
                        ipv4_address=str(ipv4) if ipv4 else None))
    names = [n["name"] for n in out]
    if len(set(names)) != len(names):
        raise SpecError("networks: each network may be listed once, got %s" % ", ".join(names))
    return out


def normalize_signal(value):
    if value is None:
        return None
    text = str(value).strip().upper()
    if text.isdigit():
        return text
    return text if text.startswith("SIG") else "SIG" + text


# --------------------------------------------------------------------------- the spec


class Difference(object):
    __slots__ = ("option", "before", "after", "kind")

    def __init__(self, option, before, after, kind):
        self.option = option
        self.before = before
        self.after = after
        self.kind = kind

    def __repr__(self):
        return "Difference(%r, %r, %r, %r)" % (self.option, self.before, self.after, self.kind)


class ContainerSpec(object):
    """Normalised desired state of one container."""

    def __init__(self, params):
        self.params = params
        self.name = validate_name(params.get("name"))
        self.image = params.get("image")
        if self.image is not None:
            self.image = str(self.image).strip()
            if not self.image or " " in self.image:
                raise SpecError("image %r is not an image reference (e.g. app:1.2, registry:5000/app)" % self.image)
        self.state = params.get("state") or "started"
        if self.state not in STATES:
            raise SpecError("state %r is not valid. Accepted values: %s" % (self.state, ", ".join(STATES)))
        self.pull = params.get("pull") or "missing"
        if self.pull not in PULL_CHOICES:
            raise SpecError("pull %r is not valid. Accepted values: %s" % (self.pull, ", ".join(PULL_CHOICES)))
        self.recreate = bool(params.get("recreate"))
        self.force_kill = bool(params.get("force_kill"))
        try:
            self.restart_policy = parse_restart_policy(params.get("restart_policy"), params.get("restart_retries"))
        except RestartPolicyError as exc:
            raise SpecError(str(exc))
        self.command = parse_command(params.get("command"), "command")
        self.entrypoint = parse_command(params.get("entrypoint"), "entrypoint")
        self.env = parse_string_map(params.get("env"), "env")
        self.labels = parse_string_map(params.get("labels"), "labels")
        self.log_options = parse_string_map(params.get("log_options"), "log_options")
        self.log_driver = params.get("log_driver")
        self.ports = parse_ports(params.get("published_ports"))
        self.binds, self.anonymous_volumes = parse_volumes(params.get("volumes"))
        self.mounts = parse_mounts(params.get("mounts"))
        self.networks = parse_networks(params.get("networks"))
        self.network_mode = params.get("network_mode")
        if self.networks and self.network_mode and self.network_mode not in [n["name"] for n in self.networks]:
            if self.network_mode in ("host", "none") or self.network_mode.startswith("container:"):
                raise SpecError(
                    "networks cannot be combined with network_mode %s; drop one of them" % self.network_mode
                )
        self.hostname = params.get("hostname")
        self.user = params.get("user")
        self.working_dir = params.get("working_dir")
        stop_timeout = params.get("stop_timeout")
        if stop_timeout is not None and (isinstance(stop_timeout, bool) or int(stop_timeout) < 0):
            raise SpecError("stop_timeout must be a whole number of seconds >= 0, got %r" % stop_timeout)
        self.stop_timeout = None if stop_timeout is None else int(stop_timeout)
        self.stop_signal = normalize_signal(params.get("stop_signal"))
        self.healthcheck = parse_healthcheck(params.get("healthcheck"))
        self.memory = parse_size(params.get("memory"), "memory")
        self.nano_cpus = parse_cpus(params.get("cpus"), "cpus")
        if self.log_options and not self.log_driver:
            raise SpecError("log_options needs log_driver (e.g. json-file, local, journald)")

    # ---- create

    def create_config(self, image=None):
        """The body of ``POST /containers/create`` (raw engine JSON)."""
        labels = dict(self.labels or {})
        labels[OWNER_LABEL] = "true"
        config = {"Image": image or self.image, "Labels": labels}
        host = {}
        if self.command is not None:
            config["Cmd"] = self.command
        if self.entrypoint is not None:
            config["Entrypoint"] = self.entrypoint
        if self.env is not None:
            config["Env"] = ["%s=%s" % kv for kv in sorted(self.env.items())]
        if self.hostname:
            config["Hostname"] = self.hostname
        if self.user is not None:
            config["User"] = self.user
        if self.working_dir is not None:
            config["WorkingDir"] = self.working_dir
        if self.stop_timeout is not None:
            config["StopTimeout"] = self.stop_timeout
        if self.stop_signal:
            config["StopSignal"] = self.stop_signal
        if self.healthcheck is not None:
            config["Healthcheck"] = self.healthcheck
        if self.ports:
            config["ExposedPorts"] = dict((p, {}) for p in self.ports)
            host["PortBindings"] = dict(
                (p, [{"HostIp": ip, "HostPort": hp} for ip, hp in binds]) for p, binds in self.ports.items()
            )
        if self.anonymous_volumes:
            config["Volumes"] = dict((v, {}) for v in self.anonymous_volumes)
        if self.binds:
            host["Binds"] = list(self.binds)
        if self.mounts:
            host["Mounts"] = mounts_to_engine(self.mounts)
        if self.restart_policy is not None:
            host["RestartPolicy"] = self.restart_policy.to_engine()
        if self.memory is not None:
            host["Memory"] = self.memory
        if self.nano_cpus is not None:
            host["NanoCpus"] = self.nano_cpus
        if self.log_driver:
            host["LogConfig"] = {"Type": self.log_driver, "Config": dict(self.log_options or {})}
        if self.networks:
            first = self.networks[0]
            host["NetworkMode"] = self.network_mode or first["name"]
            config["NetworkingConfig"] = {"EndpointsConfig": {first["name"]: endpoint_config(first)}}
        elif self.network_mode:
            host["NetworkMode"] = self.network_mode
        config["HostConfig"] = host
        return config

    def extra_networks(self):
        """Networks to connect after create (the first one is joined at create time)."""
        return list(self.networks[1:]) if self.networks else []

    def update_body(self, differences):
        """Body of ``POST /containers/{id}/update`` for the live differences."""
        body = {}
        for diff in differences:
            if diff.option == "restart_policy":
                body["RestartPolicy"] = self.restart_policy.to_engine()
            elif diff.option == "memory":
                body["Memory"] = self.memory
                # Keep the engine's own default (swap limit = twice the memory limit); without it a raise
                # above the swap limit set at creation is refused.
                body["MemorySwap"] = 2 * self.memory if self.memory else -1
            elif diff.option == "cpus":
                body["NanoCpus"] = self.nano_cpus
        return body

    # ---- compare

    def desired_view(self, image_id=None):
        """Display form of every option the user set (the ``after`` of the diff)."""
        view = {}
        if self.image is not None:
            view["image"] = image_id or self.image
        for key, val in (
            ("command", self.command), ("entrypoint", self.entrypoint), ("env", self.env),
            ("labels", self.labels), ("hostname", self.hostname), ("user", self.user),
            ("working_dir", self.working_dir), ("stop_timeout", self.stop_timeout),
            ("stop_signal", self.stop_signal), ("healthcheck", self.healthcheck), ("memory", self.memory),
            ("log_driver", self.log_driver), ("log_options", self.log_options), ("mounts", self.mounts),
            ("network_mode", self.network_mode),
        ):
            if val is not None:
                view[key] = val
        if self.restart_policy is not None:
            view["restart_policy"] = format_policy(self.restart_policy)
        if self.nano_cpus is not None:
            view["cpus"] = self.nano_cpus / 1e9
        if self.ports is not None:
            view["published_ports"] = format_ports(self.ports)
        if self.binds is not None:
            view["volumes"] = sorted(self.binds + self.anonymous_volumes)
        if self.networks is not None:
            view["networks"] = self.networks
        return view

    def actual_view(self, inspect):
        """The same keys as :meth:`desired_view`, read from the engine's inspect data."""
        config = inspect.get("Config") or {}
        host = inspect.get("HostConfig") or {}
        view = {}
        if self.image is not None:
            view["image"] = inspect.get("Image")
        if self.command is not None:
            view["command"] = config.get("Cmd") or []
        if self.entrypoint is not None:
            view["entrypoint"] = config.get("Entrypoint") or []
        if self.env is not None:
            actual = env_from_engine(config.get("Env"))
            view["env"] = dict((k, actual.get(k)) for k in self.env if k in actual)
        if self.labels is not None:
            actual = config.get("Labels") or {}
            view["labels"] = dict((k, actual.get(k)) for k in self.labels if k in actual)
        if self.hostname is not None:
            view["hostname"] = config.get("Hostname")
        if self.user is not None:
            view["user"] = config.get("User") or ""
        if self.working_dir is not None:
            view["working_dir"] = config.get("WorkingDir") or ""
        if self.stop_timeout is not None:
            view["stop_timeout"] = config.get("StopTimeout")
        if self.stop_signal is not None:
            view["stop_signal"] = normalize_signal(config.get("StopSignal") or "SIGTERM")
        if self.healthcheck is not None:
            actual = config.get("Healthcheck") or {}
            view["healthcheck"] = dict((k, actual.get(k)) for k in self.healthcheck if k in actual)
        if self.memory is not None:
            view["memory"] = host.get("Memory") or 0
        if self.nano_cpus is not None:
            view["cpus"] = (host.get("NanoCpus") or 0) / 1e9
        if self.log_driver is not None:
            view["log_driver"] = (host.get("LogConfig") or {}).get("Type")
        if self.log_options is not None:
            actual = (host.get("LogConfig") or {}).get("Config") or {}
            view["log_options"] = dict((k, actual.get(k)) for k in self.log_options if k in actual)
        if self.mounts is not None:
            view["mounts"] = mounts_from_engine(host.get("Mounts"))
        if self.network_mode is not None:
            mode = host.get("NetworkMode") or "default"
            if mode == "default" and self.network_mode == "bridge":
                mode = "bridge"
            # The engine stores `container:<id>` for `container:<name>`; the caller resolves the
            # peer's ID (network_peer_id) so the same peer compares equal.
            peer_id = getattr(self, "network_peer_id", None)
            if peer_id and self.network_mode.startswith("container:") and mode == "container:" + peer_id:
                mode = self.network_mode
            view["network_mode"] = mode
        if self.restart_policy is not None:
            view["restart_policy"] = format_policy(policy_from_engine(host.get("RestartPolicy")))
        if self.ports is not None:
            view["published_ports"] = format_ports(ports_from_engine(host.get("PortBindings")))
        if self.binds is not None:
            anon = [v for v in self.anonymous_volumes if v in (config.get("Volumes") or {})]
            view["volumes"] = sorted(binds_from_engine(host.get("Binds")) + anon)
        if self.networks is not None:
            attached = (inspect.get("NetworkSettings") or {}).get("Networks") or {}
            wanted = dict((n["name"], n) for n in self.networks)
            nets = []
            for net_name in sorted(attached):
                endpoint = attached[net_name] or {}
                want = wanted.get(net_name, {})
                aliases = endpoint.get("Aliases") or []
                nets.append(dict(
                    name=net_name,
                    aliases=sorted(a for a in want.get("aliases", []) if a in aliases),
                    ipv4_address=(endpoint.get("IPAMConfig") or {}).get("IPv4Address") or None
                    if want.get("ipv4_address") else None,
                ))
            view["networks"] = nets
        return view

    def compare(self, inspect, image_id=None):
        """Differences between this spec and a container's inspect data, each classified."""
        desired = self.desired_view(image_id)
        actual = self.actual_view(inspect)
        differences = []
        for key in sorted(desired):
            want, have = desired[key], actual.get(key)
            if key == "networks":
                want = sorted(want, key=lambda n: n["name"])
            if want != have:
                kind = UPDATE if key in LIVE_OPTIONS else RECREATE
                if key in ("memory", "cpus") and not want:
                    # `container update` reads 0 as "leave as is": removing a limit needs a new container.
                    kind = RECREATE
                differences.append(Difference(key, have, want, kind))
        return differences


def endpoint_config(network):
    endpoint = {}
    if network.get("aliases"):
        endpoint["Aliases"] = list(network["aliases"])
    if network.get("ipv4_address"):
        endpoint["IPAMConfig"] = {"IPv4Address": network["ipv4_address"]}
    return endpoint


def container_argument_spec():
    """AnsibleModule options of one container (``container`` and each ``containers`` item)."""
    return dict(
        name=dict(type="str", required=True),
        image=dict(type="str"),
        pull=dict(type="str", choices=["missing", "always", "never"], default="missing"),
        command=dict(type="raw"),
        entrypoint=dict(type="list", elements="str"),
        env=dict(type="dict"),
        published_ports=dict(type="list", elements="str", aliases=["ports"]),
        volumes=dict(type="list", elements="str"),
        mounts=dict(
            type="list",
            elements="dict",
            options=dict(
                type=dict(type="str", choices=["volume", "bind", "tmpfs"], default="volume"),
                source=dict(type="str"),
                target=dict(type="str", required=True),
                read_only=dict(type="bool", default=False),
            ),
        ),
        networks=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                aliases=dict(type="list", elements="str"),
                ipv4_address=dict(type="str"),
            ),
        ),
        network_mode=dict(type="str"),
        labels=dict(type="dict"),
        hostname=dict(type="str"),
        user=dict(type="str"),
        working_dir=dict(type="str"),
        restart_policy=dict(type="raw"),
        restart_retries=dict(type="int"),
        stop_timeout=dict(type="int"),
        stop_signal=dict(type="str"),
        force_kill=dict(type="bool", default=False),
        healthcheck=dict(type="dict"),
        memory=dict(type="str"),
        cpus=dict(type="float"),
        log_driver=dict(type="str"),
        log_options=dict(type="dict"),
        recreate=dict(type="bool", default=False),
        state=dict(type="str", choices=["started", "present", "stopped", "restarted", "absent"], default="started"),
    )


def parse_spec(params):
    """Validate and normalise container options; raise :class:`SpecError` naming the bad option."""
    return ContainerSpec(params)
