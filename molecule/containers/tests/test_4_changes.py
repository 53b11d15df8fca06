"""A policy change is applied in place; a real drift recreates and the named volume keeps its data."""

from conftest import APP, run_apply
from testlib import inspect

POLICY = dict(name="c-policy", image=APP, pull="never", stop_timeout=2)
VOLUME = dict(name="c-volume", image=APP, pull="never", restart_policy="unless-stopped", stop_timeout=2,
              volumes=["c-data:/data"], memory="64m")


def test_policy_change_keeps_the_container_and_its_process(node):
    before = inspect(node, "c-policy")
    assert before["HostConfig"]["RestartPolicy"]["Name"] == "always"

    check = run_apply([dict(POLICY, restart_policy="on-failure:4")], check=True, diff=True)
    assert check.rc == 0, check.output[-3000:]
    assert check.recap()["changed"] == 1
    assert "updated restart_policy" in check.output or "restart_policy" in check.output
    assert inspect(node, "c-policy")["HostConfig"]["RestartPolicy"]["Name"] == "always"

    run = run_apply([dict(POLICY, restart_policy="on-failure:4")])
    assert run.rc == 0, run.output[-3000:]
    assert run.recap()["changed"] == 1
    after = inspect(node, "c-policy")
    assert after["Id"] == before["Id"]
    assert after["State"]["StartedAt"] == before["State"]["StartedAt"]
    assert after["State"]["Pid"] == before["State"]["Pid"]
    assert after["HostConfig"]["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 4}

    again = run_apply([dict(POLICY, restart_policy="on-failure", restart_retries=4)])
    assert again.rc == 0 and again.recap()["changed"] == 0, again.output[-3000:]


def test_limits_change_in_place(node):
    before = inspect(node, "c-volume")
    run = run_apply([dict(VOLUME, env={"GENERATION": "1"}, memory="96m")])
    assert run.rc == 0, run.output[-3000:]
    after = inspect(node, "c-volume")
    assert after["Id"] == before["Id"]
    assert after["HostConfig"]["Memory"] == 96 * 1024 * 1024


def test_named_volume_survives_recreation(node):
    node.check_output("docker exec c-volume sh -c 'echo kept-across-recreation > /data/marker'")
    before = inspect(node, "c-volume")

    check = run_apply([dict(VOLUME, env={"GENERATION": "2"}, memory="96m")], check=True)
    assert check.rc == 0 and check.recap()["changed"] == 1, check.output[-3000:]
    assert inspect(node, "c-volume")["Id"] == before["Id"]

    run = run_apply([dict(VOLUME, env={"GENERATION": "2"}, memory="96m")])
    assert run.rc == 0, run.output[-3000:]
    assert run.recap()["changed"] == 1
    after = inspect(node, "c-volume")
    assert after["Id"] != before["Id"]
    assert "GENERATION=2" in after["Config"]["Env"]
    assert after["State"]["Running"]
    assert node.check_output("docker exec c-volume cat /data/marker") == "kept-across-recreation"
    # the old container is gone, not left aside
    assert inspect(node, before["Id"]) is None
    assert node.check_output("docker ps -a --filter name=c-volume --format '{{.Names}}'") == "c-volume"


def test_state_restarted_restarts_the_same_container(node):
    before = inspect(node, "c-policy")
    assert before["State"]["Running"]
    run = run_apply([dict(POLICY, restart_policy="on-failure:4", state="restarted")])
    assert run.rc == 0, run.output[-3000:]
    assert run.recap()["changed"] == 1
    after = inspect(node, "c-policy")
    assert after["Id"] == before["Id"]
    assert after["State"]["Running"] and after["State"]["StartedAt"] != before["State"]["StartedAt"]
    assert after["State"]["Pid"] != before["State"]["Pid"]
