"""Two playbooks converging the same container at the same time end with one container, rightly configured."""

import subprocess

from conftest import ENV, module_argv, names, web
from testlib import inspect


def test_two_runs_at_once(node):
    before = inspect(node, "f-web")
    argv = module_argv(web(published_ports=["18090:8000"], env={"RELEASE": "4"}))
    first = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    second = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    outputs = [first.communicate(timeout=300)[0], second.communicate(timeout=300)[0]]
    assert (first.returncode, second.returncode) == (0, 0), outputs
    assert not [o for o in outputs if "Conflict" in o or "conflict" in o], outputs
    # exactly one of them recreated the container; the other found it done after waiting for the lock
    assert sum('"changed": true' in o for o in outputs) == 1, outputs
    assert [n for n in names(node) if n.startswith("f-web")] == ["f-web"]
    after = inspect(node, "f-web")
    assert after["Id"] != before["Id"] and "RELEASE=4" in after["Config"]["Env"] and after["State"]["Running"]
