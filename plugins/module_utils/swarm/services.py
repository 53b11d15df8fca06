# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine side of Swarm services, shared by ``swarm_service`` and ``stack``.

:class:`ServiceManager` resolves names to IDs, plans one service against what the engine holds (pure logic in
:mod:`.service_spec`), creates, updates, recreates or removes it, and waits until its tasks converge.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import copy
import importlib
import os
import tempfile
import time

from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    APIError,
    DockerException,
    explained,
    or_none,
)
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import (
    SpecError,
    build_spec,
    creation_mode,
    differences,
    is_job,
    job_progress,
    pin_image,
    ipvs_refusal,
    ipvs_requirements,
    merge_spec,
    needs_recreate,
)

FAILED_TASK_STATES = ("failed", "rejected", "orphaned")
STABLE_SECONDS = 3
# between two rounds of reads while waiting (a round is three reads, however many services are waited for)
POLL_SECONDS = 0.5


def ipvs_available(module):
    """True when the kernel has IPVS here or can load it (``modprobe -n`` dry run)."""
    if os.path.exists("/proc/net/ip_vs"):
        return True
    modprobe = module.get_bin_path("modprobe")
    if not modprobe:
        return False
    rc, _out, _err = module.run_command([modprobe, "-n", "-q", "ip_vs"])
    return rc == 0


class ServiceManager:
    """One module run's service operations; failures end the module with ``result`` (what was done so far)."""

    def __init__(self, module, client, result, with_registry_auth=False, api=None):
        self.module = module
        self.api = api if api is not None else client.api
        self.result = result
        self.with_registry_auth = with_registry_auth
        self._ipvs = None
        self._network_ids = {}

    def call(self, doing, func, *args, **kwargs):
        return explained(self.module, doing, func, *args, result=self.result, **kwargs)

    def fail(self, msg):
        self.module.fail_json(msg=msg, **self.result)

    # ------------------------------------------------------------------ reading
    def current(self, name):
        return self.call("inspect service %s (this must run on a manager)" % name,
                         or_none, self.api.inspect_service, name)

    def _ids(self, items, key, lookup):
        ids = {}
        for item in items or []:
            name = item if isinstance(item, str) else (item or {}).get(key)
            if not name or name in ids:
                continue
            found = lookup(name)
            if found:
                ids[name] = found
        return ids

    def network_id(self, name):
        """A network's ID, looked up once per run (a stack's services share their networks); a network not
        found is looked up again, since this run may create it."""
        if name not in self._network_ids:
            found = self.call("look up network %s" % name, or_none, self.api.inspect_network, name)
            if not found:
                return None
            self._network_ids[name] = found["Id"]
        return self._network_ids[name]

    def named(self, kind, name):
        """The ID of the secret or config called exactly ``name`` (or None)."""
        found = self.find_object(kind, name)
        return found["ID"] if found else None

    def find_object(self, kind, name):
        lister = self.api.secrets if kind == "secret" else self.api.configs
        for obj in self.call("list %ss" % kind, lister, filters={"name": name}) or []:
            if (obj.get("Spec") or {}).get("Name") == name:
                return obj
        return None

    def desired(self, params, planned_ids=None):
        """swarm_service options -> desired spec; ``planned_ids`` stands in for objects this run creates."""
        planned_ids = planned_ids or {}
        networks = self._ids(params.get("networks"), "name", self.network_id)
        secrets = self._ids(params.get("secrets"), "secret_name", lambda n: self.named("secret", n))
        configs = self._ids(params.get("configs"), "config_name", lambda n: self.named("config", n))
        for kind, ids in (("network", networks), ("secret", secrets), ("config", configs)):
            for name, planned in (planned_ids.get(kind) or {}).items():
                ids.setdefault(name, planned)
        try:
            return build_spec(params, network_ids=networks, secret_ids=secrets, config_ids=configs)
        except SpecError as exc:
            self.fail(str(exc))

    # ------------------------------------------------------------------ checks before changing
    def preflight(self, spec, ignore_ipvs_check=False):
        """Refuse a spec that needs IPVS on a kernel without it."""
        if ignore_ipvs_check:
            return
        reasons = ipvs_requirements(spec)
        if not reasons:
            return
        if self._ipvs is None:
            self._ipvs = ipvs_available(self.module)
        if not self._ipvs:
            self.fail(("service %s: " % spec.get("Name")) + ipvs_refusal(reasons, os.uname()[1]))

    def check_registry_auth(self, image):
        """With ``with_registry_auth``: the credentials for ``image``'s registry must be there (before any change)."""
        if not self.with_registry_auth:
            return
        sdk_auth = importlib.import_module("docker.auth")
        registry = sdk_auth.resolve_repository_name(image)[0] if image else None
        if not image or not sdk_auth.get_config_header(self.api, registry):
            self.fail("with_registry_auth: the Docker client config of the user this module runs as on %s has no "
                      "credentials for registry %s (of image %s): log in first (dockyard.docker.login) with the "
                      "same become as this task" % (os.uname()[1], registry, image))

    @contextlib.contextmanager
    def registry_auth(self):
        """Around a create or update: no credentials unless ``with_registry_auth``.

        The SDK adds ``X-Registry-Auth`` whenever the client config has credentials for the image's registry;
        with ``with_registry_auth: false`` it reads, for the call, a config whose only entry is for a name no
        registry has (an empty one would make the SDK load the user's file again), so it sends none, as the CLI.
        """
        if self.with_registry_auth:
            yield
            return
        fd, empty = tempfile.mkstemp(prefix="dockyard-noauth-", suffix=".json")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write('{"auths": {"no-registry.invalid": {}}}')
            self.api.reload_config(dockercfg_path=empty)
            yield
        finally:
            os.unlink(empty)
            self.api.reload_config()

    def resolve_image(self, desired, before):
        """Pin the image to the digest its registry holds now (asked through the engine); fails when it cannot."""
        container = desired["TaskTemplate"]["ContainerSpec"]
        image = container.get("Image") or \
            ((before.get("TaskTemplate") or {}).get("ContainerSpec") or {}).get("Image", "").split("@", 1)[0]
        if not image or "@" in image:
            return desired
        digest = self.image_digest(image, doing="resolve_image: ask the registry of %s for its digest (through "
                                                "the engine)" % image)
        if not digest:
            self.fail("resolve_image: the registry gave no digest for %s" % image)
        desired = copy.deepcopy(desired)
        desired["TaskTemplate"]["ContainerSpec"]["Image"] = pin_image(image, digest)
        self.result["resolved_image"] = desired["TaskTemplate"]["ContainerSpec"]["Image"]
        return desired

    def image_digest(self, image, doing=None):
        """The registry's digest of ``image`` (with the credentials of with_registry_auth); ``doing=None``: None
        instead of failing when the registry cannot be asked."""
        with self.registry_auth():
            if doing is None:
                try:
                    found = self.api.inspect_distribution(image)
                except (APIError, DockerException):
                    return None
            else:
                found = self.call(doing, self.api.inspect_distribution, image)
        return ((found or {}).get("Descriptor") or {}).get("digest")

    # ------------------------------------------------------------------ planning
    @staticmethod
    def plan(desired, service):
        """(action, differences, before spec, after spec); action is none, create, update or recreate."""
        before = (service or {}).get("Spec") or {}
        if service is None:
            return "create", [], before, desired
        recreate = needs_recreate(desired, before)
        if recreate:
            return "recreate", [recreate], before, desired
        diffs = differences(desired, before)
        return ("update" if diffs else "none"), diffs, before, merge_spec(before, desired)

    # ------------------------------------------------------------------ changing
    def create(self, spec):
        spec = copy.deepcopy(spec)
        if not spec["TaskTemplate"]["ContainerSpec"].get("Image"):
            self.fail("image is required to create service %s" % spec["Name"])
        spec["Mode"] = creation_mode(spec.get("Mode"))
        with self.registry_auth():
            self.call("create service %s" % spec["Name"], self.api.create_service,
                      task_template=spec["TaskTemplate"], name=spec["Name"], labels=spec.get("Labels"),
                      mode=spec["Mode"], update_config=spec.get("UpdateConfig"),
                      rollback_config=spec.get("RollbackConfig"), endpoint_spec=spec.get("EndpointSpec"))

    def update(self, service, after):
        with self.registry_auth():
            self.call("update service %s" % after["Name"], self.api.update_service, service["ID"],
                      service["Version"]["Index"], task_template=after["TaskTemplate"],
                      name=after["Name"], labels=after.get("Labels") or {}, mode=after.get("Mode"),
                      update_config=after.get("UpdateConfig"),
                      rollback_config=after.get("RollbackConfig"),
                      endpoint_spec=after.get("EndpointSpec"))

    def recreate(self, service, desired):
        """Remove and create again (mode kind changes); keeps the old image when the options give none."""
        before = service.get("Spec") or {}
        self.remove(service)
        self.wait_gone(service["ID"])
        if desired["TaskTemplate"]["ContainerSpec"].get("Image"):
            self.create(merge_spec({}, desired))
        else:
            self.create(merge_spec(desired, {"TaskTemplate": {"ContainerSpec": {
                "Image": before["TaskTemplate"]["ContainerSpec"]["Image"]}}}))

    def apply(self, action, service, desired, after):
        if action == "create":
            self.create(desired)
        elif action == "recreate":
            self.recreate(service, desired)
        elif action == "update":
            self.update(service, after)

    def remove(self, service):
        name = (service.get("Spec") or {}).get("Name") or service["ID"]
        self.call("remove service %s" % name, self.api.remove_service, service["ID"])

    def wait_gone(self, service_id, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.call("inspect service %s" % service_id, or_none, self.api.inspect_service, service_id) is None:
                return
            time.sleep(0.5)

    # ------------------------------------------------------------------ waiting
    @staticmethod
    def _task_view(task, node_names):
        status = task.get("Status") or {}
        return dict(
            id=task.get("ID"),
            node=node_names.get(task.get("NodeID"), task.get("NodeID")),
            desired_state=task.get("DesiredState"),
            state=status.get("State"),
            error=status.get("Err") or "",
            message=status.get("Message") or "",
        )

    def nodes_now(self):
        """(node ID -> hostname, IDs of the ready nodes): read once per round of a wait, for every service."""
        nodes = self.call("list nodes", self.api.nodes)
        names = dict((n["ID"], (n.get("Description") or {}).get("Hostname", n["ID"])) for n in nodes)
        ready = set(n["ID"] for n in nodes if (n.get("Status") or {}).get("State") == "ready")
        return names, ready

    def read_round(self, service_ids):
        """{service ID: (service, its tasks)} for the services still waited for. One service is inspected; several
        are read with one service list and one task list for all of them, so a round costs the same few reads
        however many services a stack waits for."""
        if len(service_ids) == 1:
            service_id = service_ids[0]
            service = self.call("inspect service", self.api.inspect_service, service_id)
            return {service_id: (service, self.call("list tasks", self.api.tasks, filters={"service": service_id}))}
        listed = self.call("list services", self.api.services, filters={"id": list(service_ids)})
        # the engine's id filter matches prefixes: keep the exact IDs only
        by_id = dict((s["ID"], s) for s in listed if s.get("ID") in service_ids)
        gone = [service_id for service_id in service_ids if service_id not in by_id]
        if gone:
            self.fail("Service(s) %s were removed while waiting for them to converge" % ", ".join(gone))
        tasks = dict((service_id, []) for service_id in service_ids)
        for task in self.call("list tasks", self.api.tasks, filters={"service": list(service_ids)}):
            if task.get("ServiceID") in tasks:
                tasks[task["ServiceID"]].append(task)
        return dict((service_id, (by_id[service_id], tasks[service_id])) for service_id in service_ids)

    def convergence(self, service, tasks, nodes):
        """(converged, running task views, problem task views, summary, update state) of ``service`` (inspect
        data) from its ``tasks`` and ``nodes`` (:meth:`nodes_now`)."""
        node_names, ready = nodes
        if is_job(service["Spec"].get("Mode")):
            return self.job_convergence(service, tasks, node_names)
        wanted = [t for t in tasks if t.get("DesiredState") == "running" and
                  (not t.get("NodeID") or t.get("NodeID") in ready)]
        running = [t for t in wanted if (t.get("Status") or {}).get("State") == "running"]
        mode = service["Spec"].get("Mode") or {}
        if "Replicated" in mode:
            expected = int((mode["Replicated"] or {}).get("Replicas") or 0)
        else:
            expected = len(wanted)
        update_state = (service.get("UpdateStatus") or {}).get("State")
        problems = [t for t in tasks if (t.get("Status") or {}).get("State") in FAILED_TASK_STATES
                    or (t.get("Status") or {}).get("Err")]
        problems.sort(key=lambda t: t.get("UpdatedAt") or "", reverse=True)
        converged = (len(running) == expected and len(wanted) == expected
                     and update_state in (None, "completed"))
        summary = "%d of %d task(s) running, update state %s" % (len(running), expected, update_state or "none")
        return (converged, [self._task_view(t, node_names) for t in running],
                [self._task_view(t, node_names) for t in problems[:10]], summary, update_state)

    def job_convergence(self, service, tasks, node_names):
        """A job has converged when its tasks have completed (see service_spec.job_progress)."""
        done, completed, _expected, summary = job_progress(service, tasks)
        problems = [t for t in tasks if (t.get("Status") or {}).get("State") in FAILED_TASK_STATES
                    or (t.get("Status") or {}).get("Err")]
        problems.sort(key=lambda t: t.get("UpdatedAt") or "", reverse=True)
        return (done, [self._task_view(t, node_names) for t in completed],
                [self._task_view(t, node_names) for t in problems[:10]], summary, None)

    def wait(self, service_id, name, timeout):
        """Until the service's running tasks are the desired ones and stay so; returns their views or fails."""
        return self.wait_all([(service_id, name)], timeout)[name]

    def wait_all(self, services, timeout):
        """Until every one of ``services`` ([(ID, name)]) has converged, watched together so that the wait is
        as long as the slowest service's, not the sum of all; returns {name: running task views} or fails
        naming each service that did not converge."""
        deadline = time.time() + timeout
        watches = [_Watch(service_id, name) for service_id, name in services]
        # give the orchestrator a moment to register an update before reading its state
        time.sleep(1)
        while True:
            pending = [w for w in watches if not w.done]
            if not pending:
                return dict((w.name, w.running) for w in watches)
            nodes = self.nodes_now()
            reads = self.read_round([w.service_id for w in pending])
            for watch in pending:
                service, tasks = reads[watch.service_id]
                watch.observe(self.convergence(service, tasks, nodes), time.time())
            stopped = [w for w in pending if w.update_state in ("paused", "rollback_paused", "rollback_completed")]
            if stopped or time.time() >= deadline:
                self.fail_unconverged(stopped or [w for w in pending if not w.done], timeout)
            time.sleep(POLL_SECONDS)

    def fail_unconverged(self, watches, timeout):
        self.result["tasks"] = [t for w in watches for t in w.running + w.problems]
        reports = []
        for watch in watches:
            errors = "; ".join(
                "task %s on %s: %s%s" % (p["id"][:12], p["node"], p["state"], (" (%s)" % p["error"]) if p["error"] else "")
                for p in watch.problems) or "no task reported an error"
            reports.append("Service %s did not converge within %ss: %s. Task errors: %s"
                           % (watch.name, timeout, watch.summary, errors))
        self.fail(" | ".join(reports))


class _Watch:
    """One service being waited for: converged once the same set of running tasks has been seen for
    STABLE_SECONDS (tasks that crash right after starting are "running" for a moment)."""

    def __init__(self, service_id, name):
        self.service_id = service_id
        self.name = name
        self.done = False
        self.running = []
        self.problems = []
        self.summary = "not read yet"
        self.update_state = None
        self._stable_ids = None
        self._stable_since = None

    def observe(self, convergence, now):
        converged, self.running, self.problems, self.summary, self.update_state = convergence
        if not converged:
            self._stable_ids = None
            return
        ids = sorted(t["id"] for t in self.running)
        if ids != self._stable_ids:
            self._stable_ids, self._stable_since = ids, now
        elif now - self._stable_since >= STABLE_SECONDS:
            self.done = True
