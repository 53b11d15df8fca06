"""A list with one missing image changes nothing: not the bulk module, not the role."""

import json
import os
import subprocess

from conftest import APP, ENV, NODE, SCENARIO, run_module
from testlib import INVENTORY, inspect


def test_bulk_list_with_a_missing_image_changes_nothing(node):
    items = [dict(name="f-good", image=APP, pull="never"), dict(name="f-missing", image="nowhere/none:1")]
    run = run_module({"containers": items}, module="containers")
    assert run.rc != 0, run.output
    assert "cannot be deployed, so none was changed" in run.result["msg"] and "f-missing" in run.result["msg"]
    assert inspect(node, "f-good") is None and inspect(node, "f-missing") is None


def test_role_with_a_manager_item_with_a_missing_image_changes_nothing(node):
    containers_list = [dict(name="f-good", image=APP, pull="never"),
                       dict(name="f-unit", image="nowhere/none:1", pull="never", supervisor="systemd")]
    argv = ["ansible-playbook", "-i", INVENTORY, "--limit", NODE, os.path.join(SCENARIO, "role.yml"),
            "--extra-vars", json.dumps({"containers_list": containers_list})]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=ENV)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "f-unit: image nowhere/none:1 is not on this host and pull is never" in output, output
    assert inspect(node, "f-good") is None and inspect(node, "f-unit") is None
    assert node.run("test -e /etc/systemd/system/docker-f-unit.service").rc != 0
