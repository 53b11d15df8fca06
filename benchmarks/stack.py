#!/usr/bin/env python3
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: deploying and re-running a 10-service stack, dockyard.docker.stack next to `docker stack deploy`.

Run by ``make bench-stack`` (and by ``make bench`` after run.py); see benchmarks/README.md. On demand only:
never a test.

Starts its own lab (``tools/lab.py up --lab bench-stack``: 3 nodes with their own engines, node1 a swarm
manager, the others workers), writes one compose file (10 services, one overlay network) onto node1 and
measures, medians over --runs:

  (1) first deploy by dockyard.docker.stack (ansible-playbook over the lab inventory's SSH connection;
      the task's own duration from benchmarks/callback_plugins/bench_timer.py, the whole run in brackets)
  (2) the unchanged re-run by dockyard.docker.stack (must report changed=false, else the benchmark fails)
  (3) `docker stack deploy -c FILE` of the same file under another stack name (inside node1: the CLI
      process's own time, the `docker exec` round trip in brackets)
  (4) the CLI's unchanged re-run
  (5) dockyard.docker.stack adopting the stack the CLI deployed (should be changed=false)
  (6) a first deploy of a one-service stack (the same service as svc01) by dockyard.docker.stack with
      wait: true: one service's own convergence time, against which (1) is held (the services are alike,
      so this one is also the slowest single service); target: (1) within ONE_SERVICE_FACTOR times (6)

Both stacks are removed (untimed) between runs; the lab is removed at the end, also on failure.
The section "## Stack re-run (benchmarks/stack.py)" at the end of benchmarks/RESULTS.md is added or replaced.
"""

from __future__ import absolute_import, division, print_function

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import machine  # noqa: E402  (one machine description for every benchmark table)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out", "stack")
VENV_PLAYBOOK = os.path.join(ROOT, ".venv", "bin", "ansible-playbook")
LAB_PY = os.path.join(ROOT, "tools", "lab.py")
COLLECTIONS = os.path.join(ROOT, ".lab", "collections")
IMAGE = "dockyard-lab/app:latest"
NAMESPACE = "com.docker.stack.namespace"
COMPOSE_PATH = "/srv/bench-stack/stack.yml"
ONE_SERVICE_PATH = "/srv/bench-stack/one-service.yml"
OUR_STACK = "benchdy"
CLI_STACK = "benchcli"
NOWAIT_STACK = "benchnw"
ONE_STACK = "benchone"
STACKS = (OUR_STACK, CLI_STACK, NOWAIT_STACK, ONE_STACK)
SECTION = "## Stack re-run (benchmarks/stack.py)"
# An interpreter for node1 that runs the real one and appends the module process's wall and CPU seconds to
# TIMED_LOG (used only in the separate, untimed runs that split the task's time between node1 and the controller).
TIMED_PYTHON = "/usr/local/bin/bench-python-timed"
TIMED_LOG = "/tmp/bench-python-timed.log"
TIMED_WRAPPER = """#!/usr/bin/python3
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv[1:])
_pid, status, usage = os.wait4(pid, 0)
with open("%s", "a") as out:
    out.write(json.dumps(dict(wall=time.perf_counter() - start, cpu=usage.ru_utime + usage.ru_stime)) + "\\n")
sys.exit(os.waitstatus_to_exitcode(status))
""" % TIMED_LOG
SERVICES = 10
TARGET_SECONDS = 2.0
ONE_SERVICE_FACTOR = 1.5


def log(msg):
    print("[bench-stack %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


class BenchError(Exception):
    pass


# ----------------------------------------------------------------------------- the compose file


def compose_file(n=SERVICES):
    """An n-service stack (10 by default): one overlay network, env, container and service labels, restart/update policies."""
    tiers = ("web", "api", "worker", "cache", "edge")
    services = {}
    for i in range(1, n + 1):
        key = "svc%02d" % i
        tier = tiers[(i - 1) % len(tiers)]
        services[key] = {
            "image": IMAGE,
            "command": ["app-server", "--port", "8000"],
            "environment": {"APP_MESSAGE": "bench-%s" % key, "APP_PORT": "8000", "TIER": tier,
                            "INDEX": str(i)},
            "labels": {"io.dockyard.bench.service": key, "io.dockyard.bench.tier": tier},
            "networks": ["benchnet"],
            "stop_grace_period": "5s",
            "deploy": {
                "endpoint_mode": "dnsrr",  # this kernel has no IPVS: no VIP
                "replicas": 1,
                "labels": {"io.dockyard.bench.deploy": key},
                "restart_policy": {"condition": "on-failure", "delay": "2s", "max_attempts": 3},
                "update_config": {"parallelism": 1, "delay": "1s", "order": "stop-first"},
                "resources": {"limits": {"memory": "64M"}, "reservations": {"memory": "8M"}},
            },
        }
    data = {
        "version": "3.8",  # Debian 12's docker CLI (20.10) wants a version
        "services": services,
        "networks": {"benchnet": {"driver": "overlay", "labels": {"io.dockyard.bench": "stack"}}},
    }
    return ("# Written by benchmarks/stack.py: %d services, one overlay network.\n" % n
            + yaml.safe_dump(data, sort_keys=False, default_flow_style=False))


# ----------------------------------------------------------------------------- commands


def run(cmd, check=True, input_text=None, timeout=600):
    proc = subprocess.run(cmd, input=input_text, capture_output=True, text=True, check=False, timeout=timeout)
    if check and proc.returncode != 0:
        raise BenchError("`%s` failed (exit %d): %s" % (" ".join(cmd[:8]), proc.returncode,
                                                        (proc.stderr or proc.stdout).strip()[-2000:]))
    return proc


class Lab(object):
    def __init__(self, name, nodes):
        self.name = name
        self.nodes = nodes
        self.inventory_path = os.path.join(ROOT, ".lab", name, "inventory.yml")
        self.hosts = {}

    def lab(self, *args):
        cmd = ["python3", LAB_PY] + list(args)
        log("tools/lab.py %s" % " ".join(args))
        proc = subprocess.run(cmd, cwd=ROOT, check=False)
        if proc.returncode != 0:
            raise BenchError("tools/lab.py %s failed (exit %d)" % (" ".join(args), proc.returncode))

    def up(self):
        self.lab("down", "--lab", self.name)  # a lab left behind by an interrupted run: start clean
        self.lab("up", "--lab", self.name, "--nodes", str(self.nodes), "--image", "node-engine", "--load", IMAGE)
        with open(self.inventory_path) as handle:
            inv = yaml.safe_load(handle)
        self.hosts = inv["all"]["hosts"]
        self.names = sorted(self.hosts)
        self.manager = self.names[0]

    def down(self):
        self.lab("down", "--lab", self.name)

    def container(self, host):
        return self.hosts[host]["lab_container"]

    def address(self, host):
        return self.hosts[host]["ansible_host"]

    def exec(self, host, *args, **kw):
        extra = ["-i"] if kw.get("input_text") is not None else []
        return run(["docker", "exec"] + extra + [self.container(host)] + list(args), **kw)

    def sh(self, host, script, **kw):
        return self.exec(host, "sh", "-c", script, **kw)

    def swarm(self):
        manager = self.manager
        log("swarm: %s manager (advertising %s), %s workers" % (manager, self.address(manager),
                                                                ", ".join(self.names[1:])))
        self.exec(manager, "docker", "swarm", "init", "--advertise-addr", self.address(manager))
        token = self.exec(manager, "docker", "swarm", "join-token", "-q", "worker").stdout.strip()
        for host in self.names[1:]:
            self.exec(host, "docker", "swarm", "join", "--token", token, "--advertise-addr", self.address(host),
                      "%s:2377" % self.address(manager))
        deadline = time.time() + 60
        while time.time() < deadline:
            states = self.exec(manager, "docker", "node", "ls", "--format", "{{.Status}}").stdout.split()
            if len(states) == len(self.names) and all(s == "Ready" for s in states):
                return
            time.sleep(1)
        raise BenchError("the swarm's nodes did not all become Ready: %s" % states)

    def prepare_manager(self, text, one_service_text):
        manager = self.manager
        log("installing python3-yaml on %s (the stack module reads files with PyYAML)" % manager)
        self.sh(manager, "export DEBIAN_FRONTEND=noninteractive; "
                         "apt-get install -y -q --no-install-recommends python3-yaml >/dev/null 2>&1 || "
                         "{ apt-get update -q >/dev/null && "
                         "apt-get install -y -q --no-install-recommends python3-yaml; }")
        self.sh(manager, "mkdir -p %s && cat > %s" % (os.path.dirname(COMPOSE_PATH), COMPOSE_PATH), input_text=text)
        self.sh(manager, "cat > %s" % ONE_SERVICE_PATH, input_text=one_service_text)
        self.sh(manager, "cat > %s && chmod 0755 %s" % (TIMED_PYTHON, TIMED_PYTHON), input_text=TIMED_WRAPPER)

    def versions(self):
        info = {}
        manager = self.manager
        proc = self.exec(manager, "docker", "version", "--format", "{{.Client.Version}} / {{.Server.Version}}",
                         check=False)
        info["Docker CLI / engine on the nodes"] = proc.stdout.strip() or "?"
        proc = self.exec(manager, "python3", "-c", "import sys, yaml, docker; print(sys.version.split()[0], "
                         "yaml.__version__, docker.__version__)", check=False)
        parts = proc.stdout.split()
        if len(parts) == 3:
            info["Python / PyYAML / docker SDK on node1"] = " / ".join(parts)
        return info


# ----------------------------------------------------------------------------- measuring


class Bench(object):
    def __init__(self, args, lab):
        self.args = args
        self.lab = lab
        self.counter = 0
        self.last_cpu = None
        os.makedirs(os.path.join(OUT, "logs"), exist_ok=True)
        head = "- name: bench-stack\n  hosts: \"{{ bench_host }}\"\n  gather_facts: false\n  tasks:\n"
        self.books = {
            "stack": head + (
                "    - name: stack\n      dockyard.docker.stack:\n        name: \"{{ bench_stack }}\"\n"
                "        compose: [\"{{ bench_compose }}\"]\n        wait: \"{{ bench_wait }}\"\n"),
            "ping": head + "    - name: ping\n      ansible.builtin.ping:\n",
        }
        for name, text in self.books.items():
            with open(os.path.join(OUT, name + ".yml"), "w") as handle:
                handle.write(text)

    def play(self, stack, label, expect_changed=None, wait=True, book="stack", python=None, compose=COMPOSE_PATH):
        """ansible-playbook running the stack task; (task seconds, wall seconds, module result).

        The module's result comes from the callback ``bench_result`` (callback_plugins/), so the timed playbook
        has no second task.
        """
        self.counter += 1
        stem = "%03d-%s" % (self.counter, label)
        timer = os.path.join(OUT, "logs", stem + ".json")
        logfile = os.path.join(OUT, "logs", stem + ".log")
        record = os.path.join(OUT, "logs", stem + ".result.json")
        for path in (timer, record):
            if os.path.exists(path):
                os.unlink(path)
        env = dict(os.environ)
        env.update(
            ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
            ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
            ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback_plugins"),
            ANSIBLE_CALLBACKS_ENABLED="bench_timer,bench_result",
            BENCH_RESULT_OUT=record,
            ANSIBLE_FORCE_COLOR="0",
            BENCH_TIMER_OUT=timer,
        )
        cmd = [VENV_PLAYBOOK, "-i", self.lab.inventory_path, "-e", "bench_host=%s" % self.lab.manager,
               "-e", "bench_stack=%s" % stack, "-e", "bench_wait=%s" % ("true" if wait else "false"),
               "-e", "bench_compose=%s" % compose,
               os.path.join(OUT, book + ".yml")]
        if python:
            cmd[1:1] = ["-e", "ansible_python_interpreter=%s" % python]
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(logfile, "w") as handle:
            rc = subprocess.call(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.last_cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        records = []
        if os.path.exists(timer):
            with open(timer) as handle:
                records = [json.loads(line) for line in handle if line.strip()]
        task = [r for r in records if r["task"] == book]
        if rc != 0 or len(task) != 1 or task[0]["failed"]:
            raise BenchError("%s failed (rc %s), see %s" % (label, rc, logfile))
        result = {}
        if os.path.exists(record):
            with open(record) as handle:
                for line in handle:
                    if line.strip() and json.loads(line)["task"] == book:
                        result = json.loads(line)["result"]
        seconds, changed = task[0]["seconds"], bool(task[0]["changed"])
        log("%-16s %6.2f s task, %6.2f s playbook, changed=%s %s" % (
            label, seconds, wall, str(changed).lower(),
            ("(%s)" % "; ".join(result.get("actions") or [])[:300]) if changed else ""))
        if expect_changed is not None and changed != expect_changed:
            raise BenchError("%s: changed=%s, expected changed=%s; actions: %s (see %s)" % (
                label, changed, expect_changed, result.get("actions"), logfile))
        return seconds, wall, result

    def cli(self, stack, label):
        """`docker stack deploy` inside node1: (CLI process seconds, docker exec wall seconds)."""
        script = ('s=$(date +%%s%%N); docker stack deploy -c %s %s >/tmp/bench-cli.out 2>&1; rc=$?; '
                  'e=$(date +%%s%%N); echo "$s $e $rc"; cat /tmp/bench-cli.out >&2' % (COMPOSE_PATH, stack))
        start = time.perf_counter()
        proc = self.lab.sh(self.lab.manager, script, check=False)
        wall = time.perf_counter() - start
        try:
            began, ended, rc = proc.stdout.split()
        except ValueError:
            raise BenchError("%s: unexpected output %r %r" % (label, proc.stdout, proc.stderr))
        with open(os.path.join(OUT, "logs", "%03d-%s.log" % (self.counter + 1, label)), "w") as handle:
            handle.write(proc.stderr)
        self.counter += 1
        if rc != "0":
            raise BenchError("%s: docker stack deploy failed (exit %s): %s" % (label, rc, proc.stderr[-2000:]))
        seconds = (int(ended) - int(began)) / 1e9
        log("%-16s %6.2f s CLI, %6.2f s docker exec" % (label, seconds, wall))
        return seconds, wall

    def wait_running(self, stack, timeout=300, services=SERVICES):
        """Seconds until every service of the stack shows 1/1 replicas (polled through docker exec)."""
        start = time.perf_counter()
        deadline = time.time() + timeout
        while time.time() < deadline:
            out = self.lab.exec(self.lab.manager, "docker", "service", "ls", "--filter",
                                "label=%s=%s" % (NAMESPACE, stack), "--format", "{{.Replicas}}").stdout.split()
            if len(out) == services and all(r == "1/1" for r in out):
                return time.perf_counter() - start
            time.sleep(0.2)
        raise BenchError("stack %s did not reach 1/1 replicas everywhere within %ds" % (stack, timeout))

    def remove_stacks(self, timeout=180):
        """docker stack rm the bench stacks and wait until their services, networks and containers are gone."""
        manager = self.lab.manager
        self.lab.exec(manager, "docker", "stack", "rm", *STACKS, check=False)
        deadline = time.time() + timeout
        while time.time() < deadline:
            left = []
            for stack in STACKS:
                flt = "label=%s=%s" % (NAMESPACE, stack)
                left += self.lab.exec(manager, "docker", "service", "ls", "-q", "--filter", flt).stdout.split()
                left += self.lab.exec(manager, "docker", "network", "ls", "-q", "--filter", flt).stdout.split()
            for host in self.lab.names:
                left += self.lab.exec(host, "docker", "ps", "-aq", "--filter",
                                      "label=%s" % NAMESPACE).stdout.split()
            if not left:
                return
            time.sleep(1)
        raise BenchError("the bench stacks were not gone within %ds" % timeout)


class LoadSampler(threading.Thread):
    """The 1-minute load average every few seconds while the benchmark runs."""

    def __init__(self, every=5.0):
        super(LoadSampler, self).__init__(daemon=True)
        self.every = every
        self.samples = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self.stop.wait(self.every)


def median(values):
    return statistics.median(values) if values else None


def measure(args, lab):
    bench = Bench(args, lab)
    keys = ("dy_first", "dy_rerun", "cli_first", "cli_running", "cli_rerun", "adopt", "nw_first", "nw_running",
            "one_first")
    task = dict((k, []) for k in keys)
    wall = dict((k, []) for k in keys)
    adopt_changed = []
    first_actions = None
    for r in range(args.runs):
        log("run %d of %d" % (r + 1, args.runs))
        bench.remove_stacks()
        t, w, _result = bench.play(ONE_STACK, "one-first-r%d" % r, expect_changed=True, compose=ONE_SERVICE_PATH)
        task["one_first"].append(t)
        wall["one_first"].append(w)
        bench.remove_stacks()
        t, w, result = bench.play(OUR_STACK, "dy-first-r%d" % r, expect_changed=True)
        first_actions = first_actions or result.get("actions")
        task["dy_first"].append(t)
        wall["dy_first"].append(w)
        t, w, _result = bench.play(OUR_STACK, "dy-rerun-r%d" % r, expect_changed=False)
        task["dy_rerun"].append(t)
        wall["dy_rerun"].append(w)
        t, w = bench.cli(CLI_STACK, "cli-first-r%d" % r)
        task["cli_first"].append(t)
        wall["cli_first"].append(w)
        running = bench.wait_running(CLI_STACK)
        task["cli_running"].append(t + running)
        log("%-16s %6.2f s after the CLI returned, all 1/1" % ("cli-running-r%d" % r, running))
        t, w = bench.cli(CLI_STACK, "cli-rerun-r%d" % r)
        task["cli_rerun"].append(t)
        wall["cli_rerun"].append(w)
        if args.adopt:
            t, w, result = bench.play(CLI_STACK, "adopt-r%d" % r)
            task["adopt"].append(t)
            wall["adopt"].append(w)
            if result.get("changed"):
                adopt_changed.append(result.get("actions"))
                log("adopting the CLI's stack CHANGED it: %s" % result.get("actions"))
        t, w, _result = bench.play(NOWAIT_STACK, "nowait-first-r%d" % r, expect_changed=True, wait=False)
        task["nw_first"].append(t)
        wall["nw_first"].append(w)
        running = bench.wait_running(NOWAIT_STACK)
        task["nw_running"].append(t + running)
        log("%-16s %6.2f s after the task returned, all 1/1" % ("nowait-running-r%d" % r, running))
    split = split_rerun(args, bench)
    bench.remove_stacks()
    return task, wall, adopt_changed, split


def split_rerun(args, bench):
    """Untimed extra runs through TIMED_PYTHON: the re-run's module process (wall, CPU) on node1, and the same for
    ansible.builtin.ping (Ansible's own floor for one task). Medians: {book: (task, process wall, process CPU)}."""
    out = {}
    for book, stack in (("stack", OUR_STACK), ("ping", None)):
        bench.lab.exec(bench.lab.manager, "rm", "-f", TIMED_LOG)
        tasks, cpus = [], []
        for r in range(args.runs):
            t, _w, _result = bench.play(stack or OUR_STACK, "%s-timed-r%d" % (book, r), book=book,
                                        python=TIMED_PYTHON, expect_changed=False)
            tasks.append(t)
            cpus.append(bench.last_cpu)
        lines = bench.lab.exec(bench.lab.manager, "cat", TIMED_LOG).stdout.splitlines()
        procs = [json.loads(line) for line in lines if line.strip()]
        if len(procs) != args.runs:
            raise BenchError("expected %d lines in %s on node1, found %d" % (args.runs, TIMED_LOG, len(procs)))
        out[book] = (median(tasks), median([p["wall"] for p in procs]), median([p["cpu"] for p in procs]),
                     median(cpus))
        log("%-16s task %.2f s, module process on node1 %.2f s wall, %.2f s CPU; ansible-playbook %.2f s CPU"
            % ((book + "-timed",) + out[book]))
    return out


# ----------------------------------------------------------------------------- report


def fmt(value, digits=2):
    return "n/a" if value is None else ("%%.%df" % digits) % value


def report(args, task, wall, adopt_changed, split, loads, versions, started, took):
    med = dict((k, median(v)) for k, v in task.items())
    medw = dict((k, median(v)) for k, v in wall.items())

    def cell(key):
        if med[key] is None:
            return "n/a"
        return "%s s (%s)" % (fmt(med[key]), fmt(medw[key], 1)) if medw.get(key) is not None else "%s s" % fmt(med[key])

    lines = [SECTION, ""]
    lines.append("Generated by `make bench-stack` (`benchmarks/stack.py --runs %d`): a %d-service compose file "
                 "(image `%s`, every service `deploy: {endpoint_mode: dnsrr, replicas: 1}` with env, labels, "
                 "restart/update policies and memory limits; one overlay network) deployed to a %d-node lab swarm "
                 "(`tools/lab.py`, 1 manager + %d workers, each node a container with its own engine)."
                 % (args.runs, SERVICES, IMAGE, args.nodes, args.nodes - 1))
    lines.append("")
    lines.append("- Date: %s UTC (took %.0f s, lab start-up and removal included)" % (
        started.strftime("%Y-%m-%d %H:%M"), took))
    lines.append("- Machine: %s" % machine())
    if loads:
        lines.append("- Load average (1 min) during the run: median %.2f, min %.2f, max %.2f (%d samples; "
                     "the engine is shared with other work)" % (statistics.median(loads), min(loads), max(loads),
                                                                len(loads)))
    for key, value in versions.items():
        lines.append("- %s: %s" % (key, value))
    lines.append("- dockyard.docker.stack: ansible-playbook on this machine, SSH to node1 as the lab inventory "
                 "says (pipelining, ControlPersist); the task's own duration, the whole `ansible-playbook` run "
                 "in brackets. `docker stack deploy`: the CLI process inside node1 (`docker exec`), the "
                 "`docker exec` round trip in brackets. Medians of %d runs; the bench stacks are removed between runs."
                 % args.runs)
    lines.append("")
    lines.append("| %d services | `dockyard.docker.stack` | `docker stack deploy -c FILE` |" % SERVICES)
    lines.append("|---|---|---|")
    lines.append("| first deploy, returning when converged | %s (`wait: true`, the default) | "
                 "%s s (the CLI, then polling until every service is 1/1) |"
                 % (cell("dy_first"), fmt(med["cli_running"])))
    lines.append("| one service alone, first deploy, returning when converged | %s (`wait: true`) | |"
                 % cell("one_first"))
    lines.append("| first deploy, returning at once | %s (`wait: false`; all 1/1 after %s s) | %s "
                 "(all 1/1 after %s s) |" % (cell("nw_first"), fmt(med["nw_running"]), cell("cli_first"),
                                             fmt(med["cli_running"])))
    lines.append("| **unchanged re-run** | **%s** (changed=false) | %s (sends every service's spec again: "
                 "a new version of each) |" % (cell("dy_rerun"), cell("cli_rerun")))
    if task["adopt"]:
        lines.append("| adopting the stack the CLI deployed | %s (%s) | |" % (
            cell("adopt"), "changed=false" if not adopt_changed else "**changed** in %d of %d runs"
            % (len(adopt_changed), len(task["adopt"]))))
    lines.append("")
    met = med["dy_rerun"] is not None and med["dy_rerun"] <= TARGET_SECONDS
    lines.append("Target: unchanged re-run of a %d-service stack <= %.0f s: measured %s s, %s." % (
        SERVICES, TARGET_SECONDS, fmt(med["dy_rerun"]), "met" if met else "**not met**"))
    if med["one_first"]:
        ratio = med["dy_first"] / med["one_first"]
        lines.append("Target: a first deploy of the %d services waits for them together, within %.1fx one service's own "
                     "first deploy: measured %s s / %s s = %.2fx, %s." % (
                         SERVICES, ONE_SERVICE_FACTOR, fmt(med["dy_first"]), fmt(med["one_first"]), ratio,
                         "met" if ratio <= ONE_SERVICE_FACTOR else "**not met**"))
    lines.append("")
    if split:
        st, sw, sc, sa = split["stack"]
        pt, pw, pc, pa = split["ping"]
        lines.append("Where the re-run's time goes (%d more runs of each, not in the table above: node1's interpreter "
                     "is a wrapper that records the module process's wall and CPU time; the rest of the task is the "
                     "controller's own work and the SSH round trip):" % args.runs)
        lines.append("")
        lines.append("| one task, medians | task | module process on node1, wall | its CPU | rest of the task: "
                     "controller + SSH | CPU of the whole `ansible-playbook` run (start-up included) |")
        lines.append("|---|---|---|---|---|---|")
        lines.append("| `dockyard.docker.stack`, unchanged | %s s | %s s | %s s | %s s | %s s |" % (
            fmt(st), fmt(sw), fmt(sc), fmt(st - sw), fmt(sa)))
        lines.append("| `ansible.builtin.ping` (Ansible's floor) | %s s | %s s | %s s | %s s | %s s |" % (
            fmt(pt), fmt(pw), fmt(pc), fmt(pt - pw), fmt(pa)))
        lines.append("")
    lines.append("All runs (seconds):")
    lines.append("")
    names = (("dy_first", "stack, first deploy (wait: true)"), ("dy_rerun", "stack, unchanged re-run"),
             ("one_first", "stack, one service alone, first deploy (wait: true)"),
             ("nw_first", "stack, first deploy (wait: false)"), ("nw_running", "stack (wait: false) until all 1/1"),
             ("cli_first", "CLI, first deploy"), ("cli_running", "CLI, first deploy until all 1/1"),
             ("cli_rerun", "CLI, unchanged re-run"), ("adopt", "stack, adopting the CLI's stack"))
    for key, name in names:
        if task[key]:
            lines.append("- %s: %s%s" % (name, ", ".join(fmt(x) for x in task[key]),
                                          (" (whole run: %s)" % ", ".join(fmt(x, 1) for x in wall[key]))
                                          if wall[key] else ""))
    if adopt_changed:
        lines.append("- adoption changes: %s" % "; ".join(json.dumps(a) for a in adopt_changed))
    lines.append("")
    return "\n".join(lines)


def write_section(path, text, section=SECTION):
    """Replace the section (from its heading to the next '## ' heading or the end), or append it at the end."""
    lines = []
    if os.path.exists(path):
        with open(path) as handle:
            lines = handle.read().splitlines()
    if section in lines:
        start = lines.index(section)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        rest = lines[end:]
        lines = lines[:start]
    else:
        rest = []
    while lines and not lines[-1].strip():
        lines.pop()
    new = lines + ([""] if lines else []) + text.rstrip("\n").splitlines() + ([""] + rest if rest else [])
    with open(path, "w") as handle:
        handle.write("\n".join(new) + "\n")


# ----------------------------------------------------------------------------- main


def ensure_collections():
    """.lab/collections/ansible_collections/dockyard/docker -> this tree, as `make collections` does."""
    parent = os.path.join(COLLECTIONS, "ansible_collections", "dockyard")
    link = os.path.join(parent, "docker")
    os.makedirs(parent, exist_ok=True)
    if os.path.realpath(link) != os.path.realpath(ROOT):
        if os.path.islink(link):
            os.unlink(link)
        os.symlink(ROOT, link)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (median; default 3)")
    parser.add_argument("--nodes", type=int, default=3, help="lab nodes: node1 manager, the others workers (default 3)")
    parser.add_argument("--lab", default="bench-stack", help="lab name for tools/lab.py (default bench-stack)")
    parser.add_argument("--no-adopt", dest="adopt", action="store_false",
                        help="skip (5): the stack module adopting the CLI's stack")
    parser.add_argument("--keep-lab", action="store_true", help="leave the lab running at the end (debugging)")
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"),
                        help="file whose '%s' section is written (default benchmarks/RESULTS.md)" % SECTION)
    args = parser.parse_args()
    if args.runs < 1 or args.nodes < 1:
        parser.error("--runs and --nodes must be >= 1")
    if run(["docker", "image", "inspect", IMAGE], check=False).returncode != 0:
        sys.exit("image %s is not on this engine: run `make images` first" % IMAGE)
    ensure_collections()
    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.time()
    sampler = LoadSampler()
    lab = Lab(args.lab, args.nodes)
    failed = False
    try:
        lab.up()
        lab.swarm()
        lab.prepare_manager(compose_file(), compose_file(1))
        versions = lab.versions()
        sampler.start()
        task, wall, adopt_changed, split = measure(args, lab)
        sampler.stop.set()
    except BenchError as exc:
        failed = True
        log("FAILED: %s" % exc)
    finally:
        sampler.stop.set()
        if args.keep_lab:
            log("lab %s left running (--keep-lab); remove it with `python3 tools/lab.py down --lab %s`"
                % (args.lab, args.lab))
        else:
            try:
                lab.down()
            except BenchError as exc:
                log("removing the lab failed: %s (python3 tools/lab.py down --lab %s)" % (exc, args.lab))
    if failed:
        sys.exit(1)
    versions["ansible-core"] = run([os.path.join(ROOT, ".venv", "bin", "python"), "-c",
                                    "import ansible; print(ansible.__version__)"], check=False).stdout.strip()
    versions["dockyard.docker commit"] = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                             check=False).stdout.strip()
    text = report(args, task, wall, adopt_changed, split, sampler.samples, versions, started, time.time() - t0)
    print()
    print(text)
    write_section(args.output, text)
    log("wrote the section to %s" % os.path.relpath(args.output, os.getcwd()))


if __name__ == "__main__":
    main()
