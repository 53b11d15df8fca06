# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import (
    SpecError,
    build_spec,
    differences,
    ipvs_refusal,
    ipvs_requirements,
    merge_spec,
    needs_recreate,
    parse_duration,
    parse_size,
)

NETS = {"appnet": "net123"}
SECRETS = {"db_pass": "sec1"}


def full_params(**over):
    params = dict(
        name="web",
        image="dockyard-lab/app:latest",
        command="/usr/local/bin/app-server",
        args=["--port", "8000"],
        mode="replicated",
        replicas=3,
        endpoint_mode="dnsrr",
        publish=[dict(published_port=8080, target_port=8000, mode="host")],
        networks=["appnet"],
        env=dict(COLOR="blue", DEBUG="true"),
        labels=dict(team="ops"),
        mounts=[
            dict(source="data", target="/data", type="volume", driver="local", driver_opts=dict(type="tmpfs")),
            dict(source="/etc/hosts", target="/h", type="bind", readonly=True),
            dict(target="/tmp/x", type="tmpfs", tmpfs_size="64m"),
        ],
        update_config=dict(parallelism=1, delay="2s", order="start-first", failure_action="rollback"),
        rollback_config=dict(parallelism=2, failure_action="pause"),
        restart_config=dict(condition="on-failure", max_attempts=3, delay="1s"),
        healthcheck=dict(test="true", interval="5s", retries=2),
        placement=dict(constraints=["node.role==worker"], preferences=[dict(spread="node.labels.zone")],
                       max_replicas=2),
        resources=dict(limits=dict(cpus=0.5, memory="128m"), reservations=dict(memory="64m")),
        secrets=[dict(secret_name="db_pass", filename="pw", mode="0400")],
    )
    params.update(over)
    return params


def build(**over):
    return build_spec(full_params(**over), NETS, SECRETS, {})


def test_durations_and_sizes():
    assert parse_duration("10s", "x") == 10 * 10 ** 9
    assert parse_duration("1m30s", "x") == 90 * 10 ** 9
    assert parse_duration("500ms", "x") == 5 * 10 ** 8
    assert parse_duration(3, "x") == 3 * 10 ** 9
    assert parse_duration("4", "x") == 4 * 10 ** 9
    with pytest.raises(SpecError, match="update_config.delay"):
        parse_duration("soon", "update_config.delay")
    assert parse_size("128m", "x") == 128 * 1024 ** 2
    assert parse_size("1g", "x") == 1024 ** 3
    assert parse_size(512, "x") == 512
    with pytest.raises(SpecError):
        parse_size("lots", "x")


def test_build_full_spec():
    spec = build()
    cs = spec["TaskTemplate"]["ContainerSpec"]
    assert cs["Command"] == ["/usr/local/bin/app-server"]
    assert cs["Env"] == ["COLOR=blue", "DEBUG=true"]
    assert cs["Mounts"][0]["VolumeOptions"]["DriverConfig"] == {"Name": "local", "Options": {"type": "tmpfs"}}
    assert cs["Mounts"][1]["ReadOnly"] is True
    assert cs["Mounts"][2]["TmpfsOptions"] == {"SizeBytes": 64 * 1024 ** 2}
    assert cs["Healthcheck"]["Test"] == ["CMD-SHELL", "true"]
    assert cs["Secrets"] == [{"File": {"Name": "pw", "UID": "0", "GID": "0", "Mode": 0o400},
                              "SecretID": "sec1", "SecretName": "db_pass"}]
    assert spec["Mode"] == {"Replicated": {"Replicas": 3}}
    assert spec["UpdateConfig"] == {"Parallelism": 1, "Delay": 2 * 10 ** 9, "Order": "start-first",
                                    "FailureAction": "rollback"}
    assert spec["EndpointSpec"] == {"Mode": "dnsrr", "Ports": [
        {"Protocol": "tcp", "TargetPort": 8000, "PublishedPort": 8080, "PublishMode": "host"}]}
    assert spec["TaskTemplate"]["Networks"] == [{"Target": "net123"}]
    assert spec["TaskTemplate"]["Placement"]["Preferences"] == [{"Spread": {"SpreadDescriptor": "node.labels.zone"}}]
    assert spec["TaskTemplate"]["Resources"]["Limits"] == {"NanoCPUs": 500000000, "MemoryBytes": 128 * 1024 ** 2}


@pytest.mark.parametrize("over,match", [
    (dict(replicas=-1), "replicas must be an integer >= 0"),
    (dict(mode="global", replicas=3), "replicas cannot be used with mode: global"),
    (dict(mode="sometimes", replicas=None), "mode 'sometimes' is not valid. Accepted values: replicated, global"),
    (dict(update_config=dict(order="sideways")),
     r"update_config.order 'sideways' is not valid. Accepted values: stop-first, start-first"),
    (dict(rollback_config=dict(failure_action="rollback")), "rollback_config.failure_action"),
    (dict(update_config=dict(max_failure_ratio=2)), "max_failure_ratio must be between 0 and 1"),
    (dict(endpoint_mode="roundrobin"), "endpoint_mode 'roundrobin' is not valid. Accepted values: vip, dnsrr"),
    (dict(publish=[dict(target_port=80, mode="bridge")]), r"publish\[0\].mode"),
    (dict(publish=[dict(target_port=80)]), "dnsrr cannot publish through the ingress"),
    (dict(publish=[dict(published_port=80)]), r"publish\[0\].target_port is required"),
    (dict(mounts=[dict(target="/x", type="bind")]), "bind mount needs source"),
    (dict(mounts=[dict(target="/x", type="tmpfs", driver="local")]), "apply to type volume only"),
    (dict(mounts=[dict(target="/x", type="nfs")]), r"mounts\[0\].type"),
    (dict(networks=["nope"]), "network 'nope' does not exist"),
    (dict(secrets=[dict(secret_name="missing")]), "secret 'missing' does not exist"),
    (dict(restart_config=dict(condition="always")), "restart_config.condition 'always' is not valid"),
    (dict(placement=dict(preferences=[dict(pack="x")])), "placement.preferences"),
    (dict(env=["NOEQUALS"]), "KEY=VALUE"),
])
def test_bad_inputs(over, match):
    with pytest.raises(SpecError, match=match):
        build(**over)


def test_global_mode():
    spec = build(mode="global", replicas=None)
    assert spec["Mode"] == {"Global": {}}


def engine_view(spec):
    """Roughly what the engine returns for a spec: defaults filled, empty values dropped, digest pinned."""
    current = merge_spec({}, spec)
    current["TaskTemplate"]["ContainerSpec"]["Image"] += "@sha256:abc"
    current["TaskTemplate"]["ContainerSpec"]["Env"] = list(reversed(current["TaskTemplate"]["ContainerSpec"]["Env"]))
    current["TaskTemplate"]["ContainerSpec"]["Mounts"][0].pop("ReadOnly")  # omitempty
    current["TaskTemplate"]["ForceUpdate"] = 0
    current["TaskTemplate"]["Runtime"] = "container"
    current["UpdateConfig"]["MaxFailureRatio"] = 0
    current["UpdateConfig"]["Monitor"] = 5 * 10 ** 9
    current["RollbackConfig"]["Order"] = "stop-first"
    return current


def test_same_spec_no_difference():
    desired = build()
    assert differences(desired, engine_view(desired)) == []


def test_changed_env_is_a_difference_and_merge_applies_it():
    current = engine_view(build())
    desired = build(env=dict(COLOR="green", DEBUG="true"))
    assert differences(desired, current) == ["TaskTemplate.ContainerSpec.Env"]
    merged = merge_spec(current, desired)
    assert merged["TaskTemplate"]["ContainerSpec"]["Env"] == ["COLOR=green", "DEBUG=true"]
    # unmanaged engine fields survive the merge
    assert merged["TaskTemplate"]["Runtime"] == "container"
    assert merged["UpdateConfig"]["Monitor"] == 5 * 10 ** 9
    assert differences(desired, merged) == []


def test_unspecified_options_not_compared():
    current = engine_view(build())
    desired = build_spec(dict(name="web", image="dockyard-lab/app:latest", replicas=3), NETS, SECRETS, {})
    assert differences(desired, current) == []


def test_labels_compared_as_a_whole():
    current = engine_view(build())
    desired = build(labels=dict())
    assert differences(desired, current) == ["Labels"]
    current["Labels"]["extra"] = "1"
    assert "Labels" in differences(build(), current)


def test_replicas_and_ports_changes():
    current = engine_view(build())
    assert differences(build(replicas=5), current) == ["Mode.Replicated.Replicas"]
    assert differences(build(publish=[]), current) == ["EndpointSpec.Ports"]
    assert differences(build(update_config=dict(order="stop-first")), current) == ["UpdateConfig.Order"]


def test_scaling_to_zero_replicas_is_a_difference():
    current = engine_view(build())
    desired = build(replicas=0)
    assert desired["Mode"] == {"Replicated": {"Replicas": 0}}
    assert differences(desired, current) == ["Mode.Replicated.Replicas"]
    assert merge_spec(current, desired)["Mode"] == {"Replicated": {"Replicas": 0}}


def test_a_changed_monitor_alone_is_rolled_out():
    rollout = dict(parallelism=1, delay="2s", order="start-first", failure_action="rollback")
    current = engine_view(build(update_config=dict(rollout, monitor="5s")))
    desired = build(update_config=dict(rollout, monitor="30s"))
    assert desired["UpdateConfig"]["Monitor"] == 30 * 10 ** 9
    assert differences(desired, current) == ["UpdateConfig.Monitor"]
    assert merge_spec(current, desired)["UpdateConfig"]["Monitor"] == 30 * 10 ** 9
    assert differences(build(update_config=dict(rollout, monitor="5s")), current) == []
    rollback = build(rollback_config=dict(parallelism=2, failure_action="pause", monitor="1m"))
    assert rollback["RollbackConfig"]["Monitor"] == 60 * 10 ** 9
    assert differences(rollback, current) == ["RollbackConfig.Monitor"]


def test_placement_constraints_in_another_order_are_the_same():
    constraints = ["node.role==worker", "node.labels.zone==a"]
    current = engine_view(build())
    # as docker service create --constraint ... --constraint ... stores them: in the order given
    current["TaskTemplate"]["Placement"]["Constraints"] = list(constraints)
    assert differences(build(placement=dict(constraints=list(reversed(constraints)))), current) == []
    assert differences(build(placement=dict(constraints=constraints)), current) == []
    changed = build(placement=dict(constraints=["node.role==manager", "node.labels.zone==a"]))
    assert differences(changed, current) == ["TaskTemplate.Placement.Constraints"]


def test_mode_change_needs_recreate():
    current = engine_view(build())
    desired = build(mode="global", replicas=None)
    assert "replicated to global" in needs_recreate(desired, current)
    assert needs_recreate(build(), current) is None


def test_ipvs_requirements():
    dnsrr_host = build()
    assert ipvs_requirements(dnsrr_host) == []
    vip = build(endpoint_mode="vip", publish=[dict(published_port=8080, target_port=8000)])
    reasons = ipvs_requirements(vip)
    assert any("ingress" in r and "8080/tcp" in r for r in reasons)
    assert any("vip" in r for r in reasons)
    default_mode = build(endpoint_mode=None, publish=None)
    assert ipvs_requirements(default_mode)  # vip by default with a network
    lonely = build_spec(dict(name="x", image="i"))
    assert ipvs_requirements(lonely) == []
    msg = ipvs_refusal(reasons, "node1")
    assert "endpoint_mode: dnsrr" in msg and "mode: host" in msg and "ip_vs" in msg
    assert "ignore_ipvs_check" in msg


def test_mode_left_out_keeps_the_existing_mode():
    current = engine_view(build(mode="global", replicas=None))
    desired = build_spec(dict(name="web", image="dockyard-lab/app:latest"))
    assert "Mode" not in desired
    assert needs_recreate(desired, current) is None
    assert differences(desired, current) == []
    assert merge_spec(current, desired)["Mode"] == {"Global": {}}
    assert build_spec(dict(name="web", replicas=2))["Mode"] == {"Replicated": {"Replicas": 2}}
