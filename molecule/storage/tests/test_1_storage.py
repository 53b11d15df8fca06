"""Shared storage on a 3-node swarm, proven on the engines, the mounts and the bricks.

In file order: bad inputs are refused before any change; the volume is a replica 3 across the three nodes'
own bricks and mounted everywhere; the keeper service's task moves on drain and reads the same token; the
service keeps reading and writing while a storage node is down (killed); the node comes back and heals; a
rebooted node mounts the shared filesystem before docker.service and its containers start.
"""

import datetime
import json
import os
import re
import subprocess
import uuid

import pytest
import yaml

import lab_nodes
from conftest import (BRICK, MANAGER, MOUNT, NODES, SHARED, SHARED_DIR, UNIT, VOLUME, address, keeper_task, run_role, sh,
                      storage_snapshot, wait_for)
from testlib import INVENTORY


def single_server_inventory(tmp_path):
    """Molecule's inventory with storage_servers reduced to one host (the role must refuse it)."""
    with open(INVENTORY) as fh:
        inv = yaml.safe_load(fh)
    host = inv["all"]["hosts"][MANAGER]
    data = {"all": {"hosts": {MANAGER: host}, "children": {"storage_servers": {"hosts": {MANAGER: {}}}}}}
    path = tmp_path / "single.yml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


BAD_INPUTS = {
    "unknown backend": ({"shared_storage_backend": "ceph"}, "shared_storage_backend"),
    "brick under the mount": ({"shared_storage_brick_dir": MOUNT + "/brick"}, "is under the mount"),
    "mount inside the brick": ({"shared_storage_mount": BRICK + "/mnt"}, "is inside the brick"),
    "volume name Docker refuses": ({"shared_storage_volumes": ["../x"]}, "'../x'"),
    "nfs without an export": ({"shared_storage_backend": "nfs"}, "shared_storage_nfs_export"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_inputs_are_refused_before_any_change(case):
    extra, message = BAD_INPUTS[case]
    before = storage_snapshot()
    run = run_role(extra)
    assert run.rc != 0, "the role accepted %s:\n%s" % (case, run.output[-2000:])
    assert message in run.output, run.output[-3000:]
    for node in NODES:
        assert run.recap(node)["changed"] == 0
    assert storage_snapshot() == before


def test_a_single_storage_server_is_refused(tmp_path):
    before = storage_snapshot()
    run = run_role(inventory=single_server_inventory(tmp_path))
    assert run.rc != 0
    assert "group storage_servers has 1 host(s) (%s)" % MANAGER in run.output, run.output[-3000:]
    assert run.recap(MANAGER)["changed"] == 0
    assert storage_snapshot() == before


def test_check_mode_on_the_converged_nodes_predicts_no_change():
    before = storage_snapshot()
    run = run_role(check=True)
    assert run.rc == 0, run.output[-3000:]
    for node in NODES:
        assert run.recap(node)["changed"] == 0, run.output[-4000:]
    assert storage_snapshot() == before


def test_one_replica_3_volume_of_the_nodes_own_bricks():
    info = sh(MANAGER, "gluster volume info %s" % VOLUME)
    assert "Type: Replicate" in info and "Status: Started" in info
    assert "Number of Bricks: 1 x 3 = 3" in info
    for node in NODES:
        assert "%s:%s" % (address(node), BRICK) in info
        # the brick is on the node's own volume at /srv, not on the container's overlay root
        assert sh(node, "findmnt --noheadings --output TARGET --target %s" % BRICK).strip() == "/srv"
    peers = sh(MANAGER, "gluster peer status")
    assert peers.count("State: Peer in Cluster (Connected)") == 2


@pytest.mark.parametrize("node", NODES)
def test_mounted_by_a_systemd_unit_that_docker_requires(node):
    assert sh(node, "findmnt --noheadings --output FSTYPE --mountpoint %s" % MOUNT).strip() == "fuse.glusterfs"
    assert sh(node, "systemctl is-active %s" % UNIT).strip() == "active"
    assert sh(node, "systemctl is-enabled %s" % UNIT).strip() == "enabled"
    docker = sh(node, "systemctl show docker.service -p Requires -p After")
    requires = [line for line in docker.splitlines() if line.startswith("Requires=")][0]
    after = [line for line in docker.splitlines() if line.startswith("After=")][0]
    assert UNIT in requires.split("=", 1)[1].split() and UNIT in after.split("=", 1)[1].split()
    volume = json.loads(sh(node, "docker volume inspect %s" % SHARED))[0]
    assert volume["Driver"] == "local"
    assert volume["Options"] == {"type": "none", "o": "bind", "device": SHARED_DIR}
    assert volume["Labels"]["io.dockyard.shared_storage.mount"] == MOUNT


def test_a_file_written_on_one_node_is_read_on_the_others():
    token = uuid.uuid4().hex
    sh("storage-node2", "echo %s > %s/probe-%s" % (token, SHARED_DIR, token))
    for node in ("storage-node1", "storage-node3"):
        assert sh(node, "cat %s/probe-%s" % (SHARED_DIR, token)).strip() == token
        # and a container on that node reads it through the Docker volume
        out = sh(node, "docker run --rm -v %s:/data dockyard-lab/app:latest cat /data/probe-%s" % (SHARED, token))
        assert out.strip() == token
    for node in NODES:  # three copies: one in each brick
        assert sh(node, "cat %s/volumes/%s/probe-%s" % (BRICK, SHARED, token)).strip() == token


def test_engine_info_marks_the_shared_volume_and_its_mount_up():
    sh(MANAGER, "docker volume create storage-local-probe")
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(["ansible", "-i", INVENTORY, MANAGER, "-m", "dockyard.docker.engine_info",
                           "-a", json.dumps({"containers": False, "volumes": True})],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    volumes = {v["Name"]: v for v in json.loads(proc.stdout.partition(" => ")[2])["volumes"]}
    assert volumes[SHARED]["shared"] is True and volumes[SHARED]["mount_up"] is True
    local = [v for v in volumes.values() if not v["Labels"].get("io.dockyard.shared_storage.mount")]
    assert local, "expected a node-local volume too (the swarm's or a container's)"
    assert all(v["shared"] is False and v["mount_up"] is None for v in local)


def test_the_task_moves_on_drain_and_reads_the_same_token(state):
    first_node, first_id = wait_for(keeper_task, what="one running keeper task")
    token = sh(first_node, "cat %s/token" % SHARED_DIR).strip()
    assert len(token) == 36
    assert sh(first_node, "docker exec %s cat /data/token" % first_id).strip() == token
    sh(MANAGER, "docker node update --availability drain %s" % first_node)
    try:
        moved = wait_for(lambda: (keeper_task() or (first_node, None))[0] != first_node and keeper_task(),
                         timeout=90, what="keeper's task running on another node")
    finally:
        sh(MANAGER, "docker node update --availability active %s" % first_node)
    node, cid = moved
    assert node != first_node
    assert sh(node, "docker exec %s cat /data/token" % cid).strip() == token
    seen = sh(node, "cat %s/seen" % SHARED_DIR).split("\n")
    hostnames = [line.split()[0] for line in seen if line]
    assert [line.split()[1] for line in seen if line] == [token] * len(hostnames)
    assert cid[:12] in hostnames and first_id[:12] in hostnames
    state["task"] = moved


def heartbeat(node):
    return float(sh(node, "cat %s/heartbeat" % SHARED_DIR).strip() or 0)


def test_the_service_reads_and_writes_while_a_storage_node_is_down(state):
    task_node, cid = state["task"]
    down = [n for n in NODES if n not in (task_node, MANAGER)][0]
    witness = [n for n in NODES if n not in (task_node, down)][0]
    lab_nodes.kill(down)
    state["down"] = down
    beat = heartbeat(witness)
    # clients wait up to GlusterFS's network.ping-timeout (42 s) before they give a silent server up
    wait_for(lambda: heartbeat(witness) > beat + 2, timeout=120, what="keeper's heartbeat moving on")
    token = uuid.uuid4().hex
    sh(task_node, "docker exec %s sh -c 'echo %s > /data/during-outage'" % (cid, token))
    assert sh(witness, "cat %s/during-outage" % SHARED_DIR).strip() == token
    assert sh(task_node, "docker exec %s cat /data/token" % cid).strip() == sh(
        witness, "cat %s/token" % SHARED_DIR).strip()
    state["outage_token"] = token


def heal_entries():
    out = sh(MANAGER, "gluster volume heal %s info" % VOLUME)
    counts = [int(line.split(":")[1]) for line in out.splitlines() if line.startswith("Number of entries:")]
    return counts


def test_the_node_comes_back_and_heals(state):
    down = state["down"]
    lab_nodes.start(down)
    wait_for(lambda: sh(down, "findmnt -n -o FSTYPE --mountpoint %s" % MOUNT, check=False).stdout.strip()
             == "fuse.glusterfs", timeout=120, what="%s mounted again" % down)

    def bricks_online():
        return len(re.findall(r"(?m)^Online\s*:\s*Y\s*$", sh(MANAGER, "gluster volume status %s detail" % VOLUME)))

    def self_heal_daemons_online():
        lines = [line.split() for line in sh(MANAGER, "gluster volume status %s" % VOLUME).splitlines()
                 if line.startswith("Self-heal Daemon on ")]
        return sum(1 for fields in lines if len(fields) >= 2 and fields[-2] == "Y")

    wait_for(lambda: bricks_online() == 3 and self_heal_daemons_online() == 3, timeout=120,
             what="three bricks and three self-heal daemons online")
    # glusterd refuses a heal ("brick op 'Heal' failed") until the restarted node's self-heal daemon has reached
    # every brick, a moment after they all show online: the heal is asked for again until glusterd takes it
    wait_for(lambda: sh(MANAGER, "gluster volume heal %s" % VOLUME, check=False).returncode == 0, timeout=120,
             interval=3, what="gluster volume heal %s accepted" % VOLUME)
    wait_for(lambda: heal_entries() == [0, 0, 0], timeout=180, interval=3,
             what="gluster volume heal %s info without entries" % VOLUME)
    # the file written while it was down is now in its own brick
    assert sh(down, "cat %s/volumes/%s/during-outage" % (BRICK, SHARED)).strip() == state["outage_token"]


def show(node, unit, prop, fmt="us+utc"):
    return sh(node, "systemctl show --timestamp=%s -p %s --value %s" % (fmt, prop, unit)).strip()


def parse_systemd(stamp):
    """'Wed 2026-12-02 07:30:01.123456 UTC' -> aware datetime."""
    return datetime.datetime.strptime(stamp, "%a %Y-%m-%d %H:%M:%S.%f UTC").replace(tzinfo=datetime.timezone.utc)


def parse_docker(stamp):
    """Docker's RFC 3339 with nanoseconds -> aware datetime (microseconds kept)."""
    day, rest = stamp.rstrip("Z").split("T")
    clock, _, frac = rest.partition(".")
    return datetime.datetime.strptime("%s %s.%s" % (day, clock, (frac + "000000")[:6]),
                                      "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)


def test_a_rebooted_node_mounts_before_docker_and_its_containers_start():
    node = "storage-node3"
    before = json.loads(sh(node, "docker inspect storage-boot"))[0]
    boots = sh(node, "cat %s/boots-%s" % (SHARED_DIR, node)).split()
    lab_nodes.reboot(node)
    wait_for(lambda: sh(node, "docker inspect -f '{{.State.Running}} {{.State.StartedAt}}' storage-boot",
                        check=False).stdout.split()[:1] == ["true"]
             and sh(node, "docker inspect -f '{{.State.StartedAt}}' storage-boot").strip()
             != before["State"]["StartedAt"], timeout=120, what="storage-boot started again")
    after = json.loads(sh(node, "docker inspect storage-boot"))[0]
    assert after["Id"] == before["Id"]
    mount_up = int(show(node, UNIT, "ActiveEnterTimestampMonotonic", "unix"))
    docker_begins = int(show(node, "docker.service", "InactiveExitTimestampMonotonic", "unix"))
    assert 0 < mount_up <= docker_begins, "docker.service began starting before %s was mounted" % UNIT
    mounted_at = parse_systemd(show(node, UNIT, "ActiveEnterTimestamp"))
    started_at = parse_docker(after["State"]["StartedAt"])
    assert mounted_at < started_at
    # the container wrote its boot line into the shared volume at start: the data was there
    new_boots = sh(node, "cat %s/boots-%s" % (SHARED_DIR, node)).split()
    assert new_boots[:len(boots)] == boots and len(new_boots) == len(boots) + 1
    boot_line = datetime.datetime.fromtimestamp(float(new_boots[-1]), datetime.timezone.utc)
    assert boot_line >= mounted_at
    assert sh("storage-node1", "cat %s/boots-%s" % (SHARED_DIR, node)).split() == new_boots


def test_a_mount_that_does_not_come_up_is_reported(tmp_path):
    """The nfs backend against an export nothing serves (this kernel has no NFS client either)."""
    node = "storage-node2"
    extra = {"shared_storage_backend": "nfs", "shared_storage_nfs_export": "nfs.invalid:/export",
             "shared_storage_mount": "/mnt/probe", "shared_storage_volumes": []}
    try:
        run = run_role(extra, limit=node)
        assert run.rc != 0
        assert "/mnt/probe could not be mounted on %s" % node in run.output, run.output[-3000:]
        assert "docker.service will not start after a reboot" in run.output
        assert sh(node, "systemctl is-active docker.service").strip() == "active"
    finally:
        sh(node, "rm -f /etc/systemd/system/mnt-probe.mount "
                 "/etc/systemd/system/docker.service.d/dockyard-shared-storage-mnt-probe.conf "
                 "/etc/systemd/system/remote-fs.target.wants/mnt-probe.mount "
                 "/etc/systemd/system/multi-user.target.wants/mnt-probe.mount && systemctl daemon-reload")
