#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: containers
short_description: Manage many Docker containers in one task
version_added: 0.1.0
description:
  - Reconciles a whole list of containers in one task over one engine connection. Each item takes the options of
    M(dockyard.docker.container) and is inspected, compared, created, updated in place, recreated, started,
    stopped or removed by the same code as that module, so the end state, RV(containers[].changed) and
    RV(containers[].actions) are the ones a loop of M(dockyard.docker.container) over the same items gives.
  - Containers are looked up by name. The engine is never asked to list every container - only one list
    filtered by name finds the containers an interrupted recreate left aside, and O(prune=true) lists the
    containers carrying the ownership label. Each image is resolved once per task.
  - The changes run in parallel, at most O(parallelism) creates, starts, updates or recreates at a time; stops
    and removals all at once, so removing many containers costs about one stop timeout in all.
  - All or nothing - every item is validated, looked up and its image resolved (pulled when needed) before the
    first change; when one item cannot be deployed (a missing image with O(containers[].pull=never), an image
    that cannot be pulled, a bad option), the task fails naming it and no container is changed.
  - A recreate keeps the old container (stopped, renamed aside) until the new one runs; when the new one cannot
    be created or started, the old one gets its name back and is started again, and the item fails saying so.
  - Changes take a per-host lock (C(/run/dockyard/docker.lock), only root can open it), so two runs converging
    the same containers at the same time end with one container per name; a run that waited plans again first.
    Check mode and runs with nothing to change never wait for it; a run that cannot take it within
    O(lock_timeout) fails and changes nothing.
  - Every container this module creates carries the labels C(io.dockyard.managed=true),
    C(io.dockyard.owner=<owner>) (O(owner)) and C(io.dockyard.created-as=<name>) (how a recreate recognises the
    old container it set aside; a container of someone else under the aside name C(NAME-dockyard-old) is never
    removed or renamed, and a recreate that needs that name fails naming it). These labels are not compared.
attributes:
  check_mode:
    support: full
    description: Computes, per container, exactly the actions a real run takes and changes nothing; with
      O(prune=true) reports the containers that would be removed.
  diff_mode:
    support: full
    description: Before and after of every compared option and the state of each changed container.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.change_lock
  - dockyard.docker.container_options.items
options:
  containers:
    description:
      - The containers, each a dict of the options of M(dockyard.docker.container) (without the engine
        connection options, which are given once for the task).
      - Every item is validated before anything is changed; a name may appear only once.
    type: list
    elements: dict
    required: true
  parallelism:
    description:
      - How many containers are created, started, updated or recreated at the same time. C(1) changes them one
        after another, in list order.
      - Containers that only have to be stopped or removed are all handled at once, whatever O(parallelism) says;
        a stop is a wait on the engine (up to the stop timeout), not work.
      - A container whose O(containers[].network_mode) is C(container:NAME) of another listed container is handled
        after that container.
    type: int
    default: 10
  prune:
    description:
      - Also remove every container this collection created for the same O(owner) (labels
        C(io.dockyard.managed) and C(io.dockyard.owner=<owner>)) that is not in O(containers).
      - Never touched - containers without C(io.dockyard.managed), containers of another owner (another
        C(containers) task with its own O(owner)), and containers of a Compose project (label
        C(com.docker.compose.project), whether M(dockyard.docker.compose) or C(docker compose) created them).
      - Containers created by versions of this collection that wrote only C(io.dockyard.managed=true) belong to
        the owner C(default).
      - Pruned containers are stopped with their own stop timeout, then removed (never their volumes), before
        the listed containers are changed (so a port or a name they hold is free).
    type: bool
    default: false
  owner:
    description:
      - Who the containers of this task belong to - written as the label C(io.dockyard.owner) on every container
        created, and the only owner whose containers O(prune) removes. Give each C(containers) task that prunes
        its own owner (for example the application's name) so it never removes another task's containers.
      - 1 to 128 characters of C([A-Za-z0-9_.-]), starting with a letter or digit.
      - The label is written when a container is created and is not compared, so changing O(owner) changes no
        existing container (no recreate); a container keeps the owner it was created with until it is recreated.
        Until then a prune under its old owner still counts it as that owner's.
    type: str
    default: default
notes:
  - The compiled code of this collection's module_utils is kept per user on the managed host
    (C(~/.cache/dockyard.docker), mode C(0700)) so later tasks do not compile it again; set
    E(DOCKYARD_BYTECODE_CACHE=off) on the host to turn that off.
  - Per-container results are in RV(containers); when a change fails for one or more items, the task fails after
    all items ran, naming each failed container.
  - The connection options (O(docker_host), O(timeout), TLS) apply to the whole task; each worker thread opens
    its own client to that engine.
seealso:
  - module: dockyard.docker.container
"""

EXAMPLES = r"""
- name: Every container of this host from inventory, changed ten at a time
  dockyard.docker.containers:
    parallelism: 10
    containers: "{{ host_containers }}"   # a list of dicts with container options

- name: The application stack; containers of an older release that are no longer listed are removed
  dockyard.docker.containers:
    prune: true
    containers:
      - name: db
        image: registry.example.com/db:15
        volumes:
          - db-data:/var/lib/db
        restart_policy: unless-stopped
      - name: api
        image: registry.example.com/api:2.4
        env:
          DB_HOST: db
        published_ports:
          - "8080:8000"
        restart_policy: on-failure
        restart_retries: 5
      - name: worker
        image: registry.example.com/api:2.4
        command: ["worker", "--queue", "default"]
        restart_policy: always
        stop_timeout: 30

- name: Remove several containers at once (their volumes stay)
  dockyard.docker.containers:
    containers:
      - name: api
        state: absent
      - name: worker
        state: absent
"""

RETURN = r"""
containers:
  description: One entry per listed container, in list order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Container name.
      type: str
      returned: always
    changed:
      description: Whether this container was (or in check mode would be) changed.
      type: bool
      returned: always
    actions:
      description: What was done to this container (or would be in check mode), in order; the same strings as
        the RV(dockyard.docker.container#module:actions) of M(dockyard.docker.container).
      type: list
      elements: str
      returned: always
      sample: ["updated restart_policy"]
    diff:
      description: Before and after of the compared options and of the container state.
      type: dict
      returned: always
    id:
      description: ID of the container after the run (before it in check mode); null when there is none.
      type: str
      returned: always
    state:
      description: State of the container after the run (C(running), C(created), C(exited), C(absent), ...).
      type: str
      returned: always
    failed:
      description: Present and true when this container could not be reconciled.
      type: bool
      returned: on failure of this item
    msg:
      description: Why this container could not be reconciled.
      type: str
      returned: on failure of this item
pruned:
  description: The containers removed (or that would be removed in check mode) by O(prune), same fields as
    RV(containers).
  returned: always
  type: list
  elements: dict
  sample:
    - name: old-worker
      changed: true
      actions: ["removed"]
      id: 4c5d...
      state: absent
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.change_lock import (  # noqa: E402
    ChangeLockError,
    change_lock_argument_spec,
    check_timeout,
)
from ansible_collections.dockyard.docker.plugins.module_utils.client import connect, docker_argument_spec
from ansible_collections.dockyard.docker.plugins.module_utils.container.bulk_execute import BulkReconciler, Refused
from ansible_collections.dockyard.docker.plugins.module_utils.container.bulk_plan import parse_items, summarize
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import (
    SpecError,
    container_argument_spec,
    parse_owner,
)


def main():
    argument_spec = dict(
        containers=dict(type="list", elements="dict", required=True, options=container_argument_spec()),
        parallelism=dict(type="int", default=10),
        prune=dict(type="bool", default=False),
        owner=dict(type="str", default="default"),
    )
    argument_spec.update(docker_argument_spec())
    argument_spec.update(change_lock_argument_spec())
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)

    # Validate everything before talking to the engine: a bad item changes nothing.
    if module.params["parallelism"] < 1:
        module.fail_json(msg="parallelism must be a whole number >= 1, got %s" % module.params["parallelism"],
                         changed=False)
    try:
        check_timeout(module.params["lock_timeout"])
        owner = parse_owner(module.params["owner"])
        specs = parse_items(module.params["containers"], owner)
    except (SpecError, ChangeLockError) as exc:
        module.fail_json(msg=str(exc), changed=False)

    # Lazy: planning reads over the engine's socket without the SDK, which is only loaded (and the API
    # version negotiated) when something has to change.
    engine = connect(module, lazy=True)
    bulk = BulkReconciler(module, engine, specs, owner=owner, purpose="dockyard.docker.containers: %s" % ", ".join(
        [spec.name for spec in specs][:5] + (["..."] if len(specs) > 5 else [])))
    try:
        results, pruned = bulk.converge(module.params["prune"])
    except Refused as exc:
        module.fail_json(msg=str(exc), changed=False, containers=exc.results, pruned=[])

    changed, failed, diff = summarize(results + pruned)
    output = dict(changed=changed, containers=results, pruned=pruned)
    if module._diff:
        output["diff"] = diff
    if failed:
        module.fail_json(
            msg="%d of %d containers could not be reconciled: %s" % (
                len(failed), len(results) + len(pruned),
                "; ".join("%s: %s" % (r["name"], r["msg"]) for r in failed)),
            **output
        )
    module.exit_json(**output)


if __name__ == "__main__":
    main()
