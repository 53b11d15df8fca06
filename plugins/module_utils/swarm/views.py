# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the swarm and stack info modules show (pure: engine JSON in, rows out).

``swarm_info`` summarises nodes, services and tasks with the keys community.docker's
``docker_swarm_info`` uses; ``stack_info`` and ``stack_task_info`` build the rows
``docker stack ls`` and ``docker stack ps`` print with ``--format '{{json .}}'``,
from the services that carry the stack namespace label.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import re
import time

STACK_NAMESPACE = "com.docker.stack.namespace"
# The CLI shortens a task's error to this many characters (ending in an ellipsis).
CLI_ERROR_WIDTH = 30
CLI_ID_WIDTH = 12

FILTER_KINDS = ("nodes", "services", "tasks")


class ManagerOnly(Exception):
    """Manager data was asked of an engine that is not a swarm manager."""


def manager_refusal(what, swarm, host=None):
    """Pure: the error for ``what`` (e.g. ``nodes``) asked of a non-manager, or ``None`` on a manager."""
    if swarm.get("is_manager"):
        return None
    where = " %s" % host if host else ""
    if swarm.get("role") == "worker":
        return ("%s are only known to swarm managers, and the engine%s is a worker: run this task on a manager "
                "(for example with delegate_to: a host of the managers group)" % (what, where))
    return ("%s are only known to swarm managers, and the engine%s is not in a swarm (state %s): run this task on "
            "a manager" % (what, where, swarm.get("state") or "inactive"))


def node_summary(node):
    """The short form of a node (``docker node ls``'s columns)."""
    manager = node.get("ManagerStatus")
    if manager is None:
        manager_status = None
    elif manager.get("Leader"):
        manager_status = "Leader"
    else:
        manager_status = manager.get("Reachability")
    description = node.get("Description") or {}
    return dict(
        ID=node.get("ID"),
        Hostname=description.get("Hostname"),
        Status=(node.get("Status") or {}).get("State"),
        Availability=(node.get("Spec") or {}).get("Availability"),
        ManagerStatus=manager_status,
        EngineVersion=(description.get("Engine") or {}).get("EngineVersion"),
    )


def service_summary(service):
    """The short form of a service (``docker service ls``'s columns; ``Replicas`` is ``None`` when global)."""
    spec = service.get("Spec") or {}
    mode = spec.get("Mode") or {}
    if "Replicated" in mode:
        kind, replicas = "Replicated", (mode["Replicated"] or {}).get("Replicas")
    elif "Global" in mode:
        kind, replicas = "Global", None
    else:
        kind = next(iter(mode), None)
        replicas = (mode.get(kind) or {}).get("MaxConcurrent") if kind else None
    return dict(
        ID=service.get("ID"),
        Name=spec.get("Name"),
        Mode=kind,
        Replicas=replicas,
        Image=((spec.get("TaskTemplate") or {}).get("ContainerSpec") or {}).get("Image"),
        Ports=(spec.get("EndpointSpec") or {}).get("Ports") or [],
    )


def node_names(nodes):
    """Node ID -> host name."""
    return dict((n.get("ID"), (n.get("Description") or {}).get("Hostname")) for n in nodes or [])


def task_summary(task, names):
    """The short form of a task; ``names`` maps node IDs to host names."""
    status = task.get("Status") or {}
    return dict(
        ID=task.get("ID"),
        ContainerID=(status.get("ContainerStatus") or {}).get("ContainerID"),
        Image=((task.get("Spec") or {}).get("ContainerSpec") or {}).get("Image"),
        Node=names.get(task.get("NodeID")),
        DesiredState=task.get("DesiredState"),
        CurrentState=status.get("State"),
        Error=status.get("Err"),
    )


def validate_filters(params):
    """Pure: each ``<kind>_filters`` must be a dict of strings, lists or booleans; returns an error or ``None``."""
    for kind in FILTER_KINDS:
        filters = params.get(kind + "_filters")
        if filters is None:
            continue
        if not params.get(kind):
            return "%s_filters is only used with %s: true" % (kind, kind)
        for key, value in filters.items():
            items = value if isinstance(value, list) else [value]
            if not all(isinstance(item, (str, bool, int)) for item in items):
                return ("%s_filters.%s must be a string, a boolean or a list of strings (as the engine's API takes "
                        "filters), got %r" % (kind, key, value))
    return None


# --------------------------------------------------------------------------- stacks, as the CLI prints them
def stack_rows(services):
    """``docker stack ls`` rows from every service: one per namespace label value, sorted by name."""
    counts = {}
    for service in services or []:
        labels = (service.get("Spec") or {}).get("Labels") or {}
        namespace = labels.get(STACK_NAMESPACE)
        if namespace:
            counts[namespace] = counts.get(namespace, 0) + 1
    return [dict(Name=name, Namespace="", Orchestrator="Swarm", Services=str(counts[name]))
            for name in sorted(counts)]


def human_duration(seconds):
    """How long ago, worded as the Docker CLI words it (``5 minutes``, ``About an hour``, ``2 days``)."""
    if seconds < 1:
        return "Less than a second"
    if int(seconds) == 1:
        return "1 second"
    if seconds < 60:
        return "%d seconds" % int(seconds)
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return "%d minutes" % minutes
    hours = int(seconds / 3600.0 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return "%d hours" % hours
    if hours < 24 * 7 * 2:
        return "%d days" % (hours // 24)
    if hours < 24 * 30 * 2:
        return "%d weeks" % (hours // 24 // 7)
    if hours < 24 * 365 * 2:
        return "%d months" % (hours // 24 // 30)
    return "%d years" % int(seconds / 3600.0 / 24 / 365)


_TIMESTAMP = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def parse_timestamp(value):
    """An engine timestamp (RFC 3339 with nanoseconds) -> seconds since the epoch, or ``None``."""
    m = _TIMESTAMP.match(value or "")
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    epoch = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)) + float(m.group(7) or 0)
    zone = m.group(8)
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        epoch -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return epoch


def _pretty(state):
    return state[:1].upper() + state[1:] if state else ""


def cli_image(image):
    """The image as ``docker stack ps`` shows it: a tagged reference loses its digest, as the CLI trims it."""
    image = image or ""
    name, _at, _digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if _at and ":" in last:
        image = name
    for prefix in ("docker.io/library/", "docker.io/"):
        if image.startswith(prefix):
            return image[len(prefix):]
    return image


def cli_ports(task):
    ports = ((task.get("Status") or {}).get("PortStatus") or {}).get("Ports") or []
    return ", ".join("*:%s->%s/%s" % (p.get("PublishedPort"), p.get("TargetPort"), p.get("Protocol") or "tcp")
                     for p in ports)


def cli_error(text):
    text = text or ""
    if len(text) > CLI_ERROR_WIDTH:
        return text[:CLI_ERROR_WIDTH - 1] + u"\u2026"
    return text


def stack_task_rows(tasks, service_names, names, now=None):
    """``docker stack ps`` rows (``--format '{{json .}}'``) for ``tasks``.

    ``service_names`` maps service IDs to names, ``names`` node IDs to host names. A task's
    name is ``<service>.<slot>`` (``<service>.<node ID>`` for a global service's task).
    Sorted as the CLI sorts: by name, then newest first.
    """
    now = time.time() if now is None else now
    rows = []
    for task in tasks or []:
        service = service_names.get(task.get("ServiceID"), task.get("ServiceID"))
        slot = task.get("Slot")
        name = "%s.%s" % (service, slot if slot else task.get("NodeID"))
        status = task.get("Status") or {}
        since = parse_timestamp(status.get("Timestamp"))
        ago = human_duration(max(0.0, now - since)).lower() + " ago" if since is not None else ""
        rows.append((name, -(parse_timestamp((task.get("CreatedAt"))) or 0), dict(
            ID=(task.get("ID") or "")[:CLI_ID_WIDTH],
            Name=name,
            Image=cli_image(((task.get("Spec") or {}).get("ContainerSpec") or {}).get("Image")),
            Node=names.get(task.get("NodeID"), ""),
            DesiredState=_pretty(task.get("DesiredState")),
            CurrentState=("%s %s" % (_pretty(status.get("State")), ago)).strip(),
            Error=cli_error(status.get("Err")),
            Ports=cli_ports(task),
        )))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in rows]
