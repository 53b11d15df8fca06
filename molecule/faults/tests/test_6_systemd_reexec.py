"""systemd re-executed while the role writes a unit: the next run converges, never a policy and a unit together."""

import json
import os
import subprocess

from conftest import APP, ENV, NODE, SCENARIO
from testlib import INVENTORY, inspect

ITEM = dict(name="f-unit", image=APP, pull="never", stop_timeout=1, supervisor="systemd", unit={"stop_timeout": 1})


def role_run(wait=True):
    argv = ["ansible-playbook", "-i", INVENTORY, "--limit", NODE, os.path.join(SCENARIO, "role.yml"),
            "--extra-vars", json.dumps({"containers_list": [ITEM]})]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    return proc.communicate(timeout=300)[0] if wait else proc


def test_systemd_reexec_while_the_unit_is_written(node):
    # On the node: as soon as the unit file appears, re-execute systemd (what a package upgrade does).
    node.check_output("systemd-run --unit=f-reexec sh -c 'for i in $(seq 600); do "
                      "test -e /etc/systemd/system/docker-f-unit.service && exec systemctl daemon-reexec; "
                      "sleep 0.05; done'")
    first = role_run(wait=False)
    first.communicate(timeout=300)
    node.run("systemctl stop f-reexec")
    output = role_run()
    assert "failed=0" in output, output[-3000:]
    assert node.check_output("systemctl is-active docker-f-unit.service") == "active"
    data = inspect(node, "f-unit")
    assert data["HostConfig"]["RestartPolicy"]["Name"] in ("no", "")
    assert data["State"]["Running"]
    assert [n for n in node.check_output("docker ps -a --format '{{.Names}}'").split() if n.startswith("f-unit")] \
        == ["f-unit"]
