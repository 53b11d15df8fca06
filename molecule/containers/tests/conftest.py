"""Helpers for the containers scenario's verify step.

Later runs (a policy change, a forced recreation, bad inputs) run ``ansible-playbook apply.yml``
against Molecule's own inventory from here, so each of them can fail the step.
"""

import os
import sys
import time

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(SCENARIO_DIR), "_shared"))

from testlib import host_fixture, inspect_containers, run_ad_hoc, run_playbook  # noqa: E402

APPLY = os.path.join(SCENARIO_DIR, "apply.yml")
NODE = "containers-node1"
APP = "dockyard-lab/app:latest"


def run_apply(containers_list, check=False, diff=False, timeout=300):
    """Run apply.yml (the containers role) with ``containers_list`` passed as JSON (types kept)."""
    return run_playbook(APPLY, NODE, {"containers_list": containers_list}, check, diff, timeout=timeout)


node = host_fixture(NODE)


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
    snap = {}
    for data in inspect_containers(h):
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
    return run_ad_hoc(NODE, module, args, check, timeout=timeout)
