# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one path from a module to a Docker engine.

Every module builds its argument spec from :func:`docker_argument_spec`, opens the
engine with :func:`connect` and lets :func:`fail_from_error` turn SDK and transport
errors into messages an operator can act on.  Only the low-level ``docker.APIClient``
is used: it returns the engine's own JSON, costs no extra round trips to wrap
objects, and keeps the module start-up small.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import traceback

try:
    import docker
    from docker.errors import APIError, DockerException, NotFound, TLSParameterError
    from docker.tls import TLSConfig

    HAS_DOCKER = True
    DOCKER_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised on hosts without the SDK
    HAS_DOCKER = False
    DOCKER_IMPORT_ERROR = traceback.format_exc()

    class APIError(Exception):  # noqa: N818 - mirror the SDK's names
        pass

    class DockerException(Exception):  # noqa: N818
        pass

    class NotFound(APIError):  # noqa: N818
        pass

    class TLSParameterError(DockerException):  # noqa: N818
        pass

from ansible.module_utils.basic import env_fallback, missing_required_lib

DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"
DEFAULT_TIMEOUT = 60
# Oldest engine API this collection talks to (Docker 20.10 = 1.41, Debian 12's docker.io).
MIN_API_VERSION = "1.41"

# Label that marks containers created by this collection; `containers` prune only
# ever removes containers that carry it.
OWNER_LABEL = "io.dockyard.managed"


def docker_argument_spec():
    """Options every module shares to reach an engine (community.docker names)."""
    return dict(
        docker_host=dict(
            type="str",
            default=DEFAULT_DOCKER_HOST,
            aliases=["docker_url"],
            fallback=(env_fallback, ["DOCKER_HOST"]),
        ),
        timeout=dict(type="int", default=DEFAULT_TIMEOUT, fallback=(env_fallback, ["DOCKER_TIMEOUT"])),
        tls_ca_cert=dict(type="path", aliases=["ca_path", "ca_cert"]),
        tls_client_cert=dict(type="path", aliases=["client_cert", "cert_path"]),
        tls_client_key=dict(type="path", aliases=["client_key", "key_path"], no_log=False),
        validate_certs=dict(
            type="bool",
            default=True,
            aliases=["tls_verify"],
        ),
    )


def _env_cert_path(name):
    cert_path = os.environ.get("DOCKER_CERT_PATH")
    if not cert_path:
        return None
    candidate = os.path.join(cert_path, name)
    return candidate if os.path.exists(candidate) else None


def resolve_connection(params, environ=None):
    """Pure: turn module params (+ DOCKER_* environment) into APIClient keyword arguments.

    Returns ``(base_url, tls_kwargs_or_None, timeout)``.  ``tls_kwargs`` is ``None``
    for unix sockets and for plain tcp:// without any TLS material: the caller
    decides whether plain TCP is acceptable (it is refused unless the user
    explicitly turned ``validate_certs`` off and gave no certificates).
    """
    environ = os.environ if environ is None else environ
    host = params.get("docker_host") or DEFAULT_DOCKER_HOST
    timeout = params.get("timeout") or DEFAULT_TIMEOUT
    ca = params.get("tls_ca_cert")
    cert = params.get("tls_client_cert")
    key = params.get("tls_client_key")
    verify = params.get("validate_certs", True)
    cert_dir = environ.get("DOCKER_CERT_PATH")
    if cert_dir:
        ca = ca or _maybe(os.path.join(cert_dir, "ca.pem"))
        cert = cert or _maybe(os.path.join(cert_dir, "cert.pem"))
        key = key or _maybe(os.path.join(cert_dir, "key.pem"))
    if environ.get("DOCKER_TLS_VERIFY") not in (None, "", "0") and "validate_certs" not in params:
        verify = True
    if host.startswith("unix://") or host.startswith("npipe://") or host.startswith("ssh://"):
        return host, None, timeout
    if host.startswith("tcp://") or host.startswith("https://") or host.startswith("http://"):
        if not (ca or cert or key):
            return host, None, timeout
        tls = dict(verify=ca if (verify and ca) else bool(verify))
        if cert or key:
            tls["client_cert"] = (cert, key)
        return host, tls, timeout
    return host, None, timeout


def _maybe(path):
    return path if os.path.exists(path) else None


class EngineClient:
    """Thin holder of one ``docker.APIClient`` plus the module, for error handling."""

    def __init__(self, module, api, api_kwargs=None):
        self.module = module
        self.api = api
        # How ``api`` was built, so that :meth:`new_api` can open more clients without
        # negotiating the API version again (one client per worker thread).
        self.api_kwargs = api_kwargs

    def new_api(self):
        """Another ``docker.APIClient`` to the same engine with the already negotiated version.

        ``requests`` sessions are not guaranteed thread-safe: give each worker thread its own.
        """
        if self.api_kwargs is None:
            return self.api
        kwargs = dict(self.api_kwargs)
        kwargs["version"] = self.api.api_version
        return docker.APIClient(**kwargs)

    def fail(self, msg, **kwargs):
        self.module.fail_json(msg=msg, **kwargs)


def connect(module):
    """Open the engine named by the module's docker_* options or fail clearly."""
    if not HAS_DOCKER:
        module.fail_json(
            msg=missing_required_lib("docker (the Docker SDK for Python)"),
            exception=DOCKER_IMPORT_ERROR,
        )
    params = module.params
    base_url, tls, timeout = resolve_connection(params)
    if base_url.startswith("tcp://") and tls is None and params.get("validate_certs", True):
        module.fail_json(
            msg=(
                "docker_host %s is plain TCP without TLS: anyone who reaches that port is root on the host. "
                "Give tls_ca_cert, tls_client_cert and tls_client_key (or DOCKER_CERT_PATH), or set "
                "validate_certs: false to accept an unauthenticated connection." % base_url
            )
        )
    tls_config = None
    if tls is not None:
        for opt, path in (
            ("tls_ca_cert", tls["verify"] if isinstance(tls["verify"], str) else None),
            ("tls_client_cert", (tls.get("client_cert") or (None, None))[0]),
            ("tls_client_key", (tls.get("client_cert") or (None, None))[1]),
        ):
            if path and not os.path.exists(path):
                module.fail_json(msg="%s: file %s does not exist" % (opt, path))
        if tls.get("client_cert") and not all(tls["client_cert"]):
            module.fail_json(msg="tls_client_cert and tls_client_key must be given together")
        try:
            tls_config = TLSConfig(**tls)
        except TLSParameterError as exc:
            module.fail_json(msg="TLS options are not usable: %s" % exc)
        if base_url.startswith("tcp://"):
            base_url = "https://" + base_url[len("tcp://"):]
        if isinstance(tls["verify"], str):
            # requests prefers REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE over the session's CA when a
            # request carries no verify of its own (docker's never does): the explicit
            # tls_ca_cert must win, or a correct CA fails as "self-signed certificate".
            for var in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
                os.environ.pop(var, None)
    api_kwargs = dict(base_url=base_url, timeout=timeout, tls=tls_config)
    try:
        api = docker.APIClient(version="auto", **api_kwargs)
    except Exception as exc:  # noqa: BLE001 - every failure here is a connection problem
        doing = "connect to the Docker engine at %s%s" % (params.get("docker_host"), _transport_note(base_url, tls))
        fail_from_error(module, exc, doing)
    return EngineClient(module, api, api_kwargs)


def _transport_note(base_url, tls):
    """How a TCP connection was attempted, for the failure message (never key material)."""
    if not (base_url.startswith("https://") or base_url.startswith("http://") or base_url.startswith("tcp://")):
        return ""
    if tls is None:
        return " (plain HTTP, validate_certs: false)"
    parts = ["TLS"]
    parts.append("CA %s" % tls["verify"] if isinstance(tls["verify"], str)
                 else ("system CAs" if tls["verify"] else "server certificate NOT verified"))
    parts.append("client certificate %s" % tls["client_cert"][0] if tls.get("client_cert")
                 else "no client certificate given")
    return " (%s)" % ", ".join(parts)


def explain_error(exc, host=None):
    """Pure: one operator-facing sentence for an SDK/transport exception."""
    text = str(exc)
    low = text.lower()
    where = " at %s" % host if host else ""
    if "permission denied" in low:
        return (
            "Permission denied talking to the Docker engine%s: run as root (become: true) or as a user "
            "in the docker group. (%s)" % (where, text)
        )
    if "no such file or directory" in low or "filenotfounderror" in low:
        return "No Docker engine socket%s: is the engine installed and running? (%s)" % (where, text)
    if "connection refused" in low:
        return "Connection refused by the Docker engine%s: is it running and listening there? (%s)" % (where, text)
    if ("certificate verify failed" in low or "certificate_verify_failed" in low) and "mismatch" in low:
        return (
            "TLS certificate verification failed%s: the engine's certificate is not valid for the host name "
            "or IP address in docker_host (add it to the certificate's subjectAltName, or connect by a name "
            "the certificate lists). (%s)" % (where, text)
        )
    if "certificate verify failed" in low or "certificate_verify_failed" in low:
        return (
            "TLS certificate verification failed%s: the CA in tls_ca_cert did not sign the engine's "
            "certificate (wrong CA, or a self-signed engine certificate). (%s)" % (where, text)
        )
    if "wrong version number" in low or "unknown protocol" in low or "record layer failure" in low:
        return (
            "The engine%s does not speak TLS on that port: it is a plain HTTP endpoint (unauthenticated, "
            "root on the host for anyone who reaches it); use the engine's TLS port. (%s)" % (where, text)
        )
    if "http request to an https server" in low:
        return (
            "The engine%s requires TLS on that port but the connection was plain HTTP: give tls_ca_cert, "
            "tls_client_cert and tls_client_key (and keep validate_certs: true). (%s)" % (where, text)
        )
    if "unknown ca" in low:
        return (
            "The engine%s rejected the client certificate: tls_client_cert was not signed by the CA the engine "
            "trusts (its tlscacert). (%s)" % (where, text)
        )
    if ("certificate required" in low or "bad certificate" in low or "handshake failure" in low
            or "tlsv13 alert" in low or "tlsv1 alert" in low):
        return (
            "The engine%s refused the TLS handshake: it requires a client certificate signed by its CA "
            "(tls_client_cert / tls_client_key) - none was given, or the one given is not signed by that CA, "
            "expired, or not made for client authentication. (%s)" % (where, text)
        )
    if "eof occurred in violation of protocol" in low or "unexpected eof" in low:
        return (
            "The engine%s closed the TLS connection during the handshake: it most likely requires a client "
            "certificate signed by its CA (tls_client_cert / tls_client_key) and got none, or one it does "
            "not trust. (%s)" % (where, text)
        )
    if "read timed out" in low or "timed out" in low:
        return "The Docker engine%s did not answer in time (timeout option). (%s)" % (where, text)
    if isinstance(exc, APIError):
        explanation = getattr(exc, "explanation", None)
        if explanation:
            return str(explanation)
    return text


def fail_from_error(module, exc, doing, **result):
    """Fail the module with an explained error while ``doing`` something."""
    msg = "Could not %s: %s" % (doing, explain_error(exc, module.params.get("docker_host")))
    module.fail_json(msg=msg, **result)


def is_not_found(exc):
    return isinstance(exc, NotFound) or (
        isinstance(exc, APIError) and getattr(exc, "status_code", None) == 404
    )
