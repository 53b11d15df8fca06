"""Bad inputs fail with a message naming the option and the accepted values, and change nothing."""

import pytest

from conftest import APP, engine_snapshot, run_apply
from testlib import inspect

BASE = dict(name="c-bad", image=APP, pull="never")

CASES = {
    "policy-sometimes": (dict(BASE, restart_policy="sometimes"),
                         ["restart_policy", "sometimes", "unless-stopped", "on-failure:N"]),
    "on-failure-abc": (dict(BASE, restart_policy="on-failure:abc"), ["restart_policy", "on-failure:abc", "whole number"]),
    "on-failure-negative": (dict(BASE, restart_policy="on-failure:-1"), ["restart_policy", "on-failure:-1", ">= 0"]),
    "retries-with-always": (dict(BASE, restart_policy="always", restart_retries=3),
                            ["restart_retries", "on-failure", "always"]),
    "four-part-port": (dict(BASE, published_ports=["80:80:80:80"]),
                       ["published_ports", "80:80:80:80", "127.0.0.1:53:53/udp"]),
    "image-missing-pull-never": (dict(BASE, image="dockyard-lab/not-here:1"),
                                 ["dockyard-lab/not-here:1", "pull is never", "missing or always"]),
    "name-with-slash": (dict(BASE, name="c/bad"), ["name", "c/bad", "no slashes"]),
    "memory-lots": (dict(BASE, memory="lots"), ["memory", "lots", "512m"]),
    # An existing container is not altered either.
    "existing-bad-policy": (dict(name="c-policy", image=APP, pull="never", restart_policy="sometimes"),
                            ["restart_policy", "sometimes"]),
    # The role refuses a process manager together with a Docker restart policy, before any change.
    "manager-with-policy": (dict(BASE, supervisor="systemd", restart_policy="always"),
                            ["restart_policy", "supervisor", "systemd", "no"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_fails_before_any_change(node, case):
    item, words = CASES[case]
    before = engine_snapshot(node)
    # a good item first: the role must refuse the whole list before deploying any of it
    good = dict(name="c-never-created", image=APP, pull="never")
    run = run_apply([good, item] if case == "manager-with-policy" else [item])
    assert run.rc != 0, run.output[-3000:]
    for word in words:
        assert word in run.output, "%r not in:\n%s" % (word, run.output[-3000:])
    assert run.recap()["changed"] == 0
    assert engine_snapshot(node) == before
    assert inspect(node, "c-bad") is None
    assert inspect(node, "c-never-created") is None
