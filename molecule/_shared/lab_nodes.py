"""Reboot, kill and start a scenario's lab nodes from its tests (through tools/lab.py).

A scenario's conftest puts this directory on ``sys.path``; the lab is the one molecule/_shared/create.yml
started (``m-<scenario>``). ``reboot`` is a real boot: systemd shuts every unit down (docker.service stops its
containers), the node starts again with its volumes and address, and the call returns once systemd runs and
SSH answers. ``kill`` is a power cut; ``start`` boots a stopped node.
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAB_PY = os.path.join(ROOT, "tools", "lab.py")


def lab_name():
    scenario = os.environ.get("MOLECULE_SCENARIO_NAME")
    assert scenario, "MOLECULE_SCENARIO_NAME is not set: run the tests through molecule"
    return "m-%s" % scenario


def node_container(host):
    """Name of the node's container on this machine's engine."""
    return "dlab-%s-%s" % (lab_name(), host)


def _lab(command, host, timeout):
    proc = subprocess.run([sys.executable, LAB_PY, command, "--lab", lab_name(), "--host", host],
                          capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, "tools/lab.py %s %s failed:\n%s%s" % (command, host, proc.stdout, proc.stderr)
    return proc.stdout


def reboot(host, timeout=420):
    return _lab("reboot", host, timeout)


def kill(host, timeout=60):
    return _lab("kill", host, timeout)


def start(host, timeout=300):
    return _lab("start", host, timeout)
