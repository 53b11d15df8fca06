# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rows swarm_info, stack_info and stack_task_info build from engine JSON (no daemon)."""

import calendar

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.swarm.views import (
    STACK_NAMESPACE,
    cli_error,
    cli_image,
    human_duration,
    manager_refusal,
    node_summary,
    parse_timestamp,
    service_summary,
    stack_rows,
    stack_task_rows,
    task_summary,
    validate_filters,
)

DIGEST = "sha256:" + "a" * 64


@pytest.mark.parametrize("seconds, words", [
    (0.3, "Less than a second"), (1, "1 second"), (42, "42 seconds"), (60, "About a minute"),
    (119, "About a minute"), (120, "2 minutes"), (59 * 60, "59 minutes"), (3600, "About an hour"),
    (5399, "About an hour"), (5400, "2 hours"), (47 * 3600, "47 hours"), (48 * 3600, "2 days"),
    (14 * 86400, "2 weeks"), (60 * 86400, "2 months"), (730 * 86400, "2 years"),
])
def test_human_duration_words_as_the_cli(seconds, words):
    assert human_duration(seconds) == words


def test_parse_timestamp_nanoseconds_and_zones():
    base = calendar.timegm((2026, 12, 2, 7, 0, 0, 0, 0, 0))
    assert parse_timestamp("2026-12-02T07:00:00.123456789Z") == pytest.approx(base + 0.123456789)
    assert parse_timestamp("2026-12-02T08:00:00+01:00") == base
    assert parse_timestamp("not a time") is None and parse_timestamp(None) is None


@pytest.mark.parametrize("image, shown", [
    ("dockyard-lab/app:latest@" + DIGEST, "dockyard-lab/app:latest"),
    ("docker.io/library/redis:7@" + DIGEST, "redis:7"),
    ("app@" + DIGEST, "app@" + DIGEST),  # no tag: the CLI keeps the digest
    ("registry:5000/app:1", "registry:5000/app:1"),
])
def test_cli_image_trims_the_digest_of_tagged_references(image, shown):
    assert cli_image(image) == shown


def test_cli_error_is_cut_to_thirty_characters():
    assert cli_error("short") == "short"
    long_error = "starting container failed: no such image"
    assert cli_error(long_error) == long_error[:29] + u"\u2026" and len(cli_error(long_error)) == 30


def test_manager_refusal_names_the_role():
    assert manager_refusal("The swarm's nodes", {"is_manager": True, "role": "manager"}) is None
    worker = manager_refusal("The swarm's nodes", {"is_manager": False, "role": "worker"}, "unix:///s")
    assert "only known to swarm managers" in worker and "unix:///s is a worker" in worker
    outside = manager_refusal("The swarm's nodes", {"is_manager": False, "role": "none", "state": "inactive"})
    assert "not in a swarm (state inactive)" in outside


NODES = [
    {"ID": "n1", "Description": {"Hostname": "m1", "Engine": {"EngineVersion": "20.10.24"}},
     "Spec": {"Availability": "active"}, "Status": {"State": "ready"},
     "ManagerStatus": {"Leader": True, "Reachability": "reachable"}},
    {"ID": "n2", "Description": {"Hostname": "m2", "Engine": {"EngineVersion": "20.10.24"}},
     "Spec": {"Availability": "drain"}, "Status": {"State": "down"},
     "ManagerStatus": {"Reachability": "unreachable"}},
    {"ID": "n3", "Description": {"Hostname": "w1", "Engine": {"EngineVersion": "20.10.24"}},
     "Spec": {"Availability": "active"}, "Status": {"State": "ready"}},
]


def test_node_summary_manager_status():
    assert [node_summary(n)["ManagerStatus"] for n in NODES] == ["Leader", "unreachable", None]
    assert node_summary(NODES[1]) == dict(ID="n2", Hostname="m2", Status="down", Availability="drain",
                                          ManagerStatus="unreachable", EngineVersion="20.10.24")


def test_service_summary_modes():
    replicated = {"ID": "s1", "Spec": {"Name": "web", "Mode": {"Replicated": {"Replicas": 3}},
                                       "TaskTemplate": {"ContainerSpec": {"Image": "app:1"}},
                                       "EndpointSpec": {"Ports": [{"TargetPort": 80}]}}}
    glob = {"ID": "s2", "Spec": {"Name": "agent", "Mode": {"Global": {}},
                                 "TaskTemplate": {"ContainerSpec": {"Image": "app:1"}}}}
    assert service_summary(replicated) == dict(ID="s1", Name="web", Mode="Replicated", Replicas=3, Image="app:1",
                                               Ports=[{"TargetPort": 80}])
    assert service_summary(glob)["Mode"] == "Global" and service_summary(glob)["Replicas"] is None
    assert service_summary(glob)["Ports"] == []


def test_task_summary_resolves_the_node_name():
    task = {"ID": "t1", "NodeID": "n3", "DesiredState": "running",
            "Spec": {"ContainerSpec": {"Image": "app:1"}},
            "Status": {"State": "failed", "Err": "boom", "ContainerStatus": {"ContainerID": "c1"}}}
    assert task_summary(task, {"n3": "w1"}) == dict(ID="t1", ContainerID="c1", Image="app:1", Node="w1",
                                                    DesiredState="running", CurrentState="failed", Error="boom")


def test_validate_filters():
    assert validate_filters({"nodes": True, "nodes_filters": {"role": "worker", "label": ["a", "b"]}}) is None
    assert "nodes_filters is only used with nodes: true" in validate_filters(
        {"nodes": False, "nodes_filters": {"role": "worker"}})
    assert "tasks_filters.node must be a string" in validate_filters(
        {"tasks": True, "tasks_filters": {"node": {"a": 1}}})


def _service(sid, name, stack=None):
    labels = {STACK_NAMESPACE: stack} if stack else {}
    return {"ID": sid, "Spec": {"Name": name, "Labels": labels}}


def test_stack_rows_count_services_per_namespace():
    services = [_service("1", "shop_web", "shop"), _service("2", "shop_db", "shop"),
                _service("3", "blog_web", "blog"), _service("4", "lonely")]
    assert stack_rows(services) == [
        dict(Name="blog", Namespace="", Orchestrator="Swarm", Services="1"),
        dict(Name="shop", Namespace="", Orchestrator="Swarm", Services="2"),
    ]
    assert stack_rows([]) == []


def test_stack_task_rows_as_docker_stack_ps():
    now = calendar.timegm((2026, 12, 2, 7, 10, 0, 0, 0, 0))

    def task(tid, service, slot, node, state, desired, created, err=None, ports=None):
        return {"ID": tid * 25, "ServiceID": service, "Slot": slot, "NodeID": node, "DesiredState": desired,
                "CreatedAt": created, "Spec": {"ContainerSpec": {"Image": "app:latest@" + DIGEST}},
                "Status": {"State": state, "Timestamp": "2026-12-02T07:05:00.5Z", "Err": err,
                           "PortStatus": {"Ports": ports or []}}}

    tasks = [
        task("a", "s1", 1, "n1", "shutdown", "shutdown", "2026-12-02T07:00:00Z", err="task: non-zero exit (1)"),
        task("b", "s1", 1, "n1", "running", "running", "2026-12-02T07:04:00Z",
             ports=[{"PublishedPort": 8080, "TargetPort": 8000, "Protocol": "tcp"}]),
        task("c", "s2", 0, "n2", "running", "running", "2026-12-02T07:01:00Z"),
    ]
    rows = stack_task_rows(tasks, {"s1": "shop_web", "s2": "shop_agent"}, {"n1": "m1", "n2": "w1"}, now=now)
    assert [r["Name"] for r in rows] == ["shop_agent.n2", "shop_web.1", "shop_web.1"]
    assert [r["ID"] for r in rows] == ["c" * 12, "b" * 12, "a" * 12]  # newest first within a name
    assert rows[1] == dict(ID="b" * 12, Name="shop_web.1", Image="app:latest", Node="m1", DesiredState="Running",
                           CurrentState="Running 4 minutes ago", Error="", Ports="*:8080->8000/tcp")
    assert rows[2]["DesiredState"] == "Shutdown" and rows[2]["Error"] == "task: non-zero exit (1)"
