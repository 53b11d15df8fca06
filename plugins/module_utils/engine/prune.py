# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of ``prune``: which containers, images, networks and volumes to remove, and the space they hold.

Nothing here talks to an engine: the functions take module parameters and the JSON documents the Engine API
returns, and are unit tested without a daemon.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import re
import time

from ansible_collections.dockyard.docker.plugins.module_utils.client import OWNER_LABEL
from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError

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
    """The cut-off (seconds since the epoch) of an ``until`` filter: unix seconds, a Go duration or RFC 3339.

    Plain numbers are unix seconds here, so they are read before :func:`values.duration` (which takes them as
    seconds of duration) judges the rest.
    """
    text = str(value).strip()
    if re.match(r"^\d+(\.\d+)?$", text):
        return float(text)
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
            given = _as_list(value)
            if len(given) != 1:
                raise SpecError("%s.%s takes one value, true or false" % (option, key))
            out[key] = _truthy(option, key, given[0])
            continue
        given = [str(v) for v in _as_list(value) if v is not None and str(v) != ""]
        if not given:
            raise SpecError("%s.%s needs a value" % (option, key))
        if key == "until":
            if len(given) != 1:
                raise SpecError("%s.until takes one value" % option)
            try:
                parse_until(given[0], now)
            except ValueError:
                raise SpecError(
                    "%s.until %r is neither a duration (e.g. 24h, 90m), unix seconds nor an RFC 3339 timestamp"
                    % (option, given[0]))
        out[key] = given
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
