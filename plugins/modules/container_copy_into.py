#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: container_copy_into
short_description: Put a file into a container, idempotent by content hash, owner and mode
version_added: 0.4.0
description:
  - Writes one file into a container at O(container_path), from a file on the managed host (O(path)) or from
    O(content), with the owner and mode given - as C(docker cp) does, through the engine's archive API, so it
    works on running and stopped containers alike and needs nothing inside the container.
  - Idempotent - the file in the container is read first (its SHA-256, mode and owner) and only written when one
    of them differs.
  - A directory or a special file at O(container_path) is never replaced; the task fails and says so.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements.sdk
options:
  container:
    description: The container's name or ID.
    type: str
    required: true
  path:
    description:
      - The file on the managed host to copy (symbolic links are followed). Exactly one of O(path) and O(content).
    type: path
  content:
    description:
      - The file's content. Exactly one of O(path) and O(content).
      - Never logged and never shown in a diff.
    type: str
  content_is_b64:
    description: O(content) is base64 - for binary content.
    type: bool
    default: false
  container_path:
    description:
      - Absolute path of the file in the container. Its directory must exist.
    type: str
    required: true
  follow:
    description:
      - When O(container_path) is a symbolic link in the container, write the file it points to. Otherwise the
        link itself is replaced by the file.
    type: bool
    default: false
  owner_id:
    description:
      - Numeric user ID of the file's owner in the container. Given together with O(group_id).
      - When not given, the container's user (its C(Config.User)) - root for most images. A user given by name
        is looked up with C(id) inside the container, which needs the container running; give O(owner_id) and
        O(group_id) for a stopped one.
    type: int
  group_id:
    description: Numeric group ID of the file in the container. Given together with O(owner_id).
    type: int
  mode:
    description:
      - Permission bits of the file, an octal string (C('0644'), C('755')) or an integer (YAML C(0644) is octal).
      - When not given, the mode of the file at O(path), or C(0644) for O(content).
    type: raw
  force:
    description:
      - When not given, the file is written when it is missing or its content, mode or owner differ.
      - V(true) writes it every time; V(false) writes it only when nothing exists at O(container_path).
    type: bool
attributes:
  check_mode:
    support: full
    description: Reads the file in the container and reports whether it would be written; writes nothing.
  diff_mode:
    support: full
    description:
      - The file's SHA-256, size, mode and owner before and after; the text too when it comes from O(path) and is
        small UTF-8 (never for O(content)).
seealso:
  - module: dockyard.docker.exec
  - module: dockyard.docker.container
"""

EXAMPLES = r"""
- name: A configuration file from the managed host into the web container
  dockyard.docker.container_copy_into:
    container: web
    path: /srv/web/app.conf
    container_path: /etc/app/app.conf
    mode: "0640"
    owner_id: 0
    group_id: 33

- name: A secret given inline (never logged)
  dockyard.docker.container_copy_into:
    container: web
    content: "{{ vault_api_token }}\n"
    container_path: /run/app-token
    mode: "0600"
"""

RETURN = r"""
container_path:
  description: The path written (with O(follow=true) and a link, the file the link points to).
  returned: success
  type: str
  sample: /etc/app/app.conf
actions:
  description: What was done (or would be, in check mode), with the reasons.
  returned: success
  type: list
  elements: str
  sample: ["wrote /etc/app/app.conf (content differs)"]
"""

import os
import posixpath

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    connect,
    docker_argument_spec,
    fail_from_error,
    is_not_found,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.copy_into import (
    DEFAULT_CONTENT_MODE,
    CopyError,
    build_tar,
    check_container_path,
    copy_plan,
    current_file,
    decode_content,
    desired_file,
    diff_side,
    owner_from_user,
    parse_mode,
)

# A symbolic link pointing to another link is followed this many times at most.
MAX_LINKS = 10


def source_bytes(params):
    """The file's bytes and its default mode, from ``path`` or ``content``."""
    if params["path"] is not None:
        path = params["path"]
        if not os.path.isfile(path):
            raise CopyError("path %s is not a file on the managed host" % path)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except (IOError, OSError) as exc:
            raise CopyError("path %s cannot be read: %s" % (path, exc))
        return data, os.stat(path).st_mode & 0o7777
    return decode_content(params["content"], params["content_is_b64"]), DEFAULT_CONTENT_MODE


class ContainerCopier:
    def __init__(self, module, engine):
        self.module = module
        self.engine = engine
        self.params = module.params
        self.name = module.params["container"]

    def fail(self, msg, **kwargs):
        self.module.fail_json(msg=msg, changed=False, **kwargs)

    def call(self, doing, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - explained to the operator
            fail_from_error(self.module, exc, doing, changed=False)

    def inspect(self):
        try:
            return self.engine.reader.inspect_container(self.name)
        except Exception as exc:  # noqa: BLE001
            if is_not_found(exc):
                self.fail("container %s does not exist: create it first (a stopped container is fine)" % self.name)
            fail_from_error(self.module, exc, "inspect container %s" % self.name, changed=False)

    def read(self, path):
        """``current_file`` of ``path`` in the container (``None``: nothing there)."""
        try:
            chunks, stat = self.engine.reader.get_archive(self.name, path)
        except Exception as exc:  # noqa: BLE001
            if is_not_found(exc):
                return None
            fail_from_error(self.module, exc, "read %s in container %s" % (path, self.name), changed=False)
        return current_file(stat, b"".join(chunks))

    def owner(self, container):
        if self.params["owner_id"] is not None:
            return self.params["owner_id"], self.params["group_id"]
        user = (container.get("Config") or {}).get("User")
        found = owner_from_user(user)
        if found is not None:
            return found
        if not (container.get("State") or {}).get("Running"):
            self.fail("container %s runs as user %r, which can only be looked up while it runs, and it is "
                      "stopped: give owner_id and group_id" % (self.name, user))
        return self.id_in_container(user, "-u"), self.id_in_container(user, "-g")

    def id_in_container(self, user, flag):
        api = self.engine.api
        doing = "look up user %s in container %s (id %s)" % (user, self.name, flag)
        exec_id = self.call(doing, api.exec_create, self.name, ["id", flag], user=user)["Id"]
        output = self.call(doing, api.exec_start, exec_id)
        code = self.call(doing, api.exec_inspect, exec_id).get("ExitCode")
        text = (output or b"").decode("utf-8", "replace").strip()
        if code != 0 or not text.isdigit():
            self.fail("Could not %s: %s; give owner_id and group_id" % (doing, text or "exit code %s" % code))
        return int(text)

    def resolve(self, path):
        """The file to compare and write: ``path``, or with ``follow`` the file its links point to."""
        current = self.read(path)
        hops = 0
        while self.params["follow"] and current is not None and current["kind"] == "symlink":
            target = current["link_target"]
            if not target or hops >= MAX_LINKS:
                self.fail("container_path %s: the symbolic link cannot be followed (target %r)" % (path, target))
            path = target if target.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(path),
                                                                                           target))
            current = self.read(path)
            hops += 1
        return path, current

    def write(self, path, desired):
        directory, base = posixpath.split(path)
        data = build_tar(base, desired)
        try:
            self.engine.api.put_archive(self.name, directory, data)
        except Exception as exc:  # noqa: BLE001
            if is_not_found(exc):
                self.fail("container_path %s: directory %s does not exist in container %s (create it first, for "
                          "example in the image)" % (path, directory, self.name))
            fail_from_error(self.module, exc, "write %s in container %s" % (path, self.name), changed=False)

    def run(self):
        try:
            path = check_container_path(self.params["container_path"])
            data, default_mode = source_bytes(self.params)
            mode = parse_mode(self.params["mode"])
        except CopyError as exc:
            self.fail(str(exc))
        container = self.inspect()
        uid, gid = self.owner(container)
        desired = desired_file(data, default_mode if mode is None else mode, uid, gid)
        path, current = self.resolve(path)
        try:
            write, reasons = copy_plan(current, desired, self.params["force"], path)
        except CopyError as exc:
            self.fail(str(exc))
        result = dict(changed=write, container_path=path, actions=[])
        if write:
            result["actions"].append("wrote %s (%s)" % (path, ", ".join(reasons)))
            if not self.module.check_mode:
                self.write(path, desired)
        if self.module._diff:
            show = self.params["path"] is not None
            result["diff"] = dict(before=diff_side(path, current, show),
                                  after=diff_side(path, desired if write else current, show))
        return result


def main():
    argument_spec = docker_argument_spec()
    argument_spec.update(
        container=dict(type="str", required=True),
        path=dict(type="path"),
        content=dict(type="str", no_log=True),
        content_is_b64=dict(type="bool", default=False),
        container_path=dict(type="str", required=True),
        follow=dict(type="bool", default=False),
        owner_id=dict(type="int"),
        group_id=dict(type="int"),
        mode=dict(type="raw"),
        force=dict(type="bool"),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[("path", "content")],
        required_one_of=[("path", "content")],
        required_together=[("owner_id", "group_id")],
    )
    for option in ("owner_id", "group_id"):
        if module.params[option] is not None and module.params[option] < 0:
            module.fail_json(msg="%s must be a user or group ID of 0 or more, got %s" % (option, module.params[option]))
    module.exit_json(**ContainerCopier(module, connect(module, lazy=True)).run())


if __name__ == "__main__":
    main()
