# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stack reader: compose files -> swarm_service options, with docker stack deploy's names and labels.

golden/stack/cli_specs.json holds the service specs `docker stack deploy` (Docker 20.10) wrote for
golden/stack/app.yml (stack ``app``) and golden/stack/cli3.yml (stack ``cli3``); the specs built here must
compare equal to them, which is what lets the ``stack`` module adopt a CLI-deployed stack without an update.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.compose.reader import ComposeError
from ansible_collections.dockyard.docker.plugins.module_utils.compose.stack import load_stack
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import build_spec, differences

GOLDEN = os.path.join(os.path.dirname(__file__), "golden", "stack")


def reader(files):
    def read(path):
        if path not in files:
            raise IOError(2, "No such file or directory")
        return files[path]
    return read


def golden(name):
    with open(os.path.join(GOLDEN, name)) as handle:
        return handle.read()


def cli_ids(spec):
    """The object IDs the CLI's spec refers to: secrets and configs by name, network targets in order."""
    task = spec["TaskTemplate"]
    container = task["ContainerSpec"]
    return (dict((s["SecretName"], s["SecretID"]) for s in container.get("Secrets") or []),
            dict((c["ConfigName"], c["ConfigID"]) for c in container.get("Configs") or []),
            [n["Target"] for n in task.get("Networks") or []])


@pytest.mark.parametrize("stack,compose,services", [
    ("app", "app.yml", ["web", "db"]),
    ("cli3", "cli3.yml", ["g"]),
])
def test_specs_equal_what_docker_stack_deploy_wrote(stack, compose, services):
    cli = json.loads(golden("cli_specs.json"))
    files = {"/srv/%s" % compose: golden(compose), "/srv/pw.txt": "secret\n"}
    loaded = load_stack(stack, ["/srv/%s" % compose], read=reader(files))
    assert sorted(loaded.services) == sorted(services)
    for key in services:
        params = loaded.services[key]
        current = cli["%s_%s" % (stack, key)]
        secrets, configs, targets = cli_ids(current)
        networks = dict((n["name"], target) for n, target in zip(params["networks"], targets))
        desired = build_spec(params, network_ids=networks, secret_ids=secrets, config_ids=configs)
        assert differences(desired, current) == [], key
        # and the comparison is not blind: another image is a difference
        other = build_spec(dict(params, image="other:1"), network_ids=networks, secret_ids=secrets,
                           config_ids=configs)
        assert differences(other, current) == ["TaskTemplate.ContainerSpec.Image"]


def test_names_labels_aliases_and_objects():
    files = {"/srv/app.yml": golden("app.yml"), "/srv/pw.txt": "secret\n"}
    loaded = load_stack("app", ["/srv/app.yml"], read=reader(files))
    web, db = loaded.services["web"], loaded.services["db"]
    assert web["name"] == "app_web"
    assert web["labels"] == {"s.l": "v", "com.docker.stack.namespace": "app",
                             "com.docker.stack.image": "dockyard-lab/app:latest"}
    assert web["container_labels"] == {"c.l": "x", "com.docker.stack.namespace": "app"}
    assert web["networks"] == [{"name": "app_front", "aliases": ["web"]}]
    assert db["networks"] == [{"name": "app_default", "aliases": ["db"]}]
    assert db["mounts"][0] == {"type": "volume", "target": "/data", "readonly": False, "source": "app_data",
                               "labels": {"com.docker.stack.namespace": "app"}}
    assert sorted(loaded.networks) == ["default", "front"]
    assert loaded.networks["front"]["driver"] == "overlay"
    assert loaded.secrets["pw"]["name"] == "app_pw" and loaded.secrets["pw"]["file"] == "/srv/pw.txt"
    assert loaded.configs["cfg"]["labels"] == {"com.docker.stack.namespace": "app"}
    assert web["publish"] == [{"target_port": 8000, "published_port": 8080, "protocol": "tcp", "mode": "host"}]
    assert set(loaded.warnings) == set([
        "services.web.%s: ignored by a swarm stack (as docker stack deploy ignores it)" % key
        for key in ("restart", "depends_on", "container_name")])


def test_files_merge_inline_definitions_and_interpolation():
    base = {"services": {"web": {"image": "app:${TAG:-1}", "environment": {"A": "1"},
                                 "deploy": {"replicas": 2, "endpoint_mode": "dnsrr"}}}}
    override = {"services": {"web": {"environment": {"B": "$${literal}"}, "deploy": {"replicas": 3}}}}
    loaded = load_stack("s", [base, override], env={"TAG": "2"})
    web = loaded.services["web"]
    assert web["image"] == "app:2" and web["labels"]["com.docker.stack.image"] == "app:2"
    assert web["env"] == {"A": "1", "B": "${literal}"}
    assert web["replicas"] == 3 and web["endpoint_mode"] == "dnsrr"


@pytest.mark.parametrize("port,expected", [
    ("8080:80", [{"published_port": 8080, "target_port": 80, "protocol": "tcp", "mode": "ingress"}]),
    ("53/udp", [{"target_port": 53, "protocol": "udp", "mode": "ingress"}]),
    ("9000-9001:90-91", [{"published_port": 9000, "target_port": 90, "protocol": "tcp", "mode": "ingress"},
                         {"published_port": 9001, "target_port": 91, "protocol": "tcp", "mode": "ingress"}]),
    ({"target": 80, "published": "8081", "mode": "host"},
     [{"published_port": 8081, "target_port": 80, "protocol": "tcp", "mode": "host"}]),
])
def test_ports(port, expected):
    loaded = load_stack("s", [{"services": {"web": {"image": "a", "ports": [port]}}}])
    assert loaded.services["web"]["publish"] == expected


@pytest.mark.parametrize("definition,message", [
    ({"services": {"web": {"image": "a", "build": "."}}}, "services.web.build: not supported"),
    ({"services": {"web": {"image": "${NOPE}"}}}, "NOPE"),
    ({"services": {"web": {"image": "a", "ports": ["80:80:80"]}}}, "services.web.ports[0]"),
    ({"services": {"web": {"image": "a", "secrets": ["pw"]}}}, "services.web.secrets[0]: secret 'pw' is not declared"),
    ({"services": {"web": {"image": "a", "deploy": {"replicas": -1}}}}, "services.web.deploy.replicas: -1"),
    ({"services": {"web": {"image": "a", "networks": ["n"]}}, "networks": {"n": {"driver": "bridge"}}},
     "networks.n.driver: 'bridge'"),
    ({"services": {"web": {"image": "a", "deploy": {"mode": "daemon"}}}}, "services.web.deploy.mode: 'daemon'"),
    ({"services": {"web": {"image": "a", "deploy": {"resources": {"limits": {"gpus": 1}}}}}},
     "services.web.deploy.resources.limits.gpus: not supported"),
    ({"services": {"web": {"image": "a", "volumes": ["data:/d"]}}}, "services.web.volumes[0]: volume data is not"),
    ({"services": {"web": {}}}, "services.web.image is required"),
    ({"services": {"web": {"image": "a"}}, "include": ["x.yml"]}, "include: not supported by a stack"),
])
def test_bad_input_names_the_key_path(definition, message):
    with pytest.raises(ComposeError) as exc:
        load_stack("s", [definition])
    assert message in str(exc.value)


def test_yaml_error_names_the_line_and_a_missing_file_its_path():
    with pytest.raises(ComposeError) as exc:
        load_stack("s", ["/srv/a.yml"], read=reader({"/srv/a.yml": "services:\n  web:\n    image: [a\n"}))
    assert "/srv/a.yml" in str(exc.value) and "line" in str(exc.value)
    with pytest.raises(ComposeError) as exc:
        load_stack("s", ["/srv/missing.yml"], read=reader({}))
    assert "compose[0]: compose file /srv/missing.yml cannot be read" in str(exc.value)


def test_external_objects_keep_their_names():
    loaded = load_stack("s", [{
        "services": {"web": {"image": "a", "networks": ["edge"], "secrets": ["tls"], "volumes": ["shared:/d"]}},
        "networks": {"edge": {"external": True, "name": "public"}},
        "secrets": {"tls": {"external": True}},
        "volumes": {"shared": {"external": True, "name": "nfs-data"}},
    }])
    web = loaded.services["web"]
    assert web["networks"] == [{"name": "public", "aliases": ["web"]}]
    assert web["secrets"] == [{"secret_name": "tls", "filename": "tls"}]
    assert web["mounts"] == [{"type": "volume", "target": "/d", "readonly": False, "source": "nfs-data"}]
    assert loaded.networks["edge"]["external"] and loaded.secrets["tls"]["external"]


@pytest.mark.parametrize("stack,compose,services", [
    ("app", "app.yml", ["web", "db"]),
    ("cli3", "cli3.yml", ["g"]),
])
def test_privileges_are_written_as_docker_stack_deploy_writes_them(stack, compose, services):
    from ansible_collections.dockyard.docker.plugins.module_utils.compose.stack import with_cli_privileges

    cli = json.loads(golden("cli_specs.json"))
    files = {"/srv/%s" % compose: golden(compose), "/srv/pw.txt": "secret\n"}
    loaded = load_stack(stack, ["/srv/%s" % compose], read=reader(files))
    for key in services:
        current = cli["%s_%s" % (stack, key)]
        secrets, configs, targets = cli_ids(current)
        networks = dict((n["name"], target) for n, target in zip(loaded.services[key]["networks"], targets))
        desired = with_cli_privileges(build_spec(loaded.services[key], network_ids=networks, secret_ids=secrets,
                                                 config_ids=configs))
        assert desired["TaskTemplate"]["ContainerSpec"]["Privileges"] == \
            current["TaskTemplate"]["ContainerSpec"]["Privileges"]
