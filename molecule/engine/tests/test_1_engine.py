"""After converge + idempotence: each node is a working Docker host, as the role promised."""

import json
import shlex

import pytest

from conftest import CONVERGE_DAEMON_JSON


@pytest.mark.parametrize("pkg", ["docker.io", "containerd", "runc", "python3-docker"])
def test_distro_packages_installed(host, pkg):
    assert host.package(pkg).is_installed


def test_no_upstream_packages(host):
    for pkg in ("docker-ce", "docker-ce-cli", "containerd.io"):
        assert not host.package(pkg).is_installed


def test_docker_service_enabled_and_running(host):
    svc = host.service("docker.service")
    assert svc.is_enabled
    assert svc.is_running
    # and the engine answers on its socket
    assert host.run("docker version --format '{{.Server.Version}}'").rc == 0


def test_daemon_json_is_the_options(host):
    f = host.file("/etc/docker/daemon.json")
    assert f.exists and f.user == "root" and f.group == "root" and f.mode == 0o644
    assert json.loads(f.content_string) == CONVERGE_DAEMON_JSON


def test_engine_runs_with_daemon_json(host):
    # The running engine, not only the file, has the options: a new container gets the rotated json-file log.
    assert host.check_output("docker info --format '{{.LoggingDriver}}'") == "json-file"
    script = (
        "set -e; tar c --files-from /dev/null | docker import - dev-engine-empty:1 >/dev/null; "
        "docker create --name dev-engine-logcheck dev-engine-empty:1 /none >/dev/null; "
        "docker inspect -f '{{json .HostConfig.LogConfig}}' dev-engine-logcheck"
    )
    try:
        res = host.run("sh -c %s" % shlex.quote(script))
        assert res.rc == 0, res.stderr
        assert json.loads(res.stdout) == {"Type": "json-file", "Config": {"max-size": "20m", "max-file": "3"}}
    finally:
        host.run("docker rm -f dev-engine-logcheck; docker rmi dev-engine-empty:1")


def test_no_backup_left_behind(host):
    # Backups of daemon.json are removed once the engine accepted the new file.
    assert not [n for n in host.check_output("ls -A /etc/docker").split() if n.startswith("daemon.json.")]


def test_docker_users_member_runs_docker_info_as_itself(host):
    assert "docker" in host.user("deployer").groups
    res = host.run("runuser -u deployer -- docker info --format '{{.ServerVersion}}'")
    assert res.rc == 0, res.stderr
    assert res.stdout.strip()
    # and it really is not root
    assert host.check_output("runuser -u deployer -- id -un") == "deployer"


def test_sdk_imports_with_target_python(host):
    res = host.run("/usr/bin/python3 -c 'import docker; print(docker.__version__); docker.from_env().ping()'")
    assert res.rc == 0, res.stderr


def test_engine_info_reports_version_and_inactive_swarm(host):
    server = host.check_output("docker version --format '{{.Server.Version}}'")
    api = host.check_output("docker version --format '{{.Server.APIVersion}}'")
    # host.ansible runs in check mode: engine_info must work there and change nothing.
    res = host.ansible("dockyard.docker.engine_info", "", check=True)
    assert res.get("failed") is not True, res
    assert res["changed"] is False
    assert res["engine"]["version"] == server
    assert res["engine"]["api_version"] == api
    assert res["engine"]["storage_driver"]
    assert res["engine"]["cgroup_driver"] in ("cgroupfs", "systemd")
    assert res["swarm"]["state"] == "inactive"
    assert res["swarm"]["role"] == "none"
    assert isinstance(res["containers"], list)
