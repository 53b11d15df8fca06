"""Diffs name the environment variables that change and never print their values (container, service)."""

import json
import os
import subprocess

import testinfra

INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "")
SCENARIO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_probe(value):
    vars_file = os.path.join(EPHEMERAL, "env-diff-vars.json")
    with open(vars_file, "w") as handle:
        json.dump({"env_value": value}, handle)
    try:
        argv = ["ansible-playbook", "--diff", "-i", INVENTORY, os.path.join(SCENARIO, "env_diff_probe.yml"),
                "--extra-vars", "@" + vars_file]
        env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOG_PATH="/dev/null")
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=600, env=env)
    finally:
        os.unlink(vars_file)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    return output


def test_a_changed_password_is_named_in_the_diff_but_its_values_are_not():
    node1 = testinfra.get_host("ansible://sec-node1", ansible_inventory=INVENTORY)
    old, new = "pw-%s" % os.urandom(10).hex(), "pw-%s" % os.urandom(10).hex()
    try:
        first = run_probe(old)
        second = run_probe(new)
        # The change really happened on the engine: the container and the service carry the new value.
        env = json.loads(node1.check_output("docker inspect -f '{{json .Config.Env}}' sec-env-diff"))
        assert "DB_PASSWORD=%s" % new in env
        spec_env = json.loads(node1.check_output(
            "docker service inspect -f '{{json .Spec.TaskTemplate.ContainerSpec.Env}}' sec-env-diff-svc"))
        assert "DB_PASSWORD=%s" % new in spec_env
        for output in (first, second):
            assert old not in output and new not in output, output[-4000:]
        # The diff still tells which variable changed, for both modules.
        assert second.count("(hidden: new value)") >= 2, second[-4000:]
        assert "DB_PASSWORD" in second
    finally:
        node1.run("docker rm -f sec-env-diff; docker service rm sec-env-diff-svc")
