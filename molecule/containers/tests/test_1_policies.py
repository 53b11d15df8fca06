"""Each container's restart policy is exactly what was asked, as the engine reports it."""

import pytest

from testlib import inspect

EXPECTED = {
    "c-always": {"Name": "always", "MaximumRetryCount": 0},
    "c-unless": {"Name": "unless-stopped", "MaximumRetryCount": 0},
    "c-no": {"Name": "no", "MaximumRetryCount": 0},
    "c-onfail3": {"Name": "on-failure", "MaximumRetryCount": 3},
    "c-onfail-retries": {"Name": "on-failure", "MaximumRetryCount": 5},
    "c-exit": {"Name": "on-failure", "MaximumRetryCount": 2},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_restart_policy_is_exact(node, name):
    data = inspect(node, name)
    assert data is not None, "%s was not created" % name
    assert data["HostConfig"]["RestartPolicy"] == EXPECTED[name]


def test_containers_carry_the_ownership_label(node):
    assert inspect(node, "c-always")["Config"]["Labels"].get("io.dockyard.managed") == "true"


def test_long_running_containers_run_and_answer(node):
    for name in ("c-always", "c-unless", "c-no", "c-onfail3", "c-volume", "c-policy"):
        assert inspect(node, name)["State"]["Status"] == "running", name
    # app-server answers with its hostname on the published port
    cid = inspect(node, "c-always")["Id"]
    out = node.run("python3 -c \"import urllib.request as u; print(u.urlopen('http://127.0.0.1:8080/').read().decode())\"")
    assert out.rc == 0, out.stderr
    assert cid[:12] in out.stdout


def test_state_present_created_but_not_started(node):
    data = inspect(node, "c-exit")
    assert data["State"]["Status"] == "created"
    assert data["RestartCount"] == 0
