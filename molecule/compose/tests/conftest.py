"""Helpers for the compose scenario's verify step: run the compose module on the node, read the engine."""

import os
import re
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "_shared"))

from testlib import host_fixture, inspect_containers, run_ad_hoc  # noqa: E402

NODE = "compose-node1"
PROJECT = "shop"
FILES = ["/srv/shop/compose.yml", "/srv/shop/override.yml"]
CONVERGED = dict(files=FILES, env={"GREETING": "hello"}, pull="never", timeout=60)


def run_compose(args, check=False, timeout=180, interpreter=None):
    """Run dockyard.docker.compose ad hoc on the node; args are passed as JSON (types kept)."""
    more_argv = ["-e", "ansible_python_interpreter=%s" % interpreter] if interpreter else []
    return run_ad_hoc(NODE, "compose", args, check, more_argv, timeout)


node = host_fixture(NODE)


def project_names(h, project=PROJECT):
    out = h.check_output("docker ps -a --filter label=com.docker.compose.project=%s --format '{{.Names}}'" % project)
    return sorted(out.split())


def snapshot(h):
    """Every container, network and volume on the node, with what a refused run must not move."""
    containers = dict((d["Name"], (d["Id"], d["State"]["StartedAt"], d["State"]["Status"])) for d in inspect_containers(h))
    networks = sorted(h.check_output("docker network ls -q --no-trunc").split())
    volumes = sorted(h.check_output("docker volume ls -q").split())
    return containers, networks, volumes


def timestamp(text):
    """Docker's RFC 3339 time with nanoseconds -> aware datetime (to the microsecond)."""
    match = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$", text)
    assert match, text
    base = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
    micro = int((match.group(2) or "0")[:6].ljust(6, "0"))
    assert match.group(3) in ("Z", "+00:00"), text
    return base.replace(microsecond=micro, tzinfo=timezone.utc)
