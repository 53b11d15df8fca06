"""Hostile input on a real node: the alias bomb is refused fast, in bounded memory, naming the file and the limit."""

import json
import os

from conftest import run_compose, snapshot

LAUGHS = "/srv/shop/laughs.yml"
MEASURED = "/usr/local/bin/measured-python3"


def measured_run(node, args):
    """The compose module run by the measuring interpreter: (the run, its cost on the node)."""
    node.run("rm -f /tmp/measured-run.json")
    run = run_compose(dict(args, pull="never"), interpreter=MEASURED)
    return run, json.loads(node.file("/tmp/measured-run.json").content_string)


def test_the_alias_bomb_is_refused_fast_in_bounded_memory(node):
    assert node.file(LAUGHS).size < 600
    before = snapshot(node)
    # The module's own start (interpreter, AnsiballZ, imports) on this node, with a project the reader refuses
    # at once: the bomb may cost at most a second more than that.
    _run, baseline = measured_run(node, dict(definition={"services": {"web": {"image": "x", "build": "."}}},
                                             project_name="laughs"))
    run, cost = measured_run(node, dict(files=[LAUGHS], project_name="laughs"))
    assert run.rc != 0, run.output
    assert run.msg.startswith(LAUGHS + ": refused: more than 50000 values after alias expansion"), run.output
    assert run.result["changed"] is False
    assert snapshot(node) == before
    # Kept with the scenario's state for whoever reads the run afterwards.
    with open(os.path.join(os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "/tmp"), "alias-bomb-cost.json"), "w") as out:
        json.dump(dict(bomb=cost, baseline=baseline), out)
    assert cost["rc"] == 1, cost
    assert cost["cpu"] < 1.0, cost
    assert cost["wall"] - baseline["wall"] < 1.0, (cost, baseline)
    assert cost["max_rss_bytes"] < 100 * 2 ** 20, cost
