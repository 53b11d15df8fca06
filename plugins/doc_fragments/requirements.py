# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a module needs of the engine, and of the managed host beyond the connection's requirement.

``dockyard.docker.requirements`` is the engine API alone; ``.sdk`` adds the Docker SDK on the managed
host; ``.swarm_manager`` is that with the engine a swarm manager.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # ansible-doc refuses a fragment without options or attributes; these add no option.
    DOCUMENTATION = r"""
requirements:
  - Docker engine API 1.41 (Docker 20.10) or newer
options: {}
"""

    SDK = r"""
requirements:
  - Docker SDK for Python (C(docker)) on the managed host
  - Docker engine API 1.41 (Docker 20.10) or newer
options: {}
"""

    SWARM_MANAGER = r"""
requirements:
  - Docker SDK for Python (C(docker)) on the managed host
  - Docker engine API 1.41 (Docker 20.10) or newer, the engine a swarm manager
options: {}
"""
