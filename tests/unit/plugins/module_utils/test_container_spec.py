# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Container option parsing, the create request and desired-vs-engine comparison."""

import copy

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.parsing.forms import (
    format_ports,
    parse_port,
    parse_ports,
    parse_volume,
    parse_volumes,
    validate_name,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import (
    DEFAULT_OWNER,
    NAME_LABEL,
    OWNER_LABEL,
    OWNER_SCOPE_LABEL,
    RECREATE,
    UPDATE,
    SpecError,
    parse_spec,
)
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import (
    cpus as parse_cpus,
    duration as parse_duration,
    size as parse_size,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import Context

# --------------------------------------------------------------------------- ports


@pytest.mark.parametrize(
    "item, expected",
    [
        ("80", [("80/tcp", "", "")]),
        (80, [("80/tcp", "", "")]),
        ("8080:80", [("80/tcp", "", "8080")]),
        ("127.0.0.1:53:53/udp", [("53/udp", "127.0.0.1", "53")]),
        ("127.0.0.1::80", [("80/tcp", "127.0.0.1", "")]),
        ("[::1]:8080:80", [("80/tcp", "::1", "8080")]),
        ("9000-9001:9000-9001/sctp", [("9000/sctp", "", "9000"), ("9001/sctp", "", "9001")]),
        ("53/UDP", [("53/udp", "", "")]),
    ],
)
def test_parse_port(item, expected):
    assert parse_port(item) == expected


@pytest.mark.parametrize(
    "item",
    ["80:80:80:80", "abc", "8080:", "0:80", "70000:80", "80/icmp", "300.1.1.1:80:80", "9000-9002:9000-9001",
     "", "[::1]80:80", "8080-8079:80"],
)
def test_bad_ports_name_the_option_and_the_forms(item):
    with pytest.raises(SpecError) as err:
        parse_port(item)
    assert "published_ports" in str(err.value)
    assert repr(item) in str(err.value) or "protocol" in str(err.value)


def test_bad_port_message_lists_accepted_forms():
    with pytest.raises(SpecError) as err:
        parse_port("80:80:80:80")
    msg = str(err.value)
    assert "published_ports item '80:80:80:80'" in msg
    assert "127.0.0.1:53:53/udp" in msg and "8080:80" in msg


def test_ports_roundtrip_display():
    ports = parse_ports(["8080:80", "127.0.0.1:53:53/udp", "443", "[::1]:9000:9000"])
    assert format_ports(ports) == ["443/tcp", "127.0.0.1:53:53/udp", "8080:80/tcp", "[::1]:9000:9000/tcp"]
    assert parse_ports(None) is None


# --------------------------------------------------------------------------- volumes


@pytest.mark.parametrize(
    "item, expected",
    [
        ("data:/var/lib/x", ("volume", "data", "/var/lib/x", "rw")),
        ("/host:/c:ro", ("bind", "/host", "/c", "ro")),
        ("/host/:/c/:ro,z", ("bind", "/host", "/c", "ro,z")),
        ("/cache", ("anonymous", None, "/cache", "rw")),
        ("data:/x:nocopy", ("volume", "data", "/x", "rw,nocopy")),
    ],
)
def test_parse_volume(item, expected):
    assert parse_volume(item) == expected


@pytest.mark.parametrize(
    "item, fragment",
    [
        ("data:relative", "absolute"),
        ("./here:/c", "neither an absolute host path nor a volume name"),
        ("/a:/b:rx", "mode 'rx'"),
        ("/a:/b:ro,rw", "both ro and rw"),
        ("a:/b:ro:x", "not valid"),
    ],
)
def test_bad_volumes(item, fragment):
    with pytest.raises(SpecError) as err:
        parse_volume(item)
    assert "volumes item" in str(err.value) and fragment in str(err.value)


def test_parse_volumes_splits_binds_and_anonymous():
    binds, anon = parse_volumes(["data:/d", "/etc/x:/x:ro", "/tmpdata", "data:/d"])
    assert binds == ["/etc/x:/x:ro", "data:/d:rw"]
    assert anon == ["/tmpdata"]


# --------------------------------------------------------------------------- sizes, cpus, durations, names


@pytest.mark.parametrize(
    "value, expected",
    [("512m", 512 * 1024 ** 2), ("512M", 512 * 1024 ** 2), ("1g", 1024 ** 3), ("1.5g", int(1.5 * 1024 ** 3)),
     ("100k", 102400), ("1024", 1024), (2048, 2048), ("64mb", 64 * 1024 ** 2), ("0", 0), (None, None)],
)
def test_parse_size(value, expected):
    assert parse_size(value, "memory") == expected


@pytest.mark.parametrize("value", ["lots", "12x", "-1m", "m", "1.2.3g", True])
def test_bad_sizes(value):
    with pytest.raises(SpecError) as err:
        parse_size(value, "memory")
    assert str(err.value).startswith("memory ")
    assert "512m" in str(err.value)


def test_parse_cpus():
    assert parse_cpus(0.5, "cpus") == 500000000
    assert parse_cpus("2", "cpus") == 2000000000
    assert parse_cpus(None, "cpus") is None
    for bad in ("many", -1, True):
        with pytest.raises(SpecError) as err:
            parse_cpus(bad, "cpus")
        assert "cpus" in str(err.value)


@pytest.mark.parametrize(
    "value, expected",
    [("30s", 30 * 10 ** 9), ("1m30s", 90 * 10 ** 9), ("500ms", 5 * 10 ** 8), ("2h", 7200 * 10 ** 9), (10, 10 ** 10),
     ("5", 5 * 10 ** 9)],
)
def test_parse_duration(value, expected):
    assert parse_duration(value, "healthcheck.interval") == expected


@pytest.mark.parametrize("value", ["soon", "10x", "1m-3s", "", "s"])
def test_bad_durations(value):
    with pytest.raises(SpecError) as err:
        parse_duration(value, "healthcheck.interval")
    assert "healthcheck.interval" in str(err.value)


@pytest.mark.parametrize("name", ["web", "web-1", "a.b_c", "/web"])
def test_valid_names(name):
    assert validate_name(name) == name.lstrip("/")


@pytest.mark.parametrize("name", ["dev/web", "a", "-web", "web app", "", None, "we$b", "/a/b"])
def test_invalid_names(name):
    with pytest.raises(SpecError) as err:
        validate_name(name)
    assert str(err.value).startswith("name ")
    assert "[a-zA-Z0-9_.-]" in str(err.value)


# --------------------------------------------------------------------------- spec validation


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"restart_policy": "sometimes"}, "restart_policy 'sometimes' is not valid"),
        ({"restart_policy": "on-failure:abc"}, "restart_policy 'on-failure:abc'"),
        ({"restart_policy": "on-failure:-1"}, "restart_policy 'on-failure:-1'"),
        ({"restart_policy": "always", "restart_retries": 2}, "restart_retries is only valid"),
        ({"published_ports": ["80:80:80:80"]}, "published_ports item '80:80:80:80'"),
        ({"memory": "lots"}, "memory 'lots' is not a size"),
        ({"name": "a/b"}, "name 'a/b' is not a valid container name"),
        ({"env": {"DEBUG": True}}, "env.DEBUG is the boolean"),
        ({"log_options": {"max-size": "1m"}}, "log_options needs log_driver"),
        ({"state": "running"}, "state 'running'"),
        ({"healthcheck": {"test": "true", "every": "1s"}}, "healthcheck: unknown keys every"),
        ({"networks": [{"name": "a"}, {"name": "a"}]}, "networks: each network may be listed once"),
        ({"networks": [{"name": "a"}], "network_mode": "host"}, "networks cannot be combined"),
        ({"stop_timeout": -2}, "stop_timeout"),
    ],
)
def test_spec_validation_names_the_option(params, fragment):
    base = {"name": "web", "image": "app:1"}
    base.update(params)
    with pytest.raises(SpecError) as err:
        parse_spec(base)
    assert fragment in str(err.value)


# --------------------------------------------------------------------------- create config


def test_create_config():
    spec = parse_spec(dict(
        name="web", image="app:1", command="app-server --port 8000", env={"A": 1, "B": "x"},
        published_ports=["127.0.0.1:53:53/udp", "8080:8000"], volumes=["data:/data", "/etc/x:/x:ro", "/cache"],
        restart_policy="on-failure:3", memory="64m", cpus=0.5, labels={"tier": "web"}, stop_timeout=3,
        healthcheck={"test": "curl -f localhost", "interval": "10s", "retries": 2},
        networks=[{"name": "front", "aliases": ["w"]}, {"name": "back", "ipv4_address": "10.1.0.5"}],
        log_driver="json-file", log_options={"max-size": "1m"},
    ))
    config = spec.create_config()
    host = config["HostConfig"]
    assert config["Image"] == "app:1"
    assert config["Cmd"] == ["app-server", "--port", "8000"]
    assert config["Env"] == ["A=1", "B=x"]
    assert config["Labels"] == {"tier": "web", OWNER_LABEL: "true", NAME_LABEL: "web", OWNER_SCOPE_LABEL: "default"}
    assert config["StopTimeout"] == 3
    assert config["ExposedPorts"] == {"53/udp": {}, "8000/tcp": {}}
    assert config["Volumes"] == {"/cache": {}}
    assert config["Healthcheck"] == {"Test": ["CMD-SHELL", "curl -f localhost"], "Interval": 10 ** 10, "Retries": 2}
    assert host["PortBindings"] == {"53/udp": [{"HostIp": "127.0.0.1", "HostPort": "53"}],
                                    "8000/tcp": [{"HostIp": "", "HostPort": "8080"}]}
    assert host["Binds"] == ["/etc/x:/x:ro", "data:/data:rw"]
    assert host["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}
    assert host["Memory"] == 64 * 1024 ** 2
    assert host["NanoCpus"] == 500000000
    assert host["LogConfig"] == {"Type": "json-file", "Config": {"max-size": "1m"}}
    assert host["NetworkMode"] == "front"
    assert config["NetworkingConfig"] == {"EndpointsConfig": {"front": {"Aliases": ["w"]}}}
    assert spec.extra_networks() == [{"name": "back", "aliases": [], "ipv4_address": "10.1.0.5", "ipv6_address": None,
                                      "links": [], "mac_address": None, "driver_opts": None}]


def test_every_created_container_is_labelled_as_ours_with_its_name_and_owner():
    assert parse_spec({"name": "x1", "image": "a"}).create_config()["Labels"] == {
        OWNER_LABEL: "true", NAME_LABEL: "x1", OWNER_SCOPE_LABEL: DEFAULT_OWNER}
    labels = parse_spec({"name": "x1", "image": "a", "owner": "shop.api-2"}).create_config()["Labels"]
    assert labels[OWNER_SCOPE_LABEL] == "shop.api-2"
    # The user's labels cannot take the place of this collection's own.
    labels = parse_spec({"name": "x1", "image": "a", "labels": {NAME_LABEL: "web", OWNER_SCOPE_LABEL: "x"}}
                        ).create_config()["Labels"]
    assert labels[NAME_LABEL] == "x1" and labels[OWNER_SCOPE_LABEL] == DEFAULT_OWNER


@pytest.mark.parametrize("owner", ["", "-x", "a b", "a/b", "x\n", "é", "a" * 129, 5])
def test_a_bad_owner_is_refused_naming_the_option(owner):
    with pytest.raises(SpecError) as err:
        parse_spec({"name": "x1", "image": "a", "owner": owner})
    assert str(err.value).startswith("owner ") and "[A-Za-z0-9_.-]" in str(err.value)


@pytest.mark.parametrize("labels", [
    {OWNER_LABEL: "true"},  # created by a version that wrote the ownership label only
    {OWNER_LABEL: "true", NAME_LABEL: "web", OWNER_SCOPE_LABEL: "default"},
    {OWNER_LABEL: "true", NAME_LABEL: "web", OWNER_SCOPE_LABEL: "someone-else"},
], ids=["older-version", "same-owner", "other-owner"])
@pytest.mark.parametrize("owner", [None, "shop"])
def test_this_collections_labels_are_never_a_difference(labels, owner):
    inspect = engine_view(Config__Labels=dict(labels, tier="web", **{"from.image": "x"}))
    params = dict(BASE, owner=owner, comparisons={"labels": "strict"})
    assert diffs(params, inspect) == {}
    assert diffs(dict(params, labels={}), inspect) == {"labels": RECREATE}


# --------------------------------------------------------------------------- comparison

IMAGE_ID = "sha256:" + "a" * 64


def engine_view(**over):
    """Inspect data shaped like the engine's for a container created from ``spec``-like options."""
    inspect = {
        "Id": "c" * 64,
        "Image": IMAGE_ID,
        "State": {"Status": "running", "Running": True, "Restarting": False},
        "RestartCount": 0,
        "Config": {
            "Cmd": ["app-server"],
            "Env": ["PATH=/usr/bin", "A=1"],
            "Labels": {"tier": "web", OWNER_LABEL: "true", "from.image": "x"},
            "Hostname": "4c5d",
            "StopTimeout": 3,
            "Volumes": {"/cache": {}},
        },
        "HostConfig": {
            "Binds": ["data:/data:rw"],
            "PortBindings": {"8000/tcp": [{"HostIp": "", "HostPort": "8080"}]},
            "RestartPolicy": {"Name": "always", "MaximumRetryCount": 0},
            "Memory": 64 * 1024 ** 2,
            "NanoCpus": 0,
            "NetworkMode": "default",
            "LogConfig": {"Type": "json-file", "Config": {}},
        },
        "NetworkSettings": {"Networks": {"bridge": {"Aliases": None, "IPAMConfig": None}}},
    }
    for path, value in over.items():
        section, _sep, key = path.partition("__")
        if key:
            inspect[section][key] = value
        else:
            inspect[section] = value
    return inspect


BASE = dict(name="web", image="app:1", command=["app-server"], env={"A": "1"}, labels={"tier": "web"},
            published_ports=["8080:8000"], volumes=["data:/data", "/cache"], restart_policy="always",
            memory="64m", stop_timeout=3)


# The image the container was created from: its own variables and labels are not the user's.
IMAGE = {"Id": IMAGE_ID, "Config": {"Env": ["PATH=/usr/bin"], "Labels": {"from.image": "x"}}}


def diffs(params, inspect, image_id=IMAGE_ID):
    spec = parse_spec(params)
    return dict((d.option, d.kind) for d in spec.compare(inspect, image_id, Context(spec, IMAGE)))


def test_identical_has_no_difference():
    assert diffs(BASE, engine_view()) == {}


def test_only_options_the_user_set_are_compared():
    # Nothing but the name and image: every other engine setting is someone else's business.
    assert diffs({"name": "web", "image": "app:1"}, engine_view()) == {}
    # The image's own variables and labels are not compared; volumes beyond the ones given are ignored.
    assert diffs({"name": "web", "env": {"A": "1"}, "labels": {"tier": "web"}}, engine_view()) == {}


def test_a_variable_or_label_removed_from_the_task_is_left_alone_as_community_docker_does():
    assert diffs({"name": "web", "env": {}}, engine_view()) == {}
    assert diffs({"name": "web", "labels": {}}, engine_view()) == {}


@pytest.mark.parametrize("comparisons", [{"env": "strict", "labels": "strict"}, {"*": "strict"}])
def test_strict_comparisons_notice_a_variable_or_label_removed_from_the_task(comparisons):
    assert diffs({"name": "web", "env": {}, "labels": {}, "comparisons": comparisons},
                 engine_view()) == {"env": RECREATE, "labels": RECREATE}


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"restart_policy": "unless-stopped"}, {"restart_policy": UPDATE}),
        ({"restart_policy": "on-failure:3"}, {"restart_policy": UPDATE}),
        ({"memory": "128m"}, {"memory": UPDATE}),
        ({"cpus": 1.5}, {"cpus": UPDATE}),
        ({"memory": "0"}, {"memory": RECREATE}),  # removing a limit cannot be done live
        ({"env": {"A": "2"}}, {"env": RECREATE}),
        ({"env": {"NEW": "x"}}, {"env": RECREATE}),
        ({"labels": {"tier": "db"}}, {"labels": RECREATE}),
        ({"published_ports": ["8081:8000"]}, {"published_ports": RECREATE}),
        ({"volumes": ["other:/data", "/cache"]}, {"volumes": RECREATE}),
        ({"volumes": ["data:/data:ro", "/cache"]}, {"volumes": RECREATE}),
        ({"command": "app-server --verbose"}, {"command": RECREATE}),
        ({"stop_timeout": 10}, {}),  # not compared unless comparisons asks for it
        ({"stop_timeout": 10, "comparisons": {"stop_timeout": "strict"}}, {"stop_timeout": RECREATE}),
        ({"hostname": "web"}, {"hostname": RECREATE}),
        ({"restart_policy": "no", "env": {"A": "3"}}, {"restart_policy": UPDATE, "env": RECREATE}),
        ({"network_mode": "bridge"}, {}),
        ({"network_mode": "host"}, {"network_mode": RECREATE}),
        ({"log_driver": "json-file"}, {}),
        ({"log_driver": "local"}, {"log_driver": RECREATE}),
        ({"networks": [{"name": "bridge"}]}, {}),
        ({"networks": [{"name": "front"}]}, {"networks": RECREATE}),
    ],
)
def test_differences_are_classified(change, expected):
    params = copy.deepcopy(BASE)
    params.update(change)
    assert diffs(params, engine_view()) == expected


def test_image_compared_by_id():
    assert diffs(BASE, engine_view(), image_id="sha256:" + "b" * 64) == {"image": RECREATE}
    # not yet pulled (check mode): the reference differs from any ID
    assert diffs(BASE, engine_view(), image_id=None) == {"image": RECREATE}


def test_engine_default_restart_policy_is_no():
    inspect = engine_view(HostConfig__RestartPolicy={"Name": "", "MaximumRetryCount": 0})
    assert diffs({"name": "web", "restart_policy": "no"}, inspect) == {}
    assert diffs({"name": "web", "restart_policy": False}, inspect) == {}
    assert diffs({"name": "web", "restart_policy": "always"}, inspect) == {"restart_policy": UPDATE}


def test_update_body_only_carries_live_changes():
    params = dict(BASE, restart_policy="on-failure", restart_retries=2, memory="128m")
    spec = parse_spec(params)
    body = spec.update_body(spec.compare(engine_view(), IMAGE_ID, Context(spec, IMAGE)))
    assert body == {"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 2},
                    "Memory": 128 * 1024 ** 2, "MemorySwap": 256 * 1024 ** 2}


def test_diff_views_show_user_form():
    spec = parse_spec(dict(BASE, restart_policy="on-failure:3"))
    before, after = spec.actual_view(engine_view()), spec.desired_view(IMAGE_ID)
    assert before["restart_policy"] == "always" and after["restart_policy"] == "on-failure:3"
    assert after["published_ports"] == ["8080:8000/tcp"] == before["published_ports"]
    assert after["memory"] == before["memory"] == 64 * 1024 ** 2


# --------------------------------------------------------------------------- network_mode container:NAME


def _joined(peer_id):
    return {"Config": {"Labels": {}}, "HostConfig": {"NetworkMode": "container:" + peer_id}}


def test_network_mode_container_name_matches_the_peer_id_the_engine_stores():
    spec = parse_spec(dict(name="sidecar", image="img", network_mode="container:web"))
    ctx = Context(spec, peers={"web": "a" * 64})
    assert [d for d in spec.compare(_joined("a" * 64), ctx=ctx) if d.option == "network_mode"] == []


def test_network_mode_container_name_differs_when_the_peer_was_replaced():
    spec = parse_spec(dict(name="sidecar", image="img", network_mode="container:web"))
    ctx = Context(spec, peers={"web": "b" * 64})
    diffs = [d for d in spec.compare(_joined("a" * 64), ctx=ctx) if d.option == "network_mode"]
    assert diffs and diffs[0].kind == RECREATE


@pytest.mark.parametrize("option, key", [("ipc_mode", "IpcMode"), ("pid_mode", "PidMode")])
def test_namespace_mode_container_name_matches_the_peer_id_the_engine_stores(option, key):
    spec = parse_spec({"name": "sidecar", "image": "img", option: "container:web"})
    joined = {"Config": {"Labels": {}}, "HostConfig": {key: "container:" + "a" * 64}}
    assert [d for d in spec.compare(joined, ctx=Context(spec, peers={"web": "a" * 64})) if d.option == option] == []
    replaced = [d for d in spec.compare(joined, ctx=Context(spec, peers={"web": "b" * 64})) if d.option == option]
    assert replaced and replaced[0].kind == RECREATE
