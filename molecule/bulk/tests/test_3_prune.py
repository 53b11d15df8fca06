"""prune removes the containers carrying the ownership label that are not listed -- never any other."""

from conftest import APP, OWNER_LABEL, run_pair, snapshot
from testlib import inspect

KEEP = [dict(name="keep", image=APP, pull="never", stop_timeout=2)]


def test_prune_never_touches_a_container_without_the_label(node):
    node.check_output("docker run -d --name foreign-nolabel %s app-server" % APP)
    node.check_output("docker run -d --name foreign-otherlabel -l io.dockyard.other=true -l managed=true %s app-server"
                      % APP)
    node.check_output("docker create --name foreign-created %s app-server" % APP)
    node.check_output("docker run -d --name owned-extra -l %s=true --stop-timeout 1 %s app-server --ignore-term"
                      % (OWNER_LABEL, APP))
    foreign = dict((n, inspect(node, n)["Id"]) for n in ("foreign-nolabel", "foreign-otherlabel", "foreign-created"))
    owned = sorted(["owned-extra"] + [n for n in snapshot(node) if n.startswith("m-")])
    assert len(owned) == 7

    before = snapshot(node)
    check = run_pair(KEEP, check=True, prune=True, loop=False)
    assert sorted(p["name"] for p in check.data["bulk"]["pruned"]) == owned
    assert all(p["actions"] == ["removed"] for p in check.data["bulk"]["pruned"])
    assert snapshot(node) == before, "check mode changed the engine"

    real = run_pair(KEEP, prune=True, loop=False)
    assert sorted(p["name"] for p in real.data["bulk"]["pruned"]) == owned
    assert real.bulk() == [("keep", True, ["created", "started"])]
    left = snapshot(node)
    for name in owned:
        assert name not in left, name
    for name, cid in foreign.items():
        assert left[name][0] == cid, name
    assert left["foreign-nolabel"][1] == "running" and left["foreign-otherlabel"][1] == "running"
    assert left["foreign-created"][1] == "created"
    assert left["b-keep"][1] == "running"

    again = run_pair(KEEP, prune=True, loop=False)
    assert again.data["bulk"]["changed"] is False and again.data["bulk"]["pruned"] == []
    assert snapshot(node) == left


COMPOSE = dict(project_name="bulkshop", definition={"services": {"db": {"image": APP, "stop_grace_period": "1s"}}})
OWNED_BY = "io.dockyard.owner"


def test_prune_leaves_another_owners_and_a_compose_projects_containers(node):
    # another containers task with its own owner, and a Compose project deployed by the compose module
    run_pair([dict(name="other", image=APP, pull="never", stop_timeout=2)], loop=False, owner="billing",
             compose=COMPOSE)
    # and one more container of the default owner, listed now and not in the next run
    run_pair(KEEP + [dict(name="gone", image=APP, pull="never", stop_timeout=2)], loop=False)
    labels = dict((n, inspect(node, n)["Config"]["Labels"]) for n in ("b-other", "bulkshop-db-1", "b-gone"))
    assert labels["b-other"][OWNED_BY] == "billing" and labels["b-gone"][OWNED_BY] == "default"
    assert labels["bulkshop-db-1"]["com.docker.compose.project"] == "bulkshop"
    assert labels["bulkshop-db-1"][OWNER_LABEL] == "true", "the project's container is this collection's too"
    before = snapshot(node)

    real = run_pair(KEEP, prune=True, loop=False)
    assert [p["name"] for p in real.data["bulk"]["pruned"]] == ["b-gone"]
    left = snapshot(node)
    assert "b-gone" not in left
    for name in ("b-other", "bulkshop-db-1", "b-keep"):
        assert left[name] == before[name], name  # same ID, status and StartedAt
    assert left["b-other"][1] == "running" and left["bulkshop-db-1"][1] == "running"

    # the other owner's prune takes its own container, not the default owner's nor the project's
    theirs = run_pair([], prune=True, loop=False, owner="billing")
    assert [p["name"] for p in theirs.data["bulk"]["pruned"]] == ["b-other"]
    after = snapshot(node)
    assert "b-other" not in after
    assert after["bulkshop-db-1"] == before["bulkshop-db-1"] and after["b-keep"] == before["b-keep"]
