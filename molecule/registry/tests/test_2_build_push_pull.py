"""image build/tag/push on reg-node1, container pull: always from the registry on reg-node2."""

from conftest import REPO, registry_digest, run_apply
from testlib import docker_json

CURRENT = REPO + ":current"


def build_args(message):
    return {"name": "web:v1", "source": "build",
            "build": {"path": "/srv/web", "args": {"MESSAGE": message}, "labels": {"org.example.build": "converge"}},
            "repository": CURRENT, "push": True}


CONTAINER = {"name": "web", "image": CURRENT, "pull": "always", "published_ports": ["8080:8000"],
             "restart_policy": "no", "stop_timeout": 2}


def images(h):
    """Every image on the node: names, digests and IDs (no relative times)."""
    return h.check_output("docker images -a --no-trunc --digests --format '{{.Repository}}:{{.Tag}} {{.Digest}} {{.ID}}'"
                          " | sort")


def image(h, ref):
    return docker_json(h, "image inspect", ref)[0]


def test_built_tagged_pushed_and_running_on_the_other_node(node1, node2):
    built = image(node1, "web:v1")
    assert image(node1, CURRENT)["Id"] == built["Id"]
    labels = built["Config"]["Labels"]
    assert labels["org.example.build"] == "converge" and labels["org.example.image"] == "web"
    assert "APP_MESSAGE=from-registry-v1" in built["Config"]["Env"]
    assert "%s@%s" % (REPO, registry_digest(node1, "current")) in built["RepoDigests"]
    # node2 never had the image but from the registry
    running = docker_json(node2, "inspect", "web")[0]
    assert running["State"]["Running"] and running["Image"] == built["Id"]
    assert node2.check_output("curl -s --retry 5 --retry-connrefused http://127.0.0.1:8080/").endswith(
        "from-registry-v1")


def test_unchanged_context_and_registry_change_nothing(node1, node2):
    before_images = images(node1)
    digest = registry_digest(node1, "current")
    run = run_apply("reg-node1", "image", build_args("from-registry-v1"))
    assert run.rc == 0 and run.recap()["changed"] == 0, run
    assert images(node1) == before_images
    assert registry_digest(node1, "current") == digest
    cid = docker_json(node2, "inspect", "web")[0]["Id"]
    run = run_apply("reg-node2", "container", CONTAINER)
    assert run.rc == 0 and run.recap()["changed"] == 0, run
    assert docker_json(node2, "inspect", "web")[0]["Id"] == cid


def test_missing_dockerfile_refused_nothing_changed(node1):
    before = images(node1)
    args = build_args("x")
    args["build"]["dockerfile"] = "Missing.Dockerfile"
    run = run_apply("reg-node1", "image", args)
    assert run.rc != 0 and "build.dockerfile Missing.Dockerfile does not exist" in run.output, run
    assert images(node1) == before


def test_new_push_makes_the_next_run_pull_and_recreate(node1, node2):
    old_digest = registry_digest(node1, "current")
    old_id = image(node1, "web:v1")["Id"]
    run = run_apply("reg-node1", "image", build_args("from-registry-v2"))
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    new_id = image(node1, "web:v1")["Id"]
    assert new_id != old_id and image(node1, CURRENT)["Id"] == new_id
    assert registry_digest(node1, "current") != old_digest
    old_cid = docker_json(node2, "inspect", "web")[0]["Id"]
    run = run_apply("reg-node2", "container", CONTAINER)
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    running = docker_json(node2, "inspect", "web")[0]
    assert running["Id"] != old_cid and running["Image"] == new_id and running["State"]["Running"]
    assert node2.check_output("curl -s --retry 5 --retry-connrefused http://127.0.0.1:8080/").endswith(
        "from-registry-v2")
    # and the registry unchanged again: nothing
    run = run_apply("reg-node2", "container", CONTAINER)
    assert run.rc == 0 and run.recap()["changed"] == 0, run
    assert docker_json(node2, "inspect", "web")[0]["Id"] == running["Id"]
