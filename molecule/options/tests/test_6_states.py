"""state: healthy waits for the health check; detach: false waits for the exit, returns the output and cleans up."""

from conftest import APP, run_module
from testlib import inspect


def test_state_healthy_waits_until_the_check_passes(node):
    run = run_module(dict(name="opt-healthy", image=APP, pull="never", state="healthy", stop_timeout=1,
                          healthcheck={"test": ["CMD", "test", "-e", "/tmp/ready"], "interval": "1s", "retries": 30},
                          command=["sh", "-c", "sleep 3; touch /tmp/ready; exec app-server"]))
    assert run.rc == 0, run.output
    assert inspect(node, "opt-healthy")["State"]["Health"]["Status"] == "healthy"
    assert run_module(dict(name="opt-healthy", state="absent")).rc == 0


def test_detach_false_with_cleanup_runs_once_and_removes_the_container(node):
    run = run_module(dict(name="opt-once", image=APP, pull="never", detach=False, output_logs=True, cleanup=True,
                          command=["sh", "-c", "echo migrated; echo done > /proof"], volumes=["opt-once:/out"]))
    assert run.rc == 0, run.output
    assert "migrated" in run.result["container"]["Output"]
    assert inspect(node, "opt-once") is None, "cleanup removes the container"


def test_detach_false_fails_on_a_non_zero_exit(node):
    run = run_module(dict(name="opt-fail", image=APP, pull="never", detach=False, cleanup=True,
                          command=["sh", "-c", "exit 3"]))
    assert run.rc != 0 and "exited with status 3" in run.msg, run.output
