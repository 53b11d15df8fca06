#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: image
short_description: Get a Docker image onto a host (pull, load or build), tag it and push it
version_added: 0.1.0
description:
  - Makes sure an image is on the host (O(state=present)) or not (O(state=absent)).
  - With O(source=pull) the image is pulled from its registry when it is missing (or always with O(force=true)).
  - With O(source=build) the image is built on the host from the context O(build.path) and tagged O(name). The
    build always runs; it is a change only when it yields another image ID than O(name) had (the engine's build
    cache gives the same ID for an unchanged context, so a rebuild of an unchanged context changes nothing).
  - O(repository) tags the image under another name as well (for example the registry's), and O(push=true)
    pushes O(repository) (or O(name)) to its registry with the credentials of the Docker client config of the
    user the module runs as (see M(dockyard.docker.login)). A push is only a change when the registry's manifest
    for that tag is not already this image (its digest is compared with the local image's RepoDigests).
  - With O(source=archive) the image is loaded from an archive on the managed host in C(docker save) format
    (plain or compressed tar). Hosts without any registry are a first-class case.
  - Idempotent by image ID. For an archive, the ID the archive holds for O(name) (the digest of the image config
    named in its C(manifest.json)) is compared with the local image's ID before anything is loaded; the archive
    is only loaded when they differ.
attributes:
  check_mode:
    support: full
    description: Reads the archive's manifest and the local image and reports whether a load, pull or removal
      would happen, without doing it. Whether a pull would bring a new image cannot be known in advance; with
      O(force=true) check mode reports a change only when the image is missing.
  diff_mode:
    support: full
    description: Before and after image ID (and the registry's digest when O(push=true)).
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
options:
  name:
    description:
      - Image reference, C(repository[:tag]) (C(latest) when no tag is given) or C(repository@digest).
      - With O(source=archive), the archive must hold an image tagged with this name.
      - With O(source=build), the name the built image gets.
    type: str
    required: true
  source:
    description:
      - C(pull) pulls the image from its registry.
      - C(archive) loads it from O(archive_path) on the managed host.
      - C(build) builds it on the managed host as O(build) says.
    type: str
    choices: [pull, archive, build]
    default: pull
  build:
    description:
      - How to build the image, with O(source=build). Option names as in community.docker's C(docker_image).
    type: dict
    suboptions:
      path:
        description: The build context, a directory on the managed host. Required with O(source=build).
        type: path
      dockerfile:
        description: The Dockerfile, relative to O(build.path) (or absolute inside it). Must exist.
        type: str
        default: Dockerfile
      args:
        description: Build arguments (C(ARG) in the Dockerfile), values strings or numbers.
        type: dict
      target:
        description: The stage of a multi-stage Dockerfile to build.
        type: str
      labels:
        description: Labels added to the image, values strings or numbers.
        type: dict
      pull:
        description: Pull newer versions of the C(FROM) images before building.
        type: bool
        default: false
      nocache:
        description: Do not use the build cache. Every build then yields a new image, so it is always a change.
        type: bool
        default: false
  repository:
    description:
      - Also tag the image O(name) as this reference, for example C(registry.example.com:5000/team/app:1.2). Without
        a tag the tag of O(name) is used. A change only when the tag pointed elsewhere (or nowhere).
    type: str
  push:
    description:
      - Push O(repository) (or O(name) when O(repository) is not given) to its registry. Not a change when the
        registry already holds this image under that tag.
    type: bool
    default: false
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

- name: Build an image on the host, tag it for the team registry and push it there
  dockyard.docker.image:
    name: api:2.3
    source: build
    build:
      path: /srv/build/api
      args:
        VERSION: "2.3"
      labels:
        org.example.team: payments
    repository: registry.example.com:5000/team/api:2.3
    push: true

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
build_output:
  description: The last lines the build printed (with O(source=build)).
  returned: when a build ran
  type: list
  elements: str
  sample: ["Step 3/3 : CMD [\"/app\"]", "Successfully built 0123456789ab"]
push_digest:
  description: The registry's manifest digest of the pushed reference (after the run; before it in check mode).
  returned: when O(push=true)
  type: str
  sample: sha256:4567...
diff:
  description: Image ID before and after (and the registry's digest when O(push=true)).
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
from ansible_collections.dockyard.docker.plugins.module_utils.image.build import (
    BuildArgumentError,
    BuildError,
    PushError,
    build_request,
    built_image_id,
    check_reference,
    pushed_digest,
    registry_has,
)
from ansible_collections.dockyard.docker.plugins.module_utils.image.archive import (
    ArchiveError,
    find_image,
    read_archive,
)
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.images import repository_and_tag, split_reference


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
        self.extra = {}
        self.diff_extra = ({}, {})
        self.build_args = None

    def local(self):
        return or_none(self.api.inspect_image, self.name)

    def run(self):
        before = self.local()
        if self.params["state"] == "absent":
            after_id = self.absent(before)
        elif self.params["source"] == "archive":
            after_id = self.from_archive(before)
        elif self.params["source"] == "build":
            after_id = self.build(before)
        else:
            after_id = self.pull(before)
        if self.params["state"] == "present":
            target = self.tag(after_id)
            if self.params["push"]:
                self.push(target, after_id)
        before_id = before["Id"] if before else None
        image = before or {}
        if self.actions and not self.check_mode:
            image = self.local() or {}
        diff_before, diff_after = dict(id=before_id), dict(id=after_id)
        diff_before.update(self.diff_extra[0])
        diff_after.update(self.diff_extra[1])
        result = dict(
            changed=bool(self.actions),
            actions=self.actions,
            image=image,
            diff=dict(before=diff_before, after=diff_after),
        )
        result.update(self.extra)
        return result

    def build(self, before):
        request = self.build_args
        if self.check_mode:
            # Whether a build yields another image is only known by building: a change only when missing.
            if before is None:
                self.actions.append("built %s from %s" % (self.name, request["path"]))
                return None
            return before["Id"]
        try:
            image_id, tail = built_image_id(self.api.build(tag=self.name, **request))
        except BuildError as exc:
            raise ImageError("Building %s from build.path %s failed: %s\n%s"
                             % (self.name, request["path"], exc, "\n".join(exc.tail[-10:])))
        self.extra["build_output"] = tail
        after = self.local()
        if after is None:
            raise ImageError("Built %s but the engine does not know it afterwards" % self.name)
        if image_id and not after["Id"].endswith(image_id.split(":")[-1]):
            raise ImageError("Built image %s but %s is %s afterwards" % (image_id, self.name, after["Id"]))
        if before is None or before["Id"] != after["Id"]:
            self.actions.append("built %s from %s" % (self.name, request["path"]))
        return after["Id"]

    def tag(self, image_id):
        repository = self.params["repository"]
        if not repository:
            return self.name
        repo, tag = repository_and_tag(repository)
        if split_reference(repository)[1:] == (None, None):
            tag = repository_and_tag(self.name)[1] or "latest"
        target = "%s:%s" % (repo, tag)
        current = or_none(self.api.inspect_image, target)
        if current is not None and image_id is not None and current["Id"] == image_id:
            return target
        self.actions.append("tagged %s as %s" % (self.name, target))
        if not self.check_mode:
            self.api.tag(image_id or self.name, repo, tag=tag, force=True)
        return target

    def remote_digest(self, target):
        try:
            found = self.api.inspect_distribution(target)
        except Exception as exc:  # noqa: BLE001 - a tag the registry does not have yet is the usual case
            if getattr(exc, "status_code", None) in (401, 403, 404) or "unknown" in str(exc).lower() \
                    or "not found" in str(exc).lower():
                return None
            raise
        return ((found or {}).get("Descriptor") or {}).get("digest")

    def push(self, target, image_id):
        remote = self.remote_digest(target)
        local = or_none(self.api.inspect_image, target) if image_id is not None else None
        self.diff_extra[0]["registry_digest"] = remote
        if local is not None and local["Id"] == image_id and registry_has(local, target, remote):
            self.extra["push_digest"] = remote
            self.diff_extra[1]["registry_digest"] = remote
            return
        self.actions.append("pushed %s" % target)
        if self.check_mode:
            self.extra["push_digest"] = remote
            self.diff_extra[1]["registry_digest"] = "(new)"
            return
        repo, tag = repository_and_tag(target)
        try:
            digest = pushed_digest(self.api.push(repo, tag=tag, stream=True, decode=True))
        except PushError as exc:
            raise ImageError("Could not push %s: %s (log in first with dockyard.docker.login if the registry "
                             "needs credentials)" % (target, exc))
        self.extra["push_digest"] = digest
        self.diff_extra[1]["registry_digest"] = digest

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
        repo, tag = repository_and_tag(self.name)
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
        source=dict(type="str", choices=["pull", "archive", "build"], default="pull"),
        archive_path=dict(type="path"),
        build=dict(type="dict", options=dict(
            path=dict(type="path"),
            dockerfile=dict(type="str", default="Dockerfile"),
            args=dict(type="dict"),
            target=dict(type="str"),
            labels=dict(type="dict"),
            pull=dict(type="bool", default=False),
            nocache=dict(type="bool", default=False),
        )),
        repository=dict(type="str"),
        push=dict(type="bool", default=False),
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
    params = module.params
    build_args = None
    try:
        if params["build"] is not None and params["source"] != "build":
            raise BuildArgumentError("build is only used with source: build (source is %s)" % params["source"])
        if params["state"] == "absent" and (params["repository"] or params["push"]):
            raise BuildArgumentError("repository and push are only used with state: present")
        if params["repository"]:
            check_reference("repository", params["repository"])
        if params["source"] == "build" and params["state"] == "present":
            if "@" in params["name"]:
                raise BuildArgumentError("name %s: a built image gets a tag, not a digest" % params["name"])
            build_args = build_request(params["build"])
    except BuildArgumentError as exc:
        module.fail_json(msg=str(exc), changed=False)
    engine = connect(module)
    try:
        manager = ImageManager(module, engine.api)
        manager.build_args = build_args
        result = manager.run()
    except ImageError as exc:
        module.fail_json(msg=str(exc), changed=False)
    except Exception as exc:  # noqa: BLE001
        fail_from_error(module, exc, "manage image %s" % module.params["name"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
