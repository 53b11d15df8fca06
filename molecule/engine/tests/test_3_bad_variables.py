"""Bad role variables fail before any change, with a message that names the variable (engine-node2)."""

import concurrent.futures

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
    # spellings dockerd reads as TCP: refused the same way, daemon.json untouched (engine_state's sha256)
    "tcp-without-tls-no-scheme": (
        {"docker_daemon_options": {"hosts": ["unix:///var/run/docker.sock", "0.0.0.0:2375"]}},
        ["docker_daemon_options.hosts", '"0.0.0.0:2375" (read as tcp://0.0.0.0:2375) without TLS', "root"],
    ),
    "tcp-without-tls-leading-space": (
        {"docker_daemon_options": {"hosts": ["unix:///var/run/docker.sock", " tcp://0.0.0.0:2375"]}},
        ["docker_daemon_options.hosts", '" tcp://0.0.0.0:2375" (read as tcp://0.0.0.0:2375) without TLS'],
    ),
    "tcp-without-tls-upper-case": (
        {"docker_daemon_options": {"hosts": ["unix:///var/run/docker.sock", "TCP://0.0.0.0:2375"]}},
        ["docker_daemon_options.hosts", '"TCP://0.0.0.0:2375" (read as tcp://0.0.0.0:2375) without TLS'],
    ),
    "tcp-with-only-a-ca": (
        {"docker_daemon_options": {"hosts": ["unix:///var/run/docker.sock", "TCP://0.0.0.0:2375"]},
         "docker_tls_ca": "-----BEGIN CERTIFICATE-----\nnot-used\n-----END CERTIFICATE-----"},
        ["docker_tls_ca, docker_tls_cert and docker_tls_key must be given together"],
    ),
    "tls-incomplete": (
        {"docker_tls_ca": "/nonexistent/ca.pem"},
        ["docker_tls_ca", "docker_tls_cert", "docker_tls_key"],
    ),
    "missing-user": ({"docker_users": ["nobody-here"]}, ["docker_users", "nobody-here"]),
}


@pytest.fixture(scope="module")
def refused_runs(node2):
    """All bad-variable runs at once (they only read), with the engine state around them."""
    before = engine_state(node2)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = {case: pool.submit(run_apply, NODE, CASES[case][0]) for case in CASES}
        runs = {case: f.result() for case, f in futures.items()}
    return before, runs, engine_state(node2)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_variable_fails_before_any_change(refused_runs, case):
    before, runs, after = refused_runs
    run = runs[case]
    words = CASES[case][1]
    assert run.rc != 0, run.output[-3000:]
    for word in words:
        assert word in run.output, "%r not in:\n%s" % (word, run.output[-3000:])
    assert run.recap(NODE)["changed"] == 0
    assert after == before
