"""A recreate whose new container cannot start puts the old one back: same ID, running, serving."""

from conftest import answers, names, run_module, web
from testlib import inspect


def test_new_container_cannot_bind_its_port_and_the_old_one_keeps_serving(node):
    node.check_output("docker exec f-web sh -c 'echo precious > /data/file'")
    before = inspect(node, "f-web")
    # Another process on the node holds the host port the new configuration asks for.
    node.check_output("systemd-run --unit=f-port-holder python3 -m http.server 18090 --bind 0.0.0.0")
    try:
        assert node.run("for i in $(seq 50); do ss -ltn | grep -q ':18090 ' && exit 0; sleep 0.1; done; exit 1").rc == 0
        run = run_module(web(published_ports=["18090:8000"], env={"RELEASE": "2"}))
    finally:
        node.run("systemctl stop f-port-holder")
    assert run.rc != 0, run.output
    msg = run.result.get("msg", run.output)
    assert "Could not recreate container f-web" in msg and "old container is back under its name and running" in msg
    assert "port is already allocated" in msg or "address already in use" in msg, msg
    after = inspect(node, "f-web")
    assert after["Id"] == before["Id"] and after["State"]["Running"] is True
    assert after["HostConfig"]["PortBindings"] == before["HostConfig"]["PortBindings"]
    assert answers(node, 18080).rc == 0, "the old container serves again"
    assert node.check_output("docker exec f-web cat /data/file") == "precious"
    assert [n for n in names(node) if n.startswith("f-web")] == ["f-web"], "no second container left behind"


def test_the_next_run_with_a_free_port_recreates(node):
    run = run_module(web(published_ports=["18090:8000"], env={"RELEASE": "2"}))
    assert run.rc == 0, run.output
    assert answers(node, 18090).rc == 0
    assert node.check_output("docker exec f-web cat /data/file") == "precious"
