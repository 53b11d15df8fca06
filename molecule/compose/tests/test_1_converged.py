"""What converge (the containers role with compose_projects) left on the node."""

import json

from conftest import PROJECT, project_names, timestamp
from testlib import inspect


def test_names_and_the_project_filter(node):
    assert project_names(node) == ["shop-db-1", "shop-web-1"]
    running = node.check_output("docker ps --filter label=com.docker.compose.project=shop --format '{{.Names}}'")
    assert sorted(running.split()) == ["shop-db-1", "shop-web-1"]


def test_compose_labels(node):
    for service in ("db", "web"):
        labels = inspect(node, "shop-%s-1" % service)["Config"]["Labels"]
        assert labels["com.docker.compose.project"] == PROJECT
        assert labels["com.docker.compose.service"] == service
        assert labels["com.docker.compose.container-number"] == "1"
        assert labels["com.docker.compose.oneoff"] == "False"
        assert labels["com.docker.compose.project.config_files"] == "/srv/shop/compose.yml,/srv/shop/override.yml"
        assert len(labels["com.docker.compose.config-hash"]) == 64
    web = inspect(node, "shop-web-1")["Config"]["Labels"]
    db = inspect(node, "shop-db-1")["Config"]["Labels"]
    assert web["tier"] == "front"
    assert web["com.docker.compose.config-hash"] != db["com.docker.compose.config-hash"]


def test_service_settings_from_both_files_and_interpolation(node):
    web = inspect(node, "shop-web-1")
    env = dict(item.split("=", 1) for item in web["Config"]["Env"])
    assert env["DB_URL"] == "http://db:8000"
    assert env["GREETING"] == "hello"              # ${GREETING:?...} from the module's env
    assert env["FROM_FILE"] == "yes"               # env_file, relative to the first file
    assert env["APP_MESSAGE"] == "from-override"   # merged from override.yml
    assert web["Config"]["Cmd"] == ["app-server", "--port", "8080"]   # ${WEB_PORT:-8080}
    assert web["HostConfig"]["PortBindings"] == {"8080/tcp": [{"HostIp": "", "HostPort": "8080"}]}
    assert web["HostConfig"]["RestartPolicy"]["Name"] == "unless-stopped"   # from the x-app anchor
    assert web["Config"]["StopTimeout"] == 2
    db = inspect(node, "shop-db-1")
    assert db["Config"]["Healthcheck"]["Interval"] == 2 * 10 ** 9
    assert db["State"]["Health"]["Status"] == "healthy"
    assert [m["Name"] for m in db["Mounts"] if m["Type"] == "volume"] == ["shop_data"]


def test_web_started_after_db_was_healthy(node):
    db = inspect(node, "shop-db-1")
    web = inspect(node, "shop-web-1")
    # db's first health check runs one interval (2 s) after it started; web waited for it to pass.
    gap = (timestamp(web["State"]["StartedAt"]) - timestamp(db["State"]["StartedAt"])).total_seconds()
    assert gap >= 1.9, gap


def test_network_and_volume(node):
    net = inspect(node, "shop_default", "network")
    assert net["Labels"]["com.docker.compose.project"] == PROJECT
    assert net["Labels"]["com.docker.compose.network"] == "default"
    members = sorted(c["Name"] for c in net["Containers"].values())
    assert members == ["shop-db-1", "shop-web-1"]
    vol = inspect(node, "shop_data", "volume")
    assert vol["Labels"] == {"com.docker.compose.project": PROJECT, "com.docker.compose.volume": "data",
                             "purpose": "test"}


def test_web_reaches_db_by_service_name(node):
    out = node.check_output(
        "docker exec shop-web-1 python3 -c \"import urllib.request; "
        "print(urllib.request.urlopen('http://db:8000', timeout=5).read().decode())\"")
    db_hostname = inspect(node, "shop-db-1")["Config"]["Hostname"]
    assert out.split()[0] == db_hostname
    published = node.check_output("curl -s http://127.0.0.1:8080 || python3 -c \"import urllib.request; "
                                  "print(urllib.request.urlopen('http://127.0.0.1:8080').read().decode())\"")
    assert "from-override" in published
    assert json.loads(node.check_output("docker inspect -f '{{json .State.Running}}' shop-web-1")) is True
