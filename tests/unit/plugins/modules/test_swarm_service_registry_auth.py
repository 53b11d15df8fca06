# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""swarm_service and stack with_registry_auth: credentials sent only when asked, missing ones refused before any change."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

import docker
import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.swarm.services import ServiceManager

REG = "reg.example.com:5000"
IMAGE = REG + "/team/web:1"


class Fail(Exception):
    pass


class FakeModule:
    def __init__(self):
        self.params = {}
        self.check_mode = False
        self._diff = False

    def fail_json(self, **kw):
        raise Fail(kw)


class FakeClient:
    def __init__(self, api):
        self.api = api


@pytest.fixture
def api(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".docker").mkdir(parents=True)
    auth = base64.b64encode(b"deploy:pw").decode()
    (home / ".docker" / "config.json").write_text(json.dumps({"auths": {REG: {"auth": auth}}}))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("DOCKER_CONFIG", raising=False)
    return docker.APIClient(base_url="unix:///nonexistent.sock", version="1.41")


def header_inside(manager):
    with manager.registry_auth():
        return docker.auth.get_config_header(manager.api, REG)


def test_credentials_sent_only_with_registry_auth(api):
    assert docker.auth.get_config_header(api, REG)
    assert header_inside(ServiceManager(FakeModule(), FakeClient(api), {}, True))
    assert header_inside(ServiceManager(FakeModule(), FakeClient(api), {}, False)) is None
    # the client's own config is back afterwards
    assert docker.auth.get_config_header(api, REG)


def test_missing_credentials_refused_naming_the_option(api):
    manager = ServiceManager(FakeModule(), FakeClient(api), {}, True)
    manager.check_registry_auth(IMAGE)
    with pytest.raises(Fail) as exc:
        manager.check_registry_auth("other.example.com/team/web:1")
    assert "with_registry_auth" in exc.value.args[0]["msg"] and "other.example.com" in exc.value.args[0]["msg"]
    ServiceManager(FakeModule(), FakeClient(api), {}, False).check_registry_auth("other.example.com/x")
