"""Helpers for the kit scenario's verify step.

Each later run (a change, a refusal, a bad input) is ``ansible-playbook apply.yml`` against Molecule's own
inventory with the module and its arguments as JSON extra vars, so it can fail the step. Effects are read back
with ``docker`` on the node, never from the module's answer alone.
"""

import json
import os
import re
import subprocess

import pytest
import testinfra

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPLY = os.path.join(SCENARIO_DIR, "apply.yml")
INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
NODE = "kit-node1"
APP = "dockyard-lab/app:latest"
OWNER = "io.dockyard.managed"


class PlaybookRun:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr
        self.stdout = proc.stdout

    def recap(self):
        m = re.search(r"^%s\s*:\s*(.*)$" % re.escape(NODE), self.output, re.M)
        assert m, "no PLAY RECAP line for %s in:\n%s" % (NODE, self.output[-3000:])
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}

    def result(self):
        """The module's result of the task that ran (printed by -v; a failure goes to stderr)."""
        head = r"^(?:ok|changed|fatal): \[%s\]:? (?:FAILED! )?=> " % re.escape(NODE)
        m = (re.search(head + r"(\{.*\})$", self.output, re.M)  # one line (JSON result format)
             or re.search(head + r"(\{.*?^\})$", self.output, re.M | re.S))  # indented
        assert m, "no task result in:\n%s" % self.output[-3000:]
        return json.loads(m.group(1))

    def __repr__(self):
        return self.output[-4000:]


def run_apply(module, args, check=False, diff=False, timeout=180):
    """Run apply.yml with ``module`` and ``args`` (JSON extra vars: types kept)."""
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    argv = ["ansible-playbook", "-v", "-i", INVENTORY, "--limit", NODE, APPLY,
            "--extra-vars", json.dumps({"kit_module": module, "kit_args": args})]
    if check:
        argv.append("--check")
    if diff:
        argv.append("--diff")
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    return PlaybookRun(subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env))


@pytest.fixture(scope="session")
def node():
    return testinfra.get_host("ansible://%s" % NODE, ansible_inventory=INVENTORY)


def docker_json(h, *args):
    """``docker <args>`` on the node, its JSON output parsed."""
    return json.loads(h.check_output("docker %s" % " ".join(args)))


def snapshot(h):
    """Every container, image, network and volume on the node, with what a refused run must not move."""
    out = h.check_output(
        "docker ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.State}}' | sort; echo ==;"
        " docker images -a --no-trunc -q | sort -u; echo ==;"
        " docker network ls -q --no-trunc | sort; echo ==;"
        " for v in $(docker volume ls -q); do docker volume inspect -f '{{.Name}} {{.CreatedAt}} {{.Options}}' $v; done")
    return out
