"""What the scenarios' verify steps share: ad-hoc module runs and playbook runs against Molecule's inventory,
the testinfra host of a lab node, and what a node's engine says about its containers.

A scenario's conftest puts this directory on ``sys.path``; the conftest and its tests import from here. Each
scenario keeps its own wrappers (its node, its playbook, its timeouts) around these.
"""

import json
import os
import re
import subprocess

import pytest
import testinfra

INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
NO_INVENTORY = "MOLECULE_INVENTORY_FILE is not set: run through molecule"


def ansible_env(**more):
    """The environment of an ansible run from a test: this one's, with no colour codes in the output."""
    return dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", **more)


def host(name):
    """testinfra's host for lab node ``name``, reached through Molecule's inventory."""
    return testinfra.get_host("ansible://%s" % name, ansible_inventory=INVENTORY)


def host_fixture(name, scope="session"):
    """A fixture that gives the testinfra host of lab node ``name``; its name is the one it is assigned to."""

    @pytest.fixture(scope=scope)
    def lab_host():
        return host(name)

    return lab_host


class ModuleRun:
    """One ad-hoc module run: its exit code, its output and the module's result (``{}`` when none was printed)."""

    def __init__(self, proc):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr
        # the ad-hoc output is `HOST | STATUS => {json}`
        match = re.search(r"=> (\{.*\})\s*$", proc.stdout, re.S)
        self.result = json.loads(match.group(1)) if match else {}

    @property
    def msg(self):
        return self.result.get("msg", self.output)


def ad_hoc_argv(node, module, args, check=False):
    """``ansible`` running dockyard.docker.<module> ad hoc on ``node``; args are passed as JSON (types kept)."""
    assert INVENTORY, NO_INVENTORY
    argv = ["ansible", "-i", INVENTORY, node, "-m", "dockyard.docker.%s" % module, "-a", json.dumps(args)]
    if check:
        argv.append("--check")
    return argv


def run_ad_hoc(node, module, args, check=False, more_argv=(), timeout=180, env=None):
    """Run dockyard.docker.<module> ad hoc on ``node``. Callback plugins stay off: the result is read from the
    ad-hoc output itself."""
    argv = ad_hoc_argv(node, module, args, check) + list(more_argv)
    env = env or ansible_env(ANSIBLE_LOAD_CALLBACK_PLUGINS="0")
    return ModuleRun(subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env))


class PlaybookRun:
    """One ansible-playbook run: its exit code and output; ``node`` is the host its recap and result are read for
    unless a call names another."""

    def __init__(self, proc, node=None):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr
        self.node = node

    def recap(self, node=None):
        """The PLAY RECAP counters of ``node``: {"ok": 3, "changed": 1, ...}."""
        node = node or self.node
        m = re.search(r"^%s\s*:\s*(.*)$" % re.escape(node), self.output, re.M)
        assert m, "no PLAY RECAP line for %s in:\n%s" % (node, self.output[-3000:])
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}

    def result(self, node=None):
        """The module's result of the task that ran on ``node`` (printed by -v; a failure goes to stderr)."""
        node = node or self.node
        head = r"^(?:ok|changed|fatal): \[%s\]:? (?:FAILED! )?=> " % re.escape(node)
        m = (re.search(head + r"(\{.*\})$", self.output, re.M)  # one line (JSON result format)
             or re.search(head + r"(\{.*?^\})$", self.output, re.M | re.S))  # indented
        assert m, "no task result in:\n%s" % self.output[-3000:]
        return json.loads(m.group(1))

    def __repr__(self):
        return self.output[-4000:]


def run_playbook(playbook, limit=None, extra_vars=None, check=False, diff=False, tags=None, verbosity=None,
                 inventory=None, timeout=300, env=None):
    """ansible-playbook ``playbook`` (on ``limit``); extra_vars is a dict passed as JSON (types kept), ``env``
    adds variables to the run's environment."""
    assert INVENTORY, NO_INVENTORY
    argv = ["ansible-playbook"] + ([verbosity] if verbosity else []) + ["-i", inventory or INVENTORY]
    if limit:
        argv += ["--limit", limit]
    argv.append(playbook)
    if extra_vars:
        argv += ["--extra-vars", json.dumps(extra_vars)]
    if check:
        argv.append("--check")
    if diff:
        argv.append("--diff")
    if tags:
        argv += ["--tags", tags]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=ansible_env(**(env or {})))
    return PlaybookRun(proc, limit)


def docker_json(h, *args):
    """``docker <args>`` on the node, its JSON output parsed."""
    return json.loads(h.check_output("docker %s" % " ".join(args)))


def inspect(h, name, kind="container"):
    """The engine's inspect data of one object (a container unless ``kind`` says otherwise), or None."""
    out = h.run("docker inspect --type %s %s" % (kind, name))
    if out.rc != 0:
        return None
    return json.loads(out.stdout)[0]


def inspect_containers(h):
    """The engine's inspect data of every container on the node."""
    ids = h.check_output("docker ps -aq --no-trunc").split()
    return json.loads(h.check_output("docker inspect %s" % " ".join(ids))) if ids else []
