# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Image references (``[registry[:port]/]path[:tag][@digest]``) taken apart and completed, in one place.

Pure code.  A reference is split on its first ``@`` (the digest) and on the last ``:`` of its last
path component (the tag), so a registry's port (``registry:5000/app``) is never taken for a tag.
Nothing is validated here: the options that take references check them where they are read.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DEFAULT_TAG = "latest"


def split_reference(ref):
    """``(repository, tag, digest)``; ``tag`` and ``digest`` are ``None`` when the reference names none.

    ``registry:5000/team/app:1.2@sha256:...`` -> (``registry:5000/team/app``, ``1.2``, ``sha256:...``).
    """
    name, at, digest = ref.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1:], digest if at else None
    return name, None, digest if at else None


def with_default_tag(ref, tag=DEFAULT_TAG):
    """``ref`` with ``tag`` added when it names neither a tag nor a digest (``app`` -> ``app:latest``)."""
    _repository, given_tag, digest = split_reference(ref)
    if given_tag is None and digest is None:
        return "%s:%s" % (ref, tag)
    return ref


def repository_and_tag(ref):
    """The ``(repository, tag)`` the SDK's ``pull`` and ``push`` take: the tag is ``latest`` when none is given.

    A reference with a digest is passed whole with no tag (``(ref, None)``): the SDK takes it apart itself.
    """
    repository, tag, digest = split_reference(ref)
    if digest is not None:
        return ref, None
    return repository, DEFAULT_TAG if tag is None else tag
