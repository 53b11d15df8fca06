"""Helpers for the containers scenario's verify step.

Later runs (a policy change, a forced recreation, bad inputs) run ``ansible-playbook apply.yml``
against Molecule's own inventory from here, so each of them can fail the step.
"""

import json
import os
import re
import subprocess
import time

import pytest
import testinfra

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPLY = os.path.join(SCENARIO_DIR, "apply.yml")
INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
NODE = "containers-node1"
APP = "dockyard-lab/app:latest"


class PlaybookRun:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr

    def recap(self, hostname=NODE):
        m = re.search(r"^%s\s*:\s*(.*)$" % re.escape(hostname), self.output, re.M)
        assert m, "no PLAY RECAP line for %s in:\n%s" % (hostname, self.output[-3000:])
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}


def run_apply(containers_list, check=False, diff=False, timeout=300):
    """Run apply.yml (the containers role) with ``containers_list`` passed as JSON (types kept)."""
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    argv = ["ansible-playbook", "-i", INVENTORY, "--limit", NODE, APPLY,
            "--extra-vars", json.dumps({"containers_list": containers_list})]
    if check:
        argv.append("--check")
    if diff:
        argv.append("--diff")
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    return PlaybookRun(proc)


@pytest.fixture(scope="session")
def node():
    return testinfra.get_host("ansible://%s" % NODE, ansible_inventory=INVENTORY)


def inspect(h, name):
    """The engine's inspect data of one container, or None."""
    out = h.run("docker inspect --type container %s" % name)
    if out.rc != 0:
        return None
    return json.loads(out.stdout)[0]


def wait_for(predicate, timeout=60, interval=0.5):
    """Poll ``predicate`` until it returns something truthy; return its last value."""
    deadline = time.time() + timeout
    value = predicate()
    while not value and time.time() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


def engine_snapshot(h):
    """Every container on the node with what a refused run must not move."""
    ids = h.check_output("docker ps -aq --no-trunc").split()
    snap = {}
    for data in json.loads(h.check_output("docker inspect %s" % " ".join(ids))) if ids else []:
        snap[data["Name"]] = dict(
            id=data["Id"],
            started=data["State"]["StartedAt"],
            status=data["State"]["Status"],
            policy=data["HostConfig"]["RestartPolicy"],
            memory=data["HostConfig"]["Memory"],
            env=data["Config"]["Env"],
        )
    return snap


def run_module(module, args, check=False, timeout=120):
    """Run one dockyard.docker module ad hoc on the node; args are passed as JSON (types kept)."""
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    argv = ["ansible", "-i", INVENTORY, NODE, "-m", "dockyard.docker.%s" % module, "-a", json.dumps(args)]
    if check:
        argv.append("--check")
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    return PlaybookRun(proc)
