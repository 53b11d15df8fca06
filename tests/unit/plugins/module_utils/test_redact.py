# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Diffs say which environment variables change, never their values."""

import json

from ansible_collections.dockyard.docker.plugins.module_utils import redact
from ansible_collections.dockyard.docker.plugins.module_utils.container.plan import plan
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import OWNER_LABEL, parse_spec

IMAGE_ID = "sha256:" + "a" * 64


def _inspect(env):
    return {
        "Id": "c" * 64, "Image": IMAGE_ID,
        "State": {"Status": "running", "Running": True, "Restarting": False}, "RestartCount": 0,
        "Config": {"Env": list(env), "Labels": {OWNER_LABEL: "true"}},
        "HostConfig": {"RestartPolicy": {"Name": "no", "MaximumRetryCount": 0}},
        "NetworkSettings": {"Networks": {}},
    }


def test_masked_pair_keeps_keys_and_marks_what_changed():
    before, after = redact.masked_env_pair({"A": "1", "PW": "old", "GONE": "x"}, {"A": "1", "PW": "new", "NEW": "y"})
    assert before == {"A": redact.HIDDEN, "PW": redact.HIDDEN_OLD, "GONE": redact.HIDDEN}
    assert after == {"A": redact.HIDDEN, "PW": redact.HIDDEN_NEW, "NEW": redact.HIDDEN}


def test_a_changed_password_is_in_neither_side_of_the_container_diff():
    the_plan = plan(parse_spec(dict(name="db", image="db:1", env={"DB_PASSWORD": "n3w-s3cret", "MODE": "x"})),
                    _inspect(["DB_PASSWORD=0ld-s3cret", "MODE=x"]), IMAGE_ID)
    shown = json.dumps([the_plan.before, the_plan.after])
    assert "s3cret" not in shown
    assert the_plan.before["env"]["DB_PASSWORD"] != the_plan.after["env"]["DB_PASSWORD"]
    assert the_plan.before["env"]["MODE"] == the_plan.after["env"]["MODE"] == redact.HIDDEN
    assert the_plan.changed


def test_a_new_container_shows_its_variable_names_only():
    the_plan = plan(parse_spec(dict(name="db", image="db:1", env={"DB_PASSWORD": "s3cret"})), None, IMAGE_ID)
    assert the_plan.after["env"] == {"DB_PASSWORD": redact.HIDDEN}


def test_service_specs_are_masked_in_copies():
    before = {"TaskTemplate": {"ContainerSpec": {"Image": "a", "Env": ["PW=old", "A=1"]}}}
    after = {"TaskTemplate": {"ContainerSpec": {"Image": "a", "Env": ["PW=new", "A=1", "B=2"]}}}
    masked_before, masked_after = redact.mask_service_specs(before, after)
    assert masked_before["TaskTemplate"]["ContainerSpec"]["Env"] == ["A=(hidden)", "PW=(hidden: old value)"]
    assert masked_after["TaskTemplate"]["ContainerSpec"]["Env"] == [
        "A=(hidden)", "B=(hidden)", "PW=(hidden: new value)"]
    assert before["TaskTemplate"]["ContainerSpec"]["Env"] == ["PW=old", "A=1"]


def test_a_service_spec_without_env_or_missing_side_is_left_as_it_is():
    spec = {"TaskTemplate": {"ContainerSpec": {"Image": "a"}}}
    assert redact.mask_service_specs(spec, None) == (spec, None)
    assert redact.mask_service_specs({}, spec) == ({}, spec)
