"""Bad role variables fail before any change, with a message that names the variable (engine-node2)."""

import pytest

from conftest import engine_state, run_apply

NODE = "engine-node2"

CASES = {
    "install-source-snap": ({"docker_install_source": "snap"}, ["docker_install_source", "snap"]),
    "daemon-options-string": ({"docker_daemon_options": "not a dict"}, ["docker_daemon_options"]),
    "users-string": ({"docker_users": "root"}, ["docker_users"]),
    "unknown-state": ({"docker_state": "installed"}, ["docker_state", "installed"]),
    "service-state": ({"docker_service_state": "running"}, ["docker_service_state"]),
    "tcp-without-tls": (
        {"docker_daemon_options": {"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"]}},
        ["docker_daemon_options.hosts", "tcp://0.0.0.0:2375", "root"],
    ),
    "tls-incomplete": (
        {"docker_tls_ca": "/nonexistent/ca.pem"},
        ["docker_tls_ca", "docker_tls_cert", "docker_tls_key"],
    ),
    "missing-user": ({"docker_users": ["nobody-here"]}, ["docker_users", "nobody-here"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_variable_fails_before_any_change(node2, case):
    extra, words = CASES[case]
    before = engine_state(node2)
    run = run_apply(NODE, extra)
    assert run.rc != 0, run.output[-3000:]
    for word in words:
        assert word in run.output, "%r not in:\n%s" % (word, run.output[-3000:])
    assert run.recap(NODE)["changed"] == 0
    assert engine_state(node2) == before
