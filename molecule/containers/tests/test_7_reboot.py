"""A real reboot of the node (systemd shuts down, the node boots again with its /var/lib/docker).

After it: `always` and `unless-stopped` containers run again with the same IDs, an `unless-stopped` container
stopped by hand stays stopped, a policy-`no` container stays down, the systemd unit's container runs again
owned by its unit (`docker start -a` is the unit's main process, in the unit's cgroup), supervisord's program
runs again, and a second run of the same play changes nothing.
"""

import os
import subprocess

import lab_nodes
from conftest import NODE, SCENARIO_DIR, wait_for
from testlib import inspect, run_playbook

PLAY = os.path.join(SCENARIO_DIR, "reboot.yml")
NAMES = ("r-always", "r-unless", "r-unless-stopped", "r-no", "r-unit", "r-sv")


def run_play():
    return run_playbook(PLAY, NODE, timeout=600)


def main_process_cmdline(node, pid):
    return node.check_output("tr '\\0' ' ' < /proc/%s/cmdline" % pid).strip()


def node_booted_at():
    """When the node's container (its 'hardware') last started, by this machine's engine."""
    return subprocess.run(["docker", "inspect", "-f", "{{.State.StartedAt}}", lab_nodes.node_container(NODE)],
                          capture_output=True, text=True, check=True).stdout.strip()


def test_containers_come_back_after_a_reboot_as_their_policy_or_manager_says(node):
    first = run_play()
    assert first.rc == 0, first.output[-3000:]
    node.run_expect([0], "docker start r-unless-stopped r-no")
    node.run_expect([0], "docker stop -t 2 r-unless-stopped")
    before = {n: inspect(node, n) for n in NAMES}
    assert all(before[n]["State"]["Running"] for n in NAMES if n != "r-unless-stopped")
    assert before["r-unless-stopped"]["State"]["Running"] is False

    lab_nodes.reboot(NODE)
    booted = node_booted_at()

    def back():
        now = {n: inspect(node, n) for n in NAMES}
        return now if all(now[n]["State"]["Running"] for n in ("r-always", "r-unless", "r-unit", "r-sv")) else None

    after = wait_for(back, timeout=90)
    assert after, "not every container came back: %s" % {n: (inspect(node, n) or {}).get("State") for n in NAMES}
    for name in NAMES:
        assert after[name]["Id"] == before[name]["Id"], "%s was recreated" % name
    for name in ("r-always", "r-unless", "r-unit", "r-sv"):
        # started by this boot, not left over (RFC 3339 strings of one clock compare in order)
        assert after[name]["State"]["StartedAt"] > booted, name
    assert after["r-unless-stopped"]["State"]["Running"] is False
    assert after["r-unless-stopped"]["State"]["StartedAt"] == before["r-unless-stopped"]["State"]["StartedAt"]
    assert after["r-no"]["State"]["Running"] is False
    # the managers, not Docker, started these two
    for name in ("r-unit", "r-sv"):
        assert after[name]["HostConfig"]["RestartPolicy"]["Name"] in ("no", "")
    pid = node.check_output("systemctl show -p MainPID --value docker-r-unit.service")
    assert main_process_cmdline(node, pid) == "/usr/bin/docker start -a r-unit"
    assert "docker-r-unit.service" in node.check_output("cat /proc/%s/cgroup" % pid)
    assert node.check_output("systemctl is-active docker-r-unit.service") == "active"
    # supervisord's program is a small sh wrapper (it turns the stop signal into docker stop); its child attaches
    sv_pid = node.check_output("supervisorctl pid docker-r-sv")
    children = node.check_output("ps -o args= --ppid %s" % sv_pid).splitlines()
    assert "/usr/bin/docker start -a r-sv" in [c.strip() for c in children], children
    assert node.check_output("supervisorctl status docker-r-sv").split()[1] == "RUNNING"

    second = run_play()
    assert second.rc == 0, second.output[-3000:]
    assert second.recap()["changed"] == 0, second.output[-4000:]
    # and that run started nothing
    assert inspect(node, "r-unless-stopped")["State"]["Running"] is False
    assert inspect(node, "r-no")["State"]["Running"] is False
