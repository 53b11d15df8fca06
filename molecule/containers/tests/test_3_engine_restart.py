"""`systemctl restart docker`: always / unless-stopped come back, no does not, manual stops differ."""

from conftest import wait_for
from testlib import inspect


def test_engine_restart(node):
    node.check_output("docker stop -t 2 c-stopped-always c-stopped-unless")
    for name in ("c-stopped-always", "c-stopped-unless"):
        assert inspect(node, name)["State"]["Status"] == "exited"
    for name in ("c-always", "c-unless", "c-no"):
        assert inspect(node, name)["State"]["Running"], name

    node.check_output("systemctl restart docker")
    assert wait_for(lambda: node.run("docker info").rc == 0, timeout=60)

    def running(name):
        return wait_for(lambda: inspect(node, name)["State"]["Running"], timeout=30)

    assert running("c-always")
    assert running("c-unless")
    # A manually stopped `always` container comes back when the engine starts...
    assert running("c-stopped-always")
    # ...a manually stopped `unless-stopped` one does not, and `no` never does.
    assert inspect(node, "c-stopped-unless")["State"]["Status"] == "exited"
    assert inspect(node, "c-no")["State"]["Status"] == "exited"
    assert wait_for(lambda: inspect(node, "c-no")["State"]["Running"], timeout=3) is False
    assert wait_for(lambda: inspect(node, "c-stopped-unless")["State"]["Running"], timeout=3) is False
