"""The shared_storage role's plan: variable checks, the rendered mount unit, the drop-in, the volume options."""

import subprocess
import shutil

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils import shared_storage as ss

SERVERS = ["s1", "s2", "s3"]
ADDRESSES = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]


def settings(**over):
    base = dict(backend="glusterfs", servers=SERVERS, server_addresses=ADDRESSES, replica=None, arbiter=False,
                brick_dir="/srv/dockyard/brick", mount="/mnt/dockyard", nfs_export="", volume="dockyard",
                volumes=["pgdata"], own_address="10.0.0.2", is_server=True)
    base.update(over)
    return base


def unit_fields(text):
    fields = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            fields[key] = value
    return fields


@pytest.mark.parametrize("path, name", [
    ("/mnt/dockyard", "mnt-dockyard.mount"),
    ("/mnt/dockyard/", "mnt-dockyard.mount"),
    ("//srv//shared data", "srv-shared\\x20data.mount"),
    ("/mnt/my-share", "mnt-my\\x2dshare.mount"),
    ("/mnt/.hidden/x", "mnt-.hidden-x.mount"),
    ("/.dot", "\\x2edot.mount"),
    ("/", "-.mount"),
])
def test_mount_unit_name_follows_systemd_escape(path, name):
    assert ss.mount_unit_name(path) == name


@pytest.mark.skipif(shutil.which("systemd-escape") is None, reason="systemd-escape is not installed")
@pytest.mark.parametrize("path", ["/mnt/dockyard", "/mnt/my-share", "/srv/a b/ü", "/mnt/.hidden/x", "/.dot"])
def test_mount_unit_name_matches_systemd_escape_itself(path):
    out = subprocess.run(["systemd-escape", "--path", "--suffix=mount", path], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert ss.mount_unit_name(path) == out


def test_glusterfs_plan_three_servers_replica_3():
    plan = ss.plan(settings())
    assert plan["problems"] == [] and plan["warning"] == ""
    assert plan["replica"] == 3
    assert plan["bricks"] == ["10.0.0.1:/srv/dockyard/brick", "10.0.0.2:/srv/dockyard/brick",
                              "10.0.0.3:/srv/dockyard/brick"]
    fields = unit_fields(plan["unit"])
    # the host's own server first, the others as backup volume file servers
    assert fields["What"] == "10.0.0.2:/dockyard"
    assert fields["Options"] == "_netdev,backup-volfile-servers=10.0.0.1:10.0.0.3"
    assert fields["Type"] == "glusterfs" and fields["Where"] == "/mnt/dockyard"
    assert fields["Before"] == "docker.service"
    assert fields["After"] == "network-online.target glusterd.service"
    assert plan["unit_name"] == "mnt-dockyard.mount"
    assert plan["create_argv"] == ["gluster", "--mode=script", "volume", "create", "dockyard", "replica", "3"] + \
        plan["bricks"]


def test_glusterfs_client_only_host_is_not_ordered_after_glusterd():
    fields = unit_fields(ss.plan(settings(is_server=False, own_address="10.0.0.9"))["unit"])
    assert fields["After"] == "network-online.target"
    assert fields["What"] == "10.0.0.1:/dockyard"


def test_docker_dropin_requires_and_orders_after_the_mount():
    plan = ss.plan(settings(mount="/mnt/my-share"))
    fields = unit_fields(plan["dropin"])
    assert fields == {"Requires": "mnt-my\\x2dshare.mount", "After": "mnt-my\\x2dshare.mount"}
    assert plan["dropin_name"] == "dockyard-shared-storage-mnt-my\\x2dshare.conf"


def test_nfs_plan_renders_the_export_and_its_options():
    plan = ss.plan(settings(backend="nfs", nfs_export="nas.example.com:/export/docker", servers=[],
                            server_addresses=[], nfs_options=["vers=4.2", "hard"], is_server=False))
    assert plan["problems"] == []
    assert plan["bricks"] == [] and plan["replica"] is None
    fields = unit_fields(plan["unit"])
    assert fields["What"] == "nas.example.com:/export/docker"
    assert fields["Type"] == "nfs"
    assert fields["Options"] == "_netdev,hard,noatime,vers=4.2"
    assert fields["After"] == "network-online.target"
    assert fields["Description"] == "Shared storage for Docker volumes (nfs nas.example.com:/export/docker)"


def test_nfs_export_with_an_ipv6_server():
    plan = ss.plan(settings(backend="nfs", nfs_export="[fd00::5]:/export", servers=[], server_addresses=[]))
    assert plan["problems"] == []
    assert unit_fields(plan["unit"])["What"] == "[fd00::5]:/export"


@pytest.mark.parametrize("backend", ["glusterfs", "nfs"])
def test_volume_options_bind_the_shared_directory(backend):
    over = {"backend": backend}
    if backend == "nfs":
        over.update(nfs_export="nas:/export", servers=[], server_addresses=[])
    plan = ss.plan(settings(mount="/mnt/dockyard/", volumes=["pgdata", "uploads"], **over))
    assert plan["volumes"] == [
        dict(name=n, directory="/mnt/dockyard/volumes/%s" % n,
             driver_options={"type": "none", "o": "bind", "device": "/mnt/dockyard/volumes/%s" % n},
             labels={"io.dockyard.shared_storage.backend": backend, "io.dockyard.shared_storage.mount": "/mnt/dockyard"})
        for n in ("pgdata", "uploads")]


def test_two_servers_warn_about_split_brain_and_use_replica_2():
    plan = ss.plan(settings(servers=SERVERS[:2], server_addresses=ADDRESSES[:2]))
    assert plan["problems"] == [] and plan["replica"] == 2
    assert "split-brain" in plan["warning"] and "shared_storage_arbiter" in plan["warning"]


def test_arbiter_with_replica_3_is_accepted():
    plan = ss.plan(settings(replica=3, arbiter=True))
    assert plan["problems"] == []
    assert plan["create_argv"][5:9] == ["replica", "3", "arbiter", "1"]


def test_replica_given_as_a_string_of_digits():
    assert ss.plan(settings(replica="3"))["replica"] == 3


BAD = [
    (dict(backend="ceph"), "shared_storage_backend is 'ceph': use one of glusterfs, nfs."),
    (dict(servers=["s1"], server_addresses=["10.0.0.1"]), "group storage_servers has 1 host(s) (s1)"),
    (dict(servers=[], server_addresses=[]), "group storage_servers has 0 host(s) (none)"),
    (dict(replica=1), "shared_storage_replica is 1: keep at least 2 copies"),
    (dict(replica=4), "shared_storage_replica is 4 but storage_servers has only 3 hosts"),
    (dict(replica=2), "storage_servers has 3 hosts, not a multiple of shared_storage_replica 2"),
    (dict(replica="three"), "shared_storage_replica is 'three'"),
    (dict(arbiter=True, servers=SERVERS[:2], server_addresses=ADDRESSES[:2]),
     "shared_storage_arbiter needs shared_storage_replica 3"),
    (dict(brick_dir="/mnt/dockyard/brick"), "shared_storage_brick_dir /mnt/dockyard/brick is under the mount"),
    (dict(brick_dir="/mnt/dockyard"), "is inside the brick"),
    (dict(mount="/srv/dockyard/brick/mnt"), "shared_storage_mount /srv/dockyard/brick/mnt is inside the brick"),
    (dict(brick_dir="srv/brick"), "shared_storage_brick_dir is 'srv/brick': it must be an absolute path"),
    (dict(mount="mnt"), "shared_storage_mount is 'mnt': it must be an absolute path"),
    (dict(mount="/"), "shared_storage_mount is '/'"),
    (dict(volume="my vol"), "shared_storage_volume is 'my vol'"),
    (dict(volumes=["../x"]), "shared_storage_volumes has '../x'"),
    (dict(volumes=["a"]), "shared_storage_volumes has 'a'"),
    (dict(volumes=["ok", "a/b"]), "shared_storage_volumes has 'a/b'"),
    (dict(volumes=[5]), "shared_storage_volumes has 5"),
    (dict(volumes="pgdata"), "shared_storage_volumes must be a list"),
    (dict(volumes=["pg", "pg"]), "shared_storage_volumes lists pg more than once."),
    (dict(backend="nfs", nfs_export=""), "shared_storage_nfs_export is '': the nfs backend needs"),
    (dict(backend="nfs", nfs_export="nas/export"), "shared_storage_nfs_export is 'nas/export'"),
    (dict(backend="nfs", nfs_export="nas:export"), "shared_storage_nfs_export is 'nas:export'"),
]


@pytest.mark.parametrize("over, message", BAD, ids=[m[:40] for _o, m in BAD])
def test_bad_settings_are_refused_with_a_message_that_names_the_variable(over, message):
    plan = ss.plan(settings(**over))
    assert any(message in p for p in plan["problems"]), plan["problems"]
    # nothing is rendered for a host whose variables are wrong
    assert plan["unit"] == "" and plan["dropin"] == "" and plan["volumes"] == [] and plan["bricks"] == []


def test_nfs_backend_needs_no_storage_servers():
    plan = ss.plan(settings(backend="nfs", nfs_export="nas:/e", servers=[], server_addresses=[],
                            brick_dir="/mnt/dockyard/brick"))
    assert plan["problems"] == []


def test_gluster_create_argv():
    assert ss.gluster_create_argv("v", ["a:/b", "c:/b", "d:/b"], 3, True, False) == [
        "gluster", "--mode=script", "volume", "create", "v", "replica", "3", "arbiter", "1", "a:/b", "c:/b", "d:/b"]
    assert ss.gluster_create_argv("v", ["a:/b", "c:/b"], 2, False, True)[-1] == "force"


def test_shared_volume_state():
    shared = {"Name": "pg", "Labels": {ss.MOUNT_LABEL: "/mnt/dockyard"}}
    assert ss.shared_volume_state(shared, lambda p: p == "/mnt/dockyard") == {"shared": True, "mount_up": True}
    assert ss.shared_volume_state(shared, lambda p: False) == {"shared": True, "mount_up": False}
    assert ss.shared_volume_state({"Name": "x", "Labels": None}, lambda p: True) == {"shared": False,
                                                                                     "mount_up": None}
