# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The info modules without a daemon: argument handling, bad inputs, missing objects, the manager check.

A fake reader stands in for the engine; the real engine answers are compared with `docker` in the molecule
scenario `info`. The one engine error (HTTP 500) below is mocked because a real engine cannot be made to
answer it on demand.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from module_harness import module_runner

from ansible_collections.dockyard.docker.plugins.module_utils.client import EngineHTTPError, NotFound
from ansible_collections.dockyard.docker.plugins.modules import (
    container_info,
    image_info,
    network_info,
    stack_info,
    stack_task_info,
    swarm_info,
    swarm_node_info,
    swarm_service_info,
    volume_info,
)


class ReaderClient:
    """What connect() returns; the info modules only use ``reader``."""

    def __init__(self, api):
        self.api = api
        self.reader = api


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, client=ReaderClient)


MANAGER_INFO = {"Swarm": {"LocalNodeState": "active", "NodeID": "n1", "ControlAvailable": True,
                          "Cluster": {"ID": "c1"}}}
WORKER_INFO = {"Swarm": {"LocalNodeState": "active", "NodeID": "n3", "ControlAvailable": False}}
NODES = [
    {"ID": "n1", "Description": {"Hostname": "m1", "Engine": {"EngineVersion": "20.10"}},
     "Spec": {"Availability": "active"}, "Status": {"State": "ready"}, "ManagerStatus": {"Leader": True}},
    {"ID": "n3bbbb", "Description": {"Hostname": "w1", "Engine": {"EngineVersion": "20.10"}},
     "Spec": {"Availability": "active"}, "Status": {"State": "ready"}},
]
SERVICES = [
    {"ID": "s1", "Spec": {"Name": "shop_web", "Labels": {"com.docker.stack.namespace": "shop"},
                          "Mode": {"Replicated": {"Replicas": 2}},
                          "TaskTemplate": {"ContainerSpec": {"Image": "app:1"}}, "EndpointSpec": {}}},
    {"ID": "s2", "Spec": {"Name": "plain", "Labels": {}, "Mode": {"Global": {}},
                          "TaskTemplate": {"ContainerSpec": {"Image": "app:1"}}, "EndpointSpec": {}}},
]
TASKS = [{"ID": "t" * 25, "ServiceID": "s1", "Slot": 1, "NodeID": "n3bbbb", "DesiredState": "running",
          "CreatedAt": "2026-12-02T07:00:00Z", "Spec": {"ContainerSpec": {"Image": "app:1"}},
          "Status": {"State": "running", "Timestamp": "2026-12-02T07:00:00Z",
                     "ContainerStatus": {"ContainerID": "c1"}}}]


class FakeEngine:
    def __init__(self, info=None, objects=None, fail=None):
        self._info = info or MANAGER_INFO
        self.objects = objects or {}
        self.fail = fail
        self.calls = []

    def _get(self, kind, name):
        self.calls.append((kind, name))
        if self.fail:
            raise self.fail
        if name not in self.objects.get(kind, {}):
            raise NotFound("No such %s: %s" % (kind, name))
        return self.objects[kind][name]

    def inspect_container(self, name):
        return self._get("container", name)

    def inspect_image(self, name):
        return self._get("image", name)

    def inspect_network(self, name):
        return self._get("network", name)

    def inspect_volume(self, name):
        return self._get("volume", name)

    def inspect_service(self, name, insert_defaults=None):
        # docker service inspect shows the engine's defaults too: the module asks for them
        assert insert_defaults is True
        return self._get("service", name)

    def images(self, all=False):  # noqa: A002 - the SDK's name
        self.calls.append(("images", all))
        return [{"Id": i["Id"]} for i in self.objects.get("image", {}).values()]

    def info(self):
        return self._info

    def inspect_swarm(self):
        return {"ID": "c1", "JoinTokens": {"Worker": "SWMTKN-1-w", "Manager": "SWMTKN-1-m"}}

    def get_unlock_key(self):
        return {"UnlockKey": ""}

    def nodes(self, filters=None):
        self.calls.append(("nodes", filters))
        return [n for n in NODES if not filters or filters.get("role") != "worker" or "ManagerStatus" not in n]

    def services(self, filters=None):
        self.calls.append(("services", filters))
        label = (filters or {}).get("label")
        if label and "=" in label:
            key, value = label.split("=", 1)
            return [s for s in SERVICES if s["Spec"]["Labels"].get(key) == value]
        if label:
            return [s for s in SERVICES if label in s["Spec"]["Labels"]]
        return SERVICES

    def tasks(self, filters=None):
        self.calls.append(("tasks", filters))
        return TASKS


# --------------------------------------------------------------------------- single objects
@pytest.mark.parametrize("module, key, kind", [
    (container_info, "container", "container"), (network_info, "network", "network"),
    (volume_info, "volume", "volume"),
])
def test_single_object_found_and_missing(run, module, key, kind):
    engine = FakeEngine(objects={kind: {"there": {"Name": "there"}}})
    result, ok = run(module, {"name": "there"}, engine)
    assert ok and result == {"changed": False, "exists": True, key: {"Name": "there"}}
    result, ok = run(module, {"name": "gone"}, engine)
    assert ok and result == {"changed": False, "exists": False, key: None}


@pytest.mark.parametrize("module", [container_info, network_info, volume_info, swarm_service_info,
                                    stack_task_info])
def test_name_is_required_and_not_empty(run, module):
    result, ok = run(module, {}, None)
    assert not ok and "name" in result["msg"]
    result, ok = run(module, {"name": "  "}, None)
    assert not ok and "name must be" in result["msg"]


def test_unknown_option_is_refused_before_the_engine(run):
    result, ok = run(container_info, {"name": "x", "nmae": "y"}, None)
    assert not ok and "nmae" in result["msg"]


def test_volume_name_alias(run):
    result, ok = run(volume_info, {"volume_name": "v"}, FakeEngine(objects={"volume": {"v": {"Name": "v"}}}))
    assert ok and result["exists"]


def test_engine_error_is_explained_not_taken_for_missing(run):
    # mocked: a real engine does not answer 500 to an inspect on demand
    result, ok = run(container_info, {"name": "web"}, FakeEngine(fail=EngineHTTPError(500, "driver failed")))
    assert not ok and result["msg"] == "Could not inspect container web: driver failed"
    assert result["changed"] is False


# --------------------------------------------------------------------------- image_info
IMAGES = {"app:latest": {"Id": "sha256:a"}, "app:1": {"Id": "sha256:a"}, "db:1": {"Id": "sha256:d"}}


def test_image_info_one_or_a_list_missing_left_out_duplicates_once(run):
    engine = FakeEngine(objects={"image": IMAGES})
    result, ok = run(image_info, {"name": "app"}, engine)
    assert ok and result == {"changed": False, "images": [{"Id": "sha256:a"}]}
    result, ok = run(image_info, {"name": ["db:1", "nope", "app:latest", "app:1", "docker.io/library/db:1"]}, engine)
    assert ok and [i["Id"] for i in result["images"]] == ["sha256:d", "sha256:a"]
    assert ("image", "app:latest") in engine.calls and ("image", "nope:latest") in engine.calls


def test_image_info_without_name_reads_every_image(run):
    engine = FakeEngine(objects={"image": {"sha256:a": {"Id": "sha256:a"}, "sha256:d": {"Id": "sha256:d"}}})
    result, ok = run(image_info, {}, engine)
    assert ok and sorted(i["Id"] for i in result["images"]) == ["sha256:a", "sha256:d"]
    assert ("images", True) in engine.calls


def test_image_info_bad_reference(run):
    result, ok = run(image_info, {"name": ["app", "a b"]}, None)
    assert not ok and "name 'a b' is not an image reference" in result["msg"]


# --------------------------------------------------------------------------- swarm_info
def test_swarm_info_on_a_worker_without_manager_data(run):
    result, ok = run(swarm_info, {}, FakeEngine(info=WORKER_INFO))
    assert ok and result["docker_swarm_active"] and not result["docker_swarm_manager"]
    assert result["swarm_facts"] == {} and "nodes" not in result


@pytest.mark.parametrize("args, asked", [({"nodes": True}, "nodes"), ({"services": True, "tasks": True},
                                                                      "services, tasks"),
                                         ({"unlock_key": True}, "unlock key")])
def test_swarm_info_manager_data_on_a_worker_fails_clearly(run, args, asked):
    engine = FakeEngine(info=WORKER_INFO)
    result, ok = run(swarm_info, args, engine)
    assert not ok and "The swarm's %s are only known to swarm managers" % asked in result["msg"]
    assert "is a worker" in result["msg"]
    assert result["can_talk_to_docker"] and result["docker_swarm_active"] and not result["docker_swarm_manager"]
    assert not [c for c in engine.calls if c[0] in ("nodes", "services", "tasks")]


def test_swarm_info_outside_a_swarm(run):
    result, ok = run(swarm_info, {"nodes": True}, FakeEngine(info={"Swarm": {"LocalNodeState": "inactive"}}))
    assert not ok and "not in a swarm (state inactive)" in result["msg"]
    result, ok = run(swarm_info, {}, FakeEngine(info={"Swarm": {"LocalNodeState": "inactive"}}))
    assert ok and not result["docker_swarm_active"] and not result["docker_swarm_manager"]


def test_swarm_info_lists_on_a_manager(run):
    engine = FakeEngine()
    result, ok = run(swarm_info, {"nodes": True, "services": True, "tasks": True, "unlock_key": True,
                                  "services_filters": {"mode": "global"}}, engine)
    assert ok and result["swarm_facts"]["ID"] == "c1" and result["swarm_unlock_key"] is None
    assert [n["ManagerStatus"] for n in result["nodes"]] == ["Leader", None]
    assert result["tasks"][0]["Node"] == "w1" and result["tasks"][0]["ContainerID"] == "c1"
    assert ("services", {"mode": "global"}) in engine.calls


def test_swarm_info_verbose_output_is_the_full_documents(run):
    result, ok = run(swarm_info, {"nodes": True, "verbose_output": True}, FakeEngine())
    assert ok and result["nodes"] == NODES


@pytest.mark.parametrize("args, message", [
    ({"tasks_filters": {"node": "w1"}}, "tasks_filters is only used with tasks: true"),
    ({"nodes": True, "nodes_filters": {"role": {"a": "b"}}}, "nodes_filters.role must be a string"),
    ({"nodes": "maybe"}, "nodes"),
])
def test_swarm_info_bad_inputs_fail_before_the_engine(run, args, message):
    result, ok = run(swarm_info, args, None)
    assert not ok and message in result["msg"]


# --------------------------------------------------------------------------- swarm_node_info / service / stacks
def test_swarm_node_info(run):
    result, ok = run(swarm_node_info, {}, FakeEngine())
    assert ok and [n["ID"] for n in result["nodes"]] == ["n1", "n3bbbb"]
    result, ok = run(swarm_node_info, {"name": ["w1", "nobody", "n3b"]}, FakeEngine())
    assert ok and [n["ID"] for n in result["nodes"]] == ["n3bbbb"]
    result, ok = run(swarm_node_info, {"self": True}, FakeEngine())
    assert ok and [n["ID"] for n in result["nodes"]] == ["n1"]


def test_swarm_node_info_refusals(run):
    result, ok = run(swarm_node_info, {"name": ["w1"], "self": True}, None)
    assert not ok and "name and self: true cannot be combined" in result["msg"]
    result, ok = run(swarm_node_info, {"name": [""]}, None)
    assert not ok and "name must list host names or node IDs" in result["msg"]
    result, ok = run(swarm_node_info, {}, FakeEngine(info=WORKER_INFO))
    assert not ok and "The swarm's nodes are only known to swarm managers" in result["msg"]


def test_swarm_service_info(run):
    engine = FakeEngine(objects={"service": {"web": {"ID": "s1"}}})
    result, ok = run(swarm_service_info, {"name": "web"}, engine)
    assert ok and result == {"changed": False, "exists": True, "service": {"ID": "s1"}}
    result, ok = run(swarm_service_info, {"name": "web"}, FakeEngine(info=WORKER_INFO))
    assert not ok and "is a worker" in result["msg"]


def test_stack_info_counts_labelled_services(run):
    result, ok = run(stack_info, {}, FakeEngine())
    assert ok and result["results"] == [dict(Name="shop", Namespace="", Orchestrator="Swarm", Services="1")]
    result, ok = run(stack_info, {}, FakeEngine(info=WORKER_INFO))
    assert not ok and "The swarm's stacks are only known to swarm managers" in result["msg"]


def test_stack_task_info(run):
    engine = FakeEngine()
    result, ok = run(stack_task_info, {"name": "shop"}, engine)
    assert ok and result["exists"] and [(r["Name"], r["Node"]) for r in result["results"]] == [("shop_web.1", "w1")]
    assert ("tasks", {"service": ["s1"]}) in engine.calls
    result, ok = run(stack_task_info, {"name": "none"}, FakeEngine())
    assert ok and result == {"changed": False, "exists": False, "results": []}
