# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of ``image``'s build, tag and push: argument checks, stream events, registry digests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.dockyard.docker.plugins.module_utils.parsing.images import split_reference

_REFERENCE = re.compile(r"^[a-z0-9]+(?:[._:/-][A-Za-z0-9_.-]+)*(?:@sha256:[0-9a-f]{64})?$", re.I)


class BuildArgumentError(Exception):
    """A bad argument; the message names the option."""


def check_reference(option, value):
    if not value or not _REFERENCE.match(value) or "//" in value:
        raise BuildArgumentError("%s %r is not an image reference (e.g. app:1.2, registry.example.com:5000/team/app:1.2)"
                                 % (option, value))


def _string_map(option, values):
    out = {}
    for key, value in (values or {}).items():
        if isinstance(value, bool) or isinstance(value, (dict, list)) or value is None:
            raise BuildArgumentError("%s.%s must be a string or a number, got %s: quote it (e.g. \"%s\")"
                                     % (option, key, type(value).__name__, value))
        out[str(key)] = str(value)
    return out


def build_request(build, exists=os.path.exists):
    """``build`` option -> keyword arguments of the SDK's ``APIClient.build`` (without tag); checks files."""
    build = build or {}
    path = build.get("path")
    if not path:
        raise BuildArgumentError("build.path is required with source: build (the build context directory on the host)")
    if not exists(path):
        raise BuildArgumentError("build.path %s does not exist on the host" % path)
    dockerfile = build.get("dockerfile") or "Dockerfile"
    full = dockerfile if os.path.isabs(dockerfile) else os.path.join(path, dockerfile)
    if not exists(full):
        raise BuildArgumentError("build.dockerfile %s does not exist (looked for %s on the host)" % (dockerfile, full))
    request = dict(
        path=path,
        dockerfile=dockerfile,
        buildargs=_string_map("build.args", build.get("args")),
        labels=_string_map("build.labels", build.get("labels")),
        pull=bool(build.get("pull")),
        nocache=bool(build.get("nocache")),
        rm=True,
        decode=True,
    )
    if build.get("target"):
        request["target"] = build["target"]
    return request


def built_image_id(events):
    """Consume a build's decoded event stream; ``(image_id or None, last output lines)``; raise on an error event."""
    image_id = None
    tail = []
    for event in events:
        if not isinstance(event, dict):
            continue
        if event.get("error"):
            detail = (event.get("errorDetail") or {}).get("message") or event["error"]
            raise BuildError(detail.strip(), tail)
        aux = event.get("aux")
        if isinstance(aux, dict) and aux.get("ID"):
            image_id = aux["ID"]
        text = event.get("stream")
        if text and text.strip():
            tail = (tail + [text.rstrip()])[-20:]
            match = re.match(r"^Successfully built ([0-9a-f]{12,64})\s*$", text.strip())
            if match and image_id is None:
                image_id = match.group(1)
    return image_id, tail


class BuildError(Exception):
    def __init__(self, message, tail):
        super(BuildError, self).__init__(message)
        self.tail = tail


def pushed_digest(events):
    """Consume a push's decoded event stream: the manifest digest it reports; raise on an error event."""
    digest = None
    for event in events:
        if not isinstance(event, dict):
            continue
        if event.get("error"):
            raise PushError((event.get("errorDetail") or {}).get("message") or event["error"])
        aux = event.get("aux")
        if isinstance(aux, dict) and aux.get("Digest"):
            digest = aux["Digest"]
    return digest


class PushError(Exception):
    pass


def repository_of(reference):
    """``reg:5000/app:1`` -> ``reg:5000/app`` (the part a RepoDigest starts with)."""
    return split_reference(reference)[0]


def registry_has(image, reference, remote_digest):
    """Whether the local ``image`` (inspect data) is what the registry holds under ``reference``.

    The engine records ``<repository>@<manifest digest>`` in RepoDigests when it pushes or pulls an image;
    the registry's manifest digest for the tag (``GET /distribution/<ref>/json``) being one of them means
    the registry already has exactly this image under that tag.
    """
    if not image or not remote_digest:
        return False
    return "%s@%s" % (repository_of(reference), remote_digest) in (image.get("RepoDigests") or [])
