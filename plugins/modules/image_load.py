#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: image_load
short_description: Load every image of a tar archive (docker load), reporting which were new
version_added: 0.4.0
description:
  - Loads the archive at O(path) on the managed host into the engine, as C(docker load -i) does - every image it
    holds, with its tags.
  - Idempotent - the archive's C(manifest.json) is read first, and when every image ID it holds is present and
    every tag already points to it, nothing is loaded and the task is not changed.
    RV(new_image_names) tells which images were new (or re-tagged).
  - Reads archives written by C(docker save), M(dockyard.docker.image_export) and C(docker save | gzip)
    (compressed tar).
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements.sdk
options:
  path:
    description: The archive on the managed host.
    type: path
    required: true
attributes:
  check_mode:
    support: full
    description: Reports which images would be new; loads nothing.
  diff_mode:
    support: full
    description: The archive's image names present on the engine before and after.
seealso:
  - module: dockyard.docker.image_export
  - module: dockyard.docker.image
"""

EXAMPLES = r"""
- name: Load the images a build host exported
  dockyard.docker.image_load:
    path: /srv/images/lab.tar
  register: loaded

- name: Show what was new
  ansible.builtin.debug:
    var: loaded.new_image_names
"""

RETURN = r"""
image_names:
  description: Every image of the archive by name - its tags, or the image ID of an untagged image.
  returned: success
  type: list
  elements: str
  sample: ["dockyard-lab/app:latest", "dockyard-lab/redis:latest"]
images:
  description: The inspect data of each image of the archive after the load (C(docker image inspect)).
  returned: success
  type: list
  elements: dict
new_image_names:
  description:
    - The names of the images that were new - missing on the engine, or one of their tags pointing to another
      image - and so were loaded (in check mode, would be). Empty when nothing changed.
  returned: success
  type: list
  elements: str
  sample: ["dockyard-lab/redis:latest"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    connect,
    docker_argument_spec,
    fail_from_error,
    is_not_found,
)
from ansible_collections.dockyard.docker.plugins.module_utils.image.archive import (
    ArchiveError,
    archive_names,
    load_plan,
    read_archive,
)


class ImageLoader:
    def __init__(self, module, engine):
        self.module = module
        self.engine = engine

    def inspect(self, ref):
        try:
            return self.engine.reader.inspect_image(ref)
        except Exception as exc:  # noqa: BLE001 - "not found" is an answer, the rest is explained
            if is_not_found(exc):
                return None
            fail_from_error(self.module, exc, "inspect image %s" % ref, changed=False)

    def local_ids(self, archive_images):
        """Each archive image ID and tag -> the local image ID it resolves to (``None``: missing)."""
        local = {}
        for image in archive_images:
            for ref in [image["id"]] + image["tags"]:
                found = self.inspect(ref)
                local[ref] = found["Id"] if found else None
        return local

    def load(self, path):
        with open(path, "rb") as handle:
            for event in self.engine.api.load_image(handle):
                if isinstance(event, dict) and event.get("error"):
                    raise ArchiveError("Loading %s failed: %s" % (path, event["error"]))

    def run(self):
        path = self.module.params["path"]
        try:
            archive = read_archive(path, "path")
        except ArchiveError as exc:
            self.module.fail_json(msg=str(exc), changed=False)
        names = archive_names(archive)
        before = self.local_ids(archive)
        new = load_plan(archive, before)
        result = dict(changed=bool(new), image_names=names, new_image_names=new)
        if new and not self.module.check_mode:
            try:
                self.load(path)
            except ArchiveError as exc:
                self.module.fail_json(msg=str(exc), changed=True)
            except Exception as exc:  # noqa: BLE001
                fail_from_error(self.module, exc, "load %s" % path, changed=True)
            missing = load_plan(archive, self.local_ids(archive))
            if missing:
                self.module.fail_json(msg="Loaded %s but the engine still lacks %s afterwards"
                                      % (path, ", ".join(missing)), changed=True)
        result["images"] = [found for found in (self.inspect(image["id"]) for image in archive) if found]
        if self.module._diff:
            present = [n for n in names if n not in new]
            result["diff"] = dict(before=dict(images=present), after=dict(images=names))
        return result


def main():
    argument_spec = docker_argument_spec()
    argument_spec.update(path=dict(type="path", required=True))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    module.exit_json(**ImageLoader(module, connect(module, lazy=True)).run())


if __name__ == "__main__":
    main()
