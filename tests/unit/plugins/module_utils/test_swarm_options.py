# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The service option table: the module's argument spec and docs come from it and cannot drift, its rules are
consistent, and every option given to a service reads back from the engine as no difference."""

import json
import os
import subprocess
import sys

import pytest
import yaml

from ansible_collections.dockyard.docker.plugins.doc_fragments.swarm_service_options import ModuleDocFragment
from ansible_collections.dockyard.docker.plugins.module_utils.client import docker_argument_spec
from ansible_collections.dockyard.docker.plugins.module_utils.swarm import community_facts, options
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import (
    build_spec,
    creation_mode,
    differences,
    is_job,
    merge_spec,
    needs_recreate,
)
from ansible_collections.dockyard.docker.plugins.modules import swarm_service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
DOC_KEYS = ("type", "elements", "required", "choices", "default", "aliases")


def _lookup(spec, path):
    value = spec
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def test_generated_files_are_in_sync_with_the_table():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_container_docs.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _docs_agree(docs, spec, where):
    """The docs entries say of each option what the argument spec does, down to the sub-options."""
    assert sorted(docs) == sorted(spec), where
    for name, entry in spec.items():
        doc = docs[name]
        assert doc.get("description"), "%s%s has no description" % (where, name)
        for key in DOC_KEYS:
            assert doc.get(key) == entry.get(key), (where + name, key, doc.get(key), entry.get(key))
        assert ("suboptions" in doc) == ("options" in entry), where + name
        if "options" in entry:
            _docs_agree(doc["suboptions"], entry["options"], "%s%s." % (where, name))


def test_module_docs_argument_spec_and_table_agree():
    """swarm_service documents only the fragment's options, and its argument spec is the connection options
    plus the table's rows, as the fragment describes them."""
    module_docs = yaml.safe_load(swarm_service.DOCUMENTATION)
    assert "options" not in module_docs  # every option is documented by the generated fragment
    assert "dockyard.docker.swarm_service_options" in module_docs["extends_documentation_fragment"]
    module_spec = swarm_service.argument_spec()
    connection = docker_argument_spec()
    table = dict((option.name, option.spec) for option in options.OPTIONS)
    assert not set(table) & set(connection)
    assert sorted(module_spec) == sorted(list(table) + list(connection))
    for name, entry in options.argument_spec().items():
        assert module_spec[name] == entry, name
    _docs_agree(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"], options.argument_spec(), "")


def test_every_row_declares_a_complete_rule():
    names = set(options.BY_NAME)
    assert len(names) == len(options.OPTIONS)
    for option in options.OPTIONS:
        if option.path is None:
            assert option.build is None and option.compare is None, option.name
            continue
        assert option.compare in options.COMPARES, option.name
        assert (option.build is None) == (option.built_by is not None), option.name
        if option.built_by:
            owner = options.BY_NAME[option.built_by]
            assert owner.build is not None and option.path.startswith(owner.path.split(".")[0]), option.name
        if option.key:
            assert option.compare == options.UNORDERED, option.name
        assert option.unset, option.name


def test_every_community_fact_reads_a_path_the_table_writes():
    """community.docker's return values are read from the engine paths of the table's rows."""
    paths = [option.path for option in options.OPTIONS if option.path]
    for name, path, _convert in community_facts.FACTS:
        assert any(path == p or path.startswith(p + ".") or p.startswith(path + ".") for p in paths), name


def test_an_option_left_out_writes_nothing_and_is_not_compared():
    """KEPT: the spec built without an option has nothing at its path, so the service's value stays."""
    for option in options.OPTIONS:
        if option.path and option.unset == options.KEPT:
            assert _lookup(build_spec({"name": "web"}), option.path) in (None, {}), option.name


# What compares how, said once more independently of the table: a row that changes its rule fails here.
USER_MAPS = {
    "Labels", "TaskTemplate.ContainerSpec.Labels", "TaskTemplate.ContainerSpec.Sysctls",
    "TaskTemplate.ContainerSpec.Mounts[].VolumeOptions.DriverConfig.Options",
    "TaskTemplate.ContainerSpec.Mounts[].VolumeOptions.Labels", "TaskTemplate.LogDriver.Options",
}
SETS = {
    "TaskTemplate.ContainerSpec.Env": None, "TaskTemplate.Placement.Constraints": None,
    "TaskTemplate.Networks": "Target", "TaskTemplate.ContainerSpec.Secrets": "SecretName",
    "TaskTemplate.ContainerSpec.Configs": "ConfigName", "TaskTemplate.ContainerSpec.CapabilityAdd": None,
    "TaskTemplate.ContainerSpec.CapabilityDrop": None, "TaskTemplate.ContainerSpec.Groups": None,
    "TaskTemplate.ContainerSpec.Hosts": None, "TaskTemplate.ContainerSpec.Ulimits": "Name",
    "TaskTemplate.ContainerSpec.DNSConfig.Options": None, "TaskTemplate.ContainerSpec.Mounts": "Target",
}


def test_the_comparison_rules_come_from_the_rows():
    assert sorted(options.MAP_PATHS) == sorted(USER_MAPS)
    assert options.UNORDERED_PATHS == SETS
    for option in options.OPTIONS:
        if option.compare == options.MAP:
            assert option.path in options.MAP_PATHS
        if option.compare == options.UNORDERED and option.build:
            assert options.UNORDERED_PATHS[option.path] == option.key


def test_the_spec_keys_come_in_the_tables_order():
    spec = build_spec({"name": "web", "endpoint_mode": "vip", "replicas": 2, "logging": {"driver": "local"},
                       "dns_options": ["ndots:2"], "dns": ["10.0.0.2"], "labels": {"a": "1"}, "user": "app",
                       "image": "app:1"})
    assert list(spec) == ["Name", "Labels", "TaskTemplate", "Mode", "EndpointSpec"]
    assert list(spec["TaskTemplate"]) == ["ContainerSpec", "LogDriver"]
    assert list(spec["TaskTemplate"]["ContainerSpec"]) == ["Image", "User", "DNSConfig"]
    assert list(spec["TaskTemplate"]["ContainerSpec"]["DNSConfig"]) == ["Nameservers", "Options"]


@pytest.mark.parametrize("params, message", [
    ({}, "name is required"),
    ({"name": "web", "labels": "x", "mode": "bogus"}, "labels"),  # the earlier row's error comes first
    ({"name": "web", "dns": ["nope"]}, "dns item"),
    ({"name": "web", "stop_grace_period": "soon"}, "stop_grace_period"),
])
def test_bad_values_are_refused_naming_the_option(params, message):
    with pytest.raises(options.SpecError, match=message):
        build_spec(params)


# --------------------------------------------------------------------------- round trip, every option

NETWORKS = {"appnet": "net1", "backnet": "net2"}
SECRETS = {"db": "sec1", "api": "sec2"}
CONFIGS = {"conf": "cfg1", "other": "cfg2"}


def _samples(env_file, other_env_file):
    """Per option: a value as a user writes it, and another the service must be told apart from."""
    return {
        "name": ("web", "api"),
        "labels": ({"team": "a", "tier": "web"}, {"team": "b", "tier": "web"}),
        "image": ("registry:5000/app:1", "registry:5000/app:2"),
        "command": ("/usr/bin/app --serve", ["/usr/bin/app", "--serve", "--debug"]),
        "args": (["--port", "8000"], ["8000", "--port"]),
        "env": ({"A": "1", "B": "two"}, {"A": "1", "B": "three"}),
        "env_files": ([env_file], [other_env_file]),
        "container_labels": ({"c": "1"}, {"c": "1", "d": "2"}),
        "hostname": ("{{.Service.Name}}-{{.Task.Slot}}", "web"),
        "user": ("1000:1000", "app"),
        "groups": (["audio", "100"], ["audio"]),
        "working_dir": ("/srv", "/tmp"),
        "init": (True, False),
        "tty": (True, False),
        "stdin_open": (True, False),
        "read_only": (True, False),
        "stop_signal": ("QUIT", "SIGINT"),
        "stop_grace_period": ("1m30s", "30s"),
        "hosts": ({"db.internal": "10.0.0.5", "cache": "10.0.0.6"}, {"db.internal": "10.0.0.7"}),
        "dns": (["10.0.0.2", "10.0.0.3"], ["10.0.0.3", "10.0.0.2"]),
        "dns_search": (["a.example", "b.example"], ["b.example"]),
        "dns_options": (["ndots:2", "timeout:2"], ["ndots:3", "timeout:2"]),
        "sysctls": ({"net.core.somaxconn": 1024}, {"net.core.somaxconn": 512}),
        "cap_add": (["net_admin", "CAP_SYS_TIME"], ["NET_ADMIN"]),
        "cap_drop": (["ALL"], ["NET_RAW"]),
        "ulimits": (["nofile:1024:2048", "nproc:64"], ["nofile:1024:4096", "nproc:64"]),
        "mounts": ([{"type": "tmpfs", "target": "/tmp", "tmpfs_size": "64m", "tmpfs_mode": 0o1777},
                    {"source": "data", "target": "/data", "driver_config": {"name": "local", "options": {"o": "x"}},
                     "labels": {"keep": "yes"}, "no_copy": True, "readonly": True},
                    {"source": "/srv", "target": "/srv", "type": "bind", "propagation": "rslave"}],
                   [{"source": "data", "target": "/data", "driver_opts": {"o": "y"}}]),
        "healthcheck": ({"test": "curl -f http://localhost/", "interval": "10s", "timeout": "2s", "retries": 3,
                         "start_period": "5s"}, {"test": ["CMD", "true"], "interval": "10s"}),
        "secrets": ([{"secret_name": "db", "filename": "db_password", "uid": "100", "mode": "0400"},
                     {"secret_name": "api", "secret_id": "sec2"}], [{"secret_name": "db"}]),
        "configs": ([{"config_name": "conf", "filename": "/etc/app.conf", "mode": 0o440}, {"config_name": "other"}],
                    [{"config_name": "conf", "filename": "/etc/app.ini"}]),
        "logging": ({"driver": "json-file", "options": {"max-size": "10m", "max-file": "3"}},
                    {"driver": "json-file", "options": {"max-size": "10m"}}),
        "restart_config": ({"condition": "on-failure", "delay": "5s", "max_attempts": 3, "window": "2m"},
                           {"condition": "any"}),
        "placement": ({"constraints": ["node.role==worker", "node.labels.zone==a"],
                       "preferences": [{"spread": "node.labels.zone"}], "replicas_max_per_node": 2},
                      {"constraints": ["node.role==worker"]}),
        "resources": ({"limits": {"cpus": 0.5, "memory": "256m"}, "reservations": {"cpus": 0.25, "memory": "64m"}},
                      {"limits": {"cpus": 1.0, "memory": "256m"}}),
        "limits": ({"cpus": 1.5, "memory": "1g"}, {"cpus": 1.5, "memory": "2g"}),
        "reservations": ({"cpus": 0.1, "memory": "32m"}, {"memory": "16m"}),
        "networks": (["appnet", {"name": "backnet", "aliases": ["web"]}], ["appnet"]),
        "mode": ("global", "replicated"),
        "replicas": (3, 2),
        "update_config": ({"parallelism": 2, "delay": "10s", "failure_action": "rollback", "monitor": "5s",
                           "max_failure_ratio": 0.25, "order": "start-first"}, {"order": "stop-first"}),
        "rollback_config": ({"parallelism": 1, "failure_action": "pause", "order": "stop-first"},
                            {"parallelism": 3}),
        "endpoint_mode": ("dnsrr", "vip"),
        "publish": ([{"published_port": 8080, "target_port": 80}, {"target_port": 53, "protocol": "udp", "mode": "host"}],
                    [{"published_port": 8081, "target_port": 80}]),
    }


def _omitempty(value):
    """What the engine's JSON leaves out: empty strings, false, zero and empty lists (an empty object such as
    ``Mode.Global`` stays)."""
    if isinstance(value, dict):
        kept = dict((key, _omitempty(item)) for key, item in value.items())
        return dict((key, item) for key, item in kept.items()
                    if item is True or item not in (None, False, 0, "", []))
    if isinstance(value, list):
        return [_omitempty(item) for item in value]
    return value


def _engine_inspect(desired):
    """The ``Spec`` of ``docker service inspect`` after the service was created from ``desired``: as the engine
    stores it (JSON, empty values left out), with what it fills in itself, and the lists whose order it does not
    keep in another order."""
    spec = json.loads(json.dumps(merge_spec({}, desired)))
    spec["Mode"] = creation_mode(spec.get("Mode"))
    task = spec.setdefault("TaskTemplate", {})
    task["ForceUpdate"] = 0
    task["Runtime"] = "container"
    task["ContainerSpec"]["Isolation"] = "default"
    task.setdefault("Resources", {"Limits": {}, "Reservations": {}})
    task.setdefault("Placement", {})["Platforms"] = [{"Architecture": "amd64", "OS": "linux"}]
    if not is_job(spec["Mode"]):
        rollout = {"Parallelism": 1, "FailureAction": "pause", "Monitor": 5000000000, "MaxFailureRatio": 0,
                   "Order": "stop-first"}
        for key in ("UpdateConfig", "RollbackConfig"):
            spec[key] = dict(rollout, **spec.get(key, {}))
    spec.setdefault("EndpointSpec", {}).setdefault("Mode", "vip")
    for path in SETS:
        parent = _lookup(spec, path.rsplit(".", 1)[0]) if "." in path and "[]" not in path else None
        if isinstance(parent, dict) and isinstance(parent.get(path.rsplit(".", 1)[1]), list):
            parent[path.rsplit(".", 1)[1]] = list(reversed(parent[path.rsplit(".", 1)[1]]))
    return _omitempty(spec)


@pytest.fixture(name="samples")
def samples_fixture(tmp_path):
    env_file, other = tmp_path / "app.env", tmp_path / "other.env"
    env_file.write_text("# the app's settings\nA=1\n\nB=2\n")
    other.write_text("A=1\nB=3\n")
    return _samples(str(env_file), str(other))


def test_every_option_has_a_round_trip_sample(samples):
    assert sorted(samples) == sorted(option.name for option in options.OPTIONS if option.path)


def _params(name, value):
    params = {"name": "web", name: value}
    if name == "replicas":
        params["mode"] = "replicated"
    return params


def _build(params):
    return build_spec(params, NETWORKS, SECRETS, CONFIGS)


@pytest.mark.parametrize("name", [option.name for option in options.OPTIONS if option.path])
def test_option_round_trips_through_the_engine_as_no_difference(name, samples):
    """parse -> spec -> the inspect form the engine returns -> no difference; the other value is one, at the
    option's path."""
    value, other = samples[name]
    desired = _build(_params(name, value))
    assert _lookup(desired, options.BY_NAME[name].path) not in (None, {}, []), name
    inspect = _engine_inspect(desired)
    assert differences(desired, inspect) == [], (name, inspect)
    changed = _build(_params(name, other))
    if name == "mode":  # a change of mode is a new service, not a difference to update
        assert needs_recreate(changed, inspect) and differences(changed, inspect) == []
        return
    found = differences(changed, inspect)
    assert found, (name, other)
    path = options.BY_NAME[name].path
    assert all(p.startswith(path.split("[")[0]) or path.startswith(p) for p in found), (name, found)


# --------------------------------------------------------------------------- the Compose translation


def test_compose_keys_of_the_table_reach_their_options_engine_path():
    """A Compose service key the table names is given to its option as it is, and lands at the row's path."""
    from ansible_collections.dockyard.docker.plugins.module_utils.compose import stack
    samples = _samples("", "")
    service = dict((option.compose, samples[option.name][0]) for option in options.OPTIONS if option.compose)
    assert set(service) <= set(stack.SERVICE_KEYS)
    assert stack.SIMPLE == options.COMPOSE_KEYS
    loaded = stack.load_stack("shop", [{"services": {"web": dict(service, image="app:1")}}], environ={})
    params = loaded.services["web"]
    desired = _build(dict(params, networks=[], secrets=[], configs=[]))
    for option in options.OPTIONS:
        if option.compose:
            assert params[option.name] == samples[option.name][0], option.name
            assert _lookup(desired, option.path) == _lookup(_build(_params(option.name, samples[option.name][0])),
                                                            option.path), option.name


def test_compose_deploy_sections_take_their_options_keys():
    from ansible_collections.dockyard.docker.plugins.module_utils.compose import stack
    assert stack.UPDATE_KEYS == tuple(options.BY_NAME["update_config"].spec["options"])
    assert stack.RESTART_KEYS == tuple(options.BY_NAME["restart_config"].spec["options"])
    assert stack.MODES == tuple(options.BY_NAME["mode"].spec["choices"])
    assert stack.ENDPOINT_MODES == tuple(options.BY_NAME["endpoint_mode"].spec["choices"])
