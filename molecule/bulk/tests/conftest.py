"""Helpers for the bulk scenario's verify step.

``run_pair`` runs pair.yml against Molecule's inventory: the same specs through a loop of
``dockyard.docker.container`` (names ``l-*``) and through one ``dockyard.docker.containers`` task
(names ``b-*``), and returns both results.
"""

import json
import os
import sys
import tempfile

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(SCENARIO_DIR), "_shared"))

from testlib import host_fixture, inspect, inspect_containers, run_playbook  # noqa: E402

PAIR = os.path.join(SCENARIO_DIR, "pair.yml")
NODE = "bulk-node1"
APP = "dockyard-lab/app:latest"
OWNER_LABEL = "io.dockyard.managed"
NAME_LABEL = "io.dockyard.created-as"


class PairRun:
    def __init__(self, run, data):
        self.rc = run.rc
        self.output = run.output
        self.data = data

    def loop(self):
        """[(name without prefix, changed, actions)] of the container loop."""
        return [(r["item"]["name"][2:], r["changed"], r["actions"]) for r in self.data["loop"]]

    def bulk(self):
        return [(r["name"][2:], r["changed"], r["actions"]) for r in self.data["bulk"]["containers"]]


def prefixed(items, prefix):
    return [dict(item, name=prefix + item["name"]) for item in items]


def run_pair(items, check=False, prune=False, loop=True, timeout=300, owner=None, compose=None):
    """``owner``: the bulk task's; ``compose``: the arguments of a dockyard.docker.compose task run first."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "pair.json")
        extra = dict(pair_loop=prefixed(items, "l-") if loop else [], pair_bulk=prefixed(items, "b-"),
                     pair_prune=prune, pair_out=out)
        if owner is not None:
            extra["pair_owner"] = owner
        if compose is not None:
            extra["pair_compose"] = compose
        played = run_playbook(PAIR, NODE, extra, check=check, timeout=timeout)
        data = None
        if os.path.exists(out):
            with open(out) as handle:
                data = json.load(handle)
        run = PairRun(played, data)
    assert run.rc == 0 and run.data is not None, run.output[-4000:]
    return run


node = host_fixture(NODE)


def end_state(h, name):
    """What a spec decides about a container, comparable between l-X and b-X (IDs, times excluded)."""
    data = inspect(h, name)
    if data is None:
        return None
    config, host = data["Config"], data["HostConfig"]
    return dict(
        image=data["Image"],
        cmd=config.get("Cmd"),
        env=sorted(e for e in config.get("Env") or [] if not e.startswith("HOSTNAME=")),
        # the name label differs by construction (l-X and b-X); everything else must be the same
        labels=dict(config.get("Labels") or {}, **{NAME_LABEL: None}),
        stop_timeout=config.get("StopTimeout"),
        policy=host.get("RestartPolicy"),
        memory=host.get("Memory"),
        binds=host.get("Binds"),
        status=data["State"]["Status"],
    )


def snapshot(h):
    """Every container on the node: name -> (id, status, StartedAt)."""
    snap = {}
    for data in inspect_containers(h):
        snap[data["Name"].lstrip("/")] = (data["Id"], data["State"]["Status"], data["State"]["StartedAt"])
    return snap
