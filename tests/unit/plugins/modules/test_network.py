# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""network without a daemon: create, compare, recreate around attached containers, remove; check mode and diff."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from module_harness import module_runner

from ansible_collections.dockyard.docker.plugins.module_utils.client import APIError, NotFound
from ansible_collections.dockyard.docker.plugins.modules import network


class NetworkApi:
    def __init__(self, networks=None, endpoints=None, fail_create=False):
        self.networks = dict(networks or {})
        self.endpoints = endpoints or {}
        self.fail_create = fail_create
        self.writes = []

    def inspect_network(self, name):
        if name not in self.networks:
            raise NotFound("no such network")
        return self.networks[name]

    def inspect_container(self, cid):
        return {"NetworkSettings": {"Networks": {"backend": self.endpoints.get(cid, {})}}}

    def create_network(self, name, **kwargs):
        if self.fail_create:
            raise APIError("pool overlaps with other one on this address space")
        self.writes.append(("create", name, kwargs))
        pools = [{"Subnet": kwargs["ipam"]["Config"][0]["Subnet"]}] if "ipam" in kwargs else []
        self.networks[name] = {"Id": "new", "Name": name, "Driver": kwargs["driver"], "IPAM": {"Config": pools},
                               "Labels": kwargs.get("labels") or {}}

    def remove_network(self, nid):
        self.writes.append(("remove", nid))
        self.networks = dict((k, v) for k, v in self.networks.items() if v["Id"] != nid)

    def disconnect_container_from_network(self, cid, name, force=False):
        self.writes.append(("disconnect", cid, name, force))

    def connect_container_to_network(self, cid, name, **endpoint):
        self.writes.append(("connect", cid, name, endpoint))


def backend(**extra):
    doc = {"Id": "old", "Name": "backend", "Driver": "bridge", "Internal": False,
           "IPAM": {"Config": [{"Subnet": "172.30.0.0/24"}]}, "Labels": {"tier": "backend", "other": "x"}}
    doc.update(extra)
    return doc


ATTACHED = {"c1": {"Name": "web"}}


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch)


def test_create_then_unchanged(run):
    api = NetworkApi()
    result, ok = run(network, {"name": "backend", "subnet": "172.30.0.0/24", "labels": {"tier": "backend"}}, api)
    assert ok and result["changed"] and result["actions"] == ["created"]
    assert result["network"]["Id"] == "new"
    assert result["diff"] == {"before": {}, "after": {"driver": "bridge", "subnet": "172.30.0.0/24",
                                                      "labels": {"tier": "backend"}}}
    result, ok = run(network, {"name": "backend", "subnet": "172.30.0.0/24", "labels": {"tier": "backend"}}, api)
    assert ok and not result["changed"] and result["actions"] == [] and len(api.writes) == 1


def test_the_diff_shows_the_network_values_of_the_given_settings(run):
    api = NetworkApi({"backend": backend()})
    args = {"name": "backend", "subnet": "172.31.0.0/24", "labels": {"tier": "backend"}, "_ansible_check_mode": True}
    result, ok = run(network, args, api)
    assert ok and result["changed"] and result["actions"] == ["recreated: subnet changed"]
    assert result["diff"] == {"before": {"driver": "bridge", "subnet": "172.30.0.0/24", "labels": {"tier": "backend"}},
                              "after": {"driver": "bridge", "subnet": "172.31.0.0/24", "labels": {"tier": "backend"}}}
    assert result["network"]["Id"] == "old" and api.writes == []


def test_a_difference_with_containers_attached_needs_force(run):
    api = NetworkApi({"backend": backend(Containers=ATTACHED)})
    result, ok = run(network, {"name": "backend", "internal": True}, api)
    assert not ok and not result["changed"]
    assert "network backend differs (internal)" in result["msg"] and "attached: web" in result["msg"]
    assert api.writes == []


def test_force_recreates_and_connects_the_containers_again(run):
    api = NetworkApi({"backend": backend(Containers=ATTACHED)},
                     endpoints={"c1": {"Aliases": ["c1", "db"], "IPAMConfig": {"IPv4Address": "172.30.0.9"}}})
    result, ok = run(network, {"name": "backend", "driver": "macvlan", "force": True}, api)
    assert ok and result["changed"] and result["actions"] == ["recreated: driver changed"]
    assert [w[0] for w in api.writes] == ["disconnect", "remove", "create", "connect"]
    assert api.writes[-1] == ("connect", "c1", "backend", {"aliases": ["db"], "ipv4_address": "172.30.0.9"})
    assert result["network"]["Id"] == "new"


def test_absent(run):
    api = NetworkApi({"backend": backend(Containers=ATTACHED)})
    result, ok = run(network, {"name": "backend", "state": "absent"}, api)
    assert not ok and "has containers attached (web)" in result["msg"] and api.writes == []
    result, ok = run(network, {"name": "backend", "state": "absent", "force": True}, api)
    assert ok and result["changed"] and result["actions"] == ["disconnected web", "removed"]
    assert result["diff"] == {"before": {"state": "present"}, "after": {"state": "absent"}}
    assert result["network"] == {}
    result, ok = run(network, {"name": "backend", "state": "absent"}, api)
    assert ok and not result["changed"] and result["network"] == {}


def test_another_network_matched_by_id_prefix_is_not_this_one(run):
    api = NetworkApi({"backend": backend(Name="backend-2")})
    result, ok = run(network, {"name": "backend", "_ansible_check_mode": True}, api)
    assert ok and result["actions"] == ["created"]


def test_an_engine_error_names_the_network(run):
    result, ok = run(network, {"name": "backend"}, NetworkApi(fail_create=True))
    assert not ok and "manage network backend" in result["msg"] and "pool overlaps" in result["msg"]
