# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Planning (pure) and executing reconcile steps against a fake engine."""

import pytest
from docker.errors import APIError, NotFound

from ansible_collections.dockyard.docker.plugins.module_utils import change_lock
from ansible_collections.dockyard.docker.plugins.module_utils.change_lock import ChangeLock, ChangeLockError

from ansible_collections.dockyard.docker.plugins.module_utils.container import execute
from ansible_collections.dockyard.docker.plugins.module_utils.container.execute import RecreateFailed, _wait_exit, reconcile
from ansible_collections.dockyard.docker.plugins.module_utils.container.plan import ContainerError, is_set_aside, plan
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import NAME_LABEL, OWNER_LABEL, parse_spec

IMAGE_ID = "sha256:" + "a" * 64


def inspect_of(running=True, policy="always", image=IMAGE_ID, cid="c" * 64, env=("A=1",), labels=None):
    return {
        "Id": cid,
        "Image": image,
        "State": {"Status": "running" if running else "exited", "Running": running, "Restarting": False},
        "RestartCount": 0,
        "Config": {"Env": list(env), "Labels": {OWNER_LABEL: "true"} if labels is None else labels},
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
    # only reads: the container by name, and the name a recreate keeps an old container under
    assert api.calls == [("inspect_container", "web"), ("inspect_container", "web-dockyard-old")]


def test_reconcile_pull_never_fails_before_any_change():
    api = FakeAPI(images={})
    with pytest.raises(ContainerError) as err:
        reconcile(api, spec(pull="never"))
    assert "pull is never" in str(err.value) and "image app:1" in str(err.value)
    assert [c[0] for c in api.calls] == ["inspect_container", "inspect_container"]


def test_reconcile_recreate_moves_old_aside_and_keeps_volumes():
    api = FakeAPI(container=inspect_of())
    result = reconcile(api, spec(env={"A": "2"}))
    assert result["actions"] == ["recreated: env changed", "started"]
    names = [c[0] for c in api.calls]
    # the old container goes only once the new one was started
    assert names.index("stop") < names.index("rename") < names.index("create") < names.index("start") \
        < names.index("remove_container")
    removes = [c for c in api.calls if c[0] == "remove_container"]
    assert removes == [("remove_container", "c" * 64)]
    assert ("rename", "c" * 64, "web-dockyard-old") in api.calls


class FailingAPI(FakeAPI):
    """The engine refuses one step of the new container (a real engine does this for a taken host port)."""

    def __init__(self, fail_on, **kwargs):
        super(FailingAPI, self).__init__(**kwargs)
        self.fail_on = fail_on

    def create_container_from_config(self, config, name=None):
        if self.fail_on == "create":
            self.calls.append(("create-refused", name))
            raise APIError("invalid runtime")
        return super(FailingAPI, self).create_container_from_config(config, name)

    def start(self, container_id):
        self.calls.append(("start", container_id))
        if self.fail_on == "start" and container_id == "d" * 64:
            raise APIError("driver failed programming external connectivity: port is already allocated")


@pytest.mark.parametrize("fail_on", ["create", "start"])
def test_a_recreate_that_fails_puts_the_old_container_back_running(fail_on):
    api = FailingAPI(fail_on, container=inspect_of())
    with pytest.raises(RecreateFailed) as err:
        reconcile(api, spec(env={"A": "2"}))
    message = str(err.value)
    assert "Could not recreate container web" in message and "old container is back under its name and running" \
        in message
    old, new = "c" * 64, "d" * 64
    tail = api.calls[api.calls.index(("rename", old, "web-dockyard-old")) + 1:]
    assert ("rename", old, "web") in tail and ("start", old) in tail
    assert ("remove_container", old) not in [c[:2] for c in api.calls]
    if fail_on == "start":
        assert ("remove_container", new) in [c[:2] for c in tail]
        assert tail.index(("start", new)) < [c[:2] for c in tail].index(("remove_container", new))


def test_a_stopped_container_is_put_back_stopped():
    api = FailingAPI("start", container=inspect_of(running=False))
    with pytest.raises(RecreateFailed) as err:
        reconcile(api, spec(env={"A": "2"}))
    assert "back under its name, unchanged" in str(err.value)
    assert ("start", "c" * 64) not in api.calls


class NeverHealthyAPI(FakeAPI):
    """The new container starts and runs, but its health check never passes."""

    def start(self, container_id):
        self.calls.append(("start", container_id))
        if container_id == "d" * 64:
            self.container = dict(self.container, State={"Status": "running", "Running": True, "Restarting": False,
                                                         "Health": {"Status": "starting"}})


def test_a_recreate_whose_new_container_never_gets_healthy_puts_the_old_one_back(monkeypatch, fake_clock):
    monkeypatch.setattr(execute, "time", fake_clock)
    api = NeverHealthyAPI(container=inspect_of())
    with pytest.raises(RecreateFailed) as err:
        reconcile(api, spec(env={"A": "2"}, state="healthy", healthcheck={"test": ["CMD", "true"]},
                            healthy_wait_timeout=5))
    message = str(err.value)
    assert "is not healthy after 5" in message and "old container is back under its name and running" in message
    old, new = "c" * 64, "d" * 64
    calls = [c[:2] for c in api.calls]
    assert ("remove_container", old) not in calls, "the old container is kept"
    assert ("remove_container", new) in calls, "the new, unhealthy one goes"
    tail = api.calls[api.calls.index(("rename", old, "web-dockyard-old")) + 1:]
    assert ("rename", old, "web") in tail and ("start", old) in tail


def test_a_leftover_of_an_interrupted_recreate_is_restored_when_the_name_is_free():
    leftover = inspect_of(running=False, cid="e" * 64)
    result = plan(spec(), None, IMAGE_ID, leftover=leftover)
    assert result.steps[0] == "restore"
    assert result.actions[0] == "restored web-dockyard-old (left by an interrupted recreate) as web"
    assert result.actions[1:] == ["started"], "then planned against the restored container"


def test_a_leftover_is_removed_when_the_new_container_exists():
    result = plan(spec(), inspect_of(), IMAGE_ID, leftover=inspect_of(running=False, cid="e" * 64))
    assert result.steps == ["remove_leftover"]
    result = plan(spec(state="absent"), None, IMAGE_ID, leftover=inspect_of(running=False, cid="e" * 64))
    assert result.steps == ["remove_leftover"]


# What can be found under the aside name web-dockyard-old: a recreate's copy of web (written by this
# version, or by one that wrote only the ownership label), or someone else's container.
OURS = {"labelled": {OWNER_LABEL: "true", NAME_LABEL: "web"}, "older-version": {OWNER_LABEL: "true"}}
THEIRS = {"users-own": {"maintainer": "me"}, "no-labels": {},
          "ours-created-as-another-name": {OWNER_LABEL: "true", NAME_LABEL: "web-dockyard-old"},
          "name-label-without-ownership": {NAME_LABEL: "web"}}


@pytest.mark.parametrize("labels", list(OURS.values()), ids=list(OURS))
def test_a_container_set_aside_by_a_recreate_is_recognised_by_its_labels(labels):
    aside = inspect_of(running=False, cid="e" * 64, labels=labels)
    assert is_set_aside(aside, "web")
    assert plan(spec(), None, IMAGE_ID, leftover=aside).steps[0] == "restore"
    assert plan(spec(), inspect_of(), IMAGE_ID, leftover=aside).steps == ["remove_leftover"]


@pytest.mark.parametrize("labels", list(THEIRS.values()), ids=list(THEIRS))
def test_someone_elses_container_under_the_aside_name_is_never_touched(labels):
    theirs = inspect_of(running=True, cid="f" * 64, labels=labels)
    assert not is_set_aside(theirs, "web")
    # web absent: created afresh, the other container is not renamed to web
    assert plan(spec(), None, IMAGE_ID, leftover=theirs).steps == ["create", "start"]
    # web up to date, or removed: nothing happens to the other container
    assert plan(spec(), inspect_of(), IMAGE_ID, leftover=theirs).steps == []
    assert plan(spec(state="absent"), inspect_of(), IMAGE_ID, leftover=theirs).steps == ["remove"]
    # a recreate needs the aside name: refused, naming the container and what to do
    for params in (dict(env={"A": "2"}), dict(recreate=True)):
        with pytest.raises(ContainerError) as err:
            plan(spec(**params), inspect_of(), IMAGE_ID, leftover=theirs)
        message = str(err.value)
        assert message.startswith("container web-dockyard-old (ffffffffffff) is not one a recreate of web set aside")
        assert "Nothing was changed: rename or remove web-dockyard-old" in message


def test_a_recreate_refused_for_a_taken_aside_name_changes_nothing_on_the_engine():
    api = LeftoverAPI(inspect_of(running=True, cid="f" * 64, labels={}), container=inspect_of())
    with pytest.raises(ContainerError):
        reconcile(api, spec(env={"A": "2"}))
    assert [c[0] for c in api.calls] == ["inspect_container"] * len(api.calls)
    api = LeftoverAPI(inspect_of(running=True, cid="f" * 64, labels={}))
    reconcile(api, spec())
    assert ("create", "web") in api.calls
    assert not [c for c in api.calls if "f" * 64 in c[1:]], "the other container was touched"


class LeftoverAPI(FakeAPI):
    def __init__(self, leftover, **kwargs):
        super(LeftoverAPI, self).__init__(**kwargs)
        self.leftover = leftover

    def inspect_container(self, name):
        if name == "web-dockyard-old" and self.leftover is not None:
            self.calls.append(("inspect_container", name))
            return self.leftover
        return super(LeftoverAPI, self).inspect_container(name)


def test_reconcile_restores_the_leftover_by_renaming_it():
    api = LeftoverAPI(inspect_of(running=False, cid="e" * 64))
    reconcile(api, spec())
    assert ("rename", "e" * 64, "web") in api.calls and ("start", "e" * 64) in api.calls
    assert not [c for c in api.calls if c[0] == "create"]


class OtherRunFirst(object):
    """A change lock that another run held: while waiting for it, that run converged the container."""

    def __init__(self, api):
        self.api = api

    def __enter__(self):
        self.api.container = inspect_of(env=("A=2",))
        self.api.calls.append(("lock",))
        return self

    def __exit__(self, *exc):
        return False


def test_a_change_lock_held_by_another_run_fails_at_its_deadline_and_nothing_changes():
    api = FakeAPI(container=inspect_of())
    with ChangeLock(purpose="the other run", directory=change_lock.ROOT_DIRECTORY):
        with pytest.raises(ChangeLockError) as err:
            reconcile(api, spec(env={"A": "2"}), lock=ChangeLock(timeout=0.2))
    assert "another change is in progress" in str(err.value) and "the other run" in str(err.value)
    assert [c[0] for c in api.calls] == ["inspect_container", "inspect_container"], "only the plan's reads"


def test_a_run_that_waited_for_the_lock_plans_again_and_changes_nothing():
    api = FakeAPI(container=inspect_of())
    result = reconcile(api, spec(env={"A": "2"}), lock=OtherRunFirst(api))
    assert result["changed"] is False and result["actions"] == []
    after_lock = api.calls[api.calls.index(("lock",)):]
    assert [c[0] for c in after_lock[1:]] == ["inspect_container", "inspect_container"], "only reads after the wait"


class _AutoRemovingEngine(object):
    """After the process exits the engine removes the container itself (auto_remove): a removal of ours conflicts.

    A fake, because a real engine only shows this race by chance (see the options scenario for the real run).
    """

    def __init__(self):
        self.removed = False
        self.waits = []

    def wait(self, container_id, condition=None):
        self.waits.append(condition)
        if condition == "removed":
            self.removed = True
        return {"StatusCode": 0}

    def logs(self, container_id, stdout=True, stderr=True):
        if self.removed:
            raise NotFound("no such container")
        return b"hello\n"

    def remove_container(self, container_id, v=False, force=False):
        raise APIError("removal of container %s is already in progress" % container_id)


def test_detach_false_with_auto_remove_and_cleanup_leaves_the_removal_to_the_engine():
    engine = _AutoRemovingEngine()
    outcome = {}
    _wait_exit(engine, "c" * 64, spec(auto_remove=True, cleanup=True, detach=False, output_logs=True), outcome)
    assert outcome == {"output": "hello\n", "removed": True}
    assert engine.waits == [None, "removed"]
