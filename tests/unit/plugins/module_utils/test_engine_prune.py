# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of prune: filters, candidates and their space."""

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.engine import prune
from ansible_collections.dockyard.docker.plugins.module_utils.client import OWNER_LABEL
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError

NOW = 1764518400.0  # 2025-11-30T16:00:00Z


def test_prune_filters_normalised():
    assert prune.prune_filters("images", {"dangling": "false", "label": "a=1", "until": "24h"}, NOW) == {
        "dangling": False, "label": ["a=1"], "until": ["24h"]}
    assert prune.prune_filters("containers", {"label!": ["x", "y=1"]}, NOW) == {"label!": ["x", "y=1"]}
    assert prune.prune_filters("volumes", None, NOW) == {}


@pytest.mark.parametrize("kind, filters, words", [
    ("containers", {"bogus": 1}, ["containers_filters", "'bogus'", "until, label, label!"]),
    ("volumes", {"until": "1h"}, ["volumes_filters", "'until'", "label, label!"]),
    ("images", {"dangling": "maybe"}, ["images_filters.dangling", "true or false"]),
    ("images", {"until": "yesterday"}, ["images_filters.until", "yesterday", "duration"]),
    ("networks", {"label": ""}, ["networks_filters.label", "needs a value"]),
    ("networks", {"until": ["1h", "2h"]}, ["networks_filters.until", "one value"]),
])
def test_prune_bad_filters(kind, filters, words):
    with pytest.raises(SpecError) as err:
        prune.prune_filters(kind, filters, NOW)
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
    assert prune.parse_until(value, NOW) == pytest.approx(cutoff)


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
    assert prune.filters_match(filters, labels, created, NOW) is expected


def test_prune_containers_never_running_nor_owned():
    listed = [
        {"Id": "1", "Names": ["/run"], "State": "running", "Labels": {}, "Created": 1},
        {"Id": "2", "Names": ["/paused"], "State": "paused", "Labels": {}, "Created": 1},
        {"Id": "3", "Names": ["/exited"], "State": "exited", "Labels": {}, "Created": 1, "SizeRw": 12},
        {"Id": "4", "Names": ["/created"], "State": "created", "Labels": None, "Created": 1},
        {"Id": "5", "Names": ["/owned"], "State": "exited", "Labels": {OWNER_LABEL: "true"}, "Created": 1},
    ]
    assert prune.prune_containers(listed, {}, NOW) == [
        {"id": "4", "name": "created", "size": 0}, {"id": "3", "name": "exited", "size": 12}]
    assert [c["name"] for c in prune.prune_containers(listed, {"label": [OWNER_LABEL]}, NOW)] == ["owned"]


def test_prune_images_dangling_used_and_owned():
    images = [
        {"Id": "sha256:a", "RepoTags": ["app:1"], "Created": 1, "Labels": {}},
        {"Id": "sha256:b", "RepoTags": [], "Created": 1, "Labels": None},
        {"Id": "sha256:c", "RepoTags": ["<none>:<none>"], "Created": 1},
        {"Id": "sha256:d", "RepoTags": None, "Created": 1},
        {"Id": "sha256:e", "RepoTags": [], "Created": 1, "Labels": {OWNER_LABEL: "true"}},
    ]
    used = [{"ImageID": "sha256:d"}]
    assert [i["id"] for i in prune.prune_images(images, used, {}, NOW)] == ["sha256:b", "sha256:c"]
    assert prune.prune_images(images, used, {"dangling": False}, NOW)[0] == {"id": "sha256:a", "tags": ["app:1"]}
    assert [i["id"] for i in prune.prune_images(images, used, {"dangling": False}, NOW)] == [
        "sha256:a", "sha256:b", "sha256:c"]


def test_prune_networks_skips_predefined_attached_swarm_and_owned():
    nets = [
        {"Id": "1", "Name": "bridge", "Scope": "local"},
        {"Id": "2", "Name": "busy", "Scope": "local", "Containers": {"x": {}}},
        {"Id": "3", "Name": "free", "Scope": "local", "Created": "2025-11-30T10:00:00.5Z"},
        {"Id": "4", "Name": "mesh", "Scope": "swarm"},
        {"Id": "5", "Name": "ours", "Scope": "local", "Labels": {OWNER_LABEL: "true"}},
    ]
    assert prune.prune_networks(nets, {}, NOW) == [{"id": "3", "name": "free"}]
    assert prune.prune_networks(nets, {"until": ["7h"]}, NOW) == []


def test_prune_volumes_uses_mounts_of_all_containers():
    containers = [{"Mounts": [{"Type": "volume", "Name": "used"}, {"Type": "bind", "Source": "/x"}]}]
    df = {"Volumes": [{"Name": "free", "UsageData": {"Size": 4096, "RefCount": 0}}]}
    usage = prune.volume_usage(containers, df)
    assert usage == {"free": (0, 4096), "used": (1, -1)}
    listed = [{"Name": "used"}, {"Name": "free", "Labels": {"k": "v"}}, {"Name": "other"},
              {"Name": "ours", "Labels": {OWNER_LABEL: "true"}}]
    everything = {"all": True}
    assert prune.prune_volumes(listed, usage, everything, NOW) == [
        {"name": "free", "size": 4096}, {"name": "other", "size": 0}]
    assert prune.prune_volumes(listed, usage, dict(everything, **{"label!": ["k"]}), NOW) == [{"name": "other", "size": 0}]


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
    assert prune.is_anonymous_volume(vol) is anonymous


def test_prune_volumes_takes_only_anonymous_ones_unless_all():
    listed = [{"Name": ANON}, {"Name": "shop_db", "Labels": {"com.docker.compose.project": "shop"}},
              {"Name": "data"}, {"Name": "z", "Labels": {"com.docker.volume.anonymous": ""}},
              {"Name": "b" * 64, "Labels": {OWNER_LABEL: "true"}}]
    usage = {}
    assert [v["name"] for v in prune.prune_volumes(listed, usage, {}, NOW)] == [ANON, "z"]
    assert [v["name"] for v in prune.prune_volumes(listed, usage, prune.prune_filters("volumes", {"all": False}), NOW)] \
        == [ANON, "z"]
    assert [v["name"] for v in prune.prune_volumes(listed, usage, prune.prune_filters("volumes", {"all": "true"}), NOW)] \
        == [ANON, "data", "shop_db", "z"]


@pytest.mark.parametrize("value", [[True, False], "maybe", []])
def test_the_all_filter_takes_one_boolean(value):
    with pytest.raises(SpecError) as err:
        prune.prune_filters("volumes", {"all": value}, NOW)
    assert "volumes_filters.all" in str(err.value)


def test_the_all_filter_is_for_volumes_only():
    with pytest.raises(SpecError) as err:
        prune.prune_filters("containers", {"all": True}, NOW)
    assert "unknown filter 'all'" in str(err.value)


def test_image_unique_sizes():
    df = {"Images": [{"Id": "a", "Size": 100, "SharedSize": 60}, {"Id": "b", "Size": 50, "SharedSize": -1}]}
    assert prune.image_unique_sizes(df) == {"a": 40, "b": 50}
