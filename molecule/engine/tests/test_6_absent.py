"""docker_state: absent (engine-node2, last): the engine is uninstalled, /var/lib/docker is kept."""

from conftest import run_apply

NODE = "engine-node2"


def test_absent_uninstalls_and_keeps_data(node2):
    marker = "/var/lib/docker/dev-engine-keep-me"
    node2.run("touch %s" % marker)
    run = run_apply(NODE, {"docker_state": "absent"})
    assert run.rc == 0, run.output[-4000:]
    for pkg in ("docker.io", "docker-ce", "containerd.io"):
        assert not node2.package(pkg).is_installed
    assert not node2.exists("dockerd")
    assert node2.file(marker).exists
    # and again: nothing left to do
    again = run_apply(NODE, {"docker_state": "absent"})
    assert again.rc == 0, again.output[-4000:]
    assert again.recap(NODE)["changed"] == 0, again.output[-4000:]
