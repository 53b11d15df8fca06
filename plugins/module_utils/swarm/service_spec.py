# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic for ``swarm_service``: validate options, build the engine's ServiceSpec, compare specs.

Nothing here talks to an engine.  The module resolves names (networks, secrets,
configs) to IDs and passes them in; the option table (:mod:`.options`) turns module
options into the JSON the engine stores (``docker service inspect`` ``.Spec``) and
says how each part compares; this file tells whether an existing service already
matches, so that a re-run with the same options triggers no service update.

Comparison rule: only what the user specified is compared.  Inside a section
the user gave (``update_config``, a mount, ...), keys the user left out are not
compared (the engine fills defaults there); user maps (labels, driver options)
are compared as a whole; a missing key equals an empty/false/zero value.
To clear a list (for example all published ports) give an empty list.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.images import with_default_tag
from ansible_collections.dockyard.docker.plugins.module_utils.swarm import options
# The names below are the table's; they are kept here for the code that has always imported them from this file.
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.options import (  # noqa: F401 pylint: disable=unused-import
    ENDPOINT_MODES,
    JOB_MODES,
    MAP_PATHS,
    MODE_KEYS,
    MODES,
    MOUNT_TYPES,
    ORDERS,
    PROPAGATIONS,
    PROTOCOLS,
    PUBLISH_MODES,
    RESTART_CONDITIONS,
    ROLLBACK_FAILURE_ACTIONS,
    UNORDERED_PATHS,
    UPDATE_FAILURE_ACTIONS,
    SpecError,
    validate_mode,
)

parse_duration = values.duration
parse_size = values.size


def pin_image(image, digest):
    """``name[:tag]`` and the registry's digest -> ``name:tag@sha256:...`` (the form ``docker service create``
    records); an image already pinned by digest is kept as it is."""
    if not image or "@" in image:
        return image
    return "%s@%s" % (with_default_tag(image), digest)


def build_spec(params, network_ids=None, secret_ids=None, config_ids=None):
    """Module options -> desired ServiceSpec (only the parts the user manages), built by the option table
    (:func:`.options.build`).

    Raises :class:`SpecError` with a message naming the option on bad input.
    """
    return options.build(params, network_ids, secret_ids, config_ids)


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
