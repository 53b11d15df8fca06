"""Helpers for the info scenario's verify step.

The info modules' answers come from one run of probe.yml (every module once, answers written as JSON);
what they are compared with comes from `docker` inside the lab node (docker exec from this machine). Runs
that must fail or must change nothing are single ansible-playbook runs of apply.yml.
"""

import json
import os
import subprocess
import sys
import tempfile

import pytest

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(SCENARIO_DIR), "_shared"))

from testlib import run_playbook  # noqa: E402

LAB = "m-info"
MANAGER = "info-m1"
WORKER = "info-w1"
IMAGES = ["info/one:1", "info/two:1"]
ARCHIVE = "/root/info-images.tar"
COPY_TEXT = "written by container_copy_into\n"


def node_sh(node, script, check=True):
    """A shell script inside the lab node (its own engine answers `docker`)."""
    proc = subprocess.run(["docker", "exec", "dlab-%s-%s" % (LAB, node), "sh", "-c", script],
                          capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError("%s on %s failed (%d): %s%s" % (script, node, proc.returncode, proc.stdout, proc.stderr))
    return proc


def docker_json(node, args):
    return json.loads(node_sh(node, "docker %s" % args).stdout)


def docker_lines(node, args):
    """`docker <args> --format '{{json .}}'`: one JSON document a line."""
    out = node_sh(node, "docker %s --format '{{json .}}'" % args).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _playbook(playbook, node, extra=None, check=False, diff=False, env=None):
    return run_playbook(os.path.join(SCENARIO_DIR, playbook), node, extra, check, diff, verbosity="-v", env=env)


def run_apply(node, module, args, check=False, diff=False):
    """apply.yml on ``node`` with ``module`` and ``args`` (JSON extra vars: types kept)."""
    return _playbook("apply.yml", node, {"info_module": module, "info_args": args}, check, diff)


@pytest.fixture(scope="session")
def probe():
    """Every info module's answers, per node: one run of probe.yml on both nodes."""
    with tempfile.TemporaryDirectory(prefix="info-probe-") as out:
        run = _playbook("probe.yml", "all", env={"PROBE_DIR": out})
        assert run.rc == 0, run
        answers = {}
        for node in (MANAGER, WORKER):
            with open(os.path.join(out, "%s.json" % node)) as handle:
                answers[node] = json.load(handle)
    return answers
