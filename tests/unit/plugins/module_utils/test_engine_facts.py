# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""engine_info's pure logic: the engine's JSON shaped into stable facts (no daemon)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.engine.facts import (
    container_facts,
    disk_usage_summary,
    engine_facts,
    image_summary,
    network_summary,
    swarm_facts,
    volume_summary,
)

VERSION = {"Version": "20.10.24+dfsg1", "ApiVersion": "1.41", "MinAPIVersion": "1.12", "Os": "linux", "Arch": "amd64"}
INFO = {
    "Name": "node1",
    "Driver": "overlay2",
    "CgroupDriver": "systemd",
    "CgroupVersion": "2",
    "LoggingDriver": "json-file",
    "DockerRootDir": "/var/lib/docker",
    "Containers": 3,
    "ContainersRunning": 2,
    "Swarm": {"LocalNodeState": "inactive", "NodeID": "", "ControlAvailable": False},
}


def test_engine_facts_versions_and_drivers():
    facts = engine_facts(VERSION, INFO)
    assert facts["version"] == "20.10.24+dfsg1"
    assert facts["api_version"] == "1.41"
    assert facts["storage_driver"] == "overlay2"
    assert facts["cgroup_driver"] == "systemd"
    assert facts["cgroup_version"] == "2"
    assert facts["live_restore_enabled"] is False
    assert facts["containers_running"] == 2


def test_engine_facts_old_engine_without_cgroup_version():
    info = dict(INFO)
    del info["CgroupVersion"]
    assert engine_facts(VERSION, info)["cgroup_version"] is None


def test_swarm_inactive():
    facts = swarm_facts(INFO)
    assert facts["state"] == "inactive"
    assert facts["role"] == "none"
    assert facts["node_id"] is None
    assert facts["cluster_id"] is None
    assert facts["managers"] is None


def test_swarm_missing_section_is_inactive():
    assert swarm_facts({})["state"] == "inactive"


def test_swarm_manager():
    info = {
        "Swarm": {
            "LocalNodeState": "active",
            "NodeID": "n1",
            "NodeAddr": "10.0.0.1",
            "ControlAvailable": True,
            "Cluster": {"ID": "c1"},
            "Managers": 3,
            "Nodes": 5,
            "RemoteManagers": [{"NodeID": "n1", "Addr": "10.0.0.1:2377"}],
        }
    }
    facts = swarm_facts(info)
    assert facts["role"] == "manager" and facts["is_manager"] is True
    assert facts["cluster_id"] == "c1"
    assert facts["managers"] == 3 and facts["nodes"] == 5
    assert facts["remote_managers"] == ["10.0.0.1:2377"]


def test_swarm_worker_has_no_cluster_id():
    info = {"Swarm": {"LocalNodeState": "active", "NodeID": "n2", "ControlAvailable": False}}
    facts = swarm_facts(info)
    assert facts["role"] == "worker" and facts["is_manager"] is False
    assert facts["cluster_id"] is None


@pytest.mark.parametrize("state", ["pending", "locked", "error"])
def test_swarm_not_active_states_have_no_role(state):
    facts = swarm_facts({"Swarm": {"LocalNodeState": state, "NodeID": "n3", "ControlAvailable": False}})
    assert facts["state"] == state
    assert facts["role"] == "none"


def test_container_facts_restart_data():
    inspect = {
        "Id": "abc",
        "Name": "/web",
        "Image": "sha256:1",
        "RestartCount": 4,
        "Config": {"Image": "app:latest", "Labels": {"io.dockyard.managed": "true"}},
        "HostConfig": {"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 5}},
        "State": {"Status": "restarting", "Running": True, "ExitCode": 3},
    }
    facts = container_facts(inspect)
    assert facts["name"] == "web"
    assert facts["image"] == "app:latest"
    assert facts["state"] == "restarting"
    assert facts["restart_policy"] == "on-failure"
    assert facts["restart_retries"] == 5
    assert facts["restart_count"] == 4
    assert facts["exit_code"] == 3


def test_container_facts_empty_policy_is_no():
    facts = container_facts({"Name": "/x", "HostConfig": {"RestartPolicy": {"Name": "", "MaximumRetryCount": 0}}})
    assert facts["restart_policy"] == "no"
    assert facts["restart_count"] == 0


def test_disk_usage_summary():
    df = {"LayersSize": 10, "Images": [{"Size": 5, "Containers": 1}, {"Size": 7, "Containers": 0}],
          "Containers": [{"SizeRw": 3, "State": "running"}, {"SizeRw": -1, "State": "exited"}],
          "Volumes": [{"UsageData": {"Size": 4, "RefCount": 0}}], "BuildCache": None}
    assert disk_usage_summary(df) == {
        "layers_size": 10,
        "images": {"count": 2, "active": 1, "size": 12},
        "containers": {"count": 2, "active": 1, "size": 3},
        "volumes": {"count": 1, "active": 0, "size": 4},
        "build_cache": {"count": 0, "active": 0, "size": 0},
    }


def test_summaries_keep_engine_keys():
    assert volume_summary({"Name": "v", "Driver": "local", "Labels": None})["Labels"] == {}
    assert image_summary({"Id": "i", "RepoTags": None})["RepoTags"] == []
    assert network_summary({"Name": "n"})["Name"] == "n"
