"""Helpers for the registry scenario's verify step.

Each later run is ``ansible-playbook apply.yml`` on one node with the module and its arguments as JSON extra
vars, so it can fail the step. Effects are read back on the nodes (files, ``docker``, the registry's own HTTP
API), never from the module's answer alone.
"""

import base64
import os
import re
import sys

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(SCENARIO_DIR), "_shared"))

from testlib import host_fixture, run_playbook  # noqa: E402

APPLY = os.path.join(SCENARIO_DIR, "apply.yml")
REGISTRY_DIR = os.path.join(os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "/nonexistent"), "registry")
REGISTRY = "reg-node1:5000"
USER = "deployer"
REPO = REGISTRY + "/lab/web"


def password():
    with open(os.path.join(REGISTRY_DIR, "password")) as handle:
        return handle.read().split()[0]


def auth_string(pw=None):
    return base64.b64encode(("%s:%s" % (USER, pw or password())).encode()).decode()


def run_apply(node, module, args, check=False, diff=False, verbosity="-v", timeout=300):
    """Run apply.yml on ``node`` with ``module`` and ``args`` (JSON extra vars: types kept)."""
    return run_playbook(APPLY, node, {"reg_module": module, "reg_args": args}, check, diff, verbosity=verbosity,
                        timeout=timeout)


node1 = host_fixture("reg-node1")
node2 = host_fixture("reg-node2")


def registry_digest(h, tag):
    """The manifest digest the registry itself serves for lab/web:<tag> (asked over HTTPS with the run's CA)."""
    out = h.check_output(
        "curl -sS --fail --cacert /etc/docker/certs.d/%s/ca.crt -u %s:%s -o /dev/null -D - "
        "-H 'Accept: application/vnd.docker.distribution.manifest.v2+json' https://%s/v2/lab/web/manifests/%s"
        % (REGISTRY, USER, password(), REGISTRY, tag))
    m = re.search(r"^docker-content-digest:\s*(\S+)", out, re.M | re.I)
    assert m, out
    return m.group(1)
