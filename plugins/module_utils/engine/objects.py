# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of ``volume``, ``prune``, ``exec`` and ``engine_info``'s host inventory.

Nothing here talks to an engine: the functions take module parameters and the JSON
documents the Engine API returns, and are unit tested without a daemon.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import re
import shlex
import struct
import time

from ansible_collections.dockyard.docker.plugins.module_utils.client import OWNER_LABEL
from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError

VOLUME_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
RECREATE_CHOICES = ("never", "options-changed", "always")


def volume_desired(params):
    """Validate the volume options; return ``{driver, driver_options, labels}`` (options the user set)."""
    name = params.get("name") or ""
    if not VOLUME_NAME_RE.match(name):
        raise SpecError(
            "name %r is not a valid volume name: use the characters [a-zA-Z0-9_.-], starting with a letter or digit"
            % name)
    if params.get("recreate", "never") not in RECREATE_CHOICES:
        raise SpecError("recreate must be one of %s, got %r" % (", ".join(RECREATE_CHOICES), params.get("recreate")))
    desired = {"driver": params.get("driver") or "local"}
    if params.get("driver_options") is not None:
        desired["driver_options"] = values.string_map(params["driver_options"], "driver_options")
    if params.get("labels") is not None:
        desired["labels"] = values.string_map(params["labels"], "labels")
    return desired


def volume_view(desired, inspect):
    """The engine's values of the settings in ``desired`` (labels: only the keys the user gave)."""
    inspect = inspect or {}
    view = {"driver": inspect.get("Driver")}
    if "driver_options" in desired:
        view["driver_options"] = dict(inspect.get("Options") or {})
    if "labels" in desired:
        actual = inspect.get("Labels") or {}
        view["labels"] = dict((k, actual[k]) for k in desired["labels"] if k in actual)
    return view


def volume_differences(desired, inspect):
    """Names of the settings that differ, and the engine's view of them."""
    actual = volume_view(desired, inspect)
    return [key for key in sorted(desired) if desired[key] != actual.get(key)], actual


def volume_plan(desired, inspect, state, recreate):
    """What to do: a list of steps among ``create``, ``remove`` (``[]`` = nothing to do)."""
    if state == "absent":
        return ["remove"] if inspect else []
    if not inspect:
        return ["create"]
    if recreate == "always":
        return ["remove", "create"]
    differing, _actual = volume_differences(desired, inspect)
    if differing and recreate == "options-changed":
        return ["remove", "create"]
    return []


def container_names(listed):
    """Sorted names of containers from ``/containers/json`` entries."""
    names = []
    for entry in listed or []:
        entry_names = entry.get("Names") or []
        names.append(entry_names[0].lstrip("/") if entry_names else (entry.get("Id") or "")[:12])
    return sorted(names)


# --------------------------------------------------------------------------- prune
PRUNE_KINDS = ("containers", "images", "networks", "volumes")
PRUNE_FILTER_KEYS = {
    "containers": ("until", "label", "label!"),
    "images": ("dangling", "until", "label", "label!"),
    "networks": ("until", "label", "label!"),
    "volumes": ("all", "label", "label!"),
}
# Engines of API 1.42 (Docker 23) and later mark the volumes they create without a name with this label;
# every engine names such a volume with 64 random hex digits.
ANONYMOUS_VOLUME_LABEL = "com.docker.volume.anonymous"
_ANONYMOUS_NAME_RE = re.compile(r"[0-9a-f]{64}\Z")
PREDEFINED_NETWORKS = ("bridge", "host", "none", "ingress", "docker_gwbridge")


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def parse_rfc3339(text):
    """Seconds since the epoch of an RFC 3339 timestamp as the engine writes them (any fraction, Z or offset)."""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$", text or "")
    if not m:
        raise ValueError("not an RFC 3339 timestamp: %r" % text)
    parts = [int(x) for x in m.groups()[:6]]
    seconds = calendar.timegm(tuple(parts) + (0, 0, 0))
    if m.group(7):
        seconds += float("0" + m.group(7))
    zone = m.group(8)
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        seconds -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return seconds


def parse_until(value, now):
    """The cut-off (seconds since the epoch) of an ``until`` filter: a Go duration, unix seconds or RFC 3339."""
    text = str(value).strip()
    if re.match(r"^\d+(\.\d+)?$", text):
        return float(text)
    if text[-1:].isalpha():
        try:
            return now - values.duration(text, "until") / 10 ** 9
        except SpecError:
            pass
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        text += "T00:00:00Z"
    return parse_rfc3339(text)


def _truthy(option, key, value):
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise SpecError("%s.%s must be true or false, got %r" % (option, key, value))


def prune_filters(kind, filters, now=None):
    """Validate one ``<kind>_filters`` dict; return it normalised (lists of strings, ``dangling`` a bool).

    Unknown keys fail naming the option and the keys it accepts, before anything is touched.
    """
    option = "%s_filters" % kind
    accepted = PRUNE_FILTER_KEYS[kind]
    now = time.time() if now is None else now
    out = {}
    for key, value in (filters or {}).items():
        if key not in accepted:
            raise SpecError("%s: unknown filter %r; accepted filters: %s" % (option, key, ", ".join(accepted)))
        if key in ("dangling", "all"):
            values = _as_list(value)
            if len(values) != 1:
                raise SpecError("%s.%s takes one value, true or false" % (option, key))
            out[key] = _truthy(option, key, values[0])
            continue
        values = [str(v) for v in _as_list(value) if v is not None and str(v) != ""]
        if not values:
            raise SpecError("%s.%s needs a value" % (option, key))
        if key == "until":
            if len(values) != 1:
                raise SpecError("%s.until takes one value" % option)
            try:
                parse_until(values[0], now)
            except ValueError:
                raise SpecError(
                    "%s.until %r is neither a duration (e.g. 24h, 90m), unix seconds nor an RFC 3339 timestamp"
                    % (option, values[0]))
        out[key] = values
    return out


def _labels_match(wanted, labels):
    """The engine's rule: every ``key`` / ``key=value`` in ``wanted`` is on the object."""
    for item in wanted:
        key, sep, val = item.partition("=")
        if key not in labels:
            return False
        if sep and labels[key] != val:
            return False
    return True


def names_owner_label(filters):
    """Whether the user's ``label`` filter asks for this collection's ownership label."""
    return any(item.partition("=")[0] == OWNER_LABEL for item in filters.get("label") or [])


def filters_match(filters, labels, created, now):
    """Whether an object with ``labels`` created at ``created`` (epoch seconds or None) passes ``filters``."""
    labels = labels or {}
    if filters.get("label") and not _labels_match(filters["label"], labels):
        return False
    if filters.get("label!") and _labels_match(filters["label!"], labels):
        return False
    if filters.get("until"):
        cutoff = parse_until(filters["until"][0], now)
        if created is None or created >= cutoff:
            return False
    if OWNER_LABEL in labels and not names_owner_label(filters):
        return False
    return True


def _created(value):
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return parse_rfc3339(value)
    except ValueError:
        return None


def prune_containers(listed, filters, now):
    """Containers to remove: not running (nor paused/restarting), passing the filters; from ``containers(all=True)``."""
    out = []
    for entry in listed or []:
        if entry.get("State") in ("running", "paused", "restarting", "removing"):
            continue
        if filters_match(filters, entry.get("Labels"), _created(entry.get("Created")), now):
            names = entry.get("Names") or []
            out.append(dict(id=entry["Id"], name=names[0].lstrip("/") if names else entry["Id"][:12],
                            size=max(entry.get("SizeRw") or 0, 0)))
    return sorted(out, key=lambda c: c["name"])


def _is_dangling(image):
    tags = [t for t in (image.get("RepoTags") or []) if t != "<none>:<none>"]
    return not tags


def prune_images(listed, containers, filters, now):
    """Images to remove from ``images()`` entries: unused by any container; only untagged ones unless dangling=false."""
    used = set(c.get("ImageID") for c in containers or [])
    dangling_only = filters.get("dangling", True)
    out = []
    for image in listed or []:
        if image["Id"] in used:
            continue
        if dangling_only and not _is_dangling(image):
            continue
        if filters_match(filters, image.get("Labels"), _created(image.get("Created")), now):
            tags = [t for t in (image.get("RepoTags") or []) if t != "<none>:<none>"]
            out.append(dict(id=image["Id"], tags=sorted(tags)))
    return sorted(out, key=lambda i: i["id"])


def prune_networks(inspected, filters, now):
    """Networks to remove from inspect documents: local, not predefined, no container attached."""
    out = []
    for net in inspected or []:
        if net.get("Name") in PREDEFINED_NETWORKS or net.get("Scope", "local") != "local":
            continue
        if net.get("Containers"):
            continue
        if filters_match(filters, net.get("Labels"), _created(net.get("Created")), now):
            out.append(dict(id=net["Id"], name=net["Name"]))
    return sorted(out, key=lambda n: n["name"])


def is_anonymous_volume(vol):
    """Whether a volume was created without a name: the engine's label (API 1.42+), else the name it generated.

    Engines before API 1.42 write no label, so there a volume counts as anonymous when its name is the 64 hex
    digits the engine generates; a volume someone named never looks like that in practice (Compose names
    them ``<project>_<volume>``).
    """
    if ANONYMOUS_VOLUME_LABEL in (vol.get("Labels") or {}):
        return True
    return bool(_ANONYMOUS_NAME_RE.match(vol.get("Name") or ""))


def prune_volumes(listed, usage, filters, now):
    """Volumes to remove from ``volumes()`` entries unused by any container (``usage``: name -> (refcount, size)).

    Only anonymous volumes (:func:`is_anonymous_volume`), as ``docker volume prune`` since API 1.42, unless the
    ``all`` filter is true (``docker volume prune --all``): named volumes hold data someone chose to keep.
    """
    out = []
    for vol in listed or []:
        refs, size = usage.get(vol["Name"], (0, -1))
        if refs:
            continue
        if not filters.get("all") and not is_anonymous_volume(vol):
            continue
        if filters_match(filters, vol.get("Labels"), _created(vol.get("CreatedAt")), now):
            out.append(dict(name=vol["Name"], size=max(size or 0, 0)))
    return sorted(out, key=lambda v: v["name"])


def volume_usage(containers, df):
    """name -> (containers using it, bytes): users from ``containers(all=True)`` mounts, sizes from ``/system/df``.

    The users are counted from the containers themselves: some engines leave volumes out of ``/system/df``.
    """
    usage = {}
    for vol in (df or {}).get("Volumes") or []:
        usage[vol.get("Name")] = (0, (vol.get("UsageData") or {}).get("Size", -1))
    for entry in containers or []:
        for mount in entry.get("Mounts") or []:
            if mount.get("Type") == "volume" and mount.get("Name"):
                refs, size = usage.get(mount["Name"], (0, -1))
                usage[mount["Name"]] = (refs + 1, size)
    return usage


def image_unique_sizes(df):
    """image ID -> bytes only that image holds (Size - SharedSize) from ``/system/df``."""
    sizes = {}
    for image in (df or {}).get("Images") or []:
        size = image.get("Size") or 0
        shared = image.get("SharedSize")
        sizes[image.get("Id")] = max(size - shared, 0) if shared is not None and shared >= 0 else size
    return sizes


# --------------------------------------------------------------------------- exec
def exec_argv(params):
    """The process argv from ``command`` (shell-split) or ``argv``."""
    if params.get("argv") is not None:
        argv = [str(a) for a in params["argv"]]
        if not argv:
            raise SpecError("argv must not be empty")
        return argv
    command = params.get("command")
    if command is None or not str(command).strip():
        raise SpecError("one of command or argv is required (command must not be empty)")
    try:
        return shlex.split(str(command))
    except ValueError as exc:
        raise SpecError("command %r cannot be split into arguments: %s" % (command, exc))


def exec_env(env):
    """``env`` dict as the ``KEY=value`` list the engine takes (values must be strings)."""
    return ["%s=%s" % (k, v) for k, v in sorted((values.string_map(env, "env") or {}).items())]


def demux_stream(data):
    """Split the engine's multiplexed attach stream (8-byte frame headers) into (stdout, stderr) bytes."""
    out, err = [], []
    pos = 0
    while pos + 8 <= len(data):
        stream, size = struct.unpack(">BxxxL", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + size]
        pos += 8 + size
        (err if stream == 2 else out).append(chunk)
    return b"".join(out), b"".join(err)


def strip_empty_ends(text):
    """Empty lines at the start and end removed, and the trailing newline."""
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


# --------------------------------------------------------------------------- engine_info inventory
def image_summary(entry):
    return dict(
        Id=entry.get("Id"), RepoTags=entry.get("RepoTags") or [], RepoDigests=entry.get("RepoDigests") or [],
        Created=entry.get("Created"), Size=entry.get("Size"), Labels=entry.get("Labels") or {},
    )


def network_summary(entry):
    return dict(
        Id=entry.get("Id"), Name=entry.get("Name"), Driver=entry.get("Driver"), Scope=entry.get("Scope"),
        Created=entry.get("Created"), Internal=entry.get("Internal"), Attachable=entry.get("Attachable"),
        Labels=entry.get("Labels") or {},
    )


def volume_summary(entry):
    return dict(
        Name=entry.get("Name"), Driver=entry.get("Driver"), Mountpoint=entry.get("Mountpoint"),
        Scope=entry.get("Scope"), CreatedAt=entry.get("CreatedAt"), Labels=entry.get("Labels") or {},
        Options=entry.get("Options") or {},
    )


def disk_usage_summary(df):
    """Counts and bytes per kind from ``/system/df``, as ``docker system df`` shows them."""
    df = df or {}

    def kind(items, size_of, active_of):
        items = items or []
        return dict(count=len(items), active=sum(1 for i in items if active_of(i)),
                    size=sum(max(size_of(i) or 0, 0) for i in items))

    return dict(
        layers_size=df.get("LayersSize") or 0,
        images=kind(df.get("Images"), lambda i: i.get("Size"), lambda i: (i.get("Containers") or 0) > 0),
        containers=kind(df.get("Containers"), lambda c: c.get("SizeRw"), lambda c: c.get("State") == "running"),
        volumes=kind(df.get("Volumes"), lambda v: (v.get("UsageData") or {}).get("Size"),
                     lambda v: ((v.get("UsageData") or {}).get("RefCount") or 0) > 0),
        build_cache=kind(df.get("BuildCache"), lambda b: b.get("Size"), lambda b: b.get("InUse")),
    )
