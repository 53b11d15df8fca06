#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: volume_info
short_description: Read one volume's inspect data
version_added: 0.4.0
description:
  - Returns what C(docker volume inspect <name>) returns for one volume.
  - A volume that does not exist is not an error - RV(exists) is false.
  - Never changes anything; runs the same in check mode.
  - On a local unix socket the volume is read straight from the engine's API, without loading the Docker SDK.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements
  - dockyard.docker.info_module
options:
  name:
    description:
      - The volume's name.
    type: str
    required: true
    aliases: [volume_name]
seealso:
  - module: dockyard.docker.volume
"""

EXAMPLES = r"""
- name: Read the pgdata volume
  dockyard.docker.volume_info:
    name: pgdata
  register: pgdata

- name: Show where its data lives
  ansible.builtin.debug:
    msg: "{{ pgdata.volume.Mountpoint }}"
  when: pgdata.exists
"""

RETURN = r"""
exists:
  description: Whether the volume exists.
  returned: always
  type: bool
  sample: true
volume:
  description:
    - The volume's inspect data as the engine returns it (C(docker volume inspect)), or null when it does not exist.
  returned: always
  type: dict
  sample:
    Name: pgdata
    Driver: local
    Mountpoint: /var/lib/docker/volumes/pgdata/_data
    Labels: {}
    Options: {}
    Scope: local
"""

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.info import run_inspect_by_name  # noqa: E402


def main():
    run_inspect_by_name("volume", "a volume name", connect, name_aliases=["volume_name"])


if __name__ == "__main__":
    main()
