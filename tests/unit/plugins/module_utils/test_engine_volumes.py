# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Volume settings: validation, the engine's read back, their differences and the plan."""

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.engine import volumes
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError


def test_desired_keeps_only_given_settings():
    assert volumes.desired(dict(name="data", driver=None)) == {"driver": "local"}
    assert volumes.desired(dict(name="d.1_x-y", driver="local", driver_options={"o": "size=8m", "n": 3},
                                labels={"a": None})) == {
        "driver": "local", "driver_options": {"o": "size=8m", "n": "3"}, "labels": {"a": ""}}


@pytest.mark.parametrize("params, words", [
    (dict(name="a/b"), ["name 'a/b'", "[a-zA-Z0-9_.-]"]),
    (dict(name="-x"), ["name '-x'"]),
    (dict(name="v", labels={"on": True}), ["labels.on", "quote"]),
    (dict(name="v", driver_options={"o": ["a"]}), ["driver_options.o", "string"]),
    (dict(name="v", recreate="sometimes"), ["recreate", "options-changed"]),
])
def test_bad_options(params, words):
    with pytest.raises(SpecError) as err:
        volumes.desired(params)
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
def test_differences(desired, differing):
    assert list(volumes.differences(desired, volumes.actual(TMPFS))) == differing


def test_differences_give_the_volume_values_of_the_given_settings():
    assert volumes.actual(TMPFS) == {"driver": "local", "driver_options": TMPFS["Options"], "labels": TMPFS["Labels"]}
    assert volumes.actual({"Driver": "local", "Options": None, "Labels": None}) == {
        "driver": "local", "driver_options": {}, "labels": {}}
    wanted = {"labels": {"a": "2", "b": "1"}, "driver": "flocker", "driver_options": {}}
    assert volumes.differences(wanted, volumes.actual(TMPFS)) == {
        "driver": "local", "driver_options": TMPFS["Options"], "labels": {"a": "1"}}
    assert list(volumes.differences(wanted, volumes.actual(TMPFS))) == ["driver", "driver_options", "labels"]


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
def test_plan(inspect, state, recreate, desired, plan):
    assert volumes.plan(desired, inspect, state, recreate) == plan


def test_container_names():
    assert volumes.container_names([{"Names": ["/b"]}, {"Names": ["/a"]}, {"Id": "0123456789abcdef"}]) == [
        "0123456789ab", "a", "b"]
