# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""swarm_service's new options through main() with a fake engine: force_update, resolve_image, jobs, bad input."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.dockyard.docker.plugins.modules import swarm_service
from ansible_collections.dockyard.docker.plugins.module_utils.swarm import services

from module_harness import module_runner

DIGEST1 = "sha256:" + "1" * 64
DIGEST2 = "sha256:" + "2" * 64


class FakeApi:
    """Just enough of the SDK's APIClient for swarm_service: one service store, a registry and tasks."""

    def __init__(self):
        self.service = None
        self.calls = []
        self.registry = {"dockyard-lab/app:latest": DIGEST1}
        self.task_list = []

    def inspect_service(self, name, **_kw):
        if self.service is None:
            raise swarm_service_not_found()
        return copy.deepcopy(self.service)

    def _store(self, task_template, name, labels, mode, update_config, rollback_config, endpoint_spec, version):
        spec = {"Name": name, "Labels": labels or {}, "TaskTemplate": copy.deepcopy(task_template), "Mode": mode}
        for key, value in (("UpdateConfig", update_config), ("RollbackConfig", rollback_config),
                           ("EndpointSpec", endpoint_spec)):
            if value is not None:
                spec[key] = value
        spec["TaskTemplate"].setdefault("ForceUpdate", 0)
        self.service = {"ID": "svc1", "Version": {"Index": version}, "Spec": spec,
                        "JobStatus": {"JobIteration": {"Index": version}}}

    def create_service(self, task_template, name=None, labels=None, mode=None, update_config=None,
                       rollback_config=None, endpoint_spec=None):
        self.calls.append(("create", name))
        self._store(task_template, name, labels, mode, update_config, rollback_config, endpoint_spec, 1)

    def update_service(self, service_id, version, task_template=None, name=None, labels=None, mode=None,
                       update_config=None, rollback_config=None, endpoint_spec=None):
        self.calls.append(("update", task_template.get("ForceUpdate")))
        self._store(task_template, name, labels, mode, update_config, rollback_config, endpoint_spec, version + 1)

    def remove_service(self, service_id):
        self.calls.append(("remove", service_id))
        self.service = None

    def inspect_distribution(self, image, auth_config=None):
        self.calls.append(("distribution", image))
        return {"Descriptor": {"digest": self.registry[image]}}

    def reload_config(self, dockercfg_path=None):
        pass

    def nodes(self):
        return [{"ID": "n1", "Status": {"State": "ready"}, "Description": {"Hostname": "node1"}}]

    def tasks(self, filters=None):
        return self.task_list

    def changes(self):
        return [c for c in self.calls if c[0] in ("create", "update", "remove")]


def swarm_service_not_found():
    import docker
    resp = type("R", (), {"status_code": 404, "reason": "Not Found", "url": "x"})()
    return docker.errors.NotFound("no such service", response=resp)


@pytest.fixture
def run(monkeypatch):
    runner = module_runner(monkeypatch)
    monkeypatch.setattr(services.time, "sleep", lambda _s: None)
    monkeypatch.setattr(services, "STABLE_SECONDS", 0)

    def call(api, check=False, **args):
        args.setdefault("name", "web")
        args.setdefault("wait", False)
        if check:
            args["_ansible_check_mode"] = True
        return runner(swarm_service, args, api)
    return call


def test_force_update_always_changes_and_bumps_the_counter(run):
    api = FakeApi()
    result, ok = run(api, image="dockyard-lab/app:latest", user="nobody")
    assert ok and result["changed"]
    result, ok = run(api, image="dockyard-lab/app:latest", user="nobody")
    assert ok and not result["changed"]
    result, ok = run(api, image="dockyard-lab/app:latest", user="nobody", force_update=True)
    assert ok and result["changed"] and result["differences"] == ["TaskTemplate.ForceUpdate"]
    assert api.changes()[-1] == ("update", 1)
    result, ok = run(api, image="dockyard-lab/app:latest", force_update=True)
    assert ok and result["changed"] and api.changes()[-1] == ("update", 2)


def test_resolve_image_pins_the_digest_and_follows_a_new_push(run):
    api = FakeApi()
    result, ok = run(api, check=True, image="dockyard-lab/app:latest", resolve_image=True)
    assert ok and result["changed"] and api.changes() == []
    assert ("distribution", "dockyard-lab/app:latest") in api.calls  # check mode asks the registry too
    result, ok = run(api, image="dockyard-lab/app:latest", resolve_image=True)
    assert ok and result["changed"]
    assert api.service["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"] == "dockyard-lab/app:latest@" + DIGEST1
    result, ok = run(api, image="dockyard-lab/app:latest", resolve_image=True)
    assert ok and not result["changed"], result
    api.registry["dockyard-lab/app:latest"] = DIGEST2  # a new push under the same tag
    result, ok = run(api, image="dockyard-lab/app:latest", resolve_image=True)
    assert ok and result["changed"] and result["differences"] == ["TaskTemplate.ContainerSpec.Image"]
    assert api.service["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"] == "dockyard-lab/app:latest@" + DIGEST2
    # without resolve_image the registry is not asked and the pinned digest is not a difference
    calls = len(api.calls)
    result, ok = run(api, image="dockyard-lab/app:latest")
    assert ok and not result["changed"] and not any(c[0] == "distribution" for c in api.calls[calls:])


def test_resolve_image_registry_error_changes_nothing(run):
    api = FakeApi()
    api.registry = {}

    def broken(image, auth_config=None):
        raise swarm_service_not_found()
    api.inspect_distribution = broken
    result, ok = run(api, image="dockyard-lab/app:latest", resolve_image=True)
    assert not ok and "resolve_image" in result["msg"] and api.changes() == []


def job_task(state, index):
    return {"ID": "t%d%s" % (index, state), "NodeID": "n1", "DesiredState": "complete",
            "Status": {"State": state}, "JobIteration": {"Index": index}}


def test_job_wait_needs_completed_tasks(run):
    api = FakeApi()
    api.task_list = [job_task("running", 1), job_task("running", 1)]
    result, ok = run(api, image="dockyard-lab/app:latest", mode="replicated-job", replicas=2, wait=True,
                     wait_timeout=0)
    assert not ok and "0 of 2 job task(s) completed" in result["msg"]
    assert api.service["Spec"]["Mode"] == {"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 2}}
    api.task_list = [job_task("complete", 1), job_task("complete", 1)]
    result, ok = run(api, image="dockyard-lab/app:latest", mode="replicated-job", replicas=2, wait=True)
    assert ok and not result["changed"] and len(result["tasks"]) == 2


def test_job_kind_switch_recreates(run):
    api = FakeApi()
    run(api, image="dockyard-lab/app:latest", replicas=2)
    result, ok = run(api, image="dockyard-lab/app:latest", mode="replicated-job", replicas=2)
    assert ok and result["changed"] and "recreate" in result["actions"][0]
    assert [c[0] for c in api.changes()] == ["create", "remove", "create"]
    assert "ReplicatedJob" in api.service["Spec"]["Mode"]


@pytest.mark.parametrize("args,match", [
    (dict(mode="replicated-job", update_config=dict(parallelism=1)), "update_config cannot be used with mode"),
    (dict(hosts={"db": "nope"}), "hosts.db 'nope' is not an IP address"),
    (dict(cap_add=["FLY"]), "cap_add: 'FLY' is not a Linux capability"),
    (dict(ulimits=["nofile"]), "ulimits item 'nofile' is not valid"),
    (dict(logging=dict(options={"a": "b"})), "logging.options needs logging.driver"),
    (dict(stop_grace_period="later"), "stop_grace_period 'later' is not a duration"),
    (dict(mode="cron"), "value of mode must be one of: replicated, global, replicated-job, global-job"),
    (dict(tty="perhaps"), "tty"),
])
def test_bad_input_changes_nothing(run, args, match):
    api = FakeApi()
    run(api, image="dockyard-lab/app:latest")
    before = copy.deepcopy(api.service)
    result, ok = run(api, image="dockyard-lab/app:latest", **args)
    assert not ok and match in result["msg"], result["msg"]
    assert api.service == before and [c[0] for c in api.changes()] == ["create"]


def test_community_return_values_swarm_service_changes_and_rebuilt(run):
    """community.docker's swarm_service (from the engine's spec), changes (their names) and rebuilt."""
    api = FakeApi()
    result, ok = run(api, image="dockyard-lab/app:latest", replicas=2, env={"A": "1"},
                     limits={"cpus": 0.5, "memory": "64M"}, update_config={"delay": "10s", "order": "start-first"})
    assert ok and result["changed"]
    assert result["changes"] == [] and result["rebuilt"] is False  # created: nothing of an old one changed
    facts = result["swarm_service"]
    assert facts["image"] == "dockyard-lab/app:latest"
    assert facts["mode"] == "replicated" and facts["replicas"] == 2
    assert facts["env"] == ["A=1"]
    assert facts["limit_cpu"] == 0.5 and facts["limit_memory"] == 64 * 1024 * 1024
    assert facts["update_delay"] == 10 * 10 ** 9 and facts["update_order"] == "start-first"
    assert facts["reserve_cpu"] is None and facts["force_update"] is None
    # the facts come from what the engine stores, not from the task
    assert facts["env"] == api.service["Spec"]["TaskTemplate"]["ContainerSpec"]["Env"]

    result, ok = run(api, image="dockyard-lab/app:latest", replicas=2, env={"A": "1"})
    assert ok and not result["changed"] and result["changes"] == []

    result, ok = run(api, check=True, image="dockyard-lab/app:latest", replicas=3, env={"A": "2"})
    assert ok and result["changed"] and result["changes"] == ["env", "replicas"]
    assert result["swarm_service"]["replicas"] == 3 and api.service["Spec"]["Mode"]["Replicated"]["Replicas"] == 2

    result, ok = run(api, image="dockyard-lab/app:latest", replicas=3, env={"A": "2"})
    assert ok and result["changes"] == ["env", "replicas"] and result["rebuilt"] is False
    assert result["swarm_service"]["replicas"] == 3

    result, ok = run(api, image="dockyard-lab/app:latest", mode="global")
    assert ok and result["rebuilt"] is True and result["changes"] == ["mode"]
    assert result["swarm_service"]["mode"] == "global" and result["swarm_service"]["replicas"] is None

    result, ok = run(api, state="absent")
    assert ok and result["changed"] and result["swarm_service"] == {} and result["changes"] == []
