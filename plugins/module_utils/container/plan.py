# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure half of reconciling one container with a :class:`ContainerSpec`: what to do.

:func:`plan` takes the spec, the container's inspect data (or ``None``) and the wanted image ID and
returns a :class:`Plan` -- the steps to run, the user-facing ``actions`` and the before/after diff.
Check mode stops here, so it predicts exactly what a real run does; ``container.execute`` runs the
steps on an engine.  Nothing here talks to the engine.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import (
    NAME_LABEL,
    OWNER_LABEL,
    RECREATE,
    UPDATE,
    Context,
)

from ansible_collections.dockyard.docker.plugins.module_utils import redact


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
        # The old container of an interrupted recreate (renamed aside), when there is one.
        self.leftover = None

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


def is_running(inspect):
    state = (inspect or {}).get("State") or {}
    return bool(state.get("Running") or state.get("Restarting"))


def is_paused(inspect):
    return bool(((inspect or {}).get("State") or {}).get("Paused"))


def _has_healthcheck(spec, image):
    wanted = spec.values.get("healthcheck")
    if wanted is not None:
        return wanted.get("Test") != ["NONE"]
    test = (((image or {}).get("Config") or {}).get("Healthcheck") or {}).get("Test")
    return bool(test) and test != ["NONE"]


def check_image_rules(spec, image):
    """Refusals that need the image: ``state: healthy`` without a check, ``image_label_mismatch: fail``."""
    if spec.state == "healthy" and image is not None and not _has_healthcheck(spec, image):
        raise ContainerError(
            "state healthy needs a health check, but image %s defines none and healthcheck is not given: "
            "add healthcheck (test, interval, ...) or use state started" % spec.image)
    if spec.image_label_mismatch == "fail" and image is not None:
        given = spec.values.get("labels") or {}
        extra = sorted(k for k in ((image.get("Config") or {}).get("Labels") or {}) if k not in given)
        if extra:
            raise ContainerError(
                "image %s sets labels that labels does not name: %s (image_label_mismatch: fail); add them to "
                "labels or set image_label_mismatch: ignore" % (spec.image, ", ".join(extra)))


def plan(spec, inspect, image_id=None, pulled=None, ctx=None, leftover=None):
    """Pure: the steps that turn ``inspect`` (``None`` = no container) into ``spec``.

    ``image_id`` is the ID of the image the spec names as it will be when the
    steps run (``None`` when it is not known yet, e.g. not pulled in check mode).
    ``pulled`` is an image reference that will have been pulled (reported first).
    ``ctx`` (a :class:`spec.Context`) carries the image's own settings for the comparison.
    ``leftover`` is the container found under the aside name (see :func:`aside_name`).  When it is
    the old container of an interrupted recreate (:func:`is_set_aside`) it is restored under its
    name when there is no container by that name, else removed.  Any other container there is
    never touched, and a plan that needs the aside name (a recreate) is refused naming it.
    """
    ctx = ctx or Context(spec)
    result = Plan()
    if pulled:
        result.actions.append("pulled image %s" % pulled)
    inspect, foreign = _plan_leftover(result, spec, inspect, leftover)
    status = container_status(inspect)
    result.before["state"] = status
    if spec.state == "absent":
        return _plan_removal(result, inspect)
    if inspect is None:
        return _plan_creation(result, spec, image_id)
    result.differences = spec.compare(inspect, image_id, ctx)
    before = spec.actual_view(inspect, ctx)
    before["state"] = status
    result.before, result.after = redact.mask_env_views(before, spec.desired_view(image_id))
    recreate = [d for d in result.differences if d.kind == RECREATE]
    if recreate or spec.recreate:
        if foreign is not None:
            raise ContainerError(aside_taken(spec.name, foreign))
        return _plan_recreate(result, spec, inspect, recreate)
    return _plan_in_place(result, spec, inspect, status)


def _wants_running(spec):
    return spec.state in ("started", "restarted", "healthy")


def _plan_leftover(result, spec, inspect, leftover):
    """Restore or remove the old container of an interrupted recreate; returns ``(inspect, foreign)``.

    ``inspect`` is the restored container when it takes the name back; ``foreign`` is a container
    under the aside name that no recreate of this one set aside (it is left alone).
    """
    if leftover is None:
        return inspect, None
    if not is_set_aside(leftover, spec.name):
        return inspect, leftover
    result.leftover = leftover
    if inspect is None and spec.state != "absent":
        result.add("restore", "restored %s (left by an interrupted recreate) as %s"
                   % (aside_name(spec.name), spec.name))
        return dict(leftover, Name="/" + spec.name), None
    result.add("remove_leftover", "removed %s (left by an interrupted recreate)" % aside_name(spec.name))
    return inspect, None


def _plan_removal(result, inspect):
    result.after["state"] = "absent"
    if inspect is not None:
        result.add("remove", "removed")
    return result


def _plan_creation(result, spec, image_id):
    if spec.image is None:
        raise ContainerError(
            "image is required to create container %s (it does not exist yet)" % spec.name
        )
    result.after.update(redact.mask_env_views({}, spec.desired_view(image_id))[1])
    result.add("create", "created")
    return _plan_new_container_state(result, spec, _wants_running(spec))


def _plan_recreate(result, spec, inspect, recreate):
    reasons = ["%s changed" % d.option for d in recreate]
    if spec.recreate:
        reasons.append("recreate requested")
    result.add("recreate", "recreated: %s" % ", ".join(reasons))
    start = _wants_running(spec) or (spec.state == "present" and is_running(inspect))
    return _plan_new_container_state(result, spec, start)


def _plan_new_container_state(result, spec, start):
    """A new container (created or recreated): started when ``start``, then paused or waited for as asked."""
    if start:
        result.add("start", "started")
        _finish_running(spec, result)
    result.after["state"] = ("paused" if start and spec.paused else "running" if start else "created")
    return result


def _finish_running(spec, result):
    if spec.paused:
        result.add("pause", "paused")
    if spec.state == "healthy":
        result.add("wait_healthy", None)
    if spec.detach is False:
        result.add("wait_exit", None)


def _plan_in_place(result, spec, inspect, status):
    """The existing container kept: live updates, then the run state, the pause and the health wait."""
    update = [d for d in result.differences if d.kind == UPDATE]
    if update:
        result.add("update", "updated %s" % ", ".join(d.option for d in update))
    after = _plan_run_state(result, spec, inspect, status)
    if after == "running" or (is_running(inspect) and spec.state != "stopped"):
        after = _plan_pause(result, spec, inspect, after)
    if spec.state == "healthy" and not _healthy(inspect, result):
        result.add("wait_healthy", None)
    result.after["state"] = after
    return result


def _plan_run_state(result, spec, inspect, status):
    """Start, stop or restart as ``spec.state`` asks; returns the state after those steps."""
    running = is_running(inspect)
    if _wants_running(spec) and not running:
        result.add("start", "started")
        return "running"
    if spec.state == "stopped" and running:
        if is_paused(inspect):
            result.add("unpause", None)
        result.add("stop", "stopped")
        return "exited"
    if spec.state == "restarted" or (spec.restart and spec.state in ("started", "healthy")):
        if is_paused(inspect):
            result.add("unpause", None)
        result.add("restart", "restarted")
        return "running"
    return status


def _plan_pause(result, spec, inspect, after):
    """Pause or unpause a running container as ``paused`` asks; returns the state after that."""
    paused_now = is_paused(inspect) and "restart" not in result.steps and "start" not in result.steps
    if spec.paused is True and not paused_now:
        result.add("pause", "paused")
        return "paused"
    if spec.paused is False and paused_now:
        result.add("unpause", "unpaused")
        return "running"
    if paused_now:
        return "paused"
    return after


def _healthy(inspect, result):
    health = ((inspect or {}).get("State") or {}).get("Health") or {}
    return health.get("Status") == "healthy" and not result.steps


ASIDE_SUFFIX = "-dockyard-old"


def aside_name(name):
    """Where a recreate keeps the old container until the new one runs (one fixed name per container)."""
    return name + ASIDE_SUFFIX


def is_set_aside(inspect, name):
    """Whether the container ``inspect`` (found under ``aside_name(name)``) is one a recreate of ``name`` set aside.

    This collection labels every container it creates with the name it was created under
    (``io.dockyard.created-as``); a recreate renames the old container aside, so the label still says
    ``name``.  A container without this collection's ownership label, or created as something else, is
    someone else's and is never removed or renamed.  Containers created by versions that did not write
    the name label yet (ownership label only) are taken as set aside: they are this collection's own.
    """
    labels = ((inspect or {}).get("Config") or {}).get("Labels") or {}
    if OWNER_LABEL not in labels:
        return False
    created_as = labels.get(NAME_LABEL)
    return created_as is None or created_as == name


def aside_taken(name, inspect):
    """The refusal when a recreate of ``name`` needs the aside name and another container holds it."""
    aside = aside_name(name)
    labels = ((inspect or {}).get("Config") or {}).get("Labels") or {}
    if OWNER_LABEL not in labels:
        whose = "this collection did not create it"
    else:
        whose = "it was created as %s, not %s" % (labels.get(NAME_LABEL), name)
    return ("container %s (%s) is not one a recreate of %s set aside (%s), and recreating %s needs that name to "
            "keep the old container until the new one runs. Nothing was changed: rename or remove %s "
            "(docker rename %s NEW-NAME), then run again."
            % (aside, (inspect.get("Id") or "")[:12], name, whose, name, aside, aside))
