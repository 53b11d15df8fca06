"""Host-side helpers for the swarm scenario: talk to the lab nodes' engines through `docker exec`,
run ansible against the scenario inventory. testinfra's `host` is a node; these run on the machine."""

import json
import os
import subprocess
import time

LAB = os.environ.get("SWARM_TEST_LAB", "m-swarm")
MANAGERS = ["swarm-m1", "swarm-m2", "swarm-m3"]
WORKERS = ["swarm-w1", "swarm-w2"]
NODES = MANAGERS + WORKERS
DRAINED = "swarm-w2"
LABELS = {
    "swarm-m1": {"zone": "a", "tier": "control"},
    "swarm-m2": {"zone": "b", "tier": "control"},
    "swarm-m3": {"zone": "c", "tier": "control"},
    "swarm-w1": {"zone": "a", "tier": "work"},
    "swarm-w2": {"zone": "b", "tier": "work"},
}
EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "")
PROJECT = os.environ.get("MOLECULE_PROJECT_DIRECTORY", os.getcwd())
SCENARIO_DIR = os.environ.get("MOLECULE_SCENARIO_DIRECTORY", os.path.join(PROJECT, "molecule", "swarm"))


def container(node):
    return "dlab-%s-%s" % (LAB, node)


def node_sh(node, script, check=True, timeout=120):
    """Run a shell script inside a lab node (host side, docker exec)."""
    proc = subprocess.run(["docker", "exec", container(node), "sh", "-c", script],
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError("%s on %s failed (%d): %s%s" % (script, node, proc.returncode, proc.stdout, proc.stderr))
    return proc


def node_running(node):
    proc = subprocess.run(["docker", "inspect", "-f", "{{.State.Running}}", container(node)],
                          capture_output=True, text=True)
    return proc.stdout.strip() == "true"


def manager():
    """A manager node whose container runs and which answers as a manager."""
    for node in MANAGERS:
        if node_running(node) and node_sh(node, "docker node ls -q", check=False).returncode == 0:
            return node
    raise AssertionError("no manager answers")


def docker_json(node, args):
    out = node_sh(node, "docker %s" % args).stdout
    return json.loads(out)


def nodes_info(via=None):
    via = via or manager()
    ids = node_sh(via, "docker node ls -q").stdout.split()
    return docker_json(via, "node inspect %s" % " ".join(ids))


def node_addr(node):
    return node_sh(node, "docker info --format '{{.Swarm.NodeAddr}}'").stdout.strip()


def running_tasks(service, via=None):
    via = via or manager()
    ids = node_sh(via, "docker service ps -q --filter desired-state=running %s" % service).stdout.split()
    if not ids:
        return []
    tasks = docker_json(via, "inspect %s" % " ".join(ids))
    names = dict((n["ID"], n["Description"]["Hostname"]) for n in nodes_info(via))
    for task in tasks:
        task["_node"] = names.get(task.get("NodeID"))
    return [t for t in tasks if t["Status"]["State"] == "running"]


def wait_for(predicate, timeout=90, interval=2, what="condition"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError("timed out after %ss waiting for %s (last: %r)" % (timeout, what, last))


def inventory():
    for candidate in (os.path.join(EPHEMERAL, "inventory"), os.environ.get("MOLECULE_INVENTORY_FILE")):
        if candidate and os.path.exists(candidate):
            return candidate
    raise AssertionError("molecule inventory not found")


def ansible_env(log_name):
    env = dict(os.environ)
    cfg = os.path.join(EPHEMERAL, "ansible.cfg")
    if os.path.exists(cfg):
        env["ANSIBLE_CONFIG"] = cfg
    env["ANSIBLE_LOG_PATH"] = os.path.join(EPHEMERAL, log_name)
    env["ANSIBLE_FORCE_COLOR"] = "0"
    env["ANSIBLE_NOCOLOR"] = "1"
    return env


def ansible_module(node, module, args, timeout=300, extra=()):
    """Run a module ad hoc on a node (``extra``: more ansible options such as --check); returns
    (rc, parsed result or raw output)."""
    env = ansible_env("adhoc.log")
    proc = subprocess.run(
        [os.path.join(PROJECT, ".venv", "bin", "ansible"), "-i", inventory(), node, "-m", module,
         "-a", json.dumps(args)] + list(extra),
        capture_output=True, text=True, env=env, timeout=timeout, cwd=PROJECT)
    # the ad-hoc output is `HOST | STATUS => {json}`
    _head, sep, body = proc.stdout.partition(" => ")
    try:
        result = json.loads(body) if sep else {"raw": proc.stdout + proc.stderr}
    except ValueError:
        result = {"raw": proc.stdout + proc.stderr}
    result.setdefault("msg", result.get("raw", ""))
    return proc.returncode, result


def ansible_playbook(playbook, extra=(), inventory_file=None, timeout=900, log_name="playbook.log"):
    proc = subprocess.run(
        [os.path.join(PROJECT, ".venv", "bin", "ansible-playbook"), "-i", inventory_file or inventory(), playbook]
        + list(extra),
        capture_output=True, text=True, env=ansible_env(log_name), timeout=timeout, cwd=PROJECT)
    return proc


def http_from_task(service_task_node, container_id, url, count):
    """Fetch `url` `count` times from inside a task container; resolve the name afresh each time."""
    script = (
        "import socket, urllib.request, urllib.parse, json\n"
        "u = urllib.parse.urlparse(%r)\n"
        "out = []\n"
        "for _ in range(%d):\n"
        "    ip = socket.gethostbyname_ex(u.hostname)[2][0]\n"
        "    with urllib.request.urlopen('http://%%s:%%d%%s' %% (ip, u.port, u.path), timeout=5) as r:\n"
        "        out.append(r.read().decode().strip())\n"
        "print(json.dumps(out))\n" % (url, count)
    )
    proc = node_sh(service_task_node, "docker exec %s python3 -c %s" % (container_id, _quote(script)))
    return json.loads(proc.stdout)


def _quote(text):
    return "'" + text.replace("'", "'\"'\"'") + "'"


def http_get(addr, port=8080, timeout=3):
    import urllib.request
    with urllib.request.urlopen("http://%s:%d/" % (addr, port), timeout=timeout) as resp:
        return resp.read().decode().strip()
