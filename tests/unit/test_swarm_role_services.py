# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The swarm role's swarm_services items: checked against the service option table before anything changes,
then given to swarm_service whole (no option listed in the role)."""

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.dockyard.docker.plugins.module_utils.swarm import options

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLE = os.path.join(ROOT, "roles", "swarm")
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def _tasks():
    with open(os.path.join(ROLE, "tasks", "main.yml")) as handle:
        tasks = yaml.safe_load(handle)
    found = {}

    def walk(items):
        for task in items:
            found[task.get("name")] = task
            walk(task.get("block") or [])
    walk(tasks)
    return found


def _item_spec():
    with open(os.path.join(ROLE, "vars", "service_options.yml")) as handle:
        return yaml.safe_load(handle)["swarm_service_options"]


def _without(spec, dropped):
    out = {}
    for key, value in spec.items():
        if key in dropped:
            continue
        if key == "options":
            value = dict((name, _without(sub, dropped)) for name, sub in value.items())
        out[key] = value
    return out


def test_the_item_spec_is_the_tables_argument_spec():
    """Every option of the module (less its connection options), as the module checks it, defaults aside."""
    assert _item_spec() == dict((name, _without(entry, ("default",))) for name, entry in options.argument_spec().items())


def test_the_services_go_to_the_module_whole_with_the_roles_defaults_under_them():
    deploy = _tasks()["Deploy the services"]
    assert deploy["dockyard.docker.swarm_service"] == {}
    assert re.sub(r"\s+", " ", deploy["args"]).strip() == (
        "{{ {'wait_timeout': swarm_service_wait_timeout, 'ignore_ipvs_check': swarm_ignore_ipvs_check} "
        "| combine(item) }}")
    # No option is listed: the item's only use is whole (and its name as the loop's label).
    assert re.findall(r"item\.[a-z_]+", json.dumps(deploy)) == ["item.name"]


def _validate(item):
    return ArgumentSpecValidator(_item_spec()).validate(item)


def test_an_item_the_module_takes_passes_aliases_included():
    result = _validate({"name": "web", "image": "app:1", "replicas": 2, "limits": {"cpus": 0.5},
                        "placement": {"replicas_max_per_node": 1}, "secrets": [{"secret_name": "db", "target": "pw"}],
                        "publish": [{"target_port": 80}], "wait_timeout": 30})
    assert not result.error_messages


@pytest.mark.parametrize("item, message", [
    ({"name": "web", "imgae": "app:1"}, "imgae"),
    ({"name": "web", "placement": {"max_replica": 1}}, "placement.max_replica"),
    ({"name": "web", "docker_host": "tcp://x:2376"}, "docker_host"),  # the role runs on its manager
    ({"name": "web", "replicas": "three"}, "replicas"),
    ({"image": "app:1"}, "name"),
])
def test_an_item_the_module_would_refuse_is_refused(item, message):
    errors = " ".join(_validate(item).error_messages)
    assert message in errors


def _play(tmp_path, services):
    """The role's check task alone, as the role runs it (the role's path, the given swarm_services)."""
    check = dict(_tasks()["Check swarm_services (before anything changes)"])
    playbook = [{"hosts": "localhost", "gather_facts": False,
                 "vars": {"role_path": ROLE, "swarm_services": services}, "tasks": [check]}]
    path = tmp_path / "check.yml"
    path.write_text(json.dumps(playbook))
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_FORCE_COLOR="0",
               ANSIBLE_HOME=str(tmp_path / "home"), ANSIBLE_NOCOLOR="1")
    return subprocess.run([ANSIBLE_PLAYBOOK, "-i", "localhost,", "-c", "local", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)


def test_the_role_refuses_a_misspelt_key_naming_the_item_and_the_key(tmp_path):
    proc = _play(tmp_path, [{"name": "api", "image": "app:1"}, {"name": "web", "image": "app:1", "replcias": 3}])
    assert proc.returncode != 0, proc.stdout
    failed = [line for line in proc.stdout.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "(item=web)" in failed[0], proc.stdout
    assert "swarm_services[web].replcias" in failed[0], failed[0]


def test_the_role_accepts_items_the_module_takes(tmp_path):
    """Play variables named like options (groups is Ansible's own) are not taken for an item's keys."""
    proc = _play(tmp_path, [{"name": "web", "image": "app:1", "replicas": 3, "env": {"A": "1"},
                             "limits": {"memory": "64m"}, "wait_timeout": 30}, {"name": "old", "state": "absent"}])
    assert proc.returncode == 0, proc.stdout + proc.stderr
