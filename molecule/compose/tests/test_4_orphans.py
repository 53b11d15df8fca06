"""A service dropped from the file is an orphan: kept with a warning, removed with remove_orphans."""

from conftest import CONVERGED, FILES, project_names, run_compose
from testlib import inspect

DB_ONLY = dict(project_name="shop", pull="never", definition={
    "services": {"db": {"image": "dockyard-lab/app:latest", "command": ["app-server", "--port", "8000"],
                        "volumes": ["data:/data"]}},
    "volumes": {"data": {"labels": {"purpose": "test"}}},
})


def test_orphan_is_kept_without_remove_orphans(node):
    run = run_compose(DB_ONLY, check=True)
    assert run.rc == 0, run.output
    assert run.result["orphans"] == ["shop-web-1"]
    assert "remove_orphans: true removes them" in run.output
    assert "shop-web-1" in project_names(node)


def test_orphan_is_removed_with_remove_orphans(node):
    run = run_compose(dict(DB_ONLY, remove_orphans=True))
    assert run.rc == 0, run.output
    orphan = [s for s in run.result["services"] if s["service"] is None]
    assert orphan == [dict(orphan[0], name="shop-web-1", actions=["removed"])]
    assert project_names(node) == ["shop-db-1"]
    assert node.check_output("docker exec shop-db-1 cat /data/marker") == "kept"


def test_back_to_the_files(node):
    run = run_compose(CONVERGED)
    assert run.rc == 0, run.output
    assert project_names(node) == ["shop-db-1", "shop-web-1"]
    assert inspect(node, "shop-db-1")["Config"]["Labels"][
        "com.docker.compose.project.config_files"] == ",".join(FILES)
