"""Bad values are refused naming the option, before anything on the node changes."""

import pytest

from conftest import run_module, snapshot
from testlib import inspect

BASE = dict(name="opt-all", image="dockyard-lab/app:latest", pull="never")


@pytest.mark.parametrize("over, fragment", [
    ({"ulimits": ["nofile:abc"]}, "ulimits item 'nofile:abc' is not valid"),
    ({"devices": ["/dev/null:/dev/null:xyz"]}, "devices item '/dev/null:/dev/null:xyz'"),
    ({"sysctls": {"": "1"}}, "sysctls has an empty key"),
    ({"cpu_shares": -1}, "cpu_shares must be a whole number >= 0"),
    ({"shm_size": "12x"}, "shm_size '12x' is not a size"),
    ({"capabilities": ["NOT_A_CAP"]}, "capabilities: 'NOT_A_CAP' is not a Linux capability"),
    ({"tmpfs": ["relative/path"]}, "must be absolute"),
    ({"etc_hosts": {"host": "not-an-ip"}}, "etc_hosts.host 'not-an-ip' is not an IP address"),
    ({"comparisons": {"env": "sometimes"}}, "comparisons.env 'sometimes' is not valid"),
    ({"comparisons": {"nonexistent": "strict"}}, "comparisons: 'nonexistent' is not an option that is compared"),
    ({"memory": "128m", "memory_swap": "64m"}, "memory_swap (67108864 bytes) must be at least memory"),
    ({"name": "opt-new", "state": "healthy"}, "state healthy needs a health check"),
])
def test_refused_naming_the_option_and_nothing_changes(node, over, fragment):
    before = snapshot(node)
    run = run_module(dict(dict(BASE, memory="256m"), **over))
    assert run.rc != 0, run.output
    assert fragment in run.msg, run.output
    assert snapshot(node) == before
    assert inspect(node, "opt-new") is None
