"""Last: stop the leader node; the others elect a leader, services still answer, a demotion that would break
quorum is refused with the numbers, and the role re-run against the remaining nodes converges."""

import os
import subprocess

from swarm_helpers import (
    DRAINED,
    MANAGERS,
    NODES,
    SCENARIO_DIR,
    ansible_module,
    ansible_playbook,
    container,
    http_from_task,
    http_get,
    node_addr,
    nodes_info,
    node_sh,
    running_tasks,
    wait_for,
)

testinfra_hosts = ["swarm-m2"]


def leader_name(via):
    for node in nodes_info(via):
        if (node.get("ManagerStatus") or {}).get("Leader"):
            return node["Description"]["Hostname"]
    return None


def test_manager_loss():
    leader = leader_name(MANAGERS[1])
    assert leader in MANAGERS
    survivors = [m for m in MANAGERS if m != leader]
    addrs = dict((n, node_addr(n)) for n in NODES)
    subprocess.run(["docker", "stop", "-t", "10", container(leader)], check=True, capture_output=True)

    # the two others elect a new leader
    def elected():
        if node_sh(survivors[0], "docker node ls -q", check=False).returncode != 0:
            return None
        name = leader_name(survivors[0])
        return name if name in survivors else None

    new_leader = wait_for(elected, timeout=90, what="a new leader among %s" % survivors)
    assert new_leader in survivors

    # the global host-mode service still answers on the surviving eligible nodes
    for node in NODES:
        if node not in (leader, DRAINED):
            assert http_get(addrs[node]).split()[1] == "hello"

    # a demotion that would break quorum is refused, with the numbers
    rc, res = ansible_module(survivors[0], "dockyard.docker.swarm_node", dict(hostname=survivors[1], role="worker"))
    assert rc != 0, res
    assert "lose quorum" in res["msg"] and "3 manager(s), 2 reachable" in res["msg"] and "quorum needs 2" in res["msg"]
    assert [n["Spec"]["Role"] for n in nodes_info(survivors[0])
            if n["Description"]["Hostname"] == survivors[1]] == ["manager"]

    # the role run against the whole inventory reports the lost node unreachable and converges the rest
    proc = ansible_playbook(os.path.join(SCENARIO_DIR, "converge.yml"), log_name="with-unreachable.log")
    recap = {}
    for line in proc.stdout.split("PLAY RECAP")[-1].strip().splitlines()[1:]:
        name, _sep, counts = line.partition(":")
        recap[name.strip()] = counts
    assert proc.returncode != 0
    assert "unreachable=1" in recap[leader], recap
    for node in NODES:
        if node != leader:
            assert "failed=0" in recap[node] and "unreachable=0" in recap[node], (node, recap, proc.stdout[-3000:])

    # the role re-run against the remaining nodes converges (web rescheduled off the lost node, back to v1)
    proc = ansible_playbook(os.path.join(SCENARIO_DIR, "converge.yml"), extra=["--limit", "all:!%s" % leader],
                            log_name="after-loss.log")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "failed=0" in proc.stdout and leader not in proc.stdout.split("PLAY RECAP")[-1]

    web = running_tasks("web", via=survivors[0])
    assert len(web) == 3 and all(t["_node"] != leader for t in web)
    assert all("APP_MESSAGE=v1" in t["Spec"]["ContainerSpec"]["Env"] for t in web)
    probe = running_tasks("probe", via=survivors[0])
    assert len(probe) == 1
    answers = http_from_task(probe[0]["_node"], probe[0]["Status"]["ContainerStatus"]["ContainerID"],
                             "http://web:8000/", 12)
    assert all(a.endswith(" v1") for a in answers)
    # the lost node's data was not touched: its container is only stopped, its engine volume still there
    state = subprocess.run(["docker", "inspect", "-f", "{{.State.Status}}", container(leader)],
                           capture_output=True, text=True).stdout.strip()
    assert state == "exited"
