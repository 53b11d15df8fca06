# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Image references and ``docker save`` archives (pure: no engine).

The image ID of an image is the digest of its config JSON; a ``docker save`` archive
names that config in ``manifest.json`` (``<hex>.json`` in the classic layout, or
``blobs/sha256/<hex>`` in the OCI layout of Docker 25+).  Comparing it with the
local image's ID tells whether loading the archive would change anything, without
loading it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import tarfile

DEFAULT_REGISTRY_PREFIXES = ("docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/")


class ArchiveError(ValueError):
    """An archive that is not a usable ``docker save`` archive."""


def normalize_reference(ref):
    """``app`` -> ``app:latest``; ``docker.io/library/app:1`` -> ``app:1``; digests are kept."""
    ref = str(ref).strip()
    for prefix in DEFAULT_REGISTRY_PREFIXES:
        if ref.startswith(prefix):
            ref = ref[len(prefix):]
            break
    if "@" in ref:
        return ref
    last = ref.rsplit("/", 1)[-1]
    if ":" not in last:
        ref += ":latest"
    return ref


def _config_id(config_path):
    base = config_path.rsplit("/", 1)[-1]
    if base.endswith(".json"):
        base = base[: -len(".json")]
    if not re.match(r"^[0-9a-f]{64}$", base):
        raise ArchiveError("manifest.json names config %r, which is not a sha256 digest" % config_path)
    return "sha256:" + base


def parse_manifest(data):
    """``manifest.json`` bytes/text -> list of ``{"id", "tags"}``."""
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise ArchiveError("manifest.json is not JSON: %s" % exc)
    if not isinstance(manifest, list):
        raise ArchiveError("manifest.json is not a list of images")
    images = []
    for entry in manifest:
        if not isinstance(entry, dict) or "Config" not in entry:
            raise ArchiveError("manifest.json entry without Config: %r" % (entry,))
        images.append(dict(
            id=_config_id(entry["Config"]),
            tags=[normalize_reference(t) for t in (entry.get("RepoTags") or [])],
        ))
    return images


def read_archive(path):
    """The images of a ``docker save`` archive (plain or compressed tar)."""
    try:
        with tarfile.open(path, "r:*") as tar:
            try:
                member = tar.getmember("manifest.json")
            except KeyError:
                try:
                    member = tar.getmember("./manifest.json")
                except KeyError:
                    raise ArchiveError(
                        "archive_path %s has no manifest.json: it is not a `docker save` archive" % path
                    )
            handle = tar.extractfile(member)
            data = handle.read()
    except (tarfile.TarError, EOFError) as exc:
        raise ArchiveError("archive_path %s is not a tar archive (`docker save` format): %s" % (path, exc))
    except (IOError, OSError) as exc:
        raise ArchiveError("archive_path %s cannot be read: %s" % (path, exc))
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    return parse_manifest(data)


def find_image(images, name):
    """The archive image tagged ``name`` (or whose ID is ``name``), else ``None``."""
    wanted = normalize_reference(name)
    for image in images:
        if wanted in image["tags"] or name == image["id"]:
            return image
    return None
