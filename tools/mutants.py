#!/usr/bin/env python3
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Break each step of the container code in turn and show that a unit test catches it.

    python3 tools/mutants.py        (make mutants; part of make test)

Every mutant is one small edit of the source (a step made to do nothing, a check switched
off).  For each, the unit tests run until the first failure; a mutant that no test
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
MANAGER = "plugins/module_utils/container/manager.py"
SPEC = "plugins/module_utils/container/spec.py"
OPTIONS = "plugins/module_utils/container/options.py"
BULK = "plugins/module_utils/container/converge.py"
COMPOSE = "plugins/module_utils/compose/deploy.py"
BULK_PURE = "plugins/module_utils/container/bulk.py"
ENGINE_OBJECTS = "plugins/module_utils/engine_objects.py"
SWARM_OBJECTS = "plugins/module_utils/swarm/objects.py"

# (what is broken, file, exact text, replacement)
MUTANTS = [
    ("start step does nothing", MANAGER,
     '        elif step == "start":\n            api.start(container_id)',
     '        elif step == "start":\n            pass'),
    ("stop step does nothing", MANAGER,
     '        elif step == "stop":\n            _stop(api, container_id, spec, inspect)',
     '        elif step == "stop":\n            pass'),
    ("restart step does nothing", MANAGER,
     '        elif step == "restart":\n            if spec.force_kill',
     '        elif step == "restart":\n            pass\n        elif False:\n            if spec.force_kill'),
    ("update step (in place) does nothing", MANAGER,
     "            update_container(api, container_id, spec.update_body(the_plan.differences))",
     "            pass"),
    ("remove step keeps the container", MANAGER,
     "            _remove(api, container_id, spec)\n            container_id = None",
     "            container_id = None"),
    ("pause step does nothing", MANAGER,
     "            api.pause(container_id)", "            pass"),
    ("stop is reported but not planned", MANAGER,
     'result.add("stop", "stopped")', 'result.actions.append("stopped")'),
    ("recreate never removes the old container", MANAGER,
     "    api.remove_container(old_id, v=False, force=True)\n    return new_id",
     "    return new_id"),
    ("failed recreate does not give the old container its name back", MANAGER,
     "    api.rename(old_id, spec.name)\n    if was_running:", "    if was_running:"),
    ("failed recreate does not start the old container again", MANAGER,
     "    if was_running:\n        api.start(old_id)\n    raise RecreateFailed(",
     "    raise RecreateFailed("),
    ("no re-plan after waiting for the change lock", MANAGER,
     "        prepared = replan(api, prepared, reader)\n", ""),
    ("live changes recreate instead", SPEC,
     "kind = UPDATE if option.can_update(want) else RECREATE", "kind = RECREATE"),
    ("a variable removed from env is not noticed", OPTIONS,
     "if key in ctx.given_env or ctx.image_env.get(key) != val)", "if key in ctx.given_env)"),
    ("bulk changes some items when one cannot be planned", BULK,
     "        if refused:\n            raise Refused(", "        if False:\n            raise Refused("),
    ("stops and removals bounded by parallelism", BULK,
     'WAIT_STEPS = set(("stop", "remove", "unpause", "remove_leftover"))', "WAIT_STEPS = set()"),
    ("compose starts services in one wave, ignoring depends_on", COMPOSE,
     "            level.append(index + 1)", "            level.append(1)"),
    ("compose does not wait for a service_healthy dependency", COMPOSE,
     '                    item["state"] = "healthy"\n', "                    pass\n"),
    ("a container under the aside name is taken as set aside without this collection's label", MANAGER,
     "    if OWNER_LABEL not in labels:\n        return False\n    created_as = labels.get(NAME_LABEL)",
     "    created_as = labels.get(NAME_LABEL)"),
    ("containers prune takes another owner's or a Compose project's containers", BULK_PURE,
     "        if owner_of(labels) != owner or COMPOSE_PROJECT_LABEL in labels:",
     "        if owner_of(labels) is None:"),
    ("volume prune takes named volumes without the all filter", ENGINE_OBJECTS,
     '        if not filters.get("all") and not is_anonymous_volume(vol):\n            continue\n', ""),
    ("rotation removes a <name>-rotating object it did not write", SWARM_OBJECTS,
     "    if labels.get(ROTATION_LABEL) != name:", "    if False:"),
]


def run_tests(root):
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "tests/unit"],
        cwd=root, capture_output=True, text=True, check=False,
    )
    failed = re.findall(r"^FAILED (\S+)", proc.stdout, re.M)
    return proc.returncode, (failed[0] if failed else None)


def main():
    with tempfile.TemporaryDirectory(prefix="dockyard-mutants-") as tmp:
        root = os.path.join(tmp, "docker")
        shutil.copytree(SOURCE, root, ignore=shutil.ignore_patterns(".git", ".venv", ".lab", "benchmarks", "molecule",
                                                                    "__pycache__", "*.tar.gz"))
        return run_mutants(root)


def run_mutants(root):
    rows, survived = [], []
    if run_tests(root)[0] != 0:
        print("the unit tests fail without any mutant: fix them first")
        return 2
    for what, path, original, mutated in MUTANTS:
        full = os.path.join(root, path)
        with open(full) as handle:
            source = handle.read()
        if source.count(original) != 1:
            print("mutant %r: the text to break is not found once in %s; update tools/mutants.py" % (what, path))
            return 2
        try:
            with open(full, "w") as handle:
                handle.write(source.replace(original, mutated))
            rc, caught_by = run_tests(root)
        finally:
            with open(full, "w") as handle:
                handle.write(source)
        if rc == 0:
            survived.append(what)
            caught_by = "**SURVIVED**"
        rows.append((what, path, caught_by or "(collection error)"))
    print("| mutant | file | caught by |")
    print("|---|---|---|")
    for what, path, caught_by in rows:
        print("| %s | `%s` | `%s` |" % (what, path, caught_by.replace("tests/unit/plugins/", "")))
    print("%d mutants, %d caught, %d survived" % (len(rows), len(rows) - len(survived), len(survived)))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
