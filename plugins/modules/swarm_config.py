#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: swarm_config
short_description: Create, rotate or remove a Docker Swarm config, idempotent by content hash
version_added: 0.1.0
description:
  - Manages one Swarm config on a swarm manager.
  - Configs reach service tasks as files (not encrypted at rest; use M(dockyard.docker.swarm_secret) for
    sensitive data).
  - Idempotence without reading the data back - the module stores a salted hash of the content
    (PBKDF2-HMAC-SHA256, random salt, 100000 rounds, so a short password cannot be looked up from it) in the
    label C(io.dockyard.data-hash) and compares the new content against it.
  - A config created outside this module is compared by the data the engine returns.
  - Labels alone are updated in place.
  - New content means a new config (the engine cannot change the data of an existing one). When no service
    uses it, the old one is removed and a new one with the same name is created.
  - When services use it, the module refuses and names them, unless O(force=true). With O(force=true) it
    rotates - it creates a temporary config C(<name>-rotating) with the new content, updates every
    using service to it (a rolling update of their tasks, same target file, uid, gid and mode), removes the
    old config, creates the new one under O(name), updates the services again to it (a second rolling update)
    and removes the temporary one. Tasks always have the file; they see the new content from the first update.
  - O(state=absent) refuses while a service uses the config, naming the services, unless O(force=true) - then the
    config is first removed from those services (their tasks are restarted without the file).
  - The result and the diff never contain the data, only its hash, the labels and the using services.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements.swarm_manager
options:
  name:
    description:
      - Name of the config (what services reference).
    type: str
    required: true
  data:
    description:
      - The content, as a string. Never shown in results, diffs or logs.
      - Mutually exclusive with O(data_src); one of them is required with O(state=present).
    type: str
  data_src:
    description:
      - Path of a file on the managed host whose bytes are the content.
      - Mutually exclusive with O(data).
    type: path
  data_is_b64:
    description:
      - O(data) is base64 encoded (for binary content); the module decodes it. Does not apply to O(data_src).
    type: bool
    default: false
  labels:
    description:
      - Labels of the config, set exactly (labels not listed are removed; updated in place).
      - The label C(io.dockyard.data-hash) is reserved.
    type: dict
  state:
    description:
      - V(present) create, update labels or rotate; V(absent) remove.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - Allow changing or removing a config that services use (see the description for exactly what happens).
      - It does not recreate an unchanged config.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reports what would be created, rotated or removed without doing it.
  diff_mode:
    support: full
    description: Shows name, labels, salted content hash and using services before and after - never the data.
seealso:
  - module: dockyard.docker.swarm_secret
  - module: dockyard.docker.swarm_service
"""

EXAMPLES = r"""
- name: Nginx configuration as a swarm config
  dockyard.docker.swarm_config:
    name: nginx_conf
    data_src: /srv/shop/nginx.conf
    labels:
      app: shop

- name: Small inline config
  dockyard.docker.swarm_config:
    name: feature_flags
    data: |
      checkout_v2=true

- name: Remove a config (refused while a service uses it)
  dockyard.docker.swarm_config:
    name: feature_flags
    state: absent
"""

RETURN = r"""
config_id:
  description: ID of the config after the run (before it in check mode); null when absent.
  returned: success
  type: str
  sample: 7q1hzj4mbs2ln8uqwfx6kzjq0
name:
  description: The config's name.
  returned: always
  type: str
data_hash:
  description:
    - Salted hash of the content, C(pbkdf2-sha256:<rounds>:<salt>:<hash>) (the value of the C(io.dockyard.data-hash)
      label); null with O(state=absent).
  returned: success
  type: str
  sample: pbkdf2-sha256:100000:6f1c0e2a9b7d4c3e8f0a1b2c3d4e5f60:4e1f...
services:
  description: Names of the services that used the config when the module started.
  returned: success
  type: list
  elements: str
actions:
  description: What was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.objects import (  # noqa: E402
    SwarmObjectManager,
    module_arguments,
)


def main():
    # A config's content is not secret (configs are not encrypted at rest either).
    module = AnsibleModule(**module_arguments(data_no_log=False))
    SwarmObjectManager(module, connect(module), "config").run()


if __name__ == "__main__":
    main()
