# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Docker volume settings: the desired ones from the options, the actual ones read back, their differences (pure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError

NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
RECREATE_CHOICES = ("never", "options-changed", "always")


def desired(params):
    """Validate the volume options; return ``{driver, driver_options, labels}`` (options the user set)."""
    name = params.get("name") or ""
    if not NAME_RE.match(name):
        raise SpecError(
            "name %r is not a valid volume name: use the characters [a-zA-Z0-9_.-], starting with a letter or digit"
            % name)
    if params.get("recreate", "never") not in RECREATE_CHOICES:
        raise SpecError("recreate must be one of %s, got %r" % (", ".join(RECREATE_CHOICES), params.get("recreate")))
    settings = {"driver": params.get("driver") or "local"}
    if params.get("driver_options") is not None:
        settings["driver_options"] = values.string_map(params["driver_options"], "driver_options")
    if params.get("labels") is not None:
        settings["labels"] = values.string_map(params["labels"], "labels")
    return settings


def actual(inspect):
    """The settings of an existing volume (its inspect data) in the form of :func:`desired`."""
    return {"driver": inspect.get("Driver"), "driver_options": dict(inspect.get("Options") or {}),
            "labels": dict(inspect.get("Labels") or {})}


def differences(desired, actual):
    """The settings of ``desired`` the volume has otherwise, in name order: name -> the volume's value.

    The driver options are compared whole (an option the volume has and ``desired`` lacks differs); of the labels,
    only those given (``labels`` is then the volume's values of those).
    """
    found = dict(actual, labels=dict((k, actual["labels"][k]) for k in desired.get("labels", {}) if k in actual["labels"]))
    return dict((key, found[key]) for key in sorted(desired) if desired[key] != found[key])


def plan(desired, inspect, state, recreate):
    """What to do: a list of steps among ``create``, ``remove`` (``[]`` = nothing to do)."""
    if state == "absent":
        return ["remove"] if inspect else []
    if not inspect:
        return ["create"]
    if recreate == "always":
        return ["remove", "create"]
    if differences(desired, actual(inspect)) and recreate == "options-changed":
        return ["remove", "create"]
    return []


def container_names(listed):
    """Sorted names of containers from ``/containers/json`` entries."""
    names = []
    for entry in listed or []:
        entry_names = entry.get("Names") or []
        names.append(entry_names[0].lstrip("/") if entry_names else (entry.get("Id") or "")[:12])
    return sorted(names)
