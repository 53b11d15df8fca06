# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bulk ``containers`` module against a loop of ``container_manager.reconcile`` (no daemon).

A small in-memory engine stands in for ``docker.APIClient``; the same item lists
go through a loop of the single module's ``reconcile`` and through the bulk
module's reconciler, and must give the same ``changed``/``actions`` per item and
the same end state.  The real-engine version of this check is molecule/bulk.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import itertools
import threading

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils import change_lock, client
from ansible_collections.dockyard.docker.plugins.module_utils.change_lock import ChangeLock
from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    EngineClient,
    EngineHTTPError,
    EngineUnreachable,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.bulk_plan import parse_items
from ansible_collections.dockyard.docker.plugins.module_utils.container.execute import reconcile
from ansible_collections.dockyard.docker.plugins.modules import containers as bulk_module

docker_errors = pytest.importorskip("docker.errors")

IMAGES = {"app:1": "sha256:" + "1" * 64, "app:2": "sha256:" + "2" * 64}
OWNER = "io.dockyard.managed"


class FakeEngine(object):
    """Just enough of the engine for container_manager, thread-safe."""

    _ids = itertools.count(1)

    def __init__(self):
        self.lock = threading.Lock()
        self.by_id = {}
        self.calls = []

    def _find(self, ref):
        if ref in self.by_id:
            return self.by_id[ref]
        for record in self.by_id.values():
            if record["Name"] == "/" + ref:
                return record
        raise docker_errors.NotFound("No such container: %s" % ref)

    def inspect_container(self, ref):
        with self.lock:
            self.calls.append(("inspect", ref))
            return copy.deepcopy(self._find(ref))

    def inspect_image(self, ref):
        if ref not in IMAGES:
            raise docker_errors.NotFound("No such image: %s" % ref)
        return {"Id": IMAGES[ref]}

    def create_container_from_config(self, config, name=None):
        with self.lock:
            self.calls.append(("create", name))
            cid = "%064x" % next(self._ids)
            body = copy.deepcopy(config)
            host = body.pop("HostConfig", {})
            body.pop("NetworkingConfig", None)
            self.by_id[cid] = {
                "Id": cid, "Name": "/" + name, "Image": IMAGES[config["Image"]],
                "Config": body, "HostConfig": host,
                "State": {"Status": "created", "Running": False, "Restarting": False},
            }
            return {"Id": cid}

    def _set(self, ref, status, started=False):
        with self.lock:
            record = self._find(ref)
            started_at = record["State"].get("StartedAt", 0) + (1 if started else 0)
            record["State"] = {"Status": status, "Running": status == "running", "Restarting": False,
                               "StartedAt": started_at}

    def start(self, ref):
        self.calls.append(("start", ref))
        self._set(ref, "running", started=True)

    def stop(self, ref, timeout=None):
        self.calls.append(("stop", ref, timeout))
        self._set(ref, "exited")

    def kill(self, ref):
        self._set(ref, "exited")

    def restart(self, ref, timeout=None):
        self._set(ref, "running", started=True)

    def pause(self, ref):
        with self.lock:
            self._find(ref)["State"]["Paused"] = True

    def unpause(self, ref):
        with self.lock:
            self._find(ref)["State"]["Paused"] = False

    def rename(self, ref, name):
        with self.lock:
            self._find(ref)["Name"] = "/" + name

    def remove_container(self, ref, v=False, force=False):
        assert v is False
        with self.lock:
            self.calls.append(("remove", ref))
            del self.by_id[self._find(ref)["Id"]]

    def containers(self, all=False, filters=None):  # noqa: A002 - the SDK's name
        label = (filters or {}).get("label")
        with self.lock:
            self.calls.append(("list", dict(filters or {})))
            return [
                {"Id": r["Id"], "Names": [r["Name"]], "Labels": r["Config"].get("Labels") or {}}
                for r in self.by_id.values() if label is None or label in (r["Config"].get("Labels") or {})
            ]

    # POST /containers/{id}/update
    def _url(self, template, ref):
        return ref

    def _post_json(self, ref, data=None):
        with self.lock:
            self.calls.append(("update", ref))
            self._find(ref)["HostConfig"].update(data)
        return None

    def _raise_for_status(self, _res):
        return None

    def add_foreign(self, name, labels):
        """A container this collection did not create (or did, when labels carry the owner label)."""
        with self.lock:
            cid = "%064x" % next(self._ids)
            self.by_id[cid] = {
                "Id": cid, "Name": "/" + name, "Image": IMAGES["app:1"], "Config": {"Labels": labels},
                "HostConfig": {}, "State": {"Status": "running", "Running": True, "Restarting": False},
            }
            return cid

    def state(self):
        """Comparable end state: name -> what the specs set + status (IDs differ between engines)."""
        out = {}
        for r in self.by_id.values():
            out[r["Name"].lstrip("/")] = (
                r["Image"], r["Config"].get("Cmd"), r["HostConfig"].get("RestartPolicy"),
                r["Config"].get("StopTimeout"), r["State"]["Status"],
            )
        return out


class FakeModule(object):
    def __init__(self, parallelism=4, check_mode=False):
        self.params = dict(parallelism=parallelism, docker_host="unix:///fake.sock")
        self.check_mode = check_mode

    def fail_json(self, **kwargs):
        raise AssertionError(kwargs)


def run_loop(engine, items, check_mode=False):
    out = []
    for params in items:
        spec = parse_items([params])[0]
        result = reconcile(engine, spec, check_mode=check_mode)
        out.append((spec.name, result["changed"], result["actions"]))
    return out


def run_bulk(engine, items, check_mode=False, parallelism=4, prune=False, owner=None):
    specs = parse_items(items, owner)
    module = FakeModule(parallelism, check_mode)
    bulk = bulk_module.BulkReconciler(module, EngineClient(module, engine), specs, owner=owner or "default")
    results, pruned = bulk.converge(prune)
    return [(r["name"], r["changed"], r["actions"]) for r in results], results, pruned


def items(policy="always", image="app:1", command="app-server", state="started", n=5):
    return [
        dict(name="web-%d" % i, image=image, command=command, restart_policy=policy, stop_timeout=3, state=state)
        for i in range(n)
    ]


STEPS = [
    ("create", items()),
    ("no-op", items()),
    ("policy in place", items(policy="unless-stopped")),
    ("recreate on command", items(policy="unless-stopped", command="app-server --port 8001")),
    ("recreate on image", items(policy="unless-stopped", command="app-server --port 8001", image="app:2")),
    ("stop", items(policy="unless-stopped", command="app-server --port 8001", image="app:2", state="stopped")),
    ("restarted", items(policy="unless-stopped", command="app-server --port 8001", image="app:2",
                        state="restarted")),
    ("remove", [dict(name="web-%d" % i, state="absent") for i in range(5)]),
]


@pytest.mark.parametrize("parallelism", [1, 3, 16])
def test_bulk_and_loop_agree_step_by_step(parallelism):
    loop_engine, bulk_engine = FakeEngine(), FakeEngine()
    for label, step_items in STEPS:
        for check_mode in (True, False):
            loop_state, bulk_state = loop_engine.state(), bulk_engine.state()
            want = run_loop(loop_engine, step_items, check_mode)
            got, _results, _pruned = run_bulk(bulk_engine, step_items, check_mode, parallelism)
            assert got == want, "%s (check_mode=%s)" % (label, check_mode)
            assert bulk_engine.state() == loop_engine.state(), label
            if check_mode:
                assert loop_engine.state() == loop_state and bulk_engine.state() == bulk_state


def engine_facts(engine):
    """name -> (id, status, StartedAt counter, restart policy name, Cmd) as the fake engine holds them."""
    return dict((r["Name"].lstrip("/"), (r["Id"], r["State"]["Status"], r["State"].get("StartedAt", 0),
                                         (r["HostConfig"].get("RestartPolicy") or {}).get("Name"),
                                         r["Config"].get("Cmd")))
                for r in engine.by_id.values())


@pytest.mark.parametrize("runner", ["bulk", "loop"])
def test_each_step_has_its_effect_on_the_engine(runner):
    """Not only the same answers as the loop: every step does what it says, read from the engine."""
    engine = FakeEngine()

    def apply(step_items):
        if runner == "bulk":
            run_bulk(engine, step_items)
        else:
            run_loop(engine, step_items)
        return engine_facts(engine)

    created = apply(STEPS[0][1])
    assert sorted(created) == ["web-%d" % i for i in range(5)]
    assert all(status == "running" and started == 1 for _id, status, started, _p, _c in created.values())
    updated = apply(STEPS[2][1])
    assert all(updated[n][0] == created[n][0] and updated[n][3] == "unless-stopped" for n in created)
    recreated = apply(STEPS[3][1])
    assert all(recreated[n][0] != created[n][0] and recreated[n][4] == ["app-server", "--port", "8001"]
               and recreated[n][1] == "running" for n in created)
    apply(STEPS[4][1])
    stopped = apply(STEPS[5][1])
    assert all(facts[1] == "exited" for facts in stopped.values())
    started = apply(STEPS[6][1])  # stopped containers are started
    assert all(started[n][1] == "running" and started[n][2] > stopped[n][2] for n in started)
    restarted = apply(STEPS[6][1])  # running containers are restarted
    assert all(restarted[n][1] == "running" and restarted[n][2] > started[n][2] for n in restarted)
    paused_items = [dict(item, state="started", paused=True) for item in STEPS[6][1]]
    apply(paused_items)
    assert all(r["State"].get("Paused") is True for r in engine.by_id.values())
    apply([dict(item, paused=False) for item in paused_items])
    assert all(r["State"].get("Paused") is False for r in engine.by_id.values())
    assert apply(STEPS[7][1]) == {}


def test_policy_change_keeps_the_container_ids():
    engine = FakeEngine()
    run_bulk(engine, items())
    before = dict((r["Name"], r["Id"]) for r in engine.by_id.values())
    got, _r, _p = run_bulk(engine, items(policy="no"))
    assert all(actions == ["updated restart_policy"] for _n, _c, actions in got)
    assert dict((r["Name"], r["Id"]) for r in engine.by_id.values()) == before


def test_bulk_looks_containers_up_by_name_and_lists_only_what_recreates_left_aside():
    engine = FakeEngine()
    run_bulk(engine, items())
    engine.calls = []
    run_bulk(engine, items())
    inspects = sorted(c for c in engine.calls if c[0] == "inspect")
    assert inspects == sorted(("inspect", "web-%d" % i) for i in range(5))
    assert [c for c in engine.calls if c[0] == "list"] == [("list", {"name": "-dockyard-old"})]


def test_bulk_repairs_a_container_left_aside():
    engine = FakeEngine()
    run_bulk(engine, items(n=2))
    old = [r for r in engine.by_id.values() if r["Name"] == "/web-1"][0]
    old["Name"] = "/web-1-dockyard-old"  # what a recreate killed after its rename leaves
    got, _r, _p = run_bulk(engine, items(n=2))
    assert got[1][2][0] == "restored web-1-dockyard-old (left by an interrupted recreate) as web-1"
    assert sorted(engine.state()) == ["web-0", "web-1"]


def test_prune_removes_only_labelled_unlisted_containers():
    engine = FakeEngine()
    run_bulk(engine, items(n=3))
    engine.add_foreign("foreign-nolabel", {"com.example.team": "x"})
    engine.add_foreign("foreign-empty", {})
    engine.add_foreign("ours-old", {OWNER: "true"})
    got, _results, pruned = run_bulk(engine, items(n=2), prune=True, check_mode=True)
    assert [p["name"] for p in pruned] == ["ours-old", "web-2"]
    assert "ours-old" in engine.state()
    got, _results, pruned = run_bulk(engine, items(n=2), prune=True)
    assert [(p["name"], p["actions"]) for p in pruned] == [("ours-old", ["removed"]), ("web-2", ["removed"])]
    assert all(changed is False for _n, changed, _a in got)
    assert sorted(engine.state()) == ["foreign-empty", "foreign-nolabel", "web-0", "web-1"]
    # An empty list with prune removes every owned container and still nothing else.
    _got, _results, pruned = run_bulk(engine, [], prune=True)
    assert sorted(engine.state()) == ["foreign-empty", "foreign-nolabel"]


def test_prune_removes_only_the_containers_of_its_own_owner():
    engine = FakeEngine()
    run_bulk(engine, items(n=2), owner="shop")
    run_bulk(engine, [dict(name="invoice", image="app:1", command="app-server", stop_timeout=3)], owner="billing")
    engine.add_foreign("older", {OWNER: "true"})
    engine.add_foreign("proj-db-1", {OWNER: "true", "com.docker.compose.project": "proj"})
    labels = dict((r["Name"], r["Config"]["Labels"]) for r in engine.by_id.values())
    assert labels["/web-0"]["io.dockyard.owner"] == "shop" and labels["/invoice"]["io.dockyard.owner"] == "billing"
    _got, _results, pruned = run_bulk(engine, items(n=1), prune=True, owner="shop")
    assert [p["name"] for p in pruned] == ["web-1"]
    assert sorted(engine.state()) == ["invoice", "older", "proj-db-1", "web-0"]
    # the default owner's prune takes the containers of older versions, never billing's or the project's
    _got, _results, pruned = run_bulk(engine, [], prune=True)
    assert [p["name"] for p in pruned] == ["older"]
    assert sorted(engine.state()) == ["invoice", "proj-db-1", "web-0"]


def test_one_item_that_cannot_be_planned_changes_nothing():
    engine = FakeEngine()
    bad = items(n=3)
    bad[1]["image"] = "missing:1"
    bad[1]["pull"] = "never"
    with pytest.raises(bulk_module.Refused) as err:
        run_bulk(engine, bad)
    assert "1 of 3 containers cannot be deployed, so none was changed" in str(err.value)
    assert "web-1: image missing:1 is not on this host and pull is never" in str(err.value)
    assert engine.state() == {} and not [c for c in engine.calls if c[0] not in ("inspect", "list")]


class StartFails(FakeEngine):
    def start(self, ref):
        if self._find(ref)["Name"] == "/web-1":
            raise docker_errors.APIError("port is already allocated")
        super(StartFails, self).start(ref)


def test_one_item_failing_while_changing_does_not_stop_the_others():
    engine = StartFails()
    got, results, _p = run_bulk(engine, items(n=3))
    assert [r.get("failed", False) for r in results] == [False, True, False]
    assert "port is already allocated" in results[1]["msg"]
    assert engine.state()["web-0"][-1] == engine.state()["web-2"][-1] == "running"


class StopsMeet(FakeEngine):
    """Every stop waits at a barrier for all the others: only passes when all stops run at once."""

    def __init__(self, parties):
        super(StopsMeet, self).__init__()
        self.barrier = threading.Barrier(parties, timeout=10)

    def stop(self, ref, timeout=None):
        self.barrier.wait()
        super(StopsMeet, self).stop(ref, timeout)


def test_stops_and_removals_are_not_bounded_by_parallelism():
    engine = StopsMeet(8)
    run_bulk(engine, items(n=8))
    _got, results, _p = run_bulk(engine, [dict(name="web-%d" % i, state="absent") for i in range(8)], parallelism=2)
    assert not [r for r in results if r.get("failed")], results
    assert engine.state() == {}


# ---------------------------------------------------------------------------- planning through the reader
class ReadOnly(object):
    """What ``client.EngineReader`` offers, over the fake engine: inspects and the container list, no writes."""

    def __init__(self, engine):
        self.engine = engine
        self.calls = []

    def _read(self, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except docker_errors.NotFound as exc:
            raise EngineHTTPError(404, str(exc))

    def inspect_container(self, name):
        self.calls.append(("inspect_container", name))
        return self._read(self.engine.inspect_container, name)

    def inspect_image(self, ref):
        self.calls.append(("inspect_image", ref))
        return self._read(self.engine.inspect_image, ref)

    def containers(self, all=False, filters=None):  # noqa: A002 - the SDK's name
        self.calls.append(("containers", dict(filters or {})))
        return self.engine.containers(all=all, filters=filters)


def lazy_client(monkeypatch, engine, module):
    """What ``connect(module, lazy=True)`` gives on a unix socket; ``opened`` records each SDK client built."""
    opened = []

    def open_api(_module, _api_kwargs, _tls):
        opened.append(threading.current_thread())
        return engine

    monkeypatch.setattr(client, "_open_api", open_api)
    reader = ReadOnly(engine)
    lazy = EngineClient(module, None, dict(base_url="unix:///fake.sock", timeout=5, tls=None), reader=reader)
    monkeypatch.setattr(lazy, "new_api", lambda: engine)
    return lazy, reader, opened


def run_lazy(monkeypatch, engine, step_items, check_mode=False, prune=False):
    module = FakeModule(4, check_mode)
    lazy, reader, opened = lazy_client(monkeypatch, engine, module)
    results, pruned = bulk_module.BulkReconciler(module, lazy, parse_items(step_items)).converge(prune)
    return results, pruned, reader, opened


def test_a_bulk_no_op_plans_through_the_reader_and_never_builds_the_sdk_client(monkeypatch):
    engine = FakeEngine()
    run_bulk(engine, items())
    engine.calls = []
    results, _pruned, reader, opened = run_lazy(monkeypatch, engine, items())
    assert not any(r["changed"] for r in results)
    assert opened == []
    assert sorted(reader.calls) == sorted(
        [("containers", {"name": "-dockyard-old"}), ("inspect_image", "app:1")]
        + [("inspect_container", "web-%d" % i) for i in range(5)])
    # prune's list of owned containers is a read too
    _results, pruned, reader, opened = run_lazy(monkeypatch, engine, items(), prune=True)
    assert pruned == [] and opened == []
    assert ("containers", {"label": OWNER}) in reader.calls


def test_bulk_check_mode_with_changes_never_builds_the_sdk_client(monkeypatch):
    engine = FakeEngine()
    run_bulk(engine, items())
    before = engine.state()
    results, _pruned, _reader, opened = run_lazy(monkeypatch, engine, items(policy="no"), check_mode=True)
    assert [r["actions"] for r in results] == [["updated restart_policy"]] * 5
    assert opened == [] and engine.state() == before


def test_a_bulk_change_builds_the_sdk_client_once_in_the_calling_thread(monkeypatch):
    engine = FakeEngine()
    run_bulk(engine, items())
    results, _pruned, reader, opened = run_lazy(monkeypatch, engine, items(policy="no"))
    assert [r["actions"] for r in results] == [["updated restart_policy"]] * 5
    assert opened == [threading.current_thread()]
    assert all(policy == {"Name": "no", "MaximumRetryCount": 0} for _i, _c, policy, _t, _s in engine.state().values())
    # planned, then planned again under the change lock: every inspect through the reader
    assert sorted(c for c in reader.calls if c[0] == "inspect_container") == sorted(
        ("inspect_container", "web-%d" % i) for i in range(5) for _twice in range(2))


def test_a_bulk_change_fails_when_the_change_lock_stays_held_and_changes_nothing(monkeypatch):
    engine = FakeEngine()
    run_bulk(engine, items())
    before = engine.state()
    module = FakeModule()
    module.params["lock_timeout"] = 0.2
    lazy, _reader, opened = lazy_client(monkeypatch, engine, module)
    with ChangeLock(purpose="dockyard.docker.compose project shop", directory=change_lock.ROOT_DIRECTORY):
        with pytest.raises(AssertionError) as err:
            bulk_module.BulkReconciler(module, lazy, parse_items(items(policy="no"))).converge()
    failure = err.value.args[0]
    assert failure["changed"] is False
    assert failure["msg"].startswith("another change is in progress on this host") and "project shop" in failure["msg"]
    assert engine.state() == before and opened == []


def test_an_unreachable_engine_fails_the_bulk_task_as_a_connection_failure(monkeypatch):
    module = FakeModule()
    lazy, reader, _opened = lazy_client(monkeypatch, FakeEngine(), module)

    def refused(**_kwargs):
        raise EngineUnreachable("[Errno 111] Connection refused")

    monkeypatch.setattr(reader, "containers", refused)
    with pytest.raises(AssertionError) as err:
        bulk_module.BulkReconciler(module, lazy, parse_items(items())).converge()
    assert err.value.args[0]["msg"].startswith(
        "Could not connect to the Docker engine at unix:///fake.sock: Connection refused by the Docker engine")
