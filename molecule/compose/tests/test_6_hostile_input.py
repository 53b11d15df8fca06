"""Hostile input on a real node: the alias bomb is refused fast, in bounded memory, naming the file and the limit."""

import json
import os

from conftest import run_compose, snapshot

LAUGHS = "/srv/shop/laughs.yml"


def test_the_alias_bomb_is_refused_fast_in_bounded_memory(node):
    assert node.file(LAUGHS).size < 600
    node.run("rm -f /tmp/measured-run.json")
    before = snapshot(node)
    run = run_compose(dict(files=[LAUGHS], project_name="laughs", pull="never"),
                      interpreter="/usr/local/bin/measured-python3")
    assert run.rc != 0, run.output
    assert run.msg.startswith(LAUGHS + ": refused: more than 50000 values after alias expansion"), run.output
    assert run.result["changed"] is False
    assert snapshot(node) == before
    # What the module run cost on the node, measured by its interpreter (under a 512 MiB address-space cap).
    cost = json.loads(node.file("/tmp/measured-run.json").content_string)
    # Kept with the scenario's state for whoever reads the run afterwards.
    with open(os.path.join(os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "/tmp"), "alias-bomb-cost.json"), "w") as out:
        json.dump(cost, out)
    assert cost["rc"] == 1, cost
    assert cost["cpu"] < 1.0, cost
    assert cost["wall"] < 1.0, cost
    assert cost["max_rss_bytes"] < 100 * 2 ** 20, cost
