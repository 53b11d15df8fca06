"""container_info, image_info, network_info and volume_info answer what `docker inspect` says on the node."""

from conftest import IMAGES, MANAGER, WORKER, docker_json


def test_container_info_is_docker_inspect(probe):
    running, never_started, missing = probe[MANAGER]["container"]
    assert running["exists"] is True and running["changed"] is False
    assert running["container"] == docker_json(MANAGER, "container inspect info-box")[0]
    assert never_started["container"] == docker_json(MANAGER, "container inspect info-stopped")[0]
    assert never_started["container"]["State"]["Status"] == "created"
    assert missing["exists"] is False and missing["container"] is None and not missing.get("failed")


def test_image_info_is_docker_image_inspect_and_skips_missing(probe):
    answer = probe[MANAGER]["image"]
    expected = docker_json(MANAGER, "image inspect dockyard-lab/app:latest info/one:1")
    assert answer["images"] == expected and answer["changed"] is False


def test_loaded_images_on_the_worker_are_the_managers(probe):
    on_worker = probe[WORKER]["image"]["images"]
    assert on_worker == docker_json(WORKER, "image inspect %s" % " ".join(IMAGES))
    manager_ids = [i["Id"] for i in docker_json(MANAGER, "image inspect %s" % " ".join(IMAGES))]
    assert [i["Id"] for i in on_worker] == manager_ids and len(set(manager_ids)) == 2


def test_network_info_is_docker_network_inspect(probe):
    found, missing = probe[MANAGER]["network"]
    assert found["exists"] and found["network"] == docker_json(MANAGER, "network inspect info-net")[0]
    assert "info-box" in [c["Name"] for c in found["network"]["Containers"].values()]
    assert missing["exists"] is False and missing["network"] is None


def test_volume_info_is_docker_volume_inspect(probe):
    found, missing = probe[MANAGER]["volume"]
    assert found["exists"] and found["volume"] == docker_json(MANAGER, "volume inspect info-vol")[0]
    assert missing["exists"] is False and missing["volume"] is None
