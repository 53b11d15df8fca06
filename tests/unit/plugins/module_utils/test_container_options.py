# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The option table: every declared option round-trips, bad values are refused by name, docs stay in sync."""

import copy
import os
import subprocess
import sys

import pytest
import yaml

from ansible_collections.dockyard.docker.plugins.module_utils.container.options import OPTIONS, argument_spec
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import (
    RECREATE,
    UPDATE,
    Context,
    SpecError,
    parse_spec,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
IMAGE_ID = "sha256:" + "a" * 64

# One value per compared option, as a user writes it.
SAMPLES = {
    "auto_remove": True,
    "blkio_weight": 300,
    "cap_drop": ["mknod", "CAP_NET_RAW"],
    "capabilities": ["net_admin"],
    "cgroup_parent": "/custom",
    "cgroupns_mode": "private",
    "command": "app-server --port '80 80'",
    "cpu_period": 100000,
    "cpu_quota": 50000,
    "cpu_shares": 512,
    "cpus": 0.5,
    "cpuset_cpus": "0",
    "cpuset_mems": "0",
    "device_cgroup_rules": ["c 1:3 mr"],
    "device_read_bps": [{"path": "/dev/sda", "rate": "1m"}],
    "device_read_iops": [{"path": "/dev/sda", "rate": 100}],
    "device_requests": [{"driver": "nvidia", "count": -1, "capabilities": [["gpu"]]}],
    "device_write_bps": [{"path": "/dev/sda", "rate": "2m"}],
    "device_write_iops": [{"path": "/dev/sda", "rate": 200}],
    "devices": ["/dev/null:/dev/xnull:rw", "/dev/zero"],
    "dns_opts": ["ndots:2"],
    "dns_search_domains": ["example.com"],
    "dns_servers": ["1.1.1.1", "9.9.9.9"],
    "domainname": "example.com",
    "entrypoint": ["/bin/sh", "-c"],
    "env": {"A": 1, "B": "two"},
    "etc_hosts": {"foo": "10.1.2.3", "gw": "host-gateway"},
    "exposed_ports": ["9000", "7000-7001/udp"],
    "groups": ["123", "adm"],
    "healthcheck": {"test": ["CMD", "true"], "interval": "5s", "timeout": 2, "retries": 3, "start_period": "1m"},
    "hostname": "h1",
    "init": True,
    "interactive": True,
    "ipc_mode": "shareable",
    "labels": {"tier": "web"},
    "links": ["db:database"],
    "log_driver": "json-file",
    "log_options": {"max-size": "10m"},
    "mac_address": "02:42:ac:11:00:99",
    "memory": "64m",
    "memory_reservation": "32m",
    "memory_swap": "128m",
    "memory_swappiness": 10,
    "mounts": [{"type": "tmpfs", "target": "/run/x", "tmpfs_size": "8m", "tmpfs_mode": "1777"},
               {"type": "volume", "source": "data", "target": "/data", "no_copy": True, "labels": {"a": "b"}},
               {"type": "bind", "source": "/srv", "target": "/srv", "read_only": True, "propagation": "rslave"}],
    "network_mode": "host",
    "networks": [{"name": "front", "aliases": ["w"]}, {"name": "back", "ipv4_address": "10.1.0.5"}],
    "oom_killer": False,
    "oom_score_adj": 100,
    "pid_mode": "host",
    "pids_limit": 100,
    "privileged": True,
    "publish_all_ports": True,
    "published_ports": ["127.0.0.1:53:53/udp", "8080:8000"],
    "read_only": True,
    "restart_policy": "on-failure:3",
    "runtime": "runc",
    "security_opts": ["no-new-privileges"],
    "shm_size": "32m",
    "stop_signal": "int",
    "stop_timeout": 5,
    "storage_opts": {"size": "10G"},
    "sysctls": {"net.ipv4.ip_forward": 1},
    "tmpfs": ["/scratch:size=10m", "/run"],
    "tty": True,
    "ulimits": ["nofile:1024:2048", "nproc:512"],
    "user": "1000:1000",
    "userns_mode": "host",
    "uts": "host",
    "volume_driver": "local",
    "volumes": ["data:/data", "/etc/x:/x:ro", "/cache"],
    "volumes_from": ["other:ro"],
    "working_dir": "/tmp",
}


def engine_inspect(body, name="web", spec=None):
    """What the engine's inspect shows for a create request it took as it was given (and networks connected)."""
    config = dict((k, v) for k, v in body.items() if k not in ("HostConfig", "NetworkingConfig"))
    host = copy.deepcopy(body["HostConfig"])
    networks = {}
    for net, endpoint in ((body.get("NetworkingConfig") or {}).get("EndpointsConfig") or {}).items():
        networks[net] = dict(endpoint, Aliases=list(endpoint.get("Aliases") or []) + ["4c5d6e7f8a9b"])
    for extra in spec.extra_networks() if spec else []:
        networks[extra["name"]] = {"Aliases": extra["aliases"], "IPAMConfig": {"IPv4Address": extra["ipv4_address"]}}
    return {"Id": "c" * 64, "Name": "/" + name, "Image": IMAGE_ID, "Config": config, "HostConfig": host,
            "State": {"Status": "running", "Running": True}, "NetworkSettings": {"Networks": networks}}


def test_every_compared_option_has_a_sample():
    compared = sorted(o.name for o in OPTIONS if o.comparable)
    assert sorted(SAMPLES) == compared


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_option_round_trips(name):
    params = {"name": "web", "image": "app:1", name: SAMPLES[name], "comparisons": {"*": "strict"}}
    if name == "log_options":
        params["log_driver"] = "json-file"
    if name == "memory_swap":
        params["memory"] = "64m"
    spec = parse_spec(params)
    body, _query = spec.create_request()
    inspect = engine_inspect(body, spec=spec)
    ctx = Context(spec)
    assert spec.compare(inspect, IMAGE_ID, ctx) == []
    # ... and the diff views agree
    assert spec.actual_view(inspect, ctx) == dict(spec.desired_view(IMAGE_ID), image=IMAGE_ID)


@pytest.mark.parametrize("name", sorted(n for n in SAMPLES if n not in ("network_mode",)))
def test_a_changed_option_is_a_difference_of_the_right_kind(name):
    """Create with the sample, then ask for something else: the option differs, live or by recreate."""
    option = [o for o in OPTIONS if o.name == name][0]
    params = {"name": "web", "image": "app:1", name: SAMPLES[name], "comparisons": {"*": "strict"}}
    extra = {"log_options": {"log_driver": "json-file"}, "memory_swap": {"memory": "64m"}}.get(name, {})
    params.update(extra)
    created = parse_spec(params).create_request()[0]
    other = dict(params)
    other[name] = CHANGED[name]
    spec = parse_spec(other)
    found = [d for d in spec.compare(engine_inspect(created), IMAGE_ID, Context(spec)) if d.option == name]
    assert len(found) == 1
    assert found[0].kind == (UPDATE if option.live else RECREATE)


CHANGED = dict(SAMPLES, **{
    "auto_remove": False, "blkio_weight": 500, "cap_drop": ["MKNOD"], "capabilities": ["SYS_TIME"],
    "cgroup_parent": "/other", "cgroupns_mode": "host", "command": "app-server", "cpu_period": 200000,
    "cpu_quota": 10000, "cpu_shares": 256, "cpus": 1, "cpuset_cpus": "1", "cpuset_mems": "1",
    "device_cgroup_rules": ["c 1:5 r"], "device_read_bps": [{"path": "/dev/sda", "rate": "3m"}],
    "device_read_iops": [{"path": "/dev/sda", "rate": 5}], "device_requests": [{"driver": "nvidia", "count": 1}],
    "device_write_bps": [{"path": "/dev/sdb", "rate": "2m"}], "device_write_iops": [{"path": "/dev/sda", "rate": 7}],
    "devices": ["/dev/zero"], "dns_opts": ["ndots:5"], "dns_search_domains": ["example.org"],
    "dns_servers": ["9.9.9.9", "1.1.1.1"], "domainname": "example.org", "entrypoint": ["/bin/bash"],
    "env": {"A": "1"}, "etc_hosts": {"foo": "10.1.2.4"}, "exposed_ports": ["9001"], "groups": ["adm"],
    "healthcheck": {"test": ["CMD", "false"]}, "hostname": "h2", "init": False, "interactive": False,
    "ipc_mode": "private", "labels": {"tier": "db"}, "links": ["db:db"], "log_driver": "local",
    "log_options": {"max-size": "20m"}, "mac_address": "02:42:ac:11:00:98", "memory": "96m",
    "memory_reservation": "16m", "memory_swap": "256m", "memory_swappiness": 20,
    "mounts": [{"type": "tmpfs", "target": "/run/x"}], "networks": [{"name": "front", "aliases": ["x"]}],
    "oom_killer": True, "oom_score_adj": 0, "pid_mode": "", "pids_limit": 200, "privileged": False,
    "publish_all_ports": False, "published_ports": ["8081:8000"], "read_only": False,
    "restart_policy": "always", "runtime": "crun", "security_opts": ["seccomp=unconfined"], "shm_size": "64m",
    "stop_signal": "term", "stop_timeout": 9, "storage_opts": {"size": "20G"}, "sysctls": {"net.core.somaxconn": 1024},
    "tmpfs": ["/scratch"], "tty": False, "ulimits": ["nofile:2048"], "user": "root", "userns_mode": "",
    "uts": "", "volume_driver": "other", "volumes": ["data:/data"], "volumes_from": ["other:rw"],
    "working_dir": "/",
})


@pytest.mark.parametrize("params, fragment", [
    ({"ulimits": ["nofile:abc"]}, "ulimits item 'nofile:abc' is not valid"),
    ({"devices": ["/dev/null:/dev/null:xyz"]}, "devices item '/dev/null:/dev/null:xyz' is not valid"),
    ({"sysctls": {"": "1"}}, "sysctls has an empty key"),
    ({"cpu_shares": -1}, "cpu_shares must be a whole number >= 0"),
    ({"shm_size": "12x"}, "shm_size '12x' is not a size"),
    ({"capabilities": ["NOT_A_CAP"]}, "capabilities: 'NOT_A_CAP' is not a Linux capability"),
    ({"tmpfs": ["relative/path"]}, "tmpfs item 'relative/path': the path 'relative/path' must be absolute"),
    ({"etc_hosts": {"host": "not-an-ip"}}, "etc_hosts.host 'not-an-ip' is not an IP address"),
    ({"comparisons": {"env": "sometimes"}}, "comparisons.env 'sometimes' is not valid. Accepted values: strict"),
    ({"comparisons": {"nonexistent": "strict"}}, "comparisons: 'nonexistent' is not an option that is compared"),
    ({"comparisons": {"hostname": "allow_more_present"}}, "allow_more_present only applies to lists and dicts"),
    ({"comparisons": {"*": "allow_more_present"}}, "comparisons.* 'allow_more_present'"),
    ({"memory": "128m", "memory_swap": "64m"}, "memory_swap (67108864 bytes) must be at least memory"),
    ({"memory_swap": "64m"}, "memory_swap needs memory"),
    ({"oom_score_adj": 5000}, "oom_score_adj must be a whole number from -1000 to 1000"),
    ({"blkio_weight": 5000}, "blkio_weight must be a whole number from 0 to 1000"),
    ({"dns_servers": ["not-ip"]}, "dns_servers item 'not-ip' is not an IP address"),
    ({"exposed_ports": ["80/icmp"]}, "exposed_ports item '80/icmp' is not valid"),
    ({"ipc_mode": "bogus"}, "ipc_mode 'bogus' is not valid"),
    ({"mounts": [{"type": "bind", "target": "/x", "source": "/y", "tmpfs_size": "1m"}]},
     "mounts[0].tmpfs_size applies to type tmpfs only"),
    ({"device_read_bps": [{"path": "sda", "rate": "1m"}]}, "device_read_bps[0].path 'sda' must be an absolute"),
    ({"links": ["/"]}, "links item '/' is not valid"),
    ({"stop_signal": "not a signal"}, "stop_signal 'not a signal' is not a signal"),
    ({"env": {"DEBUG": True}}, "env.DEBUG is the boolean True"),
    ({"healthcheck": {"interval": "soon"}}, "healthcheck.interval 'soon' is not a duration"),
])
def test_bad_values_are_refused_naming_the_option(params, fragment):
    base = {"name": "web", "image": "app:1"}
    base.update(params)
    with pytest.raises(SpecError) as err:
        parse_spec(base)
    assert fragment in str(err.value)


def test_env_file_is_read_and_env_wins(tmp_path):
    path = tmp_path / "app.env"
    path.write_text("# settings\nA=from-file\nexport B='quoted'\n\nC=3\n")
    spec = parse_spec({"name": "web", "image": "app:1", "env_file": str(path), "env": {"C": "env"}})
    body = spec.create_request()[0]
    assert body["Env"] == ["A=from-file", "B=quoted", "C=env"]
    path.write_text("NOT A LINE\n")
    with pytest.raises(SpecError, match="env_file .* line 1 is not KEY=VALUE"):
        parse_spec({"name": "web", "image": "app:1", "env_file": str(path)})


def test_image_variables_and_labels_are_not_the_users():
    image = {"Config": {"Env": ["PATH=/bin"], "Labels": {"maintainer": "x"}}}
    spec = parse_spec({"name": "web", "image": "app:1", "env": {"A": "1"}, "labels": {"t": "1"}})
    inspect = engine_inspect(spec.create_request()[0])
    inspect["Config"]["Env"].append("PATH=/bin")
    inspect["Config"]["Labels"]["maintainer"] = "x"
    assert spec.compare(inspect, IMAGE_ID, Context(spec, image)) == []
    # the user changed PATH by hand earlier and no longer gives it: left alone by default (community.docker's
    # allow_more_present), noticed with a strict comparison
    inspect["Config"]["Env"] = ["A=1", "PATH=/custom"]
    assert spec.compare(inspect, IMAGE_ID, Context(spec, image)) == []
    strict = parse_spec({"name": "web", "image": "app:1", "env": {"A": "1"}, "comparisons": {"env": "strict"}})
    assert [d.option for d in strict.compare(inspect, IMAGE_ID, Context(strict, image))] == ["env"]


def test_command_string_and_list_are_the_same_command():
    as_list = parse_spec({"name": "web", "image": "a", "command": ["sh", "-c", "echo hi"]})
    as_text = parse_spec({"name": "web", "image": "a", "command": "sh -c 'echo hi'"})
    inspect = engine_inspect(as_list.create_request()[0])
    assert as_text.compare(inspect, IMAGE_ID) == []


def test_compatibility_command_handling_splits_a_joined_list():
    spec = parse_spec({"name": "web", "image": "a", "command": ["echo", "a b"], "command_handling": "compatibility"})
    assert spec.create_request()[0]["Cmd"] == ["echo", "a", "b"]


def test_removing_a_live_limit_needs_a_new_container():
    spec = parse_spec({"name": "web", "image": "a", "memory": "64m", "cpus": 1, "pids_limit": 10})
    inspect = engine_inspect(spec.create_request()[0])
    back = parse_spec({"name": "web", "image": "a", "memory": "0", "cpus": 0, "pids_limit": 0})
    kinds = dict((d.option, d.kind) for d in back.compare(inspect, IMAGE_ID))
    assert kinds == {"memory": RECREATE, "cpus": RECREATE, "pids_limit": UPDATE}


def test_stop_timeout_is_only_compared_when_asked():
    spec = parse_spec({"name": "web", "image": "a", "stop_timeout": 3})
    inspect = engine_inspect(spec.create_request()[0])
    inspect["Config"]["StopTimeout"] = 10
    assert spec.compare(inspect, IMAGE_ID) == []
    strict = parse_spec({"name": "web", "image": "a", "stop_timeout": 3, "comparisons": {"stop_timeout": "strict"}})
    assert [d.option for d in strict.compare(inspect, IMAGE_ID)] == ["stop_timeout"]


def test_argument_spec_has_every_option_once_with_community_names():
    spec = argument_spec()
    assert len(spec) == len(OPTIONS)
    for required in ("privileged", "capabilities", "cap_drop", "read_only", "security_opts", "devices", "ulimits",
                     "sysctls", "tmpfs", "dns_servers", "etc_hosts", "shm_size", "pids_limit", "init", "cpu_shares",
                     "memory_reservation", "env_file", "groups", "ipc_mode", "pid_mode", "comparisons",
                     "keep_volumes", "removal_wait_timeout", "healthy_wait_timeout", "image_comparison",
                     "image_label_mismatch", "image_name_mismatch", "pull_check_mode_behavior", "command_handling",
                     "output_logs", "paused", "platform", "kill_signal", "default_host_ip", "cleanup", "detach"):
        assert required in spec, required
    assert all("description" not in entry for entry in spec.values())


def test_generated_docs_are_in_sync_with_the_table():
    """The module docs, the containers sub-options and the role argument specs come from the table."""
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_container_docs.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    spec = argument_spec()
    from ansible_collections.dockyard.docker.plugins.doc_fragments.container_options import ModuleDocFragment
    top = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    items = yaml.safe_load(ModuleDocFragment.ITEMS)["options"]["containers"]["suboptions"]
    with open(os.path.join(ROOT, "roles", "containers", "meta", "argument_specs.yml")) as handle:
        role = yaml.safe_load(handle)["argument_specs"]["main"]["options"]["containers_list"]["options"]
    assert sorted(top) == sorted(items) == sorted(spec)
    assert sorted(role) == sorted(list(spec) + ["docker_host", "timeout", "supervisor", "unit"])
    for name, entry in spec.items():
        for key in ("type", "elements", "choices"):
            assert top[name].get(key) == items[name].get(key) == role[name].get(key) == entry.get(key), (name, key)
        assert top[name].get("aliases") == items[name].get("aliases") == entry.get("aliases"), name


# community.docker's docker_container compares sets and dicts as allow_more_present, single values and ordered
# lists strictly, stop_timeout not at all: a task moved over from it must report the same `changed`.
COMMUNITY_ALLOW_MORE_PRESENT = {
    "cap_drop", "capabilities", "device_read_bps", "device_read_iops", "device_requests", "device_write_bps",
    "device_write_iops", "devices", "dns_opts", "env", "etc_hosts", "exposed_ports", "groups", "healthcheck",
    "labels", "links", "log_options", "mounts", "networks", "published_ports", "security_opts", "storage_opts",
    "sysctls", "tmpfs", "ulimits", "volumes", "volumes_from",
}


@pytest.mark.parametrize("option", [o for o in OPTIONS if o.comparable], ids=lambda o: o.name)
def test_default_comparison_is_community_dockers(option):
    expected = ("ignore" if option.name == "stop_timeout" else
                "allow_more_present" if option.name in COMMUNITY_ALLOW_MORE_PRESENT else "strict")
    assert option.compare == expected


@pytest.mark.parametrize("name, given, more", [
    ("devices", ["/dev/null", "/dev/zero"], ["/dev/zero", "/dev/null"]),
    ("dns_opts", ["ndots:2", "timeout:1"], ["timeout:1", "ndots:2"]),
    ("ulimits", ["nofile:1024:2048", "nproc:64"], ["nproc:64", "nofile:1024:2048"]),
])
def test_the_same_set_in_another_order_is_no_difference(name, given, more):
    created = parse_spec({"name": "web", "image": "app:1", name: given}).create_request()[0]
    spec = parse_spec({"name": "web", "image": "app:1", name: more, "comparisons": {name: "strict"}})
    assert spec.compare(engine_inspect(created), IMAGE_ID, Context(spec)) == []


@pytest.mark.parametrize("name, given, fewer", [
    ("published_ports", ["8080:80", "8443:443"], ["8080:80"]),
    ("volumes", ["data:/data", "logs:/logs"], ["data:/data"]),
    ("env", {"A": "1", "B": "2"}, {"A": "1"}),
    ("ulimits", ["nofile:1024:2048", "nproc:64"], ["nproc:64"]),
])
def test_an_entry_removed_from_the_task_stays_unless_strict(name, given, fewer):
    created = parse_spec({"name": "web", "image": "app:1", name: given}).create_request()[0]
    relaxed = parse_spec({"name": "web", "image": "app:1", name: fewer})
    assert relaxed.compare(engine_inspect(created), IMAGE_ID, Context(relaxed)) == []
    strict = parse_spec({"name": "web", "image": "app:1", name: fewer, "comparisons": {"*": "strict"}})
    assert [d.option for d in strict.compare(engine_inspect(created), IMAGE_ID, Context(strict))] == [name]


@pytest.mark.parametrize("name", ["command", "entrypoint"])
@pytest.mark.parametrize("empty", [[], ""])
def test_an_empty_command_in_compatibility_handling_is_the_images_and_never_differs(name, empty):
    spec = parse_spec({"name": "web", "image": "app:1", name: empty, "command_handling": "compatibility"})
    assert name not in spec.values
    inspect = engine_inspect(parse_spec({"name": "web", "image": "app:1"}).create_request()[0])
    inspect["Config"]["Cmd"], inspect["Config"]["Entrypoint"] = ["nginx", "-g", "daemon off;"], ["/entry.sh"]
    assert spec.compare(inspect, IMAGE_ID, Context(spec)) == []


@pytest.mark.parametrize("given, expected", [("unlimited", -1), ("-1", -1), (-1, -1), ("1g", 1024 ** 3)])
def test_memory_swap_unlimited(given, expected):
    assert parse_spec({"name": "web", "memory": "512m", "memory_swap": given}).values["memory_swap"] == expected


@pytest.mark.parametrize("given, expected", [(True, "always"), (False, "missing"), ("never", "never")])
def test_pull_accepts_community_booleans(given, expected):
    assert parse_spec({"name": "web", "image": "app:1", "pull": given}).pull == expected


def test_pull_refuses_other_values_naming_the_choices():
    with pytest.raises(SpecError, match="pull 'sometimes' is not valid. Accepted values: missing, always, never"):
        parse_spec({"name": "web", "image": "app:1", "pull": "sometimes"})


def test_kernel_memory_is_accepted_ignored_and_warned_about():
    spec = parse_spec({"name": "web", "image": "app:1", "kernel_memory": "64m"})
    body = spec.create_request()[0]
    assert "KernelMemory" not in body.get("HostConfig", {})
    assert [w for w in spec.warnings if "kernel_memory is ignored" in w]
    with pytest.raises(SpecError, match="kernel_memory"):
        parse_spec({"name": "web", "image": "app:1", "kernel_memory": "lots"})


def _cgroup_tree(root, files):
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return str(root)


@pytest.mark.parametrize("files, discarded", [
    (["blkio/blkio.throttle.read_bps_device"], True),  # cgroup v1 without a weight file (this lab's kernel)
    (["blkio/blkio.weight"], False),
    (["blkio/blkio.bfq.weight"], False),
    (["cgroup.controllers", "io.max"], True),  # cgroup v2 without io.weight
    (["cgroup.controllers", "io.weight"], False),
])
def test_blkio_weight_the_local_kernel_discards_is_not_compared(tmp_path, files, discarded):
    root = _cgroup_tree(tmp_path, files)
    spec = parse_spec({"name": "web", "image": "app:1", "blkio_weight": 500})
    spec.skip_what_the_engine_discards("unix:///var/run/docker.sock", cgroup_root=root)
    inspect = engine_inspect(spec.create_request()[0])
    inspect["HostConfig"]["BlkioWeight"] = 0  # what the engine stores when it discards the weight
    assert bool(spec.compare(inspect, IMAGE_ID, Context(spec))) is not discarded
    assert bool(spec.warnings) is discarded
    assert spec.create_request()[0]["HostConfig"]["BlkioWeight"] == 500  # still sent: the engine decides


def test_blkio_weight_of_a_remote_engine_is_always_compared(tmp_path):
    root = _cgroup_tree(tmp_path, ["blkio/blkio.throttle.read_bps_device"])
    spec = parse_spec({"name": "web", "image": "app:1", "blkio_weight": 500})
    spec.skip_what_the_engine_discards("tcp://10.0.0.1:2376", cgroup_root=root)
    assert not spec.discarded


def test_oom_killer_true_disables_the_oom_killer_as_community_docker_means_it():
    assert parse_spec({"name": "web", "image": "app:1", "oom_killer": True}).create_request()[0][
        "HostConfig"]["OomKillDisable"] is True


def test_capabilities_are_written_as_the_cli_writes_them_and_read_in_either_form():
    spec = parse_spec({"name": "web", "image": "app:1", "capabilities": ["cap_net_admin", "SYS_TIME"],
                       "cap_drop": ["CAP_NET_RAW"]})
    host_config = spec.create_request()[0]["HostConfig"]
    assert host_config["CapAdd"] == ["NET_ADMIN", "SYS_TIME"] and host_config["CapDrop"] == ["NET_RAW"]
    stored = engine_inspect(spec.create_request()[0])
    stored["HostConfig"]["CapAdd"] = ["CAP_NET_ADMIN", "CAP_SYS_TIME"]  # as older versions of this module wrote
    assert spec.compare(stored, IMAGE_ID, Context(spec)) == []


@pytest.mark.parametrize("host", ["TCP://10.0.0.1:2376", "10.0.0.1:2376", " tcp://h:2376", "ssh://u@h"])
def test_blkio_weight_of_an_engine_reached_by_any_tcp_spelling_is_compared(tmp_path, host):
    root = _cgroup_tree(tmp_path, ["blkio/blkio.throttle.read_bps_device"])
    spec = parse_spec({"name": "web", "image": "app:1", "blkio_weight": 500})
    spec.skip_what_the_engine_discards(host, cgroup_root=root)
    assert not spec.discarded
