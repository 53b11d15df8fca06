# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ServiceManager's plan: what it does with one service, and the spec an update sends (pure logic)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import build_spec
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.services import ServiceManager

# A replicated service as the engine holds it, with fields the options below leave out.
CURRENT = {
    "Name": "web",
    "Labels": {"team": "ops"},
    "Mode": {"Replicated": {"Replicas": 2}},
    "TaskTemplate": {"ContainerSpec": {"Image": "app:1@sha256:aa", "Env": ["A=1"]}, "ForceUpdate": 0,
                     "Runtime": "container"},
    "UpdateConfig": {"Parallelism": 1, "Monitor": 5 * 10 ** 9},
    "EndpointSpec": {"Mode": "vip"},
}


def deployed(spec=None):
    return {"ID": "s1", "Version": {"Index": 3}, "Spec": copy.deepcopy(spec or CURRENT)}


def test_a_new_service_is_created_with_the_desired_spec():
    desired = build_spec(dict(name="web", image="app:1"))
    assert ServiceManager.plan(desired, None) == ("create", [], {}, desired)


def test_the_same_options_plan_nothing():
    desired = build_spec(dict(name="web", image="app:1", replicas=2, env=dict(A="1")))
    action, diffs, _before, _after = ServiceManager.plan(desired, deployed())
    assert (action, diffs) == ("none", [])


def test_an_update_sends_the_service_spec_with_only_the_changes_applied():
    desired = build_spec(dict(name="web", env=dict(A="2")))
    action, diffs, before, after = ServiceManager.plan(desired, deployed())
    assert (action, diffs) == ("update", ["TaskTemplate.ContainerSpec.Env"])
    assert before == CURRENT
    # What the options leave out is sent as the service has it, or the engine would reset it.
    expected = copy.deepcopy(CURRENT)
    expected["TaskTemplate"]["ContainerSpec"]["Env"] = ["A=2"]
    assert after == expected


def test_a_change_of_mode_recreates_the_service():
    desired = build_spec(dict(name="web", image="app:1", mode="global"))
    action, diffs, _before, after = ServiceManager.plan(desired, deployed())
    assert action == "recreate"
    assert diffs == ["mode changes from replicated to global, which the engine only allows by recreating the "
                     "service"]
    assert after == desired
