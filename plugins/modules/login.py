#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: login
short_description: Log a host's Docker client in to a registry, or out of it
version_added: 0.4.0
description:
  - With O(state=present), checks O(username) and O(password) against the registry through the engine (the
    engine's C(POST /auth), so the registry itself answers and the engine's trust in C(/etc/docker/certs.d)
    applies), then writes the entry C(docker login) writes into the Docker client config file O(config_path),
    an C(auth) string (base64 of C(username:password)) under the registry's C(host[:port]) in C(auths), file
    mode C(0600).
  - Other entries and keys of the file are kept. Credentials the registry refuses fail the task with the
    registry's answer and leave the file exactly as it was.
  - With O(state=absent), removes only the entry of O(registry_url) from the file (the registry is not asked).
  - The password and the C(auth) string are never returned, shown in a diff or logged.
attributes:
  check_mode:
    support: full
    description: Asks the registry whether the credentials work (a read-only request) and reports whether the
      file would change, without writing it.
  diff_mode:
    support: full
    description: The registries of the file's C(auths) with their user names before and after, and whether the
      stored credentials of O(registry_url) change. Never a password or C(auth) string.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
options:
  registry_url:
    description:
      - The registry, C(host[:port]) (for example C(registry.example.com:5000)), optionally with C(https://) and a
        path, which is ignored. Docker Hub by default; every spelling of Docker Hub is stored under the key
        C(https://index.docker.io/v1/), as C(docker login) does.
      - An C(http://) URL is refused unless the engine talks plain HTTP to that registry (it is among the engine's
        C(insecure-registries)), so that credentials never travel to a TLS registry by a URL that says otherwise.
    type: str
    default: https://index.docker.io/v1/
    aliases: [registry, url]
  username:
    description: User name at the registry. Required with O(state=present). Must not contain C(:).
    type: str
  password:
    description: Password (or access token) of O(username). Required and not empty with O(state=present).
    type: str
  reauthorize:
    description:
      - V(false) trusts an entry of the file that already holds exactly these credentials and does not ask the
        registry again (nothing changes, no network).
      - V(true) asks the registry every time, and fails when it refuses the credentials even if the file holds
        them. The file is only written when its entry differs.
    type: bool
    default: false
    aliases: [reauth]
  state:
    description:
      - V(present) checks the credentials and writes the entry.
      - V(absent) removes the entry of O(registry_url) (a logout); other entries stay.
    type: str
    choices: [present, absent]
    default: present
  config_path:
    description:
      - The Docker client config file of the user the module runs as on the managed host.
      - When the file names a credential store (C(credsStore), or C(credHelpers) for this registry), the Docker
        CLI would not read C(auths); the module refuses instead of writing credentials the CLI would ignore.
    type: path
    default: ~/.docker/config.json
    aliases: [dockercfg_path]
notes:
  - When the directory of O(config_path) does not exist it is created with mode C(0700).
  - Registries that answer with an identity token (OAuth) are stored like any other, as username and password.
seealso:
  - module: dockyard.docker.image
  - module: dockyard.docker.container
"""

EXAMPLES = r"""
- name: Log in to the team registry (credentials from a vault)
  dockyard.docker.login:
    registry_url: registry.example.com:5000
    username: deploy
    password: "{{ vault_registry_password }}"

- name: Log in root's Docker client to the same registry
  become: true
  dockyard.docker.login:
    registry_url: registry.example.com:5000
    username: deploy
    password: "{{ vault_registry_password }}"
    config_path: /root/.docker/config.json

- name: Check the stored credentials still work (fails if the password was changed at the registry)
  dockyard.docker.login:
    registry_url: registry.example.com:5000
    username: deploy
    password: "{{ vault_registry_password }}"
    reauthorize: true

- name: Log out (only that registry's entry is removed)
  dockyard.docker.login:
    registry_url: registry.example.com:5000
    state: absent
"""

RETURN = r"""
registry:
  description: The key of the entry in C(auths) (C(host[:port]), or C(https://index.docker.io/v1/) for Docker Hub).
  returned: always
  type: str
  sample: registry.example.com:5000
config_path:
  description: The file that was (or would be) written.
  returned: always
  type: str
  sample: /home/deploy/.docker/config.json
actions:
  description: What was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample: ["checked the credentials of deploy with registry.example.com:5000", "wrote the entry of registry.example.com:5000"]
login_result:
  description: The status the registry answered through the engine (no token). Empty when it was not asked.
  returned: always
  type: dict
  sample:
    Status: Login Succeeded
diff:
  description: Registries of the file with their user names, before and after (no secrets).
  returned: always
  type: dict
  sample:
    before:
      auths: {}
    after:
      auths:
        registry.example.com:5000:
          username: deploy
"""

import os
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import (  # noqa: E402
    connect,
    docker_argument_spec,
    explain_error,
)
from ansible_collections.dockyard.docker.plugins.module_utils.image.registry_auth import (
    RegistryError,
    check_credentials,
    credential_store,
    dump_config,
    engine_allows_plain_http,
    entry_matches,
    load_config,
    parse_registry,
    summary,
    with_entry,
    without_entry,
)


def read_file(path):
    if not os.path.exists(path):
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except (IOError, OSError, UnicodeDecodeError) as exc:
        raise RegistryError("config_path %s cannot be read: %s" % (path, exc))


def write_file(path, content):
    """Write ``content`` to ``path`` by an atomic rename of a 0600 file in the same directory.

    The new file is never readable by others, not even for a moment; an existing file keeps its owner.
    The directory is made 0700 when missing.
    """
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        try:
            os.makedirs(directory, 0o700)
        except OSError as exc:
            raise RegistryError("config_path %s: cannot create its directory: %s" % (path, exc))
    owner = None
    if os.path.exists(path):
        info = os.stat(path)
        owner = (info.st_uid, info.st_gid)
    fd, tmp = tempfile.mkstemp(prefix=".config.json.", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        if owner is not None and os.geteuid() == 0:
            os.fchown(fd, owner[0], owner[1])
        with os.fdopen(fd, "wb") as handle:
            handle.write(to_bytes(content))
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(tmp, path)
    except OSError as exc:
        raise RegistryError("config_path %s could not be written: %s" % (path, exc))
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def registry_answer(exc):
    """The engine's own message for an API error (the registry's answer), else the transport explained."""
    explanation = getattr(exc, "explanation", None)
    if explanation:
        return explanation.decode("utf-8", "replace") if isinstance(explanation, bytes) else str(explanation)
    return explain_error(exc)


class Login(object):
    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.path = self.params["config_path"]
        self.actions = []
        self.login_result = {}
        self.engine = None

    def api(self):
        if self.engine is None:
            self.engine = connect(self.module)
        return self.engine.api

    def refuse_plain_http(self, scheme, key):
        if scheme != "http":
            return
        try:
            info = self.api().info()
        except Exception as exc:  # noqa: BLE001
            raise RegistryError("registry_url %s: could not ask the engine whether %s is an insecure registry: %s"
                                % (self.params["registry_url"], key, explain_error(exc)))
        if not engine_allows_plain_http(info, key):
            raise RegistryError(
                "registry_url %s is plain http:// but the engine talks TLS to %s (it is not among its "
                "insecure-registries): give https://%s or just %s" % (self.params["registry_url"], key, key, key))

    def ask_registry(self, key):
        username = self.params["username"]
        try:
            answer = self.api().login(username, password=self.params["password"], registry=key, reauth=True)
        except Exception as exc:  # noqa: BLE001 - the registry's (or engine's) answer is the message
            raise RegistryError("The registry %s refused the login of %s (registry_url, username, password): %s; "
                                "config_path %s was not changed" % (key, username, registry_answer(exc), self.path))
        self.actions.append("checked the credentials of %s with %s" % (username, key))
        status = answer.get("Status") if isinstance(answer, dict) else None
        self.login_result = {"Status": status or "Login Succeeded"}

    def run(self):
        scheme, key = parse_registry(self.params["registry_url"])
        state = self.params["state"]
        username, password = self.params["username"], self.params["password"]
        if state == "present":
            check_credentials(username, password)
            self.refuse_plain_http(scheme, key)
        before_text = read_file(self.path)
        data = load_config(before_text, self.path)
        if state == "present":
            store = credential_store(data, key)
            if store:
                raise RegistryError("config_path %s names a credential store (%s): the Docker CLI would read the "
                                    "credentials of %s from it, not from auths; nothing was written"
                                    % (self.path, store, key))
            matches = entry_matches(data, key, username, password)
            if not matches or self.params["reauthorize"]:
                self.ask_registry(key)
            new = data if matches else with_entry(data, key, username, password)
            if not matches:
                self.actions.append("wrote the entry of %s" % key)
        else:
            present = key in (data.get("auths") or {})
            new = without_entry(data, key) if present else data
            if present:
                self.actions.append("removed the entry of %s" % key)
        changed = new is not data
        if changed and not self.module.check_mode:
            write_file(self.path, dump_config(new))
        before, after = summary(data), summary(new)
        if changed and state == "present" and key in before["auths"]:
            after["auths"][key]["credentials"] = "replaced"
        return dict(
            changed=changed,
            registry=key,
            config_path=self.path,
            actions=self.actions,
            login_result=self.login_result,
            diff=dict(before=before, after=after),
        )


def main():
    argument_spec = dict(
        registry_url=dict(type="str", default="https://index.docker.io/v1/", aliases=["registry", "url"]),
        username=dict(type="str"),
        password=dict(type="str", no_log=True),
        reauthorize=dict(type="bool", default=False, aliases=["reauth"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        config_path=dict(type="path", default="~/.docker/config.json", aliases=["dockercfg_path"]),
    )
    argument_spec.update(docker_argument_spec())
    module = AnsibleModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[("state", "present", ["username", "password"])],
    )
    try:
        result = Login(module).run()
    except RegistryError as exc:
        module.fail_json(msg=str(exc), changed=False)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
