"""Helpers for the info scenario's verify step.

The info modules' answers come from one run of probe.yml (every module once, answers written as JSON);
what they are compared with comes from `docker` inside the lab node (docker exec from this machine). Runs
that must fail or must change nothing are single ansible-playbook runs of apply.yml.
"""

import json
import os
import re
import subprocess
import tempfile

import pytest

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
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


class PlaybookRun:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr

    def recap(self, node):
        m = re.search(r"^%s\s*:\s*(.*)$" % re.escape(node), self.output, re.M)
        assert m, "no PLAY RECAP line for %s in:\n%s" % (node, self.output[-3000:])
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}

    def result(self, node):
        head = r"^(?:ok|changed|fatal): \[%s\]:? (?:FAILED! )?=> " % re.escape(node)
        m = (re.search(head + r"(\{.*\})$", self.output, re.M)
             or re.search(head + r"(\{.*?^\})$", self.output, re.M | re.S))
        assert m, "no task result in:\n%s" % self.output[-3000:]
        return json.loads(m.group(1))

    def __repr__(self):
        return self.output[-4000:]


def _playbook(playbook, node, extra=None, check=False, diff=False, env=None):
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    argv = ["ansible-playbook", "-v", "-i", INVENTORY, "--limit", node, os.path.join(SCENARIO_DIR, playbook)]
    if extra is not None:
        argv += ["--extra-vars", json.dumps(extra)]
    if check:
        argv.append("--check")
    if diff:
        argv.append("--diff")
    full_env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", **(env or {}))
    return PlaybookRun(subprocess.run(argv, capture_output=True, text=True, timeout=300, env=full_env))


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
