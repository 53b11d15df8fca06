# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared client path: option/environment resolution, refusals, error explanations.

The TLS cases at the end run the real ``connect()`` against small local TLS endpoints
(certificates made with the openssl CLI in tmp_path), so the messages are checked against
the errors this Python/OpenSSL really raises; the real engine case is molecule ``security``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils import client
from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    DEFAULT_DOCKER_HOST,
    APIError,
    connect,
    docker_argument_spec,
    explain_error,
    resolve_connection,
)


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, **params):
        self.params = dict(docker_host=DEFAULT_DOCKER_HOST, timeout=5, tls_ca_cert=None, tls_client_cert=None,
                           tls_client_key=None, validate_certs=True)
        self.params.update(params)
        self.warnings = []

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)

    def warn(self, msg):
        self.warnings.append(msg)


def touch(path):
    with open(str(path), "w") as handle:
        handle.write("x")
    return str(path)


# ---------------------------------------------------------------------------- argument spec
def test_argument_spec_names_and_env_fallback():
    spec = docker_argument_spec()
    assert set(spec) >= {"docker_host", "timeout", "tls_ca_cert", "tls_client_cert", "tls_client_key",
                         "validate_certs"}
    assert spec["docker_host"]["fallback"][1] == ["DOCKER_HOST"]
    assert spec["validate_certs"]["default"] is True
    assert spec["tls_ca_cert"]["type"] == "path"


# ---------------------------------------------------------------------------- resolve_connection
def test_unix_socket_has_no_tls():
    assert resolve_connection({"docker_host": "unix:///run/docker.sock"}, environ={}) == (
        "unix:///run/docker.sock", None, 60)
    assert resolve_connection({}, environ={})[0] == DEFAULT_DOCKER_HOST


def test_tcp_without_material_is_plain_and_left_to_caller():
    assert resolve_connection({"docker_host": "tcp://h:2375", "timeout": 7}, environ={}) == ("tcp://h:2375", None, 7)


def test_tcp_with_all_material(tmp_path):
    ca, cert, key = touch(tmp_path / "ca"), touch(tmp_path / "c"), touch(tmp_path / "k")
    params = dict(docker_host="tcp://h:2376", tls_ca_cert=ca, tls_client_cert=cert, tls_client_key=key,
                  validate_certs=True)
    host, tls, dummy = resolve_connection(params, environ={})
    assert host == "tcp://h:2376"
    assert tls == {"verify": ca, "client_cert": (cert, key)}


def test_validate_certs_false_keeps_client_cert_but_does_not_verify(tmp_path):
    ca, cert, key = touch(tmp_path / "ca"), touch(tmp_path / "c"), touch(tmp_path / "k")
    params = dict(docker_host="tcp://h:2376", tls_ca_cert=ca, tls_client_cert=cert, tls_client_key=key,
                  validate_certs=False)
    dummy, tls, dummy = resolve_connection(params, environ={})
    assert tls == {"verify": False, "client_cert": (cert, key)}


def test_ca_only_verifies_without_client_cert(tmp_path):
    ca = touch(tmp_path / "ca")
    dummy, tls, dummy = resolve_connection(dict(docker_host="tcp://h:2376", tls_ca_cert=ca), environ={})
    assert tls == {"verify": ca}


def test_docker_cert_path_fallback(tmp_path):
    for name in ("ca.pem", "cert.pem", "key.pem"):
        touch(tmp_path / name)
    env = {"DOCKER_CERT_PATH": str(tmp_path), "DOCKER_TLS_VERIFY": "1"}
    dummy, tls, dummy = resolve_connection(dict(docker_host="tcp://h:2376", validate_certs=True), environ=env)
    assert tls == {"verify": str(tmp_path / "ca.pem"),
                   "client_cert": (str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))}


def test_explicit_options_win_over_docker_cert_path(tmp_path):
    envdir = tmp_path / "env"
    envdir.mkdir()
    for name in ("ca.pem", "cert.pem", "key.pem"):
        touch(envdir / name)
    mine = touch(tmp_path / "myca.pem")
    dummy, tls, dummy = resolve_connection(dict(docker_host="tcp://h:2376", tls_ca_cert=mine),
                                           environ={"DOCKER_CERT_PATH": str(envdir)})
    assert tls["verify"] == mine
    assert tls["client_cert"] == (str(envdir / "cert.pem"), str(envdir / "key.pem"))


def test_docker_cert_path_with_missing_files_is_ignored(tmp_path):
    dummy, tls, dummy = resolve_connection(dict(docker_host="tcp://h:2376"), environ={"DOCKER_CERT_PATH": str(tmp_path)})
    assert tls is None


# ---------------------------------------------------------------------------- connect refusals (no network)
def test_connect_refuses_plain_tcp_by_default():
    with pytest.raises(Failed) as err:
        connect(FakeModule(docker_host="tcp://10.0.0.1:2375"))
    msg = str(err.value)
    assert "plain TCP without TLS" in msg and "root on the host" in msg and "tls_ca_cert" in msg


# Every spelling dockerd, the docker CLI or the SDK reads as TCP is refused without TLS, and the message
# shows how the address was read.
@pytest.mark.parametrize("host", ["TCP://10.0.0.1:2375", "http://10.0.0.1:2375", "HTTP://10.0.0.1:2375",
                                  "10.0.0.1:2375", " tcp://10.0.0.1:2375", "tcp://10.0.0.1:2375\n"])
def test_connect_refuses_every_spelling_of_plain_tcp(host):
    module = FakeModule(docker_host=host)
    with pytest.raises(Failed) as err:
        connect(module)
    msg = str(err.value)
    assert "plain TCP without TLS" in msg and "root on the host" in msg
    assert "read as tcp://10.0.0.1:2375" in msg
    assert module.warnings == []


@pytest.mark.parametrize("host,url", [
    ("TCP://h:2376", "tcp://h:2376"), ("http://h:2376", "tcp://h:2376"), ("h:2376", "tcp://h:2376"),
    (" tcp://h:2376 ", "tcp://h:2376"), ("https://h:2376", "tcp://h:2376")])
def test_certificates_are_kept_whatever_the_spelling(tmp_path, host, url):
    ca, cert, key = touch(tmp_path / "ca"), touch(tmp_path / "c"), touch(tmp_path / "k")
    params = dict(docker_host=host, tls_ca_cert=ca, tls_client_cert=cert, tls_client_key=key, validate_certs=True)
    assert resolve_connection(params, environ={}) == (url, {"verify": ca, "client_cert": (cert, key)}, 60)


def test_https_alone_asks_for_tls_with_the_system_cas():
    assert resolve_connection({"docker_host": "https://h"}, environ={}) == ("tcp://h:2376", {"verify": True}, 60)
    assert resolve_connection({"docker_host": "HTTPS://h:1", "validate_certs": False}, environ={}) == (
        "tcp://h:1", {"verify": False}, 60)


@pytest.mark.parametrize("host,url", [
    ("unix://", DEFAULT_DOCKER_HOST), ("UNIX:///run/docker.sock", "unix:///run/docker.sock"),
    ("", DEFAULT_DOCKER_HOST), (None, DEFAULT_DOCKER_HOST), ("ssh://me@h", "ssh://me@h")])
def test_local_and_ssh_addresses_have_no_tls(tmp_path, host, url):
    params = dict(docker_host=host, tls_ca_cert=touch(tmp_path / "ca"))
    assert resolve_connection(params, environ={}) == (url, None, 60)


@pytest.mark.parametrize("host,words", [
    ("tcp://h:99999", ["docker_host", "1 to 65535"]),
    ("foo://h", ["docker_host", "unknown scheme foo://"]),
    ("/var/run/docker.sock", ["docker_host", "unix:///var/run/docker.sock"]),
    ("   ", ["docker_host", "empty"]),
])
def test_connect_refuses_an_unreadable_address_naming_the_option(host, words):
    with pytest.raises(Failed) as err:
        connect(FakeModule(docker_host=host))
    for word in words:
        assert word in str(err.value)


def test_connect_refuses_fd():
    with pytest.raises(Failed, match="systemd, a client cannot connect"):
        connect(FakeModule(docker_host="fd://"))


def test_connect_names_a_missing_file(tmp_path):
    with pytest.raises(Failed, match="tls_client_cert: file .*nope.pem does not exist"):
        connect(FakeModule(docker_host="tcp://h:2376", tls_ca_cert=touch(tmp_path / "ca"),
                           tls_client_cert=str(tmp_path / "nope.pem"), tls_client_key=touch(tmp_path / "k")))


def test_connect_wants_cert_and_key_together(tmp_path):
    with pytest.raises(Failed, match="tls_client_cert and tls_client_key must be given together"):
        connect(FakeModule(docker_host="tcp://h:2376", tls_ca_cert=touch(tmp_path / "ca"),
                           tls_client_cert=touch(tmp_path / "c")))


def test_transport_note_never_names_the_key():
    note = client._transport_note("https://h:2376", {"verify": "/ca.pem", "client_cert": ("/c.pem", "/k.pem")})
    assert note == " (TLS, CA /ca.pem, client certificate /c.pem)"
    assert client._transport_note("https://h:2376", {"verify": True}) == (
        " (TLS, system CAs, no client certificate given)")
    assert client._transport_note("tcp://h:2375", None) == " (plain HTTP, validate_certs: false)"
    assert client._transport_note("unix:///x", None) == ""


# ---------------------------------------------------------------------------- explain_error
@pytest.mark.parametrize("text,expect", [
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate",
     "the CA in tls_ca_cert did not sign the engine's certificate"),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address mismatch, certificate is not "
     "valid for '10.0.0.1'", "not valid for the host name or IP address"),
    ("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)", "plain HTTP endpoint"),
    ("[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required",
     "requires a client certificate signed by its CA"),
    ("[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca", "was not signed by the CA the engine trusts"),
    ("400 Client Error: Bad Request (\"Client sent an HTTP request to an HTTPS server.\")",
     "requires TLS on that port but the connection was plain HTTP"),
    ("('Connection aborted.', ConnectionRefusedError(111, 'Connection refused'))", "Connection refused"),
    ("('Connection aborted.', PermissionError(13, 'Permission denied'))", "become: true"),
    ("('Connection aborted.', FileNotFoundError(2, 'No such file or directory'))", "No Docker engine socket"),
    ("SSLError(SSLEOFError(8, 'EOF occurred in violation of protocol (_ssl.c:2427)'))",
     "requires a client certificate signed by its CA"),
    ("UnixHTTPConnectionPool(host='localhost', port=None): Read timed out. (read timeout=60)", "did not answer"),
])
def test_explain_error(text, expect):
    msg = explain_error(Exception(text), "tcp://h:2376")
    assert expect in msg
    assert "at tcp://h:2376" in msg
    assert text in msg  # the original error is kept for debugging


def test_explain_api_error_uses_engine_explanation():
    exc = APIError("500 Server Error", explanation="This node is not a swarm manager.")
    assert explain_error(exc) == "This node is not a swarm manager."


# ---------------------------------------------------------------------------- real TLS handshakes, local
OPENSSL = shutil.which("openssl")


def _openssl(*args, **kw):
    subprocess.run([OPENSSL] + list(args), check=True, capture_output=True, **kw)


def _ca(d, name):
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
             "-subj", "/CN=%s" % name, "-keyout", str(d / ("%s-key.pem" % name)), "-out", str(d / ("%s.pem" % name)))


def _leaf(d, name, ca, ext):
    (d / ("%s.ext" % name)).write_text(ext)
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=%s" % name,
             "-keyout", str(d / ("%s-key.pem" % name)), "-out", str(d / ("%s.csr" % name)))
    _openssl("x509", "-req", "-in", str(d / ("%s.csr" % name)), "-CA", str(d / ("%s.pem" % ca)),
             "-CAkey", str(d / ("%s-key.pem" % ca)), "-CAcreateserial", "-days", "1",
             "-extfile", str(d / ("%s.ext" % name)), "-out", str(d / ("%s.pem" % name)))


class _Version(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server API
        body = json.dumps({"ApiVersion": "1.41", "Version": "20.10.24"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(context=None):
    server = HTTPServer(("127.0.0.1", 0), _Version)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    if not OPENSSL:
        pytest.skip("openssl CLI not available")
    d = tmp_path_factory.mktemp("pki")
    _ca(d, "ca")
    _ca(d, "otherca")
    _leaf(d, "server", "ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    _leaf(d, "client", "ca", "extendedKeyUsage=clientAuth\n")
    _leaf(d, "strayclient", "otherca", "extendedKeyUsage=clientAuth\n")
    return d


@pytest.fixture(scope="module")
def tls_engine(pki):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(pki / "server.pem"), str(pki / "server-key.pem"))
    ctx.load_verify_locations(str(pki / "ca.pem"))
    ctx.verify_mode = ssl.CERT_REQUIRED
    server = _serve(ctx)
    yield "tcp://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()


@pytest.fixture(scope="module")
def plain_engine():
    server = _serve()
    yield "tcp://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()


@pytest.fixture(autouse=True)
def ca_bundle_env(monkeypatch):
    """Many CI machines point requests at the system bundle; an explicit tls_ca_cert must still win."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ssl.get_default_verify_paths().openssl_cafile)
    monkeypatch.setenv("CURL_CA_BUNDLE", ssl.get_default_verify_paths().openssl_cafile)


def _tls_module(pki, host, ca="ca.pem", cert="client.pem", key="client-key.pem"):
    return FakeModule(docker_host=host, tls_ca_cert=str(pki / ca) if ca else None,
                      tls_client_cert=str(pki / cert) if cert else None,
                      tls_client_key=str(pki / key) if key else None)


def test_tls_with_right_ca_and_client_cert_connects(pki, tls_engine):
    engine = connect(_tls_module(pki, tls_engine))
    assert engine.api.api_version == "1.41"
    assert engine.api.base_url.startswith("https://127.0.0.1:")


def test_tls_wrong_ca_says_ca(pki, tls_engine):
    with pytest.raises(Failed) as err:
        connect(_tls_module(pki, tls_engine, ca="otherca.pem"))
    assert "the CA in tls_ca_cert did not sign the engine's certificate" in str(err.value)
    assert "CA %s" % (pki / "otherca.pem") in str(err.value)


def test_tls_without_client_cert_says_client_certificate(pki, tls_engine):
    with pytest.raises(Failed) as err:
        connect(_tls_module(pki, tls_engine, cert=None, key=None))
    msg = str(err.value)
    assert "no client certificate given" in msg
    assert "client certificate signed by its CA" in msg.split("):", 1)[1]


def test_tls_client_cert_from_another_ca_is_named(pki, tls_engine):
    with pytest.raises(Failed) as err:
        connect(_tls_module(pki, tls_engine, cert="strayclient.pem", key="strayclient-key.pem"))
    # Go's TLS stack (dockerd) answers with an "unknown ca" alert, Python's server just closes.
    msg = str(err.value)
    assert "was not signed by the CA the engine trusts" in msg or "or one it does not trust" in msg


def test_tls_options_against_plain_http_endpoint_say_plain_http(pki, plain_engine):
    with pytest.raises(Failed) as err:
        connect(_tls_module(pki, plain_engine))
    assert "plain HTTP endpoint" in str(err.value)


def test_plain_http_only_with_validate_certs_false(plain_engine):
    with pytest.raises(Failed, match="plain TCP without TLS"):
        connect(FakeModule(docker_host=plain_engine))
    module = FakeModule(docker_host=plain_engine, validate_certs=False)
    engine = connect(module)
    assert engine.api.base_url.startswith("http://127.0.0.1:")
    assert engine.api.version() == {"ApiVersion": "1.41", "Version": "20.10.24"}
    assert len(module.warnings) == 1
    assert "plain TCP without TLS (validate_certs: false)" in module.warnings[0]


def test_scheme_less_plain_address_with_validate_certs_false_warns(plain_engine):
    module = FakeModule(docker_host=plain_engine[len("tcp://"):], validate_certs=False)
    engine = connect(module)
    assert engine.api.version()["Version"] == "20.10.24"
    assert len(module.warnings) == 1 and "read as %s" % plain_engine in module.warnings[0]


def test_upper_case_scheme_still_uses_the_certificates(pki, tls_engine):
    # TCP:// used to be passed through untouched, without the certificates given
    engine = connect(_tls_module(pki, "TCP://" + tls_engine[len("tcp://"):]))
    assert engine.api.base_url.startswith("https://127.0.0.1:")
    assert engine.api.version()["Version"] == "20.10.24"


def test_tls_without_verification_warns(pki, tls_engine):
    module = _tls_module(pki, tls_engine, ca=None)
    module.params["validate_certs"] = False
    engine = connect(module)
    assert engine.api.version()["Version"] == "20.10.24"
    assert len(module.warnings) == 1 and "is not verified" in module.warnings[0]


def test_verified_tls_does_not_warn(pki, tls_engine):
    module = _tls_module(pki, tls_engine)
    connect(module).api.version()
    assert module.warnings == []


def test_key_material_never_in_messages(pki, tls_engine):
    key_text = (pki / "client-key.pem").read_text()
    body = key_text.split("-----")[2].strip().splitlines()[0]
    with pytest.raises(Failed) as err:
        connect(_tls_module(pki, tls_engine, ca="otherca.pem"))
    assert body not in str(err.value)
    assert os.path.exists(str(pki / "client-key.pem"))
