"""swarm_service's community.docker parity options on the real cluster: the service `hardened` (molecule.yml)
read back from `docker service inspect` on a manager and from inside its running task container, and the
replicated job `batch` run to completion (2 completed tasks, not re-run by the idempotence step)."""

import re

from swarm_helpers import docker_json, manager, node_sh, running_tasks, wait_for

testinfra_hosts = ["swarm-m1"]

CAP_NET_ADMIN, CAP_NET_RAW, CAP_MKNOD = 12, 13, 27


def service_spec(name):
    return docker_json(manager(), "service inspect %s" % name)[0]["Spec"]


def hardened_task():
    tasks = wait_for(lambda: running_tasks("hardened"), what="a running task of hardened")
    assert len(tasks) == 1
    return tasks[0]["_node"], tasks[0]["Status"]["ContainerStatus"]["ContainerID"]


def in_task(command):
    node, cid = hardened_task()
    return node_sh(node, "docker exec %s sh -c %s" % (cid, "'" + command.replace("'", "'\"'\"'") + "'"),
                   check=False)


def test_spec_holds_every_option_under_the_inspect_keys():
    spec = service_spec("hardened")
    cs = spec["TaskTemplate"]["ContainerSpec"]
    assert sorted(cs["CapabilityAdd"]) == ["CAP_NET_ADMIN"]
    assert sorted(cs["CapabilityDrop"]) == ["CAP_MKNOD", "CAP_NET_RAW"]
    assert cs["Labels"] == {"io.dockyard.test": "hardened"}
    assert cs["DNSConfig"] == {"Nameservers": ["192.0.2.53"], "Search": ["lab.example"], "Options": ["ndots:3"]}
    assert cs["Hostname"] == "hardened-host"
    assert cs["Hosts"] == ["192.0.2.10 db.lab.example"]
    assert cs["Init"] is True and cs["ReadOnly"] is True and cs["TTY"] is True and cs["OpenStdin"] is True
    assert cs["StopGracePeriod"] == 7 * 10 ** 9 and cs["StopSignal"] == "SIGINT"
    assert cs["Sysctls"] == {"net.core.somaxconn": "511"}
    assert cs["User"] == "nobody" and cs["Groups"] == ["users"] and cs["Dir"] == "/tmp"
    assert cs["Ulimits"] == [{"Name": "nofile", "Soft": 1024, "Hard": 2048}]
    assert spec["TaskTemplate"]["LogDriver"] == {"Name": "json-file", "Options": {"max-size": "1m", "max-file": "2"}}


def test_task_container_runs_with_them():
    node, cid = hardened_task()
    inspect = docker_json(node, "inspect %s" % cid)[0]
    host, config = inspect["HostConfig"], inspect["Config"]
    assert host["ReadonlyRootfs"] is True and host["Init"] is True
    assert host["LogConfig"] == {"Type": "json-file", "Config": {"max-size": "1m", "max-file": "2"}}
    assert config["Tty"] is True and config["OpenStdin"] is True and config["StopSignal"] == "SIGINT"
    assert config["Labels"]["io.dockyard.test"] == "hardened"

    assert re.search(r"^192\.0\.2\.10\s+db\.lab\.example$", in_task("cat /etc/hosts").stdout, re.M)
    resolv = in_task("cat /etc/resolv.conf").stdout
    assert re.search(r"^nameserver 192\.0\.2\.53$", resolv, re.M), resolv
    assert re.search(r"^search lab\.example$", resolv, re.M), resolv
    assert re.search(r"^options ndots:3$", resolv, re.M), resolv
    ident = in_task("id").stdout
    assert "uid=65534(nobody)" in ident and "100(users)" in ident, ident
    assert in_task("pwd").stdout.strip() == "/tmp"
    assert in_task("hostname").stdout.strip() == "hardened-host"
    assert in_task("cat /proc/sys/net/core/somaxconn").stdout.strip() == "511"
    assert in_task("cat /proc/1/comm").stdout.strip() == "docker-init"  # init: true
    limits = in_task("grep 'Max open files' /proc/self/limits").stdout.split()
    assert limits[3:5] == ["1024", "2048"], limits
    bounding = int(re.search(r"^CapBnd:\s+([0-9a-f]+)$", in_task("cat /proc/self/status").stdout, re.M).group(1), 16)
    assert bounding & (1 << CAP_NET_ADMIN) and not bounding & (1 << CAP_NET_RAW | 1 << CAP_MKNOD)
    # read-only root file system, writable tmpfs where it must write
    assert in_task("touch /probe").returncode != 0
    assert in_task("touch /tmp/probe").returncode == 0


def test_replicated_job_ran_to_completion_once():
    spec = service_spec("batch")
    assert spec["Mode"] == {"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 2}}
    states = node_sh(manager(), "docker service ps batch --format '{{.CurrentState}}'").stdout.split("\n")
    completed = [s for s in states if s.startswith("Complete")]
    # converge waited for both completions, and the idempotence run did not run the job again
    assert len(completed) == 2 and len([s for s in states if s.strip()]) == 2, states
