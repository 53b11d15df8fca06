#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: swarm_service_info
short_description: Read one swarm service's inspect data
version_added: 0.4.0
description:
  - Returns what C(docker service inspect <name>) returns for one service - with the defaults the engine fills
    in for options the service does not set (restart policy, update and rollback config), as the CLI shows them.
  - A service that does not exist is not an error - RV(exists) is false.
  - Must run on a swarm manager; on a worker or outside a swarm it fails and says so.
  - Never changes anything; runs the same in check mode.
  - On a local unix socket the service is read straight from the engine's API, without loading the Docker SDK.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements
  - dockyard.docker.info_module
options:
  name:
    description:
      - The service's name or ID.
    type: str
    required: true
seealso:
  - module: dockyard.docker.swarm_service
  - module: dockyard.docker.swarm_info
"""

EXAMPLES = r"""
- name: Read the web service
  dockyard.docker.swarm_service_info:
    name: web
  register: web

- name: Show its replica count
  ansible.builtin.debug:
    msg: "{{ web.service.Spec.Mode.Replicated.Replicas }}"
  when: web.exists
"""

RETURN = r"""
exists:
  description: Whether the service exists.
  returned: always
  type: bool
  sample: true
service:
  description:
    - The service's inspect data as the engine returns it (C(docker service inspect)), or null when it does not
      exist.
  returned: always
  type: dict
  sample:
    ID: ohd1l0me...
    Spec:
      Name: web
      Mode: {Replicated: {Replicas: 3}}
      TaskTemplate: {ContainerSpec: {Image: "dockyard-lab/app:latest"}}
    Version: {Index: 42}
"""

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.info import run_inspect_by_name  # noqa: E402


def main():
    run_inspect_by_name("service", "a service name or ID", connect, manager_of="The swarm's services", insert_defaults=True)


if __name__ == "__main__":
    main()
