# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""swarm_secret / swarm_config without a daemon: the engine API is faked.

Proves the call sequences (create, label update, replace, the two-step rotation, detach),
that check mode calls nothing that changes, that refusals change nothing, and that
no result carries the data.  The real engine is molecule ``security``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.dockyard.docker.plugins.module_utils.swarm.objects import ROTATION_LABEL
from ansible_collections.dockyard.docker.plugins.modules import swarm_config, swarm_secret

VALUE = "s3cr3t-Value-that-must-not-leak"


class Exit(Exception):
    pass


class Fail(Exception):
    pass


class Resp:
    status_code = 200


class FakeApi:
    """Secrets, configs and services of one swarm, with the calls the manager makes."""

    def __init__(self):
        self.objects = {"secret": {}, "config": {}}
        self.services_ = {}
        self.calls = []
        self.counter = 0

    def _new_id(self):
        self.counter += 1
        return "id%d" % self.counter

    # listing / inspecting
    def _list(self, kind, filters):
        return [o for o in self.objects[kind].values() if filters["name"] in o["Spec"]["Name"]]

    def secrets(self, filters):
        return self._list("secret", filters)

    def configs(self, filters):
        return self._list("config", filters)

    def services(self):
        return list(self.services_.values())

    # changes
    def _create(self, kind, name, data, labels):
        assert not [o for o in self.objects[kind].values() if o["Spec"]["Name"] == name], "name taken"
        obj_id = self._new_id()
        spec = {"Name": name, "Labels": labels}
        if kind == "config":
            spec["Data"] = base64.b64encode(data).decode()
        self.objects[kind][obj_id] = {"ID": obj_id, "Version": {"Index": 1}, "Spec": spec}
        self.calls.append(("create", kind, name))
        return {"ID": obj_id}

    def create_secret(self, name, data, labels=None):
        return self._create("secret", name, data, labels)

    def create_config(self, name, data, labels=None):
        return self._create("config", name, data, labels)

    def _remove(self, kind, obj_id):
        users = [s["Spec"]["Name"] for s in self.services_.values()
                 for r in s["Spec"]["TaskTemplate"]["ContainerSpec"].get(kind.capitalize() + "s") or []
                 if r[kind.capitalize() + "ID"] == obj_id]
        assert not users, "engine refuses: in use by %s" % users
        name = self.objects[kind].pop(obj_id)["Spec"]["Name"]
        self.calls.append(("remove", kind, name))

    def remove_secret(self, obj_id):
        self._remove("secret", obj_id)

    def remove_config(self, obj_id):
        self._remove("config", obj_id)

    def _url(self, path, *args):
        return path.format(*args)

    def _post_json(self, url, data, params):
        parts = url.strip("/").split("/")
        if parts[0] == "services":
            svc = self.services_[parts[1]]
            svc["Spec"] = data
            svc["Version"]["Index"] += 1
            refs = data["TaskTemplate"]["ContainerSpec"].get("Secrets") or []
            self.calls.append(("update service", data["Name"], [r["SecretName"] for r in refs]))
        else:
            kind = parts[0][:-1]
            self.objects[kind][parts[1]]["Spec"] = data
            self.calls.append(("update labels", kind, data["Name"]))
        return Resp()

    def _raise_for_status(self, resp):
        pass

    def add_service(self, name, secret_id, secret_name):
        self.services_["svc-" + name] = {"ID": "svc-" + name, "Version": {"Index": 5}, "Spec": {
            "Name": name, "TaskTemplate": {"ContainerSpec": {"Image": "app", "Secrets": [
                {"SecretID": secret_id, "SecretName": secret_name,
                 "File": {"Name": "pw", "UID": "0", "GID": "0", "Mode": 256}}]}}}}

    def changing(self):
        return list(self.calls)


class FakeClient:
    def __init__(self, api):
        self.api = api


@pytest.fixture
def api(monkeypatch):
    fake = FakeApi()
    for mod in (swarm_secret, swarm_config):
        monkeypatch.setattr(mod, "connect", lambda module: FakeClient(fake))

    def exit_json(self, **kwargs):
        raise Exit(kwargs)

    def fail_json(self, **kwargs):
        raise Fail(kwargs)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    return fake


def run(module=swarm_secret, check=False, diff=True, **params):
    args = dict(params, _ansible_check_mode=check, _ansible_diff=diff)
    with patch_module_args(args):
        try:
            module.main()
        except Exit as exc:
            result = exc.args[0]
            assert VALUE not in json.dumps(result)
            return result
    raise AssertionError("module did not exit")


def fails(module=swarm_secret, **params):
    with pytest.raises(Fail) as err:
        run(module, **params)
    result = err.value.args[0]
    assert VALUE not in json.dumps(result)
    return result


def test_create_then_idempotent(api):
    res = run(name="pw", data=VALUE, labels={"app": "shop"})
    assert res["changed"] is True and api.calls == [("create", "secret", "pw")]
    assert res["diff"]["before"] == {} and res["diff"]["after"]["labels"]["app"] == "shop"
    again = run(name="pw", data=VALUE, labels={"app": "shop"})
    assert again["changed"] is False and again["actions"] == []
    assert again["data_hash"] == res["data_hash"]
    assert len(api.calls) == 1


def test_check_mode_changes_nothing(api):
    res = run(check=True, name="pw", data=VALUE)
    assert res["changed"] is True and api.calls == []


def test_labels_only_update_in_place(api):
    run(name="pw", data=VALUE, labels={"a": "1"})
    res = run(name="pw", data=VALUE, labels={"a": "2"})
    assert res["changed"] is True
    assert api.calls[-1] == ("update labels", "secret", "pw")


def test_new_content_unused_is_replaced(api):
    run(name="pw", data=VALUE)
    res = run(name="pw", data=VALUE + "2")
    assert api.calls[1:] == [("remove", "secret", "pw"), ("create", "secret", "pw")]
    assert res["diff"]["before"]["data_hash"] != res["diff"]["after"]["data_hash"]


def test_new_content_in_use_is_refused_naming_services(api):
    first = run(name="pw", data=VALUE)
    api.add_service("web", first["secret_id"], "pw")
    calls = list(api.calls)
    res = fails(name="pw", data=VALUE + "2")
    assert "used by service(s) web" in res["msg"] and "force=true" in res["msg"]
    assert api.calls == calls


def test_force_rotates_through_a_temporary_secret(api):
    first = run(name="pw", data=VALUE)
    api.add_service("web", first["secret_id"], "pw")
    res = run(name="pw", data=VALUE + "2", force=True)
    tmp = [c for c in api.calls if c[0] == "create" and c[2] != "pw"][0][2]
    assert tmp == "pw-rotating"
    assert api.calls[1:] == [
        ("create", "secret", tmp),
        ("update service", "web", [tmp]),
        ("remove", "secret", "pw"),
        ("create", "secret", "pw"),
        ("update service", "web", ["pw"]),
        ("remove", "secret", tmp),
    ]
    ref = api.services_["svc-web"]["Spec"]["TaskTemplate"]["ContainerSpec"]["Secrets"][0]
    assert ref["SecretID"] == res["secret_id"] and ref["File"] == {"Name": "pw", "UID": "0", "GID": "0", "Mode": 256}
    assert res["services"] == ["web"]
    assert run(name="pw", data=VALUE + "2")["changed"] is False


def test_rotation_cleans_an_unused_leftover_and_refuses_a_used_one(api):
    first = run(name="pw", data=VALUE)
    api.add_service("web", first["secret_id"], "pw")
    left = api.create_secret("pw-rotating", b"old", labels={ROTATION_LABEL: "pw"})
    run(name="pw", data=VALUE + "2", force=True)
    assert ("remove", "secret", "pw-rotating") in api.calls and left["ID"] not in api.objects["secret"]
    stuck = api.create_secret("pw-rotating", b"x", labels={ROTATION_LABEL: "pw"})
    api.add_service("api", stuck["ID"], "pw-rotating")
    calls = list(api.calls)
    res = fails(name="pw", data=VALUE + "3", force=True)
    assert "interrupted rotation is still used by service(s) api" in res["msg"] and res["changed"] is False
    assert api.calls == calls


def test_absent_refused_in_use_then_forced_detach(api):
    first = run(name="pw", data=VALUE)
    api.add_service("web", first["secret_id"], "pw")
    res = fails(name="pw", state="absent")
    assert "used by service(s) web: refusing to remove it" in res["msg"]
    res = run(name="pw", state="absent", force=True)
    assert api.calls[-2:] == [("update service", "web", []), ("remove", "secret", "pw")]
    assert res["secret_id"] is None and res["diff"]["after"] == {}
    assert run(name="pw", state="absent")["changed"] is False


def test_data_and_data_src_together_names_both(api):
    res = fails(name="pw", data=VALUE, data_src="/etc/hostname")
    assert "data|data_src" in res["msg"] and api.calls == []


def test_present_needs_data_or_data_src(api):
    res = fails(name="pw")
    assert "data, data_src" in res["msg"]


def test_data_src_missing_file_is_named(api, tmp_path):
    res = fails(name="pw", data_src=str(tmp_path / "nope"))
    assert "data_src: cannot read" in res["msg"] and api.calls == []


def test_data_src_same_as_data(api, tmp_path):
    src = tmp_path / "pw"
    src.write_bytes(VALUE.encode())
    run(name="pw", data=VALUE)
    assert run(name="pw", data_src=str(src))["changed"] is False


def test_reserved_label_refused(api):
    res = fails(name="pw", data=VALUE, labels={"io.dockyard.data-hash": "x"})
    assert "reserved" in res["msg"] and api.calls == []


def test_config_made_elsewhere_is_compared_by_data(api):
    api.objects["config"]["c1"] = {"ID": "c1", "Version": {"Index": 1},
                                   "Spec": {"Name": "conf", "Labels": {}, "Data": base64.b64encode(b"x=1").decode()}}
    res = run(swarm_config, name="conf", data="x=1")
    # Same content: only the hash label is added, in place.
    assert res["changed"] is True and api.calls == [("update labels", "config", "conf")]
    assert run(swarm_config, name="conf", data="x=1")["changed"] is False


def test_the_temporary_secret_says_which_rotation_wrote_it(api, monkeypatch):
    first = run(name="pw", data=VALUE)
    api.add_service("web", first["secret_id"], "pw")
    created = {}
    make = api._create

    def recording(kind, name, data, labels):
        created[name] = dict(labels or {})
        return make(kind, name, data, labels)

    monkeypatch.setattr(api, "_create", recording)
    run(name="pw", data=VALUE + "2", force=True, labels={"app": "shop"})
    assert created["pw-rotating"][ROTATION_LABEL] == "pw" and created["pw-rotating"]["app"] == "shop"
    assert ROTATION_LABEL not in created["pw"]


@pytest.mark.parametrize("labels", [
    {},  # made by hand (docker secret create pw-rotating ...)
    {"io.dockyard.data-hash": "pbkdf2-sha256:1:00:00"},  # made by swarm_secret name=pw-rotating
    {ROTATION_LABEL: "other"},  # the temporary secret of another rotation
], ids=["unlabelled", "hash-only", "other-rotation"])
@pytest.mark.parametrize("check", [False, True], ids=["real", "check"])
def test_rotation_refuses_a_rotating_secret_it_did_not_write(api, labels, check):
    first = run(name="pw", data=VALUE)
    api.add_service("web", first["secret_id"], "pw")
    theirs = api.create_secret("pw-rotating", b"theirs", labels=labels)
    calls = list(api.calls)
    res = fails(name="pw", data=VALUE + "2", force=True, check=check)
    assert "secret pw-rotating exists and is not the temporary secret of a rotation of pw" in res["msg"]
    assert "remove or rename pw-rotating" in res["msg"] and res["changed"] is False
    assert api.calls == calls and theirs["ID"] in api.objects["secret"]


def test_labels_may_not_claim_to_be_a_rotation(api):
    res = fails(name="pw", data=VALUE, labels={ROTATION_LABEL: "pw"})
    assert ROTATION_LABEL in res["msg"] and "reserved" in res["msg"]
    assert api.calls == []
