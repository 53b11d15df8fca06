#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: image
short_description: Get a Docker image onto a host from a registry or from a docker save archive
version_added: 0.1.0
description:
  - Makes sure an image is on the host (O(state=present)) or not (O(state=absent)).
  - With O(source=pull) the image is pulled from its registry when it is missing (or always with O(force=true)).
  - With O(source=archive) the image is loaded from an archive on the managed host in C(docker save) format
    (plain or compressed tar). Hosts without any registry are a first-class case.
  - Idempotent by image ID. For an archive, the ID the archive holds for O(name) (the digest of the image config
    named in its C(manifest.json)) is compared with the local image's ID before anything is loaded; the archive
    is only loaded when they differ.
author:
  - dockyard.docker contributors (@dockyard)
attributes:
  check_mode:
    support: full
    description: Reads the archive's manifest and the local image and reports whether a load, pull or removal
      would happen, without doing it. Whether a pull would bring a new image cannot be known in advance; with
      O(force=true) check mode reports a change only when the image is missing.
  diff_mode:
    support: full
    description: Before and after image ID.
extends_documentation_fragment:
  - dockyard.docker.connection
options:
  name:
    description:
      - Image reference, C(repository[:tag]) (C(latest) when no tag is given) or C(repository@digest).
      - With O(source=archive), the archive must hold an image tagged with this name.
    type: str
    required: true
  source:
    description:
      - C(pull) pulls the image from its registry.
      - C(archive) loads it from O(archive_path) on the managed host.
    type: str
    choices: [pull, archive]
    default: pull
  archive_path:
    description:
      - Path on the managed host of an archive written by C(docker save) (or C(docker save | gzip)).
      - Required with O(source=archive).
    type: path
  force:
    description:
      - With O(state=present), pull or load even when the image is present with the same ID.
      - With O(state=absent), remove the image even when a container uses it.
    type: bool
    default: false
  state:
    description:
      - C(present) makes sure the image is on the host.
      - C(absent) removes the tag O(name), and the image when no other tag refers to it. The engine refuses to
        remove the last tag of an image that a container uses, unless O(force=true).
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: dockyard.docker.container
"""

EXAMPLES = r"""
- name: Copy an image archive made with "docker save -o app.tar dockyard-lab/app:latest" to the host
  ansible.builtin.copy:
    src: app.tar
    dest: /var/tmp/app.tar
    mode: "0644"

- name: Load it (only when the host does not have that exact image yet)
  dockyard.docker.image:
    name: dockyard-lab/app:latest
    source: archive
    archive_path: /var/tmp/app.tar

- name: Run it without ever pulling, restarted always
  dockyard.docker.container:
    name: app
    image: dockyard-lab/app:latest
    pull: never
    restart_policy: always

- name: Pull an image from a registry when it is missing
  dockyard.docker.image:
    name: registry.example.com/team/api:2.3

- name: Remove an image, even if stopped containers still refer to it
  dockyard.docker.image:
    name: registry.example.com/team/api:2.2
    state: absent
    force: true
"""

RETURN = r"""
image:
  description: Inspect data of the image after the run (before it in check mode); empty when absent.
  returned: always
  type: dict
  sample:
    Id: sha256:0123...
    RepoTags: ["dockyard-lab/app:latest"]
actions:
  description: What was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample: ["loaded dockyard-lab/app:latest from /var/tmp/app.tar"]
diff:
  description: Image ID before and after.
  returned: always
  type: dict
  sample:
    before:
      id: null
    after:
      id: sha256:0123...
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import (  # noqa: E402
    connect,
    docker_argument_spec,
    fail_from_error,
    or_none,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.manager import split_reference
from ansible_collections.dockyard.docker.plugins.module_utils.image_archive import (
    ArchiveError,
    find_image,
    read_archive,
)


class ImageError(Exception):
    pass


class ImageManager(object):
    def __init__(self, module, api):
        self.module = module
        self.api = api
        self.params = module.params
        self.name = self.params["name"]
        self.check_mode = module.check_mode
        self.actions = []

    def local(self):
        return or_none(self.api.inspect_image, self.name)

    def run(self):
        before = self.local()
        if self.params["state"] == "absent":
            after_id = self.absent(before)
        elif self.params["source"] == "archive":
            after_id = self.from_archive(before)
        else:
            after_id = self.pull(before)
        before_id = before["Id"] if before else None
        image = before or {}
        if self.actions and not self.check_mode:
            image = self.local() or {}
        return dict(
            changed=bool(self.actions),
            actions=self.actions,
            image=image,
            diff=dict(before=dict(id=before_id), after=dict(id=after_id)),
        )

    def absent(self, before):
        if before is None:
            return None
        self.actions.append("removed %s" % self.name)
        if not self.check_mode:
            try:
                self.api.remove_image(self.name, force=self.params["force"])
            except Exception as exc:  # noqa: BLE001
                if getattr(exc, "status_code", None) == 409:
                    raise ImageError(
                        "image %s is used by a container, so it was not removed: remove the container first "
                        "or set force: true (%s)" % (self.name, getattr(exc, "explanation", exc))
                    )
                raise
        return None

    def from_archive(self, before):
        path = self.params["archive_path"]
        try:
            images = read_archive(path)
        except ArchiveError as exc:
            raise ImageError(str(exc))
        wanted = find_image(images, self.name)
        if wanted is None:
            tags = sorted(t for image in images for t in image["tags"]) or ["no tags"]
            raise ImageError(
                "archive_path %s holds no image named %s (it holds: %s); name must be one of its tags"
                % (path, self.name, ", ".join(tags))
            )
        if before is not None and before["Id"] == wanted["id"] and not self.params["force"]:
            return before["Id"]
        self.actions.append("loaded %s from %s" % (self.name, path))
        if not self.check_mode:
            with open(path, "rb") as handle:
                for event in self.api.load_image(handle):
                    if isinstance(event, dict) and event.get("error"):
                        raise ImageError("Loading %s failed: %s" % (path, event["error"]))
            after = self.local()
            if after is None or after["Id"] != wanted["id"]:
                raise ImageError(
                    "Loaded %s but %s is %s afterwards, not the archive's %s"
                    % (path, self.name, after["Id"] if after else "missing", wanted["id"])
                )
        return wanted["id"]

    def pull(self, before):
        if before is not None and not self.params["force"]:
            return before["Id"]
        if self.check_mode:
            if before is None:
                self.actions.append("pulled %s" % self.name)
                return None
            return before["Id"]
        repo, tag = split_reference(self.name)
        for event in self.api.pull(repo, tag=tag, stream=True, decode=True):
            if isinstance(event, dict) and event.get("error"):
                raise ImageError("Could not pull image %s: %s" % (self.name, event["error"]))
        after = self.local()
        if after is None:
            raise ImageError("Pulled %s but the engine does not know it afterwards" % self.name)
        if before is None or before["Id"] != after["Id"]:
            self.actions.append("pulled %s" % self.name)
        return after["Id"]


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        source=dict(type="str", choices=["pull", "archive"], default="pull"),
        archive_path=dict(type="path"),
        force=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    argument_spec.update(docker_argument_spec())
    module = AnsibleModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[("source", "archive", ["archive_path"])],
    )
    if module.params["archive_path"] and module.params["source"] != "archive":
        module.fail_json(msg="archive_path is only used with source: archive (source is %s)" % module.params["source"])
    if not module.params["name"].strip() or " " in module.params["name"]:
        module.fail_json(msg="name %r is not an image reference (e.g. app:1.2, registry:5000/app)" % module.params["name"])
    engine = connect(module)
    try:
        result = ImageManager(module, engine.api).run()
    except ImageError as exc:
        module.fail_json(msg=str(exc), changed=False)
    except Exception as exc:  # noqa: BLE001
        fail_from_error(module, exc, "manage image %s" % module.params["name"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
