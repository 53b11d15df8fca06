"""engine_info's host inventory matches what `docker` lists on the node."""

from conftest import run_apply


def test_lists_match_docker(node):
    run = run_apply("engine_info", {"containers": False, "images": True, "networks": True, "volumes": True,
                                    "volumes_filters": {"label": "app=kit"}, "disk_usage": True}, check=True)
    assert run.rc == 0 and run.recap()["changed"] == 0, run
    info = run.result()
    assert info["containers"] == []
    assert sorted(i["Id"] for i in info["images"]) == sorted(
        set(node.check_output("docker images -q --no-trunc").split()))
    assert sorted(n["Name"] for n in info["networks"]) == sorted(
        node.check_output("docker network ls --format '{{.Name}}'").split())
    assert [v["Name"] for v in info["volumes"]] == ["kit-data"]
    assert info["disk_usage"]["images"]["count"] == len(info["images"])
    running = node.check_output("docker ps -q").split()
    assert info["disk_usage"]["containers"]["active"] == len(running)


def test_filters_are_passed_to_the_engine(node):
    run = run_apply("engine_info", {"containers": True, "containers_filters": {"name": ["kit-user"]},
                                    "images": True, "images_filters": {"reference": "kit/*"}})
    assert run.rc == 0, run
    info = run.result()
    assert [c["name"] for c in info["containers"]] == ["kit-user"]
    assert sorted(t for i in info["images"] for t in i["RepoTags"]) == sorted(
        node.check_output("docker images --format '{{.Repository}}:{{.Tag}}' 'kit/*'").split())
