"""Helpers for the registry scenario's verify step.

Each later run is ``ansible-playbook apply.yml`` on one node with the module and its arguments as JSON extra
vars, so it can fail the step. Effects are read back on the nodes (files, ``docker``, the registry's own HTTP
API), never from the module's answer alone.
"""

import base64
import json
import os
import re
import subprocess

import pytest
import testinfra

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPLY = os.path.join(SCENARIO_DIR, "apply.yml")
INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
REGISTRY_DIR = os.path.join(os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "/nonexistent"), "registry")
REGISTRY = "reg-node1:5000"
USER = "deployer"
REPO = REGISTRY + "/lab/web"


def password():
    with open(os.path.join(REGISTRY_DIR, "password")) as handle:
        return handle.read().split()[0]


def auth_string(pw=None):
    return base64.b64encode(("%s:%s" % (USER, pw or password())).encode()).decode()


class PlaybookRun:
    def __init__(self, proc, node):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr
        self.node = node

    def recap(self):
        m = re.search(r"^%s\s*:\s*(.*)$" % re.escape(self.node), self.output, re.M)
        assert m, "no PLAY RECAP line for %s in:\n%s" % (self.node, self.output[-3000:])
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}

    def __repr__(self):
        return self.output[-4000:]


def run_apply(node, module, args, check=False, diff=False, verbosity="-v", timeout=300):
    """Run apply.yml on ``node`` with ``module`` and ``args`` (JSON extra vars: types kept)."""
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    argv = ["ansible-playbook", verbosity, "-i", INVENTORY, "--limit", node, APPLY,
            "--extra-vars", json.dumps({"reg_module": module, "reg_args": args})]
    if check:
        argv.append("--check")
    if diff:
        argv.append("--diff")
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    return PlaybookRun(subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env), node)


def host(name):
    return testinfra.get_host("ansible://%s" % name, ansible_inventory=INVENTORY)


@pytest.fixture(scope="session")
def node1():
    return host("reg-node1")


@pytest.fixture(scope="session")
def node2():
    return host("reg-node2")


def docker_json(h, *args):
    return json.loads(h.check_output("docker %s" % " ".join(args)))


def registry_digest(h, tag):
    """The manifest digest the registry itself serves for lab/web:<tag> (asked over HTTPS with the run's CA)."""
    out = h.check_output(
        "curl -sS --fail --cacert /etc/docker/certs.d/%s/ca.crt -u %s:%s -o /dev/null -D - "
        "-H 'Accept: application/vnd.docker.distribution.manifest.v2+json' https://%s/v2/lab/web/manifests/%s"
        % (REGISTRY, USER, password(), REGISTRY, tag))
    m = re.search(r"^docker-content-digest:\s*(\S+)", out, re.M | re.I)
    assert m, out
    return m.group(1)
