# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Image references taken apart and completed (parsing/images.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from docker.utils import parse_repository_tag
from hypothesis import given, settings, strategies as st

from ansible_collections.dockyard.docker.plugins.module_utils.parsing.images import (
    repository_and_tag,
    split_reference,
    with_default_tag,
)

DIGEST = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize("ref, parts", [
    ("app", ("app", None, None)),
    ("app:1.2", ("app", "1.2", None)),
    ("team/app:1.2", ("team/app", "1.2", None)),
    ("registry:5000/app", ("registry:5000/app", None, None)),
    ("registry:5000/team/app:1.2", ("registry:5000/team/app", "1.2", None)),
    ("app@" + DIGEST, ("app", None, DIGEST)),
    ("registry:5000/app@" + DIGEST, ("registry:5000/app", None, DIGEST)),
    ("registry:5000/app:1.2@" + DIGEST, ("registry:5000/app", "1.2", DIGEST)),
    ("localhost:5000", ("localhost", "5000", None)),
])
def test_split_reference(ref, parts):
    assert split_reference(ref) == parts


@pytest.mark.parametrize("ref, completed", [
    ("app", "app:latest"),
    ("app:1", "app:1"),
    ("app:latest", "app:latest"),
    ("registry:5000/app", "registry:5000/app:latest"),
    ("registry:5000/app:2", "registry:5000/app:2"),
    ("app@" + DIGEST, "app@" + DIGEST),
    ("app:1@" + DIGEST, "app:1@" + DIGEST),
])
def test_with_default_tag(ref, completed):
    assert with_default_tag(ref) == completed


def test_with_default_tag_takes_the_tag_to_add():
    assert with_default_tag("registry:5000/app", "v2") == "registry:5000/app:v2"
    assert with_default_tag("app:1", "v2") == "app:1"


@pytest.mark.parametrize("ref, pair", [
    ("app", ("app", "latest")),
    ("app:1.2", ("app", "1.2")),
    ("registry:5000/app", ("registry:5000/app", "latest")),
    ("registry:5000/app:1.2", ("registry:5000/app", "1.2")),
    ("app@" + DIGEST, ("app@" + DIGEST, None)),
    ("app:1@" + DIGEST, ("app:1@" + DIGEST, None)),
])
def test_repository_and_tag(ref, pair):
    assert repository_and_tag(ref) == pair


WORD = st.text(alphabet="abcxyz0129", min_size=1, max_size=8)
COMPONENT = st.builds(lambda head, separator, tail: head + separator + tail if separator else head,
                      WORD, st.sampled_from(["", ".", "_", "__", "-"]), WORD)
HOST = st.builds(lambda name, domain, port: name + (".%s" % domain if domain else "") + (":%d" % port if port else ""),
                 WORD, st.none() | WORD, st.none() | st.integers(1, 65535))
REPOSITORY = st.builds(lambda host, path: "/".join(([host] if host else []) + path),
                       st.none() | HOST, st.lists(COMPONENT, min_size=1, max_size=3))
TAG = st.none() | st.text(alphabet="abcXYZ019_.-", min_size=1, max_size=12)
DIGESTS = st.none() | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64).map("sha256:".__add__)
SETTINGS = settings(derandomize=True, max_examples=200, deadline=None, database=None)


def compose(repository, tag, digest):
    return repository + (":" + tag if tag is not None else "") + ("@" + digest if digest is not None else "")


@SETTINGS
@given(REPOSITORY, TAG, DIGESTS)
def test_a_composed_reference_splits_into_its_parts(repository, tag, digest):
    ref = compose(repository, tag, digest)
    if "/" in repository or tag is not None:
        assert split_reference(ref) == (repository, tag, digest)
    else:
        # A lone host:port without a path reads as repository:tag, as the engine reads it.
        assert compose(*split_reference(ref)) == ref


@SETTINGS
@given(REPOSITORY, TAG, DIGESTS)
def test_with_default_tag_completes_once_and_only_a_bare_name(repository, tag, digest):
    ref = compose(repository, tag, digest)
    completed = with_default_tag(ref)
    assert with_default_tag(completed) == completed
    assert completed == (ref + ":latest" if split_reference(ref)[1:] == (None, None) else ref)


@SETTINGS
@given(REPOSITORY, TAG)
def test_repository_and_tag_agrees_with_the_sdk_for_tags(repository, tag):
    ref = compose(repository, tag, None)
    sdk_repository, sdk_tag = parse_repository_tag(ref)
    assert repository_and_tag(ref) == (sdk_repository, sdk_tag or "latest")
