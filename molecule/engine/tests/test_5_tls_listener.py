"""Remote engine API only with TLS (engine-node2): the role writes the CA, server certificate and key
(key 0600 root), puts a docker.service drop-in without -H fd:// because daemon.json has `hosts`, and
the engine then answers on its TCP listeners only to clients with a certificate from that CA. The
listeners are given in three spellings dockerd reads as TCP (no scheme, a leading space, upper case):
each is written normalised and TLS-only. The key never shows in the role's output. Afterwards the
plain configuration is restored (drop-in removed)."""

import json
import shlex

import pytest
from testinfra.modules.ansible import AnsibleException

from conftest import CONVERGE_DAEMON_JSON, engine_starts, run_apply

NODE = "engine-node2"
PKI = "/root/dev-engine-pki"
DROPIN = "/etc/systemd/system/docker.service.d/dockyard-hosts.conf"
# One listener per spelling the role used to render without TLS, each on its own port.
SPELLED = {2376: "0.0.0.0:2376", 2377: " tcp://0.0.0.0:2377", 2378: "TCP://0.0.0.0:2378"}
TLS_OPTIONS = {
    "log-driver": "json-file",
    "log-opts": {"max-size": "20m"},
    "hosts": ["unix:///var/run/docker.sock"] + [SPELLED[port] for port in sorted(SPELLED)],
}
NORMALISED_HOSTS = ["unix:///var/run/docker.sock"] + ["tcp://0.0.0.0:%d" % port for port in sorted(SPELLED)]
CLIENT = "docker -H tcp://127.0.0.1:%d --tlsverify --tlscacert {pki}/ca.pem".format(pki=PKI)
# A plain HTTP request for the API version, as any client on the network could send it.
PLAIN_GET = (
    "python3 -c \"import http.client, sys; c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=10); "
    "c.request('GET', '/version'); r = c.getresponse(); print(r.status, r.read().decode())\" %d"
)

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
    assert cfg["hosts"] == NORMALISED_HOSTS
    assert cfg["tlsverify"] is True
    assert cfg["tlscacert"] == "/etc/docker/tls/ca.pem"
    assert cfg["tlscert"] == "/etc/docker/tls/server-cert.pem"
    assert cfg["tlskey"] == "/etc/docker/tls/server-key.pem"


def test_dropin_removes_fd_host(node2, tls_run):
    dropin = node2.file(DROPIN)
    assert dropin.exists
    execstart = node2.check_output("systemctl show --property ExecStart docker.service")
    assert "fd://" not in execstart and "dockerd" in execstart


@pytest.mark.parametrize("port", sorted(SPELLED))
def test_engine_answers_tls_clients_with_certificate_only(node2, tls_run, port):
    # dockerd itself listens there (not some other process)
    listening = node2.check_output("ss -Htlnp 'sport = :%d'" % port)
    assert "dockerd" in listening, listening
    client = CLIENT % port
    ok = node2.run("%s --tlscert %s/cert.pem --tlskey %s/key.pem version --format '{{.Server.Version}}'" % (client, PKI, PKI))
    assert ok.rc == 0 and ok.stdout.strip(), ok.stderr
    no_cert = node2.run("%s version" % client)
    assert no_cert.rc != 0 and "bad certificate" in no_cert.stderr, no_cert.stderr
    plain = node2.run("docker -H tcp://127.0.0.1:%d version" % port)
    assert plain.rc != 0 and "HTTPS" in plain.stderr
    # a plain HTTP request gets the TLS server's refusal, not the API's answer
    raw = node2.run(PLAIN_GET % port)
    assert raw.rc == 0, raw.stderr
    assert raw.stdout.startswith("400 ") and "HTTPS server" in raw.stdout, raw.stdout
    assert "ApiVersion" not in raw.stdout
    # the local socket still works next to the TCP listeners
    assert node2.run("docker info --format '{{.ServerVersion}}'").rc == 0


# The client reads the address the same way: any spelling of TCP keeps the certificates given.
@pytest.mark.parametrize("docker_host", ["tcp://127.0.0.1:2376", "TCP://127.0.0.1:2378", "127.0.0.1:2377"])
def test_engine_info_over_tls(node2, tls_run, docker_host):
    res = node2.ansible(
        "dockyard.docker.engine_info",
        "docker_host={h} tls_ca_cert={p}/ca.pem tls_client_cert={p}/cert.pem "
        "tls_client_key={p}/key.pem containers=false".format(h=docker_host, p=PKI),
        check=True,
    )
    assert res.get("failed") is not True, res
    assert res["engine"]["version"] == node2.check_output("docker version --format '{{.Server.Version}}'")


@pytest.mark.parametrize("docker_host", ["http://127.0.0.1:2376", "TCP://127.0.0.1:2378"])
def test_engine_info_refuses_plain_tcp_in_any_spelling(node2, tls_run, docker_host):
    # ansible's --tree result (what testinfra reads) has no "failed" key: look at what came back instead
    try:
        res = node2.ansible("dockyard.docker.engine_info", "docker_host=%s containers=false" % docker_host, check=True)
    except AnsibleException as exc:
        res = exc.result
    assert "engine" not in res, res
    assert "plain TCP without TLS" in res["msg"] and "read as tcp://127.0.0.1:" in res["msg"], res


def test_private_key_never_in_output(tls_run):
    run, key, _starts, again = tls_run
    body = [line for line in key.splitlines() if line and not line.startswith("-----")]
    assert body
    for line in body:
        assert line not in run.output and line not in again.output
