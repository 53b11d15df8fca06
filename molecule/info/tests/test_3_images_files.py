"""image_export -> image_load round trip, and container_copy_into's files read back inside the containers."""

import hashlib
import json

from conftest import ARCHIVE, COPY_TEXT, IMAGES, MANAGER, WORKER, docker_json, node_sh, run_apply


def test_archive_holds_both_images_by_id_and_tag():
    manifest = json.loads(node_sh(MANAGER, "tar -xOf %s manifest.json" % ARCHIVE).stdout)
    ids = dict((i["RepoTags"][0], i["Id"]) for i in docker_json(MANAGER, "image inspect %s" % " ".join(IMAGES)))
    held = dict((entry["RepoTags"][0], "sha256:" + entry["Config"].split("/")[-1].replace(".json", ""))
                for entry in manifest)
    assert held == ids


def test_export_again_leaves_the_archive_alone():
    before = node_sh(MANAGER, "stat -c %Y.%i " + ARCHIVE).stdout
    run = run_apply(MANAGER, "image_export", {"names": IMAGES, "path": ARCHIVE})
    assert run.rc == 0 and run.recap(MANAGER)["changed"] == 0, run
    assert node_sh(MANAGER, "stat -c %Y.%i " + ARCHIVE).stdout == before


def test_second_load_reports_nothing_new():
    ids = node_sh(WORKER, "docker image inspect -f '{{.Id}}' %s" % " ".join(IMAGES)).stdout
    run = run_apply(WORKER, "image_load", {"path": ARCHIVE})
    assert run.rc == 0 and run.recap(WORKER)["changed"] == 0, run
    result = run.result(WORKER)
    assert result["new_image_names"] == [] and sorted(result["image_names"]) == sorted(IMAGES)
    assert node_sh(WORKER, "docker image inspect -f '{{.Id}}' %s" % " ".join(IMAGES)).stdout == ids


def test_load_after_removing_one_image_reports_only_that_one():
    node_sh(WORKER, "docker image rm info/two:1")
    run = run_apply(WORKER, "image_load", {"path": ARCHIVE})
    assert run.rc == 0 and run.result(WORKER)["new_image_names"] == ["info/two:1"], run
    assert (node_sh(WORKER, "docker image inspect -f '{{.Id}}' info/two:1").stdout
            == node_sh(MANAGER, "docker image inspect -f '{{.Id}}' info/two:1").stdout)


def _file(container, path):
    out = node_sh(MANAGER, "docker exec %s sh -c 'sha256sum %s; stat -c \"%%a %%u %%g\" %s'"
                  % (container, path, path)).stdout.split("\n")
    return out[0].split()[0], out[1]


def test_copied_files_inside_the_running_container():
    assert _file("info-box", "/tmp/info-copied.txt") == (hashlib.sha256(COPY_TEXT.encode()).hexdigest(), "640 33 44")
    source = node_sh(MANAGER, "sha256sum /root/info-source.conf").stdout.split()[0]
    assert _file("info-box", "/etc/info-source.conf") == (source, "600 0 0")


def test_check_mode_change_is_reported_not_written():
    args = {"container": "info-box", "content": "info-secret-4711\n", "container_path": "/tmp/info-copied.txt",
            "owner_id": 33, "group_id": 44, "mode": "0640"}
    run = run_apply(MANAGER, "container_copy_into", args, check=True, diff=True)
    assert run.rc == 0 and run.recap(MANAGER)["changed"] == 1, run
    assert "info-secret-4711" not in run.output  # content is never shown
    assert _file("info-box", "/tmp/info-copied.txt")[0] == hashlib.sha256(COPY_TEXT.encode()).hexdigest()


def test_copied_file_in_the_never_started_container():
    assert docker_json(MANAGER, "container inspect info-stopped")[0]["State"]["Status"] == "created"
    node_sh(MANAGER, "docker start info-stopped")
    try:
        assert _file("info-stopped", "/etc/info-copied.txt") == (
            hashlib.sha256(COPY_TEXT.encode()).hexdigest(), "604 0 0")
    finally:
        node_sh(MANAGER, "docker stop -t 1 info-stopped")
