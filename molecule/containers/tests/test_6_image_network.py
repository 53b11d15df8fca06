"""The image module loaded the archive by ID; the network module refuses to pull networks from under containers."""

import json

from conftest import run_module
from testlib import inspect


def archive_image_id(h):
    manifest = json.loads(h.check_output("tar -xOf /root/app-archived.tar manifest.json"))
    config = manifest[0]["Config"]
    return "sha256:" + config.rsplit("/", 1)[-1].replace(".json", "")


def test_archive_loaded_under_its_name_with_its_id(node):
    local = json.loads(node.check_output("docker image inspect containers-test/app:archived"))[0]
    assert local["Id"] == archive_image_id(node)


def test_archive_not_loaded_again_when_the_id_matches(node):
    run = run_module("image", {"name": "containers-test/app:archived", "source": "archive",
                               "archive_path": "/root/app-archived.tar"})
    assert run.rc == 0, run.output
    assert "SUCCESS" in run.output and '"changed": false' in run.output


def test_image_absent_untags_but_refuses_the_last_tag_of_a_used_image(node):
    image_id = archive_image_id(node)
    # Two names for one image: removing one is only an untag, even while a container uses the image.
    run = run_module("image", {"name": "containers-test/app:archived", "state": "absent"})
    assert run.rc == 0 and '"changed": true' in run.output, run.output
    assert node.run("docker image inspect containers-test/app:archived").rc != 0
    assert inspect(node, "c-net-member")["Image"] == image_id
    # The last name of an image that containers use is refused, and nothing changes.
    run = run_module("image", {"name": "dockyard-lab/app:latest", "state": "absent"})
    assert run.rc != 0, run.output
    assert "used by a container" in run.output and "force: true" in run.output
    assert json.loads(node.check_output("docker image inspect dockyard-lab/app:latest"))[0]["Id"] == image_id


def test_archive_loaded_again_once_its_name_is_missing(node):
    args = {"name": "containers-test/app:archived", "source": "archive", "archive_path": "/root/app-archived.tar"}
    check = run_module("image", args, check=True)
    assert check.rc == 0 and '"changed": true' in check.output, check.output
    assert node.run("docker image inspect containers-test/app:archived").rc != 0
    run = run_module("image", args)
    assert run.rc == 0 and '"changed": true' in run.output, run.output
    assert json.loads(node.check_output("docker image inspect containers-test/app:archived"))[0]["Id"] == \
        archive_image_id(node)
    again = run_module("image", args)
    assert again.rc == 0 and '"changed": false' in again.output, again.output


def test_container_on_the_network_with_its_address(node):
    nets = inspect(node, "c-net-member")["NetworkSettings"]["Networks"]
    assert list(nets) == ["c-net"]
    assert nets["c-net"]["IPAddress"] == "192.168.231.10"
    assert "member" in nets["c-net"]["Aliases"]
    net = json.loads(node.check_output("docker network inspect c-net"))[0]
    assert net["IPAM"]["Config"][0] == {"Subnet": "192.168.231.0/24", "Gateway": "192.168.231.1"}
    assert net["Labels"] == {"scenario": "containers"}


def test_network_absent_refused_while_containers_are_attached(node):
    before = json.loads(node.check_output("docker network inspect c-net"))[0]["Id"]
    run = run_module("network", {"name": "c-net", "state": "absent"})
    assert run.rc != 0, run.output
    assert "c-net-member" in run.output and "force" in run.output
    assert json.loads(node.check_output("docker network inspect c-net"))[0]["Id"] == before
    assert list(inspect(node, "c-net-member")["NetworkSettings"]["Networks"]) == ["c-net"]


def test_network_absent_with_force_disconnects_and_removes(node):
    check = run_module("network", {"name": "c-net", "state": "absent", "force": True}, check=True)
    assert check.rc == 0 and '"changed": true' in check.output, check.output
    assert node.run("docker network inspect c-net").rc == 0
    run = run_module("network", {"name": "c-net", "state": "absent", "force": True})
    assert run.rc == 0 and '"changed": true' in run.output, run.output
    assert node.run("docker network inspect c-net").rc != 0
    assert inspect(node, "c-net-member")["NetworkSettings"]["Networks"] == {}
