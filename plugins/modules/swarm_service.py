#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: swarm_service
short_description: Create, update and remove Swarm services, waiting until they converge
version_added: 0.1.0
description:
  - Runs on a swarm manager. Builds the engine's service spec from the options and creates the service, updates
    it when the options differ from what the engine holds, or removes it.
  - Idempotent; only options that are given are compared, so a second run with the same options triggers no
    service update (and no task restart). Give an empty list or dict to clear a list or map option.
  - With O(wait=true) (the default) returns only when the running tasks equal the desired ones, or fails with
    the tasks' errors after O(wait_timeout) seconds.
  - B(Routing mesh preflight) - the ingress routing mesh (O(publish) with mode V(ingress)) and virtual-IP load
    balancing (O(endpoint_mode=vip), the engine default, on a service attached to a network or publishing ports)
    need the kernel's IPVS. When C(/proc/net/ip_vs) is absent on the manager the module runs on and
    C(modprobe -n ip_vs) says the module cannot be loaded, the module refuses such a service (it would show
    Running while every connection fails) and names the fix - O(endpoint_mode=dnsrr) with O(publish) mode
    V(host), or loading C(ip_vs) on every node. O(ignore_ipvs_check=true) skips the check.
  - The engine cannot switch a service between V(replicated), V(global) and the job modes; such a change removes
    and recreates the service (reported in RV(actions)).
author:
  - dockyard.docker contributors (@dockyard)
requirements:
  - Docker SDK for Python (C(docker)) on the managed host
  - Docker engine API 1.41 (Docker 20.10) or newer
extends_documentation_fragment:
  - dockyard.docker.connection
options:
  name:
    description: Service name.
    type: str
    required: true
  state:
    description: V(present) creates or updates, V(absent) removes.
    type: str
    choices: [present, absent]
    default: present
  image:
    description:
      - Image of the tasks. Required to create a service. The image must be on every node that may run a task
        (see the M(dockyard.docker.image) module for hosts without a registry).
    type: str
  command:
    description: Replaces the image's entrypoint; a string is split like a shell would.
    type: raw
  args:
    description: Arguments of the command (the image's CMD).
    type: list
    elements: str
  mode:
    description:
      - V(replicated) runs O(replicas) tasks, V(global) one task on every eligible node.
      - V(replicated-job) runs tasks to completion until O(replicas) of them have completed (exited 0), up to
        O(replicas) at once (as C(docker service create --mode replicated-job --replicas N)); V(global-job) runs
        one task to completion on every eligible node. With O(wait=true) the module waits until the tasks have
        completed, not until they run. A job takes neither O(update_config) nor O(rollback_config); a changed
        job spec runs the job again.
      - A new service is V(replicated) when left out; an existing service keeps its mode.
      - The engine cannot switch between these modes; such a change removes and recreates the service.
    type: str
    choices: [replicated, global, replicated-job, global-job]
  replicas:
    description:
      - Number of tasks of a V(replicated) service (0 or more), or the number of completions of a
        V(replicated-job) (the engine's C(TotalCompletions), as community.docker sets it). Not allowed with
        O(mode=global) or O(mode=global-job).
      - When left out, a new service gets 1 and an existing one keeps its count.
    type: int
  cap_add:
    description:
      - Linux capabilities added to each task, for example V(NET_ADMIN) (with or without C(CAP_), any case;
        V(ALL) for all). Compared as a set. Needs engine API 1.41.
    type: list
    elements: str
  cap_drop:
    description: Linux capabilities dropped from each task, as for O(cap_add).
    type: list
    elements: str
  container_labels:
    description: Labels of the task containers (the service's own labels are O(labels)); compared as a whole.
    type: dict
  dns:
    description: DNS servers (IP addresses) of the tasks, in order.
    type: list
    elements: str
  dns_options:
    description: Resolver options of the tasks, for example V(ndots:2) or V(timeout:2).
    type: list
    elements: str
  dns_search:
    description: DNS search domains of the tasks.
    type: list
    elements: str
  env_files:
    description:
      - Files of C(KEY=VALUE) lines (C(#) comments and blank lines allowed), read on the managed host, whose
        variables are given to the tasks. A later file wins over an earlier one and O(env) wins over them all.
    type: list
    elements: path
  force_update:
    description:
      - V(true) replaces every task even when the spec has not changed (C(docker service update --force)); the
        spec's C(ForceUpdate) counter is increased, so the task is always reported as changed.
    type: bool
    default: false
  groups:
    description: Additional groups the task's user belongs to (names or GIDs); compared as a set.
    type: list
    elements: str
  hostname:
    description: Host name inside the tasks (may use Go templates such as V({{.Task.Slot}}), as the CLI does).
    type: str
  hosts:
    description:
      - Extra C(/etc/hosts) entries of the tasks, host name to IP address, for example
        C(db.internal) to V(10.0.0.5); the engine stores them as C(IP hostname). Compared as a whole.
    type: dict
  init:
    description: Run an init process (PID 1) in each task that reaps zombies and forwards signals.
    type: bool
  logging:
    description: Logging driver of the tasks.
    type: dict
    suboptions:
      driver:
        description: Driver name, for example V(json-file), V(local), V(syslog), V(none).
        type: str
      options:
        description: Options of the driver, for example C(max-size) V(10m); compared as a whole.
        type: dict
  read_only:
    description: Mount the task's root filesystem read-only (add O(mounts) of type V(tmpfs) where it must write).
    type: bool
  resolve_image:
    description:
      - V(true) asks the image's registry, through the engine, for the digest of O(image) and pins the service
        to C(image:tag@sha256:...), as C(docker service create) does by default. An image pushed again under the
        same tag then updates the service on the next run; an unchanged registry changes nothing. The
        credentials of O(with_registry_auth) are used for the question when that is V(true).
      - Check mode asks the registry too. Fails, changing nothing, when the registry does not answer.
      - V(false) (the default) uses the image as given (nodes pull it or must have it, see
        M(dockyard.docker.image)).
    type: bool
    default: false
  stdin_open:
    description:
      - Keep the task's standard input open (C(OpenStdin), as C(stdin_open) of a Compose service).
        community.docker's module has no such option.
    type: bool
  stop_grace_period:
    description: Time a task gets to stop after O(stop_signal) before it is killed, for example V(30s) or V(1m30s).
    type: str
  stop_signal:
    description: Signal that stops a task, for example V(SIGTERM) or V(SIGQUIT) (V(TERM) is the same as V(SIGTERM)).
    type: str
  sysctls:
    description: Namespaced kernel parameters of the tasks, for example C(net.core.somaxconn) V(1024);
      compared as a whole.
    type: dict
  tty:
    description: Give each task a pseudo-TTY.
    type: bool
  ulimits:
    description:
      - Resource limits of the tasks, C(NAME:SOFT[:HARD]) as for M(dockyard.docker.container), for example
        V(nofile:1024:2048). Compared as a set. community.docker's module has no such option.
    type: list
    elements: str
  user:
    description: User (name or UID, optionally C(:group)) the task's process runs as.
    type: str
  working_dir:
    description: Working directory of the task's process.
    type: str
  endpoint_mode:
    description:
      - V(vip) gives the service a virtual IP load balanced with IPVS; V(dnsrr) makes the service name resolve to
        every task (DNS round robin). V(dnsrr) publishes only in V(host) mode.
    type: str
    choices: [vip, dnsrr]
  publish:
    description: Published ports.
    type: list
    elements: dict
    suboptions:
      published_port:
        description: Port on the nodes. Left out, the engine picks one (ingress) or uses a random one (host).
        type: int
      target_port:
        description: Port inside the task.
        type: int
        required: true
      protocol:
        description: Protocol.
        type: str
        choices: [tcp, udp, sctp]
        default: tcp
      mode:
        description:
          - V(ingress) publishes on every node through the routing mesh (needs IPVS),
            V(host) only on the nodes running a task, directly.
        type: str
        choices: [ingress, host]
        default: ingress
  networks:
    description: Networks (overlay) to attach, by name, as strings or C({name, aliases}) dicts.
    type: list
    elements: raw
  env:
    description: Environment variables, a dict or a list of C(KEY=VALUE) strings.
    type: raw
  labels:
    description: Service labels (compared as a whole).
    type: dict
  mounts:
    description: Mounts of each task.
    type: list
    elements: dict
    suboptions:
      source:
        description: Volume name, or host path for V(bind). The engine keeps but does not use one for V(tmpfs).
        type: str
      target:
        description: Path inside the task.
        type: str
        required: true
      type:
        description:
          - V(volume) is local to each node unless O(mounts[].driver) shares it, V(bind) a host path on each
            node, V(tmpfs) memory.
        type: str
        choices: [volume, bind, tmpfs]
        default: volume
      readonly:
        description: Mount read-only.
        type: bool
        default: false
      driver:
        description: Volume driver (type V(volume) only).
        type: str
      driver_opts:
        description: Options of the volume driver (type V(volume) only).
        type: dict
      labels:
        description: Labels of the volume created on each node (type V(volume) only).
        type: dict
      tmpfs_size:
        description: Size of a V(tmpfs) mount, for example V(64m).
        type: str
      tmpfs_mode:
        description:
          - Permission of a V(tmpfs) mount, octal text such as V('1777') or an integer (a YAML V(0o1777) or
            V(1023), as community.docker takes it).
        type: raw
      propagation:
        description: Bind propagation (type V(bind) only).
        type: str
        choices: [private, rprivate, shared, rshared, slave, rslave]
      no_copy:
        description: Do not copy the image's files into a new volume (type V(volume) only).
        type: bool
      driver_config:
        description:
          - community.docker's form of O(mounts[].driver) and O(mounts[].driver_opts) (type V(volume) only);
            give one form or the other.
        type: dict
        suboptions:
          name:
            description: Volume driver.
            type: str
          options:
            description: Options of the volume driver.
            type: dict
  update_config:
    description: How updates roll out. Not allowed with the job modes.
    type: dict
    suboptions:
      parallelism:
        description: Tasks updated at once (0 = all).
        type: int
      delay:
        description: Pause between batches, for example V(10s) or seconds.
        type: str
      failure_action:
        description: What to do when an update fails.
        type: str
        choices: [continue, pause, rollback]
      monitor:
        description: Time to watch each updated task for failure, for example V(5s).
        type: str
      max_failure_ratio:
        description: Failure ratio (0 to 1) tolerated during an update.
        type: float
      order:
        description: V(stop-first) stops the old task first, V(start-first) starts the new one first.
        type: str
        choices: [stop-first, start-first]
  rollback_config:
    description: How rollbacks roll out. Not allowed with the job modes.
    type: dict
    suboptions:
      parallelism:
        description: Tasks rolled back at once (0 = all).
        type: int
      delay:
        description: Pause between batches.
        type: str
      failure_action:
        description: What to do when a rollback fails.
        type: str
        choices: [continue, pause]
      monitor:
        description: Time to watch each task after rollback.
        type: str
      max_failure_ratio:
        description: Failure ratio (0 to 1) tolerated during a rollback.
        type: float
      order:
        description: V(stop-first) or V(start-first).
        type: str
        choices: [stop-first, start-first]
  restart_config:
    description: When the swarm restarts a task.
    type: dict
    suboptions:
      condition:
        description: Restart condition.
        type: str
        choices: [none, on-failure, any]
      delay:
        description: Delay between restarts, for example V(5s).
        type: str
      max_attempts:
        description: Restarts before giving up (0 = unlimited).
        type: int
      window:
        description: Window used to evaluate the restart policy.
        type: str
  healthcheck:
    description: Health check of the tasks; an unhealthy task is replaced.
    type: dict
    suboptions:
      test:
        description: A shell command string, or a list (V(CMD) / V(CMD-SHELL) / V(NONE) form).
        type: raw
      interval:
        description: Time between checks.
        type: str
      timeout:
        description: Time a check may take.
        type: str
      retries:
        description: Consecutive failures that make a task unhealthy.
        type: int
      start_period:
        description: Start-up time during which failures do not count.
        type: str
  placement:
    description: Where tasks may run.
    type: dict
    suboptions:
      constraints:
        description: Constraints such as V(node.role==worker) or V(node.labels.zone==a).
        type: list
        elements: str
      preferences:
        description: 'Spread preferences, each C({spread: node.labels.NAME}).'
        type: list
        elements: dict
      max_replicas:
        description: Maximum tasks per node (0 = unlimited). community.docker calls it C(replicas_max_per_node).
        type: int
        aliases: [replicas_max_per_node]
  resources:
    description: Resource limits and reservations of each task.
    type: dict
    suboptions:
      limits:
        description: C(cpus) (for example V(0.5)) and C(memory) (for example V(256m)).
        type: dict
      reservations:
        description: C(cpus) and C(memory) reserved on the node.
        type: dict
  limits:
    description:
      - community.docker's form of O(resources.limits), accepted as it is; give one of the two.
    type: dict
    suboptions:
      cpus:
        description: CPU limit, for example V(0.5).
        type: float
      memory:
        description: Memory limit, for example V(256m).
        type: str
  reservations:
    description:
      - community.docker's form of O(resources.reservations), accepted as it is; give one of the two.
    type: dict
    suboptions:
      cpus:
        description: CPUs reserved on the node.
        type: float
      memory:
        description: Memory reserved on the node.
        type: str
  secrets:
    description: Swarm secrets given to the tasks, by name (they must exist).
    type: list
    elements: dict
    suboptions:
      secret_name:
        description: Name of the secret.
        type: str
        required: true
      secret_id:
        description:
          - ID of the secret. Not needed (the name is looked up); when given it must be the ID of O(secrets[].secret_name).
        type: str
      filename:
        description: File name under C(/run/secrets) (default the secret's name).
        type: str
        aliases: [target]
      uid:
        description: Owner UID of the file.
        type: str
      gid:
        description: Owner GID of the file.
        type: str
      mode:
        description:
          - File mode, octal text such as V('0400') or an integer as community.docker takes it (a YAML V(0o400)
            or V(256)); default V('0444').
        type: raw
  configs:
    description: Swarm configs given to the tasks, by name (they must exist).
    type: list
    elements: dict
    suboptions:
      config_name:
        description: Name of the config.
        type: str
        required: true
      config_id:
        description:
          - ID of the config. Not needed (the name is looked up); when given it must be the ID of O(configs[].config_name).
        type: str
      filename:
        description: Path of the file in the task (default the config's name, relative to C(/)).
        type: str
        aliases: [target]
      uid:
        description: Owner UID of the file.
        type: str
      gid:
        description: Owner GID of the file.
        type: str
      mode:
        description:
          - File mode, octal text such as V('0400') or an integer (a YAML V(0o400) or V(256)); default V('0444').
        type: raw
  with_registry_auth:
    description:
      - V(true) sends the registry credentials of O(image)'s registry, from the Docker client config of the user
        the module runs as on the manager (see M(dockyard.docker.login)), with the create or update, so that
        nodes that never logged in can pull a private image (C(docker service create --with-registry-auth)).
        The swarm keeps them with the service and hands them to the nodes that run its tasks. Fails, changing
        nothing, when that config has no credentials for the registry.
      - V(false) sends none (as the C(docker) CLI by default), so nodes pull with their own credentials, if any.
    type: bool
    default: false
  wait:
    description: Wait until the running tasks equal the desired tasks (for a job, until its tasks have completed).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait with O(wait=true) before failing with the tasks' errors.
    type: int
    default: 120
  ignore_ipvs_check:
    description:
      - Create or update a service that needs IPVS (ingress publishing or VIP mode) even though the node has none.
      - Only for kernels where the check is wrong; otherwise the service will not answer.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reports create/update/remove and the spec difference without touching the service.
  diff_mode:
    support: full
    description: Shows the service spec before and after (the parts the module manages).
"""

EXAMPLES = r"""
- name: A replicated HTTP service reachable by name with DNS round robin (works without IPVS)
  dockyard.docker.swarm_service:
    name: web
    image: dockyard-lab/app:latest
    replicas: 3
    endpoint_mode: dnsrr
    networks: [appnet]
    env:
      COLOR: blue
    update_config:
      parallelism: 1
      order: start-first

- name: A global service answering on port 8080 of every node (host-mode publishing)
  dockyard.docker.swarm_service:
    name: edge
    image: dockyard-lab/app:latest
    mode: global
    endpoint_mode: dnsrr
    publish:
      - published_port: 8080
        target_port: 8000
        mode: host

- name: A hardened service (read-only root, own user, fewer capabilities, host entries, log rotation)
  dockyard.docker.swarm_service:
    name: api
    image: registry.example.com:5000/team/api:1
    resolve_image: true
    with_registry_auth: true
    replicas: 2
    user: "1000:1000"
    read_only: true
    mounts:
      - {type: tmpfs, target: /tmp}
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
    hosts:
      db.internal: 10.0.0.5
    sysctls:
      net.core.somaxconn: 1024
    ulimits: ["nofile:4096:8192"]
    logging:
      driver: json-file
      options: {max-size: 10m, max-file: "3"}
    stop_signal: SIGQUIT
    stop_grace_period: 30s

- name: A one-off migration run as a job (waits until both tasks have completed)
  dockyard.docker.swarm_service:
    name: migrate
    image: registry.example.com:5000/team/api:1
    mode: replicated-job
    replicas: 2
    args: [migrate]
    restart_config:
      condition: on-failure

- name: Remove a service
  dockyard.docker.swarm_service:
    name: old
    state: absent
"""

RETURN = r"""
service:
  description: The service as C(docker service inspect) shows it after the run (before it in check mode).
  returned: when the service exists
  type: dict
tasks:
  description: Running and failed tasks after waiting (node, state, error).
  returned: when O(wait=true) and the service exists
  type: list
  elements: dict
differences:
  description: Spec paths where the service differed from the options.
  returned: success
  type: list
  elements: str
resolved_image:
  description: The image pinned to its registry digest.
  returned: when O(resolve_image=true) resolved one
  type: str
  sample: registry.example.com:5000/team/web:1@sha256:0f3c...
actions:
  description: What was done (or would be done in check mode).
  returned: success
  type: list
  elements: str
swarm_service:
  description:
    - community.docker.docker_swarm_service's key, for tasks that read it - the service under that module's
      attribute names (C(image), C(replicas), C(limit_cpu), C(update_delay), C(restart_policy), ...), built from
      the engine's spec after the run (in check mode, the spec the run would write); durations in nanoseconds and
      sizes in bytes, as the engine stores them; empty after O(state=absent).
  returned: always
  type: dict
changes:
  description:
    - community.docker.docker_swarm_service's key - the names (as in RV(swarm_service)) of what a run changes on an
      existing service; a setting only this module has is named by its spec path. Empty when the service is
      created, removed or unchanged.
  returned: always
  type: list
  elements: str
rebuilt:
  description: True when the service was removed and created again (a change of mode).
  returned: always
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import connect, docker_argument_spec  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import (  # noqa: E402
    ENDPOINT_MODES,
    MODES,
    ORDERS,
    PROTOCOLS,
    PUBLISH_MODES,
    RESTART_CONDITIONS,
    ROLLBACK_FAILURE_ACTIONS,
    UPDATE_FAILURE_ACTIONS,
    MOUNT_TYPES,
    differences,
    force_update,
)
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.services import ServiceManager  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm import community_facts  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils import redact  # noqa: E402


def run(module, manager):
    params = module.params
    name = params["name"]
    result = manager.result
    service = manager.current(name)
    if params["state"] == "absent":
        if service:
            manager.result["actions"].append("remove service %s" % name)
            result["changed"] = True
            if module._diff:
                result["diff"] = dict(before=redact.mask_service_specs(service.get("Spec"), None)[0], after={})
            if not module.check_mode:
                manager.remove(service)
        module.exit_json(**result)

    desired = manager.desired(params)
    before = (service or {}).get("Spec") or {}
    if params["resolve_image"]:
        desired = manager.resolve_image(desired, before)
    if service is not None and params["force_update"]:
        desired = force_update(desired, before)
    action, diffs, before, after = manager.plan(desired, service)
    manager.check_registry_auth(desired["TaskTemplate"]["ContainerSpec"].get("Image")
                                or (before.get("TaskTemplate") or {}).get("ContainerSpec", {}).get("Image"))
    manager.preflight(after, params["ignore_ipvs_check"])
    if action != "recreate":
        result["differences"] = diffs
    # community.docker.docker_swarm_service's keys, for tasks that read them.
    result["rebuilt"] = action == "recreate"
    if service is not None and action != "none":
        # A recreate is always a change of mode (the one change the engine cannot make in place).
        result["changes"] = community_facts.changes(differences(desired, before) + (
            ["Mode"] if action == "recreate" else []))
    if action != "none":
        result["changed"] = True
        result["actions"].append({
            "create": "create service %s" % name,
            "recreate": "recreate service %s: %s" % (name, "; ".join(diffs)),
            "update": "update service %s (%s)" % (name, ", ".join(diffs)),
        }[action])
    if module._diff:
        masked_before, masked_after = redact.mask_service_specs(before, after)
        result["diff"] = dict(before=masked_before, after=masked_after)
    if module.check_mode:
        result["service"] = service
        result["swarm_service"] = community_facts.service_facts(after)
        module.exit_json(**result)
    manager.apply(action, service, desired, after)
    service = manager.current(name)
    result["service"] = service
    result["swarm_service"] = community_facts.service_facts((service or {}).get("Spec"))
    if params["wait"] and service:
        result["tasks"] = manager.wait(service["ID"], name, params["wait_timeout"])
    module.exit_json(**result)


def _update_options(failure_actions):
    return dict(
        parallelism=dict(type="int"),
        delay=dict(type="str"),
        failure_action=dict(type="str", choices=list(failure_actions)),
        monitor=dict(type="str"),
        max_failure_ratio=dict(type="float"),
        order=dict(type="str", choices=list(ORDERS)),
    )


def argument_spec():
    spec = docker_argument_spec()
    ref = dict(filename=dict(type="str", aliases=["target"]), uid=dict(type="str"),
               gid=dict(type="str"), mode=dict(type="raw"))
    spec.update(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        image=dict(type="str"),
        command=dict(type="raw"),
        args=dict(type="list", elements="str"),
        mode=dict(type="str", choices=list(MODES)),
        cap_add=dict(type="list", elements="str"),
        cap_drop=dict(type="list", elements="str"),
        container_labels=dict(type="dict"),
        dns=dict(type="list", elements="str"),
        dns_options=dict(type="list", elements="str"),
        dns_search=dict(type="list", elements="str"),
        env_files=dict(type="list", elements="path"),
        force_update=dict(type="bool", default=False),
        groups=dict(type="list", elements="str"),
        hostname=dict(type="str"),
        hosts=dict(type="dict"),
        init=dict(type="bool"),
        logging=dict(type="dict", options=dict(driver=dict(type="str"), options=dict(type="dict"))),
        read_only=dict(type="bool"),
        resolve_image=dict(type="bool", default=False),
        stdin_open=dict(type="bool"),
        stop_grace_period=dict(type="str"),
        stop_signal=dict(type="str"),
        sysctls=dict(type="dict"),
        tty=dict(type="bool"),
        ulimits=dict(type="list", elements="str"),
        user=dict(type="str"),
        working_dir=dict(type="str"),
        replicas=dict(type="int"),
        endpoint_mode=dict(type="str", choices=list(ENDPOINT_MODES)),
        publish=dict(type="list", elements="dict", options=dict(
            published_port=dict(type="int"),
            target_port=dict(type="int", required=True),
            protocol=dict(type="str", default="tcp", choices=list(PROTOCOLS)),
            mode=dict(type="str", default="ingress", choices=list(PUBLISH_MODES)),
        )),
        networks=dict(type="list", elements="raw"),
        env=dict(type="raw"),
        labels=dict(type="dict"),
        mounts=dict(type="list", elements="dict", options=dict(
            source=dict(type="str"),
            target=dict(type="str", required=True),
            type=dict(type="str", default="volume", choices=list(MOUNT_TYPES)),
            readonly=dict(type="bool", default=False),
            driver=dict(type="str"),
            driver_opts=dict(type="dict"),
            labels=dict(type="dict"),
            tmpfs_size=dict(type="str"),
            tmpfs_mode=dict(type="raw"),
            propagation=dict(type="str", choices=["private", "rprivate", "shared", "rshared", "slave", "rslave"]),
            no_copy=dict(type="bool"),
            driver_config=dict(type="dict", options=dict(name=dict(type="str"), options=dict(type="dict"))),
        )),
        update_config=dict(type="dict", options=_update_options(UPDATE_FAILURE_ACTIONS)),
        rollback_config=dict(type="dict", options=_update_options(ROLLBACK_FAILURE_ACTIONS)),
        restart_config=dict(type="dict", options=dict(
            condition=dict(type="str", choices=list(RESTART_CONDITIONS)),
            delay=dict(type="str"),
            max_attempts=dict(type="int"),
            window=dict(type="str"),
        )),
        healthcheck=dict(type="dict", options=dict(
            test=dict(type="raw"),
            interval=dict(type="str"),
            timeout=dict(type="str"),
            retries=dict(type="int"),
            start_period=dict(type="str"),
        )),
        placement=dict(type="dict", options=dict(
            constraints=dict(type="list", elements="str"),
            preferences=dict(type="list", elements="dict"),
            max_replicas=dict(type="int", aliases=["replicas_max_per_node"]),
        )),
        resources=dict(type="dict", options=dict(
            limits=dict(type="dict"),
            reservations=dict(type="dict"),
        )),
        limits=dict(type="dict", options=dict(cpus=dict(type="float"), memory=dict(type="str"))),
        reservations=dict(type="dict", options=dict(cpus=dict(type="float"), memory=dict(type="str"))),
        secrets=dict(type="list", elements="dict", no_log=False, options=dict(
            secret_name=dict(type="str", required=True), secret_id=dict(type="str", no_log=False), **ref)),
        configs=dict(type="list", elements="dict", options=dict(
            config_name=dict(type="str", required=True), config_id=dict(type="str"), **ref)),
        with_registry_auth=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=120),
        ignore_ipvs_check=dict(type="bool", default=False),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    client = connect(module)
    result = dict(changed=False, actions=[], differences=[], changes=[], rebuilt=False, swarm_service={})
    run(module, ServiceManager(module, client, result, module.params["with_registry_auth"]))


if __name__ == "__main__":
    main()
