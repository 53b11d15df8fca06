#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: compose
short_description: Run a Compose project on a standalone Docker host
version_added: 0.4.0
description:
  - Reads one or more Compose files (or an inline definition) itself and deploys the project with the
    collection's own container engine - no Compose CLI plugin is needed on the host.
  - Every service becomes one container named C(<project>-<service>-1) (or its C(container_name)), reconciled
    by the same code as M(dockyard.docker.containers) - one engine connection, all or nothing (every service
    is validated, looked up and its image resolved before the first change), live updates where the engine
    can apply them, safe recreates that keep the old container until the new one runs.
  - Networks (C(<project>_default), C(<project>_<name>)) and named volumes (C(<project>_<name>)) that the
    services use are created first. An existing network or volume of that name with other settings is an
    error (nothing is changed); external ones must exist.
  - C(depends_on) is honoured - a service is created and started after the services it depends on; with
    condition C(service_healthy) after they are healthy; with condition C(service_completed_successfully)
    after they ran and exited 0.
  - Objects carry Compose's own labels (C(com.docker.compose.project), C(com.docker.compose.service),
    C(com.docker.compose.container-number), C(com.docker.compose.oneoff), C(com.docker.compose.config-hash),
    C(com.docker.compose.project.config_files), C(com.docker.compose.network), C(com.docker.compose.volume)),
    so C(docker ps --filter label=com.docker.compose.project=NAME) finds them.
  - "Supported service keys: image, command, entrypoint, environment (list or map), env_file, ports (short and
    long syntax), expose, volumes (short and long syntax), networks (list or map with aliases, ipv4_address),
    network_mode (incl. service:NAME), restart, healthcheck, labels, user, working_dir, hostname, domainname,
    dns, dns_search, dns_opt, extra_hosts, cap_add, cap_drop, privileged, read_only, tmpfs, ulimits, sysctls,
    logging, stop_grace_period, stop_signal, init, tty, stdin_open, container_name, devices, depends_on,
    deploy.resources (limits cpus, memory, pids; reservations memory), deploy.replicas (1 only), mem_limit,
    mem_reservation, cpus, pids_limit, shm_size, security_opt, group_add, pull_policy. Top level: services,
    networks (driver, driver_opts, attachable, internal, external, name, ipam with one subnet and gateway,
    labels), volumes (driver, driver_opts, external, name, labels), name, x-* extensions, YAML anchors;
    version is ignored."
  - Any other key fails the task naming its path (for example C(services.web.build) is refused as not supported);
    nothing is silently ignored.
attributes:
  check_mode:
    support: full
    description: Plans the networks, volumes and containers and reports what a real run would do; changes nothing.
  diff_mode:
    support: full
    description: Before and after of each changed container's compared options and state.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
  - dockyard.docker.change_lock
options:
  project_name:
    description:
      - Name of the project, lowercase letters, digits, C(_) and C(-).
      - Default - the top-level C(name) of the files, else the name of the directory of the first file.
        Required with O(definition) when it has no C(name).
    type: str
  files:
    description:
      - Compose files on the managed host, merged in order as C(docker compose -f a.yml -f b.yml) merges them -
        maps (C(environment), C(labels), C(networks), C(healthcheck), C(deploy), ...) merged key by key,
        C(volumes) merged by container path, C(ports), C(expose), C(dns), C(cap_add), C(cap_drop), C(tmpfs),
        C(env_file), C(devices) extended, every other value replaced (C(command) and C(entrypoint) too).
      - Relative paths in the files (bind mounts, C(env_file)) are relative to the first file's directory.
    type: list
    elements: path
  definition:
    description:
      - The project inline, as the content of one compose file. Mutually exclusive with O(files).
    type: dict
  env:
    description:
      - Variables for interpolation (C(${VAR}), C(${VAR:-default}), C(${VAR-default}), C(${VAR:?message}),
        C(${VAR?message}), C(${VAR:+other}), C($VAR); C($$) is a literal C($)). Looked up here first, then in
        the environment of the module on the managed host.
      - Also the values of C(environment) entries given without a value.
    type: dict
  state:
    description:
      - C(present) creates what is missing, changes what differs and starts every service.
      - C(stopped) makes sure the containers exist and are stopped.
      - C(restarted) like C(present), and restarts every container (always changed).
      - C(absent) removes the containers and the project's networks; named volumes stay unless O(remove_volumes).
    type: str
    choices: [present, stopped, restarted, absent]
    default: present
  remove_orphans:
    description:
      - Also remove the containers labelled with this project whose service is not in the files any more.
      - Without it they are left alone and named in a warning.
    type: bool
    default: false
  remove_volumes:
    description:
      - With O(state=absent), also remove the project's named volumes (not external ones) and the containers'
        anonymous volumes.
    type: bool
    default: false
  pull:
    description:
      - C(missing) pulls an image only when it is not on the host, C(always) on every run, C(never) never (a
        missing image fails the task before anything changes). A service's own C(pull_policy) wins.
    type: str
    choices: [missing, always, never]
    default: missing
  wait:
    description:
      - Wait until every service with a health check is healthy (at most O(timeout) seconds per service).
      - Services that others depend on with condition C(service_healthy) are always waited for.
    type: bool
    default: false
requirements:
  - PyYAML on the managed host when O(files) are given (Debian/Ubuntu package C(python3-yaml)); O(definition)
    needs none.
notes:
  - O(timeout) is also how long the module waits for a container to become healthy.
  - Differences from C(docker compose) - C(build), C(secrets), C(configs), C(profiles), C(extends), C(include)
    and C(deploy) settings other than C(resources) and C(replicas=1) are refused; one container per service
    (no C(scale)); a network or volume whose settings differ is reported, never recreated.
  - A file or definition is refused, naming it and the limit, above 1 MiB, 50,000 values or 4 MiB of text once
    its YAML aliases are expanded, or 64 levels of nesting; C(${A:-${B:-...}}) nests at most 16 deep.
seealso:
  - module: dockyard.docker.containers
"""

EXAMPLES = r"""
- name: The application from its compose files (compose.yml overridden by compose.prod.yml)
  dockyard.docker.compose:
    project_name: shop
    files:
      - /srv/shop/compose.yml
      - /srv/shop/compose.prod.yml
    env:
      TAG: "2.4"
    wait: true

- name: A project given inline; the image is already on the host
  dockyard.docker.compose:
    project_name: demo
    pull: never
    definition:
      services:
        db:
          image: registry.example.com/db:15
          volumes: ["data:/var/lib/db"]
          healthcheck:
            test: ["CMD", "db-ping"]
            interval: 5s
        web:
          image: registry.example.com/web:2.4
          ports: ["8080:8000"]
          depends_on:
            db:
              condition: service_healthy
      volumes:
        data: {}

- name: Remove a service that was dropped from the file
  dockyard.docker.compose:
    project_name: shop
    files: [/srv/shop/compose.yml]
    remove_orphans: true

- name: Take the project down, keeping its named volumes
  dockyard.docker.compose:
    project_name: shop
    files: [/srv/shop/compose.yml]
    state: absent
"""

RETURN = r"""
project:
  description: The project name used.
  returned: always
  type: str
  sample: shop
services:
  description: One entry per service (and per orphan removed), in the order they were handled.
  returned: always
  type: list
  elements: dict
  contains:
    service:
      description: Service name (null for an orphan).
      type: str
      returned: always
    name:
      description: Container name.
      type: str
      returned: always
    changed:
      description: Whether this container was (or in check mode would be) changed.
      type: bool
      returned: always
    actions:
      description: What was done to it, the strings of M(dockyard.docker.container).
      type: list
      elements: str
      returned: always
      sample: ["created", "started"]
    id:
      description: Container ID after the run (before it in check mode).
      type: str
      returned: always
    state:
      description: Container state after the run.
      type: str
      returned: always
networks:
  description: The project's networks and what was done to each (C(created), C(removed), or nothing).
  returned: always
  type: list
  elements: dict
  sample: [{name: shop_default, action: created}]
volumes:
  description: The project's named volumes and what was done to each.
  returned: always
  type: list
  elements: dict
  sample: [{name: shop_data, action: null}]
orphans:
  description: Containers of the project whose service is not in the files (removed with O(remove_orphans)).
  returned: always
  type: list
  elements: str
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.engine import networks, volumes  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.change_lock import (
    ChangeLockError,
    change_lock_argument_spec,
    check_timeout,
)
from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    connect,
    docker_argument_spec,
    fail_from_error,
    or_none,
)
from ansible_collections.dockyard.docker.plugins.module_utils.compose import deploy
from ansible_collections.dockyard.docker.plugins.module_utils.compose.reader import MAX_FILE_BYTES, ComposeError
from ansible_collections.dockyard.docker.plugins.module_utils.compose.translate import LABEL, load_project
from ansible_collections.dockyard.docker.plugins.module_utils.container.bulk_execute import BulkReconciler, Refused
from ansible_collections.dockyard.docker.plugins.module_utils.container.bulk_plan import parse_items, summarize
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import SpecError


def argument_spec():
    spec = dict(
        project_name=dict(type="str"),
        files=dict(type="list", elements="path"),
        definition=dict(type="dict"),
        env=dict(type="dict"),
        state=dict(type="str", default="present", choices=["present", "stopped", "restarted", "absent"]),
        remove_orphans=dict(type="bool", default=False),
        remove_volumes=dict(type="bool", default=False),
        pull=dict(type="str", default="missing", choices=["missing", "always", "never"]),
        wait=dict(type="bool", default=False),
    )
    spec.update(docker_argument_spec())
    spec.update(change_lock_argument_spec())
    return spec


def _read(path):
    # One byte more than the reader accepts: enough for it to refuse a larger file without reading all of it.
    with open(path) as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def read_project(params, environ=None, read=_read):
    """The module's options -> :class:`translate.Project` (raises ComposeError)."""
    files = [os.path.abspath(f) for f in params.get("files") or []]
    return load_project(files=files or None, definition=params.get("definition"), env=params.get("env"),
                        environ=os.environ if environ is None else environ, read=read,
                        name=params.get("project_name"))


class ObjectPlanner(object):
    """The project's networks and volumes: planned before any change, created before the containers."""

    def __init__(self, module, api, project):
        self.module = module
        self.api = api
        self.project = project
        self.state = module.params["state"]
        self.networks = []
        self.volumes = []

    def plan(self):
        remove_volumes = self.module.params["remove_volumes"]
        for key in sorted(self.project.networks):
            definition = self.project.networks[key]
            inspect = or_none(self.api.inspect_network, definition["name"])
            desired, differences = None, []
            if not definition.get("external"):
                desired = deploy.network_desired(definition)
                if inspect is not None:
                    differences = networks.differences(desired, networks.actual(inspect))
            action = deploy.object_plan("network", definition, inspect, self.state, differences)
            self.networks.append(dict(definition=definition, desired=desired, action=action))
        for key in sorted(self.project.volumes):
            definition = self.project.volumes[key]
            inspect = or_none(self.api.inspect_volume, definition["name"])
            desired, differences = None, []
            if not definition.get("external"):
                desired = deploy.volume_desired(definition)
                if inspect is not None:
                    differences = volumes.differences(desired, volumes.actual(inspect))
            action = deploy.object_plan("volume", definition, inspect, self.state, differences, remove_volumes)
            self.volumes.append(dict(definition=definition, desired=desired, action=action))

    @property
    def changed(self):
        return any(item["action"] for item in self.networks + self.volumes)

    def create(self):
        for item in self.networks:
            if item["action"] == "create":
                self.api.create_network(item["definition"]["name"],
                                        **deploy.network_create_kwargs(item["definition"], item["desired"]))
        for item in self.volumes:
            if item["action"] == "create":
                desired = item["desired"]
                self.api.create_volume(item["definition"]["name"], driver=desired["driver"],
                                       driver_opts=desired.get("driver_options") or None, labels=desired["labels"])

    def remove(self):
        for item in self.networks:
            if item["action"] == "remove":
                self.api.remove_network(item["definition"]["name"])
        for item in self.volumes:
            if item["action"] == "remove":
                self.api.remove_volume(item["definition"]["name"])

    def results(self):
        names = {"create": "created", "remove": "removed"}
        return ([dict(name=i["definition"]["name"], action=names.get(i["action"])) for i in self.networks],
                [dict(name=i["definition"]["name"], action=names.get(i["action"])) for i in self.volumes])


def checked_project(module):
    """The project the options describe; fails (nothing changed) before the engine is contacted."""
    params = module.params
    try:
        check_timeout(params["lock_timeout"])
    except ChangeLockError as exc:
        module.fail_json(msg=str(exc), changed=False)
    for path in params.get("files") or []:
        full = os.path.abspath(path)
        if not os.path.isfile(full):
            module.fail_json(msg="files: %s does not exist on the managed host (or is not a file)" % full,
                             changed=False)
    try:
        return read_project(params)
    except ComposeError as exc:
        module.fail_json(msg=str(exc), changed=False)


def read_engine(module, api, project):
    """What the engine holds of the project -> (planned networks and volumes, containers by name, orphans)."""
    objects = ObjectPlanner(module, api, project)
    try:
        objects.plan()
        listed = api.containers(all=True, filters={"label": "%sproject=%s" % (LABEL, project.name)})
        orphan_names = deploy.orphans(listed, project)
        existing = {}
        for service in project.services.values():
            name = service.options["name"]
            existing[name] = or_none(api.inspect_container, name)
    except ComposeError as exc:
        module.fail_json(msg=str(exc), changed=False)
    except Exception as exc:  # noqa: BLE001 - engine errors are explained
        fail_from_error(module, exc, "read the project's objects from the engine")
    return objects, existing, orphan_names


def container_specs(module, project, existing, orphan_names):
    """The containers to converge -> (parsed specs, waves, the service of each spec)."""
    params = module.params
    state = params["state"]
    if orphan_names and not params["remove_orphans"]:
        module.warn("containers of project %s whose service is not in the files: %s (remove_orphans: true removes "
                    "them)" % (project.name, ", ".join(orphan_names)))
    items, waves, services = deploy.container_items(
        project, state, pull=params["pull"], wait=params["wait"], timeout=params["timeout"], existing=existing,
        orphan_names=orphan_names if params["remove_orphans"] else ())
    if state == "absent" and params["remove_volumes"]:
        for item in items:
            item["keep_volumes"] = False
    try:
        return parse_items(items), waves, services
    except SpecError as exc:
        module.fail_json(msg=str(exc), changed=False)


def converge(module, engine, project, objects, specs, waves):
    """The containers converged wave by wave -> their results; the networks and volumes are created just before
    the first change and, for state absent, removed once every container is gone."""
    state = module.params["state"]
    bulk = BulkReconciler(module, engine, specs, purpose="dockyard.docker.compose project %s" % project.name)
    before_apply = objects.create if state != "absent" else None
    try:
        results, _pruned = bulk.converge(waves=waves, before_apply=before_apply)
    except Refused as exc:
        module.fail_json(msg=str(exc), changed=False, services=exc.results)
    except Exception as exc:  # noqa: BLE001 - a network or volume could not be created
        fail_from_error(module, exc, "create the networks and volumes of project %s" % project.name)
    if state == "absent" and not module.check_mode and not any(r.get("failed") for r in results):
        try:
            objects.remove()
        except Exception as exc:  # noqa: BLE001
            fail_from_error(module, exc, "remove the networks and volumes of project %s" % project.name,
                            services=results)
    return results


def report(module, project, objects, results, services, orphan_names):
    """Exit with what changed, or fail naming every container that could not be reconciled."""
    for result, service in zip(results, services):
        result["service"] = service
    changed, failed, diff = summarize(results)
    networks, volumes = objects.results()
    output = dict(changed=changed or objects.changed, project=project.name, services=results, networks=networks,
                  volumes=volumes, orphans=orphan_names)
    if module._diff:
        output["diff"] = diff
    if failed:
        module.fail_json(msg="%d of %d containers of project %s could not be reconciled: %s" % (
            len(failed), len(results), project.name, "; ".join("%s: %s" % (r["name"], r["msg"]) for r in failed)),
            **output)
    module.exit_json(**output)


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True,
                           mutually_exclusive=[("files", "definition")],
                           required_one_of=[("files", "definition")])
    project = checked_project(module)
    engine = connect(module)
    objects, existing, orphan_names = read_engine(module, engine.api, project)
    specs, waves, services = container_specs(module, project, existing, orphan_names)
    results = converge(module, engine, project, objects, specs, waves)
    report(module, project, objects, results, services, orphan_names)


if __name__ == "__main__":
    main()
