"""Check mode plans only: it reports the change a real run makes and changes nothing."""

from conftest import CONVERGED, run_compose, snapshot


def test_unchanged_project_reports_nothing(node):
    run = run_compose(CONVERGED)
    assert run.rc == 0, run.output
    assert run.result["changed"] is False, run.output
    assert all(s["actions"] == [] for s in run.result["services"])


def test_a_change_is_reported_not_made(node):
    before = snapshot(node)
    run = run_compose(dict(CONVERGED, env={"GREETING": "changed"}), check=True)
    assert run.rc == 0, run.output
    assert run.result["changed"] is True
    web = [s for s in run.result["services"] if s["service"] == "web"][0]
    assert web["actions"][0].startswith("recreated: ") and "env changed" in web["actions"][0], web
    assert web["actions"][1:] == ["started"], web
    db = [s for s in run.result["services"] if s["service"] == "db"][0]
    assert db["actions"] == []
    assert snapshot(node) == before


def test_absent_in_check_mode_removes_nothing(node):
    before = snapshot(node)
    run = run_compose(dict(CONVERGED, state="absent", remove_volumes=True), check=True)
    assert run.rc == 0, run.output
    assert sorted(s["actions"][0] for s in run.result["services"]) == ["removed", "removed"]
    assert run.result["networks"] == [{"name": "shop_default", "action": "removed"}]
    assert run.result["volumes"] == [{"name": "shop_data", "action": "removed"}]
    assert snapshot(node) == before
