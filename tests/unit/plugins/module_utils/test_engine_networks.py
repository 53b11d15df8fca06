# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network settings: validation, create arguments, the engine's read back and their differences."""

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.engine import networks
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError

ENGINE = {
    "Name": "backend", "Driver": "bridge", "Internal": False, "Attachable": False,
    "IPAM": {"Config": [{"Subnet": "172.30.0.0/24", "Gateway": "172.30.0.1"}]},
    "Labels": {"tier": "backend", "other": "x"},
}


def test_desired_and_create_kwargs():
    desired = networks.desired(dict(name="backend", driver="bridge", subnet="172.30.0.0/24", gateway="172.30.0.1",
                                    labels={"tier": "backend"}, internal=None, attachable=None))
    assert desired == {"driver": "bridge", "subnet": "172.30.0.0/24", "gateway": "172.30.0.1",
                       "labels": {"tier": "backend"}}
    assert networks.create_kwargs(desired) == dict(
        driver="bridge", labels={"tier": "backend"},
        ipam={"Driver": "default", "Config": [{"Subnet": "172.30.0.0/24", "Gateway": "172.30.0.1"}], "Options": {}},
    )
    overlay = networks.desired(dict(name="m", driver="overlay", attachable=True, internal=True))
    assert networks.create_kwargs(overlay) == dict(driver="overlay", attachable=True, internal=True)


@pytest.mark.parametrize(
    "params, fragment",
    [
        (dict(name="a/b"), "name 'a/b'"),
        (dict(name="n", gateway="10.0.0.1"), "gateway needs subnet"),
        (dict(name="n", subnet="10.0.0.1/24"), "subnet '10.0.0.1/24'"),
        (dict(name="n", subnet="lots"), "subnet 'lots'"),
        (dict(name="n", subnet="10.0.0.0/24", gateway="10.0.1.1"), "not inside subnet"),
        (dict(name="n", subnet="10.0.0.0/24", gateway="x"), "gateway 'x'"),
        (dict(name="n", labels={"a": True}), "labels.a"),
    ],
)
def test_bad_options(params, fragment):
    with pytest.raises(SpecError) as err:
        networks.desired(params)
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    "params, differing",
    [
        (dict(), []),
        (dict(subnet="172.30.0.0/24", gateway="172.30.0.1", labels={"tier": "backend"}), []),
        (dict(internal=False, attachable=False), []),
        (dict(internal=True), ["internal"]),
        (dict(driver="overlay"), ["driver"]),
        (dict(subnet="172.31.0.0/24"), ["subnet"]),
        (dict(labels={"tier": "front"}), ["labels"]),
        (dict(labels={"new": "1"}), ["labels"]),
    ],
)
def test_differences_only_of_what_is_set(params, differing):
    assert list(networks.differences(networks.desired(dict(params, name="backend")), networks.actual(ENGINE))) == differing


def test_differences_give_the_network_values_of_the_given_settings():
    assert networks.actual(ENGINE) == {"driver": "bridge", "attachable": False, "internal": False,
                                       "subnet": "172.30.0.0/24", "gateway": "172.30.0.1", "labels": ENGINE["Labels"]}
    assert networks.actual({"Driver": "overlay"}) == {"driver": "overlay", "attachable": False, "internal": False,
                                                      "subnet": None, "gateway": None, "labels": {}}
    wanted = networks.desired(dict(name="backend", internal=True, subnet="172.31.0.0/24",
                                   labels={"tier": "front", "new": "1"}))
    assert networks.differences(wanted, networks.actual(ENGINE)) == {
        "internal": False, "labels": {"tier": "backend"}, "subnet": "172.30.0.0/24"}
