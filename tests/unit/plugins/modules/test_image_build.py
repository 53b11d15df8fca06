# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""image build, tag and push without a daemon: arguments, idempotence by image ID and registry digest."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from module_harness import module_runner

from ansible_collections.dockyard.docker.plugins.module_utils.client import NotFound
from ansible_collections.dockyard.docker.plugins.module_utils.image import build as ib
from ansible_collections.dockyard.docker.plugins.modules import image

REPO = "reg:5000/team/web"


class FakeApi:
    """Images by reference; ``build`` gives ``next_id`` (the build cache: same context, same ID)."""

    def __init__(self, images=None, next_id="sha256:" + "a" * 64, remote=None):
        self.images = dict(images or {})
        self.next_id = next_id
        self.remote = dict(remote or {})
        self.writes = []

    def inspect_image(self, ref):
        ref = ref if ":" in ref.rsplit("/", 1)[-1] else ref + ":latest"
        if ref not in self.images:
            raise NotFound("no such image")
        return self.images[ref]

    def build(self, tag=None, **kw):
        self.writes.append(("build", tag, kw["dockerfile"], kw["buildargs"], kw["labels"], kw["nocache"]))
        self.images[tag] = {"Id": self.next_id, "RepoTags": [tag], "RepoDigests": []}
        yield {"stream": "Step 1/1 : FROM base\n"}
        yield {"aux": {"ID": self.next_id}}
        yield {"stream": "Successfully built %s\n" % self.next_id[7:19]}

    def tag(self, source, repo, tag=None, force=False):
        self.writes.append(("tag", "%s:%s" % (repo, tag)))
        self.images["%s:%s" % (repo, tag)] = dict(self.inspect_image(source) if ":" in source[7:] else
                                                  [i for i in self.images.values() if i["Id"] == source][0])

    def inspect_distribution(self, ref):
        if ref not in self.remote:
            raise NotFound("manifest unknown")
        return {"Descriptor": {"digest": self.remote[ref]}}

    def push(self, repo, tag=None, stream=True, decode=True):
        ref = "%s:%s" % (repo, tag)
        self.writes.append(("push", ref))
        digest = "sha256:" + self.images[ref]["Id"][-6:] * 10 + "abcd"
        self.remote[ref] = digest
        for img in self.images.values():
            if img["Id"] == self.images[ref]["Id"]:
                img["RepoDigests"] = img.get("RepoDigests", []) + ["%s@%s" % (repo, digest)]
        yield {"status": "Pushed"}
        yield {"aux": {"Tag": tag, "Digest": digest, "Size": 1}}


@pytest.fixture
def ctx(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM base\n")
    return str(tmp_path)


@pytest.fixture
def run(monkeypatch):
    runner = module_runner(monkeypatch)
    return lambda args, api=None: runner(image, args, api)


def build_args(ctx, **kw):
    args = {"name": "web:1", "source": "build", "build": {"path": ctx, "args": {"V": 2}, "labels": {"t": "x"}}}
    args.update(kw)
    return args


def test_build_then_unchanged_rebuild(run, ctx):
    api = FakeApi()
    result, ok = run(build_args(ctx), api)
    assert ok and result["changed"] and result["actions"] == ["built web:1 from %s" % ctx]
    assert api.writes[0] == ("build", "web:1", "Dockerfile", {"V": "2"}, {"t": "x"}, False)
    assert result["build_output"][-1].startswith("Successfully built")
    # the build cache gives the same ID: the build runs and is not a change
    result, ok = run(build_args(ctx), api)
    assert ok and not result["changed"] and [w[0] for w in api.writes] == ["build", "build"]
    # a changed context gives another ID: a change
    api.next_id = "sha256:" + "b" * 64
    result, ok = run(build_args(ctx, _ansible_diff=True), api)
    assert ok and result["changed"]
    assert result["diff"]["before"]["id"] == "sha256:" + "a" * 64 and result["diff"]["after"]["id"] == api.next_id


def test_check_mode_builds_nothing(run, ctx):
    api = FakeApi()
    result, ok = run(build_args(ctx, repository=REPO, push=True, _ansible_check_mode=True), api)
    assert ok and result["changed"] and api.writes == []
    assert result["actions"] == ["built web:1 from %s" % ctx, "tagged web:1 as %s:1" % REPO, "pushed %s:1" % REPO]


def test_tag_and_push_then_nothing_to_do(run, ctx):
    api = FakeApi()
    result, ok = run(build_args(ctx, repository=REPO, push=True), api)
    assert ok and result["changed"]
    assert [w[0] for w in api.writes] == ["build", "tag", "push"] and api.writes[2] == ("push", REPO + ":1")
    assert result["push_digest"] == api.remote[REPO + ":1"]
    # unchanged context, registry already has it: no tag, no push, no change (check mode agrees)
    for check in (True, False):
        result, ok = run(build_args(ctx, repository=REPO, push=True, _ansible_check_mode=check), api)
        assert ok and not result["changed"], result["actions"]
    assert [w[0] for w in api.writes] == ["build", "tag", "push", "build"]


def test_push_when_the_registry_tag_moved(run, ctx):
    api = FakeApi()
    run(build_args(ctx, repository=REPO, push=True), api)
    api.remote[REPO + ":1"] = "sha256:" + "9" * 64  # someone pushed another image to that tag
    result, ok = run(build_args(ctx, repository=REPO, push=True), api)
    assert ok and result["changed"] and result["actions"] == ["pushed %s:1" % REPO]


def test_repository_with_its_own_tag(run, ctx):
    api = FakeApi()
    result, ok = run(build_args(ctx, repository=REPO + ":stable"), api)
    assert ok and ("tag", REPO + ":stable") in api.writes


@pytest.mark.parametrize("change,words", [
    ({"build": {"dockerfile": "Missing.Dockerfile"}}, ["build.dockerfile", "Missing.Dockerfile"]),
    ({"build": {"path": "/nonexistent/ctx"}}, ["build.path", "/nonexistent/ctx"]),
    ({"build": {"path": None}}, ["build.path is required"]),
    ({"build": {"args": {"A": [1]}}}, ["build.args.A"]),
    ({"build": {"labels": {"on": True}}}, ["build.labels.on", "quote"]),
    ({"repository": "Reg//x"}, ["repository"]),
    ({"source": "pull"}, ["build is only used with source: build"]),
])
def test_bad_input_refused_before_the_engine(run, ctx, change, words):
    args = build_args(ctx)
    if "build" in change:
        args["build"] = dict({"path": ctx}, **change.pop("build"))
    args.update(change)
    result, ok = run(args)
    assert not ok
    for word in words:
        assert word in result["msg"]


def test_build_error_reported_with_output(run, ctx):
    class Broken(FakeApi):
        def build(self, tag=None, **kw):
            yield {"stream": "Step 2/3 : RUN false\n"}
            yield {"error": "The command '/bin/sh -c false' returned a non-zero code: 1",
                   "errorDetail": {"message": "The command '/bin/sh -c false' returned a non-zero code: 1"}}

    result, ok = run(build_args(ctx), Broken())
    assert not ok and "non-zero code: 1" in result["msg"] and "RUN false" in result["msg"]


def test_registry_has_needs_the_exact_digest():
    img = {"RepoDigests": [REPO + "@sha256:" + "1" * 64]}
    assert ib.registry_has(img, REPO + ":1", "sha256:" + "1" * 64)
    assert not ib.registry_has(img, REPO + ":1", "sha256:" + "2" * 64)
    assert not ib.registry_has(img, "other/web:1", "sha256:" + "1" * 64)
    assert not ib.registry_has(img, REPO + ":1", None)
    assert ib.repository_of("reg:5000/a/b:1") == "reg:5000/a/b" and ib.repository_of("reg:5000/a") == "reg:5000/a"
