# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""community.docker.docker_swarm_service's swarm_service and changes, from an engine spec."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.dockyard.docker.plugins.module_utils.swarm import community_facts

# A spec as docker service inspect shows it for a service created by the CLI.
SPEC = {
    "Name": "web",
    "Labels": {"team": "a"},
    "TaskTemplate": {
        "ContainerSpec": {
            "Image": "app:1@sha256:" + "1" * 64, "Args": ["3600"], "Command": ["sleep"], "Env": ["A=1"],
            "Labels": {"c": "1"}, "Hosts": ["10.0.0.1 db", "registry:10.0.0.2"], "Init": True,
            "Healthcheck": {"Test": ["CMD", "true"], "Interval": 30000000000, "Retries": 3},
            "DNSConfig": {"Nameservers": ["10.0.0.53"], "Options": ["ndots:2"]},
            "Mounts": [{"Type": "volume", "Source": "data", "Target": "/data",
                        "VolumeOptions": {"DriverConfig": {"Name": "local", "Options": {"o": "x"}}}}],
            "Secrets": [{"SecretID": "s1", "SecretName": "pw",
                         "File": {"Name": "pw", "UID": "0", "GID": "0", "Mode": 256}}],
        },
        "Resources": {"Limits": {"NanoCPUs": 500000000, "MemoryBytes": 67108864}, "Reservations": {}},
        "RestartPolicy": {"Condition": "on-failure", "Delay": 5000000000, "MaxAttempts": 3},
        "Placement": {"Constraints": ["node.role==manager"], "Preferences": [{"Spread": {"SpreadDescriptor": "node.labels.az"}}],
                      "MaxReplicas": 1},
        "LogDriver": {"Name": "json-file", "Options": {"max-size": "1m"}},
        "Networks": [{"Target": "net1", "Aliases": ["web"]}],
        "ForceUpdate": 2,
    },
    "Mode": {"Replicated": {"Replicas": 2}},
    "UpdateConfig": {"Parallelism": 1, "Delay": 10000000000, "FailureAction": "pause", "Order": "stop-first"},
    "EndpointSpec": {"Mode": "vip", "Ports": [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080,
                                               "PublishMode": "ingress"}]},
}


def test_service_facts_under_community_names():
    facts = community_facts.service_facts(SPEC)
    assert facts["image"] == SPEC["TaskTemplate"]["ContainerSpec"]["Image"]
    assert facts["command"] == ["sleep"] and facts["args"] == ["3600"] and facts["env"] == ["A=1"]
    assert facts["labels"] == {"team": "a"} and facts["container_labels"] == {"c": "1"}
    assert facts["hosts"] == {"db": "10.0.0.1", "registry": "10.0.0.2"}
    assert facts["init"] is True and facts["tty"] is None
    assert facts["healthcheck"] == {"test": ["CMD", "true"], "interval": 30000000000, "retries": 3}
    assert facts["healthcheck_disabled"] is False
    assert facts["dns"] == ["10.0.0.53"] and facts["dns_options"] == ["ndots:2"] and facts["dns_search"] is None
    assert facts["mounts"] == [{"source": "data", "type": "volume", "target": "/data", "readonly": None,
                                "propagation": None, "no_copy": None, "labels": None,
                                "driver_config": {"name": "local", "options": {"o": "x"}},
                                "tmpfs_mode": None, "tmpfs_size": None}]
    assert facts["secrets"] == [{"secret_id": "s1", "secret_name": "pw", "filename": "pw", "uid": "0", "gid": "0",
                                 "mode": 256}]
    assert facts["configs"] is None
    assert facts["limit_cpu"] == 0.5 and facts["limit_memory"] == 67108864
    assert facts["reserve_cpu"] is None and facts["reserve_memory"] is None
    assert (facts["restart_policy"], facts["restart_policy_delay"], facts["restart_policy_attempts"],
            facts["restart_policy_window"]) == ("on-failure", 5000000000, 3, None)
    assert facts["constraints"] == ["node.role==manager"] and facts["replicas_max_per_node"] == 1
    assert facts["placement_preferences"] == [{"spread": "node.labels.az"}]
    assert facts["log_driver"] == "json-file" and facts["log_driver_options"] == {"max-size": "1m"}
    assert facts["networks"] == [{"id": "net1", "aliases": ["web"]}]
    assert facts["mode"] == "replicated" and facts["replicas"] == 2
    assert (facts["update_parallelism"], facts["update_delay"], facts["update_failure_action"],
            facts["update_order"], facts["update_monitor"]) == (1, 10000000000, "pause", "stop-first", None)
    assert facts["rollback_config"] is None
    assert facts["endpoint_mode"] == "vip"
    assert facts["publish"] == [{"protocol": "tcp", "mode": "ingress", "published_port": 8080, "target_port": 80}]
    assert facts["force_update"] is None


def test_service_facts_have_every_community_key():
    """The keys community.docker 4.8.5 returns in swarm_service (its DockerService.get_facts)."""
    expected = {
        "args", "cap_add", "cap_drop", "command", "configs", "constraints", "container_labels", "dns", "dns_options",
        "dns_search", "endpoint_mode", "env", "force_update", "groups", "healthcheck", "healthcheck_disabled",
        "hostname", "hosts", "image", "init", "labels", "limit_cpu", "limit_memory", "log_driver",
        "log_driver_options", "mode", "mounts", "networks", "placement_preferences", "publish", "read_only",
        "replicas", "replicas_max_per_node", "reserve_cpu", "reserve_memory", "restart_policy",
        "restart_policy_attempts", "restart_policy_delay", "restart_policy_window", "rollback_config", "secrets",
        "stop_grace_period", "stop_signal", "sysctls", "tty", "update_delay", "update_failure_action",
        "update_max_failure_ratio", "update_monitor", "update_order", "update_parallelism", "user", "working_dir",
    }
    assert set(community_facts.service_facts(SPEC)) == expected
    assert community_facts.service_facts({}) == {}


def test_job_and_global_modes():
    assert community_facts.service_facts({"Mode": {"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 4}}})[
        "replicas"] == 4
    facts = community_facts.service_facts({"Mode": {"Global": {}}})
    assert facts["mode"] == "global" and facts["replicas"] is None
    assert community_facts.service_facts({"TaskTemplate": {"ContainerSpec": {"Healthcheck": {"Test": ["NONE"]}}}})[
        "healthcheck_disabled"] is True


def test_changes_name_what_changed_as_community_does():
    changes = community_facts.changes
    assert changes(["Mode.Replicated.Replicas", "TaskTemplate.ContainerSpec.Env"]) == ["env", "replicas"]
    assert changes(["Mode.Global"]) == ["mode"]
    assert changes(["TaskTemplate.Resources.Limits.NanoCPUs"]) == ["limit_cpu"]
    assert changes(["TaskTemplate.Resources.Limits"]) == ["limit_cpu", "limit_memory"]
    assert changes(["TaskTemplate.ContainerSpec.Mounts", "TaskTemplate.ContainerSpec.DNSConfig.Options"]) == [
        "dns_options", "mounts"]
    assert changes(["TaskTemplate.ContainerSpec.Healthcheck"]) == ["healthcheck"]
    assert changes(["UpdateConfig.Delay", "RollbackConfig.Order"]) == ["rollback_config", "update_delay"]
    # a forced update is not a change of an attribute; a setting community.docker does not have keeps its path
    assert changes(["TaskTemplate.ForceUpdate"]) == []
    assert changes(["TaskTemplate.ContainerSpec.Ulimits"]) == ["TaskTemplate.ContainerSpec.Ulimits"]
