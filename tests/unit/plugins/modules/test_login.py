# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""login without a daemon: registry addresses, the config file, argument handling, secrets kept out."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import stat

import pytest

from module_harness import module_runner

from ansible_collections.dockyard.docker.plugins.module_utils.client import APIError
from ansible_collections.dockyard.docker.plugins.module_utils.image import registry_auth as ra
from ansible_collections.dockyard.docker.plugins.modules import login

REG = "reg.example.com:5000"
SECRET = "s3cr3t-pw"
AUTH = base64.b64encode(("alice:" + SECRET).encode()).decode()


class Response:
    status_code = 401
    reason = "Unauthorized"
    url = "http://engine/auth"


class FakeApi:
    def __init__(self, good=SECRET, insecure=()):
        self.good = good
        self.calls = []
        self.insecure = insecure

    def login(self, username, password=None, registry=None, reauth=False):
        assert reauth, "the registry must really be asked (reauth=True)"
        self.calls.append((username, registry))
        if password != self.good:
            raise APIError("401", response=Response(),
                           explanation='login attempt to https://%s/v2/ failed with status: 401 Unauthorized' % registry)
        return {"IdentityToken": "tok-should-not-leak", "Status": "Login Succeeded"}

    def info(self):
        return {"RegistryConfig": {"IndexConfigs": {k: {"Name": k, "Secure": False} for k in self.insecure},
                                   "InsecureRegistryCIDRs": ["127.0.0.0/8"]}}


@pytest.fixture
def run(monkeypatch):
    runner = module_runner(monkeypatch)
    return lambda args, api=None: runner(login, args, api)


@pytest.fixture
def cfg(tmp_path):
    return str(tmp_path / "dot-docker" / "config.json")


def args(cfg, **kw):
    base = {"registry_url": REG, "username": "alice", "password": SECRET, "config_path": cfg}
    base.update(kw)
    return base


def no_secret(result):
    text = json.dumps(result)
    assert SECRET not in text and AUTH not in text and "tok-should-not-leak" not in text


# --------------------------------------------------------------------------- pure helpers
@pytest.mark.parametrize("url,key", [
    ("reg.example.com:5000", "reg.example.com:5000"),
    ("https://reg.example.com:5000/v2/", "reg.example.com:5000"),
    ("localhost", "localhost"),
    ("[::1]:5000", "[::1]:5000"),
    ("docker.io", ra.DOCKER_HUB_KEY),
    ("https://index.docker.io/v1/", ra.DOCKER_HUB_KEY),
])
def test_parse_registry_keys_as_docker_login(url, key):
    assert ra.parse_registry(url)[1] == key


@pytest.mark.parametrize("url,word", [
    ("", "empty"), ("ftp://reg", "scheme"), ("reg:99999", "out of range"), ("user@reg:5000", "host[:port]"),
    ("re g:5000", "host[:port]"), ("-reg", "host[:port]"),
])
def test_parse_registry_refuses_naming_the_option(url, word):
    with pytest.raises(ra.RegistryError) as exc:
        ra.parse_registry(url)
    assert "registry_url" in str(exc.value) and word in str(exc.value)


def test_plain_http_only_for_insecure_registries():
    info = {"RegistryConfig": {"IndexConfigs": {"insecure:5000": {"Secure": False}, "docker.io": {"Secure": True}},
                               "InsecureRegistryCIDRs": ["127.0.0.0/8", "10.9.0.0/16"]}}
    assert ra.engine_allows_plain_http(info, "insecure:5000")
    assert ra.engine_allows_plain_http(info, "127.0.0.1:5000")
    assert ra.engine_allows_plain_http(info, "10.9.3.4:5000")
    assert not ra.engine_allows_plain_http(info, "10.8.3.4:5000")
    assert not ra.engine_allows_plain_http(info, REG)
    assert not ra.engine_allows_plain_http({}, REG)


def test_summary_shows_users_never_secrets():
    data = ra.with_entry({"auths": {"other:443": {"auth": "garbage"}}}, REG, "alice", SECRET)
    assert ra.summary(data) == {"auths": {"other:443": {}, REG: {"username": "alice"}}}
    assert data["auths"][REG] == {"auth": AUTH}


# --------------------------------------------------------------------------- the module
def test_login_writes_docker_login_entry_0600_keeps_others(run, cfg):
    os.makedirs(os.path.dirname(cfg))
    with open(cfg, "w") as handle:
        json.dump({"auths": {"other:443": {"auth": "b3RoZXI6eA=="}}, "psFormat": "table"}, handle)
    api = FakeApi()
    result, ok = run(args(cfg, _ansible_diff=True), api)
    assert ok and result["changed"] and api.calls == [("alice", REG)]
    with open(cfg) as handle:
        data = json.load(handle)
    assert data == {"auths": {"other:443": {"auth": "b3RoZXI6eA=="}, REG: {"auth": AUTH}}, "psFormat": "table"}
    assert stat.S_IMODE(os.stat(cfg).st_mode) == 0o600
    assert result["diff"]["after"]["auths"][REG] == {"username": "alice"}
    assert REG not in result["diff"]["before"]["auths"]
    assert result["login_result"] == {"Status": "Login Succeeded"}
    no_secret(result)
    # second run: unchanged, the registry not asked again
    result, ok = run(args(cfg), api)
    assert ok and not result["changed"] and len(api.calls) == 1
    # reauthorize asks again and still changes nothing
    result, ok = run(args(cfg, reauthorize=True), api)
    assert ok and not result["changed"] and len(api.calls) == 2


def test_new_file_and_directory_are_private(run, cfg):
    result, ok = run(args(cfg), FakeApi())
    assert ok and result["changed"]
    assert stat.S_IMODE(os.stat(os.path.dirname(cfg)).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(cfg).st_mode) == 0o600


OTHER_UID = 65534  # nobody: the unit tests run as root, as login does with become on a user's config_path


def test_root_rewriting_another_users_file_leaves_it_theirs(run, cfg):
    assert os.geteuid() == 0, "playing another user takes chown"
    os.makedirs(os.path.dirname(cfg))
    with open(cfg, "w") as handle:
        json.dump({"auths": {}}, handle)
    os.chown(cfg, OTHER_UID, OTHER_UID)
    result, ok = run(args(cfg), FakeApi())
    assert ok and result["changed"]
    info = os.stat(cfg)
    assert (info.st_uid, info.st_gid) == (OTHER_UID, OTHER_UID)
    assert stat.S_IMODE(info.st_mode) == 0o600
    with open(cfg) as handle:
        assert json.load(handle)["auths"][REG] == {"auth": AUTH}


def test_wrong_password_fails_with_registry_answer_file_untouched(run, cfg):
    run(args(cfg), FakeApi())
    with open(cfg, "rb") as handle:
        before = handle.read()
    result, ok = run(args(cfg, password="wrong-one", reauthorize=True), FakeApi())
    assert not ok and "401 Unauthorized" in result["msg"] and "was not changed" in result["msg"]
    assert "wrong-one" not in result["msg"]
    with open(cfg, "rb") as handle:
        assert handle.read() == before


def test_password_change_replaces_entry_after_check(run, cfg):
    run(args(cfg), FakeApi())
    api = FakeApi(good="new-pw")
    result, ok = run(args(cfg, password="new-pw", _ansible_diff=True), api)
    assert ok and result["changed"] and api.calls
    assert result["diff"]["after"]["auths"][REG]["credentials"] == "replaced"
    assert "new-pw" not in json.dumps(result)


def test_check_mode_asks_but_writes_nothing(run, cfg):
    api = FakeApi()
    result, ok = run(args(cfg, _ansible_check_mode=True), api)
    assert ok and result["changed"] and api.calls and not os.path.exists(cfg)


def test_absent_removes_only_that_entry_without_engine(run, cfg):
    run(args(cfg), FakeApi())
    run(args(cfg, registry_url="other:443"), FakeApi())
    result, ok = run({"registry_url": "https://" + REG, "state": "absent", "config_path": cfg})
    assert ok and result["changed"]
    with open(cfg) as handle:
        assert list(json.load(handle)["auths"]) == ["other:443"]
    result, ok = run({"registry_url": REG, "state": "absent", "config_path": cfg})
    assert ok and not result["changed"]


@pytest.mark.parametrize("extra,words", [
    ({"password": ""}, ["password is empty"]),
    ({"username": "a:b"}, ["username", "':'"]),
    ({"registry_url": "http://" + REG}, ["registry_url http://", "insecure-registries"]),
    ({"registry_url": "ftp://x"}, ["registry_url", "scheme"]),
])
def test_bad_input_refused_nothing_written(run, cfg, extra, words):
    api = FakeApi()
    result, ok = run(args(cfg, **extra), api)
    assert not ok
    for word in words:
        assert word in result["msg"]
    assert api.calls == [] and not os.path.exists(cfg)


def test_http_accepted_for_an_insecure_registry(run, cfg):
    result, ok = run(args(cfg, registry_url="http://" + REG), FakeApi(insecure=[REG]))
    assert ok and result["registry"] == REG


def test_broken_file_and_credential_store_refused(run, cfg):
    os.makedirs(os.path.dirname(cfg))
    for content, word in (("{not json", "not valid JSON"), ('{"credsStore": "desktop"}', "credential store")):
        with open(cfg, "w") as handle:
            handle.write(content)
        result, ok = run(args(cfg), FakeApi())
        assert not ok and word in result["msg"] and "config_path" in result["msg"]
        with open(cfg) as handle:
            assert handle.read() == content


def test_password_is_no_log():
    spec_source = open(login.__file__).read()
    assert 'password=dict(type="str", no_log=True)' in spec_source
