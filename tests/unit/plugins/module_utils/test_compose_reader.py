# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compose reader: files, merge, interpolation, every supported key, every refusal with its path."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.compose import reader
from ansible_collections.dockyard.docker.plugins.module_utils.compose.reader import ComposeError
from ansible_collections.dockyard.docker.plugins.module_utils.compose.translate import load_project

IMG = "dockyard-lab/app:latest"


def project(definition, env=None, environ=None, name="p", files=None):
    files = files or {}
    compose = [path for path in files if path.endswith(".yml")]
    return load_project(files=compose or None, definition=None if files else definition, env=env,
                        environ=environ or {}, read=lambda path: files[path] if path in files else _missing(path),
                        name=name)


def _missing(path):
    raise IOError(2, "No such file or directory", path)


def service(definition, svc="web", **kw):
    return project(definition, **kw).services[svc].options


def one(settings, **kw):
    return service({"services": {"web": dict({"image": IMG}, **settings)}}, **kw)


def refused(definition, fragment, **kw):
    with pytest.raises(ComposeError) as exc:
        project(definition, **kw)
    assert fragment in str(exc.value), str(exc.value)
    return str(exc.value)


# --------------------------------------------------------------------------- interpolation

LOOKUP = reader.make_lookup({"SET": "v", "EMPTY": ""}, {"HOSTVAR": "h", "SET": "from-host"})


@pytest.mark.parametrize("text, expected", [
    ("${SET}", "v"),                     # env wins over the host's environment
    ("$SET/x", "v/x"),
    ("${HOSTVAR}", "h"),
    ("${UNSET:-dflt}", "dflt"),
    ("${EMPTY:-dflt}", "dflt"),
    ("${EMPTY-dflt}", ""),
    ("${UNSET-dflt}", "dflt"),
    ("${SET:+alt}", "alt"),
    ("${EMPTY:+alt}", ""),
    ("${EMPTY+alt}", "alt"),
    ("${UNSET+alt}", ""),
    ("${UNSET:-${SET}}", "v"),          # nested default
    ("$$SET and $${SET}", "$SET and ${SET}"),
    ("a${SET}b${HOSTVAR}c", "avbhc"),
    ("${EMPTY?msg}", ""),
    ("plain", "plain"),
])
def test_interpolation_forms(text, expected):
    assert reader.interpolate_string(text, LOOKUP, "k") == expected


@pytest.mark.parametrize("text, fragment", [
    ("${UNSET}", "k: variable UNSET is not set and has no default"),
    ("${UNSET:?give it}", "k: variable UNSET is required (and not empty): give it"),
    ("${EMPTY:?give it}", "variable EMPTY is required (and not empty): give it"),
    ("${UNSET?give it}", "k: variable UNSET is required: give it"),
    ("${SET", "has a ${ without its closing }"),
    ("${1abc}", "is not a variable reference"),
    ("${SET:x}", "is not a variable reference"),
    ("cost $5", "write $$ for a literal $"),
])
def test_interpolation_errors(text, fragment):
    with pytest.raises(ComposeError) as exc:
        reader.interpolate_string(text, LOOKUP, "k")
    assert fragment in str(exc.value)


def test_interpolation_reaches_nested_values_and_names_the_path():
    opts = one({"environment": {"A": "${SET}"}, "command": ["run", "${UNSET:-x}"]}, env={"SET": "1"})
    assert opts["env"] == {"A": "1"} and opts["command"] == ["run", "x"]
    refused({"services": {"web": {"image": IMG, "labels": {"a": "${NOPE}"}}}},
            "services.web.labels.a: variable NOPE is not set")
    refused({"services": {"web": {"image": IMG, "ports": ["${NOPE}"]}}}, "services.web.ports[0]: variable NOPE")


def test_environment_without_value_comes_from_env_then_host_or_is_left_out():
    opts = one({"environment": ["FROM_ENV", "FROM_HOST", "ABSENT", "X=1"]}, env={"FROM_ENV": "e"},
               environ={"FROM_HOST": "h"})
    assert opts["env"] == {"FROM_ENV": "e", "FROM_HOST": "h", "X": "1"}


# --------------------------------------------------------------------------- YAML and files

def test_yaml_anchors_merge_keys_extensions_and_version():
    files = {"/srv/p/c.yml": (
        "version: '3.9'\n"
        "x-base: &base\n"
        "  image: %s\n"
        "  restart: always\n"
        "services:\n"
        "  a:\n"
        "    <<: *base\n"
        "    x-note: ignored\n"
        "  b:\n"
        "    <<: *base\n"
        "    restart: 'no'\n" % IMG)}
    proj = project(None, files=files, name=None)
    assert proj.name == "p"                      # the first file's directory
    assert proj.services["a"].options["restart_policy"] == "always"
    assert proj.services["b"].options["restart_policy"] == "no"
    assert proj.services["a"].options["image"] == IMG


def test_yaml_error_names_file_and_line():
    files = {"/srv/p/c.yml": "services:\n  web:\n    image: x\n    ports: [80:80\n"}
    msg = refused(None, "/srv/p/c.yml: line 5 column 1 is not valid YAML", files=files)
    assert "expected" in msg
    refused(None, "line 2", files={"/srv/p/c.yml": "services:\n\tweb: {}\n"})


def test_a_file_that_is_not_a_mapping_and_a_missing_file():
    refused(None, "/srv/p/c.yml must be a mapping at the top", files={"/srv/p/c.yml": "- a\n- b\n"})
    with pytest.raises(ComposeError) as exc:
        load_project(files=["/nope/c.yml"], read=_missing, name="p")
    assert "compose file /nope/c.yml cannot be read: No such file or directory" in str(exc.value)


def test_files_and_definition_exclusive_and_one_needed():
    with pytest.raises(ComposeError, match="exactly one of files and definition"):
        load_project(files=["/a.yml"], definition={}, read=lambda p: "")
    with pytest.raises(ComposeError, match="exactly one of files and definition"):
        load_project(read=lambda p: "")


def test_project_name_rules():
    assert project({"name": "fromfile", "services": {"a": {"image": IMG}}}, name=None).name == "fromfile"
    refused({"services": {"a": {"image": IMG}}}, "project_name is required with definition", name=None)
    refused({"services": {"a": {"image": IMG}}}, "project name 'Bad Name' is not valid", name="Bad Name")
    refused({"services": {}}, "services: the project defines no service")


# --------------------------------------------------------------------------- merge

BASE = """
services:
  web:
    image: %s
    command: ["one"]
    environment: {A: "1", B: "1"}
    labels: [x=1]
    ports: ["80:80"]
    volumes: ["data:/data", "/srv/a:/a"]
    cap_add: [NET_ADMIN]
    healthcheck: {test: ["CMD", "a"], interval: 5s}
    networks: {front: {aliases: [w]}}
volumes:
  data: {}
networks:
  front: {}
""" % IMG
OVERRIDE = """
services:
  web:
    command: two
    environment: [B=2, C=3]
    labels: {y: "2"}
    ports: ["81:81", "80:80"]
    volumes: ["/srv/b:/a:ro"]
    cap_add: [SYS_TIME]
    healthcheck: {test: ["CMD", "b"]}
    networks: [back]
networks:
  back: {}
"""


def test_later_files_override_earlier_ones():
    files = {"/srv/p/a.yml": BASE, "/srv/p/b.yml": OVERRIDE}
    proj = project(None, files=files)
    opts = proj.services["web"].options
    assert opts["command"] == ["two"]                                  # replaced
    assert opts["env"] == {"A": "1", "B": "2", "C": "3"}               # merged by key
    assert opts["labels"]["x"] == "1" and opts["labels"]["y"] == "2"
    assert opts["published_ports"] == ["80:80", "81:81"]               # extended, once each
    assert opts["volumes"] == ["p_data:/data", "/srv/b:/a:ro"]         # merged by container path
    assert opts["capabilities"] == ["NET_ADMIN", "SYS_TIME"]
    assert opts["healthcheck"] == {"test": ["CMD", "b"], "interval": "5s"}
    assert sorted(n["name"] for n in opts["networks"]) == ["p_back", "p_front"]
    assert opts["labels"]["com.docker.compose.project.config_files"] == "/srv/p/a.yml,/srv/p/b.yml"
    assert sorted(proj.networks) == ["back", "front"]


def test_merge_service_rules_directly():
    base = reader.normalize_service({"entrypoint": ["a", "b"], "dns": ["1.1.1.1"], "logging": {
        "driver": "json-file", "options": {"max-size": "1m"}}}, "s")
    over = reader.normalize_service({"entrypoint": ["c"], "dns": "8.8.8.8", "logging": {"options": {"max-file": "2"}}},
                                    "s")
    merged = reader.merge_service(base, over)
    assert merged["entrypoint"] == ["c"]
    assert merged["dns"] == ["1.1.1.1", "8.8.8.8"]
    assert merged["logging"] == {"driver": "json-file", "options": {"max-size": "1m", "max-file": "2"}}


@pytest.mark.parametrize("section", ["networks", "volumes", "secrets", "configs"])
def test_top_level_definitions_of_a_later_file_merge_with_the_earlier_ones(section):
    first = {section: {"kept": {"labels": {"a": "1"}}, "shared": {"driver": "local", "labels": {"a": "1"}}}}
    later = {section: {"added": {}, "shared": {"labels": {"b": "2"}}}}
    merged = reader.merge([first, later])[section]
    assert merged == {"kept": {"labels": {"a": "1"}}, "added": {},
                      "shared": {"driver": "local", "labels": {"a": "1", "b": "2"}}}


# --------------------------------------------------------------------------- every supported service key

def test_every_supported_service_key():
    definition = {
        "services": {
            "db": {"image": IMG, "healthcheck": {"test": "true"}},
            "web": {
                "image": IMG, "command": "app-server --port 80", "entrypoint": "/bin/sh -c",
                "environment": {"A": 1, "B": True},
                "ports": ["8080:80", {"target": 53, "published": 5353, "host_ip": "127.0.0.1", "protocol": "udp"}],
                "expose": [9000], "volumes": ["data:/data:ro", "/srv:/srv", "/anon", {
                    "type": "volume", "source": "data", "target": "/long", "read_only": True,
                    "volume": {"nocopy": True}}, {"type": "bind", "source": "/etc", "target": "/hostetc",
                                                  "bind": {"propagation": "rslave"}},
                    {"type": "tmpfs", "target": "/t", "tmpfs": {"size": "64m", "mode": 1777}}],
                "networks": {"front": {"aliases": ["www"], "ipv4_address": "172.30.0.10"}},
                "restart": "on-failure:3",
                "healthcheck": {"test": ["CMD", "true"], "interval": "10s", "timeout": "2s", "retries": 3,
                                "start_period": "1m"},
                "labels": ["team=ops"], "user": "1000:1000", "working_dir": "/w", "hostname": "h",
                "domainname": "example.test", "dns": "1.1.1.1", "dns_search": ["example.test"],
                "dns_opt": ["ndots:2"], "extra_hosts": ["gw:10.0.0.1", "other=10.0.0.2"],
                "cap_add": ["NET_ADMIN"], "cap_drop": ["MKNOD"], "privileged": False, "read_only": True,
                "tmpfs": "/run", "ulimits": {"nproc": 65535, "nofile": {"soft": 1024, "hard": 2048}},
                "sysctls": ["net.core.somaxconn=1024"], "logging": {"driver": "json-file",
                                                                    "options": {"max-size": "1m"}},
                "stop_grace_period": "1m30s", "stop_signal": "SIGINT", "init": True, "tty": True,
                "stdin_open": True, "container_name": "the-web", "devices": [
                    "/dev/null:/dev/xnull:rw", {"source": "/dev/zero", "target": "/dev/xzero", "permissions": "r"}],
                "depends_on": ["db"], "security_opt": ["no-new-privileges"], "group_add": ["123"],
                "shm_size": "32m", "pull_policy": "if_not_present",
                "deploy": {"replicas": 1, "resources": {"limits": {"cpus": "0.5", "memory": "128m", "pids": 100},
                                                        "reservations": {"memory": "64m"}}},
            },
        },
        "volumes": {"data": {}},
        "networks": {"front": {"ipam": {"config": [{"subnet": "172.30.0.0/24", "gateway": "172.30.0.1"}]}}},
    }
    o = service(definition)
    labels = o.pop("labels")
    assert o == {
        "image": IMG, "name": "the-web", "command": ["app-server", "--port", "80"], "entrypoint": ["/bin/sh", "-c"],
        "user": "1000:1000", "working_dir": "/w", "hostname": "h", "domainname": "example.test",
        "privileged": False, "read_only": True, "init": True, "tty": True, "interactive": True,
        "stop_signal": "SIGINT", "dns_servers": ["1.1.1.1"], "dns_search_domains": ["example.test"],
        "dns_opts": ["ndots:2"], "capabilities": ["NET_ADMIN"], "cap_drop": ["MKNOD"], "tmpfs": ["/run"],
        "security_opts": ["no-new-privileges"], "groups": ["123"], "exposed_ports": ["9000"], "shm_size": "32m",
        "etc_hosts": {"gw": "10.0.0.1", "other": "10.0.0.2"},
        "env": {"A": "1", "B": "true"}, "sysctls": {"net.core.somaxconn": "1024"},
        "published_ports": ["8080:80", "127.0.0.1:5353:53/udp"], "restart_policy": "on-failure:3",
        "healthcheck": {"test": ["CMD", "true"], "interval": "10s", "timeout": "2s", "retries": 3,
                        "start_period": "1m"},
        "log_driver": "json-file", "log_options": {"max-size": "1m"}, "stop_timeout": 90,
        "ulimits": ["nofile:1024:2048", "nproc:65535:65535"],
        "devices": ["/dev/null:/dev/xnull:rw", "/dev/zero:/dev/xzero:r"], "pull": "missing",
        "cpus": 0.5, "memory": "128m", "pids_limit": 100, "memory_reservation": "64m",
        "volumes": ["p_data:/data:ro", "/srv:/srv", "/anon"],
        "mounts": [{"type": "volume", "source": "p_data", "target": "/long", "read_only": True, "no_copy": True},
                   {"type": "bind", "source": "/etc", "target": "/hostetc", "propagation": "rslave"},
                   {"type": "tmpfs", "target": "/t", "tmpfs_size": "64m", "tmpfs_mode": "3361"}],
        "networks": [{"name": "p_front", "aliases": ["web", "www"], "ipv4_address": "172.30.0.10"}],
    }
    assert labels["team"] == "ops"
    assert labels["com.docker.compose.service"] == "web"
    assert "com.docker.compose.project.config_files" not in labels


def test_tmpfs_mode_as_octal_text_and_network_mode_service():
    proj = project({"services": {
        "a": {"image": IMG, "volumes": [{"type": "tmpfs", "target": "/t", "tmpfs": {"mode": "1777"}}]},
        "b": {"image": IMG, "network_mode": "service:a"},
        "c": {"image": IMG, "network_mode": "host"}}})
    assert proj.services["a"].options["mounts"][0]["tmpfs_mode"] == "1777"
    assert proj.services["b"].options["network_mode"] == "container:p-a-1"
    assert proj.services["b"].depends_on == {"a": "service_started"}
    assert "networks" not in proj.services["c"].options
    assert sorted(proj.networks) == ["default"]


def test_relative_paths_follow_the_first_file_and_env_files_are_read():
    files = {"/srv/p/c.yml": "services:\n  web:\n    image: %s\n    env_file: [a.env, ./b.env]\n"
                             "    volumes: [./data:/data]\n    environment: {B: env}\n" % IMG,
             "/srv/p/a.env": "# comment\nA=1\nB=file\n\n", "/srv/p/b.env": "C='quoted'\n"}
    opts = project(None, files=files).services["web"].options
    assert opts["env"] == {"A": "1", "B": "env", "C": "quoted"}
    assert opts["volumes"] == ["/srv/p/data:/data"]
    refused(None, "services.web.env_file[0]: /srv/p/a.env line 1 is not KEY=VALUE",
            files={"/srv/p/c.yml": files["/srv/p/c.yml"], "/srv/p/a.env": "junk\n", "/srv/p/b.env": ""})
    refused(None, "services.web.env_file[1]: /srv/p/b.env cannot be read",
            files={"/srv/p/c.yml": files["/srv/p/c.yml"], "/srv/p/a.env": ""})
    refused({"services": {"web": {"image": IMG, "volumes": ["./x:/x"]}}},
            "services.web.volumes[0]: the relative path './x' needs files")


def test_top_level_networks_and_volumes():
    proj = project({
        "services": {"web": {"image": IMG, "networks": ["front", "ext"], "volumes": ["data:/d", "outside:/o"]}},
        "networks": {"front": {"driver": "bridge", "driver_opts": {"com.docker.network.bridge.name": "br-x"},
                               "attachable": True, "internal": True, "labels": {"a": "1"}, "name": "custom"},
                     "ext": {"external": True, "name": "shared"}, "unused": {}},
        "volumes": {"data": {"driver": "local", "driver_opts": {"type": "tmpfs", "device": "tmpfs"},
                             "labels": ["k=v"]},
                    "outside": {"external": True}, "unused": {}},
    })
    assert proj.networks["front"] == {
        "key": "front", "name": "custom", "external": False, "driver": "bridge",
        "driver_opts": {"com.docker.network.bridge.name": "br-x"}, "attachable": True, "internal": True,
        "subnet": None, "gateway": None,
        "labels": {"a": "1", "com.docker.compose.project": "p", "com.docker.compose.network": "front"}}
    assert proj.networks["ext"] == {"key": "ext", "name": "shared", "external": True}
    assert proj.volumes["data"]["labels"] == {"k": "v", "com.docker.compose.project": "p",
                                              "com.docker.compose.volume": "data"}
    assert proj.volumes["outside"] == {"key": "outside", "name": "outside", "external": True}
    assert sorted(proj.networks) == ["ext", "front"] and sorted(proj.volumes) == ["data", "outside"]
    assert proj.services["web"].options["volumes"] == ["p_data:/d", "outside:/o"]
    assert [n["name"] for n in proj.services["web"].options["networks"]] == ["shared", "custom"]


def test_depends_on_forms_order_and_waves():
    proj = project({"services": {
        "web": {"image": IMG, "depends_on": {"api": {"condition": "service_healthy"}}},
        "api": {"image": IMG, "depends_on": ["db", "migrate"], "healthcheck": {"test": "true"}},
        "migrate": {"image": IMG, "depends_on": {"db": {"condition": "service_completed_successfully"}}},
        "db": {"image": IMG}}})
    assert proj.order == ["db", "migrate", "api", "web"]
    assert proj.waves() == [["db"], ["migrate"], ["api"], ["web"]]
    assert proj.services["web"].depends_on == {"api": "service_healthy"}
    assert proj.services["api"].depends_on == {"db": "service_started", "migrate": "service_started"}
    assert proj.services["api"].has_healthcheck and not proj.services["db"].has_healthcheck


def test_config_hash_follows_the_service_config_only():
    a = one({"environment": {"A": "1"}})["labels"]["com.docker.compose.config-hash"]
    b = one({"environment": {"A": "1"}})["labels"]["com.docker.compose.config-hash"]
    c = one({"environment": {"A": "2"}})["labels"]["com.docker.compose.config-hash"]
    assert a == b != c


def test_compose_labels():
    labels = one({})["labels"]
    assert labels == {"com.docker.compose.project": "p", "com.docker.compose.service": "web",
                      "com.docker.compose.container-number": "1", "com.docker.compose.oneoff": "False",
                      "com.docker.compose.config-hash": labels["com.docker.compose.config-hash"]}
    assert one({})["name"] == "p-web-1"


# --------------------------------------------------------------------------- refusals, each with its path

@pytest.mark.parametrize("definition, fragment", [
    ({"services": {"web": {"image": IMG, "build": "."}}}, "services.web.build: not supported"),
    ({"services": {"web": {"image": IMG, "profiles": ["x"]}}}, "services.web.profiles: not supported"),
    ({"services": {"web": {"build": "."}}}, "services.web.build: not supported"),
    ({"services": {"web": {"command": "x"}}}, "services.web.image is required"),
    ({"services": {"web": {"image": IMG}}, "secrets": {}}, "secrets: not supported by the compose module"),
    ({"services": {"web": {"image": IMG}}, "include": []}, "include: not supported"),
    ({"services": {"web": {"image": IMG, "ports": ["80:80:80"]}}},
     "services.web.ports[0]: port '80:80:80': '80' is not an IP address"),
    ({"services": {"web": {"image": IMG, "ports": [{"published": 80}]}}}, "services.web.ports[0].target is required"),
    ({"services": {"web": {"image": IMG, "ports": [{"target": 80, "bogus": 1}]}}},
     "services.web.ports[0].bogus: not supported"),
    ({"services": {"web": {"image": IMG, "ports": [{"target": 80, "mode": "x"}]}}}, "services.web.ports[0].mode"),
    ({"services": {"web": {"image": IMG, "ports": "80"}}}, "services.web.ports must be a list"),
    ({"services": {"web": {"image": IMG, "volumes": ["a:b:c:d"]}}}, "services.web.volumes[0]: 'a:b:c:d' is not a volume"),
    ({"services": {"web": {"image": IMG, "volumes": ["undeclared:/d"]}}},
     "services.web.volumes[0]: volume undeclared is not declared under the top-level volumes (declared: none)"),
    ({"services": {"web": {"image": IMG, "volumes": [{"type": "npipe", "target": "/x"}]}}},
     "services.web.volumes[0].type: 'npipe' is not supported"),
    ({"services": {"web": {"image": IMG, "volumes": [{"type": "bind", "target": "/x"}]}}},
     "services.web.volumes[0].source is required for a bind mount"),
    ({"services": {"web": {"image": IMG, "volumes": [{"source": "/x"}]}}}, "services.web.volumes[0].target is required"),
    ({"services": {"web": {"image": IMG, "volumes": [{"type": "bind", "source": "/a", "target": "/b",
                                                      "bind": {"selinux": "z"}}]}}},
     "services.web.volumes[0].bind.selinux: not supported"),
    ({"services": {"web": {"image": IMG, "networks": ["nope"]}}},
     "services.web.networks.nope: network nope is not declared"),
    ({"services": {"web": {"image": IMG, "networks": {"default": {"priority": 1}}}}},
     "services.web.networks.default.priority: not supported"),
    ({"services": {"web": {"image": IMG, "network_mode": "host", "networks": ["default"]}}},
     "services.web: network_mode and networks cannot be used together"),
    ({"services": {"web": {"image": IMG, "network_mode": "service:nope"}}}, "services.web.network_mode: no service nope"),
    ({"services": {"web": {"image": IMG, "depends_on": ["nope"]}}}, "services.web.depends_on.nope: no service nope"),
    ({"services": {"web": {"image": IMG, "depends_on": {"db": {"condition": "service_ready"}}},
                   "db": {"image": IMG}}}, "services.web.depends_on.db.condition: 'service_ready' is not valid"),
    ({"services": {"a": {"image": IMG, "depends_on": ["b"]}, "b": {"image": IMG, "depends_on": ["a"]}}},
     "depends_on forms a cycle: a -> b -> a"),
    ({"services": {"web": {"image": IMG, "restart": "sometimes"}}}, "services.web.restart: 'sometimes' is not valid"),
    ({"services": {"web": {"image": IMG, "healthcheck": {"test": "x", "every": "1s"}}}},
     "services.web.healthcheck.every: not supported"),
    ({"services": {"web": {"image": IMG, "healthcheck": {"test": "x", "interval": "soon"}}}},
     "services.web.healthcheck: healthcheck.interval 'soon' is not a duration"),
    ({"services": {"web": {"image": IMG, "logging": {"options": {"a": "1"}}}}},
     "services.web.logging.options needs logging.driver"),
    ({"services": {"web": {"image": IMG, "logging": {"drv": "x"}}}}, "services.web.logging.drv: not supported"),
    ({"services": {"web": {"image": IMG, "stop_grace_period": "later"}}},
     "services.web.stop_grace_period 'later' is not a duration"),
    ({"services": {"web": {"image": IMG, "ulimits": {"nofile": {"soft": 1}}}}},
     "services.web.ulimits.nofile needs both soft and hard"),
    ({"services": {"web": {"image": IMG, "ulimits": {"nofile": "many"}}}}, "services.web.ulimits.nofile: 'many'"),
    ({"services": {"web": {"image": IMG, "deploy": {"replicas": 3}}}},
     "services.web.deploy.replicas: 3 is not supported"),
    ({"services": {"web": {"image": IMG, "deploy": {"placement": {}}}}},
     "services.web.deploy.placement: not supported on a standalone host"),
    ({"services": {"web": {"image": IMG, "deploy": {"resources": {"reservations": {"cpus": "1"}}}}}},
     "services.web.deploy.resources.reservations.cpus: not supported"),
    ({"services": {"web": {"image": IMG, "deploy": {"resources": {"limits": {"cpus": "x"}}}}}},
     "services.web: cpus 'x' is not a number"),
    ({"services": {"web": {"image": IMG, "pull_policy": "build"}}}, "services.web.pull_policy: 'build' is not supported"),
    ({"services": {"web": {"image": IMG, "environment": ["=x"]}}}, "services.web.environment[0]: '=x' is not KEY=VALUE"),
    ({"services": {"web": {"image": IMG, "extra_hosts": ["nohost"]}}}, "services.web.extra_hosts[0]: 'nohost'"),
    ({"services": {"web": {"image": IMG, "labels": {"a": True}}}}, "labels.a is the boolean True"),
    ({"services": {"web": {"image": IMG, "cap_add": ["NOT_A_CAP"]}}},
     "services.web.cap_add: capabilities: 'NOT_A_CAP' is not a Linux capability"),
    ({"services": {"web": {"image": IMG, "mem_limit": "lots"}}}, "services.web.mem_limit: memory 'lots' is not a size"),
    ({"services": {"web": {"image": IMG, "devices": [{"target": "/x"}]}}}, "services.web.devices[0].source is required"),
    ({"services": {"web": {"image": IMG, "tmpfs": [{"a": 1}]}}}, "services.web.tmpfs must be a string or a list"),
    ({"services": {"bad name": {"image": IMG}}}, "services.bad name: the service name may use"),
    ({"services": {"web": "nginx"}}, "services.web must be a mapping of settings"),
    ({"services": {"web": {"image": IMG}}, "networks": {"n": {"ipam": {"config": [{"subnet": "a"}, {"subnet": "b"}]}}}},
     "networks.n.ipam.config: give at most one pool"),
    ({"services": {"web": {"image": IMG}}, "networks": {"n": {"ipam": {"options": {}}}}},
     "networks.n.ipam.options: not supported"),
    ({"services": {"web": {"image": IMG}}, "networks": {"n": {"enable_ipv6": True}}},
     "networks.n.enable_ipv6: not supported"),
    ({"services": {"web": {"image": IMG}}, "networks": {"n": {"external": True, "driver": "bridge"}}},
     "networks.n: an external network takes only name; remove driver"),
    ({"services": {"web": {"image": IMG}}, "networks": {"n": {"external": {"name": "x"}}}},
     "networks.n.external: use external: true and name:"),
    ({"services": {"web": {"image": IMG}}, "volumes": {"v": {"driver_opts": {"a": True}}}},
     "volumes.v.driver_opts.a is the boolean True"),
    ({"services": {"web": {"image": IMG}}, "volumes": {"v": {"external": True, "labels": {}}}},
     "volumes.v: an external volume takes only name; remove labels"),
    ({"services": {"web": {"image": IMG}}, "volumes": {"v": {"size": "1g"}}}, "volumes.v.size: not supported"),
    ({"services": {"web": {"image": IMG}}, "volumes": {"v": {"external": {"name": "x"}}}},
     "volumes.v.external: use external: true and name:"),
    ({"services": ["web"]}, "services must be a mapping"),
    ({"services": {"web": {"image": IMG}}, "networks": []}, "networks must be a mapping"),
])
def test_refusals_name_the_path(definition, fragment):
    refused(definition, fragment)


def test_refusal_lists_what_is_accepted():
    msg = refused({"services": {"web": {"image": IMG, "build": "."}}}, "services.web.build: not supported")
    assert "dockyard.docker.image" in msg and "Supported keys here: image, command" in msg
