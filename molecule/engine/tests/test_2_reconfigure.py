"""Later converges on engine-node1: a changed option restarts the engine exactly once; an option the
engine refuses is rolled back (old daemon.json, engine running) and the role fails with the engine's
own error; an unknown key is refused before anything changes."""

import json

from conftest import engine_starts, engine_state, run_apply

NODE = "engine-node1"
CHANGED = {"log-driver": "json-file", "log-opts": {"max-size": "50m"}}
CHANGED_JSON = {"log-driver": "json-file", "log-opts": {"max-size": "50m", "max-file": "3"}}


def daemon_json(h):
    return json.loads(h.file("/etc/docker/daemon.json").content_string)


def test_changed_option_restarts_the_engine_exactly_once(node1):
    starts = engine_starts(node1)
    before = engine_state(node1)
    run = run_apply(NODE, {"docker_daemon_options": CHANGED})
    assert run.rc == 0, run.output[-4000:]
    assert run.recap(NODE)["changed"] >= 1
    assert daemon_json(node1) == CHANGED_JSON
    # exactly one new start of dockerd, and a new process
    assert engine_starts(node1) - starts == 1, run.output[-4000:]
    after = engine_state(node1)
    assert after["active"] == "active"
    assert after["main_pid"] != before["main_pid"]
    assert node1.check_output("docker info --format '{{.ServerVersion}}'")


def test_refused_option_is_rolled_back_with_the_engine_error(node1):
    # log-level "loud" passes the key check (log-level is a known key) but dockerd refuses to start.
    before = engine_state(node1)
    assert before["active"] == "active"
    bad = dict(CHANGED, **{"log-level": "loud"})
    run = run_apply(NODE, {"docker_daemon_options": bad})
    assert run.rc != 0, run.output[-4000:]
    # the engine's own words reach the user, and the rollback is reported
    assert "loud" in run.output and "previous configuration was restored" in run.output, run.output[-4000:]
    assert daemon_json(node1) == CHANGED_JSON
    after = engine_state(node1)
    assert after["active"] == "active"
    assert after["daemon_json"] == before["daemon_json"]
    assert after["etc_docker"] == before["etc_docker"], "backup files left in /etc/docker"
    assert node1.run("docker info --format '{{.ServerVersion}}'").rc == 0


def test_unknown_key_is_refused_before_any_change(node1):
    before = engine_state(node1)
    run = run_apply(NODE, {"docker_daemon_options": dict(CHANGED, **{"log-drivr": "json-file"})})
    assert run.rc != 0
    assert "docker_daemon_options" in run.output and "log-drivr" in run.output, run.output[-4000:]
    assert run.recap(NODE)["changed"] == 0
    assert engine_state(node1) == before
