# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the bulk ``containers`` module adds around the per-container code path.

Every container is still inspected, planned and changed by
``container.plan`` and ``container.execute`` (``inspect_container``, ``resolve_image``,
``plan``, ``execute``) exactly as the ``container`` module does it.  This file holds the
parts that only exist because there are many containers in one task:

* :func:`parse_items` validates the whole list first (nothing is changed when one
  item is wrong) and refuses duplicate names;
* :class:`ImageResolver` resolves each image once per task, so a list of 50
  containers on one image asks the engine (or the registry) once -- and reports
  ``pulled image`` on the first item only, as a loop of ``container`` would;
* :func:`execution_waves` orders items so a container that shares another listed
  container's network namespace is handled after it;
* :func:`prune_candidates` picks the containers ``prune`` removes: only those
  this collection created for the same owner, never a Compose project's, never one
  that is listed (nor the set-aside copy of one that is listed);
* :func:`item_result` and :func:`summarize` shape the per-container and overall
  results.

Pure code: ``container.bulk_execute`` runs the plans on the engine.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.dockyard.docker.plugins.module_utils.container.plan import aside_name
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import (
    DEFAULT_OWNER,
    NAME_LABEL,
    SpecError,
    owner_of,
    parse_spec,
)

# Set by Compose (and by this collection's compose module) on every container of a project: the
# project owns them, a ``containers`` prune never does.
COMPOSE_PROJECT_LABEL = "com.docker.compose.project"


def parse_items(items, owner=None):
    """Validate every ``containers`` item; returns the specs in list order.

    ``owner`` (the task's) is the owner every created container is labelled with.
    Raises :class:`SpecError` naming the item (index and name) and the option.
    """
    if not items:
        return []
    specs = []
    seen = {}
    for index, params in enumerate(items):
        label = "containers[%d]" % index
        if isinstance(params, dict) and params.get("name"):
            label = "containers[%d] (%s)" % (index, params.get("name"))
        if not isinstance(params, dict):
            raise SpecError("%s must be a dict of container options, got %r" % (label, params))
        try:
            spec = parse_spec(dict(params, owner=owner) if owner is not None else params)
        except SpecError as exc:
            raise SpecError("%s: %s" % (label, exc))
        if spec.name in seen:
            raise SpecError(
                "%s: name %s is listed twice (also containers[%d]); each container may appear once"
                % (label, spec.name, seen[spec.name])
            )
        seen[spec.name] = index
        specs.append(spec)
    return specs


class ImageResolver(object):
    """Resolve each (image, pull) once per task, in list order.

    ``resolve`` is ``execute.resolve_image``-shaped:
    ``resolve(spec) -> (image, pulled_ref)``.  After a real pull the image is on
    the host, so later items on the same image report no pull (as the next
    iteration of a loop would find it local).  In check mode nothing is pulled, so
    every item that would need the image reports the pull, as in a loop.
    """

    def __init__(self, resolve, check_mode=False):
        self._resolve = resolve
        self._check_mode = check_mode
        self._cache = {}

    def __call__(self, spec):
        if spec.image is None or spec.state == "absent":
            return self._resolve(spec)
        key = (spec.image, spec.pull)
        if key in self._cache:
            image, pulled = self._cache[key]
            return image, (pulled if self._check_mode else None)
        answer = self._resolve(spec)
        self._cache[key] = answer
        return answer


def _shares_namespace_with(spec):
    mode = spec.network_mode or ""
    if mode.startswith("container:"):
        return mode[len("container:"):]
    return None


def execution_waves(specs):
    """Indexes of ``specs`` grouped in waves that may run in parallel, in list order.

    A container whose ``network_mode`` is ``container:OTHER`` with ``OTHER`` in the
    list waits for the wave that handles ``OTHER``.  Chains are followed; a cycle
    is broken by list order.
    """
    position = dict((spec.name, index) for index, spec in enumerate(specs))
    level = {}

    def depth(index, trail):
        if index in level:
            return level[index]
        other = _shares_namespace_with(specs[index])
        if other is None or other not in position or position[other] in trail:
            level[index] = 0
        else:
            level[index] = depth(position[other], trail | set([index])) + 1
        return level[index]

    for index in range(len(specs)):
        depth(index, set([index]))
    waves = []
    for index in range(len(specs)):
        while len(waves) <= level[index]:
            waves.append([])
        waves[level[index]].append(index)
    return [wave for wave in waves if wave]


def container_names(summary):
    """Names of a container from ``GET /containers/json`` (``/web`` -> ``web``)."""
    return [name.lstrip("/") for name in (summary.get("Names") or []) if name.count("/") <= 1]


def prune_candidates(summaries, wanted_names, owner=DEFAULT_OWNER):
    """Containers ``prune`` removes: created by this collection for ``owner``, not a Compose project's, not listed.

    ``summaries`` come from the engine's container list (already filtered by the ownership
    label there; checked again here so a filter mistake can never widen the set).  A set-aside
    copy of a listed container is left to that item's own plan.  Returns ``[(name, id)]`` sorted
    by name.
    """
    wanted = set(wanted_names)
    aside_of_wanted = dict((aside_name(name), name) for name in wanted)
    out = []
    for summary in summaries or []:
        labels = summary.get("Labels") or {}
        if owner_of(labels) != owner or COMPOSE_PROJECT_LABEL in labels:
            continue
        names = container_names(summary)
        if not names or any(name in wanted for name in names):
            continue
        if _set_aside_for_listed(labels, names, aside_of_wanted):
            continue
        out.append((names[0], summary.get("Id")))
    return sorted(out)


def _set_aside_for_listed(labels, names, aside_of_wanted):
    """Whether the container is the set-aside copy of a listed one (``plan.is_set_aside``'s label rule)."""
    for name in names:
        original = aside_of_wanted.get(name)
        if original is not None and labels.get(NAME_LABEL, original) == original:
            return True
    return False


def item_result(name, the_plan, container_id=None, error=None):
    """One entry of the module's ``containers`` result."""
    result = dict(
        name=name,
        changed=the_plan.changed if the_plan is not None else False,
        actions=list(the_plan.actions) if the_plan is not None else [],
        diff=dict(before=the_plan.before, after=the_plan.after) if the_plan is not None else {},
        id=container_id,
        state=(the_plan.after.get("state") if the_plan is not None else None),
    )
    if error is not None:
        result["failed"] = True
        result["msg"] = error
    return result


def summarize(results):
    """Overall ``changed``, failed items and the task diff (a list Ansible prints item by item)."""
    changed = any(r.get("changed") for r in results)
    failed = [r for r in results if r.get("failed")]
    diff = []
    for r in results:
        if r.get("changed") and r.get("diff"):
            diff.append(dict(
                before_header=r["name"], after_header=r["name"],
                before=r["diff"].get("before", {}), after=r["diff"].get("after", {}),
            ))
    return changed, failed, diff
