"""A lab node is a real host: systemd as PID 1, reachable over SSH, python3, converged."""


def test_systemd_is_pid1_and_running(host):
    assert host.process.get(pid=1).comm == "systemd"
    state = host.run("systemctl is-system-running --wait").stdout.strip()
    assert state == "running", host.run("systemctl --failed --no-legend").stdout


def test_sshd_serves_the_connection(host):
    assert host.service("ssh").is_running
    # This command reached the node through sshd (as every play does): sshd sets SSH_CONNECTION for the
    # session, which `docker exec` or a local connection would not.
    client_ip, client_port, server_ip, server_port = host.check_output("echo $SSH_CONNECTION").split()
    assert server_port == "22" and client_ip != server_ip


def test_python3_present(host):
    out = host.run("/usr/bin/python3 -c 'import sys; print(sys.version_info[0])'")
    assert out.rc == 0 and out.stdout.strip() == "3"


def test_hostname_is_stable(host):
    assert host.check_output("hostname") == "lab-node1"


def test_converge_wrote_the_marker(host):
    marker = host.file("/etc/dockyard-lab-marker")
    assert marker.exists and marker.user == "root" and marker.mode == 0o644
    assert "lab-node1" in marker.content_string


def test_no_docker_on_a_bare_node(host):
    # The bare `node` image is what the engine role starts from.
    assert not host.exists("dockerd")
