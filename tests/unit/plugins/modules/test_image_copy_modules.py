# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""image_export, image_load and container_copy_into without a daemon: argument handling, bad inputs, and that
a refused or unchanged run writes nothing. The engine side is a fake; the molecule scenario `info` runs them
on real engines and reads the effects back with `docker`."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io
import json
import tarfile

import pytest

from module_harness import module_runner

from ansible_collections.dockyard.docker.plugins.module_utils.client import NotFound
from ansible_collections.dockyard.docker.plugins.module_utils.container.copy_into import build_tar, desired_file
from ansible_collections.dockyard.docker.plugins.modules import container_copy_into, image_export, image_load

ID_A = "sha256:" + "a" * 64
ID_B = "sha256:" + "b" * 64


class Client:
    def __init__(self, api):
        self.api = api
        self.reader = api


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, client=Client)


def write_archive(path, manifest):
    with tarfile.open(str(path), "w") as tar:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return str(path)


MANIFEST = [{"Config": "a" * 64 + ".json", "RepoTags": ["app:latest"]},
            {"Config": "b" * 64 + ".json", "RepoTags": ["db:1"]}]


class ImageEngine:
    def __init__(self, images=None):
        self.images = dict(images or {})
        self.loaded = []

    def inspect_image(self, ref):
        if ref not in self.images:
            raise NotFound("No such image: %s" % ref)
        return {"Id": self.images[ref], "RepoTags": [ref]}

    def load_image(self, handle):
        self.loaded.append(handle.name)
        self.images.update({ID_A: ID_A, "app:latest": ID_A, ID_B: ID_B, "db:1": ID_B})
        return iter([{"stream": "Loaded image: app:latest\n"}])


# --------------------------------------------------------------------------- image_export
def test_export_same_archive_is_left_alone(run, tmp_path):
    path = write_archive(tmp_path / "images.tar", MANIFEST)
    engine = ImageEngine({"app:latest": ID_A, "db:1": ID_B})
    result, ok = run(image_export, {"names": ["app", "db:1"], "path": path}, engine)
    assert ok and not result["changed"] and result["archive"] == {ID_A: ["app:latest"], ID_B: ["db:1"]}
    assert [i["Id"] for i in result["images"]] == [ID_A, ID_B]


def test_export_check_mode_reports_and_writes_nothing(run, tmp_path):
    path = tmp_path / "images.tar"
    result, ok = run(image_export, {"names": "app", "path": str(path), "_ansible_check_mode": True,
                                    "_ansible_diff": True}, ImageEngine({"app:latest": ID_A}))
    assert ok and result["changed"] and not path.exists()
    assert result["diff"]["before"]["images"] == {} and result["diff"]["after"]["images"] == {ID_A: ["app:latest"]}


def test_export_a_different_archive_would_be_rewritten(run, tmp_path):
    path = write_archive(tmp_path / "images.tar", MANIFEST[:1])
    result, ok = run(image_export, {"names": ["app", "db:1"], "path": path, "_ansible_check_mode": True},
                     ImageEngine({"app:latest": ID_A, "db:1": ID_B}))
    assert ok and result["changed"] and "the archive holds other images or tags" in result["actions"][0]


def test_export_missing_image_fails_naming_it(run, tmp_path):
    result, ok = run(image_export, {"names": ["app", "ghost:2"], "path": str(tmp_path / "x.tar")},
                     ImageEngine({"app:latest": ID_A}))
    assert not ok and "names: image ghost:2 does not exist" in result["msg"]
    assert not (tmp_path / "x.tar").exists()


def test_export_refuses_to_overwrite_a_file_that_is_no_archive(run, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("precious")
    result, ok = run(image_export, {"names": "app", "path": str(path)}, ImageEngine({"app:latest": ID_A}))
    assert not ok and "is not a `docker save` archive" in result["msg"] and "force: true" in result["msg"]
    assert path.read_text() == "precious"


@pytest.mark.parametrize("args, message", [
    ({"names": [], "path": "/tmp/x.tar"}, "names must list at least one image"),
    ({"names": ["app"], "path": "/tmp/x.tar", "tag": "a:b"}, "tag 'a:b' is not a tag"),
    ({"names": ["a b"], "path": "/tmp/x.tar"}, "names: 'a b' is not an image reference"),
    ({"names": ["app"], "path": "/nonexistent-dir/x.tar"}, "directory /nonexistent-dir does not exist"),
    ({"names": ["app"]}, "path"),
])
def test_export_bad_inputs(run, args, message):
    result, ok = run(image_export, args, ImageEngine({"app:latest": ID_A}))
    assert not ok and message in result["msg"]


def test_export_directory_path_refused(run, tmp_path):
    result, ok = run(image_export, {"names": ["app"], "path": str(tmp_path)}, ImageEngine({"app:latest": ID_A}))
    assert not ok and "is a directory" in result["msg"]


# --------------------------------------------------------------------------- image_load
def test_load_nothing_new_loads_nothing(run, tmp_path):
    path = write_archive(tmp_path / "images.tar", MANIFEST)
    engine = ImageEngine({ID_A: ID_A, "app:latest": ID_A, ID_B: ID_B, "db:1": ID_B})
    result, ok = run(image_load, {"path": path}, engine)
    assert ok and not result["changed"] and result["new_image_names"] == [] and engine.loaded == []
    assert result["image_names"] == ["app:latest", "db:1"]


def test_load_reports_the_new_image_and_loads_once(run, tmp_path):
    path = write_archive(tmp_path / "images.tar", MANIFEST)
    engine = ImageEngine({ID_A: ID_A, "app:latest": ID_A})
    result, ok = run(image_load, {"path": path, "_ansible_check_mode": True}, engine)
    assert ok and result["changed"] and result["new_image_names"] == ["db:1"] and engine.loaded == []
    result, ok = run(image_load, {"path": path}, engine)
    assert ok and result["changed"] and result["new_image_names"] == ["db:1"] and engine.loaded == [path]
    assert [i["Id"] for i in result["images"]] == [ID_A, ID_B]


def test_load_of_a_file_that_is_no_archive_names_path(run, tmp_path):
    path = tmp_path / "x.tar"
    path.write_text("not a tar")
    result, ok = run(image_load, {"path": str(path)}, ImageEngine())
    assert not ok and result["msg"].startswith("path %s is not a tar archive" % path)
    result, ok = run(image_load, {"path": str(tmp_path / "missing.tar")}, ImageEngine())
    assert not ok and "cannot be read" in result["msg"]


# --------------------------------------------------------------------------- container_copy_into
class ContainerEngine:
    def __init__(self, stat=None, archive=b"", user="", running=True, exists=True):
        self.stat, self.archive = stat, archive
        self.container = {"Config": {"User": user}, "State": {"Running": running}}
        self.exists = exists
        self.written = []

    def inspect_container(self, name):
        if not self.exists:
            raise NotFound("No such container: %s" % name)
        return self.container

    def get_archive(self, name, path):
        if self.stat is None:
            raise NotFound("Could not find the file %s in container %s" % (path, name))
        return [self.archive], self.stat

    def put_archive(self, name, directory, data):
        self.written.append((name, directory, data))
        return True


def same_file(content=b"hello\n", mode=0o644, uid=0, gid=0):
    return ContainerEngine(stat={"name": "f", "mode": mode, "size": len(content)},
                           archive=build_tar("f", desired_file(content, mode, uid, gid)))


ARGS = {"container": "web", "content": "hello\n", "container_path": "/etc/f"}


def test_copy_writes_a_missing_file_then_is_unchanged(run):
    engine = ContainerEngine()
    result, ok = run(container_copy_into, dict(ARGS), engine)
    assert ok and result["changed"] and engine.written[0][:2] == ("web", "/etc")
    with tarfile.open(fileobj=io.BytesIO(engine.written[0][2])) as tar:
        (member,) = tar.getmembers()
        assert (member.name, member.mode, member.uid, member.gid) == ("f", 0o644, 0, 0)
    engine = same_file()
    result, ok = run(container_copy_into, dict(ARGS), engine)
    assert ok and not result["changed"] and engine.written == []


def test_copy_check_mode_and_diff_hide_content(run):
    engine = same_file(content=b"old\n")
    result, ok = run(container_copy_into, dict(ARGS, _ansible_check_mode=True, _ansible_diff=True), engine)
    assert ok and result["changed"] and engine.written == []
    assert "content" not in result["diff"]["before"] and "content" not in result["diff"]["after"]
    assert result["diff"]["before"]["sha256"] != result["diff"]["after"]["sha256"]


def test_copy_owner_and_mode_changes_write(run):
    result, ok = run(container_copy_into, dict(ARGS, owner_id=33, group_id=44, mode="0640"), same_file())
    assert ok and result["actions"] == ["wrote /etc/f (mode 0644 -> 0640, owner 0:0 -> 33:44)"]


def test_copy_force_false_leaves_an_existing_file(run):
    engine = same_file(content=b"other")
    result, ok = run(container_copy_into, dict(ARGS, force=False), engine)
    assert ok and not result["changed"] and engine.written == []


def test_copy_into_a_stopped_container_with_a_named_user_needs_ids(run):
    result, ok = run(container_copy_into, dict(ARGS), ContainerEngine(user="www-data", running=False))
    assert not ok and "give owner_id and group_id" in result["msg"]
    result, ok = run(container_copy_into, dict(ARGS, owner_id=33, group_id=33),
                     ContainerEngine(user="www-data", running=False))
    assert ok and result["changed"]


def test_copy_missing_container(run):
    result, ok = run(container_copy_into, dict(ARGS), ContainerEngine(exists=False))
    assert not ok and "container web does not exist" in result["msg"]


@pytest.mark.parametrize("args, message", [
    ({"container": "web", "container_path": "/etc/f"}, "one of the following is required: path, content"),
    (dict(ARGS, path="/etc/hostname"), "mutually exclusive: path|content"),
    (dict(ARGS, owner_id=1), "parameters are required together: owner_id, group_id"),
    (dict(ARGS, owner_id=-1, group_id=0), "owner_id must be a user or group ID of 0 or more"),
    (dict(ARGS, container_path="etc/f"), "container_path must be an absolute path"),
    (dict(ARGS, mode="rwx"), "mode must be an octal string"),
    (dict(ARGS, content="@@", content_is_b64=True), "content is not valid base64"),
    (dict(ARGS, content=None, path="/nonexistent/file"), "path /nonexistent/file is not a file"),
])
def test_copy_bad_inputs_fail_and_write_nothing(run, args, message):
    engine = ContainerEngine()
    args = dict((k, v) for k, v in args.items() if v is not None)
    result, ok = run(container_copy_into, args, engine)
    assert not ok and message in result["msg"] and engine.written == []


def test_copy_from_a_host_file_keeps_its_mode(run, tmp_path):
    source = tmp_path / "app.conf"
    source.write_text("x = 1\n")
    source.chmod(0o600)
    engine = ContainerEngine()
    result, ok = run(container_copy_into, {"container": "web", "path": str(source), "container_path": "/etc/app.conf",
                                           "_ansible_diff": True}, engine)
    assert ok and result["diff"]["after"]["mode"] == "0600" and result["diff"]["after"]["content"] == "x = 1\n"


def test_copy_refuses_a_directory_at_the_path(run):
    engine = ContainerEngine(stat={"name": "etc", "mode": (1 << 31) | 0o755})
    result, ok = run(container_copy_into, dict(ARGS, container_path="/etc", force=True), engine)
    assert not ok and "container_path /etc is a directory" in result["msg"] and engine.written == []
