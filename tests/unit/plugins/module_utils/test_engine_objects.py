# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of volume, prune, exec and engine_info's inventory."""

import struct

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.engine import objects as eo
from ansible_collections.dockyard.docker.plugins.module_utils.client import OWNER_LABEL

NOW = 1764518400.0  # 2025-11-30T16:00:00Z


# --------------------------------------------------------------------------- volume
def test_volume_desired_keeps_only_given_settings():
    assert eo.volume_desired(dict(name="data", driver=None)) == {"driver": "local"}
    assert eo.volume_desired(dict(name="d.1_x-y", driver="local", driver_options={"o": "size=8m", "n": 3},
                                  labels={"a": None})) == {
        "driver": "local", "driver_options": {"o": "size=8m", "n": "3"}, "labels": {"a": ""}}


@pytest.mark.parametrize("params, words", [
    (dict(name="a/b"), ["name 'a/b'", "[a-zA-Z0-9_.-]"]),
    (dict(name="-x"), ["name '-x'"]),
    (dict(name="v", labels={"on": True}), ["labels.on", "quote"]),
    (dict(name="v", driver_options={"o": ["a"]}), ["driver_options.o", "string"]),
    (dict(name="v", recreate="sometimes"), ["recreate", "options-changed"]),
])
def test_volume_bad_options(params, words):
    with pytest.raises(eo.SpecError) as err:
        eo.volume_desired(params)
    for word in words:
        assert word in str(err.value)


TMPFS = {"Name": "v", "Driver": "local", "Options": {"type": "tmpfs", "device": "tmpfs", "o": "size=8m"},
         "Labels": {"a": "1", "other": "x"}}


@pytest.mark.parametrize("desired, differing", [
    ({"driver": "local"}, []),
    ({"driver": "local", "labels": {"a": "1"}}, []),
    ({"driver": "local", "labels": {"a": "2"}}, ["labels"]),
    ({"driver": "local", "labels": {"b": "1"}}, ["labels"]),
    ({"driver": "local", "driver_options": {"type": "tmpfs", "device": "tmpfs", "o": "size=8m"}}, []),
    ({"driver": "local", "driver_options": {"type": "tmpfs", "device": "tmpfs", "o": "size=16m"}},
     ["driver_options"]),
    ({"driver": "local", "driver_options": {"type": "tmpfs", "device": "tmpfs"}}, ["driver_options"]),
    ({"driver": "local", "driver_options": {}}, ["driver_options"]),
    ({"driver": "flocker"}, ["driver"]),
])
def test_volume_differences(desired, differing):
    assert eo.volume_differences(desired, TMPFS)[0] == differing


@pytest.mark.parametrize("inspect, state, recreate, desired, plan", [
    (None, "present", "never", {"driver": "local"}, ["create"]),
    (TMPFS, "present", "never", {"driver": "local"}, []),
    (TMPFS, "present", "never", {"driver": "other"}, []),
    (TMPFS, "present", "options-changed", {"driver": "other"}, ["remove", "create"]),
    (TMPFS, "present", "options-changed", {"driver": "local"}, []),
    (TMPFS, "present", "always", {"driver": "local"}, ["remove", "create"]),
    (TMPFS, "absent", "never", {"driver": "local"}, ["remove"]),
    (None, "absent", "always", {"driver": "local"}, []),
])
def test_volume_plan(inspect, state, recreate, desired, plan):
    assert eo.volume_plan(desired, inspect, state, recreate) == plan


def test_container_names():
    assert eo.container_names([{"Names": ["/b"]}, {"Names": ["/a"]}, {"Id": "0123456789abcdef"}]) == [
        "0123456789ab", "a", "b"]


# --------------------------------------------------------------------------- prune filters
def test_prune_filters_normalised():
    assert eo.prune_filters("images", {"dangling": "false", "label": "a=1", "until": "24h"}, NOW) == {
        "dangling": False, "label": ["a=1"], "until": ["24h"]}
    assert eo.prune_filters("containers", {"label!": ["x", "y=1"]}, NOW) == {"label!": ["x", "y=1"]}
    assert eo.prune_filters("volumes", None, NOW) == {}


@pytest.mark.parametrize("kind, filters, words", [
    ("containers", {"bogus": 1}, ["containers_filters", "'bogus'", "until, label, label!"]),
    ("volumes", {"until": "1h"}, ["volumes_filters", "'until'", "label, label!"]),
    ("images", {"dangling": "maybe"}, ["images_filters.dangling", "true or false"]),
    ("images", {"until": "yesterday"}, ["images_filters.until", "yesterday", "duration"]),
    ("networks", {"label": ""}, ["networks_filters.label", "needs a value"]),
    ("networks", {"until": ["1h", "2h"]}, ["networks_filters.until", "one value"]),
])
def test_prune_bad_filters(kind, filters, words):
    with pytest.raises(eo.SpecError) as err:
        eo.prune_filters(kind, filters, NOW)
    for word in words:
        assert word in str(err.value)


@pytest.mark.parametrize("value, cutoff", [
    ("24h", NOW - 86400),
    ("1h30m", NOW - 5400),
    ("90s", NOW - 90),
    ("1764518000", 1764518000.0),
    ("2025-11-30T16:00:00Z", NOW),
    ("2025-11-30T17:00:00.123456789+01:00", NOW + 0.123456789),
    ("2025-11-30", NOW - 16 * 3600),
])
def test_parse_until(value, cutoff):
    assert eo.parse_until(value, NOW) == pytest.approx(cutoff)


@pytest.mark.parametrize("filters, labels, created, expected", [
    ({}, {}, NOW, True),
    ({"label": ["a"]}, {"a": "x"}, NOW, True),
    ({"label": ["a=y"]}, {"a": "x"}, NOW, False),
    ({"label": ["a", "b"]}, {"a": "x"}, NOW, False),
    ({"label!": ["a"]}, {"a": "x"}, NOW, False),
    ({"label!": ["a", "b"]}, {"a": "x"}, NOW, True),  # the engine's rule: kept only when all match
    ({"until": ["1h"]}, {}, NOW - 7200, True),
    ({"until": ["1h"]}, {}, NOW - 60, False),
    ({"until": ["1h"]}, {}, None, False),
    # the ownership label protects, whatever else the filters say ...
    ({}, {OWNER_LABEL: "true"}, NOW, False),
    ({"label!": ["other"]}, {OWNER_LABEL: "true"}, NOW, False),
    ({"label": ["team=a"]}, {OWNER_LABEL: "true", "team": "a"}, NOW, False),
    # ... unless the label filter names it
    ({"label": [OWNER_LABEL]}, {OWNER_LABEL: "true"}, NOW, True),
    ({"label": [OWNER_LABEL + "=true"]}, {OWNER_LABEL: "true"}, NOW, True),
    ({"label": [OWNER_LABEL + "=false"]}, {OWNER_LABEL: "true"}, NOW, False),
])
def test_filters_match(filters, labels, created, expected):
    assert eo.filters_match(filters, labels, created, NOW) is expected


def test_prune_containers_never_running_nor_owned():
    listed = [
        {"Id": "1", "Names": ["/run"], "State": "running", "Labels": {}, "Created": 1},
        {"Id": "2", "Names": ["/paused"], "State": "paused", "Labels": {}, "Created": 1},
        {"Id": "3", "Names": ["/exited"], "State": "exited", "Labels": {}, "Created": 1, "SizeRw": 12},
        {"Id": "4", "Names": ["/created"], "State": "created", "Labels": None, "Created": 1},
        {"Id": "5", "Names": ["/owned"], "State": "exited", "Labels": {OWNER_LABEL: "true"}, "Created": 1},
    ]
    assert eo.prune_containers(listed, {}, NOW) == [
        {"id": "4", "name": "created", "size": 0}, {"id": "3", "name": "exited", "size": 12}]
    assert [c["name"] for c in eo.prune_containers(listed, {"label": [OWNER_LABEL]}, NOW)] == ["owned"]


def test_prune_images_dangling_used_and_owned():
    images = [
        {"Id": "sha256:a", "RepoTags": ["app:1"], "Created": 1, "Labels": {}},
        {"Id": "sha256:b", "RepoTags": [], "Created": 1, "Labels": None},
        {"Id": "sha256:c", "RepoTags": ["<none>:<none>"], "Created": 1},
        {"Id": "sha256:d", "RepoTags": None, "Created": 1},
        {"Id": "sha256:e", "RepoTags": [], "Created": 1, "Labels": {OWNER_LABEL: "true"}},
    ]
    used = [{"ImageID": "sha256:d"}]
    assert [i["id"] for i in eo.prune_images(images, used, {}, NOW)] == ["sha256:b", "sha256:c"]
    assert eo.prune_images(images, used, {"dangling": False}, NOW)[0] == {"id": "sha256:a", "tags": ["app:1"]}
    assert [i["id"] for i in eo.prune_images(images, used, {"dangling": False}, NOW)] == [
        "sha256:a", "sha256:b", "sha256:c"]


def test_prune_networks_skips_predefined_attached_swarm_and_owned():
    nets = [
        {"Id": "1", "Name": "bridge", "Scope": "local"},
        {"Id": "2", "Name": "busy", "Scope": "local", "Containers": {"x": {}}},
        {"Id": "3", "Name": "free", "Scope": "local", "Created": "2025-11-30T10:00:00.5Z"},
        {"Id": "4", "Name": "mesh", "Scope": "swarm"},
        {"Id": "5", "Name": "ours", "Scope": "local", "Labels": {OWNER_LABEL: "true"}},
    ]
    assert eo.prune_networks(nets, {}, NOW) == [{"id": "3", "name": "free"}]
    assert eo.prune_networks(nets, {"until": ["7h"]}, NOW) == []


def test_prune_volumes_uses_mounts_of_all_containers():
    containers = [{"Mounts": [{"Type": "volume", "Name": "used"}, {"Type": "bind", "Source": "/x"}]}]
    df = {"Volumes": [{"Name": "free", "UsageData": {"Size": 4096, "RefCount": 0}}]}
    usage = eo.volume_usage(containers, df)
    assert usage == {"free": (0, 4096), "used": (1, -1)}
    listed = [{"Name": "used"}, {"Name": "free", "Labels": {"k": "v"}}, {"Name": "other"},
              {"Name": "ours", "Labels": {OWNER_LABEL: "true"}}]
    everything = {"all": True}
    assert eo.prune_volumes(listed, usage, everything, NOW) == [
        {"name": "free", "size": 4096}, {"name": "other", "size": 0}]
    assert eo.prune_volumes(listed, usage, dict(everything, **{"label!": ["k"]}), NOW) == [{"name": "other", "size": 0}]


ANON = "0123456789abcdef" * 4


@pytest.mark.parametrize("vol, anonymous", [
    ({"Name": ANON}, True),  # engines before API 1.42: no label, the generated name
    ({"Name": "x", "Labels": {"com.docker.volume.anonymous": ""}}, True),  # API 1.42+ label
    ({"Name": ANON, "Labels": {"com.docker.volume.anonymous": ""}}, True),
    ({"Name": "shop_db", "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.volume": "db"}}, False),
    ({"Name": "data"}, False),
    ({"Name": ANON.upper()}, False),
    ({"Name": ANON[:-1]}, False),
    ({"Name": ANON + "0"}, False),
    ({"Name": ANON + "\n"}, False),
    ({"Name": None}, False),
])
def test_is_anonymous_volume(vol, anonymous):
    assert eo.is_anonymous_volume(vol) is anonymous


def test_prune_volumes_takes_only_anonymous_ones_unless_all():
    listed = [{"Name": ANON}, {"Name": "shop_db", "Labels": {"com.docker.compose.project": "shop"}},
              {"Name": "data"}, {"Name": "z", "Labels": {"com.docker.volume.anonymous": ""}},
              {"Name": "b" * 64, "Labels": {OWNER_LABEL: "true"}}]
    usage = {}
    assert [v["name"] for v in eo.prune_volumes(listed, usage, {}, NOW)] == [ANON, "z"]
    assert [v["name"] for v in eo.prune_volumes(listed, usage, eo.prune_filters("volumes", {"all": False}), NOW)] \
        == [ANON, "z"]
    assert [v["name"] for v in eo.prune_volumes(listed, usage, eo.prune_filters("volumes", {"all": "true"}), NOW)] \
        == [ANON, "data", "shop_db", "z"]


@pytest.mark.parametrize("value", [[True, False], "maybe", []])
def test_the_all_filter_takes_one_boolean(value):
    with pytest.raises(eo.SpecError) as err:
        eo.prune_filters("volumes", {"all": value}, NOW)
    assert "volumes_filters.all" in str(err.value)


def test_the_all_filter_is_for_volumes_only():
    with pytest.raises(eo.SpecError) as err:
        eo.prune_filters("containers", {"all": True}, NOW)
    assert "unknown filter 'all'" in str(err.value)


def test_image_unique_sizes():
    df = {"Images": [{"Id": "a", "Size": 100, "SharedSize": 60}, {"Id": "b", "Size": 50, "SharedSize": -1}]}
    assert eo.image_unique_sizes(df) == {"a": 40, "b": 50}


# --------------------------------------------------------------------------- exec
def test_exec_argv():
    assert eo.exec_argv({"command": "sh -c 'echo \"a b\"'"}) == ["sh", "-c", 'echo "a b"']
    assert eo.exec_argv({"argv": ["a", 1]}) == ["a", "1"]


@pytest.mark.parametrize("params, word", [
    ({"command": "  "}, "command"),
    ({"argv": []}, "argv"),
    ({"command": "echo 'open"}, "cannot be split"),
])
def test_exec_argv_bad(params, word):
    with pytest.raises(eo.SpecError) as err:
        eo.exec_argv(params)
    assert word in str(err.value)


def test_exec_env():
    assert eo.exec_env({"B": 2, "A": "x y"}) == ["A=x y", "B=2"]
    with pytest.raises(eo.SpecError):
        eo.exec_env({"DEBUG": True})


def frame(stream, data):
    return struct.pack(">BxxxL", stream, len(data)) + data


def test_demux_stream():
    data = frame(1, b"out1\n") + frame(2, b"err\n") + frame(1, b"out2\n") + frame(1, b"")
    assert eo.demux_stream(data) == (b"out1\nout2\n", b"err\n")
    assert eo.demux_stream(b"") == (b"", b"")


def test_strip_empty_ends():
    assert eo.strip_empty_ends("\n\na\n\nb\n\n") == "a\n\nb"
    assert eo.strip_empty_ends("") == ""


# --------------------------------------------------------------------------- engine_info inventory
def test_disk_usage_summary():
    df = {"LayersSize": 10, "Images": [{"Size": 5, "Containers": 1}, {"Size": 7, "Containers": 0}],
          "Containers": [{"SizeRw": 3, "State": "running"}, {"SizeRw": -1, "State": "exited"}],
          "Volumes": [{"UsageData": {"Size": 4, "RefCount": 0}}], "BuildCache": None}
    assert eo.disk_usage_summary(df) == {
        "layers_size": 10,
        "images": {"count": 2, "active": 1, "size": 12},
        "containers": {"count": 2, "active": 1, "size": 3},
        "volumes": {"count": 1, "active": 0, "size": 4},
        "build_cache": {"count": 0, "active": 0, "size": 0},
    }


def test_summaries_keep_engine_keys():
    assert eo.volume_summary({"Name": "v", "Driver": "local", "Labels": None})["Labels"] == {}
    assert eo.image_summary({"Id": "i", "RepoTags": None})["RepoTags"] == []
    assert eo.network_summary({"Name": "n"})["Name"] == "n"
