"""The swarm scenario: cluster shape, discovery and load balancing without IPVS, host-mode global service,
IPVS refusal, rolling update, bad inputs, secrets kept out of logs. Cluster-wide checks run once, host side."""

import collections
import os
import re
import tempfile

import pytest
import yaml

from swarm_helpers import (
    DRAINED,
    EPHEMERAL,
    LABELS,
    MANAGERS,
    NODES,
    SCENARIO_DIR,
    WORKERS,
    ansible_module,
    ansible_playbook,
    docker_json,
    http_from_task,
    http_get,
    manager,
    node_addr,
    node_sh,
    nodes_info,
    running_tasks,
)

testinfra_hosts = ["swarm-m1"]


def by_hostname():
    return dict((n["Description"]["Hostname"], n) for n in nodes_info())


def test_five_nodes_ready_three_managers_one_leader():
    nodes = by_hostname()
    assert sorted(nodes) == sorted(NODES)
    assert all(n["Status"]["State"] == "ready" for n in nodes.values())
    managers = [h for h, n in nodes.items() if n["Spec"]["Role"] == "manager"]
    assert sorted(managers) == MANAGERS
    assert all(nodes[h]["ManagerStatus"]["Reachability"] == "reachable" for h in managers)
    assert sum(1 for h in managers if nodes[h]["ManagerStatus"].get("Leader")) == 1
    assert all(nodes[h]["Spec"]["Role"] == "worker" for h in WORKERS)


def test_labels_and_availability_as_given():
    nodes = by_hostname()
    for name, labels in LABELS.items():
        assert nodes[name]["Spec"].get("Labels") == labels
    for name, node in nodes.items():
        assert node["Spec"]["Availability"] == ("drain" if name == DRAINED else "active")


def test_drained_node_runs_no_tasks():
    tasks = node_sh(manager(), "docker node ps %s --filter desired-state=running -q" % DRAINED).stdout.split()
    assert tasks == []
    # and its own engine runs no task container
    assert node_sh(DRAINED, "docker ps -q --filter label=com.docker.swarm.task.id").stdout.strip() == ""


def test_overlay_network_spans_the_nodes():
    net = docker_json(manager(), "network inspect appnet")[0]
    assert net["Driver"] == "overlay" and net["Scope"] == "swarm"
    nodes_with_web = set(t["_node"] for t in running_tasks("web"))
    assert len(nodes_with_web) >= 2, nodes_with_web
    for node in nodes_with_web:  # the overlay exists on every node running a task attached to it
        local = docker_json(node, "network inspect appnet")[0]
        assert local["Id"] == net["Id"]


def probe_task():
    tasks = running_tasks("probe")
    assert len(tasks) == 1
    task = tasks[0]
    return task["_node"], task["Status"]["ContainerStatus"]["ContainerID"]


def test_discovery_by_name_and_load_balancing_across_nodes():
    web = running_tasks("web")
    assert len(web) == 3
    web_hosts = dict((t["Status"]["ContainerStatus"]["ContainerID"][:12], t["_node"]) for t in web)
    probe_node, probe_cid = probe_task()
    answers = http_from_task(probe_node, probe_cid, "http://web:8000/", 30)
    answered = collections.Counter(a.split()[0] for a in answers)
    assert set(answered) <= set(web_hosts), (answered, web_hosts)
    assert len(answered) > 1, "only one replica answered: %r" % answered  # load balancing
    assert any(web_hosts[h] != probe_node for h in answered), "no answer came from another node"
    assert all(a.endswith(" v1") for a in answers)


def test_global_host_mode_service_answers_on_every_eligible_node():
    tasks = running_tasks("edge")
    per_node = collections.Counter(t["_node"] for t in tasks)
    eligible = [n for n in NODES if n != DRAINED]
    assert sorted(per_node) == sorted(eligible)
    assert set(per_node.values()) == {1}  # exactly one task per eligible node
    for node in eligible:
        assert http_get(node_addr(node)).split()[1] == "hello"
    with pytest.raises(OSError):
        http_get(node_addr(DRAINED))


def test_no_ipvs_on_this_kernel(host):
    assert not host.file("/proc/net/ip_vs").exists


def service_version(name):
    proc = node_sh(manager(), "docker service inspect --format '{{.Version.Index}}' %s" % name, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else None


def test_ingress_and_vip_refused_without_override():
    rc, res = ansible_module("swarm-m1", "dockyard.docker.swarm_service", dict(
        name="mesh", image="dockyard-lab/app:latest",
        publish=[dict(published_port=8081, target_port=8000)]))
    assert rc != 0
    assert "ip_vs" in res["msg"] and "endpoint_mode: dnsrr" in res["msg"] and "mode: host" in res["msg"]
    assert "ingress" in res["msg"]
    rc, res = ansible_module("swarm-m1", "dockyard.docker.swarm_service", dict(
        name="mesh", image="dockyard-lab/app:latest", networks=["appnet"]))
    assert rc != 0 and "vip" in res["msg"] and "ignore_ipvs_check" in res["msg"]
    assert service_version("mesh") is None


def test_ipvs_override_creates_the_service():
    rc, res = ansible_module("swarm-m1", "dockyard.docker.swarm_service", dict(
        name="mesh", image="dockyard-lab/app:latest", networks=["appnet"], ignore_ipvs_check=True,
        wait_timeout=60))
    assert rc == 0 and res["changed"], res
    assert service_version("mesh") is not None
    rc, res = ansible_module("swarm-m1", "dockyard.docker.swarm_service", dict(name="mesh", state="absent"))
    assert rc == 0 and res["changed"]
    assert service_version("mesh") is None


@pytest.mark.parametrize("args,expect", [
    (dict(name="web", image="dockyard-lab/app:latest", replicas=-1), "replicas must be an integer >= 0"),
    (dict(name="web", image="dockyard-lab/app:latest", mode="global", replicas=3),
     "replicas cannot be used with mode: global"),
    (dict(name="web", image="dockyard-lab/app:latest", update_config=dict(order="sideways")),
     "order must be one of: stop-first, start-first"),
    (dict(name="web", mode="sometimes"), "mode must be one of: replicated, global"),
])
def test_bad_service_inputs_change_nothing(args, expect):
    before = service_version("web")
    rc, res = ansible_module("swarm-m1", "dockyard.docker.swarm_service", args)
    assert rc != 0 and expect in res["msg"], res
    assert service_version("web") == before


def test_join_without_token_fails():
    rc, res = ansible_module("swarm-w1", "dockyard.docker.swarm", dict(state="join", remote_addrs=["10.9.9.9"]))
    assert rc != 0 and "join_token" in res["msg"]


def test_node_in_another_swarm_is_refused_and_stays():
    before = node_sh("swarm-w1", "docker info --format '{{.Swarm.NodeID}} {{.Swarm.LocalNodeState}}'").stdout
    rc, res = ansible_module("swarm-w1", "dockyard.docker.swarm", dict(
        state="join", remote_addrs=["10.9.9.9"],
        join_token="SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx"))
    assert rc != 0 and "different swarm" in res["msg"] and "not changed" in res["msg"], res
    assert node_sh("swarm-w1", "docker info --format '{{.Swarm.NodeID}} {{.Swarm.LocalNodeState}}'").stdout == before


def test_even_manager_count_refused_before_any_change():
    nodes_before = node_sh(manager(), "docker node ls --format '{{.Hostname}} {{.ManagerStatus}}'").stdout
    with open(os.path.join(EPHEMERAL, "inventory", "ansible_inventory.yml")) as handle:
        hosts = yaml.safe_load(handle)["all"]["hosts"]
    two = dict(all=dict(hosts=hosts, children=dict(
        swarm_managers=dict(hosts={"swarm-m1": None, "swarm-m2": None}),
        swarm_workers=dict(hosts={"swarm-w1": None}))))
    with tempfile.NamedTemporaryFile("w", suffix=".yml", dir=EPHEMERAL, delete=False) as inv:
        yaml.safe_dump(two, inv)
    proc = ansible_playbook(os.path.join(SCENARIO_DIR, "converge.yml"), inventory_file=inv.name,
                            log_name="even.log")
    os.unlink(inv.name)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "swarm_managers has 2 host(s)" in output, output[-3000:]
    assert "An even number of managers" in output and "swarm_allow_even_managers" in output
    assert "changed=0" in output and "changed=1" not in output
    assert node_sh(manager(), "docker node ls --format '{{.Hostname}} {{.ManagerStatus}}'").stdout == nodes_before


def test_rolling_update_converges_on_the_new_spec():
    rc, res = ansible_module("swarm-m1", "dockyard.docker.swarm_service", dict(
        name="web", env=dict(APP_MESSAGE="v2"), update_config=dict(parallelism=1)), timeout=300)
    assert rc == 0 and res["changed"], res
    assert res["differences"] == ["TaskTemplate.ContainerSpec.Env"]
    spec = docker_json(manager(), "service inspect web")[0]
    assert spec["UpdateStatus"]["State"] == "completed"
    assert spec["Spec"]["UpdateConfig"]["Parallelism"] == 1
    tasks = running_tasks("web")
    assert len(tasks) == 3
    assert all("APP_MESSAGE=v2" in t["Spec"]["ContainerSpec"]["Env"] for t in tasks)
    probe_node, probe_cid = probe_task()
    answers = http_from_task(probe_node, probe_cid, "http://web:8000/", 12)
    assert all(a.endswith(" v2") for a in answers), answers


def join_tokens():
    via = manager()
    return [node_sh(via, "docker swarm join-token -q %s" % kind).stdout.strip() for kind in ("worker", "manager")]


def test_verbose_converge_log_holds_no_join_token():
    log = open(os.path.join(EPHEMERAL, "ansible-vvv.log")).read()
    assert "Join this worker" in log and "ESTABLISH SSH CONNECTION" in log  # it is the -vvv log of the joins
    for token in join_tokens():
        assert token.startswith("SWMTKN-1-")
        assert token not in log
        assert token.split("-")[3] not in log  # not even the secret part
    assert not re.search(r"SWMTKN-1-[0-9a-z]{20,}", log)


def test_cluster_id_unchanged_by_idempotence():
    cluster = node_sh(manager(), "docker info --format '{{.Swarm.Cluster.ID}}'").stdout.strip()
    assert cluster
    for node in MANAGERS:
        assert node_sh(node, "cat /etc/dockyard-swarm-cluster-id").stdout.strip() == cluster
