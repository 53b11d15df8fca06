"""Helpers for the engine scenario's verify step.

The later converges (changed option, refused option, bad variables, upstream repository) run
``ansible-playbook`` against Molecule's own inventory from here, so each of them can fail the step.
"""

import json
import os
import re
import subprocess

import pytest
import testinfra

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPLY = os.path.join(SCENARIO_DIR, "apply.yml")
INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")

# What converge.yml gave the role, and what the role makes of it (log rotation default adds max-file).
CONVERGE_DAEMON_JSON = {"log-driver": "json-file", "log-opts": {"max-size": "20m", "max-file": "3"}}


class PlaybookRun:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr

    def recap(self, hostname):
        m = re.search(r"^%s\s*:\s*(.*)$" % re.escape(hostname), self.output, re.M)
        assert m, "no PLAY RECAP line for %s in:\n%s" % (hostname, self.output[-3000:])
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}


def run_apply(limit, extra_vars=None, check=False, diff=False, tags=None, timeout=600):
    """Run apply.yml on one node; extra_vars is a dict passed as JSON (types kept)."""
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    argv = ["ansible-playbook", "-i", INVENTORY, "--limit", limit, APPLY]
    if extra_vars:
        argv += ["--extra-vars", json.dumps(extra_vars)]
    if check:
        argv.append("--check")
    if diff:
        argv.append("--diff")
    if tags:
        argv += ["--tags", tags]
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    return PlaybookRun(proc)


def node(name):
    return testinfra.get_host("ansible://%s" % name, ansible_inventory=INVENTORY)


def engine_state(h):
    """What must not move when a run is refused: daemon.json, dockerd's PID, the packages."""
    return dict(
        daemon_json=h.run("sha256sum /etc/docker/daemon.json").stdout.split()[:1],
        main_pid=h.check_output("systemctl show --property MainPID --value docker.service"),
        active=h.run("systemctl is-active docker.service").stdout.strip(),
        packages=h.run("dpkg-query -W -f '${Package} ${Status}\\n' docker.io containerd runc python3-docker").stdout,
        etc_docker=sorted(h.check_output("ls -A /etc/docker").split()),
    )


def engine_starts(h):
    """How many times dockerd finished starting, per the journal of docker.service."""
    out = h.run("journalctl --unit docker.service --no-pager --output cat").stdout
    return out.count("Daemon has completed initialization")


@pytest.fixture(scope="module")
def node1():
    return node("engine-node1")


@pytest.fixture(scope="module")
def node2():
    return node("engine-node2")
