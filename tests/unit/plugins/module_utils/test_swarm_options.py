# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The service option table: the module's argument spec and docs come from it and cannot drift, its rules are
consistent, and every option given to a service reads back from the engine as no difference."""

import os
import subprocess
import sys

import pytest
import yaml

from ansible_collections.dockyard.docker.plugins.doc_fragments.swarm_service_options import ModuleDocFragment
from ansible_collections.dockyard.docker.plugins.module_utils.client import docker_argument_spec
from ansible_collections.dockyard.docker.plugins.module_utils.swarm import community_facts, options
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import build_spec
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


def test_the_comparison_rules_come_from_the_rows():
    assert "TaskTemplate.ContainerSpec.Mounts[].VolumeOptions.Labels" in options.MAP_PATHS
    assert "TaskTemplate.LogDriver.Options" in options.MAP_PATHS
    assert options.UNORDERED_PATHS["TaskTemplate.Networks"] == "Target"
    assert options.UNORDERED_PATHS["TaskTemplate.Placement.Constraints"] is None
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
