#!/usr/bin/env python3
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Break the collection's code in turn, one small edit at a time, and show that a unit test catches each edit.

    python3 tools/mutants.py            (make mutants; part of make test)
    python3 tools/mutants.py WORD...    only the mutants whose description contains one of the words

Every mutant is one small edit of the source (a step made to do nothing, a check switched
off, a filter dropped): container steps, image references, compose reader and deploy, the stack
translation and its prune, the swarm service manager, spec and option table, login, prune, the change
lock, the bytecode cache and the engine role's daemon.json.  For each, the unit test files
that exercise the edited file (TESTS) run until the first failure; a mutant that no test
catches ("survived") fails this script.  The edits are made in a temporary copy of the
repository, never in the working tree (a Molecule run may be reading it).  Prints a
Markdown table: the mutant and the test that caught it.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTAINER_PLAN = "plugins/module_utils/container/plan.py"
CONTAINER_EXECUTE = "plugins/module_utils/container/execute.py"
SPEC = "plugins/module_utils/container/spec.py"
OPTION_VALUES = "plugins/module_utils/container/option_values.py"
BULK_EXECUTE = "plugins/module_utils/container/bulk_execute.py"
COMPOSE = "plugins/module_utils/compose/deploy.py"
COMPOSE_READER = "plugins/module_utils/compose/reader.py"
BULK_PLAN = "plugins/module_utils/container/bulk_plan.py"
IMAGE_REFERENCES = "plugins/module_utils/parsing/images.py"
ENGINE_PRUNE = "plugins/module_utils/engine/prune.py"
SWARM_OBJECTS = "plugins/module_utils/swarm/objects.py"
LOGIN = "plugins/modules/login.py"
REGISTRY_AUTH = "plugins/module_utils/image/registry_auth.py"
CHANGE_LOCK = "plugins/module_utils/change_lock.py"
BYTECODE_CACHE = "plugins/module_utils/bytecode_cache.py"
ENGINE_DAEMON_JSON = "roles/engine/templates/daemon_options.j2"
ENGINE_VARS = "roles/engine/vars/main.yml"
STACK = "plugins/module_utils/compose/stack.py"
SERVICES = "plugins/module_utils/swarm/services.py"
SERVICE_SPEC = "plugins/module_utils/swarm/service_spec.py"
SERVICE_OPTIONS = "plugins/module_utils/swarm/options.py"
STACK_MODULE = "plugins/modules/stack.py"

# The unit test files that exercise each source file (under tests/unit): a mutant runs only these, not the
# whole suite.
UNIT = "tests/unit/plugins/module_utils/"
MODULES = "tests/unit/plugins/modules/"
TESTS = {
    CONTAINER_PLAN: (UNIT + "test_container_reconcile.py", MODULES + "test_containers.py"),
    CONTAINER_EXECUTE: (UNIT + "test_container_reconcile.py", UNIT + "test_engine_reader.py", MODULES + "test_containers.py"),
    SPEC: (UNIT + "test_container_reconcile.py", UNIT + "test_container_spec.py", UNIT + "test_container_options.py"),
    OPTION_VALUES: (UNIT + "test_container_options.py", UNIT + "test_property_parsers.py"),
    BULK_EXECUTE: (MODULES + "test_containers.py", MODULES + "test_compose.py"),
    COMPOSE: (MODULES + "test_compose.py",),
    COMPOSE_READER: (UNIT + "test_compose_reader.py", MODULES + "test_compose.py"),
    BULK_PLAN: (UNIT + "test_container_bulk_plan.py", MODULES + "test_containers.py"),
    IMAGE_REFERENCES: (UNIT + "test_image_references.py",),
    ENGINE_PRUNE: (UNIT + "test_engine_prune.py",),
    SWARM_OBJECTS: (UNIT + "test_swarm_objects.py",),
    LOGIN: (MODULES + "test_login.py",),
    REGISTRY_AUTH: (MODULES + "test_login.py",),
    CHANGE_LOCK: (UNIT + "test_change_lock.py",),
    BYTECODE_CACHE: (UNIT + "test_bytecode_cache.py",),
    ENGINE_DAEMON_JSON: ("tests/unit/test_engine_role_daemon_options.py",),
    ENGINE_VARS: ("tests/unit/test_engine_role_daemon_options.py",),
    STACK: (UNIT + "test_compose_stack.py",),
    SERVICES: (UNIT + "test_swarm_services.py", UNIT + "test_swarm_wait.py"),
    SERVICE_SPEC: (UNIT + "test_service_spec.py", UNIT + "test_swarm_options.py"),
    SERVICE_OPTIONS: (UNIT + "test_service_spec.py", UNIT + "test_swarm_options.py"),
    STACK_MODULE: (UNIT + "test_engine_reader.py",),
}
TIMEOUT = 600  # seconds for one mutant's tests: a mutant that makes a loop endless is reported, not waited for

# (what is broken, file, exact text, replacement)
MUTANTS = [
    ("start step does nothing", CONTAINER_EXECUTE,
     '        elif step == "start":\n            api.start(container_id)',
     '        elif step == "start":\n            pass'),
    ("stop step does nothing", CONTAINER_EXECUTE,
     '        elif step == "stop":\n            _stop(api, container_id, spec, inspect)',
     '        elif step == "stop":\n            pass'),
    ("restart step does nothing", CONTAINER_EXECUTE,
     '        elif step == "restart":\n            if spec.force_kill',
     '        elif step == "restart":\n            pass\n        elif False:\n            if spec.force_kill'),
    ("update step (in place) does nothing", CONTAINER_EXECUTE,
     "            update_container(api, container_id, spec.update_body(the_plan.differences))",
     "            pass"),
    ("remove step keeps the container", CONTAINER_EXECUTE,
     "            _remove(api, container_id, spec)\n            container_id = None",
     "            container_id = None"),
    ("pause step does nothing", CONTAINER_EXECUTE,
     "            api.pause(container_id)", "            pass"),
    ("stop is reported but not planned", CONTAINER_PLAN,
     'result.add("stop", "stopped")', 'result.actions.append("stopped")'),
    ("recreate never removes the old container", CONTAINER_EXECUTE,
     "    api.remove_container(old_id, v=False, force=True)\n    return new_id",
     "    return new_id"),
    ("failed recreate does not give the old container its name back", CONTAINER_EXECUTE,
     "    api.rename(old_id, spec.name)\n    if was_running:", "    if was_running:"),
    ("failed recreate does not start the old container again", CONTAINER_EXECUTE,
     "    if was_running:\n        api.start(old_id)\n    raise RecreateFailed(",
     "    raise RecreateFailed("),
    ("a `state: healthy` recreate removes the old container without waiting for the new one's health", CONTAINER_EXECUTE,
     "        if healthy:\n            _wait_healthy(api, new_id, spec)\n",
     "        if False:\n            _wait_healthy(api, new_id, spec)\n"),
    ("no re-plan after waiting for the change lock", CONTAINER_EXECUTE,
     "        prepared = replan(api, prepared, reader)\n", ""),
    ("live changes recreate instead", SPEC,
     "kind = UPDATE if option.can_update(want) else RECREATE", "kind = RECREATE"),
    ("a variable removed from `env` is not noticed", OPTION_VALUES,
     "if key in ctx.given_env or ctx.image_env.get(key) != val)", "if key in ctx.given_env)"),
    ("bulk changes some items when one cannot be planned", BULK_EXECUTE,
     "        if refused:\n            raise Refused(", "        if False:\n            raise Refused("),
    ("stops and removals bounded by `parallelism`", BULK_EXECUTE,
     'WAIT_STEPS = set(("stop", "remove", "unpause", "remove_leftover"))', "WAIT_STEPS = set()"),
    ("compose starts services in one wave, ignoring `depends_on`", COMPOSE,
     "            level.append(index + 1)", "            level.append(1)"),
    ("compose does not wait for a `service_healthy` dependency", COMPOSE,
     '                    item["state"] = "healthy"\n', "                    pass\n"),
    ("compose takes a `service_completed_successfully` dependency that never ran as done", COMPOSE,
     ' and state.get("StartedAt", "") \\\n        not in ("", "0001-01-01T00:00:00Z")', ""),
    ("compose runs a `service_completed_successfully` dependency detached", COMPOSE,
     '                        item["detach"] = False\n', "                        pass\n"),
    ("a later compose file's top-level networks/volumes/secrets/configs replace the earlier ones", COMPOSE_READER,
     "                for name, settings in (val or {}).items():\n"
     "                    result[key][name] = _merge_maps(result[key].get(name) or {}, settings or {})\n",
     "                result[key] = dict(val or {})\n"),
    ("a later compose file's settings of a network or volume replace the earlier file's", COMPOSE_READER,
     "result[key][name] = _merge_maps(result[key].get(name) or {}, settings or {})",
     "result[key][name] = dict(settings or {})"),
    ("a container under the aside name is taken as set aside without this collection's label", CONTAINER_PLAN,
     "    if OWNER_LABEL not in labels:\n        return False\n    created_as = labels.get(NAME_LABEL)",
     "    created_as = labels.get(NAME_LABEL)"),
    ("`containers` prune takes another owner's or a Compose project's containers", BULK_PLAN,
     "        if owner_of(labels) != owner or COMPOSE_PROJECT_LABEL in labels:",
     "        if owner_of(labels) is None:"),
    ("a registry's port is taken for an image tag", IMAGE_REFERENCES,
     "    if colon > slash:\n", "    if colon >= 0:\n"),
    ("volume prune takes named volumes without the `all` filter", ENGINE_PRUNE,
     '        if not filters.get("all") and not is_anonymous_volume(vol):\n            continue\n', ""),
    ("prune takes objects of this collection without a label filter naming it", ENGINE_PRUNE,
     "    if OWNER_LABEL in labels and not names_owner_label(filters):\n        return False\n", ""),
    ("volume prune takes a volume a container uses", ENGINE_PRUNE,
     "        refs, size = usage.get(vol[\"Name\"], (0, -1))\n        if refs:\n            continue\n",
     "        refs, size = usage.get(vol[\"Name\"], (0, -1))\n"),
    ("rotation removes a `<name>-rotating` object it did not write", SWARM_OBJECTS,
     "    if labels.get(ROTATION_LABEL) != name:", "    if False:"),
    ("login as root gives another user's config file to root", LOGIN,
     "        if owner is not None and os.geteuid() == 0:\n            os.fchown(fd, owner[0], owner[1])\n", ""),
    ("login takes a changed password for the stored one", REGISTRY_AUTH,
     'return isinstance(entry, dict) and entry.get("auth") == encode_auth(username, password)',
     "return isinstance(entry, dict)"),
    ("the change lock is shared, not exclusive", CHANGE_LOCK,
     "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)", "fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)"),
    ("the change lock waits past `lock_timeout`", CHANGE_LOCK,
     "deadline = time.monotonic() + self.timeout", "deadline = time.monotonic() + self.timeout + 5"),
    ("the change lock follows a symlink planted at the lock file", CHANGE_LOCK,
     "os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK", "os.O_RDWR | os.O_CREAT | os.O_NONBLOCK"),
    ("the change lock takes a FIFO planted at the lock file", CHANGE_LOCK,
     "        if not stat.S_ISREG(info.st_mode):\n            reason", "        if False:\n            reason"),
    ("the change lock uses a directory of another user", CHANGE_LOCK,
     "    if info.st_uid != uid:\n        return", "    if False:\n        return"),
    ("the bytecode cache uses a directory of another user", BYTECODE_CACHE,
     "return not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077",
     "return not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o077"),
    ("the bytecode cache trusts a file of another user", BYTECODE_CACHE,
     "if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:",
     "if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o022:"),
    ("the engine role rotates the logs of `json-file` only, not of `local`", ENGINE_DAEMON_JSON,
     "in ['json-file', 'local']", "in ['json-file']"),
    ("the engine role renders TLS paths for a TCP listener without the TLS files", ENGINE_DAEMON_JSON,
     "{%-   if docker_engine__tls_given | bool and listeners", "{%-   if listeners"),
    ("the engine role takes a certificate and key without a CA as TLS given", ENGINE_VARS,
     "{{ (docker_tls_ca | length > 0) and (docker_tls_cert", "{{ (docker_tls_cert"),
    ("a stack service's `environment` and `env_file` variables are not given to the service", STACK,
     '    if env:\n        params["env"] = env\n', ""),
    ("a stack service is not reachable on its networks by its short name", STACK,
     "aliases=aliases + [key]", "aliases=aliases"),
    ("waiting for a service ends while its rolling update is still running", SERVICES,
     '                     and update_state in (None, "completed"))', "                     )"),
    ("waiting for a service ends as soon as its tasks run, before they stay running", SERVICES,
     "        elif now - self._stable_since >= STABLE_SECONDS:", "        else:"),
    ("a change of service mode is sent as an update the engine refuses, not a recreate", SERVICES,
     "        recreate = needs_recreate(desired, before)", "        recreate = None"),
    ("a service update drops what the options leave out (the spec sent is the options' alone)", SERVICES,
     "diffs, before, merge_spec(before, desired)", "diffs, before, desired"),
    ("scaling a service to `replicas: 0` is not noticed", SERVICE_SPEC,
     "    if _is_empty(desired) and _is_empty(current):\n        return found",
     "    if _is_empty(desired):\n        return found"),
    ("a service whose image the CLI pinned by digest is updated on every run", SERVICE_SPEC,
     "        current = _normalize_image(desired, current)", "        pass"),
    ("a service update is not rolled out when only `update_config.monitor` changed", SERVICE_OPTIONS,
     '    _put(out, "Monitor", parse_duration(value.get("monitor"), option + ".monitor"))\n', ""),
    ("placement constraints in another order are taken for a change", SERVICE_OPTIONS,
     '        inner={".Constraints": UNORDERED}),', "        inner={}),"),
    ("a service's variables from `env_files` are dropped", SERVICE_OPTIONS,
     '        merged.update(forms.read_env_file(path, "env_files"))', "        pass"),
    ("`stack` with `prune: true` leaves a service that left the files running", STACK_MODULE,
     "            for service in stale:\n                self.services.remove(service)\n",
     "            for service in stale:\n                pass\n"),
    ("`stack` with `prune: false` removes a service that left the files", STACK_MODULE,
     '        if stale and self.params["prune"]:\n            for service in stale:\n',
     "        if stale:\n            for service in stale:\n"),
    ("`stack` asks the registry for an image's digest once per service, not once per run", STACK_MODULE,
     "        if image not in self.digests:\n", "        if True:\n"),
    ("`stack` inspects each new service on its own instead of one list by name", STACK_MODULE,
     '            current = deployed.get(params["name"]) or outside.get(params["name"])',
     '            current = deployed.get(params["name"]) or self.services.current(params["name"])'),
]


def run_tests(root, tests):
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"] + list(tests),
            cwd=root, capture_output=True, text=True, check=False, timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return None, None
    failed = re.findall(r"^FAILED (\S+)", proc.stdout, re.M)
    return proc.returncode, (failed[0] if failed else None)


def main(argv):
    chosen = [m for m in MUTANTS if not argv or any(word in m[0] for word in argv)]
    with tempfile.TemporaryDirectory(prefix="dockyard-mutants-") as tmp:
        root = os.path.join(tmp, "docker")
        shutil.copytree(SOURCE, root, ignore=shutil.ignore_patterns(".git", ".venv", ".lab", "benchmarks", "molecule",
                                                                    "__pycache__", "*.tar.gz"))
        return run_mutants(root, chosen)


def run_mutants(root, chosen):
    rows, survived = [], []
    selected = sorted(set(test for m in chosen for test in TESTS[m[1]]))
    if run_tests(root, selected)[0] != 0:
        print("the unit tests the mutants use fail without any mutant: fix them first")
        return 2
    for what, path, original, mutated in chosen:
        full = os.path.join(root, path)
        with open(full) as handle:
            source = handle.read()
        if source.count(original) != 1:
            print("mutant %r: the text to break is not found once in %s; update tools/mutants.py" % (what, path))
            return 2
        try:
            with open(full, "w") as handle:
                handle.write(source.replace(original, mutated))
            rc, caught_by = run_tests(root, TESTS[path])
        finally:
            with open(full, "w") as handle:
                handle.write(source)
        if rc == 0 or rc is None:
            survived.append(what)
            caught_by = "**SURVIVED**" if rc == 0 else "**TIMED OUT**"
        rows.append((what, path, caught_by or "(collection error)"))
    print("| mutant | file | caught by |")
    print("|---|---|---|")
    for what, path, caught_by in rows:
        print("| %s | `%s` | `%s` |" % (what, path, caught_by.replace("tests/unit/plugins/", "").replace("tests/unit/", "")))
    print("%d mutants, %d caught, %d survived" % (len(rows), len(rows) - len(survived), len(survived)))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
