#!/usr/bin/env python3
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Side-by-side benchmark of managing N containers on this machine's own engine.

Run by ``make bench`` (see benchmarks/README.md).  On demand only: never a test.

Variants, all through ansible-playbook with the local connection (same ansible-core):
  (a) dockyard.docker.container in a loop of N
  (b) dockyard.docker.containers once with N items
  (c) community.docker.docker_container in a loop of N (from the `ansible` PyPI package,
      installed only for this benchmark in .lab/bench-venv)
  (d) ansible.builtin.ping in a loop of N (Ansible's own per-task floor)
  (e) N container inspects straight over the engine socket (the API floor)
Measured: first converge, no-op re-run (medians of --runs), removal of N containers whose
process ignores SIGTERM with stop_timeout 10 (--removal-runs), and the peak RSS of one
module process (an extra, untimed no-op run through an interpreter wrapper).
"""

from __future__ import absolute_import, division, print_function

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time

import docker

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
VENV_PY = os.path.join(ROOT, ".venv", "bin", "python")
VENV_PLAYBOOK = os.path.join(ROOT, ".venv", "bin", "ansible-playbook")
BENCH_VENV = os.path.join(ROOT, ".lab", "bench-venv")
BENCH_PY = os.path.join(BENCH_VENV, "bin", "python")
BENCH_PLAYBOOK = os.path.join(BENCH_VENV, "bin", "ansible-playbook")
# The `ansible` community package that brings community.docker (4.8.5 in 12.3.0); needs Python >= 3.11.
ANSIBLE_PACKAGE = "ansible==12.3.0"
# community.docker's modules talk to the engine through `requests` (which the SDK brings).
BENCH_EXTRA = ["docker==7.1.0"]
IMAGE = "dockyard-lab/app:latest"
PREFIX = "bench-"
OWNER_LABEL = "io.dockyard.managed"

VARIANTS = {
    "a": "dockyard.docker.container loop",
    "b": "dockyard.docker.containers (bulk)",
    "c": "community.docker.docker_container loop",
    "d": "ansible.builtin.ping loop",
    "e": "raw API: N inspects",
}


def log(msg):
    print("[bench %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


# ----------------------------------------------------------------------------- set-up


def ensure_bench_venv():
    stamp = os.path.join(BENCH_VENV, ".stamp-" + ANSIBLE_PACKAGE.replace("==", "-"))
    if os.path.exists(stamp) and os.path.exists(BENCH_PLAYBOOK):
        return
    log("installing %s (+ %s) into %s for community.docker (~550 MB, once)"
        % (ANSIBLE_PACKAGE, " ".join(BENCH_EXTRA), os.path.relpath(BENCH_VENV, ROOT)))
    subprocess.check_call([sys.executable if sys.prefix == sys.base_prefix else "python3", "-m", "venv", BENCH_VENV])
    subprocess.check_call([os.path.join(BENCH_VENV, "bin", "pip"), "install", "-q", "--disable-pip-version-check",
                           ANSIBLE_PACKAGE] + BENCH_EXTRA)
    open(stamp, "w").close()


def container_item(i, ignore_term=False, options=20):
    """One container with 20 options that both collections take under the same names and meanings.

    ``options=4``: name, image, command and restart policy only (the items of the results before 2026-11-30).
    """
    command = ["app-server", "--ignore-term"] if ignore_term else ["app-server"]
    if options == 4:
        return dict(name="%s%03d" % (PREFIX, i), image=IMAGE, command=command, restart_policy="unless-stopped")
    return dict(
        name="%s%03d" % (PREFIX, i), image=IMAGE, command=command, restart_policy="unless-stopped",
        env={"APP_MODE": "bench", "INDEX": str(i)}, labels={"bench": "true", "tier": "web"},
        hostname="bench%03d" % i, working_dir="/tmp", user="root", memory="64m", memory_reservation="32m",
        cpu_shares=512, pids_limit=100, shm_size="32m", ulimits=["nofile:1024:2048"],
        dns_servers=["192.0.2.53"], etc_hosts={"db.bench.test": "192.0.2.10"}, stop_signal="SIGTERM",
        security_opts=["no-new-privileges"], cap_drop=["MKNOD"], init=True, log_driver="json-file",
        log_options={"max-size": "1m"},
    )


def _task_args(keys, indent="        "):
    """``key: "{{ item.key }}"`` lines for every option of the bench items (one task per container)."""
    return "".join('%s%s: "{{ item.%s }}"\n' % (indent, key, key) for key in keys)


def write_files(args):
    os.makedirs(os.path.join(OUT, "logs"), exist_ok=True)
    items = [container_item(i, options=args.options) for i in range(args.n)]
    keys = list(items[0])
    with open(os.path.join(OUT, "items.json"), "w") as handle:
        json.dump(dict(bench_items=items, bench_names=[it["name"] for it in items],
                       bench_remove_items=[dict(name=it["name"], state="absent", stop_timeout=10) for it in items],
                       bench_parallelism=args.parallelism), handle)
    head = "- name: bench\n  hosts: localhost\n  gather_facts: false\n  tasks:\n"
    books = {
        # (a) one container per task
        "a-converge": head + (
            "    - name: a\n      dockyard.docker.container:\n" + _task_args(keys)
            + "      loop: \"{{ bench_items }}\"\n"),
        "a-remove": head + (
            "    - name: a\n      dockyard.docker.container:\n        name: \"{{ item }}\"\n"
            "        state: absent\n        stop_timeout: 10\n      loop: \"{{ bench_names }}\"\n"),
        # (b) all containers in one task
        "b-converge": head + (
            "    - name: b\n      dockyard.docker.containers:\n        containers: \"{{ bench_items }}\"\n"
            "        parallelism: \"{{ bench_parallelism }}\"\n"),
        "b-remove": head + (
            "    - name: b\n      dockyard.docker.containers:\n"
            "        containers: \"{{ bench_remove_items }}\"\n"
            "        parallelism: \"{{ bench_parallelism }}\"\n"),
        # (c) community.docker, one container per task
        "c-converge": head + (
            "    - name: c\n      community.docker.docker_container:\n" + _task_args(keys)
            + "        state: started\n      loop: \"{{ bench_items }}\"\n"),
        "c-remove": head + (
            "    - name: c\n      community.docker.docker_container:\n        name: \"{{ item }}\"\n"
            "        state: absent\n        stop_timeout: 10\n      loop: \"{{ bench_names }}\"\n"),
        # (d) Ansible's own floor
        "d-converge": head + (
            "    - name: d\n      ansible.builtin.ping:\n      loop: \"{{ bench_names }}\"\n"),
    }
    for name, text in books.items():
        with open(os.path.join(OUT, name + ".yml"), "w") as handle:
            handle.write(text)


def write_wrapper(real_python, path, rss_file):
    """An interpreter that runs the real one and appends the child's peak RSS (KiB) to rss_file."""
    with open(path, "w") as handle:
        handle.write(
            "#!%s\nimport os, sys\npid = os.fork()\nif pid == 0:\n"
            "    os.execv(%r, [%r] + sys.argv[1:])\n"
            "_pid, status, usage = os.wait4(pid, 0)\n"
            "with open(%r, 'a') as out:\n    out.write('%%d\\n' %% usage.ru_maxrss)\n"
            "sys.exit(os.waitstatus_to_exitcode(status))\n" % (real_python, real_python, real_python, rss_file))
    os.chmod(path, 0o755)


# ----------------------------------------------------------------------------- engine helpers


def bench_containers(api):
    found = api.containers(all=True, filters={"name": "^/" + PREFIX})
    out = []
    for summary in found:
        names = [n.lstrip("/") for n in summary.get("Names") or []]
        if any(n.startswith(PREFIX) for n in names):
            out.append(summary["Id"])
    return out


def parallel(func, items, width=16):
    items = list(items)
    errors = []
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not items:
                    return
                item = items.pop()
            try:
                func(item)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append((item, exc))

    threads = [threading.Thread(target=worker) for _i in range(width)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def cleanup(api):
    """Force-remove every bench-* container (SIGKILL, no waiting)."""
    ids = bench_containers(api)
    if ids:
        errors = parallel(lambda cid: docker.APIClient(version=api.api_version).remove_container(
            cid, force=True, v=True), ids)
        if errors:
            raise RuntimeError("could not remove bench containers: %s" % errors[:3])
    if bench_containers(api):
        raise RuntimeError("bench containers left after cleanup")


def create_sigterm_ignorers(api, n):
    """N running containers whose process ignores SIGTERM, with stop timeout 10 (made directly, untimed)."""

    def make(i):
        client = docker.APIClient(version=api.api_version)
        item = container_item(i, ignore_term=True)
        config = dict(Image=IMAGE, Cmd=item["command"], StopTimeout=10, Labels={OWNER_LABEL: "true"},
                      HostConfig=dict(RestartPolicy=dict(Name="unless-stopped")))
        created = client.create_container_from_config(config, name=item["name"])
        client.start(created["Id"])

    errors = parallel(make, range(n), width=8)
    if errors:
        raise RuntimeError("could not create the SIGTERM-ignoring containers: %s" % errors[:3])


def raw_floor(api, n):
    names = ["%s%03d" % (PREFIX, i) for i in range(n)]
    start = time.perf_counter()
    for name in names:
        api.inspect_container(name)
    return time.perf_counter() - start


# ----------------------------------------------------------------------------- running playbooks


class Runner(object):
    def __init__(self, args):
        self.args = args
        self.counter = 0

    def play(self, book, variant, label, interpreter=None, expect_changed=None):
        """Run one benchmark playbook; return (task seconds, wall seconds, record)."""
        self.counter += 1
        playbook = BENCH_PLAYBOOK if variant == "c" else VENV_PLAYBOOK
        python = interpreter or (BENCH_PY if variant == "c" else VENV_PY)
        timer = os.path.join(OUT, "logs", "%03d-%s.json" % (self.counter, label))
        logfile = os.path.join(OUT, "logs", "%03d-%s.log" % (self.counter, label))
        if os.path.exists(timer):
            os.unlink(timer)
        env = dict(os.environ)
        env.update(
            ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
            ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback_plugins"),
            ANSIBLE_CALLBACKS_ENABLED="bench_timer",
            ANSIBLE_FORCE_COLOR="0",
            BENCH_TIMER_OUT=timer,
        )
        cmd = [playbook, "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=%s" % python,
               "-e", "@" + os.path.join(OUT, "items.json"),
               os.path.join(OUT, book + ".yml")]
        start = time.perf_counter()
        with open(logfile, "w") as handle:
            rc = subprocess.call(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - start
        records = []
        if os.path.exists(timer):
            with open(timer) as handle:
                records = [json.loads(line) for line in handle if line.strip()]
        if rc != 0 or len(records) != 1 or records[0]["failed"]:
            raise RuntimeError("%s failed (rc %s), see %s" % (label, rc, logfile))
        record = records[0]
        if expect_changed is not None and record["changed"] != expect_changed:
            raise RuntimeError("%s: %d of %d items changed, expected %d (see %s)"
                               % (label, record["changed"], record["items"], expect_changed, logfile))
        log("%-12s %7.2f s task, %7.2f s playbook, %d/%d changed"
            % (label, record["seconds"], wall, record["changed"], record["items"]))
        return record["seconds"], wall


def median(values):
    return statistics.median(values) if values else None


def run(args):
    api = docker.APIClient(version="auto")
    try:
        api.inspect_image(IMAGE)
    except docker.errors.NotFound:
        sys.exit("image %s is not on this engine: run `make images` first" % IMAGE)
    if "c" in args.variants:
        ensure_bench_venv()
    write_files(args)
    runner = Runner(args)
    n = args.n
    task = dict((k, dict(converge=[], noop=[], remove=[])) for k in "abcd")
    wall = dict((k, dict(converge=[], noop=[], remove=[])) for k in "abcd")
    floor = []
    cleanup(api)
    for r in range(args.runs):
        log("run %d of %d" % (r + 1, args.runs))
        for v in "abc":
            if v not in args.variants:
                continue
            cleanup(api)
            t, w = runner.play(v + "-converge", v, "%s-first-r%d" % (v, r), expect_changed=n)
            task[v]["converge"].append(t)
            wall[v]["converge"].append(w)
            t, w = runner.play(v + "-converge", v, "%s-noop-r%d" % (v, r), expect_changed=0)
            task[v]["noop"].append(t)
            wall[v]["noop"].append(w)
            if v == "b" and "e" in args.variants:
                floor.append(raw_floor(api, n))
                log("%-12s %7.4f s" % ("e-inspects", floor[-1]))
        if "d" in args.variants:
            t, w = runner.play("d-converge", "d", "d-ping-r%d" % r)
            task["d"]["converge"].append(t)
            wall["d"]["converge"].append(w)
        cleanup(api)
    if args.removal_runs:
        for r in range(args.removal_runs):
            for v in "bac":
                if v not in args.variants or v not in args.removal_variants:
                    continue
                cleanup(api)
                create_sigterm_ignorers(api, n)
                t, w = runner.play(v + "-remove", v, "%s-remove-r%d" % (v, r), expect_changed=n)
                task[v]["remove"].append(t)
                wall[v]["remove"].append(w)
                if bench_containers(api):
                    raise RuntimeError("%s-remove left containers behind" % v)
        cleanup(api)
    rss = {}
    if args.memory:
        rss = measure_memory(api, runner, args)
        cleanup(api)
    return task, wall, floor, rss


def measure_memory(api, runner, args):
    """Peak RSS (MiB) of the module processes during one no-op run per variant (untimed)."""
    out = {}
    for v in "abcd":
        if v not in args.variants:
            continue
        cleanup(api)
        real = BENCH_PY if v == "c" else VENV_PY
        rss_file = os.path.join(OUT, "rss-%s.txt" % v)
        wrapper = os.path.join(OUT, "python-rss-%s" % v)
        write_wrapper(real, wrapper, rss_file)
        if v != "d":
            runner.play(v + "-converge", v, "%s-mem-setup" % v)
        if os.path.exists(rss_file):
            os.unlink(rss_file)
        runner.play(v + "-converge", v, "%s-mem" % v, interpreter=wrapper)
        with open(rss_file) as handle:
            values = [int(line) for line in handle if line.strip()]
        out[v] = (median(values) / 1024.0, max(values) / 1024.0, len(values))
        log("%-12s module RSS median %.1f MiB, max %.1f MiB over %d processes" % (("%s-mem" % v,) + out[v]))
    return out


# ----------------------------------------------------------------------------- report


def versions():
    def cmd(args):
        try:
            return subprocess.check_output(args, stderr=subprocess.STDOUT, text=True).strip()
        except Exception:  # noqa: BLE001
            return "?"

    info = {}
    info["ansible-core (dockyard, ping)"] = cmd([VENV_PY, "-c", "import ansible; print(ansible.__version__)"])
    info["ansible-core (community.docker)"] = cmd([BENCH_PY, "-c", "import ansible; print(ansible.__version__)"])
    info["community.docker"] = cmd([
        BENCH_PY, "-c",
        "import json, os, ansible_collections.community.docker as m; "
        "print(json.load(open(os.path.join(list(m.__path__)[0], 'MANIFEST.json')))"
        "['collection_info']['version'])"])
    info["docker SDK (dockyard)"] = docker.__version__
    info["ansible package"] = ANSIBLE_PACKAGE.split("==")[1]
    try:
        version = docker.APIClient(version="auto").version()
        info["Docker engine"] = "%s (API %s)" % (version.get("Version"), version.get("ApiVersion"))
    except Exception:  # noqa: BLE001
        info["Docker engine"] = "?"
    info["Python"] = platform.python_version()
    info["dockyard.docker commit"] = cmd(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    return info


def machine():
    mem = "?"
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    mem = "%.1f GiB" % (int(line.split()[1]) / 1024.0 / 1024.0)
    except OSError:
        pass
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()
    return "%s CPUs (nproc; %s), %s RAM, kernel %s, load average at the end %.2f/%.2f/%.2f" % (
        os.cpu_count(), cpu, mem, platform.release(), load[0], load[1], load[2])


def fmt(value, digits=2):
    if value is None:
        return "n/a"
    return ("%%.%df" % digits) % value


def report(args, task, wall, floor, rss, started):
    n = args.n
    med = dict((v, dict((k, median(vals)) for k, vals in task[v].items())) for v in task)
    medw = dict((v, dict((k, median(vals)) for k, vals in wall[v].items())) for v in wall)
    lines = []
    lines.append("# Benchmark results")
    lines.append("")
    lines.append("Generated by `make bench` (`benchmarks/run.py --n %d --runs %d --removal-runs %d "
                 "--removal-variants %s --parallelism %d%s`)."
                 % (n, args.runs, args.removal_runs, args.removal_variants, args.parallelism,
                    "" if args.options == 20 else " --options %d" % args.options))
    lines.append("")
    lines.append("- Date: %s UTC (took %.0f s)" % (started.strftime("%Y-%m-%d %H:%M"), time.time() - started.timestamp()))
    lines.append("- Machine: %s" % machine())
    for key, value in versions().items():
        lines.append("- %s: %s" % (key, value))
    if args.options == 4:
        what = "4 options each (name, image, command, restart policy: `container_item(options=4)` in run.py)"
    else:
        what = ("20 options each (command, restart policy, env, labels, limits, ulimits, DNS, hosts, security "
                "options, logging: `container_item` in run.py)")
    lines.append("- Engine: this machine's own, local connection, image `%s` present; %d containers `bench-NNN` "
                 "with %s." % (IMAGE, n, what))
    lines.append("- Seconds are the task's own duration (from task start to its result, median of %d runs); "
                 "the whole `ansible-playbook` run adds ~1-2 s of start-up, shown in brackets." % args.runs)
    lines.append("- The bulk module ran with `parallelism: %d`." % args.parallelism)
    lines.append("")
    lines.append("| N = %d | (a) dockyard `container` loop | (b) dockyard `containers` | "
                 "(c) community.docker `docker_container` loop | (d) `ping` loop | (e) raw API (N inspects) |" % n)
    lines.append("|---|---|---|---|---|---|")

    def cell(v, key):
        if v not in args.variants or med[v][key] is None:
            return "n/a"
        return "%s s (%s)" % (fmt(med[v][key]), fmt(medw[v][key], 1))

    lines.append("| first converge | %s | %s | %s | %s | |" % (cell("a", "converge"), cell("b", "converge"),
                                                             cell("c", "converge"), cell("d", "converge")))
    lines.append("| no-op re-run | %s | %s | %s | %s | %s |" % (
        cell("a", "noop"), cell("b", "noop"), cell("c", "noop"), cell("d", "converge"),
        ("%s s" % fmt(median(floor), 4)) if floor else "n/a"))
    lines.append("| removal, SIGTERM ignored, stop_timeout 10 (%d run%s) | %s | %s | %s | | |" % (
        args.removal_runs, "" if args.removal_runs == 1 else "s",
        cell("a", "remove"), cell("b", "remove"), cell("c", "remove")))
    if rss:
        def mem(v):
            if v not in rss:
                return "n/a"
            return "%.0f MiB (max %.0f)" % (rss[v][0], rss[v][1])
        lines.append("| peak RSS of one module process | %s | %s | %s | %s | |" % (mem("a"), mem("b"), mem("c"), mem("d")))
    lines.append("")
    lines.append("Per container (no-op): " + ", ".join(
        "(%s) %s ms" % (v, fmt(1000.0 * med[v]["noop"] / n, 0)) for v in "abc"
        if v in args.variants and med[v]["noop"] is not None) + (
        ", (d) %s ms" % fmt(1000.0 * med["d"]["converge"] / n, 0) if med["d"]["converge"] else "") + ".")
    lines.append("")

    def ratio(x, y):
        return None if x is None or y is None or not y else x / y

    c = med["c"]
    targets = [
        ("no-op re-run, one task per container: (a) / (c)", ratio(med["a"]["noop"], c["noop"]), "<= 0.60", 0.60, False),
        ("no-op re-run, bulk: (b) / (c)", ratio(med["b"]["noop"], c["noop"]), "<= 0.05", 0.05, False),
        ("removal of N SIGTERM-ignoring containers, bulk (b), seconds", med["b"]["remove"], "<= 20 s", 20.0, True),
        ("first converge, bulk: (b) / (c)", ratio(med["b"]["converge"], c["converge"]), "<= 0.30", 0.30, False),
    ]
    lines.append("| target | measured | goal | met |")
    lines.append("|---|---|---|---|")
    for label, value, goal, limit, seconds in targets:
        shown = "n/a" if value is None else (("%.1f s" % value) if seconds else ("%.3f" % value))
        met = "n/a" if value is None else ("yes" if value <= limit else "**no**")
        lines.append("| %s | %s | %s | %s |" % (label, shown, goal, met))
    lines.append("")
    other = []
    if med["a"]["converge"] and c["converge"]:
        other.append("first converge (a)/(c) = %.2f" % (med["a"]["converge"] / c["converge"]))
    if med["a"]["remove"] and c["remove"]:
        other.append("removal (a)/(c) = %.2f, (b)/(c) = %.3f" % (
            med["a"]["remove"] / c["remove"], (med["b"]["remove"] or 0) / c["remove"]))
    if med["a"]["noop"] and med["d"]["converge"]:
        other.append("no-op (a)/(d) = %.2f (how close one task per container is to Ansible's own floor)"
                     % (med["a"]["noop"] / med["d"]["converge"]))
    if other:
        lines.append("Other ratios: " + "; ".join(other) + ".")
        lines.append("")
    lines.append("All runs (task seconds):")
    lines.append("")
    for v in "abcd":
        for key in ("converge", "noop", "remove"):
            if task[v][key]:
                lines.append("- (%s) %s %s: %s" % (v, VARIANTS[v], key, ", ".join(fmt(x) for x in task[v][key])))
    if floor:
        lines.append("- (e) %s: %s" % (VARIANTS["e"], ", ".join(fmt(x, 4) for x in floor)))
    lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50, help="containers per run (default 50)")
    parser.add_argument("--runs", type=int, default=3, help="runs of converge/no-op per variant (median; default 3)")
    parser.add_argument("--removal-runs", type=int, default=1,
                        help="runs of the SIGTERM-ignoring removal (each loop variant waits ~10 s per container; "
                             "default 1, 0 skips it)")
    parser.add_argument("--removal-variants", default="abc",
                        help="variants whose removal is measured (default abc; the loops take ~9 minutes each at N=50)")
    parser.add_argument("--parallelism", type=int, default=None,
                        help="parallelism of the bulk module (default: the module's own default, 10)")
    parser.add_argument("--variants", default="abcde", help="subset of abcde to run (default all)")
    parser.add_argument("--options", type=int, choices=(4, 20), default=20,
                        help="options per container: 20 (default) or 4 (name, image, command, restart policy)")
    parser.add_argument("--no-memory", dest="memory", action="store_false", help="skip the RSS measurement")
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"),
                        help="where to write the table (default benchmarks/RESULTS.md)")
    args = parser.parse_args()
    if args.n < 1 or args.runs < 1 or args.removal_runs < 0:
        parser.error("--n and --runs must be >= 1, --removal-runs >= 0")
    if args.parallelism is None:
        args.parallelism = 10
    if set(args.variants) - set("abcde"):
        parser.error("--variants takes letters from abcde")
    started = datetime.datetime.now(datetime.timezone.utc)
    api = docker.APIClient(version="auto")
    try:
        task, wall, floor, rss = run(args)
    finally:
        try:
            cleanup(api)
        except Exception as exc:  # noqa: BLE001
            log("cleanup failed: %s (remove bench-* containers by hand)" % exc)
    text = report(args, task, wall, floor, rss, started)
    print()
    print(text)
    with open(args.output, "w") as handle:
        handle.write(text)
    log("wrote %s" % os.path.relpath(args.output, os.getcwd()))


if __name__ == "__main__":
    main()
