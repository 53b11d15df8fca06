#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: stack_task_info
short_description: List the tasks of a stack, as docker stack ps shows them
version_added: 0.4.0
description:
  - Returns one row per task of the stack's services with the keys and values C(docker stack ps --format
    '{{json .}}') prints, older tasks (history) included, sorted as the CLI sorts them.
  - The stack's services are those labelled C(com.docker.stack.namespace=<name>); no Docker CLI is needed.
  - A stack that does not exist gives an empty RV(results) and RV(exists=false); it is not an error.
  - Must run on a swarm manager; on a worker or outside a swarm it fails and says so.
  - Never changes anything; runs the same in check mode.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.requirements
  - dockyard.docker.info_module
options:
  name:
    description: The stack's name.
    type: str
    required: true
notes:
  - C(CurrentState) carries the time since the state changed, worded as the CLI words it (C(Running 5 minutes
    ago)); C(Ports) lists each published port of the task as C(*:published->target/protocol).
seealso:
  - module: dockyard.docker.stack
  - module: dockyard.docker.stack_info
"""

EXAMPLES = r"""
- name: The tasks of the shop stack
  dockyard.docker.stack_task_info:
    name: shop
  register: shop

- name: Fail when a task meant to run is not running
  ansible.builtin.assert:
    that: >-
      shop.results | selectattr('DesiredState', 'eq', 'Running')
      | rejectattr('CurrentState', 'match', 'Running') | list | length == 0
"""

RETURN = r"""
exists:
  description: Whether the stack has any service.
  returned: always
  type: bool
results:
  description:
    - One entry per task, with C(ID) (12 characters), C(Name) (C(<stack>_<service>.<slot>), or C(.<node ID>) for a
      global service), C(Image), C(Node) (host name), C(DesiredState), C(CurrentState), C(Error) (shortened to
      30 characters as the CLI does) and C(Ports).
  returned: always
  type: list
  elements: dict
  sample:
    - {ID: 7wqv6m02ugkw, Name: shop_web.1, Image: "dockyard-lab/app:latest", Node: w1, DesiredState: Running,
       CurrentState: Running 2 minutes ago, Error: "", Ports: ""}
"""

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.info import InfoReader, info_module  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.views import (  # noqa: E402
    STACK_NAMESPACE,
    node_names,
    stack_task_rows,
)


def main():
    module = info_module(name=dict(type="str", required=True))
    name = module.params["name"].strip()
    if not name:
        module.fail_json(msg="name must be a stack name, got an empty string")
    reader = InfoReader(module, connect)
    reader.require_manager("The swarm's stacks")
    services = reader.read("list the services of stack %s" % name, "services",
                           filters={"label": "%s=%s" % (STACK_NAMESPACE, name)}) or []
    if not services:
        module.exit_json(changed=False, exists=False, results=[])
    service_names = dict((s["ID"], s["Spec"]["Name"]) for s in services)
    tasks = reader.read("list the tasks of stack %s" % name, "tasks", filters={"service": sorted(service_names)})
    nodes = reader.read("list the swarm nodes", "nodes")
    module.exit_json(changed=False, exists=True, results=stack_task_rows(tasks, service_names, node_names(nodes)))


if __name__ == "__main__":
    main()
