# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Planning (pure) and executing reconcile steps against a fake engine."""

import pytest
from docker.errors import NotFound

from ansible_collections.dockyard.docker.plugins.module_utils.container.manager import (
    ContainerError,
    plan,
    reconcile,
    run_parallel,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import OWNER_LABEL, parse_spec

IMAGE_ID = "sha256:" + "a" * 64


def inspect_of(running=True, policy="always", image=IMAGE_ID, cid="c" * 64, env=("A=1",)):
    return {
        "Id": cid,
        "Image": image,
        "State": {"Status": "running" if running else "exited", "Running": running, "Restarting": False},
        "RestartCount": 0,
        "Config": {"Env": list(env), "Labels": {OWNER_LABEL: "true"}},
        "HostConfig": {"RestartPolicy": {"Name": policy, "MaximumRetryCount": 0}, "Binds": ["data:/data:rw"]},
        "NetworkSettings": {"Networks": {}},
    }


def spec(**params):
    base = dict(name="web", image="app:1", restart_policy="always", volumes=["data:/data"])
    base.update(params)
    return parse_spec(base)


@pytest.mark.parametrize(
    "state, inspect, actions",
    [
        ("started", None, ["created", "started"]),
        ("present", None, ["created"]),
        ("stopped", None, ["created"]),
        ("restarted", None, ["created", "started"]),
        ("absent", None, []),
        ("started", inspect_of(), []),
        ("started", inspect_of(running=False), ["started"]),
        ("present", inspect_of(running=False), []),
        ("stopped", inspect_of(), ["stopped"]),
        ("stopped", inspect_of(running=False), []),
        ("restarted", inspect_of(), ["restarted"]),
        ("absent", inspect_of(), ["removed"]),
    ],
)
def test_plan_states(state, inspect, actions):
    assert plan(spec(state=state), inspect, IMAGE_ID).actions == actions


def test_policy_change_is_an_update_not_a_recreate():
    result = plan(spec(restart_policy="unless-stopped"), inspect_of(), IMAGE_ID)
    assert result.actions == ["updated restart_policy"]
    assert result.steps == ["update"]
    assert result.before["restart_policy"] == "always" and result.after["restart_policy"] == "unless-stopped"


def test_image_change_recreates_and_keeps_running_state():
    result = plan(spec(), inspect_of(), "sha256:" + "b" * 64)
    assert result.actions == ["recreated: image changed", "started"]
    result = plan(spec(state="present"), inspect_of(running=False), "sha256:" + "b" * 64)
    assert result.actions == ["recreated: image changed"]
    result = plan(spec(state="stopped"), inspect_of(running=True), "sha256:" + "b" * 64)
    assert result.actions == ["recreated: image changed"]


def test_recreate_wins_over_update_and_forced_recreate():
    result = plan(spec(restart_policy="no", env={"A": "2"}), inspect_of(), IMAGE_ID)
    assert result.actions == ["recreated: env changed", "started"]
    assert plan(spec(recreate=True), inspect_of(), IMAGE_ID).actions == ["recreated: recreate requested", "started"]


def test_pull_is_reported_first():
    assert plan(spec(), None, None, pulled="app:1").actions == ["pulled image app:1", "created", "started"]


def test_create_needs_an_image():
    with pytest.raises(ContainerError) as err:
        plan(parse_spec({"name": "web"}), None, None)
    assert "image is required" in str(err.value)


def FakeNotFound(name):  # noqa: N802 - stands in for the SDK's exception class
    return NotFound("No such object: %s" % name)


class FakeAPI(object):
    """Records calls; knows one container and one image."""

    def __init__(self, container=None, images=None):
        self.container = container
        self.images = {"app:1": {"Id": IMAGE_ID}} if images is None else images
        self.calls = []

    def inspect_container(self, name):
        self.calls.append(("inspect_container", name))
        if self.container is None or name not in (self.container["Id"], "web"):
            raise FakeNotFound(name)
        return self.container

    def inspect_image(self, ref):
        if ref not in self.images:
            raise FakeNotFound(ref)
        return self.images[ref]

    def create_container_from_config(self, config, name=None):
        self.calls.append(("create", name))
        self.container = inspect_of(running=False, cid="d" * 64)
        return {"Id": "d" * 64}

    def __getattr__(self, attr):
        def record(*args, **kwargs):
            self.calls.append((attr,) + args)
            if attr == "_post_json":
                return None
        return record


def test_reconcile_check_mode_changes_nothing():
    api = FakeAPI()
    result = reconcile(api, spec(), check_mode=True)
    assert result["changed"] and result["actions"] == ["created", "started"]
    assert [c[0] for c in api.calls] == ["inspect_container"]


def test_reconcile_pull_never_fails_before_any_change():
    api = FakeAPI(images={})
    with pytest.raises(ContainerError) as err:
        reconcile(api, spec(pull="never"))
    assert "pull is never" in str(err.value) and "image app:1" in str(err.value)
    assert [c[0] for c in api.calls] == ["inspect_container"]


def test_reconcile_recreate_moves_old_aside_and_keeps_volumes():
    api = FakeAPI(container=inspect_of())
    result = reconcile(api, spec(env={"A": "2"}))
    assert result["actions"] == ["recreated: env changed", "started"]
    names = [c[0] for c in api.calls]
    assert names.index("stop") < names.index("rename") < names.index("create") < names.index("remove_container")
    removes = [c for c in api.calls if c[0] == "remove_container"]
    assert removes == [("remove_container", "c" * 64)]


def test_run_parallel_keeps_order_and_errors():
    def work(x):
        if x == 3:
            raise ValueError("three")
        return x * 2
    results = run_parallel(work, range(6), parallelism=3)
    assert [r for r, _e in results] == [0, 2, 4, None, 8, 10]
    assert isinstance(results[3][1], ValueError)
