# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""volume, prune, exec and engine_info's inventory without a daemon: argument handling and engine calls."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib

import pytest

from module_harness import module_runner

from ansible_collections.dockyard.docker.plugins.module_utils.client import OWNER_LABEL, APIError, NotFound
from ansible_collections.dockyard.docker.plugins.modules import engine_info, prune, volume

exec_module = importlib.import_module("ansible_collections.dockyard.docker.plugins.modules.exec")


class Response:
    def __init__(self, status_code):
        self.status_code = status_code
        self.reason = "x"
        self.url = "http://engine/x"


def api_error(status, text):
    return APIError(text, response=Response(status), explanation=text)


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch)


# --------------------------------------------------------------------------- volume
class VolumeApi:
    def __init__(self, volumes=None, users=None, refuse=None):
        self.volumes = dict(volumes or {})
        self.users = users or []
        self.refuse = refuse
        self.writes = []

    def inspect_volume(self, name):
        if name not in self.volumes:
            raise NotFound("no such volume")
        return self.volumes[name]

    def containers(self, all=False, filters=None):  # noqa: A002 - SDK's name
        assert all and filters == {"volume": "data"}
        return [{"Names": ["/" + u], "Mounts": [{"Type": "volume", "Name": "data"}]} for u in self.users]

    def create_volume(self, name, driver=None, driver_opts=None, labels=None):
        if self.refuse and self.refuse in (driver_opts or {}):
            raise api_error(500, 'create %s: invalid option: "%s"' % (name, self.refuse))
        self.writes.append(("create", name))
        self.volumes[name] = {"Name": name, "Driver": driver, "Options": driver_opts, "Labels": labels}

    def remove_volume(self, name):
        self.writes.append(("remove", name))
        del self.volumes[name]


EXISTING = {"data": {"Name": "data", "Driver": "local", "Options": {"type": "tmpfs", "device": "tmpfs",
                                                                    "o": "size=8m"}, "Labels": {}}}
TMPFS16 = {"type": "tmpfs", "device": "tmpfs", "o": "size=16m"}


def test_volume_create_then_unchanged(run):
    api = VolumeApi()
    result, ok = run(volume, {"name": "data", "labels": {"a": "1"}}, api)
    assert ok and result["changed"] and result["actions"] == ["created"]
    assert result["volume"]["Labels"] == {"a": "1"}
    result, ok = run(volume, {"name": "data", "labels": {"a": "1"}}, api)
    assert ok and not result["changed"] and api.writes == [("create", "data")]


def test_volume_check_mode_writes_nothing(run):
    api = VolumeApi(EXISTING)
    for args in ({"name": "new"}, {"name": "data", "state": "absent"},
                 {"name": "data", "driver_options": TMPFS16, "recreate": "options-changed"}):
        result, ok = run(volume, dict(args, _ansible_check_mode=True), api)
        assert ok and result["changed"]
    assert api.writes == []


def test_volume_difference_left_alone_with_recreate_never(run):
    api = VolumeApi(EXISTING)
    result, ok = run(volume, {"name": "data", "driver_options": TMPFS16, "_ansible_diff": True}, api)
    assert ok and not result["changed"] and api.writes == []
    assert "driver_options" in result["actions"][0]
    assert result["diff"]["before"]["driver_options"]["o"] == "size=8m"


def test_volume_recreate_tries_the_options_first(run):
    api = VolumeApi(EXISTING)
    result, ok = run(volume, {"name": "data", "driver_options": TMPFS16, "recreate": "options-changed"}, api)
    assert ok and result["changed"]
    assert [w[0] for w in api.writes] == ["create", "remove", "remove", "create"]
    assert api.writes[0][1].startswith("data-dockyard-probe-")
    assert api.volumes["data"]["Options"] == TMPFS16


def test_volume_refused_options_keep_the_old_volume(run):
    api = VolumeApi(EXISTING, refuse="foo")
    result, ok = run(volume, {"name": "data", "driver_options": {"foo": "bar"}, "recreate": "options-changed"}, api)
    assert not ok and 'invalid option: "foo"' in result["msg"] and "kept" in result["msg"]
    assert api.writes == [] and api.volumes == EXISTING


def test_volume_refused_options_on_create_keep_the_engine_message(run):
    api = VolumeApi(refuse="foo")
    result, ok = run(volume, {"name": "data", "driver_options": {"foo": "bar"}}, api)
    assert not ok and 'invalid option: "foo"' in result["msg"] and api.volumes == {}


@pytest.mark.parametrize("args", [
    {"name": "data", "state": "absent"},
    {"name": "data", "recreate": "always"},
    {"name": "data", "driver_options": TMPFS16, "recreate": "options-changed"},
])
def test_volume_in_use_is_never_removed(run, args):
    api = VolumeApi(EXISTING, users=["web", "db"])
    result, ok = run(volume, args, api)
    assert not ok and "in use by container(s) db, web" in result["msg"]
    assert api.writes == []


@pytest.mark.parametrize("args, words", [
    ({"name": "data", "recreate": "sometimes"}, ["recreate", "options-changed"]),
    ({"name": "data", "state": "gone"}, ["state", "present", "absent"]),
    ({"name": "a/b"}, ["name", "a/b"]),
    ({"name": "data", "labels": {"x": True}}, ["labels.x"]),
])
def test_volume_bad_options_never_connect(run, args, words):
    result, ok = run(volume, args)
    assert not ok
    for word in words:
        assert word in result["msg"]


# --------------------------------------------------------------------------- prune
ANON = "3f" * 32  # the name an engine gives a volume created without one


class PruneApi:
    def __init__(self):
        self.removed = []
        self.conflict = set()
        self.kept_parents = set()

    def containers(self, all=False, size=False):  # noqa: A002 - SDK's name
        return [
            {"Id": "c1", "Names": ["/stopped"], "State": "exited", "Labels": {}, "Created": 1, "SizeRw": 10,
             "ImageID": "sha256:used", "Mounts": [{"Type": "volume", "Name": "vused"}]},
            {"Id": "c2", "Names": ["/owned"], "State": "exited", "Labels": {OWNER_LABEL: "true"}, "Created": 1},
            {"Id": "c3", "Names": ["/running"], "State": "running", "Labels": {}, "Created": 1},
            {"Id": "c4", "Names": ["/racing"], "State": "exited", "Labels": {}, "Created": 1, "SizeRw": 5},
        ]

    def images(self):
        return [{"Id": "sha256:used", "RepoTags": [], "Created": 1},
                {"Id": "sha256:dangling", "RepoTags": [], "Created": 1},
                {"Id": "sha256:tagged", "RepoTags": ["app:1", "app:2"], "Created": 1}]

    def volumes(self):
        return {"Volumes": [{"Name": "vused"}, {"Name": "vfree"}, {"Name": ANON}]}

    def networks(self):
        return [{"Id": "n1"}, {"Id": "n2"}]

    def inspect_network(self, nid):
        return {"n1": {"Id": "n1", "Name": "bridge", "Scope": "local"},
                "n2": {"Id": "n2", "Name": "spare", "Scope": "local", "Containers": {}}}[nid]

    def df(self):
        layers = 1000 - (300 if ("image", "sha256:dangling") in self.removed else 0)
        return {"LayersSize": layers, "Images": [{"Id": "sha256:dangling", "Size": 300, "SharedSize": 0}],
                "BuildCache": [{"ID": "b1", "Size": 3, "InUse": False, "Shared": False},
                               {"ID": "b2", "Size": 5, "InUse": False, "Shared": True},
                               {"ID": "b3", "Size": 9, "InUse": True, "Shared": False}],
                "Volumes": [{"Name": "vfree", "UsageData": {"Size": 7, "RefCount": 0}},
                            {"Name": ANON, "UsageData": {"Size": 2, "RefCount": 0}}]}

    def _remove(self, kind, ident):
        if ident in self.conflict:
            raise api_error(409, "conflict: %s is in use" % ident)
        self.removed.append((kind, ident))

    def remove_container(self, cid):
        self._remove("container", cid)

    def remove_image(self, ref):
        self._remove("image", ref)

    def remove_volume(self, name):
        self._remove("volume", name)

    def remove_network(self, nid):
        self._remove("network", nid)

    def inspect_image(self, image_id):
        if image_id in self.kept_parents:
            return {"Id": image_id}
        raise NotFound("no such image")

    def _url(self, path):
        return path

    def _post(self, url, params=None):
        self.removed.append(("builder", url, params))
        return {"CachesDeleted": ["b1"], "SpaceReclaimed": 42}

    @staticmethod
    def _result(response, json=False):
        assert json
        return response


ALL = {"containers": True, "images": True, "volumes": True, "networks": True}


def test_prune_removes_candidates_only_and_reports_space(run):
    api = PruneApi()
    api.conflict.add("c4")  # started between the listing and the removal
    result, ok = run(prune, dict(ALL, builder_cache=True), api)
    assert ok and result["changed"]
    assert result["containers"] == ["c1"] and result["containers_space_reclaimed"] == 10
    assert result["skipped"] == ["container racing: conflict: c4 is in use"]
    # an unused named volume stays unless asked for all (as docker volume prune since API 1.42)
    assert result["volumes"] == [ANON] and result["volumes_space_reclaimed"] == 2
    assert result["networks"] == ["spare"]
    assert result["images"] == ["sha256:dangling"] and result["images_space_reclaimed"] == 300
    assert result["builder_cache_caches_deleted"] == ["b1"] and result["builder_cache_space_reclaimed"] == 42
    assert ("container", "c2") not in api.removed and ("container", "c3") not in api.removed
    assert ("builder", "/build/prune", {}) in api.removed


def test_prune_volumes_all_takes_unused_named_volumes_too(run):
    api = PruneApi()
    result, ok = run(prune, {"volumes": True, "volumes_filters": {"all": True}}, api)
    assert ok and result["volumes"] == [ANON, "vfree"] and result["volumes_space_reclaimed"] == 9
    assert ("volume", "vused") not in api.removed


@pytest.mark.parametrize("everything, ids, space, params", [
    (False, ["b1"], 3, {}),
    (True, ["b1", "b2"], 8, {"all": "true"}),
])
def test_prune_builder_cache_all(run, everything, ids, space, params):
    api = PruneApi()
    result, ok = run(prune, {"builder_cache": True, "builder_cache_all": everything, "_ansible_check_mode": True},
                     api)
    assert ok and result["builder_cache_caches_deleted"] == ids and result["builder_cache_space_reclaimed"] == space
    assert api.removed == []
    result, ok = run(prune, {"builder_cache": True, "builder_cache_all": everything}, api)
    assert ok and api.removed == [("builder", "/build/prune", params)]


def test_prune_check_mode_lists_and_removes_nothing(run):
    api = PruneApi()
    result, ok = run(prune, dict(ALL, _ansible_check_mode=True), api)
    assert ok and result["changed"] and api.removed == []
    assert result["containers"] == ["c4", "c1"] and result["images"] == ["sha256:dangling"]
    assert result["images_space_reclaimed"] == 300


def test_prune_owned_objects_only_when_the_label_is_named(run):
    api = PruneApi()
    result, ok = run(prune, {"containers": True, "containers_filters": {"label": OWNER_LABEL}}, api)
    assert ok and result["containers"] == ["c2"] and api.removed == [("container", "c2")]


def test_prune_tagged_images_untags_each_name(run):
    api = PruneApi()
    result, ok = run(prune, {"images": True, "images_filters": {"dangling": False}}, api)
    assert ok and ("image", "app:1") in api.removed and ("image", "app:2") in api.removed
    assert result["images_tags"] == ["app:1", "app:2"]


def test_prune_tagged_parent_image_is_only_untagged(run):
    api = PruneApi()
    api.kept_parents.add("sha256:tagged")
    result, ok = run(prune, {"images": True, "images_filters": {"dangling": False}}, api)
    assert ok and result["changed"] and "sha256:tagged" not in result["images"]
    assert result["skipped"] == ["image sha256:tagged: untagged app:1, app:2, kept as the parent of other images"]


def test_prune_nothing_asked_is_no_change(run):
    result, ok = run(prune, {}, PruneApi())
    assert ok and not result["changed"]


@pytest.mark.parametrize("args, words", [
    ({"containers": True, "containers_filters": {"bogus": "1"}}, ["containers_filters", "bogus", "until, label"]),
    ({"volumes": True, "volumes_filters": {"dangling": True}}, ["volumes_filters", "dangling", "label, label!"]),
    ({"images": True, "images_filters": {"until": "soon"}}, ["images_filters.until", "soon"]),
    ({"images": "often"}, ["images"]),
])
def test_prune_bad_filters_never_connect(run, args, words):
    result, ok = run(prune, args)
    assert not ok
    for word in words:
        assert word in result["msg"]


# --------------------------------------------------------------------------- exec
class ExecApi:
    def __init__(self, state):
        self.state = state
        self.created = []

    def inspect_container(self, name):
        if self.state is None:
            raise NotFound("no such container")
        return {"State": self.state}

    def exec_create(self, *args, **kwargs):
        self.created.append((args, kwargs))
        return {"Id": "e1"}

    def exec_start(self, exec_id, detach=False, tty=False, socket=False):
        return {}


RUNNING = {"Running": True, "Status": "running"}


@pytest.mark.parametrize("args, words", [
    ({"container": "c"}, ["one of the following is required", "command", "argv"]),
    ({"container": "c", "command": "true", "argv": ["true"]}, ["mutually exclusive", "command", "argv"]),
    ({"container": "c", "command": "cat", "stdin": "x", "detach": True}, ["mutually exclusive", "stdin", "detach"]),
    ({"container": "c", "command": "echo 'open"}, ["command", "cannot be split"]),
    ({"container": "c", "argv": ["env"], "env": {"DEBUG": True}}, ["env.DEBUG", "quote"]),
])
def test_exec_bad_arguments_never_connect(run, args, words):
    result, ok = run(exec_module, args)
    assert not ok
    for word in words:
        assert word in result["msg"]


@pytest.mark.parametrize("state, words", [
    ({"Running": False, "Status": "exited"}, ["container web is not running", "exited"]),
    ({"Running": True, "Paused": True, "Status": "paused"}, ["container web is not running", "paused"]),
    (None, ["container web does not exist"]),
])
def test_exec_refuses_a_container_not_running(run, state, words):
    api = ExecApi(state)
    result, ok = run(exec_module, {"container": "web", "command": "true"}, api)
    assert not ok and not result["changed"] and api.created == []
    for word in words:
        assert word in result["msg"]


def test_exec_check_mode_does_not_run(run):
    api = ExecApi(RUNNING)
    result, ok = run(exec_module, {"container": "web", "command": "rm -rf /data", "_ansible_check_mode": True}, api)
    assert ok and result["changed"] and "not run" in result["msg"] and api.created == []
    assert result["argv"] == ["rm", "-rf", "/data"]


def test_exec_detach_returns_the_exec_id(run):
    api = ExecApi(RUNNING)
    result, ok = run(exec_module, {"container": "web", "argv": ["sleep", "5"], "detach": True, "env": {"A": "1"},
                                   "chdir": "/tmp", "user": "nobody"}, api)
    assert ok and result["changed"] and result["exec_id"] == "e1" and "rc" not in result
    args, kwargs = api.created[0]
    assert args == ("web", ["sleep", "5"])
    assert kwargs["environment"] == ["A=1"] and kwargs["workdir"] == "/tmp" and kwargs["user"] == "nobody"


def test_exec_non_zero_exit_fails_with_rc(run, monkeypatch):
    api = ExecApi(RUNNING)
    api.exec_inspect = lambda exec_id: {"ExitCode": 3}
    monkeypatch.setattr(exec_module, "talk", lambda sock, stdin: b"\x02\x00\x00\x00\x00\x00\x00\x04bad\n")
    result, ok = run(exec_module, {"container": "web", "command": "false"}, api)
    assert not ok and result["rc"] == 3 and result["stderr"] == "bad" and result["changed"]
    assert "exited with code 3" in result["msg"]


def test_exec_sends_stdin_with_a_newline(run, monkeypatch):
    api = ExecApi(RUNNING)
    api.exec_inspect = lambda exec_id: {"ExitCode": 0}
    sent = []

    def talk(sock, stdin):
        sent.append(stdin)
        return b"\x01\x00\x00\x00\x00\x00\x00\x03hi\n"

    monkeypatch.setattr(exec_module, "talk", talk)
    result, ok = run(exec_module, {"container": "web", "command": "cat", "stdin": "hi"}, api)
    assert ok and result["rc"] == 0 and result["stdout"] == "hi" and sent == [b"hi\n"]
    assert api.created[0][1]["stdin"] is True


# --------------------------------------------------------------------------- engine_info inventory
class InfoApi:
    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        raise AssertionError("engine_info called a non read-only API method: %s" % name)

    def version(self):
        return {"Version": "20.10.24"}

    def info(self):
        return {"Swarm": {"LocalNodeState": "inactive"}}

    def containers(self, all=False, filters=None):  # noqa: A002 - SDK's name
        return []

    def images(self, filters=None):
        self.calls.append(("images", filters))
        return [{"Id": "sha256:b", "RepoTags": ["b:1"]}, {"Id": "sha256:a", "RepoTags": ["a:1"]}]

    def networks(self, filters=None):
        self.calls.append(("networks", filters))
        return [{"Name": "n2"}, {"Name": "n1"}]

    def volumes(self, filters=None):
        self.calls.append(("volumes", filters))
        return {"Volumes": [{"Name": "v1", "Driver": "local"}]}

    def df(self):
        self.calls.append("df")
        return {"LayersSize": 5, "Images": [{"Size": 5, "Containers": 0}]}


def test_engine_info_inventory_is_opt_in(run):
    api = InfoApi()
    result, ok = run(engine_info, {}, api)
    assert ok and result["images"] == [] and result["networks"] == [] and result["volumes"] == []
    assert result["disk_usage"] == {} and api.calls == []


def test_engine_info_lists_with_filters(run):
    api = InfoApi()
    result, ok = run(engine_info, {"images": True, "images_filters": {"dangling": True}, "networks": True,
                                   "volumes": True, "volumes_filters": {"name": "v"}, "disk_usage": True,
                                   "_ansible_check_mode": True}, api)
    assert ok and not result["changed"]
    assert [i["RepoTags"] for i in result["images"]] == [["a:1"], ["b:1"]]
    assert [n["Name"] for n in result["networks"]] == ["n1", "n2"]
    assert result["volumes"][0]["Name"] == "v1"
    assert result["disk_usage"]["images"] == {"count": 1, "active": 0, "size": 5}
    assert ("images", {"dangling": True}) in api.calls and ("volumes", {"name": "v"}) in api.calls
    assert ("networks", None) in api.calls


def test_talk_sends_stdin_closes_it_and_reads_until_eof():
    import socket
    import threading
    import time

    ours, engine = socket.socketpair()
    received = []

    def fake_engine():
        data = b""
        while True:
            chunk = engine.recv(4096)
            if not chunk:
                break
            data += chunk
        received.append(data)
        time.sleep(0.2)  # a command that prints after a while
        engine.sendall(b"\x01\x00\x00\x00\x00\x00\x00\x03ok\n")
        engine.close()

    thread = threading.Thread(target=fake_engine)
    thread.start()
    ours.settimeout(0.01)  # the engine timeout must not cut a long command short
    assert exec_module.talk(ours, b"input\n") == b"\x01\x00\x00\x00\x00\x00\x00\x03ok\n"
    thread.join(5)
    assert received == [b"input\n"]


class SharedVolumesApi(InfoApi):
    def volumes(self, filters=None):
        return {"Volumes": [
            {"Name": "local-cache", "Driver": "local", "Labels": None},
            {"Name": "pgdata", "Driver": "local",
             "Labels": {"io.dockyard.shared_storage.backend": "glusterfs",
                        "io.dockyard.shared_storage.mount": "/mnt/dockyard"},
             "Options": {"type": "none", "o": "bind", "device": "/mnt/dockyard/volumes/pgdata"}},
        ]}


@pytest.mark.parametrize("mounted", [True, False])
def test_engine_info_marks_shared_volumes_and_whether_their_mount_is_up(run, monkeypatch, mounted):
    asked = []

    def ismount(path):
        asked.append(path)
        return mounted

    monkeypatch.setattr(engine_info.os.path, "ismount", ismount)
    result, ok = run(engine_info, {"volumes": True}, SharedVolumesApi())
    assert ok
    volumes = {v["Name"]: v for v in result["volumes"]}
    assert volumes["pgdata"]["shared"] is True and volumes["pgdata"]["mount_up"] is mounted
    assert volumes["local-cache"]["shared"] is False and volumes["local-cache"]["mount_up"] is None
    assert asked == ["/mnt/dockyard"]
