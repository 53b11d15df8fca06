#!/usr/bin/env python3
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throughput of a shared volume (shared_storage role, GlusterFS replica) against a node-local volume.

Runs on a lab whose nodes already have the shared storage (the `storage` scenario's lab, kept with
`molecule converge -s storage`, or `make lab LAB_STORAGE=1`). In a container of the lab's app image on one node:

* sequential write: `dd` of --size-mb MiB, flushed (conv=fdatasync);
* sequential read: the same file read back on *another* node (shared: nothing of it in that node's page cache;
  local: read on the same node with O_DIRECT, so neither side reads from a cache);
* small files: --files files of 4 KiB written one by one, each flushed (what a database's journal feels).

Prints a Markdown table; --results appends it to benchmarks/RESULTS.md with the date and the machine.
Run it under the lab lock: `flock /tmp/dockyard-molecule.lock python3 benchmarks/storage.py --lab m-storage`.
"""

import argparse
import datetime
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGE = "dockyard-lab/app:latest"
SMALL_FILES = ('i=0; while [ $i -lt {n} ]; do head -c 4096 /dev/zero > /data/bench-small/f$i && sync /data/bench-small/f$i; '
               'i=$((i+1)); done')


def node(lab, host):
    return "dlab-%s-%s" % (lab, host)


def in_container(lab, host, volume, script):
    """Seconds one `docker run` of ``script`` with ``volume`` at /data took on ``host`` (the script only)."""
    wrapped = 's=$(date +%%s.%%N); %s; e=$(date +%%s.%%N); echo "$s $e"' % script
    proc = subprocess.run(["docker", "exec", node(lab, host), "docker", "run", "--rm", "-v", "%s:/data" % volume,
                           IMAGE, "sh", "-c", wrapped], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit("benchmark step failed on %s (%s): %s" % (host, volume, proc.stderr.strip()[-500:]))
    start, end = (float(x) for x in proc.stdout.split()[-2:])
    return end - start


def measure(lab, volume, writer, reader, size_mb, files, direct_read):
    in_container(lab, writer, volume, "rm -rf /data/bench-big /data/bench-small; mkdir -p /data/bench-small")
    write = in_container(lab, writer, volume,
                         "dd if=/dev/zero of=/data/bench-big bs=1M count=%d conv=fdatasync 2>/dev/null" % size_mb)
    flag = " iflag=direct" if direct_read else ""
    read = in_container(lab, reader, volume, "dd if=/data/bench-big of=/dev/null bs=1M%s 2>/dev/null" % flag)
    small = in_container(lab, writer, volume, SMALL_FILES.format(n=files))
    in_container(lab, writer, volume, "rm -rf /data/bench-big /data/bench-small")
    return size_mb / write, size_mb / read, files / small


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lab", default="m-storage")
    parser.add_argument("--writer", default=None, help="node that writes (default <first node>)")
    parser.add_argument("--reader", default=None, help="node that reads the shared file back (default the second)")
    parser.add_argument("--shared-volume", default="shared-data")
    parser.add_argument("--size-mb", type=int, default=256)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--results", action="store_true", help="append the table to benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    hosts = subprocess.run(["docker", "ps", "--filter", "label=io.dockyard.lab=%s" % args.lab, "--format",
                            '{{.Label "io.dockyard.lab.host"}}'], capture_output=True, text=True,
                           check=True).stdout.split()
    hosts = sorted(h for h in hosts if not h.endswith("-registry"))
    if len(hosts) < 2:
        sys.exit("lab %r needs two running nodes with the shared storage (found %s)" % (args.lab, hosts))
    writer = args.writer or hosts[0]
    reader = args.reader or hosts[1]
    local = "bench-local"
    subprocess.run(["docker", "exec", node(args.lab, writer), "docker", "volume", "create", local],
                   capture_output=True, check=True)
    rows = {"shared": [], "local": []}
    for _ in range(args.runs):
        rows["shared"].append(measure(args.lab, args.shared_volume, writer, reader, args.size_mb, args.files, False))
        rows["local"].append(measure(args.lab, local, writer, writer, args.size_mb, args.files, True))
    subprocess.run(["docker", "exec", node(args.lab, writer), "docker", "volume", "rm", local], capture_output=True,
                   check=False)

    def median(values):
        values = sorted(values)
        return values[len(values) // 2]

    table = ["| volume | sequential write (MiB/s) | sequential read (MiB/s) | 4 KiB files written + flushed (/s) |",
             "|---|---|---|---|"]
    for kind, label in (("shared", "shared (GlusterFS replica 3, FUSE)"), ("local", "node-local (overlay host fs)")):
        w, r, f = (median([run[i] for run in rows[kind]]) for i in range(3))
        table.append("| %s | %.0f | %.0f | %.0f |" % (label, w, r, f))
    text = "\n".join(table)
    print(text)
    if args.results:
        load = open("/proc/loadavg").read().split()[0]
        with open(os.path.join(ROOT, "benchmarks", "RESULTS.md"), "a") as fh:
            fh.write("\n## Shared volume vs node-local volume (benchmarks/storage.py), %s\n\n"
                     "%d CPUs, 1-min load %s at the start; lab %s, writer %s, reader %s; %d MiB file, %d small "
                     "files, median of %d runs. Sequential read of the shared file on another node (no page cache "
                     "there); of the local file with O_DIRECT.\n\n%s\n"
                     % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                        os.cpu_count(), load, args.lab, writer, reader, args.size_mb, args.files, args.runs, text))
    return 0


if __name__ == "__main__":
    started = time.time()
    code = main()
    print("(%.0f s)" % (time.time() - started), file=sys.stderr)
    sys.exit(code)
