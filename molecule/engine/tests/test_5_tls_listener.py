"""Remote engine API only with TLS (engine-node2): the role writes the CA, server certificate and key
(key 0600 root), puts a docker.service drop-in without -H fd:// because daemon.json has `hosts`, and
the engine then answers on tcp://:2376 only to clients with a certificate from that CA. The key never
shows in the role's output. Afterwards the plain configuration is restored (drop-in removed)."""

import json
import shlex

import pytest

from conftest import CONVERGE_DAEMON_JSON, engine_starts, run_apply

NODE = "engine-node2"
PKI = "/root/dev-engine-pki"
DROPIN = "/etc/systemd/system/docker.service.d/dockyard-hosts.conf"
TLS_OPTIONS = {
    "log-driver": "json-file",
    "log-opts": {"max-size": "20m"},
    "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
}
CLIENT = "docker -H tcp://127.0.0.1:2376 --tlsverify --tlscacert %s/ca.pem" % PKI

MAKE_PKI = """set -e
rm -rf {pki}; mkdir -p {pki}; cd {pki}
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 -subj /CN=dev-engine-ca
openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj /CN=localhost
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server-cert.pem -days 2 -extfile server.ext
openssl req -newkey rsa:2048 -nodes -keyout key.pem -out client.csr -subj /CN=dev-engine-client
printf 'extendedKeyUsage=clientAuth\\n' > client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -days 2 -extfile client.ext
""".format(pki=PKI)


@pytest.fixture(scope="module")
def tls_run(node2):
    res = node2.run("sh -c %s" % shlex.quote(MAKE_PKI))
    assert res.rc == 0, res.stderr
    key = node2.file(PKI + "/server-key.pem").content_string
    starts = engine_starts(node2)
    tls_vars = {
        "docker_daemon_options": TLS_OPTIONS,
        # contents, not paths: the controller has no copy of them
        "docker_tls_ca": node2.file(PKI + "/ca.pem").content_string,
        "docker_tls_cert": node2.file(PKI + "/server-cert.pem").content_string,
        "docker_tls_key": key,
    }
    run = run_apply(NODE, tls_vars)
    again = run_apply(NODE, tls_vars) if run.rc == 0 else None
    yield run, key, starts, again
    # back to the converge's plain configuration: drop-in gone, -H fd:// again
    back = run_apply(NODE)
    assert back.rc == 0, back.output[-4000:]
    assert not node2.file(DROPIN).exists
    assert json.loads(node2.file("/etc/docker/daemon.json").content_string) == CONVERGE_DAEMON_JSON
    assert node2.service("docker.service").is_running
    assert "-H fd://" in node2.check_output("systemctl show --property ExecStart docker.service")


def test_tls_converge_succeeds_with_one_restart_and_is_idempotent(node2, tls_run):
    run, _key, starts, again = tls_run
    assert run.rc == 0, run.output[-4000:]
    assert again.rc == 0 and again.recap(NODE)["changed"] == 0, again.output[-4000:]
    # one restart for the TLS configuration, none for the repeated run
    assert engine_starts(node2) - starts == 1
    assert node2.service("docker.service").is_running


def test_tls_files_and_daemon_json(node2, tls_run):
    key = node2.file("/etc/docker/tls/server-key.pem")
    assert key.user == "root" and key.group == "root" and key.mode == 0o600
    for name in ("ca.pem", "server-cert.pem"):
        assert node2.file("/etc/docker/tls/" + name).mode == 0o644
    cfg = json.loads(node2.file("/etc/docker/daemon.json").content_string)
    assert cfg["hosts"] == TLS_OPTIONS["hosts"]
    assert cfg["tlsverify"] is True
    assert cfg["tlscacert"] == "/etc/docker/tls/ca.pem"
    assert cfg["tlscert"] == "/etc/docker/tls/server-cert.pem"
    assert cfg["tlskey"] == "/etc/docker/tls/server-key.pem"


def test_dropin_removes_fd_host(node2, tls_run):
    dropin = node2.file(DROPIN)
    assert dropin.exists
    execstart = node2.check_output("systemctl show --property ExecStart docker.service")
    assert "fd://" not in execstart and "dockerd" in execstart


def test_engine_answers_tls_clients_with_certificate_only(node2, tls_run):
    ok = node2.run("%s --tlscert %s/cert.pem --tlskey %s/key.pem version --format '{{.Server.Version}}'" % (CLIENT, PKI, PKI))
    assert ok.rc == 0 and ok.stdout.strip(), ok.stderr
    no_cert = node2.run("%s version" % CLIENT)
    assert no_cert.rc != 0 and "bad certificate" in no_cert.stderr, no_cert.stderr
    plain = node2.run("docker -H tcp://127.0.0.1:2376 version")
    assert plain.rc != 0 and "HTTPS" in plain.stderr
    # the local socket still works next to the TCP listener
    assert node2.run("docker info --format '{{.ServerVersion}}'").rc == 0


def test_engine_info_over_tls(node2, tls_run):
    res = node2.ansible(
        "dockyard.docker.engine_info",
        "docker_host=tcp://127.0.0.1:2376 tls_ca_cert={p}/ca.pem tls_client_cert={p}/cert.pem "
        "tls_client_key={p}/key.pem containers=false".format(p=PKI),
        check=True,
    )
    assert res.get("failed") is not True, res
    assert res["engine"]["version"] == node2.check_output("docker version --format '{{.Server.Version}}'")


def test_private_key_never_in_output(tls_run):
    run, key, _starts, again = tls_run
    body = [line for line in key.splitlines() if line and not line.startswith("-----")]
    assert body
    for line in body:
        assert line not in run.output and line not in again.output
