"""Helpers for the options scenario's verify step: run the container module on the node, read the engine."""

import os
import sys

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(SCENARIO_DIR), "_shared"))

from testlib import host_fixture, inspect_containers, run_ad_hoc  # noqa: E402

NODE = "options-node1"
APP = "dockyard-lab/app:latest"


def run_module(args, module="container", check=False, timeout=180):
    """Run one dockyard.docker module ad hoc on the node; args are passed as JSON (types kept)."""
    return run_ad_hoc(NODE, module, args, check, timeout=timeout)


node = host_fixture(NODE)


def snapshot(h):
    """Every container on the node with what a refused run must not move."""
    return dict((d["Name"], (d["Id"], d["State"]["StartedAt"], d["State"]["Status"], d["Config"], d["HostConfig"]))
                for d in inspect_containers(h))


def converged(name):
    """The options converge.yml gave container ``name`` (the tests change them from there)."""
    import yaml

    with open(os.path.join(SCENARIO_DIR, "converge.yml")) as handle:
        play = yaml.safe_load(handle)[0]
    items = play["roles"][0]["vars"]["containers_list"]
    item = dict([i for i in items if i["name"] == name][0])
    item.pop("timeout", None)
    return item
