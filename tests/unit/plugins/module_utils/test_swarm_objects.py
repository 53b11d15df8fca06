# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of swarm_secret / swarm_config: hashing, plan, references."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.swarm import objects
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.objects import (
    HASH_LABEL,
    ObjectError,
    content_hash,
    current_hash,
    decode_content,
    desired_labels,
    hash_matches,
    plan,
    repoint_spec,
    same_content,
    services_using,
    temporary_name,
    view,
)


def secret(name="pw", labels=None, obj_id="S1", data=None):
    spec = {"Name": name, "Labels": labels or {}}
    if data is not None:
        spec["Data"] = base64.b64encode(data).decode()
    return {"ID": obj_id, "Version": {"Index": 3}, "Spec": spec}


def service(name, refs, key="Secrets"):
    return {"ID": "id-" + name, "Spec": {"Name": name, "TaskTemplate": {"ContainerSpec": {"Image": "x", key: refs}}}}


def test_decode_plain_b64_and_file():
    assert decode_content("hunter2") == b"hunter2"
    assert decode_content(base64.b64encode(b"\x00\xff").decode(), data_is_b64=True) == b"\x00\xff"
    assert decode_content(None, file_bytes=b"from file") == b"from file"


def test_decode_bad_b64_does_not_echo_the_value():
    with pytest.raises(ObjectError) as err:
        decode_content("!!not-base64-hunter2", data_is_b64=True)
    assert "hunter2" not in str(err.value)
    assert "data_is_b64" in str(err.value)


def test_decode_requires_data():
    with pytest.raises(ObjectError, match="data or data_src"):
        decode_content(None)


def test_hash_is_salted_and_verifiable():
    a = content_hash(b"hunter2")
    b = content_hash(b"hunter2")
    assert a != b  # random salt: no lookup table for short passwords
    assert a.startswith("pbkdf2-sha256:100000:")
    assert "hunter2" not in a
    assert hash_matches(a, b"hunter2") and hash_matches(b, b"hunter2")
    assert not hash_matches(a, b"hunter3")
    assert content_hash(b"x", salt="00", iterations=1) == content_hash(b"x", salt="00", iterations=1)


@pytest.mark.parametrize("bad", [None, "", "sha256:abc", "pbkdf2-sha256:x:00:ab", "pbkdf2-sha256:0:00:ab",
                                 "pbkdf2-sha256:99999999999:00:ab"])
def test_hash_matches_rejects_malformed(bad):
    assert not hash_matches(bad, b"x")


def test_desired_labels_adds_hash_and_reserves_it():
    assert desired_labels({"app": "shop", "n": 1}, "H") == {"app": "shop", "n": "1", HASH_LABEL: "H"}
    with pytest.raises(ObjectError, match="reserved"):
        desired_labels({HASH_LABEL: "mine"}, "H")


def test_same_content_by_label_by_config_data_or_unknown():
    h = content_hash(b"v1")
    assert same_content(secret(labels={HASH_LABEL: h}), b"v1") is True
    assert same_content(secret(labels={HASH_LABEL: h}), b"v2") is False
    assert same_content(secret(data=b"cfg"), b"cfg") is True  # a config made elsewhere: engine returns Data
    assert same_content(secret(data=b"cfg"), b"other") is False
    assert same_content(secret(), b"v1") is None  # a secret made elsewhere: unknowable
    assert current_hash(secret()) is None


def test_services_using_matches_by_id_only():
    svcs = [
        service("web", [{"SecretID": "S1", "SecretName": "pw", "File": {"Name": "pw"}}]),
        service("db", [{"SecretID": "S2", "SecretName": "other"}]),
        service("api", [{"SecretID": "S1", "SecretName": "pw"}, {"SecretID": "S3"}]),
        {"ID": "bare", "Spec": {"Name": "bare", "TaskTemplate": {}}},
    ]
    assert services_using(svcs, "secret", "S1") == ["api", "web"]
    assert services_using(svcs, "config", "S1") == []
    cfg = [service("proxy", [{"ConfigID": "C1", "ConfigName": "nginx"}], key="Configs")]
    assert services_using(cfg, "config", "C1") == ["proxy"]


def test_repoint_keeps_file_and_other_refs():
    spec = service("web", [
        {"SecretID": "S1", "SecretName": "pw", "File": {"Name": "pw", "UID": "0", "GID": "0", "Mode": 256}},
        {"SecretID": "S9", "SecretName": "keep"},
    ])["Spec"]
    out = repoint_spec(spec, "secret", "S1", "S2", "pw-rotating-abc")
    refs = out["TaskTemplate"]["ContainerSpec"]["Secrets"]
    assert refs[0] == {"SecretID": "S2", "SecretName": "pw-rotating-abc",
                       "File": {"Name": "pw", "UID": "0", "GID": "0", "Mode": 256}}
    assert refs[1] == {"SecretID": "S9", "SecretName": "keep"}
    assert spec["TaskTemplate"]["ContainerSpec"]["Secrets"][0]["SecretID"] == "S1"  # input untouched
    dropped = repoint_spec(spec, "secret", "S1")
    assert dropped["TaskTemplate"]["ContainerSpec"]["Secrets"] == [{"SecretID": "S9", "SecretName": "keep"}]


def test_temporary_name_is_fixed_and_has_no_content_hash():
    assert temporary_name("pw") == "pw-rotating"


class TestPlan:
    def test_create_and_up_to_date(self):
        assert plan("secret", "pw", None, "present")["action"] == "create"
        cur = secret(labels={HASH_LABEL: "H", "a": "1"})
        assert plan("secret", "pw", cur, "present", True, {HASH_LABEL: "H", "a": "1"})["action"] == "none"

    def test_labels_only(self):
        cur = secret(labels={HASH_LABEL: "H", "a": "1"})
        assert plan("secret", "pw", cur, "present", True, {HASH_LABEL: "H", "a": "2"})["action"] == "update_labels"

    def test_changed_unused_is_replaced(self):
        d = plan("secret", "pw", secret(), "present", False, {HASH_LABEL: "N"})
        assert d["action"] == "replace" and "content changed" in d["reason"]
        d = plan("secret", "pw", secret(), "present", None, {HASH_LABEL: "N"})
        assert d["action"] == "replace" and "unknown" in d["reason"]

    def test_changed_in_use_refused_naming_services(self):
        with pytest.raises(ObjectError) as err:
            plan("secret", "pw", secret(), "present", False, {}, users=["api", "web"])
        assert "api, web" in str(err.value) and "force=true" in str(err.value)

    def test_changed_in_use_forced_rotates(self):
        d = plan("config", "nginx", secret(), "present", False, {}, users=["proxy"], force=True)
        assert d["action"] == "rotate" and "proxy" in d["reason"]

    def test_absent(self):
        assert plan("secret", "pw", None, "absent")["action"] == "none"
        assert plan("secret", "pw", secret(), "absent")["action"] == "remove"
        with pytest.raises(ObjectError) as err:
            plan("secret", "pw", secret(), "absent", users=["web"])
        assert "used by service(s) web" in str(err.value)
        assert plan("secret", "pw", secret(), "absent", users=["web"], force=True)["action"] == "detach_remove"

    def test_force_does_not_recreate_unchanged(self):
        cur = secret(labels={HASH_LABEL: "H"})
        assert plan("secret", "pw", cur, "present", True, {HASH_LABEL: "H"}, users=["w"], force=True)["action"] == "none"


def test_view_never_has_data():
    v = view(secret(labels={HASH_LABEL: "H"}, data=b"topsecret"), users=["web"])
    assert v == {"name": "pw", "labels": {HASH_LABEL: "H"}, "data_hash": "H", "services": ["web"]}
    assert view(None) == {}


# --------------------------------------------------------------------------- the temporary object of a rotation


def _obj(labels):
    return {"ID": "t1", "Spec": {"Name": "conf-rotating", "Labels": labels}}


@pytest.mark.parametrize("kind", ["secret", "config"])
def test_a_stale_temporary_object_goes_only_when_a_rotation_of_that_name_wrote_it(kind):
    assert objects.stale_temporary_plan(kind, "conf", None) is None
    assert objects.stale_temporary_plan(kind, "conf", _obj({objects.ROTATION_LABEL: "conf"})) == "remove"
    for labels in ({}, {objects.HASH_LABEL: "x"}, {objects.ROTATION_LABEL: "other"}, {objects.ROTATION_LABEL: ""}):
        with pytest.raises(objects.ObjectError) as err:
            objects.stale_temporary_plan(kind, "conf", _obj(labels))
        assert "%s conf-rotating exists and is not the temporary %s" % (kind, kind) in str(err.value)
        assert "docker %s rm conf-rotating" % kind in str(err.value)


def test_a_stale_temporary_object_in_use_is_refused_even_when_ours():
    with pytest.raises(objects.ObjectError) as err:
        objects.stale_temporary_plan("config", "conf", _obj({objects.ROTATION_LABEL: "conf"}), ["web"])
    assert "still used by service(s) web" in str(err.value)


def test_temporary_labels_add_the_rotation_label_only():
    assert objects.temporary_labels({"a": "1", objects.HASH_LABEL: "h"}, "pw") == {
        "a": "1", objects.HASH_LABEL: "h", objects.ROTATION_LABEL: "pw"}
