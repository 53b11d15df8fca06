# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""engine_info without a daemon: read-only calls only, check mode, a container vanishing mid-run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.dockyard.docker.plugins.module_utils.client import NotFound
from ansible_collections.dockyard.docker.plugins.modules import engine_info


class Exit(Exception):
    pass


class Fail(Exception):
    pass


class FakeApi:
    def __init__(self, containers):
        self._containers = containers
        self.calls = []

    def __getattr__(self, name):
        raise AssertionError("engine_info called a non read-only API method: %s" % name)

    def version(self):
        self.calls.append("version")
        return {"Version": "20.10.24", "ApiVersion": "1.41"}

    def info(self):
        self.calls.append("info")
        return {"Driver": "overlay2", "CgroupDriver": "cgroupfs", "CgroupVersion": "1",
                "Swarm": {"LocalNodeState": "inactive"}}

    def containers(self, all=False, filters=None):  # noqa: A002 - SDK's name
        self.calls.append(("containers", all, filters))
        return [{"Id": cid} for cid in sorted(self._containers)]

    def inspect_container(self, cid):
        self.calls.append(("inspect", cid))
        if self._containers[cid] is None:
            raise NotFound("gone")
        return self._containers[cid]


class FakeClient:
    def __init__(self, api):
        self.api = api


def run(monkeypatch, api, args):
    def exit_json(self, **kw):
        raise Exit(kw)

    def fail_json(self, **kw):
        raise Fail(kw)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(engine_info, "connect", lambda module: FakeClient(api))
    with patch_module_args(args):
        with pytest.raises((Exit, Fail)) as exc:
            engine_info.main()
    return exc.value.args[0], isinstance(exc.value, Exit)


def container(name, policy="always", count=0):
    return {"Id": name, "Name": "/" + name, "Config": {"Image": "app"}, "RestartCount": count,
            "HostConfig": {"RestartPolicy": {"Name": policy}}, "State": {"Status": "running"}}


def test_reports_engine_swarm_and_containers_in_check_mode(monkeypatch):
    api = FakeApi({"b": container("b", count=2), "a": container("a", policy="no")})
    result, ok = run(monkeypatch, api, {"_ansible_check_mode": True})
    assert ok and result["changed"] is False
    assert result["engine"]["version"] == "20.10.24"
    assert result["swarm"]["state"] == "inactive"
    assert [c["name"] for c in result["containers"]] == ["a", "b"]
    assert result["containers"][1]["restart_count"] == 2
    assert ("containers", True, None) in api.calls


def test_containers_false_skips_the_list(monkeypatch):
    api = FakeApi({"a": container("a")})
    result, ok = run(monkeypatch, api, {"containers": False})
    assert ok and result["containers"] == []
    assert not [c for c in api.calls if isinstance(c, tuple)]


def test_container_removed_between_list_and_inspect_is_skipped(monkeypatch):
    api = FakeApi({"a": container("a"), "gone": None})
    result, ok = run(monkeypatch, api, {"containers_all": False, "containers_filters": {"label": ["x"]}})
    assert ok and [c["name"] for c in result["containers"]] == ["a"]
    assert ("containers", False, {"label": ["x"]}) in api.calls


def test_bad_option_type_names_the_option(monkeypatch):
    result, ok = run(monkeypatch, FakeApi({}), {"containers": "maybe"})
    assert not ok and "containers" in result["msg"]


def test_returns_community_host_info_as_the_engine_reports_it(monkeypatch):
    """community.docker.docker_host_info's host_info: the engine's info document itself."""
    api = FakeApi({})
    result, ok = run(monkeypatch, api, {"containers": False})
    assert ok and result["host_info"] == api.info()
    assert result["can_talk_to_docker"] is True
