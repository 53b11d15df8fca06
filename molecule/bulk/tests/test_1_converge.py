"""converge deployed six containers in one task, each as its spec says."""

import pytest

from conftest import OWNER_LABEL
from testlib import inspect

EXPECTED = {
    "m-always": ("running", "always", 0),
    "m-unless": ("running", "unless-stopped", 0),
    "m-onfail": ("running", "on-failure", 3),
    "m-present": ("created", "", 0),  # no restart_policy given: the engine default (none)
    "m-stopped": ("created", "no", 0),
    "m-ignores-term": ("running", "unless-stopped", 0),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_container_as_specified(node, name):
    status, policy, retries = EXPECTED[name]
    data = inspect(node, name)
    assert data is not None, name
    assert data["State"]["Status"] == status
    assert data["HostConfig"]["RestartPolicy"] == {"Name": policy, "MaximumRetryCount": retries}
    labels = data["Config"]["Labels"]
    assert labels[OWNER_LABEL] == "true"
    # the name it was created under (how a recreate knows its own set-aside copy) and its owner
    assert labels["io.dockyard.created-as"] == name and labels["io.dockyard.owner"] == "default"


def test_options_reached_the_engine(node):
    data = inspect(node, "m-ignores-term")
    assert data["Config"]["Cmd"] == ["app-server", "--ignore-term"]
    assert "APP_MESSAGE=bulk" in data["Config"]["Env"]
    assert data["Config"]["Labels"]["scenario"] == "bulk"
    assert data["Config"]["StopTimeout"] == 1
    assert node.check_output("docker exec m-always python3 -c \"import urllib.request as u; "
                             "print(u.urlopen('http://127.0.0.1:8000').read().decode())\"").endswith("hello")
