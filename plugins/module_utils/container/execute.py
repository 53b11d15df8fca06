# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine half of reconciling one container with a :class:`ContainerSpec`: running the plan.

:func:`execute` runs the steps of a ``container.plan`` :class:`~.plan.Plan` on an engine
(``docker.APIClient``).  Both modules take the same path: :func:`prepare` (inspect by name, resolve
the image, plan) then :func:`apply` (execute, read the result back).  ``container`` calls
:func:`reconcile` (the two in a row); ``containers`` prepares every item first and then applies the
plans in parallel (``container.bulk_execute``).
The engine is only ever asked about the container by name -- nothing is listed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.dockyard.docker.plugins.module_utils.container.plan import (
    ASIDE_SUFFIX,
    ContainerError,
    aside_name,
    check_image_rules,
    container_status,
    is_paused,
    is_running,
    is_set_aside,
    plan,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import Context

from ansible_collections.dockyard.docker.plugins.module_utils.change_lock import ChangeLock
from ansible_collections.dockyard.docker.plugins.module_utils.client import explain_error, or_none
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.images import repository_and_tag


def inspect_container(api, name):
    """The container's inspect data, or ``None`` when there is none by that name."""
    return or_none(api.inspect_container, name)


def inspect_image(api, ref):
    return or_none(api.inspect_image, ref)


def pull_image(api, ref, platform=None):
    repo, tag = repository_and_tag(ref)
    kwargs = dict(tag=tag, stream=True, decode=True)
    if platform:
        kwargs["platform"] = platform
    for event in api.pull(repo, **kwargs):
        if isinstance(event, dict) and event.get("error"):
            raise ContainerError("Could not pull image %s: %s" % (ref, event["error"]))
    found = inspect_image(api, ref)
    if found is None:
        raise ContainerError("Pulled image %s but the engine does not know it afterwards" % ref)
    return found


def resolve_image(api, spec, check_mode=False, reader=None):
    """Make sure the spec's image is available (per ``pull``).

    Returns ``(image, pulled_ref)``: the image's inspect data (``None`` in check mode
    when it would first have to be pulled) and the reference pulled, if any.  ``reader``
    (default ``api``) answers the local inspect; only a pull needs ``api``.
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
        return local, None
    if spec.pull == "missing" and local is not None:
        return local, None
    if check_mode:
        # A pull cannot be predicted without doing it: by default assume the local image stays.
        if local is not None and spec.pull_check_mode_behavior != "always":
            return local, None
        if local is None:
            check_pullable(api, spec)
        return None, spec.image
    image = pull_image(api, spec.image, spec.values.get("platform"))
    pulled = spec.image if local is None or local["Id"] != image["Id"] else None
    return image, pulled


def check_pullable(api, spec):
    """Ask the registry (through the engine, with the engine's credentials) whether the image exists."""
    try:
        api.inspect_distribution(spec.image)
    except Exception as exc:  # noqa: BLE001 - any answer but the image's description means "cannot pull"
        raise ContainerError("image %s is not on this host and cannot be pulled (pull: %s): %s"
                             % (spec.image, spec.pull, explain_error(exc)))


def _stop(api, container_id, spec, inspect=None):
    if spec.force_kill:
        api.kill(container_id, signal=spec.kill_signal or "SIGKILL")
        return
    timeout = spec.values.get("stop_timeout")
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


def _create(api, spec, ctx):
    body, query = spec.create_request(ctx=ctx)
    if query.get("platform"):
        created = api.create_container_from_config(body, name=spec.name, platform=query["platform"])
    else:
        created = api.create_container_from_config(body, name=spec.name)
    container_id = created["Id"]
    for network in spec.extra_networks():
        api.connect_container_to_network(
            container_id, network["name"],
            aliases=network.get("aliases") or None,
            ipv4_address=network.get("ipv4_address"),
            ipv6_address=network.get("ipv6_address"),
            links=network.get("links") or None,
            driver_opt=network.get("driver_opts"),
        )
    return container_id


def _remove(api, container_id, spec):
    api.remove_container(container_id, v=not spec.keep_volumes, force=True)


class RecreateFailed(ContainerError):
    """A recreate whose new container did not come up; the old one is back under its name."""


def _recreate(api, spec, inspect, ctx, start=False, healthy=False):
    """Replace the container without losing it when the new one cannot run.

    The old container is stopped and renamed aside (kept, with its volumes); the new one
    is created (and started, and waited for when asked).  Only then is the old one
    removed.  If anything fails, the new container is removed, the old one gets its name
    back and is started again if it was running, and :class:`RecreateFailed` says what
    failed.  Volumes are never removed: named volumes and bind mounts carry over through
    the same ``volumes``/``mounts``.
    """
    old_id = inspect["Id"]
    was_running = is_running(inspect)
    if was_running:
        if is_paused(inspect):
            api.unpause(old_id)
        _stop(api, old_id, spec, inspect)
    api.rename(old_id, aside_name(spec.name))
    new_id = None
    try:
        new_id = _create(api, spec, ctx)
        if start:
            api.start(new_id)
        if healthy:
            _wait_healthy(api, new_id, spec)
    except Exception as exc:  # noqa: BLE001 - every failure puts the old container back
        _put_back(api, spec, old_id, new_id, was_running, exc)
    api.remove_container(old_id, v=False, force=True)
    return new_id


def _put_back(api, spec, old_id, new_id, was_running, exc):
    if new_id is not None:
        api.remove_container(new_id, v=False, force=True)
    api.rename(old_id, spec.name)
    if was_running:
        api.start(old_id)
    raise RecreateFailed(
        "Could not recreate container %s: %s. The old container is back under its name%s, unchanged."
        % (spec.name, _explain(exc), " and running" if was_running else ""))


def _explain(exc):
    if isinstance(exc, ContainerError):
        return str(exc)
    return explain_error(exc)


def _wait_healthy(api, container_id, spec):
    deadline = time.time() + float(spec.healthy_wait_timeout or 300)
    status = None
    while time.time() < deadline:
        state = (api.inspect_container(container_id).get("State") or {})
        status = (state.get("Health") or {}).get("Status")
        if status == "healthy":
            return
        if not state.get("Running") and not state.get("Restarting"):
            raise ContainerError("container %s stopped (exit code %s) before its health check passed"
                                 % (spec.name, state.get("ExitCode")))
        time.sleep(0.5)
    raise ContainerError("container %s is not healthy after %s seconds (health: %s)"
                         % (spec.name, spec.healthy_wait_timeout, status))


def _wait_exit(api, container_id, spec, outcome):
    answer = api.wait(container_id)
    code = answer.get("StatusCode") if isinstance(answer, dict) else answer
    if spec.output_logs:
        # With auto_remove the engine may already have removed the container and its logs.
        logs = or_none(api.logs, container_id, stdout=True, stderr=True)
        outcome["output"] = (logs or b"").decode("utf-8", "replace")
    if spec.auto_remove:
        # The engine removes it itself: a removal of ours would race with its own ("already in progress").
        or_none(api.wait, container_id, condition="removed")
        outcome["removed"] = True
    elif spec.cleanup:
        api.remove_container(container_id, v=not spec.keep_volumes, force=True)
        outcome["removed"] = True
    if code:
        raise ContainerError("container %s exited with status %s%s" % (
            spec.name, code, (": %s" % outcome["output"].strip()[-2000:]) if outcome.get("output") else ""))


def execute(api, spec, inspect, the_plan, ctx=None, outcome=None):
    """Run ``the_plan`` on the engine; return the container ID (``None`` once removed)."""
    ctx = ctx or Context(spec)
    outcome = outcome if outcome is not None else {}
    container_id = inspect["Id"] if inspect else None
    steps = list(the_plan.steps)
    if "recreate" in steps:
        # The new container's start (and health) belong to the recreate: a failure there puts the old one back.
        after = steps[steps.index("recreate") + 1:]
        start, healthy = "start" in after, "wait_healthy" in after
        steps = [s for s in steps if not (s in ("start", "wait_healthy") and s in after)]
    for step in steps:
        if step == "restore":
            api.rename(the_plan.leftover["Id"], spec.name)
            inspect = the_plan.leftover
            container_id = inspect["Id"]
        elif step == "remove_leftover":
            api.remove_container(the_plan.leftover["Id"], v=False, force=True)
        elif step == "remove":
            if is_running(inspect) and not is_paused(inspect):
                _stop(api, container_id, spec, inspect)
            _remove(api, container_id, spec)
            container_id = None
        elif step == "create":
            container_id = _create(api, spec, ctx)
        elif step == "recreate":
            container_id = _recreate(api, spec, inspect, ctx, start=start, healthy=healthy)
        elif step == "update":
            update_container(api, container_id, spec.update_body(the_plan.differences))
        elif step == "start":
            api.start(container_id)
        elif step == "stop":
            _stop(api, container_id, spec, inspect)
        elif step == "restart":
            if spec.force_kill and is_running(inspect):
                api.kill(container_id, signal=spec.kill_signal or "SIGKILL")
                api.start(container_id)
            elif spec.values.get("stop_timeout") is not None:
                api.restart(container_id, timeout=spec.values["stop_timeout"])
            else:
                api.restart(container_id)
        elif step == "pause":
            api.pause(container_id)
        elif step == "unpause":
            api.unpause(container_id)
        elif step == "wait_healthy":
            _wait_healthy(api, container_id, spec)
        elif step == "wait_exit":
            _wait_exit(api, container_id, spec, outcome)
            if outcome.get("removed"):
                container_id = None
        else:  # pragma: no cover - programming error
            raise ContainerError("unknown step %s" % step)
    return container_id


def resolve_network_peer(api, spec):
    """``{NAME: ID}`` of the containers whose namespaces ``network_mode``/``ipc_mode``/``pid_mode:
    container:NAME`` share (the engine stores the ID)."""
    peers = {}
    for key in ("network_mode", "ipc_mode", "pid_mode"):
        mode = spec.values.get(key) or ""
        if mode.startswith("container:") and mode.split(":", 1)[1] not in peers:
            name = mode.split(":", 1)[1]
            peer = inspect_container(api, name)
            if peer is not None:
                peers[name] = peer.get("Id")
    return peers


def wait_removed(reader, spec, inspect):
    """A container the engine is already removing: wait (``removal_wait_timeout``) until it is gone."""
    deadline = None if spec.removal_wait_timeout is None else time.time() + spec.removal_wait_timeout
    while inspect is not None and container_status(inspect) == "removing":
        if deadline is not None and time.time() > deadline:
            raise ContainerError("container %s is still being removed after %s seconds (removal_wait_timeout)"
                                 % (spec.name, spec.removal_wait_timeout))
        time.sleep(0.2)
        inspect = inspect_container(reader, spec.name)
    return inspect


class Prepared(object):
    """One container planned: the spec, what the engine has, the comparison context and the plan."""

    def __init__(self, spec, inspect, ctx, the_plan, image=None, pulled=None):
        self.spec = spec
        self.inspect = inspect
        self.ctx = ctx
        self.plan = the_plan
        self.image = image
        self.pulled = pulled

    def result(self, container=None):
        return dict(
            changed=self.plan.changed,
            actions=self.plan.actions,
            diff=dict(before=self.plan.before, after=self.plan.after),
            container=self.inspect or {} if container is None else container,
        )


def prepare(api, spec, check_mode=False, reader=None, resolve=None, aside_names=None):
    """Inspect (by name), resolve the image and plan one container.  Changes nothing.

    ``resolve(spec) -> (image, pulled)`` defaults to :func:`resolve_image` (``containers``
    passes one that resolves each image once per task).  ``aside_names`` (a set), when
    given, are the containers an interrupted recreate left aside on the engine (listed once
    for many containers); otherwise the aside name is looked up for this one container.
    """
    look = reader or api
    inspect = inspect_container(look, spec.name)
    if inspect is not None and not check_mode:
        inspect = wait_removed(look, spec, inspect)
    leftover = None
    if aside_names is None or aside_name(spec.name) in aside_names:
        leftover = inspect_container(look, aside_name(spec.name))
    peer_id = resolve_network_peer(look, spec) if inspect is not None or leftover is not None else None
    if resolve is None:
        image, pulled = resolve_image(api, spec, check_mode=check_mode, reader=look)
    else:
        image, pulled = resolve(spec)
    check_image_rules(spec, image)
    context_image = image
    current = inspect or (leftover if leftover is not None and is_set_aside(leftover, spec.name) else None)
    if spec.image_comparison == "current-image" and current is not None:
        context_image = inspect_image(look, current.get("Image")) or image
    ctx = Context(spec, context_image, peer_id)
    the_plan = plan(spec, inspect, (image or {}).get("Id"), pulled, ctx, leftover)
    return Prepared(spec, inspect, ctx, the_plan, image, pulled)


def replan(api, prepared, reader=None, aside_names=None):
    """The same container planned again from the engine's state now (under the change lock)."""
    return prepare(api, prepared.spec, reader=reader, resolve=lambda _spec: (prepared.image, prepared.pulled),
                   aside_names=aside_names)


def list_aside(api):
    """Names of the containers under an aside name (``*-dockyard-old``): one filtered list for many containers.

    Whose they are is decided per container (:func:`is_set_aside`) from its inspect data."""
    listed = api.containers(all=True, filters={"name": ASIDE_SUFFIX})
    return set(name.lstrip("/") for entry in listed or [] for name in entry.get("Names") or []
               if name.endswith(ASIDE_SUFFIX))


def apply(api, prepared, reader=None):
    """Run a prepared plan; return the module result for that container."""
    outcome = {}
    container_id = execute(api, prepared.spec, prepared.inspect, prepared.plan, prepared.ctx, outcome)
    container = inspect_container(reader or api, container_id) if container_id else {}
    if outcome.get("output") is not None and container is not None:
        container = dict(container, Output=outcome["output"])
    return prepared.result(container or {})


def reconcile(api, spec, check_mode=False, reader=None, lock=None):
    """Bring one container to ``spec``.  Returns the module result for it.

    ``reader`` (default ``api``) answers the inspects that decide the plan; ``api`` is
    only touched when the plan has steps, so a no-op run or check mode never needs
    more than ``reader`` (``container`` passes the SDK-free socket reader here).
    ``lock`` (default :class:`change_lock.ChangeLock` with its default deadline) is held while
    changing, and the plan is made again under it; it raises ``ChangeLockError`` when it cannot be taken.

    Raises :class:`ContainerError` for operator errors and lets SDK errors through
    (the caller explains them with ``client.fail_from_error``/``explain_error``).
    """
    prepared = prepare(api, spec, check_mode=check_mode, reader=reader)
    if check_mode or not prepared.plan.steps:
        return prepared.result()
    with lock or ChangeLock():
        prepared = replan(api, prepared, reader)
        if not prepared.plan.steps:
            return prepared.result()
        return apply(api, prepared, reader)
