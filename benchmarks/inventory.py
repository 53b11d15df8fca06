#!/usr/bin/env python3
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: `ansible-inventory --list` over N containers, dockyard.docker.containers next to
community.docker.docker_containers, in the same run. On demand only (``make bench-inventory``): never a test.

Creates N containers ``bench-inv-NNN`` (image ``dockyard-lab/app:latest``, started, labels
``bench-inv=true`` and ``tier=<web|db>``) on this machine's engine, then alternates, --runs times:

  (a) dockyard.docker.containers (this tree's .venv)
  (b) dockyard.docker.containers with Ansible's inventory cache warm (jsonfile; the engine is not read)
  (c) community.docker.docker_containers (from the `ansible` PyPI package in .lab/bench-venv, as run.py installs it)
  (d) Ansible's floor: `ansible-inventory -i localhost, --list` in each venv

Both plugins get the same job: the engine's unix socket, a filter keeping the label ``bench-inv=true``,
a keyed group on ``tier``, connection variables for their own docker API connection plugin. Every run's
output must list exactly the N containers (else the benchmark fails). The section
"## Inventory plugin (benchmarks/inventory.py)" of benchmarks/RESULTS.md is added or replaced.
The containers are removed at the end, also on failure. ``make bench-inventory`` runs it under the lab
lock (``/tmp/dockyard-molecule.lock``), as everything that starts containers on the shared engine must.
"""

from __future__ import absolute_import, division, print_function

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

import docker

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import BENCH_VENV, ensure_bench_venv, machine  # noqa: E402  (one bench venv, one machine description)
from stack import write_section  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out", "inventory")
COLLECTIONS = os.path.join(ROOT, ".lab", "collections")
OUR_INVENTORY = os.path.join(ROOT, ".venv", "bin", "ansible-inventory")
THEIR_INVENTORY = os.path.join(BENCH_VENV, "bin", "ansible-inventory")
IMAGE = "dockyard-lab/app:latest"
PREFIX = "bench-inv-"
LABEL = "bench-inv"
SECTION = "## Inventory plugin (benchmarks/inventory.py)"
# community.docker's verbose_output sets docker_name to the inspect Name, with its leading "/"
FILTERS = [{"include": "docker_name.lstrip('/').startswith('%s')" % PREFIX}, {"exclude": True}]


def log(msg):
    print("[bench-inventory %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def configs():
    """The inventory configuration files of each variant (JSON is YAML)."""
    os.makedirs(OUT, exist_ok=True)
    cache_dir = os.path.join(OUT, "cache")
    shutil.rmtree(cache_dir, ignore_errors=True)
    ours = {"plugin": "dockyard.docker.containers", "docker_host": "unix:///var/run/docker.sock",
            "filters": FILTERS, "keyed_groups": [{"key": "docker_labels.tier", "prefix": "tier"}]}
    cached = dict(ours, cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=cache_dir,
                  cache_timeout=3600)
    theirs = {"plugin": "community.docker.docker_containers", "docker_host": "unix:///var/run/docker.sock",
              "connection_type": "docker-api", "filters": FILTERS,
              "keyed_groups": [{"key": "docker_config.Labels.tier", "prefix": "tier"}], "verbose_output": True}
    paths = {}
    for name, config in (("a", ours), ("b", cached), ("c", theirs)):
        suffix = "docker.yml" if name == "c" else "containers.yml"
        paths[name] = os.path.join(OUT, "%s.%s" % (name, suffix))
        with open(paths[name], "w") as handle:
            json.dump(config, handle)
    return paths


def timed(argv, env):
    start = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(argv), proc.stderr[-3000:]))
    return elapsed, proc.stdout


def hosts_listed(stdout):
    return sorted((json.loads(stdout).get("_meta") or {}).get("hostvars") or {})


def start_containers(api, n):
    for i in range(n):
        name = "%s%03d" % (PREFIX, i)
        api.create_container(IMAGE, command=["app-server"], name=name,
                             labels={LABEL: "true", "tier": "web" if i % 2 else "db"},
                             host_config=api.create_host_config(network_mode="bridge"))
        api.start(name)


def remove_containers(api):
    for summary in api.containers(all=True, filters={"label": LABEL}):
        api.remove_container(summary["Id"], force=True)


def measure(args):
    env_ours = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="1")
    env_theirs = dict(os.environ, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="1")
    env_theirs.pop("ANSIBLE_COLLECTIONS_PATH", None)
    paths = configs()
    expected = sorted("%s%03d" % (PREFIX, i) for i in range(args.n))
    times = dict(a=[], b=[], c=[], floor_ours=[], floor_theirs=[])
    # the cache is filled once, untimed; (b) then reads it
    timed([OUR_INVENTORY, "-i", paths["b"], "--list"], env_ours)
    for run in range(args.runs):
        log("run %d of %d" % (run + 1, args.runs))
        for key, argv, env in (
                ("a", [OUR_INVENTORY, "-i", paths["a"], "--list"], env_ours),
                ("b", [OUR_INVENTORY, "-i", paths["b"], "--list"], env_ours),
                ("c", [THEIR_INVENTORY, "-i", paths["c"], "--list"], env_theirs),
                ("floor_ours", [OUR_INVENTORY, "-i", "localhost,", "--list"], env_ours),
                ("floor_theirs", [THEIR_INVENTORY, "-i", "localhost,", "--list"], env_theirs)):
            elapsed, stdout = timed(argv, env)
            if key in "abc" and hosts_listed(stdout) != expected:
                raise RuntimeError("variant %s listed %d hosts, not the %d containers" %
                                   (key, len(hosts_listed(stdout)), args.n))
            times[key].append(elapsed)
    return times


def version_of(python, expr):
    try:
        return subprocess.check_output([python, "-c", expr], text=True, stderr=subprocess.STDOUT).strip()
    except Exception:  # noqa: BLE001
        return "?"


def report(args, times, started, took):
    med = dict((key, statistics.median(values)) for key, values in times.items())
    bench_py = os.path.join(BENCH_VENV, "bin", "python")
    ours_py = os.path.join(ROOT, ".venv", "bin", "python")
    community = version_of(bench_py, "import json, os, ansible_collections.community.docker as m; "
                                     "print(json.load(open(os.path.join(list(m.__path__)[0], 'MANIFEST.json')))"
                                     "['collection_info']['version'])")
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    lines = [
        SECTION, "",
        "Generated by `benchmarks/inventory.py --n %d --runs %d`: `ansible-inventory --list` over %d running "
        "containers on this machine's engine (unix socket), each plugin keeping them with a `filters` include, a "
        "keyed group on a label and its docker API connection variables; wall time of the whole command, medians."
        % (args.n, args.runs, args.n), "",
        "- Date: %s (took %d s, container start-up and removal included)" % (started.strftime("%Y-%m-%d %H:%M UTC"),
                                                                             took),
        "- Machine: %s" % machine(),
        "- ansible-core: %s (dockyard.docker), %s (community.docker %s from the `ansible` package)" % (
            version_of(ours_py, "import ansible; print(ansible.__version__)"),
            version_of(bench_py, "import ansible; print(ansible.__version__)"), community),
        "- docker SDK: %s (dockyard.docker), %s (community.docker's venv; its plugin uses its own client on "
        "`requests`)" % (docker.__version__, version_of(bench_py, "import docker; print(docker.__version__)")),
        "- dockyard.docker commit: %s" % commit, "",
        "| %d containers | `ansible-inventory --list` | minus Ansible's floor (`-i localhost,` in the same venv) |"
        % args.n,
        "|---|---|---|",
        "| `dockyard.docker.containers` | %.2f s | %.2f s |" % (med["a"], med["a"] - med["floor_ours"]),
        "| `dockyard.docker.containers`, inventory cache warm | %.2f s | %.2f s |" % (
            med["b"], med["b"] - med["floor_ours"]),
        "| `community.docker.docker_containers` | %.2f s | %.2f s |" % (med["c"], med["c"] - med["floor_theirs"]),
        "| floor: `ansible-inventory -i localhost, --list` | %.2f s (dockyard venv), %.2f s (community venv) | |" % (
            med["floor_ours"], med["floor_theirs"]),
        "",
        "All runs (seconds):", "",
    ]
    for key, label in (("a", "dockyard.docker.containers"), ("b", "dockyard.docker.containers, cache warm"),
                       ("c", "community.docker.docker_containers"), ("floor_ours", "floor, dockyard venv"),
                       ("floor_theirs", "floor, community venv")):
        lines.append("- %s: %s" % (label, ", ".join("%.2f" % value for value in times[key])))
    lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50, help="containers (default 50)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each variant (median; default 5)")
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"),
                        help="file whose '%s' section is written (default benchmarks/RESULTS.md)" % SECTION)
    args = parser.parse_args()
    if args.n < 1 or args.runs < 1:
        parser.error("--n and --runs must be >= 1")
    api = docker.APIClient(version="auto")
    try:
        api.inspect_image(IMAGE)
    except docker.errors.NotFound:
        sys.exit("image %s is not on this engine: run `make images` first" % IMAGE)
    ensure_bench_venv()
    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.time()
    remove_containers(api)
    try:
        log("starting %d containers" % args.n)
        start_containers(api, args.n)
        times = measure(args)
    finally:
        log("removing the containers")
        remove_containers(api)
    text = report(args, times, started, time.time() - t0)
    print(text)
    write_section(args.output, text, SECTION)
    log("wrote the section to %s" % os.path.relpath(args.output, ROOT))


if __name__ == "__main__":
    main()
