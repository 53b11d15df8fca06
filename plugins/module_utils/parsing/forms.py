# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The structured values of container options: their user forms and their engine forms.

Pure code.  Each ``parse_*`` turns what a user writes (``"8080:80"``,
``"nofile:1024:2048"``, ``{type: tmpfs, target: /run}``) into the engine's JSON form,
raising :class:`SpecError` with the option, the bad item and the accepted forms.
Each ``*_from_engine`` normalises what ``docker inspect`` shows into the same form,
so the option table can compare the two with ``==``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError

# Docker's own rule for container names.
NAME_RE = re.compile(r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
VOLUME_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
PROTOCOLS = ("tcp", "udp", "sctp")
VOLUME_MODES = (
    "ro", "rw", "z", "Z", "shared", "rshared", "slave", "rslave", "private", "rprivate",
    "nocopy", "consistent", "delegated", "cached",
)
MOUNT_TYPES = ("volume", "bind", "tmpfs")
PORT_FORMS = (
    "[IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL] with PROTOCOL tcp, udp or sctp "
    "(e.g. 80, 8080:80, 127.0.0.1:53:53/udp, 127.0.0.1::80, 9000-9001:9000-9001)"
)
VOLUME_FORMS = (
    "CONTAINER_PATH, VOLUME_NAME:CONTAINER_PATH[:MODE] or /HOST_PATH:CONTAINER_PATH[:MODE] with MODE a "
    "comma list of %s (e.g. data:/var/lib/app, /srv/conf:/etc/app:ro)" % ", ".join(VOLUME_MODES)
)
CAPABILITIES = (
    "AUDIT_CONTROL AUDIT_READ AUDIT_WRITE BLOCK_SUSPEND BPF CHECKPOINT_RESTORE CHOWN DAC_OVERRIDE "
    "DAC_READ_SEARCH FOWNER FSETID IPC_LOCK IPC_OWNER KILL LEASE LINUX_IMMUTABLE MAC_ADMIN MAC_OVERRIDE MKNOD "
    "NET_ADMIN NET_BIND_SERVICE NET_BROADCAST NET_RAW PERFMON SETFCAP SETGID SETPCAP SETUID SYS_ADMIN SYS_BOOT "
    "SYS_CHROOT SYS_MODULE SYS_NICE SYS_PACCT SYS_PTRACE SYS_RAWIO SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG SYSLOG "
    "WAKE_ALARM"
).split()
ULIMITS = ("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss",
           "rtprio", "rttime", "sigpending", "stack")


def validate_name(name, option="name"):
    if name is None or not isinstance(name, str) or not NAME_RE.match(name) or "/" in name[1:]:
        raise SpecError(
            "%s %s is not a valid container name: use 2 or more of the characters [a-zA-Z0-9_.-], "
            "starting with a letter or digit (no slashes)" % (option, values.shown(name))
        )
    return name.lstrip("/")


def _port_range(text, item, allow_empty):
    if text == "" and allow_empty:
        return None
    match = re.match(r"^([0-9]{1,5})(?:-([0-9]{1,5}))?$", text)
    if not match:
        raise SpecError("published_ports item %s is not valid: expected %s" % (values.shown(item), PORT_FORMS))
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if not (1 <= start <= end <= 65535):
        raise SpecError(
            "published_ports item %s is not valid: ports must be 1-65535 (ranges low-high); expected %s"
            % (values.shown(item), PORT_FORMS)
        )
    return list(range(start, end + 1))


def parse_port(item):
    """One ``published_ports`` item -> list of ``(container_port "80/tcp", host_ip, host_port)``.

    ``host_port`` is ``""`` when the engine should choose one.
    """
    text = str(item).strip()
    if not text:
        raise SpecError("published_ports item %s is not valid: expected %s" % (values.shown(item), PORT_FORMS))
    proto = "tcp"
    if "/" in text:
        text, proto = text.rsplit("/", 1)
        proto = proto.lower()
        if proto not in PROTOCOLS:
            raise SpecError(
                "published_ports item %s: protocol %s is not one of %s; expected %s"
                % (values.shown(item), values.shown(proto), ", ".join(PROTOCOLS), PORT_FORMS)
            )
    host_ip = ""
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or text[end + 1:end + 2] != ":":
            raise SpecError("published_ports item %s is not valid: expected %s" % (values.shown(item), PORT_FORMS))
        host_ip = text[1:end]
        rest = text[end + 2:].split(":")
        if len(rest) != 2:
            raise SpecError("published_ports item %s is not valid: expected %s" % (values.shown(item), PORT_FORMS))
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
            raise SpecError("published_ports item %s is not valid: expected %s" % (values.shown(item), PORT_FORMS))
    if host_ip and not values.is_ip(host_ip):
        raise SpecError(
            "published_ports item %s: %s is not an IP address; expected %s" % (values.shown(item), values.shown(host_ip), PORT_FORMS)
        )
    cont_ports = _port_range(cont_part, item, allow_empty=False)
    host_ports = _port_range(host_part, item, allow_empty=True)
    if host_ports is not None and len(host_ports) != len(cont_ports):
        raise SpecError(
            "published_ports item %s: host and container port ranges differ in length; expected %s"
            % (values.shown(item), PORT_FORMS)
        )
    result = []
    for index, cport in enumerate(cont_ports):
        hport = "" if host_ports is None else str(host_ports[index])
        result.append(("%d/%s" % (cport, proto), host_ip, hport))
    return result


def parse_ports(items, default_host_ip=None):
    """``published_ports`` -> ``{"80/tcp": [(host_ip, host_port), ...]}`` (sorted bindings)."""
    if items is None:
        return None
    if isinstance(items, (str, int)):
        items = [items]
    bindings = {}
    for item in values.sequence(items, "published_ports"):
        for cport, host_ip, hport in parse_port(item):
            host_ip = host_ip or default_host_ip or ""
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
        raise SpecError("volumes item %s is not valid: expected %s" % (values.shown(item), VOLUME_FORMS))
    if not target.startswith("/"):
        raise SpecError(
            "volumes item %s: the container path %s must be absolute; expected %s" % (values.shown(item), values.shown(target), VOLUME_FORMS)
        )
    modes = [m for m in mode.split(",") if m]
    for flag in modes:
        if flag not in VOLUME_MODES:
            raise SpecError("volumes item %s: mode %s is not valid; expected %s" % (values.shown(item), values.shown(flag), VOLUME_FORMS))
    if "ro" in modes and "rw" in modes:
        raise SpecError("volumes item %s: mode cannot be both ro and rw" % (values.shown(item),))
    if "ro" not in modes and "rw" not in modes:
        modes.insert(0, "rw")
    mode = ",".join(modes)
    if source is None:
        return ("anonymous", None, target, mode)
    if source.startswith("/"):
        return ("bind", source.rstrip("/") or "/", target.rstrip("/") or "/", mode)
    if not VOLUME_NAME_RE.match(source):
        raise SpecError(
            "volumes item %s: %s is neither an absolute host path nor a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+); "
            "expected %s" % (values.shown(item), values.shown(source), VOLUME_FORMS)
        )
    return ("volume", source, target.rstrip("/") or "/", mode)


def parse_volumes(items):
    """``volumes`` -> ``(binds, anonymous)``: sorted ``"src:dst:mode"`` strings and container paths."""
    if items is None:
        return None, None
    binds, anonymous = [], []
    for item in values.sequence(items, "volumes"):
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


def env_from_engine(env_list):
    out = {}
    for item in env_list or []:
        key, _sep, val = item.partition("=")
        out[key] = val
    return out


# --------------------------------------------------------------------------- mounts
MOUNT_KEYS = ("target", "source", "type", "read_only", "consistency", "propagation", "no_copy", "labels",
              "volume_driver", "volume_options", "tmpfs_size", "tmpfs_mode")


def parse_mounts(items):
    """``mounts`` -> normalised dicts (every key present, ``None`` when not set), sorted by target."""
    if items is None:
        return None
    out = []
    for index, item in enumerate(values.sequence(items, "mounts")):
        where = "mounts[%d]" % index
        if not isinstance(item, dict):
            raise SpecError("%s must be a dict with keys %s" % (where, ", ".join(MOUNT_KEYS)))
        unknown = values.unknown_keys(item, MOUNT_KEYS)
        if unknown:
            raise SpecError("%s: unknown keys %s; accepted keys: %s" % (where, unknown, ", ".join(MOUNT_KEYS)))
        mtype = values.choice(item.get("type") or "volume", MOUNT_TYPES, where + ".type")
        target = item.get("target")
        if not target or not str(target).startswith("/"):
            raise SpecError("%s.target must be an absolute container path, got %s" % (where, values.shown(target)))
        source = item.get("source")
        if mtype == "bind" and (not source or not str(source).startswith("/")):
            raise SpecError("%s.source must be an absolute host path for type bind, got %s" % (where, values.shown(source)))
        if mtype == "tmpfs" and source:
            raise SpecError("%s.source must not be set for type tmpfs" % where)
        for key, needs in (("propagation", "bind"), ("no_copy", "volume"), ("labels", "volume"),
                           ("volume_driver", "volume"), ("volume_options", "volume"), ("tmpfs_size", "tmpfs"),
                           ("tmpfs_mode", "tmpfs")):
            if item.get(key) is not None and mtype != needs:
                raise SpecError("%s.%s applies to type %s only (this mount is %s)" % (where, key, needs, mtype))
        out.append(dict(
            type=mtype,
            source=str(source) if source else "",
            target=str(target),
            read_only=bool(item.get("read_only")),
            consistency=values.choice(item.get("consistency"), ("default", "consistent", "cached", "delegated"),
                                      where + ".consistency"),
            propagation=values.choice(item.get("propagation"),
                                      ("private", "rprivate", "shared", "rshared", "slave", "rslave"),
                                      where + ".propagation"),
            no_copy=values.boolean(item.get("no_copy"), where + ".no_copy") or None,
            labels=values.string_map(item.get("labels"), where + ".labels") or None,
            volume_driver=values.string(item.get("volume_driver"), where + ".volume_driver"),
            volume_options=values.string_map(item.get("volume_options"), where + ".volume_options") or None,
            tmpfs_size=values.size(item.get("tmpfs_size"), where + ".tmpfs_size"),
            tmpfs_mode=values.file_mode(item.get("tmpfs_mode"), where + ".tmpfs_mode"),
        ))
    return sorted(out, key=lambda m: m["target"])


def mounts_to_engine(mounts):
    out = []
    for m in mounts:
        item = {"Type": m["type"], "Target": m["target"], "ReadOnly": m["read_only"]}
        if m["source"]:
            item["Source"] = m["source"]
        if m["consistency"]:
            item["Consistency"] = m["consistency"]
        if m["propagation"]:
            item["BindOptions"] = {"Propagation": m["propagation"]}
        volume = {}
        if m["no_copy"]:
            volume["NoCopy"] = True
        if m["labels"]:
            volume["Labels"] = dict(m["labels"])
        if m["volume_driver"] or m["volume_options"]:
            volume["DriverConfig"] = {"Name": m["volume_driver"] or "local", "Options": dict(m["volume_options"] or {})}
        if volume:
            item["VolumeOptions"] = volume
        tmpfs = {}
        if m["tmpfs_size"] is not None:
            tmpfs["SizeBytes"] = m["tmpfs_size"]
        if m["tmpfs_mode"] is not None:
            tmpfs["Mode"] = m["tmpfs_mode"]
        if tmpfs:
            item["TmpfsOptions"] = tmpfs
        out.append(item)
    return out


def mounts_from_engine(mounts):
    out = []
    for m in mounts or []:
        volume = m.get("VolumeOptions") or {}
        driver = volume.get("DriverConfig") or {}
        tmpfs = m.get("TmpfsOptions") or {}
        out.append(dict(
            type=m.get("Type") or "volume",
            source=m.get("Source") or "",
            target=m.get("Target") or "",
            read_only=bool(m.get("ReadOnly", False)),
            consistency=m.get("Consistency") or None,
            propagation=(m.get("BindOptions") or {}).get("Propagation") or None,
            no_copy=bool(volume.get("NoCopy")) or None,
            labels=volume.get("Labels") or None,
            volume_driver=(driver.get("Name") or None) if driver else None,
            volume_options=(driver.get("Options") or {}) or None,
            tmpfs_size=tmpfs.get("SizeBytes"),
            tmpfs_mode=tmpfs.get("Mode"),
        ))
        if out[-1]["volume_driver"] == "local" and not out[-1]["volume_options"]:
            out[-1]["volume_driver"] = None
    return sorted(out, key=lambda m: m["target"])


# --------------------------------------------------------------------------- networks

NETWORK_KEYS = ("name", "aliases", "ipv4_address", "ipv6_address", "links", "mac_address", "driver_opts")


def parse_networks(value):
    if value is None:
        return None
    out = []
    for index, item in enumerate(values.sequence(value, "networks")):
        where = "networks[%d]" % index
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not item.get("name"):
            raise SpecError("%s must be a dict with name (and optional %s)" % (where, ", ".join(NETWORK_KEYS[1:])))
        unknown = values.unknown_keys(item, NETWORK_KEYS)
        if unknown:
            raise SpecError("%s: unknown keys %s; accepted keys: %s" % (where, unknown, ", ".join(NETWORK_KEYS)))
        out.append(dict(
            name=str(item["name"]),
            aliases=sorted(values.string_list(item.get("aliases"), where + ".aliases") or []),
            ipv4_address=values.ip_address(item.get("ipv4_address"), where + ".ipv4_address"),
            ipv6_address=values.ip_address(item.get("ipv6_address"), where + ".ipv6_address"),
            links=sorted(parse_links(item.get("links"), where + ".links") or []),
            mac_address=values.string(item.get("mac_address"), where + ".mac_address"),
            driver_opts=values.string_map(item.get("driver_opts"), where + ".driver_opts") or None,
        ))
    names = [n["name"] for n in out]
    twice = sorted(set(name for name in names if names.count(name) > 1))
    if twice:
        raise SpecError("networks: each network may be listed once; listed more than once: %s"
                        % ", ".join(values.key_text(name) for name in twice[:5]))
    return out


def endpoint_config(network):
    endpoint = {}
    if network.get("aliases"):
        endpoint["Aliases"] = list(network["aliases"])
    ipam = {}
    if network.get("ipv4_address"):
        ipam["IPv4Address"] = network["ipv4_address"]
    if network.get("ipv6_address"):
        ipam["IPv6Address"] = network["ipv6_address"]
    if ipam:
        endpoint["IPAMConfig"] = ipam
    if network.get("links"):
        endpoint["Links"] = list(network["links"])
    if network.get("mac_address"):
        endpoint["MacAddress"] = network["mac_address"]
    if network.get("driver_opts"):
        endpoint["DriverOpts"] = dict(network["driver_opts"])
    return endpoint


def networks_from_engine(inspect, wanted):
    """The attached networks in the form of :func:`parse_networks`, sorted by name.

    The engine adds its own aliases (the container's short ID) and addresses: of those,
    only what ``wanted`` asks for is shown, so an endpoint equals its wanted form when it
    has everything that was asked.
    """
    attached = (inspect.get("NetworkSettings") or {}).get("Networks") or {}
    by_name = dict((n["name"], n) for n in wanted or [])
    out = []
    for name in sorted(attached):
        endpoint = attached[name] or {}
        want = by_name.get(name) or {}
        ipam = endpoint.get("IPAMConfig") or {}
        aliases = endpoint.get("Aliases") or []
        links = links_from_engine(endpoint.get("Links"), inspect.get("Name"))
        mac = endpoint.get("MacAddress") if want.get("mac_address") else None
        out.append(dict(
            name=name,
            aliases=sorted(a for a in want.get("aliases") or [] if a in aliases),
            ipv4_address=(ipam.get("IPv4Address") or None) if want.get("ipv4_address") else None,
            ipv6_address=(ipam.get("IPv6Address") or None) if want.get("ipv6_address") else None,
            links=sorted(link for link in want.get("links") or [] if link in links),
            # Engines before API 1.44 keep no MAC address of their own per endpoint: not comparable there.
            mac_address=(mac or want.get("mac_address")) if want.get("mac_address") else None,
            driver_opts=(endpoint.get("DriverOpts") or None) if want.get("driver_opts") else None,
        ))
    return out


# --------------------------------------------------------------------------- the rest


def read_env_file(path, option="env_file"):
    """An env file on this host -> dict (the rules of :func:`values.parse_env_file`)."""
    try:
        with open(path) as handle:
            text = handle.read(values.MAX_ENV_FILE_BYTES + 1)
    except (IOError, OSError, UnicodeDecodeError) as exc:
        raise SpecError("%s %s cannot be read: %s" % (option, path, getattr(exc, "strerror", None) or exc))
    return values.parse_env_file(text, "%s %s" % (option, path))


def normalize_capabilities(caps):
    out = set()
    for cap in caps or []:
        text = str(cap).strip().upper()
        if text != "ALL" and not text.startswith("CAP_"):
            text = "CAP_" + text
        out.add(text)
    return sorted(out)


def parse_capabilities(value, option):
    items = values.string_list(value, option)
    if items is None:
        return None
    normalized = normalize_capabilities(items)
    for cap in normalized:
        if cap != "ALL" and cap[len("CAP_"):] not in CAPABILITIES:
            raise SpecError("%s: %s is not a Linux capability. Accepted values: ALL or one of %s (with or "
                            "without CAP_, any case)" % (option, values.shown(cap[len("CAP_"):]), ", ".join(CAPABILITIES)))
    return normalized


def parse_devices(value, option):
    items = values.string_list(value, option)
    if items is None:
        return None
    forms = "HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]] with PERMISSIONS a combination of r, w and m"
    out = []
    for item in items:
        parts = item.split(":")
        if len(parts) > 3 or not parts[0].startswith("/"):
            raise SpecError("%s item %s is not valid: expected %s" % (option, values.shown(item), forms))
        host_path = parts[0]
        container_path, perms = host_path, "rwm"
        if len(parts) == 2:
            if parts[1].startswith("/"):
                container_path = parts[1]
            else:
                perms = parts[1]
        elif len(parts) == 3:
            container_path, perms = parts[1], parts[2]
        if not container_path.startswith("/") or not perms or set(perms) - set("rwm"):
            raise SpecError("%s item %s is not valid: expected %s" % (option, values.shown(item), forms))
        out.append({"PathOnHost": host_path, "PathInContainer": container_path, "CgroupPermissions": perms})
    return out


def parse_ulimits(value, option):
    items = values.string_list(value, option)
    if items is None:
        return None
    forms = "NAME:SOFT[:HARD] with NAME one of %s and whole-number limits (-1 unlimited)" % ", ".join(ULIMITS)
    out = []
    for item in items:
        parts = item.split(":")
        if len(parts) not in (2, 3) or parts[0] not in ULIMITS:
            raise SpecError("%s item %s is not valid: expected %s" % (option, values.shown(item), forms))
        try:
            soft = values.integer(parts[1], option)
            hard = values.integer(parts[2], option) if len(parts) == 3 else soft
        except SpecError:
            raise SpecError("%s item %s is not valid: expected %s (at most %d)"
                            % (option, values.shown(item), forms, values.INT64_MAX))
        out.append({"Name": parts[0], "Soft": soft, "Hard": hard})
    return sorted(out, key=lambda u: u["Name"])


def parse_sysctls(value, option):
    parsed = values.string_map(value, option)
    return parsed


def parse_tmpfs(value, option):
    items = values.string_list(value, option)
    if items is None:
        return None
    out = {}
    for item in items:
        path, _sep, opts = item.partition(":")
        if not path.startswith("/"):
            raise SpecError("%s item %s: the path %s must be absolute; expected /PATH[:OPTIONS] "
                            "(e.g. /run:size=64m)" % (option, values.shown(item), values.shown(path)))
        out[path] = opts
    return out


def parse_etc_hosts(value, option):
    mapping = values.string_map(value, option)
    if mapping is None:
        return None
    out = []
    for host_name, address in sorted(mapping.items()):
        if address != "host-gateway" and not values.is_ip(address):
            raise SpecError("%s.%s %s is not an IP address (or host-gateway)"
                            % (option, values.key_text(host_name), values.shown(address)))
        out.append("%s:%s" % (host_name, address))
    return out


def parse_throttle(value, option, iops=False):
    if value is None:
        return None
    out = []
    for index, item in enumerate(values.sequence(value, option)):
        where = "%s[%d]" % (option, index)
        if not isinstance(item, dict) or not item.get("path") or item.get("rate") is None:
            raise SpecError("%s must be a dict with path and rate" % where)
        if not str(item["path"]).startswith("/"):
            raise SpecError("%s.path %s must be an absolute device path" % (where, values.shown(item["path"])))
        rate = values.nonneg_int(item["rate"], where + ".rate") if iops else values.size(item["rate"], where + ".rate")
        out.append({"Path": str(item["path"]), "Rate": rate})
    return out


def parse_device_requests(value, option):
    if value is None:
        return None
    out = []
    for index, item in enumerate(values.sequence(value, option)):
        where = "%s[%d]" % (option, index)
        if not isinstance(item, dict):
            raise SpecError("%s must be a dict with driver, count, device_ids, capabilities, options" % where)
        caps = item.get("capabilities") or []
        if not all(isinstance(group, list) for group in caps):
            raise SpecError("%s.capabilities must be a list of lists, e.g. [[gpu]]" % where)
        out.append({
            "Driver": values.string(item.get("driver"), where + ".driver") or "",
            "Count": values.integer(item.get("count"), where + ".count", minimum=-1) or 0,
            "DeviceIDs": values.string_list(item.get("device_ids"), where + ".device_ids") or [],
            "Capabilities": [[str(c) for c in group] for group in caps],
            "Options": values.string_map(item.get("options"), where + ".options") or {},
        })
    return out


def device_requests_from_engine(requests):
    return [{
        "Driver": r.get("Driver") or "",
        "Count": r.get("Count") or 0,
        "DeviceIDs": list(r.get("DeviceIDs") or []),
        "Capabilities": [list(group) for group in r.get("Capabilities") or []],
        "Options": dict(r.get("Options") or {}),
    } for r in requests or []]


def parse_links(value, option):
    items = values.string_list(value, option)
    if items is None:
        return None
    out = []
    for item in items:
        name, _sep, alias = item.partition(":")
        if not name or not NAME_RE.match(name.lstrip("/")):
            raise SpecError("%s item %s is not valid: expected NAME or NAME:ALIAS" % (option, values.shown(item)))
        out.append("%s:%s" % (name.lstrip("/"), alias or name.lstrip("/")))
    return out


def links_from_engine(links, container_name):
    """``/db:/web/database`` -> ``db:database``."""
    out = []
    for link in links or []:
        name, _sep, alias = link.partition(":")
        out.append("%s:%s" % (name.lstrip("/"), alias.rsplit("/", 1)[-1] if alias else name.lstrip("/")))
    return sorted(out)


def parse_exposed(value, option):
    items = values.string_list(value, option)
    if items is None:
        return None
    out = set()
    for item in items:
        text = item.strip()
        proto = "tcp"
        if "/" in text:
            text, proto = text.split("/", 1)
            proto = proto.lower()
        match = re.match(r"^([0-9]{1,5})(?:-([0-9]{1,5}))?$", text)
        if proto not in PROTOCOLS or not match:
            raise SpecError("%s item %s is not valid: expected PORT[/PROTOCOL] or START-END[/PROTOCOL] with "
                            "PROTOCOL tcp, udp or sctp" % (option, values.shown(item)))
        start, end = int(match.group(1)), int(match.group(2) or match.group(1))
        if not 1 <= start <= end <= 65535:
            raise SpecError("%s item %s: ports must be 1-65535" % (option, values.shown(item)))
        for port in range(start, end + 1):
            out.add("%d/%s" % (port, proto))
    return sorted(out)
