"""state absent removes containers and the network, keeps the named volume; present brings it all back."""

from conftest import CONVERGED, project_names, run_compose, timestamp
from testlib import inspect


def test_data_survives_absent_then_present(node):
    node.check_output("docker exec shop-db-1 sh -c 'echo kept > /data/marker'")
    run = run_compose(dict(CONVERGED, state="absent"))
    assert run.rc == 0, run.output
    assert run.result["changed"] is True
    assert project_names(node) == []
    assert inspect(node, "shop_default", "network") is None
    assert inspect(node, "shop_data", "volume") is not None
    again = run_compose(dict(CONVERGED, state="absent"))
    assert again.rc == 0 and again.result["changed"] is False, again.output

    run = run_compose(CONVERGED)
    assert run.rc == 0, run.output
    assert [s["actions"] for s in run.result["services"]] == [["created", "started"], ["created", "started"]]
    assert [s["service"] for s in run.result["services"]] == ["db", "web"]
    assert node.check_output("docker exec shop-db-1 cat /data/marker") == "kept"


def test_web_started_after_the_first_passing_health_check(node):
    db = inspect(node, "shop-db-1")
    web = inspect(node, "shop-web-1")
    passed = [timestamp(entry["End"]) for entry in db["State"]["Health"]["Log"] if entry["ExitCode"] == 0]
    assert passed, db["State"]["Health"]
    assert timestamp(web["State"]["StartedAt"]) >= min(passed)
    assert timestamp(web["State"]["StartedAt"]) > timestamp(db["State"]["StartedAt"])
