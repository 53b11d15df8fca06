"""community.docker and this collection, side by side, on the same engine.

Every case of ../cases.yml runs its steps in order through both modules, each on a container (service) of its
own: `changed` (and failure) must agree at every step, and `docker inspect` of the two objects must agree on
the fields the case names. A difference this collection keeps on purpose is listed, with its reason, under
`kept_differences` in docs/migration.yml; the test reads that list and nothing else excuses a difference.

The two implementations run at the same time (two inventory aliases of the node, strategy free), so the
scenario costs one pass of the steps, not two.
"""

import fnmatch
import json
import os
import subprocess

import pytest
import yaml

SCENARIO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(os.path.dirname(SCENARIO))
EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "/tmp")
INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
COMMUNITY = os.path.join(ROOT, ".lab", "community")
NODE = "drop-node1"
IMPLEMENTATIONS = {
    "ours": {"container": "dockyard.docker.container", "service": "dockyard.docker.swarm_service"},
    "theirs": {"container": "community.docker.docker_container", "service": "community.docker.docker_swarm_service"},
}
BASE = {"container": {"image": "dockyard-lab/app:latest", "stop_timeout": 1},
        "service": {"resolve_image": False}}
# Options of one side only, that do not change what is compared (ours waits for convergence by default).
ONLY = {("ours", "service"): {"wait": False}}

with open(os.path.join(SCENARIO, "cases.yml")) as handle:
    CASES = yaml.safe_load(handle)
with open(os.path.join(ROOT, "docs", "migration.yml")) as handle:
    KEPT = yaml.safe_load(handle).get("kept_differences") or []


def object_name(kind, case, impl):
    return "sbs-%s-%s-%s" % ("c" if kind == "container" else "s", case["name"], impl)


def task_params(kind, case, step, impl):
    params = dict(BASE[kind])
    params.update(case.get("base") or {})
    params.update(step)
    params.update(ONLY.get((impl, kind), {}))
    params["name"] = object_name(kind, case, impl)
    return params


def playbook():
    """One play on both aliases of the node (strategy free: each runs its own steps at its own pace).

    Every step: the module of the host's implementation (the other host skips it), then `docker inspect` of the
    host's own object. The objects of an earlier run are removed first, so every case starts from nothing.
    """
    tasks = [{"name": "remove the objects of an earlier run", "ansible.builtin.shell":
              "docker service rm $(docker service ls -q --filter name=sbs-) 2>/dev/null; "
              "docker rm -f $(docker ps -aq --filter name=sbs-) 2>/dev/null; true",
              "changed_when": True}]
    names = []
    services = set()
    for kind, plural in (("container", "containers"), ("service", "services")):
        for case in CASES[plural]:
            for index, step in enumerate(case["steps"]):
                var = "r_%s_%s_%d" % (kind, case["name"].replace("-", "_"), index)
                for impl, modules in IMPLEMENTATIONS.items():
                    tasks.append({"name": "%s %s step %d (%s)" % (kind, case["name"], index, impl),
                                  "when": "inventory_hostname == '%s'" % impl, "block": [
                                      {"name": "module", modules[kind]: task_params(kind, case, step, impl),
                                       "register": "%s_%s" % (var, impl)}],
                                  "rescue": [{"name": "failed", "ansible.builtin.set_fact": {
                                      "%s_%s" % (var, impl): "{{ ansible_failed_result }}"}}]})
                tasks.append({"name": "inspect", "ansible.builtin.command": "docker %s inspect %s" % (
                    kind, object_name(kind, case, "{{ inventory_hostname }}")),
                    "register": var + "_inspect", "changed_when": False})
                names.append(var)
                if kind == "service":
                    services.add(var)
    # A task skipped on a host still registers its variable: each implementation registers under its own name.
    own = "lookup('vars', '%s_' ~ inventory_hostname)"
    # A service step also keeps the return values tasks read (community.docker's swarm_service, changes, rebuilt).
    returned = ("'returned': {'swarm_service': %s.swarm_service | default({}), 'changes': %s.changes | default([]), "
                "'rebuilt': %s.rebuilt | default(false)}, ")
    results = "{{ {%s} | to_json }}" % ", ".join(
        "'%s': {'changed': %s.changed | default(false), 'failed': %s.failed | default(false), "
        "'msg': %s.msg | default(''), %s'inspect': %s_inspect.stdout | from_json}"
        % (n, own % n, own % n, own % n, returned % (own % n, own % n, own % n) if n in services else "", n)
        for n in names)
    tasks.append({"name": "results", "ansible.builtin.copy": {
        "content": results, "dest": os.path.join(EPHEMERAL, "side-by-side-{{ inventory_hostname }}.json"),
        "mode": "0600"}, "delegate_to": "localhost"})
    return [{"name": "side by side", "hosts": ":".join(IMPLEMENTATIONS), "gather_facts": False,
             "strategy": "free", "tasks": tasks}]


def inventory():
    with open(INVENTORY) as handle:
        molecule = yaml.safe_load(handle)
    node = None
    for group in molecule.values():
        node = node or ((group or {}).get("hosts") or {}).get(NODE)
    assert node, "%s not in %s" % (NODE, INVENTORY)
    return {"all": {"hosts": dict((impl, node) for impl in IMPLEMENTATIONS)}}


@pytest.fixture(scope="module")
def results():
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    assert os.path.isdir(os.path.join(COMMUNITY, "ansible_collections", "community", "docker")), \
        "community.docker is not unpacked in %s: run make community" % COMMUNITY
    book = os.path.join(EPHEMERAL, "side-by-side.yml")
    inv = os.path.join(EPHEMERAL, "side-by-side-inventory.yml")
    with open(book, "w") as handle:
        yaml.safe_dump(playbook(), handle, sort_keys=False)
    with open(inv, "w") as handle:
        yaml.safe_dump(inventory(), handle)
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOG_PATH="/dev/null",
               ANSIBLE_COLLECTIONS_PATH=os.environ.get("ANSIBLE_COLLECTIONS_PATH", "") + ":" + COMMUNITY,
               ANSIBLE_FORKS="2")
    proc = subprocess.run(["ansible-playbook", "-i", inv, book], capture_output=True, text=True, timeout=1500,
                          env=env)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-6000:]
    out = {}
    for impl in IMPLEMENTATIONS:
        with open(os.path.join(EPHEMERAL, "side-by-side-%s.json" % impl)) as handle:
            out[impl] = json.load(handle)
    return out


def _get(doc, path):
    for key in path.split("."):
        if isinstance(doc, list):
            return [_get(item, key) for item in doc]
        doc = (doc or {}).get(key)
    return doc


def _strip(value, keys):
    """The value without the keys (shell patterns) a case ignores (in a dict, or in each dict of a list)."""
    if isinstance(value, list):
        return [_strip(item, keys) for item in value]
    if isinstance(value, dict):
        return dict((k, v) for k, v in value.items() if not any(fnmatch.fnmatchcase(k, key) for key in keys))
    return value


def _selfless(value, impl, kind, case):
    """The object's own name (which differs by construction) read as <self>, e.g. in HostConfig.Links."""
    return json.loads(json.dumps(value).replace(object_name(kind, case, impl), "<self>"))


def _normal(value, ordered):
    if isinstance(value, list) and not ordered:
        return sorted((_normal(v, False) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return dict((k, _normal(v, False)) for k, v in value.items())
    return value


def _kept(kind, case, index, what):
    for entry in KEPT:
        if (entry.get("module") == IMPLEMENTATIONS["ours"][kind].split(".")[-1] and entry.get("case") == case
                and index in (entry.get("steps") or []) and entry.get("what") == what):
            assert entry.get("reason"), "kept difference without a reason: %r" % entry
            return True
    return False


STEPS = [(kind, case, index) for kind, plural in (("container", "containers"), ("service", "services"))
         for case in CASES[plural] for index in range(len(case["steps"]))]


@pytest.mark.parametrize("kind, case, index", STEPS,
                         ids=["%s-%s-%d" % (k, c["name"], i) for k, c, i in STEPS])
def test_the_same_task_gives_the_same_result(results, kind, case, index):
    var = "r_%s_%s_%d" % (kind, case["name"].replace("-", "_"), index)
    ours, theirs = results["ours"][var], results["theirs"][var]
    if not _kept(kind, case["name"], index, "failed"):
        assert ours["failed"] == theirs["failed"], (ours["msg"], theirs["msg"])
    if not _kept(kind, case["name"], index, "changed"):
        assert ours["changed"] == theirs["changed"], "changed: ours %s, community.docker %s" % (
            ours["changed"], theirs["changed"])
    if _kept(kind, case["name"], index, "inspect"):
        return
    spec = (lambda doc: doc["Spec"]) if kind == "service" else (lambda doc: doc)
    for field in case["fields"]:
        keys = (case.get("ignore") or {}).get(field) or []
        ordered = field in (case.get("ordered") or [])
        mine, other = [
            _normal(_strip(_selfless(_get(spec(results[impl][var]["inspect"][0]), field), impl, kind, case), keys),
                    ordered) for impl in ("ours", "theirs")]
        assert mine == other, "%s: ours %r, community.docker %r" % (field, mine, other)


def test_every_kept_difference_names_a_real_case_and_says_why():
    names = dict(((IMPLEMENTATIONS["ours"][kind].split(".")[-1], c["name"]), len(c["steps"]))
                 for kind, plural in (("container", "containers"), ("service", "services")) for c in CASES[plural])
    for entry in KEPT:
        key = (entry.get("module"), entry.get("case"))
        assert key in names, "kept difference for an unknown case: %r" % entry
        assert all(0 <= i < names[key] for i in entry.get("steps") or []), entry
        assert entry.get("what") in ("changed", "failed", "inspect") and entry.get("reason"), entry


# The case whose return values are compared, and the keys of swarm_service its steps set (their option names).
RETURNED_CASE = "basics"
RETURNED_KEYS = ("args", "env", "container_labels", "labels", "hostname", "image", "endpoint_mode")
RETURNED_STEPS = [index for kind, case, index in STEPS if kind == "service" and case["name"] == RETURNED_CASE]


@pytest.mark.parametrize("index", RETURNED_STEPS)
def test_service_return_values_a_task_reads_agree(results, index):
    """swarm_service, changes and rebuilt as community.docker returns them: ours compared with theirs."""
    var = "r_service_%s_%d" % (RETURNED_CASE, index)
    ours, theirs = results["ours"][var]["returned"], results["theirs"][var]["returned"]
    assert ours["rebuilt"] == theirs["rebuilt"]
    assert sorted(ours["changes"]) == sorted(theirs["changes"]), "changes: ours %r, community.docker %r" % (
        ours["changes"], theirs["changes"])
    assert theirs["swarm_service"], "community.docker returned no swarm_service"
    assert sorted(ours["swarm_service"]) == sorted(theirs["swarm_service"])
    for key in RETURNED_KEYS:
        assert ours["swarm_service"][key] == theirs["swarm_service"][key], "swarm_service.%s: ours %r, theirs %r" % (
            key, ours["swarm_service"][key], theirs["swarm_service"][key])
