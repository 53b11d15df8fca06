"""Helpers for the faults scenario: run modules and playbooks against the node, read its engine."""

import json
import os
import re
import subprocess

import pytest
import testinfra

INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
NODE = "faults-node1"
APP = "dockyard-lab/app:latest"
SCENARIO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")


class Run:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr
        match = re.search(r"=> (\{.*\})\s*$", proc.stdout, re.S)
        self.result = json.loads(match.group(1)) if match else {}


def module_argv(args, module="container"):
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    return ["ansible", "-i", INVENTORY, NODE, "-m", "dockyard.docker.%s" % module, "-a", json.dumps(args)]


def run_module(args, module="container", timeout=300, env=None):
    return Run(subprocess.run(module_argv(args, module), capture_output=True, text=True, timeout=timeout,
                              env=env or ENV))


def web(**over):
    args = dict(name="f-web", image=APP, pull="never", command=["app-server", "--port", "8000"],
                published_ports=["18080:8000"], restart_policy="unless-stopped", stop_timeout=1,
                volumes=["f-web-data:/data"], env={"RELEASE": "1"})
    args.update(over)
    return args


def bulk_items(release="1"):
    return [dict(name="f-bulk-%02d" % i, image=APP, pull="never", volumes=["f-vol-%02d:/data" % i],
                 restart_policy="unless-stopped", stop_timeout=1, env={"RELEASE": release}) for i in range(20)]


@pytest.fixture(scope="session")
def node():
    return testinfra.get_host("ansible://%s" % NODE, ansible_inventory=INVENTORY)


def inspect(h, name):
    out = h.run("docker inspect --type container %s" % name)
    return json.loads(out.stdout)[0] if out.rc == 0 else None


def names(h):
    return sorted(h.check_output("docker ps -a --format '{{.Names}}'").split())


def answers(h, port):
    cmd = "python3 -c \"import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:%d/').read().decode())\""
    return h.run(cmd % port)
