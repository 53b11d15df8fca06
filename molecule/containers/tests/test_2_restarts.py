"""What each policy does when the main process exits."""

from conftest import wait_for
from testlib import inspect


def test_on_failure_2_gives_up_after_two_restarts(node):
    node.check_output("docker start c-exit")

    def settled():
        data = inspect(node, "c-exit")
        state = data["State"]
        if state["Status"] == "exited" and not state["Restarting"] and data["RestartCount"] >= 2:
            return data
        return None

    data = wait_for(settled, timeout=60)
    assert data, inspect(node, "c-exit")["State"]
    assert data["State"]["ExitCode"] == 1
    assert data["RestartCount"] == 2
    # and it stays given up
    assert wait_for(lambda: inspect(node, "c-exit")["RestartCount"] > 2, timeout=3) is False


def test_always_comes_back_after_its_main_process_is_killed_from_inside(node):
    before = inspect(node, "c-always")
    # PID 1 of the container is app-server; SIGTERM from inside ends it (it handles the signal, exit 0).
    node.check_output("docker exec c-always sh -c 'kill -TERM 1'")

    def restarted():
        data = inspect(node, "c-always")
        state = data["State"]
        done = (data["RestartCount"] > before["RestartCount"] and state["Running"] and not state["Restarting"]
                and state["StartedAt"] != before["State"]["StartedAt"])
        return data if done else None

    data = wait_for(restarted, timeout=60)
    assert data, inspect(node, "c-always")["State"]
    assert data["Id"] == before["Id"]
    assert data["State"]["StartedAt"] != before["State"]["StartedAt"]
    assert data["State"]["Pid"] != before["State"]["Pid"]


def test_no_policy_stays_down_after_its_main_process_ends(node):
    node.check_output("docker exec c-no sh -c 'kill -TERM 1'")
    assert wait_for(lambda: inspect(node, "c-no")["State"]["Status"] == "exited", timeout=30)
    # give the engine time it would need to restart it
    assert wait_for(lambda: inspect(node, "c-no")["State"]["Running"], timeout=3) is False
    assert inspect(node, "c-no")["RestartCount"] == 0
    node.check_output("docker start c-no")
