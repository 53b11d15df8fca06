# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Docker network options: validation, the create request and comparison (pure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import ipaddress

NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")


class NetworkSpecError(ValueError):
    pass


def _text(value):
    return u"%s" % value


def validate(params):
    """Check the options; return the normalised desired settings (only those the user set)."""
    name = params.get("name") or ""
    if not NAME_RE.match(name):
        raise NetworkSpecError(
            "name %r is not a valid network name: use the characters [a-zA-Z0-9_.-], starting with a letter "
            "or digit" % name
        )
    desired = {"driver": params.get("driver") or "bridge"}
    for key in ("attachable", "internal"):
        if params.get(key) is not None:
            desired[key] = bool(params[key])
    subnet, gateway = params.get("subnet"), params.get("gateway")
    if gateway and not subnet:
        raise NetworkSpecError("gateway needs subnet (e.g. subnet: 172.30.0.0/24, gateway: 172.30.0.1)")
    if subnet:
        try:
            net = ipaddress.ip_network(_text(subnet), strict=True)
        except ValueError as exc:
            raise NetworkSpecError("subnet %r is not a network in CIDR notation (e.g. 172.30.0.0/24): %s" % (subnet, exc))
        desired["subnet"] = str(net)
        if gateway:
            try:
                addr = ipaddress.ip_address(_text(gateway))
            except ValueError:
                raise NetworkSpecError("gateway %r is not an IP address" % gateway)
            if addr not in net:
                raise NetworkSpecError("gateway %s is not inside subnet %s" % (gateway, net))
            desired["gateway"] = str(addr)
    labels = params.get("labels")
    if labels is not None:
        out = {}
        for key, val in labels.items():
            if isinstance(val, bool):
                raise NetworkSpecError("labels.%s is the boolean %s: quote it" % (key, val))
            out[str(key)] = "" if val is None else str(val)
        desired["labels"] = out
    return desired


def create_kwargs(desired):
    """Keyword arguments for ``APIClient.create_network``."""
    kwargs = dict(driver=desired["driver"])
    if desired.get("internal"):
        kwargs["internal"] = True
    if desired.get("attachable") is not None:
        kwargs["attachable"] = desired["attachable"]
    if desired.get("labels"):
        kwargs["labels"] = desired["labels"]
    if desired.get("subnet"):
        pool = {"Subnet": desired["subnet"]}
        if desired.get("gateway"):
            pool["Gateway"] = desired["gateway"]
        kwargs["ipam"] = {"Driver": "default", "Config": [pool], "Options": {}}
    return kwargs


def actual_view(desired, inspect):
    """The engine's values of the settings in ``desired``."""
    view = {"driver": inspect.get("Driver")}
    if "attachable" in desired:
        view["attachable"] = bool(inspect.get("Attachable"))
    if "internal" in desired:
        view["internal"] = bool(inspect.get("Internal"))
    pools = ((inspect.get("IPAM") or {}).get("Config")) or []
    if "subnet" in desired:
        view["subnet"] = pools[0].get("Subnet") if pools else None
    if "gateway" in desired:
        view["gateway"] = pools[0].get("Gateway") if pools else None
    if "labels" in desired:
        actual = inspect.get("Labels") or {}
        view["labels"] = dict((k, actual[k]) for k in desired["labels"] if k in actual)
    return view


def compare(desired, inspect):
    """Names of the settings that differ (every difference needs a new network)."""
    actual = actual_view(desired, inspect)
    return [key for key in sorted(desired) if desired[key] != actual.get(key)], actual
