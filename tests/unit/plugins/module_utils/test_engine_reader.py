# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SDK-free read path: ``EngineReader``, the lazy SDK import and ``reconcile(reader=...)``.

The reader is exercised against a small HTTP server on a unix socket in tmp_path (no
daemon); the real engine case is every molecule scenario that runs ``container``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler
from socketserver import ThreadingMixIn, UnixStreamServer

from urllib.parse import parse_qs

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils import client
from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    EngineHTTPError,
    EngineReader,
    EngineUnreachable,
    explain_error,
    is_not_found,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.execute import reconcile
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import OWNER_LABEL, parse_spec

IMAGE_ID = "sha256:" + "b" * 64


class _Handler(BaseHTTPRequestHandler):
    """Answers like the engine: inspect documents, or 404 with the engine's JSON message."""

    def do_GET(self):  # noqa: N802 - BaseHTTPRequestHandler's name
        self.server.seen.append((self.request_version, self.path))
        documents = self.server.documents
        path = self.path if self.path in documents else self.path.split("?", 1)[0]
        if path in documents:
            status, body = 200, documents[path]
        else:
            status, body = 404, {"message": "No such object: %s" % self.path.split("/")[2]}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class _Server(ThreadingMixIn, UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        # BaseHTTPRequestHandler wants a (host, port) client address; a unix socket has none.
        request, _addr = super(_Server, self).get_request()
        return request, ("local", 0)


@pytest.fixture
def engine_socket(tmp_path):
    path = str(tmp_path / "engine.sock")
    server = _Server(path, _Handler)
    server.seen = []
    server.documents = {
        "/containers/web/json": {"Id": "c" * 64, "Name": "/web"},
        "/images/registry:5000/team/app:1.2/json": {"Id": IMAGE_ID},
        "/images/app%40sha256:abc/json": {"Id": IMAGE_ID},
    }
    thread = threading.Thread(target=server.serve_forever)
    thread.daemon = True
    thread.start()
    yield path, server
    server.shutdown()
    server.server_close()


def test_reader_returns_the_engines_documents_over_http_1_0(engine_socket):
    path, server = engine_socket
    reader = EngineReader(path, timeout=5)
    assert reader.inspect_container("web")["Id"] == "c" * 64
    assert reader.inspect_image("registry:5000/team/app:1.2")["Id"] == IMAGE_ID
    # quoted as the SDK quotes path arguments (safe "/:"), unversioned (= the engine's own version)
    assert reader.inspect_image("app@sha256:abc")["Id"] == IMAGE_ID
    assert server.seen == [
        ("HTTP/1.0", "/containers/web/json"),
        ("HTTP/1.0", "/images/registry:5000/team/app:1.2/json"),
        ("HTTP/1.0", "/images/app%40sha256:abc/json"),
    ]


def test_reader_lists_containers_with_the_query_the_sdk_sends(engine_socket):
    convert_filters = pytest.importorskip("docker.utils").convert_filters
    path, server = engine_socket
    server.documents["/containers/json"] = [{"Id": "c" * 64, "Names": ["/web-dockyard-old"]}]
    filters = {"name": "-dockyard-old", "label": ["a=b", "c"], "dangling": True}
    assert EngineReader(path, timeout=5).containers(all=True, filters=filters) == server.documents["/containers/json"]
    version, seen = server.seen[-1]
    where, _sep, query = seen.partition("?")
    assert (version, where) == ("HTTP/1.0", "/containers/json")
    query = parse_qs(query, strict_parsing=True)
    assert query.pop("all") == ["1"]
    assert json.loads(query.pop("filters")[0]) == json.loads(convert_filters(filters))
    assert query == {}
    EngineReader(path, timeout=5).containers()
    assert server.seen[-1][1] == "/containers/json?all=0"


def test_reader_not_found_is_not_found_with_the_engines_message(engine_socket):
    path, _server = engine_socket
    with pytest.raises(EngineHTTPError) as err:
        EngineReader(path, timeout=5).inspect_container("ghost")
    assert err.value.status_code == 404
    assert is_not_found(err.value)
    assert explain_error(err.value) == "No such object: ghost"


def test_reader_on_a_missing_socket_is_unreachable_and_explained(tmp_path):
    with pytest.raises(EngineUnreachable) as err:
        EngineReader(str(tmp_path / "none.sock"), timeout=5).inspect_container("web")
    assert not is_not_found(err.value)
    assert explain_error(err.value, "unix:///none.sock").startswith("No Docker engine socket at unix:///none.sock")


def test_reader_refuses_an_answer_that_is_not_http():
    with pytest.raises(EngineUnreachable) as err:
        EngineReader._parse(b"SSH-2.0-OpenSSH\r\n")
    assert "unexpected answer" in str(err.value)


def test_fail_from_error_names_the_connection_when_the_reader_cannot_reach_the_engine():
    class Module:
        params = {"docker_host": "unix:///none.sock"}

        def fail_json(self, msg, **kwargs):
            raise AssertionError(msg)

    with pytest.raises(AssertionError) as err:
        client.fail_from_error(Module(), EngineUnreachable("[Errno 2] No such file or directory"), "manage container web")
    assert str(err.value).startswith("Could not connect to the Docker engine at unix:///none.sock: No Docker engine socket")


def test_importing_the_client_does_not_import_the_sdk_until_asked():
    code = (
        "import sys\n"
        "from ansible_collections.dockyard.docker.plugins.module_utils import client\n"
        "from ansible_collections.dockyard.docker.plugins.module_utils.container import execute\n"
        "print('docker' in sys.modules)\n"
        "from ansible_collections.dockyard.docker.plugins.module_utils.client import APIError\n"
        "import docker.errors\n"
        "print(APIError is docker.errors.APIError)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.check_output([sys.executable, "-c", code], env=env).decode().split()
    assert out == ["False", "True"]


# ---------------------------------------------------------------------------- reconcile(reader=...)
class Reader(object):
    def __init__(self, container):
        self.container = container
        self.calls = []

    def inspect_container(self, name):
        self.calls.append(("inspect_container", name))
        if self.container is None or name.endswith("-dockyard-old"):
            raise EngineHTTPError(404, "No such container: %s" % name)
        return self.container

    def inspect_image(self, ref):
        self.calls.append(("inspect_image", ref))
        return {"Id": IMAGE_ID}


class UntouchableAPI(object):
    """Stands for the lazily built SDK client: any use is recorded."""

    def __init__(self):
        self.used = []

    def __getattr__(self, name):
        self.used.append(name)

        def call(*args, **kwargs):
            return {"Id": "d" * 64} if name == "create_container_from_config" else None
        return call


def running(policy="always"):
    return {
        "Id": "c" * 64,
        "Image": IMAGE_ID,
        "State": {"Status": "running", "Running": True, "Restarting": False},
        "Config": {"Env": [], "Labels": {OWNER_LABEL: "true"}},
        "HostConfig": {"RestartPolicy": {"Name": policy, "MaximumRetryCount": 0}},
        "NetworkSettings": {"Networks": {}},
    }


def spec(**options):
    params = dict(name="web", image="app:1", restart_policy="always", state="started", pull="missing")
    params.update(options)
    return parse_spec(params)


def test_no_op_reads_through_the_reader_and_never_touches_the_sdk():
    reader, api = Reader(running()), UntouchableAPI()
    result = reconcile(api, spec(), reader=reader)
    assert result["changed"] is False and result["actions"] == []
    assert api.used == []
    # The three reads client.py, container.py and the README describe: the container, the name a recreate keeps
    # an old container under, the image.
    assert reader.calls == [("inspect_container", "web"), ("inspect_container", "web-dockyard-old"),
                            ("inspect_image", "app:1")]


def test_check_mode_with_changes_never_touches_the_sdk():
    api = UntouchableAPI()
    result = reconcile(api, spec(restart_policy="unless-stopped"), check_mode=True, reader=Reader(running()))
    assert result["actions"] == ["updated restart_policy"]
    assert api.used == []
    result = reconcile(api, spec(), check_mode=True, reader=Reader(None))
    assert result["actions"] == ["created", "started"]
    assert api.used == []


def test_a_change_goes_through_the_sdk_client():
    api = UntouchableAPI()
    result = reconcile(api, spec(restart_policy="unless-stopped"), reader=Reader(running()))
    assert result["actions"] == ["updated restart_policy"]
    assert "_post_json" in api.used  # POST /containers/{id}/update


def test_lazy_connect_still_fails_clearly_without_the_sdk(monkeypatch):
    """The no-op path never imports the SDK, but a host without it must still be told, as before."""
    class Module:
        params = {"docker_host": "unix:///var/run/docker.sock", "timeout": 5, "tls_ca_cert": None,
                  "tls_client_cert": None, "tls_client_key": None, "validate_certs": True}

        def fail_json(self, msg, **kwargs):
            raise AssertionError(msg)

    monkeypatch.setattr(client, "_SDK", {"module": None, "error": "ImportError: No module named 'docker'"})
    with pytest.raises(AssertionError) as err:
        client.connect(Module(), lazy=True)
    assert "docker (the Docker SDK for Python)" in str(err.value)


# ---------------------------------------------------------------------------- the containers module, whole
class _Exit(Exception):
    pass


def run_containers(monkeypatch, path, items):
    from ansible.module_utils import basic
    from ansible.module_utils.testing import patch_module_args

    from ansible_collections.dockyard.docker.plugins.modules import containers

    def leave(_self, **result):
        raise _Exit(result)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", leave)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", lambda _self, **result: leave(_self, failed=True, **result))
    with patch_module_args(dict(containers=items, docker_host="unix://" + path)):
        with pytest.raises(_Exit) as done:
            containers.main()
    return done.value.args[0]


def test_containers_no_op_reads_over_the_socket_and_never_builds_the_sdk_client(engine_socket, monkeypatch):
    """The bulk module end to end: connect(lazy=True), plan every item from three GETs, no SDK client."""
    path, server = engine_socket
    server.documents["/containers/web/json"] = running()
    server.documents["/images/app:1/json"] = {"Id": IMAGE_ID}
    server.documents["/containers/json"] = []
    built = []
    monkeypatch.setattr(client, "_open_api", lambda *args: built.append(args))
    result = run_containers(monkeypatch, path, [dict(name="web", image="app:1", restart_policy="always")])
    assert not result.get("failed"), result
    assert result["changed"] is False and result["containers"][0]["actions"] == []
    assert built == []
    assert [p.split("?")[0] for _v, p in server.seen] == ["/containers/json", "/containers/web/json",
                                                          "/images/app:1/json"]


def test_containers_on_a_missing_socket_fails_as_a_connection_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(client, "_open_api", lambda *args: pytest.fail("the SDK client was built"))
    result = run_containers(monkeypatch, str(tmp_path / "none.sock"), [dict(name="web", image="app:1")])
    assert result["failed"] is True
    assert result["msg"].startswith("Could not connect to the Docker engine at unix://%s: No Docker engine socket"
                                    % (tmp_path / "none.sock"))


# --------------------------------------------------------------------------- the info modules' GET helpers
def test_reader_swarm_reads_carry_the_sdks_queries(engine_socket):
    convert_filters = pytest.importorskip("docker.utils").convert_filters
    path, server = engine_socket
    for doc in ("/nodes", "/services", "/tasks", "/swarm", "/swarm/unlockkey", "/info", "/networks/app%2Fnet",
                "/volumes/data", "/services/web", "/nodes/n1"):
        server.documents[doc] = {"doc": doc}
    reader = EngineReader(path, timeout=5)
    assert reader.nodes() == {"doc": "/nodes"} and server.seen[-1][1] == "/nodes"
    reader.tasks(filters={"service": ["s1", "s2"], "desired-state": "running"})
    where, _sep, query = server.seen[-1][1].partition("?")
    assert where == "/tasks"
    assert json.loads(parse_qs(query)["filters"][0]) == json.loads(
        convert_filters({"service": ["s1", "s2"], "desired-state": "running"}))
    reader.services(filters={"label": "x"}, status=True)
    assert parse_qs(server.seen[-1][1].partition("?")[2])["status"] == ["true"]
    reader.inspect_service("web", insert_defaults=True)
    assert server.seen[-1][1] == "/services/web?insertDefaults=true"
    assert reader.inspect_network("app/net") == {"doc": "/networks/app%2Fnet"}
    for call, doc in ((reader.inspect_swarm, "/swarm"), (reader.get_unlock_key, "/swarm/unlockkey"),
                      (reader.info, "/info"), (lambda: reader.inspect_volume("data"), "/volumes/data"),
                      (lambda: reader.inspect_node("n1"), "/nodes/n1")):
        assert call() == {"doc": doc}


def test_reader_images_like_the_sdk(engine_socket):
    path, server = engine_socket
    server.documents["/images/json"] = [{"Id": IMAGE_ID}]
    reader = EngineReader(path, timeout=5)
    assert reader.images(all=True, quiet=True) == [IMAGE_ID]
    assert server.seen[-1][1] == "/images/json?all=1"
    reader.images(name="app")
    assert json.loads(parse_qs(server.seen[-1][1].partition("?")[2])["filters"][0]) == {"reference": ["app"]}


def test_reader_get_archive_returns_the_tar_and_the_decoded_stat(monkeypatch):
    import base64
    stat = {"name": "f.txt", "size": 3, "mode": 420, "linkTarget": ""}
    header = base64.b64encode(json.dumps(stat).encode()).decode()
    raw = ("HTTP/1.0 200 OK\r\nContent-Type: application/x-tar\r\nX-Docker-Container-Path-Stat: %s\r\n\r\n"
           % header).encode() + b"TARBYTES\r\n\r\nmore"
    reader = EngineReader("/unused", timeout=5)
    seen = []
    monkeypatch.setattr(reader, "_request", lambda path: seen.append(path) or raw)
    chunks, got = reader.get_archive("web", "/etc/app conf")
    assert chunks == [b"TARBYTES\r\n\r\nmore"] and got == stat
    assert seen == ["/containers/web/archive?path=%2Fetc%2Fapp+conf"]
    monkeypatch.setattr(reader, "_request", lambda path: b'HTTP/1.0 404 Not Found\r\n\r\n{"message": "Could not find"}')
    with pytest.raises(EngineHTTPError) as err:
        reader.get_archive("web", "/nope")
    assert is_not_found(err.value) and err.value.explanation == "Could not find"


# ---------------------------------------------------------------------------- the stack module, whole
class _RecordingSDK:
    """The SDK client of the stack's first deploy: records what it is asked to create."""

    def __init__(self):
        self.created = []
        self.removed = []
        self.digests_asked = []

    def remove_service(self, service_id):
        self.removed.append(service_id)

    def reload_config(self, dockercfg_path=None):
        pass

    def inspect_distribution(self, image):
        self.digests_asked.append(image)
        return {"Descriptor": {"digest": "sha256:" + "d" * 64}}

    def create_service(self, task_template, name=None, labels=None, mode=None, update_config=None,
                       rollback_config=None, endpoint_spec=None):
        spec = {"Name": name, "Labels": labels or {}, "TaskTemplate": task_template, "Mode": mode}
        for key, value in (("UpdateConfig", update_config), ("RollbackConfig", rollback_config),
                           ("EndpointSpec", endpoint_spec)):
            if value is not None:
                spec[key] = value
        self.created.append({"ID": "svc-" + name, "Version": {"Index": 1}, "Spec": spec})


def run_stack(monkeypatch, path, **params):
    from ansible.module_utils import basic
    from ansible.module_utils.testing import patch_module_args

    from ansible_collections.dockyard.docker.plugins.modules import stack

    def leave(_self, **result):
        raise _Exit(result)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", leave)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", lambda _self, **result: leave(_self, failed=True, **result))
    compose = {"services": {"web": {"image": "app:1"}, "api": {"image": "app:1", "networks": ["default"]}}}
    with patch_module_args(dict(dict(name="demo", compose=[compose], wait=False, ignore_ipvs_check=True,
                                     docker_host="unix://" + path), **params)):
        with pytest.raises(_Exit) as done:
            stack.main()
    return done.value.args[0]


def test_stack_unchanged_rerun_reads_over_the_socket_with_one_service_list_and_never_builds_the_sdk(
        engine_socket, monkeypatch):
    path, server = engine_socket
    server.documents["/networks/demo_default"] = {"Id": "net1", "Name": "demo_default", "Driver": "overlay",
                                                  "Scope": "swarm"}
    server.documents["/services"] = []
    server.documents["/secrets"] = []
    server.documents["/configs"] = []
    sdk = _RecordingSDK()
    built = []
    monkeypatch.setattr(client, "_open_api", lambda *args: built.append(args) or sdk)
    first = run_stack(monkeypatch, path)
    assert not first.get("failed"), first
    assert first["changed"] is True and sorted(s["Spec"]["Name"] for s in sdk.created) == ["demo_api", "demo_web"]
    assert len(built) == 1, "the SDK client is built for the changes"
    assert sdk.digests_asked == ["app:1"], "two services of one image: its digest is asked for once"
    first_reads = [p.split("?")[0] for _v, p in server.seen]
    assert not any(p.startswith("/services/") for p in first_reads), "new services are looked for in one list"

    # the engine now holds what the first run created
    server.documents["/services"] = sdk.created
    del server.seen[:]
    built[:] = []
    again = run_stack(monkeypatch, path)
    assert not again.get("failed"), again
    assert again["changed"] is False, again
    assert built == [], "an unchanged re-run must not build the SDK client"
    reads = [p.split("?")[0] for _v, p in server.seen]
    assert reads.count("/services") == 1, reads
    assert not any(p.startswith("/services/") for p in reads), "no service is inspected on its own: %s" % reads
    assert reads.count("/networks/demo_default") <= 2, reads


@pytest.mark.parametrize("prune", [True, False])
def test_a_service_that_left_the_files_goes_with_prune_and_is_only_reported_without(engine_socket, monkeypatch, prune):
    path, server = engine_socket
    server.documents["/networks/demo_default"] = {"Id": "net1", "Name": "demo_default", "Driver": "overlay",
                                                  "Scope": "swarm"}
    for doc in ("/services", "/secrets", "/configs"):
        server.documents[doc] = []
    sdk = _RecordingSDK()
    monkeypatch.setattr(client, "_open_api", lambda *args: sdk)
    assert not run_stack(monkeypatch, path).get("failed")
    # the engine holds the stack as deployed, and a service of the stack that is no longer in the files
    old = json.loads(json.dumps(sdk.created[0]))
    old["ID"], old["Spec"]["Name"] = "svc-demo_old", "demo_old"
    server.documents["/services"] = sdk.created + [old]
    sdk.created = []
    result = run_stack(monkeypatch, path, prune=prune)
    assert not result.get("failed"), result
    assert sdk.created == []
    if prune:
        assert sdk.removed == ["svc-demo_old"]
        assert result["changed"] is True and result["removed_services"] == ["demo_old"]
    else:
        assert sdk.removed == []
        assert result["changed"] is False and result["unpruned_services"] == ["demo_old"]


def test_waiting_for_a_removed_service_ends_on_the_readers_not_found(engine_socket):
    # stack state=absent reads through the socket reader: its 404 (not the SDK's NotFound) means the service is gone
    from ansible_collections.dockyard.docker.plugins.module_utils.swarm.services import ServiceManager

    path, _server = engine_socket
    module = type("M", (), {"fail_json": lambda self, **kw: pytest.fail(kw["msg"])})()
    engine = type("C", (), {"api": EngineReader(path, timeout=5)})()
    ServiceManager(module, engine, {}).wait_gone("gone-service", timeout=5)
