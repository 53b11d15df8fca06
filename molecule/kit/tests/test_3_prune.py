"""prune: stopped unlabelled containers, dangling images and unused networks go; labelled and running stay."""

import pytest

from conftest import OWNER, run_apply, snapshot
from testlib import docker_json

BUILD = "printf 'FROM dockyard-lab/app:latest\\nLABEL %s\\n' | DOCKER_BUILDKIT=0 docker build -q -t %s -"
ALL = {"containers": True, "images": True, "networks": True}


@pytest.fixture(scope="module")
def objects(node):
    """Stopped, running and labelled objects of every kind; returns the IDs of the two dangling images."""
    out = node.check_output(" && ".join([
        BUILD % ("kit.gen=1", "kit/dangle:latest"), BUILD % ("kit.gen=2", "kit/dangle:latest"),
        BUILD % ("%s=true kit.gen=o1" % OWNER, "kit/owned:latest"),
        BUILD % ("%s=true kit.gen=o2" % OWNER, "kit/owned:latest"),
        "docker create --name kit-stopped dockyard-lab/app:latest >/dev/null",
        "docker run --name kit-exited dockyard-lab/app:latest app-server --exit 0 >/dev/null",
        "docker create --name kit-owned --label %s=true dockyard-lab/app:latest >/dev/null" % OWNER,
        "docker run -d --name kit-running --stop-timeout 1 dockyard-lab/app:latest >/dev/null",
        "docker network create kit-spare >/dev/null",
        "docker network create --label %s=true kit-owned-net >/dev/null" % OWNER,
    ]))
    ids = out.split()
    assert len(ids) == 4, out
    return dict(dangling=ids[0], owned_dangling=ids[2])


def names(node, what):
    return set(node.check_output("docker %s" % what).split())


def test_unknown_filter_refused_before_anything_is_removed(node, objects):
    before = snapshot(node)
    run = run_apply("prune", dict(ALL, containers_filters={"status": "exited"}))
    assert run.rc != 0, run
    for word in ("containers_filters", "'status'", "until, label, label!"):
        assert word in run.output, run
    assert snapshot(node) == before


def test_check_mode_lists_what_would_go_and_removes_nothing(node, objects):
    before = snapshot(node)
    run = run_apply("prune", ALL, check=True)
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    result = run.result()
    assert result["networks"] == ["kit-spare"]
    assert objects["dangling"] in result["images"] and objects["owned_dangling"] not in result["images"]
    assert snapshot(node) == before


def test_prune_spares_labelled_and_running_objects(node, objects):
    run = run_apply("prune", ALL)
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    containers = names(node, "ps -a --format '{{.Names}}'")
    assert {"kit-stopped", "kit-exited", "kit-idle"}.isdisjoint(containers)
    assert {"kit-owned", "kit-running", "kit-user"} <= containers
    assert node.check_output("docker inspect -f '{{.State.Running}}' kit-running kit-user").split() == ["true", "true"]
    images = names(node, "images -a -q --no-trunc")
    assert objects["dangling"] not in images and objects["owned_dangling"] in images
    assert names(node, "images --format '{{.Repository}}:{{.Tag}}'") >= {
        "dockyard-lab/app:latest", "kit/dangle:latest", "kit/owned:latest"}
    networks = names(node, "network ls --format '{{.Name}}'")
    assert "kit-spare" not in networks and {"kit-owned-net", "bridge", "host", "none"} <= networks
    # nothing left to prune
    run = run_apply("prune", ALL)
    assert run.rc == 0 and run.recap()["changed"] == 0, run


def test_owned_objects_go_only_when_the_label_is_named(node, objects):
    run = run_apply("prune", {"containers": True, "containers_filters": {"label": OWNER},
                              "networks": True, "networks_filters": {"label": OWNER}})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert "kit-owned" not in names(node, "ps -a --format '{{.Names}}'")
    assert "kit-owned-net" not in names(node, "network ls --format '{{.Name}}'")
    assert "kit-running" in names(node, "ps --format '{{.Names}}'")


def build_cache(node):
    """IDs of the engine's build cache records: shared with images, and not."""
    out = node.check_output("docker system df -v --format '{{range .BuildCache}}{{.ID}} {{.Shared}}\n{{end}}'")
    records = [line.split() for line in out.splitlines() if line.strip()]
    return sorted(i for i, shared in records if shared == "true"), sorted(i for i, shared in records
                                                                           if shared != "true")


def test_builder_cache(node):
    node.check_output("printf 'FROM dockyard-lab/app:latest\\nRUN echo cached > /kit-cached\\n' "
                      "| DOCKER_BUILDKIT=1 timeout 60 docker build -q -t kit/cached:latest -")
    shared, own = build_cache(node)
    assert shared and own
    # check mode: the records that would go, none removed
    run = run_apply("prune", {"builder_cache": True}, check=True)
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert sorted(run.result()["builder_cache_caches_deleted"]) == own
    assert build_cache(node) == (shared, own)
    # default: only the records not shared with images
    run = run_apply("prune", {"builder_cache": True})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert build_cache(node) == (shared, [])
    # builder_cache_all: every unused record; the image itself stays
    run = run_apply("prune", {"builder_cache": True, "builder_cache_all": True})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert build_cache(node) == ([], [])
    assert "kit/cached:latest" in names(node, "images --format '{{.Repository}}:{{.Tag}}'")


def volumes(node):
    return names(node, "volume ls -q")


def test_volumes_prune_takes_anonymous_volumes_only_unless_all(node):
    # A Compose project's named volume, left unused by the project's removal (its volumes are kept).
    shop = {"project_name": "kitshop", "definition": {
        "services": {"db": {"image": "dockyard-lab/app:latest", "volumes": ["db:/var/lib/db"],
                            "stop_grace_period": "1s"}},
        "volumes": {"db": {}}}}
    for state in ("present", "absent"):
        run = run_apply("compose", dict(shop, state=state))
        assert run.rc == 0, run
    # A plain named volume, and an anonymous one a removed container left behind.
    anonymous = node.check_output(
        "docker volume create kit-named >/dev/null"
        " && docker create --name kit-anon -v /scratch dockyard-lab/app:latest >/dev/null"
        " && docker inspect -f '{{range .Mounts}}{{.Name}}{{end}}' kit-anon && docker rm kit-anon >/dev/null")
    assert len(anonymous) == 64, anonymous
    in_use = {"kit-data", "kit-tmpfs", "kit-bind"}
    before = volumes(node)
    assert {"kitshop_db", "kit-named", anonymous} | in_use <= before
    assert not docker_json(node, "volume inspect kitshop_db")[0]["Labels"].get("com.docker.volume.anonymous")

    run = run_apply("prune", {"volumes": True}, check=True)
    assert run.rc == 0 and run.result()["volumes"] == [anonymous], run
    assert volumes(node) == before

    run = run_apply("prune", {"volumes": True})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert volumes(node) == before - {anonymous}

    # all: named volumes too (here all but the project's, by its label); in-use ones never
    run = run_apply("prune", {"volumes": True, "volumes_filters": {"all": True, "label!": "com.docker.compose.project"}})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    left = volumes(node)
    assert "kit-named" not in left and {"kitshop_db"} | in_use <= left
