"""A recreate killed with SIGKILL right after it moved the old container aside is repaired by the next run."""

import subprocess

from conftest import ENV, module_argv, names, run_module, web
from testlib import inspect


def test_killed_recreate_is_repaired(node):
    node.check_output("docker exec f-web sh -c 'echo survives > /data/kill'")
    # On the node: wait for the module's rename of the old container, then SIGKILL the module at once.
    # (`read` returns at the first event; the pipeline itself would only end at the next one.)
    node.check_output("systemd-run --unit=f-killer sh -c \"docker events --filter event=rename --format x | "
                      "{ read -r _; pkill -9 -f AnsiballZ_container; }\"")
    try:
        # Without pipelining the module runs from a file named AnsiballZ_container.py, so it can be found.
        env = dict(ENV, ANSIBLE_PIPELINING="False")
        killed = subprocess.run(module_argv(web(env={"RELEASE": "3"})), capture_output=True, text=True,
                                timeout=300, env=env)
    finally:
        node.run("systemctl stop f-killer")
    assert killed.returncode != 0, "the module was killed: " + killed.stdout + killed.stderr
    left = [n for n in names(node) if n.startswith("f-web")]
    assert "f-web-dockyard-old" in left, left
    run = run_module(web(env={"RELEASE": "3"}))
    assert run.rc == 0, run.output
    assert [n for n in names(node) if n.startswith("f-web")] == ["f-web"]
    data = inspect(node, "f-web")
    assert "RELEASE=3" in data["Config"]["Env"] and data["State"]["Running"] is True
    assert node.check_output("docker exec f-web cat /data/kill") == "survives"
