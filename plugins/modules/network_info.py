#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: network_info
short_description: Read one network's inspect data
version_added: 0.4.0
description:
  - Returns what C(docker network inspect <name>) returns for one network.
  - A network that does not exist is not an error - RV(exists) is false.
  - Never changes anything; runs the same in check mode.
  - On a local unix socket the network is read straight from the engine's API, without loading the Docker SDK.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements
  - dockyard.docker.info_module
options:
  name:
    description:
      - The network's name or ID.
    type: str
    required: true
seealso:
  - module: dockyard.docker.network
"""

EXAMPLES = r"""
- name: Read the appnet network
  dockyard.docker.network_info:
    name: appnet
  register: appnet

- name: Show its subnet
  ansible.builtin.debug:
    msg: "{{ appnet.network.IPAM.Config[0].Subnet }}"
  when: appnet.exists
"""

RETURN = r"""
exists:
  description: Whether the network exists.
  returned: always
  type: bool
  sample: true
network:
  description:
    - The network's inspect data as the engine returns it (C(docker network inspect)), or null when it does not exist.
  returned: always
  type: dict
  sample:
    Name: appnet
    Id: 5c1e...
    Driver: bridge
    Scope: local
    IPAM: {Driver: default, Config: [{Subnet: 172.20.0.0/16, Gateway: 172.20.0.1}]}
    Containers: {}
"""

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.info import run_inspect_by_name  # noqa: E402


def main():
    run_inspect_by_name("network", "a network name or ID", connect)


if __name__ == "__main__":
    main()
