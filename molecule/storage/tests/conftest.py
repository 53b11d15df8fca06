"""Helpers of the storage scenario's verify step: commands on the nodes (docker exec from this machine),
role runs with other variables, and the lab's reboot/kill/start helpers."""

import os
import subprocess
import sys
import time

import pytest

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(SCENARIO_DIR), "_shared"))

import lab_nodes  # noqa: E402
from testlib import INVENTORY, run_playbook  # noqa: E402

NODES = ["storage-node1", "storage-node2", "storage-node3"]
MANAGER = "storage-node1"
MOUNT = "/mnt/dockyard"
BRICK = "/srv/dockyard/brick"
VOLUME = "dockyard"
SHARED = "shared-data"
SHARED_DIR = MOUNT + "/volumes/" + SHARED
UNIT = "mnt-dockyard.mount"


def sh(node, command, check=True, timeout=120):
    """Run a shell command on a node (docker exec into its container); return stdout."""
    proc = subprocess.run(["docker", "exec", lab_nodes.node_container(node), "sh", "-c", command],
                          capture_output=True, text=True, timeout=timeout, check=False)
    if check:
        assert proc.returncode == 0, "%s: `%s` failed (%d): %s%s" % (node, command, proc.returncode, proc.stdout,
                                                                  proc.stderr)
    return proc.stdout if check else proc


def wait_for(predicate, timeout=90, interval=1.0, what="condition"):
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.time() < deadline, "not true within %ss: %s" % (timeout, what)
        time.sleep(interval)


def address(node):
    """The node's address on the lab network (the inventory's ansible_host)."""
    import yaml

    with open(INVENTORY) as fh:
        return yaml.safe_load(fh)["all"]["hosts"][node]["ansible_host"]


def keeper_task():
    """(node, container ID) of the running task of service keeper."""
    found = []
    for node in NODES:
        proc = sh(node, "docker ps -q --no-trunc --filter label=com.docker.swarm.service.name=keeper", check=False)
        found += [(node, cid) for cid in proc.stdout.split()] if proc.returncode == 0 else []
    return found[0] if len(found) == 1 else None


def run_role(extra_vars=None, inventory=None, limit=None, check=False, timeout=600):
    """ansible-playbook apply.yml (the shared_storage role) with ``extra_vars`` as JSON."""
    return run_playbook(os.path.join(SCENARIO_DIR, "apply.yml"), limit, extra_vars, check, diff=check, inventory=inventory,
                        timeout=timeout)


def storage_snapshot():
    """What a refused run must not move: units, drop-ins, Docker volumes, the GlusterFS volume, the bricks."""
    snap = {"gluster": sh(MANAGER, "gluster volume info %s" % VOLUME)}
    for node in NODES:
        snap[node] = sh(node, "ls -A /etc/systemd/system /etc/systemd/system/docker.service.d; "
                              "md5sum /etc/systemd/system/*.mount /etc/systemd/system/docker.service.d/*; "
                              "systemctl is-active %s docker.service; "
                              "docker volume ls --format '{{.Name}} {{.Driver}}'; ls -A /mnt /srv/dockyard %s/volumes"
                              % (UNIT, BRICK))
    return snap


@pytest.fixture(scope="session")
def state():
    """What one test hands to the next (the tests run in file order)."""
    return {}
