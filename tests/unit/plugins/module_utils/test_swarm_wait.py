# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for services to converge, on a fake clock and a fake engine whose tasks start at given times:
several services are watched together (the wait is the slowest one's, not the sum), and a failure names
every service that did not converge."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.swarm import services


class FakeEngine:
    """Replicated services of one replica each; a service's task is running from its start time on (never,
    with None); ``paused`` services report a paused update; ``updating`` ({service: time}) services report a
    rolling update in progress until that time, and completed after it."""

    def __init__(self, clock, starts, paused=(), updating=None):
        self.clock = clock
        self.starts = starts
        self.paused = set(paused)
        self.updating = updating or {}
        self.reads = []
        self.calls = 0

    def nodes(self):
        self.calls += 1
        return [{"ID": "n1", "Status": {"State": "ready"}, "Description": {"Hostname": "node1"}}]

    def _service(self, service_id):
        self.reads.append(service_id)
        service = {"ID": service_id, "Spec": {"Name": service_id, "Mode": {"Replicated": {"Replicas": 1}}}}
        if service_id in self.paused:
            service["UpdateStatus"] = {"State": "paused"}
        elif service_id in self.updating:
            rolling = self.clock.now < self.updating[service_id]
            service["UpdateStatus"] = {"State": "updating" if rolling else "completed"}
        return service

    def inspect_service(self, service_id):
        self.calls += 1
        return self._service(service_id)

    def services(self, filters):
        """As the engine's id filter: every service whose ID starts with one of the values."""
        self.calls += 1
        return [self._service(sid) for sid in sorted(self.starts) if any(sid.startswith(v) for v in filters["id"])]

    def tasks(self, filters):
        self.calls += 1
        wanted = filters["service"] if isinstance(filters["service"], list) else [filters["service"]]
        out = []
        for service_id in wanted:
            start = self.starts[service_id]
            state = "running" if start is not None and self.clock.now >= start else "starting"
            out.append({"ID": "task-" + service_id, "ServiceID": service_id, "NodeID": "n1", "DesiredState": "running",
                        "Status": {"State": state, "Err": "" if state == "running" else "image not found"}})
        return out


class Failed(Exception):
    pass


class FakeModule:
    def fail_json(self, msg, **_result):
        raise Failed(msg)


@pytest.fixture
def clock(monkeypatch, fake_clock):
    monkeypatch.setattr(services, "time", fake_clock)
    return fake_clock


def manager(engine):
    client = type("Client", (), {"api": engine})()
    return services.ServiceManager(FakeModule(), client, {})


def test_services_converging_together_wait_as_long_as_the_slowest(clock):
    starts = dict(("svc%d" % i, 1000.0 + 4) for i in range(10))
    began = clock.now
    result = manager(FakeEngine(clock, starts)).wait_all([(sid, sid) for sid in sorted(starts)], timeout=300)
    waited = clock.now - began
    assert sorted(result) == sorted(starts)
    assert all(tasks[0]["state"] == "running" for tasks in result.values())
    # one service alone: 4 s until its task runs, then STABLE_SECONDS of the same running task
    assert waited <= 4 + services.STABLE_SECONDS + 2, waited


def test_a_single_wait_still_needs_a_stable_running_set(clock):
    engine = FakeEngine(clock, {"web": 1000.0 + 2})
    began = clock.now
    tasks = manager(engine).wait("web", "web", timeout=60)
    assert tasks[0]["id"] == "task-web"
    assert clock.now - began >= 2 + services.STABLE_SECONDS


def test_a_wait_lasts_until_the_rolling_update_has_completed_though_the_tasks_run(clock):
    engine = FakeEngine(clock, {"web": 1000.0}, updating={"web": 1000.0 + 20})
    began = clock.now
    manager(engine).wait("web", "web", timeout=60)
    assert clock.now - began >= 20


def test_timeout_names_every_service_that_did_not_converge_and_only_those(clock):
    engine = FakeEngine(clock, {"ok": 1000.0 + 1, "broken": None, "late": None})
    with pytest.raises(Failed) as failure:
        manager(engine).wait_all([("ok", "ok"), ("broken", "broken"), ("late", "late")], timeout=20)
    message = str(failure.value)
    assert "Service broken did not converge within 20s" in message
    assert "Service late did not converge" in message
    assert "Service ok" not in message
    assert "image not found" in message
    assert clock.now - 1000.0 >= 20


def test_a_paused_update_fails_at_once_without_waiting_for_the_timeout(clock):
    engine = FakeEngine(clock, {"web": 1000.0, "db": 1000.0}, paused=("db",))
    with pytest.raises(Failed) as failure:
        manager(engine).wait_all([("web", "web"), ("db", "db")], timeout=300)
    assert "Service db did not converge" in str(failure.value)
    assert "update state paused" in str(failure.value)
    assert clock.now - 1000.0 < 10


def test_a_converged_service_is_no_longer_read(clock):
    engine = FakeEngine(clock, {"fast": 1000.0, "slow": 1000.0 + 15})
    manager(engine).wait_all([("fast", "fast"), ("slow", "slow")], timeout=60)
    assert engine.reads.count("slow") > engine.reads.count("fast") + 5


def test_a_round_costs_the_same_few_reads_for_ten_services_as_for_two(clock):
    def reads(count):
        starts = dict(("svc%d" % i, clock.now + 6) for i in range(count))
        engine = FakeEngine(clock, starts)
        manager(engine).wait_all([(sid, sid) for sid in sorted(starts)], timeout=300)
        return engine.calls

    # nodes, services and tasks once a round, whatever the number of services
    assert reads(10) == reads(2)


def test_a_service_whose_id_only_starts_like_a_waited_one_is_not_taken_for_it(clock):
    # "web" is waited for; "web2" (never running) matches the engine's id prefix filter too
    engine = FakeEngine(clock, {"web": 1000.0, "web2": None, "db": 1000.0})
    result = manager(engine).wait_all([("web", "web"), ("db", "db")], timeout=60)
    assert [t["id"] for t in result["web"]] == ["task-web"]
