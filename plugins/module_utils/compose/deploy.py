# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the ``compose`` module asks of the engine, decided without it (pure code).

* :func:`container_items` turns a :class:`translate.Project` into the items of the bulk containers engine
  (the ``containers`` module's items) and the waves that honour ``depends_on``;
* :func:`network_desired` / :func:`volume_desired` give the settings of the project's networks and volumes
  in the form ``engine.networks`` / ``engine.volumes`` compare with the engine's (``differences``), and
  :func:`object_plan` what to do with each;
* :func:`orphans` picks the project's containers whose service is no longer in the files.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.dockyard.docker.plugins.module_utils.engine import networks
from ansible_collections.dockyard.docker.plugins.module_utils.compose.reader import ComposeError
from ansible_collections.dockyard.docker.plugins.module_utils.compose.translate import LABEL
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError

CONTAINER_STATES = {"present": "started", "stopped": "stopped", "restarted": "restarted", "absent": "absent"}


def _exited_ok(inspect):
    state = (inspect or {}).get("State") or {}
    return bool(inspect) and not state.get("Running") and state.get("ExitCode") == 0 and state.get("StartedAt", "") \
        not in ("", "0001-01-01T00:00:00Z")


def container_items(project, state, pull="missing", wait=False, timeout=60, existing=None, orphan_names=()):
    """``(items, waves, services)``: bulk items in dependency order, waves of item indexes, service per item.

    * ``state: present`` starts every service; a service another one depends on with
      ``condition: service_healthy`` (and, with ``wait``, every service with a health check) is
      started with state ``healthy``, so its wave ends only when it is healthy;
    * ``condition: service_completed_successfully``: the dependency runs to completion (``detach: false``,
      it must exit 0) before the next wave; once it exited 0 it is left as it is (``state: present``);
    * ``stopped``, ``restarted`` and ``absent`` apply to every service (``absent`` in reverse order:
      dependants first); ``orphan_names`` are removed in the first wave.
    ``existing`` maps container names to their inspect data (for the completed-successfully rule).
    """
    existing = existing or {}
    healthy, completed = set(), set()
    for service in project.services.values():
        for dep, condition in service.depends_on.items():
            if condition == "service_healthy":
                healthy.add(dep)
            elif condition == "service_completed_successfully":
                completed.add(dep)
    items, services, level = [], [], []
    waves = project.waves()
    if state == "absent":
        waves = list(reversed(waves))
    for index, wave in enumerate(waves):
        for name in wave:
            service = project.services[name]
            item = dict(service.options)
            item["state"] = CONTAINER_STATES[state]
            item["healthy_wait_timeout"] = float(timeout)
            if "pull" not in item:
                item["pull"] = pull
            if state == "present":
                if name in healthy or (wait and service.has_healthcheck):
                    item["state"] = "healthy"
                if name in completed:
                    if _exited_ok(existing.get(item["name"])):
                        item["state"] = "present"
                    else:
                        item["detach"] = False
            if state == "absent":
                item = dict(name=item["name"], state="absent")
            items.append(item)
            services.append(name)
            level.append(index + 1)
    for name in orphan_names:
        items.append(dict(name=name, state="absent"))
        services.append(None)
        level.append(0)
    grouped = {}
    for index, lvl in enumerate(level):
        grouped.setdefault(lvl, []).append(index)
    return items, [grouped[k] for k in sorted(grouped)], services


def orphans(summaries, project):
    """Names of containers labelled with the project whose service is not in it (sorted)."""
    out = []
    for summary in summaries or []:
        labels = summary.get("Labels") or {}
        if labels.get(LABEL + "project") != project.name or labels.get(LABEL + "oneoff") == "True":
            continue
        if labels.get(LABEL + "service") in project.services:
            continue
        names = [n.lstrip("/") for n in summary.get("Names") or [] if n.count("/") <= 1]
        if names:
            out.append(names[0])
    return sorted(out)


def network_desired(definition):
    """A project network -> the ``network`` module's desired settings (validated)."""
    params = dict(name=definition["name"], driver=definition["driver"], attachable=definition.get("attachable"),
                  internal=definition.get("internal"), subnet=definition.get("subnet"),
                  gateway=definition.get("gateway"), labels=definition["labels"])
    try:
        desired = networks.desired(params)
    except SpecError as exc:
        raise ComposeError("networks.%s: %s" % (definition["key"], exc))
    return desired


def network_create_kwargs(definition, desired):
    kwargs = networks.create_kwargs(desired)
    if definition.get("driver_opts"):
        kwargs["options"] = definition["driver_opts"]
    return kwargs


def volume_desired(definition):
    """A project volume -> its settings as ``engine.volumes.desired`` gives them (the project's labels always)."""
    desired = {"driver": definition["driver"], "labels": definition["labels"]}
    if definition.get("driver_options"):
        desired["driver_options"] = definition["driver_options"]
    return desired


def object_plan(kind, definition, inspect, state, differences=(), remove_volumes=False):
    """What to do with one network or volume: ``"create"``, ``"remove"`` or ``None``.

    Raises :class:`ComposeError` for an external object that does not exist and for an object of the
    project's name whose settings differ from the file (a network or volume is never changed in place:
    the user removes it, e.g. with ``state: absent``, after checking nothing else uses it).
    """
    section = "%ss" % kind
    if definition.get("external"):
        if inspect is None and state != "absent":
            raise ComposeError("%s.%s: external %s %s does not exist: create it first or drop external"
                               % (section, definition["key"], kind, definition["name"]))
        return None
    if state == "absent":
        if inspect is None or (kind == "volume" and not remove_volumes):
            return None
        return "remove"
    if inspect is None:
        return "create"
    if differences:
        raise ComposeError("%s.%s: %s %s exists with other settings (%s differ from the file); remove it first "
                           "(compose state: absent%s) or give the file the settings it has"
                           % (section, definition["key"], kind, definition["name"], ", ".join(differences),
                              ", remove_volumes: true" if kind == "volume" else ""))
    return None
