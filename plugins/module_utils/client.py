# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one path from a module to a Docker engine.

Every module builds its argument spec from :func:`docker_argument_spec`, opens the
engine with :func:`connect` and lets :func:`fail_from_error` turn SDK and transport
errors into messages an operator can act on.  Only the low-level ``docker.APIClient``
is used: it returns the engine's own JSON, costs no extra round trips to wrap
objects, and keeps the module start-up small.

The SDK is imported on first use, not when this file is imported: importing it
(``requests``, ``urllib3``, ``http.client``) is a large part of what a ``container``
task that changes nothing would spend on the target (benchmarks/README.md has the
profile).  Such a task only makes three reads: the container's inspect document, the
one of the name a recreate keeps an old container under (normally not found) and the
image's (a ``containers`` task: one container list, one inspect per item and one per
image).  :class:`EngineReader` fetches them straight over the engine's unix socket;
the SDK is loaded when something has to change (see ``connect(module, lazy=True)``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import socket
import sys
import traceback

try:
    from urllib.parse import quote, urlencode
except ImportError:  # pragma: no cover - Python 2 is not a supported target
    from urllib import quote, urlencode

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.dockyard.docker.plugins.module_utils.engine.address import (
    EngineAddressError,
    parse_engine_address,
)

DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"
DEFAULT_TIMEOUT = 60

# Label that marks containers created by this collection; `containers` prune only
# ever removes containers that carry it.
OWNER_LABEL = "io.dockyard.managed"


# --------------------------------------------------------------------------- the SDK, on first use
_SDK = {}


class _MissingSDKError(Exception):
    """Stands in for the SDK's exception classes when the SDK is not installed.

    Nothing ever raises it, so ``except (APIError, DockerException)`` in a module
    stays valid (and ansible-test's import check passes) on a host without the SDK.
    """


def _load_sdk():
    """Import the docker SDK once; return its module, or ``None`` when it is missing."""
    if "module" not in _SDK:
        try:
            import docker
            import docker.errors
            import docker.tls

            _SDK["module"] = docker
            _SDK["error"] = None
        except ImportError:  # pragma: no cover - exercised on hosts without the SDK
            _SDK["module"] = None
            _SDK["error"] = traceback.format_exc()
    return _SDK["module"]


def _sdk_available():
    """Whether the SDK can be imported, without importing it (a path lookup only)."""
    if "module" in _SDK:
        return _SDK["module"] is not None
    try:
        import importlib.util

        return importlib.util.find_spec("docker") is not None
    except (ImportError, ValueError):  # pragma: no cover
        return _load_sdk() is not None


# The SDK's exception classes that modules import from here to catch.
_SDK_ERRORS = ("APIError", "DockerException", "NotFound")


def __getattr__(name):
    """``from .client import APIError`` (and friends) loads the SDK then, and only then.

    Modules that catch SDK errors import these names and get the SDK's own classes;
    ``container`` never asks for them and so never pays for the import when it
    changes nothing.  (PEP 562; every target Python ansible-core supports has it.)
    """
    if name in _SDK_ERRORS:
        sdk = _load_sdk()
        return getattr(sdk.errors, name) if sdk is not None else _MissingSDKError
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


def _sdk_error(name):
    """The SDK's exception class ``name`` if anything loaded the SDK already, else ``None``.

    An SDK exception cannot exist before ``docker.errors`` is imported, so nothing is missed.
    """
    errors = sys.modules.get("docker.errors")
    return getattr(errors, name, None) if errors is not None else None


# --------------------------------------------------------------------------- reading without the SDK
class EngineUnreachable(Exception):
    """The engine's socket could not be used at all (missing, refused, permission, timeout)."""


class EngineHTTPError(Exception):
    """The engine answered a read with an HTTP error; ``status_code`` and ``explanation`` as in the SDK."""

    def __init__(self, status_code, explanation):
        super(EngineHTTPError, self).__init__("%s: %s" % (status_code, explanation))
        self.status_code = status_code
        self.explanation = explanation


class EngineReader:
    """Read-only JSON GETs straight over the engine's unix socket (inspects, the container list).

    Sends ``HTTP/1.0`` requests (the engine then answers without chunking and closes
    the connection, so the whole reply is read until EOF) to unversioned paths,
    which the engine serves at its own API version -- the version the SDK
    negotiates with ``version="auto"``, so the documents are the same the SDK
    returns.  Path arguments are quoted exactly as the SDK quotes them.
    """

    def __init__(self, socket_path, timeout=DEFAULT_TIMEOUT):
        self.socket_path = socket_path
        self.timeout = timeout

    def get(self, path):
        return self._parse(self._request(path))

    def _request(self, path):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        chunks = []
        try:
            sock.settimeout(self.timeout)
            sock.connect(self.socket_path)
            sock.sendall(("GET %s HTTP/1.0\r\nHost: docker\r\nUser-Agent: dockyard.docker\r\n\r\n" % path)
                         .encode("ascii"))
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                chunks.append(data)
        except OSError as exc:  # socket.timeout and ConnectionError are OSErrors too
            raise EngineUnreachable(str(exc))
        finally:
            sock.close()
        return b"".join(chunks)

    @staticmethod
    def _split(raw):
        """A raw HTTP answer -> ``(status, headers with lower-case names, body bytes)``."""
        head, sep, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if not sep or len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            raise EngineUnreachable("unexpected answer from the engine socket: %r" % raw[:80])
        headers = {}
        for line in lines[1:]:
            key, _colon, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        return int(parts[1]), headers, body

    @classmethod
    def _parse(cls, raw):
        status, _headers, body = cls._split(raw)
        text = body.decode("utf-8", "replace")
        if status >= 400:
            raise EngineHTTPError(status, _explanation(text))
        return json.loads(text)

    def get_raw(self, path):
        """``GET path``: ``(status, headers, body bytes)`` for answers that are not JSON (archives)."""
        return self._split(self._request(path))

    def inspect_container(self, name):
        return self.get("/containers/%s/json" % quote(name, safe="/:"))

    # The helpers below carry the SDK's names and signatures, so a caller works the same on
    # ``EngineClient.reader`` whether it is this reader or a ``docker.APIClient``.
    def inspect_network(self, net_id):
        return self.get("/networks/%s" % quote(net_id, safe=""))

    def inspect_volume(self, name):
        return self.get("/volumes/%s" % quote(name, safe=""))

    def images(self, name=None, quiet=False, all=False, filters=None):  # noqa: A002 - the SDK's names
        """``GET /images/json``: the summaries ``docker.APIClient.images()`` returns (``quiet``: IDs only)."""
        query = dict(all=1 if all else 0)
        filters = dict(filters or {})
        if name:
            filters["reference"] = name
        if filters:
            query["filters"] = encode_filters(filters)
        listed = self.get("/images/json?%s" % urlencode(sorted(query.items())))
        return [image["Id"] for image in listed] if quiet else listed

    def info(self):
        return self.get("/info")

    def inspect_swarm(self):
        return self.get("/swarm")

    def get_unlock_key(self):
        return self.get("/swarm/unlockkey")

    def _listing(self, path, filters=None, **flags):
        """``GET path`` with the engine's ``filters`` JSON and boolean flags (``true`` when set)."""
        query = dict((key, "true") for key, value in flags.items() if value)
        if filters:
            query["filters"] = encode_filters(filters)
        return self.get(path + ("?%s" % urlencode(sorted(query.items())) if query else ""))

    def nodes(self, filters=None):
        return self._listing("/nodes", filters)

    def inspect_node(self, node_id):
        return self.get("/nodes/%s" % quote(node_id, safe=""))

    def services(self, filters=None, status=None):
        return self._listing("/services", filters, status=status)

    def inspect_service(self, service, insert_defaults=None):
        return self._listing("/services/%s" % quote(service, safe=""), insertDefaults=insert_defaults)

    def tasks(self, filters=None):
        return self._listing("/tasks", filters)

    def secrets(self, filters=None):
        return self._listing("/secrets", filters)

    def configs(self, filters=None):
        return self._listing("/configs", filters)

    def get_archive(self, container, path):
        """``GET /containers/{id}/archive``: ``(chunks, stat)`` as ``docker.APIClient.get_archive`` returns them."""
        status, headers, body = self.get_raw("/containers/%s/archive?%s" % (
            quote(container, safe="/:"), urlencode(dict(path=path))))
        if status >= 400:
            raise EngineHTTPError(status, _explanation(body.decode("utf-8", "replace")))
        return [body], decode_path_stat(headers.get("x-docker-container-path-stat"))

    def inspect_image(self, ref):
        return self.get("/images/%s/json" % quote(ref, safe="/:"))

    def containers(self, all=False, filters=None):  # noqa: A002 - the SDK's name
        """``GET /containers/json``: the summaries ``docker.APIClient.containers(all, filters)`` returns."""
        query = dict(all=1 if all else 0)
        if filters:
            query["filters"] = encode_filters(filters)
        return self.get("/containers/json?%s" % urlencode(sorted(query.items())))


def _explanation(text):
    """The engine's ``message`` of an error answer, else the answer's text."""
    try:
        return json.loads(text).get("message") or text.strip()
    except (ValueError, AttributeError):
        return text.strip()


def decode_path_stat(header):
    """Pure: the ``X-Docker-Container-Path-Stat`` header (base64 JSON) -> dict (``{}`` when absent)."""
    if not header:
        return {}
    return json.loads(base64.b64decode(header).decode("utf-8"))


def encode_filters(filters):
    """Pure: ``{"name": "x", "dangling": True}`` -> the engine's ``filters`` JSON, as the SDK encodes it."""
    out = {}
    for key, value in filters.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, list):
            value = [value]
        out[key] = [item if isinstance(item, str) else str(item) for item in value]
    return json.dumps(out)


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


def resolve_connection(params, environ=None):
    """Pure: turn module params (+ DOCKER_* environment) into APIClient keyword arguments.

    Returns ``(base_url, tls_kwargs_or_None, timeout)``.  ``base_url`` is the normalised
    address (:mod:`engine_address`: ``TCP://h:2375``, ``http://h:2375`` and ``h:2375`` all
    become ``tcp://h:2375``); an address that cannot be read raises
    :class:`~engine_address.EngineAddressError`.  ``tls_kwargs`` is ``None`` for local sockets,
    ssh, and TCP without any TLS material (``https://`` alone asks for TLS with the system CAs):
    the caller decides whether plain TCP is acceptable (it is refused unless the user explicitly
    turned ``validate_certs`` off).  Certificates given are always used on a TCP address.
    """
    environ = os.environ if environ is None else environ
    host = params.get("docker_host")
    address = parse_engine_address(DEFAULT_DOCKER_HOST if host in (None, "") else host, "docker_host")
    timeout = params.get("timeout") or DEFAULT_TIMEOUT
    if not address.is_tcp:
        return address.url, None, timeout
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
    if not (ca or cert or key):
        return address.url, (dict(verify=bool(verify)) if address.tls else None), timeout
    tls = dict(verify=ca if (verify and ca) else bool(verify))
    if cert or key:
        tls["client_cert"] = (cert, key)
    return address.url, tls, timeout


def connection_problem(base_url, tls, validate_certs=True):
    """Pure: why ``resolve_connection``'s answer must not be used, or ``None``.

    Shared by the modules and the controller-side plugins: plain TCP is refused unless
    ``validate_certs`` was turned off explicitly, TLS files must exist, and a client
    certificate needs its key.
    """
    if base_url.startswith("tcp://") and tls is None and validate_certs:
        return (
            "docker_host %s is plain TCP without TLS: anyone who reaches that port is root on the host. "
            "Give tls_ca_cert, tls_client_cert and tls_client_key (or DOCKER_CERT_PATH), or set "
            "validate_certs: false to accept an unauthenticated connection." % base_url
        )
    if tls is None:
        return None
    client_cert = tls.get("client_cert") or (None, None)
    for opt, path in (
        ("tls_ca_cert", tls["verify"] if isinstance(tls["verify"], str) else None),
        ("tls_client_cert", client_cert[0]),
        ("tls_client_key", client_cert[1]),
    ):
        if path and not os.path.exists(path):
            return "%s: file %s does not exist" % (opt, path)
    if tls.get("client_cert") and not all(tls["client_cert"]):
        return "tls_client_cert and tls_client_key must be given together"
    return None


def _maybe(path):
    return path if os.path.exists(path) else None


class EngineClient:
    """One engine connection plus the module, for error handling.

    ``api`` is a ``docker.APIClient``.  With ``connect(module, lazy=True)`` on a unix
    socket it is only built (SDK imported, API version negotiated) the first time it
    is used; ``reader`` answers inspects before that without the SDK.
    """

    def __init__(self, module, api, api_kwargs=None, reader=None):
        self.module = module
        self._api = api
        # How ``api`` is built, so that :meth:`new_api` can open more clients without
        # negotiating the API version again (one client per worker thread).
        self.api_kwargs = api_kwargs
        self._reader = reader

    @property
    def api(self):
        if self._api is None:
            self._api = _open_api(self.module, self.api_kwargs, None)
        return self._api

    @property
    def socket_reader(self):
        """The :class:`EngineReader` of a lazy unix-socket connection, else ``None``."""
        return self._reader

    @property
    def reader(self):
        """Something with ``inspect_container``/``inspect_image``/``containers``: the socket reader, else the SDK."""
        return self._reader if self._reader is not None else self.api

    def lazy_api(self):
        """A stand-in for ``api`` that builds the SDK client on first attribute access."""
        return _LazyAPI(self)

    def reads_first(self):
        """A stand-in for ``api`` whose swarm reads (:data:`SWARM_READS`) go through the socket reader when
        there is one, and everything else through the SDK client, built on first use: an unchanged run then
        never loads the SDK."""
        return _ReadsFirst(self)

    def new_api(self):
        """Another ``docker.APIClient`` to the same engine with the already negotiated version.

        ``requests`` sessions are not guaranteed thread-safe: give each worker thread its own.
        """
        if self.api_kwargs is None:
            return self.api
        kwargs = dict(self.api_kwargs)
        kwargs["version"] = self.api.api_version
        return _load_sdk().APIClient(**kwargs)

    def fail(self, msg, **kwargs):
        self.module.fail_json(msg=msg, **kwargs)


class _LazyAPI:
    def __init__(self, engine):
        self._engine = engine

    def __getattr__(self, name):
        return getattr(self._engine.api, name)


# The reads ``reads_first`` sends through :class:`EngineReader`: the same names and answers as the SDK's.
SWARM_READS = frozenset(("services", "inspect_service", "inspect_network", "nodes", "tasks", "secrets", "configs"))


class _ReadsFirst:
    def __init__(self, engine):
        self._engine = engine

    def __getattr__(self, name):
        reader = self._engine.socket_reader
        if name in SWARM_READS and reader is not None:
            return getattr(reader, name)
        return getattr(self._engine.api, name)


def _require_sdk(module, import_now=True):
    """Fail clearly when the SDK is missing; ``import_now=False`` only looks it up on the path."""
    present = _load_sdk() is not None if import_now else _sdk_available()
    if not present:
        _load_sdk()  # for the traceback in the failure
        module.fail_json(
            msg=missing_required_lib("docker (the Docker SDK for Python)"),
            exception=_SDK.get("error"),
        )


def _open_api(module, api_kwargs, tls):
    sdk = _load_sdk()
    try:
        return sdk.APIClient(version="auto", **api_kwargs)
    except Exception as exc:  # noqa: BLE001 - every failure here is a connection problem
        doing = "connect to the Docker engine at %s%s" % (
            module.params.get("docker_host"), _transport_note(api_kwargs["base_url"], tls))
        fail_from_error(module, exc, doing)


def connect(module, lazy=False):
    """Open the engine named by the module's docker_* options or fail clearly.

    ``lazy=True`` (``container``, ``containers``, ``container_unit``, ``stack``): for a unix socket, defer the SDK until
    ``api`` is first used and read through :class:`EngineReader` until then.  The SDK
    must still be installed: a missing SDK fails here, as it does without ``lazy``.
    """
    _require_sdk(module, import_now=False)
    params = module.params
    try:
        base_url, tls, timeout = resolve_connection(params)
    except EngineAddressError as exc:
        module.fail_json(msg=str(exc))
    given = params.get("docker_host")
    shown = given if given == base_url else "%r (read as %s)" % (given, base_url)
    if base_url.startswith("fd://"):
        module.fail_json(
            msg="docker_host %s is a socket dockerd receives from systemd, a client cannot connect to it: "
                "use the engine's unix socket, for example %s." % (shown, DEFAULT_DOCKER_HOST))
    if base_url.startswith("tcp://") and tls is None:
        if params.get("validate_certs", True):
            module.fail_json(
                msg=(
                    "docker_host %s is plain TCP without TLS: anyone who reaches that port is root on the host. "
                    "Give tls_ca_cert, tls_client_cert and tls_client_key (or DOCKER_CERT_PATH), or set "
                    "validate_certs: false to accept an unauthenticated connection." % shown
                )
            )
        module.warn(
            "docker_host %s is plain TCP without TLS (validate_certs: false): the connection is neither encrypted "
            "nor authenticated, and anyone who reaches that port is root on the engine's host." % shown)
    elif tls is not None and tls["verify"] is False:
        module.warn(
            "validate_certs: false: the TLS certificate of the engine at %s is not verified, so anyone on the "
            "network path can impersonate the engine and read what this task sends it." % shown)
    problem = connection_problem(base_url, tls, params.get("validate_certs", True))
    if problem:
        module.fail_json(msg=problem)
    if lazy and tls is None and base_url.startswith("unix://"):
        api_kwargs = dict(base_url=base_url, timeout=timeout, tls=None)
        return EngineClient(module, None, api_kwargs, reader=EngineReader(base_url[len("unix://"):], timeout))
    _require_sdk(module)
    try:
        api_kwargs = build_api_kwargs(base_url, tls, timeout)
    except _load_sdk().errors.TLSParameterError as exc:
        module.fail_json(msg="TLS options are not usable: %s" % exc)
    return EngineClient(module, _open_api(module, api_kwargs, tls), api_kwargs)


def build_api_kwargs(base_url, tls, timeout):
    """``docker.APIClient`` keyword arguments for ``resolve_connection``'s answer (SDK loaded).

    Raises the SDK's ``TLSParameterError`` when the TLS material is not usable.
    """
    tls_config = None
    if tls is not None:
        tls_config = _load_sdk().tls.TLSConfig(**tls)
        if base_url.startswith("tcp://"):
            base_url = "https://" + base_url[len("tcp://"):]
        if tls["verify"] is not True:
            # requests prefers REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE over the session's verify when a
            # request carries no verify of its own (docker's never does): the explicit tls_ca_cert
            # (or validate_certs: false) must win, or a correct CA fails as "self-signed certificate".
            for var in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
                os.environ.pop(var, None)
    return dict(base_url=base_url, timeout=timeout, tls=tls_config)


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
    api_error = _sdk_error("APIError")
    if isinstance(exc, EngineHTTPError) or (api_error is not None and isinstance(exc, api_error)):
        explanation = getattr(exc, "explanation", None)
        if explanation:
            return str(explanation)
    return text


def fail_from_error(module, exc, doing, **result):
    """Fail the module with an explained error while ``doing`` something."""
    if isinstance(exc, EngineUnreachable):
        # The lazy reader is the first to touch the socket: say what connect() would say.
        doing = "connect to the Docker engine at %s" % module.params.get("docker_host")
    msg = "Could not %s: %s" % (doing, explain_error(exc, module.params.get("docker_host")))
    module.fail_json(msg=msg, **result)


def is_not_found(exc):
    if isinstance(exc, EngineHTTPError):
        return exc.status_code == 404
    not_found, api_error = _sdk_error("NotFound"), _sdk_error("APIError")
    if not_found is None:
        return False
    return isinstance(exc, not_found) or (
        isinstance(exc, api_error) and getattr(exc, "status_code", None) == 404
    )


def or_none(call, *args, **kwargs):
    """``call(*args, **kwargs)`` (an engine read), or ``None`` when the engine has no such object (404)."""
    try:
        return call(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - only "not found" is an answer here
        if is_not_found(exc):
            return None
        raise


def explained(module, doing, call, *args, **kwargs):
    """``call(*args, **kwargs)``; any SDK or transport error fails the module saying what it was ``doing``.

    ``result=`` (a dict) is passed to the failure so partial results are kept.
    """
    result = kwargs.pop("result", None) or {}
    try:
        return call(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - every engine error is explained to the operator
        fail_from_error(module, exc, doing, **result)
