"""Helpers for the compose scenario's verify step: run the compose module on the node, read the engine."""

import json
import os
import re
import subprocess
from datetime import datetime, timezone

import pytest
import testinfra

INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
NODE = "compose-node1"
PROJECT = "shop"
FILES = ["/srv/shop/compose.yml", "/srv/shop/override.yml"]
CONVERGED = dict(files=FILES, env={"GREETING": "hello"}, pull="never", timeout=60)


class ModuleRun:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr
        match = re.search(r"=> (\{.*\})\s*$", proc.stdout, re.S)
        self.result = json.loads(match.group(1)) if match else {}

    @property
    def msg(self):
        return self.result.get("msg", self.output)


def run_compose(args, check=False, timeout=180, interpreter=None):
    """Run dockyard.docker.compose ad hoc on the node; args are passed as JSON (types kept)."""
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    argv = ["ansible", "-i", INVENTORY, NODE, "-m", "dockyard.docker.compose", "-a", json.dumps(args)]
    if check:
        argv.append("--check")
    if interpreter:
        argv += ["-e", "ansible_python_interpreter=%s" % interpreter]
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOAD_CALLBACK_PLUGINS="0")
    return ModuleRun(subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env))


@pytest.fixture(scope="session")
def node():
    return testinfra.get_host("ansible://%s" % NODE, ansible_inventory=INVENTORY)


def inspect(h, kind, name):
    out = h.run("docker inspect --type %s %s" % (kind, name))
    if out.rc != 0:
        return None
    return json.loads(out.stdout)[0]


def project_names(h, project=PROJECT):
    out = h.check_output("docker ps -a --filter label=com.docker.compose.project=%s --format '{{.Names}}'" % project)
    return sorted(out.split())


def snapshot(h):
    """Every container, network and volume on the node, with what a refused run must not move."""
    ids = h.check_output("docker ps -aq --no-trunc").split()
    containers = dict((d["Name"], (d["Id"], d["State"]["StartedAt"], d["State"]["Status"]))
                      for d in (json.loads(h.check_output("docker inspect %s" % " ".join(ids))) if ids else []))
    networks = sorted(h.check_output("docker network ls -q --no-trunc").split())
    volumes = sorted(h.check_output("docker volume ls -q").split())
    return containers, networks, volumes


def timestamp(text):
    """Docker's RFC 3339 time with nanoseconds -> aware datetime (to the microsecond)."""
    match = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$", text)
    assert match, text
    base = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
    micro = int((match.group(2) or "0")[:6].ljust(6, "0"))
    assert match.group(3) in ("Z", "+00:00"), text
    return base.replace(microsecond=micro, tzinfo=timezone.utc)
