#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: container_info
short_description: Read one container's inspect data
version_added: 0.4.0
description:
  - Returns what C(docker inspect <name>) returns for one container, running or not.
  - A container that does not exist is not an error - RV(exists) is false.
  - Never changes anything; runs the same in check mode.
  - On a local unix socket the container is read straight from the engine's API, without loading the Docker SDK.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements
  - dockyard.docker.info_module
options:
  name:
    description:
      - The container's name or ID (a unique ID prefix is accepted, as by C(docker inspect)).
    type: str
    required: true
seealso:
  - module: dockyard.docker.container
  - module: dockyard.docker.engine_info
"""

EXAMPLES = r"""
- name: Read the web container
  dockyard.docker.container_info:
    name: web
  register: web

- name: Show its state and restart count
  ansible.builtin.debug:
    msg: "{{ web.container.State.Status }}, restarted {{ web.container.RestartCount }} times"
  when: web.exists
"""

RETURN = r"""
exists:
  description: Whether the container exists.
  returned: always
  type: bool
  sample: true
container:
  description:
    - The container's inspect data as the engine returns it (C(docker inspect)), or null when it does not exist.
  returned: always
  type: dict
  sample:
    Id: 8c3f0e1d2b...
    Name: /web
    RestartCount: 0
    State: {Status: running, Running: true, Pid: 4242}
    Config: {Image: "dockyard-lab/app:latest"}
"""

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.info import run_inspect_by_name  # noqa: E402


def main():
    run_inspect_by_name("container", "a container name or ID", connect)


if __name__ == "__main__":
    main()
