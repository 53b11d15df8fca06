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

from ansible_collections.dockyard.docker.plugins.module_utils.parsing.images import with_default_tag

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
    return with_default_tag(ref)


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


def read_archive(path, option="archive_path"):
    """The images of a ``docker save`` archive (plain or compressed tar); errors name ``option``."""
    try:
        with tarfile.open(path, "r:*") as tar:
            try:
                member = tar.getmember("manifest.json")
            except KeyError:
                try:
                    member = tar.getmember("./manifest.json")
                except KeyError:
                    raise ArchiveError(
                        "%s %s has no manifest.json: it is not a `docker save` archive" % (option, path)
                    )
            handle = tar.extractfile(member)
            data = handle.read()
    except (tarfile.TarError, EOFError) as exc:
        raise ArchiveError("%s %s is not a tar archive (`docker save` format): %s" % (option, path, exc))
    except (IOError, OSError) as exc:
        raise ArchiveError("%s %s cannot be read: %s" % (option, path, exc))
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


# --------------------------------------------------------------------------- image_export / image_load decisions
def export_reference(name, tag="latest"):
    """``name`` as ``image_export`` saves it: an image ID stays an ID (saved untagged), a reference gets ``tag``
    when it carries no tag or digest."""
    name = str(name).strip()
    if not name or " " in name:
        raise ArchiveError("names: %r is not an image reference or ID (for example app:1.2 or sha256:...)" % name)
    if is_image_id(name):
        return name
    return normalize_reference(with_default_tag(name, tag or "latest"))


def is_image_id(ref):
    return bool(re.match(r"^(sha256:)?[0-9a-f]{12,64}$", ref))


def wanted_content(resolved):
    """``[(reference, image ID)]`` -> ``{image ID: sorted tags}``: what a ``docker save`` of them holds.

    An image named by its ID adds the image with no tag; an image named by a digest is saved under
    its ID too, without a tag (``docker save`` writes no digest references).
    """
    content = {}
    for ref, image_id in resolved:
        tags = content.setdefault(image_id, set())
        if not is_image_id(ref) and "@" not in ref:
            tags.add(normalize_reference(ref))
    return dict((image_id, sorted(tags)) for image_id, tags in content.items())


def archive_content(images):
    """``read_archive``'s list -> ``{image ID: sorted tags}``."""
    content = {}
    for image in images:
        content.setdefault(image["id"], set()).update(image["tags"])
    return dict((image_id, sorted(tags)) for image_id, tags in content.items())


def export_needed(wanted, existing, force=False):
    """Why the archive must be (re)written, or ``None`` when the existing one already holds exactly ``wanted``.

    ``existing`` is ``archive_content`` of the file at the path, ``None`` when there is no file.
    """
    if force:
        return "force: true"
    if existing is None:
        return "no archive at the path yet"
    if existing != wanted:
        return "the archive holds other images or tags"
    return None


def load_plan(archive_images, local):
    """Which archive images a load would add or re-tag.

    ``local`` maps each archive image ID and tag to the local image ID it resolves to (``None`` when the
    engine has no such image). Returns the names (tags, or the ID of an untagged image) of the archive
    images that are new: their ID is missing locally, or one of their tags points to another image.
    """
    new = []
    for image in archive_images:
        names = image["tags"] or [image["id"]]
        if local.get(image["id"]) != image["id"] or any(local.get(tag) != image["id"] for tag in image["tags"]):
            new.extend(n for n in names if n not in new)
    return new


def archive_names(archive_images):
    """Every name of an archive's images: its tags, or the ID of an untagged image."""
    names = []
    for image in archive_images:
        for name in image["tags"] or [image["id"]]:
            if name not in names:
                names.append(name)
    return names
