# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Docker network settings: the desired ones from the options, the actual ones read back, their differences and
the create request (pure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import ipaddress

from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError

NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")


def _text(value):
    return u"%s" % value


def desired(params):
    """Check the options; return the normalised desired settings (only those the user set)."""
    name = params.get("name") or ""
    if not NAME_RE.match(name):
        raise SpecError(
            "name %r is not a valid network name: use the characters [a-zA-Z0-9_.-], starting with a letter "
            "or digit" % name
        )
    settings = {"driver": params.get("driver") or "bridge"}
    for key in ("attachable", "internal"):
        if params.get(key) is not None:
            settings[key] = bool(params[key])
    subnet, gateway = params.get("subnet"), params.get("gateway")
    if gateway and not subnet:
        raise SpecError("gateway needs subnet (e.g. subnet: 172.30.0.0/24, gateway: 172.30.0.1)")
    if subnet:
        try:
            net = ipaddress.ip_network(_text(subnet), strict=True)
        except ValueError as exc:
            raise SpecError("subnet %r is not a network in CIDR notation (e.g. 172.30.0.0/24): %s" % (subnet, exc))
        settings["subnet"] = str(net)
        if gateway:
            try:
                addr = ipaddress.ip_address(_text(gateway))
            except ValueError:
                raise SpecError("gateway %r is not an IP address" % gateway)
            if addr not in net:
                raise SpecError("gateway %s is not inside subnet %s" % (gateway, net))
            settings["gateway"] = str(addr)
    labels = params.get("labels")
    if labels is not None:
        out = {}
        for key, val in labels.items():
            if isinstance(val, bool):
                raise SpecError("labels.%s is the boolean %s: quote it" % (key, val))
            out[str(key)] = "" if val is None else str(val)
        settings["labels"] = out
    return settings


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


def actual(inspect):
    """The settings of an existing network (its inspect data) in the form of :func:`desired`."""
    pools = ((inspect.get("IPAM") or {}).get("Config")) or []
    return {
        "driver": inspect.get("Driver"),
        "attachable": bool(inspect.get("Attachable")),
        "internal": bool(inspect.get("Internal")),
        "subnet": pools[0].get("Subnet") if pools else None,
        "gateway": pools[0].get("Gateway") if pools else None,
        "labels": dict(inspect.get("Labels") or {}),
    }


def differences(desired, actual):
    """The settings of ``desired`` the network has otherwise, in name order: name -> the network's value.

    Every difference needs a new network. Of the labels only those given count (``labels`` is then the
    network's values of those).
    """
    found = dict(actual, labels=dict((k, actual["labels"][k]) for k in desired.get("labels", {}) if k in actual["labels"]))
    return dict((key, found[key]) for key in sorted(desired) if desired[key] != found[key])
