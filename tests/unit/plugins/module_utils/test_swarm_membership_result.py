# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""swarm returns community.docker.docker_swarm's swarm_facts: the swarm document the manager reports."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.swarm.membership import SwarmMembership

SWARM = {"ID": "cluster1", "Version": {"Index": 7}, "Spec": {"EncryptionConfig": {"AutoLockManagers": False}},
         "JoinTokens": {"Worker": "SWMTKN-1-abc-worker", "Manager": "SWMTKN-1-abc-manager"}}


class Exit(Exception):
    pass


class FakeModule:
    check_mode = False
    _diff = False

    def __init__(self, **params):
        self.params = dict(state="present", autolock=None, rotate_worker_token=False, rotate_manager_token=False)
        self.params.update(params)

    def exit_json(self, **result):
        raise Exit(result)

    def fail_json(self, **result):
        raise AssertionError(result)


class FakeApi:
    def info(self):
        return {"Swarm": {"LocalNodeState": "active", "NodeID": "node1", "ControlAvailable": True,
                          "Cluster": {"ID": "cluster1"}}}

    def inspect_swarm(self):
        return dict(SWARM)


class FakeClient:
    api = FakeApi()


def test_swarm_facts_is_the_swarm_document_as_community_returns_it():
    with pytest.raises(Exit) as exc:
        SwarmMembership(FakeModule(), FakeClient()).run()
    result = exc.value.args[0]
    assert result["changed"] is False
    assert result["swarm_facts"] == SWARM
    assert result["swarm_facts"]["JoinTokens"]["Worker"] == "SWMTKN-1-abc-worker"
    assert result["swarm_facts"] == result["swarm"]
