#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: image_info
short_description: Read the inspect data of images
version_added: 0.4.0
description:
  - Returns what C(docker image inspect) returns for each image named in O(name), or for every image of the engine
    when O(name) is not given.
  - An image that does not exist is left out of RV(images); it is not an error.
  - Never changes anything; runs the same in check mode.
  - On a local unix socket the images are read straight from the engine's API, without loading the Docker SDK.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements
  - dockyard.docker.info_module
options:
  name:
    description:
      - One image or a list of images, each a reference (C(app), C(app:1.2), C(registry:5000/app:1.2),
        C(app@sha256:...)) or an image ID (C(sha256:...) or a unique prefix).
      - A reference without a tag means C(:latest).
      - When not given, every image of the engine is returned (C(docker images -a) then one inspect each).
    type: list
    elements: str
seealso:
  - module: dockyard.docker.image
  - module: dockyard.docker.engine_info
"""

EXAMPLES = r"""
- name: Read two images
  dockyard.docker.image_info:
    name:
      - dockyard-lab/app:latest
      - redis:7
  register: found

- name: Fail when the app image is missing
  ansible.builtin.assert:
    that: found.images | selectattr('RepoTags', 'contains', 'dockyard-lab/app:latest') | list | length == 1

- name: Every image of the engine
  dockyard.docker.image_info:
  register: all_images
"""

RETURN = r"""
images:
  description:
    - The inspect data of each image found, as the engine returns it (C(docker image inspect)), in the order of
      O(name); images that do not exist are left out. An image named twice (by two of its tags) is returned once.
  returned: always
  type: list
  elements: dict
  sample:
    - Id: sha256:ec30968621c2...
      RepoTags: ["dockyard-lab/app:latest"]
      RepoDigests: []
      Created: "2026-11-30T10:00:00.000000000Z"
      Size: 244000000
      Config: {Cmd: ["/usr/local/bin/app-server"], Labels: {}}
"""

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.image.archive import (  # noqa: E402
    normalize_reference,
)
from ansible_collections.dockyard.docker.plugins.module_utils.info import InfoReader, info_module  # noqa: E402


def wanted_references(names):
    """Pure: the references to inspect, ``:latest`` added where no tag or digest is given, IDs kept."""
    refs = []
    for name in names:
        name = (name or "").strip()
        if not name or " " in name:
            raise ValueError("name %r is not an image reference or ID (for example app:1.2 or sha256:...)" % name)
        ref = name if name.startswith("sha256:") else normalize_reference(name)
        if ref not in refs:
            refs.append(ref)
    return refs


def main():
    module = info_module(name=dict(type="list", elements="str"))
    names = module.params["name"]
    try:
        refs = wanted_references(names) if names is not None else None
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    reader = InfoReader(module, connect)
    if refs is None:
        refs = [image["Id"] for image in reader.read("list the images", "images", all=True) or []]
    images, seen = [], set()
    for ref in refs:
        image = reader.inspect("image", ref, "inspect_image")
        if image is not None and image["Id"] not in seen:
            seen.add(image["Id"])
            images.append(image)
    module.exit_json(changed=False, images=images)


if __name__ == "__main__":
    main()
