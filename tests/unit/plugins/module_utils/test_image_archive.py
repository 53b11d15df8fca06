# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""docker save archives: the image ID they hold, found without loading them."""

import io
import json
import tarfile

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.image.archive import (
    ArchiveError,
    find_image,
    normalize_reference,
    parse_manifest,
    read_archive,
)

HEX = "7ef200ab3ab806c96078f02ac24f5a50575ffe6e4e7fcb87dc723945bba0c200"


def write_archive(path, manifest, mode="w"):
    with tarfile.open(str(path), mode) as tar:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return str(path)


@pytest.mark.parametrize(
    "ref, expected",
    [("app", "app:latest"), ("app:1", "app:1"), ("docker.io/library/app:1", "app:1"),
     ("registry:5000/team/app", "registry:5000/team/app:latest"), ("docker.io/team/app", "team/app:latest"),
     ("app@sha256:" + HEX, "app@sha256:" + HEX)],
)
def test_normalize_reference(ref, expected):
    assert normalize_reference(ref) == expected


def test_classic_and_oci_layouts():
    images = parse_manifest(json.dumps([
        {"Config": HEX + ".json", "RepoTags": ["dockyard-lab/app:latest"], "Layers": []},
        {"Config": "blobs/sha256/" + "b" * 64, "RepoTags": ["other"], "Layers": []},
    ]))
    assert images == [
        {"id": "sha256:" + HEX, "tags": ["dockyard-lab/app:latest"]},
        {"id": "sha256:" + "b" * 64, "tags": ["other:latest"]},
    ]
    assert find_image(images, "dockyard-lab/app")["id"] == "sha256:" + HEX
    assert find_image(images, "other:latest")["id"] == "sha256:" + "b" * 64
    assert find_image(images, "sha256:" + HEX)["tags"] == ["dockyard-lab/app:latest"]
    assert find_image(images, "missing:1") is None


@pytest.mark.parametrize("mode", ["w", "w:gz"])
def test_read_archive(tmp_path, mode):
    path = write_archive(tmp_path / "img.tar", [{"Config": HEX + ".json", "RepoTags": ["a:1"], "Layers": []}], mode)
    assert read_archive(path) == [{"id": "sha256:" + HEX, "tags": ["a:1"]}]


def test_not_an_archive(tmp_path):
    path = tmp_path / "x.tar"
    path.write_text("hello")
    with pytest.raises(ArchiveError) as err:
        read_archive(str(path))
    assert "archive_path" in str(err.value) and "docker save" in str(err.value)


def test_archive_without_manifest(tmp_path):
    path = tmp_path / "x.tar"
    with tarfile.open(str(path), "w") as tar:
        info = tarfile.TarInfo("hello")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(ArchiveError) as err:
        read_archive(str(path))
    assert "no manifest.json" in str(err.value)


def test_missing_archive(tmp_path):
    with pytest.raises(ArchiveError) as err:
        read_archive(str(tmp_path / "nope.tar"))
    assert "archive_path" in str(err.value)


@pytest.mark.parametrize("data", ["{}", "not json", json.dumps([{"RepoTags": []}]), json.dumps([{"Config": "x.json"}])])
def test_bad_manifests(data):
    with pytest.raises(ArchiveError):
        parse_manifest(data)


# --------------------------------------------------------------------------- image_export / image_load decisions
from ansible_collections.dockyard.docker.plugins.module_utils.image.archive import (  # noqa: E402
    archive_content,
    archive_names,
    export_needed,
    export_reference,
    load_plan,
    wanted_content,
)

ID_A = "sha256:" + "a" * 64
ID_B = "sha256:" + "b" * 64


@pytest.mark.parametrize("name, tag, ref", [
    ("app", "latest", "app:latest"), ("app", "1.2", "app:1.2"), ("app:3", "1.2", "app:3"),
    ("registry:5000/app", "v1", "registry:5000/app:v1"), ("docker.io/library/app:1", "x", "app:1"),
    (ID_A, "latest", ID_A), ("8deceda9452c", "latest", "8deceda9452c"),
])
def test_export_reference(name, tag, ref):
    assert export_reference(name, tag) == ref


@pytest.mark.parametrize("name", ["", "a b", "  "])
def test_export_reference_refuses_naming_names(name):
    with pytest.raises(ArchiveError, match="names"):
        export_reference(name)


def test_wanted_content_groups_tags_by_id():
    assert wanted_content([("app:1", ID_A), ("app:latest", ID_A), (ID_B, ID_B)]) == {
        ID_A: ["app:1", "app:latest"], ID_B: []}


def test_export_needed():
    wanted = {ID_A: ["app:1"], ID_B: ["db:1"]}
    assert export_needed(wanted, None) == "no archive at the path yet"
    assert export_needed(wanted, {ID_A: ["app:1"], ID_B: ["db:1"]}) is None
    assert export_needed(wanted, {ID_A: ["app:1"], ID_B: ["db:1"]}, force=True) == "force: true"
    assert export_needed(wanted, {ID_A: ["app:1"]}) == "the archive holds other images or tags"
    assert export_needed(wanted, {ID_A: ["app:1", "app:2"], ID_B: ["db:1"]}) is not None
    assert export_needed(wanted, {ID_A: ["app:1"], "sha256:" + "c" * 64: ["db:1"]}) is not None


def test_archive_content_reads_an_exported_manifest(tmp_path):
    path = write_archive(tmp_path / "a.tar", [{"Config": "a" * 64 + ".json", "RepoTags": ["app:1", "app:latest"]},
                                              {"Config": "blobs/sha256/" + "b" * 64, "RepoTags": None}])
    assert archive_content(read_archive(path)) == {ID_A: ["app:1", "app:latest"], ID_B: []}


ARCHIVE = [dict(id=ID_A, tags=["app:1", "app:latest"]), dict(id=ID_B, tags=[])]


def test_load_plan_nothing_new_when_ids_and_tags_match():
    local = {ID_A: ID_A, "app:1": ID_A, "app:latest": ID_A, ID_B: ID_B}
    assert load_plan(ARCHIVE, local) == []


def test_load_plan_missing_image_and_moved_tag():
    assert load_plan(ARCHIVE, {ID_A: ID_A, "app:1": ID_A, "app:latest": ID_A, ID_B: None}) == [ID_B]
    # the image is there but one of its tags points to another image: loading re-tags it
    assert load_plan(ARCHIVE, {ID_A: ID_A, "app:1": ID_A, "app:latest": ID_B, ID_B: ID_B}) == ["app:1", "app:latest"]
    assert load_plan(ARCHIVE, {}) == ["app:1", "app:latest", ID_B]


def test_archive_names():
    assert archive_names(ARCHIVE) == ["app:1", "app:latest", ID_B]
