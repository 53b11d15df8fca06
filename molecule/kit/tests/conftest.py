"""Helpers for the kit scenario's verify step.

Each later run (a change, a refusal, a bad input) is ``ansible-playbook apply.yml`` against Molecule's own
inventory with the module and its arguments as JSON extra vars, so it can fail the step. Effects are read back
with ``docker`` on the node, never from the module's answer alone.
"""

import os
import sys

SCENARIO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(SCENARIO_DIR), "_shared"))

from testlib import host_fixture, run_playbook  # noqa: E402

APPLY = os.path.join(SCENARIO_DIR, "apply.yml")
NODE = "kit-node1"
APP = "dockyard-lab/app:latest"
OWNER = "io.dockyard.managed"


def run_apply(module, args, check=False, diff=False, timeout=180):
    """Run apply.yml with ``module`` and ``args`` (JSON extra vars: types kept)."""
    return run_playbook(APPLY, NODE, {"kit_module": module, "kit_args": args}, check, diff, verbosity="-v",
                        timeout=timeout)


node = host_fixture(NODE)


def snapshot(h):
    """Every container, image, network and volume on the node, with what a refused run must not move."""
    out = h.check_output(
        "docker ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.State}}' | sort; echo ==;"
        " docker images -a --no-trunc -q | sort -u; echo ==;"
        " docker network ls -q --no-trunc | sort; echo ==;"
        " for v in $(docker volume ls -q); do docker volume inspect -f '{{.Name}} {{.CreatedAt}} {{.Options}}' $v; done")
    return out
