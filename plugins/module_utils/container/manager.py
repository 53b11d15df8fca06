# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconcile one container with a :class:`ContainerSpec`.

Two halves:

* :func:`plan` is pure: from the spec, the container's inspect data (or ``None``)
  and the wanted image ID it returns a :class:`Plan` -- the steps to run, the
  user-facing ``actions`` and the before/after diff.  Check mode stops here, so
  it predicts exactly what a real run does.
* :func:`execute` runs a plan's steps on an engine (``docker.APIClient``).

:func:`reconcile` ties both together for one container and is what both the
``container`` module and the bulk ``containers`` module call per item;
:func:`run_parallel` (and the ``*_many`` helpers) fan out over many containers.
The engine is only ever asked about the container by name -- nothing is listed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import RECREATE, UPDATE

try:
    from ansible_collections.dockyard.docker.plugins.module_utils.client import is_not_found
except ImportError:  # pragma: no cover - keep planning importable without ansible
    def is_not_found(exc):
        return getattr(exc, "status_code", None) == 404


class ContainerError(Exception):
    """A reconcile step that cannot proceed; the message is for the operator."""


class Plan(object):
    """What reconcile will do: ``steps`` (internal), ``actions`` (returned), ``diff``."""

    def __init__(self):
        self.steps = []
        self.actions = []
        self.differences = []
        self.before = {}
        self.after = {}

    @property
    def changed(self):
        return bool(self.actions)

    def add(self, step, action):
        self.steps.append(step)
        if action:
            self.actions.append(action)


def container_status(inspect):
    if not inspect:
        return "absent"
    state = inspect.get("State") or {}
    if state.get("Restarting"):
        return "restarting"
    return state.get("Status") or ("running" if state.get("Running") else "exited")


def _is_running(inspect):
    state = (inspect or {}).get("State") or {}
    return bool(state.get("Running") or state.get("Restarting"))


def plan(spec, inspect, image_id=None, pulled=None):
    """Pure: the steps that turn ``inspect`` (``None`` = no container) into ``spec``.

    ``image_id`` is the ID of the image the spec names as it will be when the
    steps run (``None`` when it is not known yet, e.g. not pulled in check mode).
    ``pulled`` is an image reference that will have been pulled (reported first).
    """
    result = Plan()
    if pulled:
        result.actions.append("pulled image %s" % pulled)
    status = container_status(inspect)
    result.before["state"] = status

    if spec.state == "absent":
        result.after["state"] = "absent"
        if inspect is not None:
            result.add("remove", "removed")
        return result

    want_running = spec.state in ("started", "restarted")
    if inspect is None:
        if spec.image is None:
            raise ContainerError(
                "image is required to create container %s (it does not exist yet)" % spec.name
            )
        result.after.update(spec.desired_view(image_id))
        result.add("create", "created")
        if want_running:
            result.add("start", "started")
        result.after["state"] = "running" if want_running else "created"
        return result

    differences = spec.compare(inspect, image_id)
    result.differences = differences
    before = spec.actual_view(inspect)
    before["state"] = status
    result.before = before
    result.after = spec.desired_view(image_id)
    running = _is_running(inspect)
    recreate = [d for d in differences if d.kind == RECREATE]
    update = [d for d in differences if d.kind == UPDATE]

    if recreate or spec.recreate:
        reasons = ["%s changed" % d.option for d in recreate]
        if spec.recreate:
            reasons.append("recreate requested")
        result.add("recreate", "recreated: %s" % ", ".join(reasons))
        start = want_running or (spec.state == "present" and running)
        if start:
            result.add("start", "started")
        result.after["state"] = "running" if start else "created"
        return result

    if update:
        result.add("update", "updated %s" % ", ".join(d.option for d in update))
    if spec.state == "started" and not running:
        result.add("start", "started")
        result.after["state"] = "running"
    elif spec.state == "stopped" and running:
        result.add("stop", "stopped")
        result.after["state"] = "exited"
    elif spec.state == "restarted":
        result.add("restart", "restarted")
        result.after["state"] = "running"
    else:
        result.after["state"] = status
    return result


# --------------------------------------------------------------------------- engine side


def inspect_container(api, name):
    """The container's inspect data, or ``None`` when there is none by that name."""
    try:
        return api.inspect_container(name)
    except Exception as exc:  # noqa: BLE001 - only "not found" is an answer here
        if is_not_found(exc):
            return None
        raise


def inspect_image(api, ref):
    try:
        return api.inspect_image(ref)
    except Exception as exc:  # noqa: BLE001
        if is_not_found(exc):
            return None
        raise


def split_reference(ref):
    """``registry:5000/app:1.2`` -> (``registry:5000/app``, ``1.2``); digests stay in the repository."""
    if "@" in ref:
        return ref, None
    name, sep, tag = ref.rpartition(":")
    if sep and "/" not in tag:
        return name, tag
    return ref, "latest"


def pull_image(api, ref):
    repo, tag = split_reference(ref)
    for event in api.pull(repo, tag=tag, stream=True, decode=True):
        if isinstance(event, dict) and event.get("error"):
            raise ContainerError("Could not pull image %s: %s" % (ref, event["error"]))
    found = inspect_image(api, ref)
    if found is None:
        raise ContainerError("Pulled image %s but the engine does not know it afterwards" % ref)
    return found


def resolve_image(api, spec, check_mode=False, reader=None):
    """Make sure the spec's image is available (per ``pull``).

    Returns ``(image_id, pulled_ref)``; ``image_id`` is ``None`` in check mode when
    the image would first have to be pulled.  ``reader`` (default ``api``) answers the
    local inspect; only a pull needs ``api``.
    """
    if spec.image is None or spec.state == "absent":
        return None, None
    local = inspect_image(reader or api, spec.image)
    if spec.pull == "never":
        if local is None:
            raise ContainerError(
                "image %s is not on this host and pull is never: load it first (dockyard.docker.image "
                "with source: archive) or set pull to missing or always" % spec.image
            )
        return local["Id"], None
    if spec.pull == "missing" and local is not None:
        return local["Id"], None
    if check_mode:
        # A pull cannot be predicted without doing it; for `always` assume the local image stays.
        if local is not None:
            return local["Id"], None
        return None, spec.image
    image = pull_image(api, spec.image)
    pulled = spec.image if local is None or local["Id"] != image["Id"] else None
    return image["Id"], pulled


def _stop(api, container_id, spec, inspect=None):
    if spec.force_kill:
        api.kill(container_id)
        return
    timeout = spec.stop_timeout
    if timeout is None and inspect is not None:
        timeout = (inspect.get("Config") or {}).get("StopTimeout")
    if timeout is None:
        api.stop(container_id)
    else:
        api.stop(container_id, timeout=timeout)


def update_container(api, container_id, body):
    """``POST /containers/{id}/update`` with raw engine fields (the SDK lacks NanoCpus)."""
    res = api._post_json(api._url("/containers/{0}/update", container_id), data=body)
    api._raise_for_status(res)


def _create(api, spec):
    config = spec.create_config()
    created = api.create_container_from_config(config, name=spec.name)
    container_id = created["Id"]
    for network in spec.extra_networks():
        api.connect_container_to_network(
            container_id, network["name"],
            aliases=network.get("aliases") or None,
            ipv4_address=network.get("ipv4_address"),
        )
    return container_id


def _recreate(api, spec, inspect):
    """Stop, move the old container aside, create the new one, then remove the old.

    Volumes are never removed: named volumes and bind mounts carry over to the new
    container through the same ``volumes``/``mounts``.  If the new container cannot
    be created, the old one gets its name (and running state) back.
    """
    old_id = inspect["Id"]
    was_running = _is_running(inspect)
    if was_running:
        _stop(api, old_id, spec, inspect)
    aside = "%s-dockyard-old-%s" % (spec.name, old_id[:12])
    api.rename(old_id, aside)
    try:
        new_id = _create(api, spec)
    except Exception:
        api.rename(old_id, spec.name)
        if was_running:
            api.start(old_id)
        raise
    api.remove_container(old_id, v=False, force=True)
    return new_id


def execute(api, spec, inspect, the_plan):
    """Run ``the_plan`` on the engine; return the container ID (``None`` once removed)."""
    container_id = inspect["Id"] if inspect else None
    for step in the_plan.steps:
        if step == "remove":
            if _is_running(inspect):
                _stop(api, container_id, spec, inspect)
            api.remove_container(container_id, v=False, force=True)
            container_id = None
        elif step == "create":
            container_id = _create(api, spec)
        elif step == "recreate":
            container_id = _recreate(api, spec, inspect)
        elif step == "update":
            update_container(api, container_id, spec.update_body(the_plan.differences))
        elif step == "start":
            api.start(container_id)
        elif step == "stop":
            _stop(api, container_id, spec, inspect)
        elif step == "restart":
            if spec.force_kill and _is_running(inspect):
                api.kill(container_id)
                api.start(container_id)
            elif spec.stop_timeout is not None:
                api.restart(container_id, timeout=spec.stop_timeout)
            else:
                api.restart(container_id)
        else:  # pragma: no cover - programming error
            raise ContainerError("unknown step %s" % step)
    return container_id


def resolve_network_peer(api, spec):
    """For ``network_mode: container:NAME`` remember NAME's ID on the spec (compared by ID)."""
    mode = getattr(spec, "network_mode", None) or ""
    if mode.startswith("container:"):
        peer = inspect_container(api, mode.split(":", 1)[1])
        spec.network_peer_id = (peer or {}).get("Id")


def reconcile(api, spec, check_mode=False, reader=None):
    """Bring one container to ``spec``.  Returns the module result for it.

    ``reader`` (default ``api``) answers the inspects that decide the plan; ``api`` is
    only touched when the plan has steps, so a no-op run or check mode never needs
    more than ``reader`` (``container`` passes the SDK-free socket reader here).

    Raises :class:`ContainerError` for operator errors and lets SDK errors through
    (the caller explains them with ``client.fail_from_error``/``explain_error``).
    """
    look = reader or api
    inspect = inspect_container(look, spec.name)
    if inspect is not None:
        resolve_network_peer(look, spec)
    image_id, pulled = resolve_image(api, spec, check_mode=check_mode, reader=look)
    the_plan = plan(spec, inspect, image_id, pulled)
    result = dict(
        changed=the_plan.changed,
        actions=the_plan.actions,
        diff=dict(before=the_plan.before, after=the_plan.after),
        container=inspect or {},
    )
    if check_mode or not the_plan.steps:
        return result
    container_id = execute(api, spec, inspect, the_plan)
    result["container"] = inspect_container(look, container_id) if container_id else {}
    return result


# --------------------------------------------------------------------------- many at once


def run_parallel(func, items, parallelism=4):
    """Call ``func(item)`` for every item with at most ``parallelism`` at a time.

    Returns a list in item order of ``(result, exception)`` pairs: one failing item
    does not stop the others.
    """
    items = list(items)
    results = [None] * len(items)
    parallelism = max(1, int(parallelism or 1))
    lock = threading.Lock()
    cursor = [0]

    def worker():
        while True:
            with lock:
                index = cursor[0]
                cursor[0] += 1
            if index >= len(items):
                return
            try:
                results[index] = (func(items[index]), None)
            except Exception as exc:  # noqa: BLE001 - reported per item
                results[index] = (None, exc)

    threads = [threading.Thread(target=worker) for _i in range(min(parallelism, len(items)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def stop_many(api, names, timeout=None, parallelism=4):
    def stop(name):
        if timeout is None:
            api.stop(name)
        else:
            api.stop(name, timeout=timeout)
        return name
    return run_parallel(stop, names, parallelism)


def start_many(api, names, parallelism=4):
    def start(name):
        api.start(name)
        return name
    return run_parallel(start, names, parallelism)


def remove_many(api, names, parallelism=4):
    """Force-remove containers by name or ID; volumes are kept."""
    def remove(name):
        api.remove_container(name, v=False, force=True)
        return name
    return run_parallel(remove, names, parallelism)
