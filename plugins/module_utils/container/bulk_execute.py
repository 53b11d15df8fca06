# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bulk reconcile: plan every container as ``container`` does, then apply the plans in parallel.

Used by the ``containers`` module and by ``compose`` (which passes its own execution waves, from
``depends_on``).  All or nothing: an item that cannot be planned stops the run before the first change.

Planning only reads (inspect by name, the one list of containers left aside, the images), through
``engine.reader``: with ``connect(module, lazy=True)`` that is the SDK-free socket reader, so a run with
nothing to change never imports the SDK nor negotiates an API version.  The SDK client is built when a
plan has steps (a pull, a change), in the calling thread, before the worker threads open theirs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.dockyard.docker.plugins.module_utils.change_lock import ChangeLock, ChangeLockError
from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    OWNER_LABEL,
    explain_error,
    fail_from_error,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.bulk_plan import (
    ImageResolver,
    execution_waves,
    item_result,
    prune_candidates,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.execute import (
    apply,
    list_aside,
    prepare,
    replan,
    resolve_image,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.plan import ContainerError
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import DEFAULT_OWNER, parse_spec
from ansible_collections.dockyard.docker.plugins.module_utils.parallel import ThreadClients, run_parallel


# Steps that only wait for the engine (a stop waits up to the stop timeout): not bounded by parallelism.
WAIT_STEPS = set(("stop", "remove", "unpause", "remove_leftover"))


class Refused(Exception):
    """Some items cannot be deployed: nothing was changed."""

    def __init__(self, results, total):
        super(Refused, self).__init__("%d of %d containers cannot be deployed, so none was changed: %s" % (
            len(results), total, "; ".join("%s: %s" % (r["name"], r["msg"]) for r in results)))
        self.results = results


class BulkReconciler(object):
    """Prepare every container as ``container`` does, then apply the plans in parallel."""

    def __init__(self, module, engine, specs, purpose=None, owner=DEFAULT_OWNER):
        self.module = module
        # What the change lock's record says this run changes (a run that gives up waiting names it).
        self.purpose = purpose or "dockyard.docker.containers: %s" % ", ".join(spec.name for spec in list(specs)[:5])
        # Whose containers a prune may remove (the value of io.dockyard.owner).
        self.owner = owner
        self.engine = engine
        # Reads that decide the plans; ``api`` (the SDK client) is only built when it is first used.
        self.reader = engine.reader
        self.api = engine.lazy_api()
        self.specs = specs
        for spec in specs:
            spec.skip_what_the_engine_discards(module.params.get("docker_host"))
            for warning in spec.warnings:
                module.warn(warning)
        self.check_mode = module.check_mode
        self.parallelism = module.params.get("parallelism") or 10
        self.host = module.params.get("docker_host")

    def _explain(self, exc):
        if isinstance(exc, ContainerError):
            return str(exc)
        return explain_error(exc, self.host)

    def plan_all(self):
        """Inspect (by name), resolve images and plan each listed container, in list order."""
        resolver = ImageResolver(
            lambda spec: resolve_image(self.api, spec, check_mode=self.check_mode, reader=self.reader),
            check_mode=self.check_mode)
        planned = []
        aside = self.aside_names() if self.specs else set()
        for spec in self.specs:
            try:
                planned.append((spec, prepare(self.api, spec, self.check_mode, reader=self.reader, resolve=resolver,
                                              aside_names=aside), None))
            except ContainerError as exc:
                planned.append((spec, None, str(exc)))
            except Exception as exc:  # noqa: BLE001 - SDK / transport errors, explained per item
                planned.append((spec, None, "Could not manage container %s: %s" % (spec.name, self._explain(exc))))
        return planned

    def converge(self, prune=False, waves=None, before_apply=None):
        """Plan every item, then change them; returns ``(results, pruned)``.

        ``waves`` (lists of item indexes run one after another, default :func:`execution_waves`)
        orders the changes; a wave starts when the one before it is done.  ``before_apply()``
        (not in check mode) runs once every item is planned and before the first container change
        (``compose`` creates its networks and volumes there).

        All or nothing: when an item cannot be planned (a bad image, a refused option) :class:`Refused`
        is raised before the first change.  Changes run under the per-host :class:`ChangeLock`, after
        planning again (another run may have changed the containers while this one waited); a lock
        that cannot be taken within ``lock_timeout`` fails the task before any change.
        """
        waves = waves if waves is not None else execution_waves(self.specs)
        planned = self.plan_all()
        refused = [item_result(spec.name, None, error=error) for spec, _prepared, error in planned if error]
        if refused:
            raise Refused(refused, len(planned))
        prune_plan = self.plan_prune() if prune else []
        if self.check_mode or not any(p.plan.steps for _s, p, _e in planned + prune_plan):
            if before_apply is not None and not self.check_mode:
                before_apply()
            return self.run(planned, waves), self.run(prune_plan)
        try:
            lock = ChangeLock(timeout=self.module.params.get("lock_timeout"), purpose=self.purpose).acquire()
        except ChangeLockError as exc:
            self.module.fail_json(msg=str(exc), changed=False)
        try:
            if before_apply is not None:
                before_apply()
            planned = self.replan(planned)
            prune_plan = self.plan_prune() if prune else []
            pruned = self.run(prune_plan)
            return self.run(planned, waves), pruned
        finally:
            lock.release()

    def aside_names(self):
        """:func:`execute.list_aside` through the reader (the first read of a run: failing says so)."""
        try:
            return list_aside(self.reader)
        except Exception as exc:  # noqa: BLE001 - an unreachable engine is said as connect() says it
            fail_from_error(self.module, exc, "list the containers recreates left aside")

    def replan(self, planned):
        """Every item planned again from the engine's state now (under the change lock), images kept."""
        out = []
        aside = self.aside_names() if planned else set()
        for spec, prepared, error in planned:
            if error is not None:
                out.append((spec, prepared, error))
                continue
            try:
                out.append((spec, replan(self.api, prepared, reader=self.reader, aside_names=aside), None))
            except ContainerError as exc:
                out.append((spec, None, str(exc)))
            except Exception as exc:  # noqa: BLE001
                out.append((spec, None, "Could not manage container %s: %s" % (spec.name, self._explain(exc))))
        return out

    def plan_prune(self):
        """Removal plans for the containers of this task's owner that are not listed (see :func:`prune_candidates`)."""
        wanted = [spec.name for spec in self.specs]
        try:
            owned = self.reader.containers(all=True, filters={"label": OWNER_LABEL})
        except Exception as exc:  # noqa: BLE001
            fail_from_error(self.module, exc, "list the containers labelled %s for prune" % OWNER_LABEL)
        planned = []
        for name, container_id in prune_candidates(owned, wanted, self.owner):
            spec = parse_spec(dict(name=name, state="absent"))
            try:
                planned.append((spec, prepare(self.api, spec, self.check_mode, reader=self.reader), None))
            except Exception as exc:  # noqa: BLE001
                planned.append((spec, None, "Could not prune container %s: %s" % (name, self._explain(exc))))
        return planned

    def run(self, planned, waves=None):
        """Apply the plans (parallel within each wave); return the item results in order.

        Stops and removals are waits on the engine, not work: they all run at once.  Plans
        that create, start or pull are bounded by ``parallelism``.
        """
        results = [None] * len(planned)
        todo = set()
        for index, (spec, prepared, error) in enumerate(planned):
            if error is not None:
                results[index] = item_result(spec.name, None, error=error)
            elif self.check_mode or not prepared.plan.steps:
                results[index] = item_result(spec.name, prepared.plan, (prepared.inspect or {}).get("Id"))
            else:
                todo.add(index)
        if waves is None:
            waves = [list(range(len(planned)))]
        if not todo:
            return results
        # Something to change: the SDK client now (imported, API version negotiated) in this thread; each
        # worker thread opens its own from it (requests sessions are not shared between threads).
        clients = ThreadClients(self.engine.api, self.engine.new_api)

        def work(index):
            return apply(clients.get(), planned[index][1]).get("container", {}).get("Id")

        def outcomes(batch):
            waits = [i for i in batch if set(planned[i][1].plan.steps) <= WAIT_STEPS]
            work_items = [i for i in batch if i not in waits]
            return (list(zip(waits, run_parallel(work, waits, len(waits))))
                    + list(zip(work_items, run_parallel(work, work_items, self.parallelism))))

        try:
            for wave in waves:
                batch = [index for index in wave if index in todo]
                for index, (answer, exc) in outcomes(batch):
                    spec, prepared, _error = planned[index]
                    if exc is None:
                        results[index] = item_result(spec.name, prepared.plan, answer)
                    else:
                        results[index] = item_result(
                            spec.name, prepared.plan, (prepared.inspect or {}).get("Id"),
                            error="Could not manage container %s: %s" % (spec.name, self._explain(exc)),
                        )
                        # The engine may have done part of the plan: report it as changed.
                        results[index]["changed"] = True
        finally:
            clients.close()
        return results
