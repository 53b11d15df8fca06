#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: stack
short_description: Deploy Compose files to a Docker Swarm as a stack, idempotently, waiting until it converges
version_added: 0.4.0
description:
  - Runs on a swarm manager. Reads the Compose files itself (no Docker CLI needed) and creates what
    C(docker stack deploy) creates - overlay networks C(<stack>_<name>), secrets and configs C(<stack>_<name>),
    services C(<stack>_<service>) - with the label C(com.docker.stack.namespace=<stack>), so C(docker stack ls),
    C(docker stack services), C(docker stack ps) and C(docker stack rm) work on it.
  - Each service is compared with what the engine holds, field by field, as M(dockyard.docker.swarm_service)
    does - a second run with the same files changes nothing, and a stack deployed earlier with
    C(docker stack deploy) from the same files is adopted without any update.
  - Everything is read and checked before the first change - every file, every key (an unsupported key fails
    naming its path, such as C(services.web.build)), every referenced network, volume, secret and config, the
    credentials for O(with_registry_auth) and the routing mesh preflight of every service (see
    M(dockyard.docker.swarm_service)) - so a stack with one bad service changes nothing.
  - Keys that C(docker stack deploy) ignores on a swarm (C(restart), C(depends_on), C(container_name),
    C(privileged), C(devices), C(network_mode), ...) give a warning and are ignored, as the CLI does.
  - Networks must use the C(overlay) driver (or be C(external)). Named volumes are not created here - the
    engine on each node creates C(<stack>_<name>) with the file's driver and options when a task needs it.
  - Secrets and configs cannot change on a swarm. One whose file changed is refused (nothing is changed) -
    give it a new name in the file (for example C(db_password_v2)), as with C(docker stack deploy).
  - With O(wait=true) (the default) returns when every created or updated service has converged (or fails
    with its tasks' errors once O(wait_timeout) has passed, or as soon as an update is paused or rolled back).
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
options:
  name:
    description: Stack name (the C(<stack>) of every object name and the namespace label).
    type: str
    required: true
  compose:
    description:
      - Compose files - paths on the managed host, or inline definitions (dicts). Later items override
        earlier ones, as C(docker stack deploy -c a.yml -c b.yml) merges them.
      - Relative paths inside a file (C(env_file), bind mounts, secret and config C(file)) are relative to
        the directory of the first file given as a path.
    type: list
    elements: raw
  env:
    description:
      - Variables for C(${VAR}) interpolation in the files, looked up before the managed host's environment.
    type: dict
  state:
    description:
      - V(present) deploys the stack; V(absent) removes its services, then its networks, secrets and configs
        (as C(docker stack rm); named volumes stay).
    type: str
    default: present
    choices: [present, absent]
  prune:
    description: Remove services of this stack that are no longer in the files (otherwise they are left, with a warning).
    type: bool
    default: false
  resolve_image:
    description:
      - When to ask the registry for an image's digest and pin the service to it (C(image@sha256:...)), so
        every node runs the same image. V(always) on every run (a new push updates the service);
        V(changed) only when the image name in the file changed or the service is new; V(never) never.
      - An image the registry cannot be asked about gives a warning and is used by name, as the CLI does.
      - The CLI's default is V(always); ours is V(changed), so an unchanged re-run asks no registry.
    type: str
    default: changed
    choices: [always, changed, never]
  with_registry_auth:
    description:
      - Send the registry credentials of the user running the module (see M(dockyard.docker.login)) to the
        swarm, so that nodes that never logged in can pull private images. Missing credentials for an
        image's registry fail the task before any change.
    type: bool
    default: false
  wait:
    description: Wait until every created or updated service has converged.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for the whole stack.
    type: int
    default: 300
  ignore_ipvs_check:
    description: Skip the routing mesh preflight (see M(dockyard.docker.swarm_service)).
    type: bool
    default: false
notes:
  - Requires the Docker SDK for Python and PyYAML (for files) on the managed host.
  - C(build) is not supported - build and push images with M(dockyard.docker.image) and name them here.
  - A file or definition is refused, naming it and the limit, above 1 MiB, 50,000 values or 4 MiB of text once
    its YAML aliases are expanded, or 64 levels of nesting; C(${A:-${B:-...}}) nests at most 16 deep.
seealso:
  - module: dockyard.docker.swarm_service
  - module: dockyard.docker.compose
attributes:
  check_mode:
    support: full
    description: Reports what would be created, updated or removed. New secrets, configs and networks get
      placeholder IDs in the planned specs.
  diff_mode:
    support: full
    description: Shows each service's spec before and after (the parts the files manage); never secret data.
"""

EXAMPLES = r"""
- name: Deploy the app stack from files on the manager
  dockyard.docker.stack:
    name: app
    compose:
      - /srv/app/docker-compose.yml
      - /srv/app/docker-compose.prod.yml
    env:
      TAG: "1.4.2"
    prune: true

- name: An inline stack (DNS round robin and host-mode ports work without the kernel's IPVS)
  dockyard.docker.stack:
    name: hello
    compose:
      - services:
          web:
            image: registry.example.com:5000/team/web:1
            ports: [{target: 8000, published: 8080, mode: host}]
            deploy: {mode: global, endpoint_mode: dnsrr}
    with_registry_auth: true

- name: Remove the stack (named volumes stay)
  dockyard.docker.stack:
    name: app
    state: absent
"""

RETURN = r"""
services:
  description: Per service of the files (by its key in the files) - its full name, the action and the differing spec paths.
  returned: success
  type: dict
  sample: {web: {name: app_web, action: update, differences: [TaskTemplate.ContainerSpec.Image]}}
actions:
  description: What was done (or would be done in check mode), in order.
  returned: success
  type: list
  elements: str
unpruned_services:
  description: Services of the stack that are no longer in the files and were left in place (O(prune=false)).
  returned: success
  type: list
  elements: str
removed_services:
  description: Services of the stack removed because they are no longer in the files (O(prune)) or O(state=absent).
  returned: success
  type: list
  elements: str
"""

import collections
import os
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import (  # noqa: E402
    connect,
    docker_argument_spec,
    or_none,
)
from ansible_collections.dockyard.docker.plugins.module_utils.compose.reader import ComposeError, MAX_FILE_BYTES  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.compose.stack import (  # noqa: E402
    IMAGE_LABEL,
    NAMESPACE,
    load_stack,
    with_cli_privileges,
)
from ansible_collections.dockyard.docker.plugins.module_utils.swarm import objects  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import pin_image  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils import redact  # noqa: E402
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.services import ServiceManager  # noqa: E402

PLANNED = "(created by this run)"
ServicePlan = collections.namedtuple("ServicePlan", "key params action diffs current desired before after")


def read_text(path):
    # One byte more than the reader accepts: enough for it to refuse a larger file without reading all of it.
    with open(path) as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def read_bytes(path):
    with open(path, "rb") as handle:
        return handle.read()


class StackDeployer:
    def __init__(self, module, client, stack_name):
        self.module = module
        # reads over the socket, the SDK only for changes: an unchanged re-run does not load it
        self.api = client.reads_first()
        self.params = module.params
        self.name = stack_name
        self.actions = []
        self.result = dict(changed=False, actions=self.actions, services={}, removed_services=[],
                           unpruned_services=[])
        self.services = ServiceManager(module, client, self.result, self.params["with_registry_auth"], api=self.api)
        self.call = self.services.call
        self.digests = {}  # image -> its registry digest (or None), asked once per run however many services use it

    def fail(self, msg):
        self.module.fail_json(msg=msg, **self.result)

    def act(self, text):
        self.actions.append(text)
        self.result["changed"] = True

    def labelled(self, lister, what):
        return self.call("list the %ss of stack %s" % (what, self.name), lister,
                         filters={"label": "%s=%s" % (NAMESPACE, self.name)}) or []

    # ------------------------------------------------------------------ networks, secrets, configs
    def plan_networks(self, stack):
        create = []
        for key, net in sorted(stack.networks.items()):
            found = self.call("inspect network %s" % net["name"], or_none, self.api.inspect_network, net["name"])
            if net["external"]:
                if not found:
                    self.fail("networks.%s: external network %s does not exist; create it (driver overlay, "
                              "dockyard.docker.network) or remove external: true" % (key, net["name"]))
            elif not found:
                create.append(net)
            elif found.get("Driver") != "overlay" or found.get("Scope") != "swarm":
                self.fail("networks.%s: network %s exists with driver %s (scope %s), not a swarm overlay network; "
                          "remove it or name the stack's network differently (name:)"
                          % (key, net["name"], found.get("Driver"), found.get("Scope")))
        return create

    def plan_objects(self, kind, declared):
        """Secrets or configs to create: [(definition, content, labels)]; a changed one is refused."""
        create = []
        for key, obj in sorted(declared.items()):
            found = self.services.find_object(kind, obj["name"])
            where = "%ss.%s" % (kind, key)
            if obj["external"]:
                if not found:
                    self.fail("%s: external %s %s does not exist; create it first (dockyard.docker.swarm_%s)"
                              % (where, kind, obj["name"], kind))
                continue
            try:
                content = read_bytes(obj["file"])
            except (IOError, OSError) as exc:
                self.fail("%s.file: %s cannot be read on the managed host: %s"
                          % (where, obj["file"], exc.strerror or exc))
            if not found:
                labels = objects.desired_labels(obj["labels"], objects.content_hash(content))
                create.append((obj, content, labels))
            elif objects.same_content(found, content) is False:
                self.fail("%s: the content of %s %s changed, and a swarm %s cannot change: give it a new name in "
                          "the file (for example %s_v2) so the services move to the new one"
                          % (where, kind, obj["name"], kind, key))
        return create

    def create_network(self, net):
        ipam = None
        if net["ipam"]["driver"] or net["ipam"]["config"]:
            ipam = {"Driver": net["ipam"]["driver"] or "default",
                    "Config": [dict((k.capitalize(), v) for k, v in pool.items()) for pool in net["ipam"]["config"]]}
        self.call("create network %s" % net["name"], self.api.create_network, net["name"], driver="overlay",
                  options=net["driver_opts"] or None, ipam=ipam, internal=net["internal"], labels=net["labels"],
                  attachable=net["attachable"] or None, scope="swarm")

    # ------------------------------------------------------------------ services
    def resolve(self, image, current):
        """The image pinned to its registry digest when resolve_image asks for it, else as written."""
        policy = self.params["resolve_image"]
        old = ((current or {}).get("Spec") or {}).get("Labels", {}).get(IMAGE_LABEL)
        if policy == "never" or (policy == "changed" and current is not None and old == image) or "@" in image:
            return image
        if image not in self.digests:
            self.digests[image] = self.services.image_digest(image)
        digest = self.digests[image]
        if not digest:
            self.module.warn("image %s could not be accessed on a registry to record its digest; each node uses "
                             "the image of that name it has or can pull" % image)
            return image
        return pin_image(image, digest)

    def plan_services(self, stack, planned_ids, deployed):
        """``deployed``: the stack's services by name, from one labelled list; the names not among them are
        looked for in one list by name (a service of that name outside the stack is then found, and refused or
        adopted as swarm_service would)."""
        plans = []
        outside = self.unlabelled([s["name"] for s in stack.services.values() if s["name"] not in deployed])
        for key in sorted(stack.services):
            params = dict(stack.services[key])
            current = deployed.get(params["name"]) or outside.get(params["name"])
            self.services.check_registry_auth(params["image"])
            params["image"] = self.resolve(params["image"], current)
            desired = with_cli_privileges(self.services.desired(params, planned_ids))
            action, diffs, before, after = self.services.plan(desired, current)
            self.services.preflight(after, self.params["ignore_ipvs_check"])
            self.result["services"][key] = dict(name=params["name"], action=action,
                                                differences=diffs if action != "create" else [])
            plans.append(ServicePlan(key, params, action, diffs, current, desired, before, after))
        return plans

    def unlabelled(self, names):
        """{name: service} of the services of these exact names (the engine's name filter matches prefixes)."""
        if not names:
            return {}
        found = self.call("list the services named %s (this must run on a manager)" % ", ".join(names),
                          self.api.services, filters={"name": names}) or []
        return dict((s["Spec"]["Name"], s) for s in found if (s.get("Spec") or {}).get("Name") in names)

    # ------------------------------------------------------------------ the run
    def present(self, stack):
        networks = self.plan_networks(stack)
        secrets = self.plan_objects("secret", stack.secrets)
        configs = self.plan_objects("config", stack.configs)
        planned_ids = {"network": dict((n["name"], PLANNED) for n in networks),
                       "secret": dict((o["name"], PLANNED) for o, _c, _l in secrets),
                       "config": dict((o["name"], PLANNED) for o, _c, _l in configs)}
        deployed = dict(((s.get("Spec") or {}).get("Name"), s) for s in self.labelled(self.api.services, "service"))
        plans = self.plan_services(stack, planned_ids, deployed)
        wanted = set(p.params["name"] for p in plans)
        stale = [s for name, s in sorted(deployed.items()) if name not in wanted]
        for net in networks:
            self.act("create network %s" % net["name"])
        for kind, created in (("secret", secrets), ("config", configs)):
            for obj, _content, _labels in created:
                self.act("create %s %s" % (kind, obj["name"]))
        for plan in plans:
            if plan.action != "none":
                self.act("%s service %s%s" % (plan.action, plan.params["name"],
                                              (" (%s)" % ", ".join(plan.diffs)) if plan.diffs else ""))
        stale_names = sorted(s["Spec"]["Name"] for s in stale)
        if stale and self.params["prune"]:
            for name in stale_names:
                self.act("remove service %s (no longer in the files)" % name)
            self.result["removed_services"] = stale_names
        elif stale:
            self.result["unpruned_services"] = stale_names
            self.module.warn("services of stack %s that are not in the files: %s (prune: true removes them)"
                             % (self.name, ", ".join(stale_names)))
        if self.module._diff:
            masked = dict((p.params["name"], redact.mask_service_specs(p.before, p.after))
                          for p in plans if p.action != "none")
            self.result["diff"] = dict(before=dict((name, pair[0]) for name, pair in masked.items()),
                                       after=dict((name, pair[1]) for name, pair in masked.items()))
            if stale and self.params["prune"]:
                self.result["diff"]["before"].update(
                    (s["Spec"]["Name"], redact.mask_service_specs(s["Spec"], None)[0]) for s in stale)
        if self.module.check_mode:
            return
        for net in networks:
            self.create_network(net)
        for kind, created in (("secret", secrets), ("config", configs)):
            for obj, content, labels in created:
                create = self.api.create_secret if kind == "secret" else self.api.create_config
                self.call("create %s %s" % (kind, obj["name"]), create, obj["name"], content, labels=labels)
        changed = []
        replan = any(planned_ids.values())
        for plan in plans:
            if plan.action == "none":
                continue
            action, desired, after = plan.action, plan.desired, plan.after
            if replan:  # the specs planned with placeholder IDs: now the objects exist
                desired = with_cli_privileges(self.services.desired(plan.params))
                action, _diffs, _before, after = self.services.plan(desired, plan.current)
            self.services.apply(action, plan.current, desired, after)
            changed.append((plan.key, plan.params["name"]))
        if stale and self.params["prune"]:
            for service in stale:
                self.services.remove(service)
        if self.params["wait"]:
            self.wait(changed)

    def wait(self, changed):
        """Every changed service at once: the stack takes as long as its slowest service."""
        ids = dict(((s.get("Spec") or {}).get("Name"), s["ID"]) for s in self.labelled(self.api.services, "service"))
        keys, watched = {}, []
        for key, name in changed:
            if name in ids:
                keys[name] = key
                watched.append((ids[name], name))
        if watched:
            for name, tasks in self.services.wait_all(watched, self.params["wait_timeout"]).items():
                self.result["services"][keys[name]]["tasks"] = tasks

    def absent(self):
        services = self.labelled(self.api.services, "service")
        networks = self.labelled(self.api.networks, "network")
        secrets = self.labelled(self.api.secrets, "secret")
        configs = self.labelled(self.api.configs, "config")
        for service in services:
            self.act("remove service %s" % service["Spec"]["Name"])
        self.result["removed_services"] = sorted(s["Spec"]["Name"] for s in services)
        for net in networks:
            self.act("remove network %s" % net["Name"])
        for kind, found in (("secret", secrets), ("config", configs)):
            for obj in found:
                self.act("remove %s %s" % (kind, obj["Spec"]["Name"]))
        if self.module._diff:
            self.result["diff"] = dict(before=dict((s["Spec"]["Name"], s["Spec"]) for s in services), after={})
        if self.module.check_mode:
            return
        for service in services:
            self.services.remove(service)
        for service in services:
            self.services.wait_gone(service["ID"])
        for net in networks:
            self.remove_network(net)
        for obj in secrets:
            self.call("remove secret %s" % obj["Spec"]["Name"], self.api.remove_secret, obj["ID"])
        for obj in configs:
            self.call("remove config %s" % obj["Spec"]["Name"], self.api.remove_config, obj["ID"])

    def remove_network(self, net):
        """The engine frees a network once the removed services' tasks are gone: retry for a while."""
        deadline = time.time() + 60
        while True:
            try:
                self.api.remove_network(net["Id"])
                return
            except Exception as exc:  # noqa: BLE001 - retried, then explained
                if "not found" in str(exc).lower() or "no such network" in str(exc).lower():
                    return
                if time.time() >= deadline:
                    self.call("remove network %s" % net["Name"], self.api.remove_network, net["Id"])
                    return
            time.sleep(1)


def argument_spec():
    spec = docker_argument_spec()
    spec.update(
        name=dict(type="str", required=True),
        compose=dict(type="list", elements="raw"),
        env=dict(type="dict"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        prune=dict(type="bool", default=False),
        resolve_image=dict(type="str", default="changed", choices=["always", "changed", "never"]),
        with_registry_auth=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
        ignore_ipvs_check=dict(type="bool", default=False),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True,
                           required_if=[("state", "present", ("compose",))])
    params = module.params
    stack = None
    try:
        if params["state"] == "present":
            for index, source in enumerate(params["compose"]):
                if isinstance(source, str) and not os.path.isfile(source):
                    raise ComposeError("compose[%d]: %s does not exist on the managed host (or is not a file)"
                                       % (index, source))
            stack = load_stack(params["name"], params["compose"], env=params["env"], environ=dict(os.environ),
                               read=read_text)
        elif not params["name"]:
            raise ComposeError("name is required")
    except ComposeError as exc:
        module.fail_json(msg=str(exc), changed=False)
    client = connect(module, lazy=True)
    deployer = StackDeployer(module, client, params["name"])
    if stack is None:
        deployer.absent()
    else:
        for warning in stack.warnings:
            module.warn(warning)
        deployer.present(stack)
    module.exit_json(**deployer.result)


if __name__ == "__main__":
    main()
