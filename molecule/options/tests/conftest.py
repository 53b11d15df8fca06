"""Helpers for the options scenario's verify step: run the container module on the node, read the engine."""

import json
import os
import re
import subprocess

import pytest
import testinfra

INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
NODE = "options-node1"
APP = "dockyard-lab/app:latest"


class ModuleRun:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr
        match = re.search(r"=> (\{.*\})\s*$", proc.stdout, re.S)
        self.result = json.loads(match.group(1)) if match else {}

    @property
    def msg(self):
        return self.result.get("msg", self.output)


def run_module(args, module="container", check=False, timeout=180):
    """Run one dockyard.docker module ad hoc on the node; args are passed as JSON (types kept)."""
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    argv = ["ansible", "-i", INVENTORY, NODE, "-m", "dockyard.docker.%s" % module, "-a", json.dumps(args)]
    if check:
        argv.append("--check")
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOAD_CALLBACK_PLUGINS="0")
    return ModuleRun(subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env))


@pytest.fixture(scope="session")
def node():
    return testinfra.get_host("ansible://%s" % NODE, ansible_inventory=INVENTORY)


def inspect(h, name):
    out = h.run("docker inspect --type container %s" % name)
    if out.rc != 0:
        return None
    return json.loads(out.stdout)[0]


def snapshot(h):
    """Every container on the node with what a refused run must not move."""
    ids = h.check_output("docker ps -aq --no-trunc").split()
    return dict((d["Name"], (d["Id"], d["State"]["StartedAt"], d["State"]["Status"], d["Config"], d["HostConfig"]))
                for d in (json.loads(h.check_output("docker inspect %s" % " ".join(ids))) if ids else []))


def converged(name):
    """The options converge.yml gave container ``name`` (the tests change them from there)."""
    import yaml

    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "converge.yml")) as handle:
        play = yaml.safe_load(handle)[0]
    items = play["roles"][0]["vars"]["containers_list"]
    item = dict([i for i in items if i["name"] == name][0])
    item.pop("timeout", None)
    return item
