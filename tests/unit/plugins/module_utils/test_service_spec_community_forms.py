# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""community.docker's docker_swarm_service forms give the same service spec as ours."""

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import (
    SpecError,
    build_spec,
    differences,
)


def spec(**params):
    params.setdefault("name", "web")
    params.setdefault("image", "app:1")
    return build_spec(params, secret_ids={"db": "sec1"}, config_ids={"conf": "cfg1"})


def container(built):
    return built["TaskTemplate"]["ContainerSpec"]


@pytest.mark.parametrize("mode, expected", [(0o400, 0o400), (256, 0o400), ("0400", 0o400), ("400", 0o400)])
def test_secret_mode_as_an_int_is_the_mode_itself(mode, expected):
    built = spec(secrets=[{"secret_name": "db", "mode": mode}])
    assert container(built)["Secrets"][0]["File"]["Mode"] == expected


def test_secret_and_config_ids_are_accepted_when_they_match():
    built = spec(secrets=[{"secret_name": "db", "secret_id": "sec1"}], configs=[{"config_name": "conf", "config_id": "cfg1"}])
    assert container(built)["Secrets"][0]["SecretID"] == "sec1"
    assert container(built)["Configs"][0]["ConfigID"] == "cfg1"
    with pytest.raises(SpecError, match="secrets\\[0\\]: secret_id other is not the ID of secret 'db'"):
        spec(secrets=[{"secret_name": "db", "secret_id": "other"}])


def test_top_level_limits_and_reservations_are_resources():
    ours = spec(resources={"limits": {"cpus": 0.5, "memory": "64m"}, "reservations": {"memory": "32m"}})
    theirs = spec(limits={"cpus": 0.5, "memory": "64m"}, reservations={"memory": "32m"})
    assert ours == theirs
    with pytest.raises(SpecError, match="limits and resources.limits are the same setting"):
        spec(limits={"cpus": 1}, resources={"limits": {"cpus": 1}})


def test_driver_config_is_driver_and_driver_opts():
    ours = spec(mounts=[{"source": "v", "target": "/v", "driver": "local", "driver_opts": {"type": "tmpfs"}}])
    theirs = spec(mounts=[{"source": "v", "target": "/v", "driver_config": {"name": "local", "options": {"type": "tmpfs"}}}])
    assert ours == theirs
    with pytest.raises(SpecError, match="driver_config and driver/driver_opts"):
        spec(mounts=[{"source": "v", "target": "/v", "driver": "x", "driver_config": {"name": "local"}}])


def test_a_tmpfs_source_is_passed_on_and_propagation_and_no_copy_are_set():
    built = spec(mounts=[{"source": "ignored", "target": "/t", "type": "tmpfs", "tmpfs_mode": 0o1777},
                         {"source": "/srv", "target": "/b", "type": "bind", "propagation": "rslave"},
                         {"source": "v", "target": "/v", "no_copy": True}])
    tmpfs, bind, volume = container(built)["Mounts"]
    assert tmpfs["Source"] == "ignored" and tmpfs["TmpfsOptions"]["Mode"] == 0o1777
    assert bind["BindOptions"] == {"Propagation": "rslave"}
    assert volume["VolumeOptions"] == {"NoCopy": True}
    with pytest.raises(SpecError, match="propagation applies to type bind only"):
        spec(mounts=[{"source": "v", "target": "/v", "propagation": "shared"}])


def test_dns_options_in_another_order_are_the_same():
    built = spec(dns_options=["ndots:2", "timeout:1"])
    current = {"TaskTemplate": {"ContainerSpec": dict(container(built), DNSConfig={"Options": ["timeout:1", "ndots:2"]})}}
    current["Name"] = "web"
    assert differences(built, current) == []


@pytest.mark.parametrize("command", [5, 1.5, True, {"a": 1}])
def test_a_command_that_is_not_text_or_a_list_is_refused(command):
    with pytest.raises(SpecError, match="command must be a string or a list of strings"):
        spec(command=command)


def test_mounts_in_another_order_are_the_same():
    built = spec(mounts=[{"source": "a", "target": "/a"}, {"source": "/srv", "target": "/b", "type": "bind"}])
    current = {"Name": "web", "TaskTemplate": {"ContainerSpec": dict(
        container(built), Mounts=list(reversed(container(built)["Mounts"])))}}
    assert differences(built, current) == []
