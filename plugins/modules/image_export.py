#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: image_export
short_description: Save one or more images to a tar archive (docker save), idempotent by image ID
version_added: 0.4.0
description:
  - Writes the images named in O(names) to one archive at O(path) on the managed host, as C(docker save -o) does;
    M(dockyard.docker.image_load) (or C(docker load)) reads it back on another host.
  - Idempotent - an archive already at O(path) that holds exactly these image IDs with these tags (read from its
    C(manifest.json)) is left alone. Otherwise the archive is written to a temporary file next to O(path) and
    moved into place, so a failed export never leaves half an archive.
  - A file at O(path) that is not a C(docker save) archive is not overwritten unless O(force=true).
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements.sdk
options:
  names:
    description:
      - The images to save, each a reference (C(app), C(app:1.2), C(registry:5000/app:1.2)) or an image ID.
      - A reference without a tag gets O(tag). An image given by ID (or by digest) is saved without a tag.
      - Every image must exist on the engine.
    type: list
    elements: str
    required: true
    aliases: [name]
  tag:
    description: Tag of the references in O(names) that carry none.
    type: str
    default: latest
  path:
    description: The archive to write on the managed host (its directory must exist).
    type: path
    required: true
  force:
    description:
      - Write the archive even when the one at O(path) already holds the same images, and overwrite a file at
        O(path) that is not a C(docker save) archive.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reports whether the archive would be written; writes nothing.
  diff_mode:
    support: full
    description: The archive's images (ID and tags) before and after.
seealso:
  - module: dockyard.docker.image_load
  - module: dockyard.docker.image
"""

EXAMPLES = r"""
- name: Save two images into one archive
  dockyard.docker.image_export:
    names:
      - dockyard-lab/app:latest
      - dockyard-lab/redis
    path: /srv/images/lab.tar

- name: Copy it to the hosts without a registry
  ansible.builtin.fetch:
    src: /srv/images/lab.tar
    dest: files/lab.tar
    flat: true
"""

RETURN = r"""
images:
  description: The inspect data of each exported image (C(docker image inspect)), once per image ID.
  returned: success
  type: list
  elements: dict
  sample:
    - Id: sha256:ec30968621c2...
      RepoTags: ["dockyard-lab/app:latest"]
archive:
  description: What the archive holds afterwards (or would hold in check mode) - image ID to its tags.
  returned: success
  type: dict
  sample: {"sha256:ec30968621c2...": ["dockyard-lab/app:latest"]}
"""

import os
import tempfile

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    connect,
    docker_argument_spec,
    fail_from_error,
    is_not_found,
)
from ansible_collections.dockyard.docker.plugins.module_utils.image.archive import (
    ArchiveError,
    archive_content,
    export_needed,
    export_reference,
    read_archive,
    wanted_content,
)

CHUNK = 1024 * 1024


def existing_content(path, force):
    """``archive_content`` of the file at ``path``; ``None`` when there is none. A non-archive fails unless forced."""
    if not os.path.exists(path):
        return None
    if os.path.isdir(path):
        raise ArchiveError("path %s is a directory: give the archive's file name (for example %s/images.tar)"
                           % (path, path.rstrip("/")))
    try:
        return archive_content(read_archive(path, "path"))
    except ArchiveError as exc:
        if force:
            return {}
        raise ArchiveError("path %s exists and is not a `docker save` archive (%s); it was left alone: remove it, "
                           "choose another path, or set force: true to overwrite it" % (path, exc))


class ImageExporter:
    def __init__(self, module, engine):
        self.module = module
        self.engine = engine
        self.params = module.params

    def resolve(self, refs):
        """``[(reference, image inspect)]``; a missing image fails naming it."""
        resolved = []
        for ref in refs:
            try:
                resolved.append((ref, self.engine.api.inspect_image(ref)))
            except Exception as exc:  # noqa: BLE001 - a missing image is the user's input, the rest is explained
                if is_not_found(exc):
                    self.module.fail_json(msg="names: image %s does not exist on the engine; nothing was written "
                                              "(load, pull or build it first)" % ref, changed=False)
                fail_from_error(self.module, exc, "inspect image %s" % ref, changed=False)
        return resolved

    def write(self, refs, path):
        """``docker save`` of ``refs`` into a temporary file beside ``path``, then moved over it."""
        api = self.engine.api
        directory = os.path.dirname(os.path.abspath(path))
        handle, temp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=directory)
        try:
            with os.fdopen(handle, "wb") as out:
                # The SDK's get_image() saves one image; the engine's endpoint takes several.
                response = api._get(api._url("/images/get"), params={"names": refs}, stream=True)
                api._raise_for_status(response)
                for chunk in response.iter_content(chunk_size=CHUNK):
                    out.write(chunk)
            os.chmod(temp, 0o644)
            os.replace(temp, path)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise

    def run(self):
        params = self.params
        path = params["path"]
        try:
            refs = []
            for name in params["names"]:
                ref = export_reference(name, params["tag"])
                if ref not in refs:
                    refs.append(ref)
            if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
                raise ArchiveError("path %s: directory %s does not exist (create it first)"
                                   % (path, os.path.dirname(os.path.abspath(path))))
            existing = existing_content(path, params["force"])
        except ArchiveError as exc:
            self.module.fail_json(msg=str(exc), changed=False)
        resolved = self.resolve(refs)
        wanted = wanted_content([(ref, image["Id"]) for ref, image in resolved])
        reason = export_needed(wanted, existing, params["force"])
        images, seen = [], set()
        for _ref, image in resolved:
            if image["Id"] not in seen:
                seen.add(image["Id"])
                images.append(image)
        result = dict(changed=reason is not None, images=images, archive=wanted, actions=[])
        if reason is not None:
            result["actions"].append("saved %s to %s (%s)" % (", ".join(refs), path, reason))
            if not self.module.check_mode:
                try:
                    self.write(refs, path)
                except Exception as exc:  # noqa: BLE001
                    fail_from_error(self.module, exc, "save %s to %s" % (", ".join(refs), path), changed=False)
                try:
                    written = archive_content(read_archive(path, "path"))
                except ArchiveError as exc:
                    self.module.fail_json(msg="The engine wrote %s but it cannot be read back: %s" % (path, exc),
                                          changed=True)
                if written != wanted:
                    self.module.fail_json(msg="The archive written to %s holds %s, not the images asked for (%s)"
                                          % (path, written, wanted), changed=True)
        if self.module._diff:
            result["diff"] = dict(before=dict(path=path, images=existing or {}),
                                  after=dict(path=path, images=wanted))
        return result


def main():
    argument_spec = docker_argument_spec()
    argument_spec.update(
        names=dict(type="list", elements="str", required=True, aliases=["name"]),
        tag=dict(type="str", default="latest"),
        path=dict(type="path", required=True),
        force=dict(type="bool", default=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if not module.params["names"]:
        module.fail_json(msg="names must list at least one image (a reference such as app:1.2, or an image ID)")
    if not (module.params["tag"] or "").strip() or ":" in module.params["tag"] or "/" in module.params["tag"]:
        module.fail_json(msg="tag %r is not a tag (for example latest or 1.2)" % module.params["tag"])
    module.exit_json(**ImageExporter(module, connect(module)).run())


if __name__ == "__main__":
    main()
