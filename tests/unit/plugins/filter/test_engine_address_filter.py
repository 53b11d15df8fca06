# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filters the engine role reads its listeners through (plugins/filter/engine_address.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.dockyard.docker.plugins.filter.engine_address import (
    FilterModule,
    engine_address,
    engine_listeners,
)


def test_filters_are_registered():
    assert FilterModule().filters() == {"engine_address": engine_address, "engine_listeners": engine_listeners}


def test_engine_address_gives_the_normalised_structure():
    assert engine_address(" TCP://10.0.0.1:2376 ") == {
        "scheme": "tcp", "written_scheme": "tcp", "tls": False, "host": "10.0.0.1", "port": 2376, "path": None,
        "user": None, "name": None, "spelling": " TCP://10.0.0.1:2376 ", "is_tcp": True, "is_local": False,
        "url": "tcp://10.0.0.1:2376"}


def test_engine_address_error_names_the_option():
    with pytest.raises(AnsibleFilterError, match=r"^my_host: 'tcp://h:0' is not an engine address: the port"):
        engine_address("tcp://h:0", "my_host")


def test_listeners_one_dict_per_entry_in_order():
    out = engine_listeners(["fd://", "0.0.0.0:2376", "unix://"])
    assert [(item["scheme"], item["url"]) for item in out] == [
        ("fd", "fd://"), ("tcp", "tcp://0.0.0.0:2376"), ("unix", "unix:///var/run/docker.sock")]


@pytest.mark.parametrize("hosts", ["tcp://0.0.0.0:2376", {"a": 1}, None, 2376, b"unix://"])
def test_listeners_must_be_a_list(hosts):
    with pytest.raises(AnsibleFilterError, match=r"^docker_daemon_options.hosts must be a list of addresses"):
        engine_listeners(hosts)


@pytest.mark.parametrize("value,words", [
    ("ssh://me@h", ["hosts[1]", "ssh:// address, which dockerd cannot listen on"]),
    ("npipe://", ["hosts[1]", "npipe:// address"]),
    ("tcp://h:1/x", ["hosts[1]", "no path"]),
    ("", ["hosts[1]", "empty"]),
])
def test_listeners_refuse_what_dockerd_cannot_listen_on(value, words):
    with pytest.raises(AnsibleFilterError) as err:
        engine_listeners(["unix://", value])
    for word in words:
        assert word in str(err.value)
