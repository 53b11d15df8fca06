#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: stack_info
short_description: List the stacks of a swarm, as docker stack ls shows them
version_added: 0.4.0
description:
  - Returns one row per stack with the keys and values C(docker stack ls --format '{{json .}}') prints - the
    stack's name, its number of services and the orchestrator.
  - A stack is every service labelled C(com.docker.stack.namespace), as M(dockyard.docker.stack) and
    C(docker stack deploy) create them; no Docker CLI is needed on the host.
  - Must run on a swarm manager; on a worker or outside a swarm it fails and says so.
  - Never changes anything; runs the same in check mode.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements
  - dockyard.docker.info_module
options: {}
seealso:
  - module: dockyard.docker.stack
  - module: dockyard.docker.stack_task_info
"""

EXAMPLES = r"""
- name: The stacks of the swarm
  dockyard.docker.stack_info:
  register: stacks

- name: Show their names and sizes
  ansible.builtin.debug:
    msg: "{{ item.Name }}: {{ item.Services }} services"
  loop: "{{ stacks.results }}"
"""

RETURN = r"""
results:
  description:
    - One entry per stack, sorted by name, with C(Name), C(Services) (the number of services, a string as the
      CLI prints it), C(Orchestrator) (C(Swarm)) and C(Namespace) (empty for swarm stacks).
  returned: always
  type: list
  elements: dict
  sample:
    - {Name: shop, Namespace: "", Orchestrator: Swarm, Services: "2"}
"""

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.info import InfoReader, info_module  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.views import (  # noqa: E402
    STACK_NAMESPACE,
    stack_rows,
)


def main():
    module = info_module()
    reader = InfoReader(module, connect)
    reader.require_manager("The swarm's stacks")
    services = reader.read("list the stack services", "services", filters={"label": STACK_NAMESPACE})
    module.exit_json(changed=False, results=stack_rows(services))


if __name__ == "__main__":
    main()
