"""Helpers for the engine scenario's verify step.

The later converges (changed option, refused option, bad variables, upstream repository) run
``ansible-playbook`` against Molecule's own inventory from here, so each of them can fail the step.
"""

import os
import sys

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(SCENARIO_DIR), "_shared"))

from testlib import host_fixture, run_playbook  # noqa: E402

APPLY = os.path.join(SCENARIO_DIR, "apply.yml")

# What converge.yml gave the role, and what the role makes of it (log rotation default adds max-file).
CONVERGE_DAEMON_JSON = {"log-driver": "json-file", "log-opts": {"max-size": "20m", "max-file": "3"}}


def run_apply(limit, extra_vars=None, check=False, diff=False, tags=None, timeout=600):
    """Run apply.yml on one node; extra_vars is a dict passed as JSON (types kept)."""
    return run_playbook(APPLY, limit, extra_vars, check, diff, tags, timeout=timeout)


def engine_state(h):
    """What must not move when a run is refused: daemon.json, dockerd's PID, the packages."""
    return dict(
        daemon_json=h.run("sha256sum /etc/docker/daemon.json").stdout.split()[:1],
        main_pid=h.check_output("systemctl show --property MainPID --value docker.service"),
        active=h.run("systemctl is-active docker.service").stdout.strip(),
        packages=h.run("dpkg-query -W -f '${Package} ${Status}\\n' docker.io containerd runc python3-docker").stdout,
        etc_docker=sorted(h.check_output("ls -A /etc/docker").split()),
    )


def engine_starts(h):
    """How many times dockerd finished starting, per the journal of docker.service."""
    out = h.run("journalctl --unit docker.service --no-pager --output cat").stdout
    return out.count("Daemon has completed initialization")


node1 = host_fixture("engine-node1", scope="module")
node2 = host_fixture("engine-node2", scope="module")
