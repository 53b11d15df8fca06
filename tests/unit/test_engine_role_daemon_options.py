# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine role's effective daemon.json (roles/engine/templates/daemon_options.j2), rendered with
Ansible's own templating: user options win, log rotation and live-restore defaults, TLS paths."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest
import yaml

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

try:  # ansible-core >= 2.19 only renders strings marked as trusted templates
    from ansible.template import trust_as_template
except ImportError:  # pragma: no cover - older ansible-core
    def trust_as_template(value):
        return value

ROLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "roles", "engine")


def defaults():
    with open(os.path.join(ROLE, "defaults", "main.yml")) as fh:
        return yaml.safe_load(fh)


def render(**overrides):
    variables = defaults()
    variables.update(overrides)
    with open(os.path.join(ROLE, "templates", "daemon_options.j2")) as fh:
        source = trust_as_template(fh.read())
    out = Templar(loader=DataLoader(), variables=variables).template(source)
    # the role reads it through lookup('template') | from_json; native templating may already give a dict
    return json.loads(out) if isinstance(out, str) else json.loads(json.dumps(out))


def test_defaults_add_log_rotation_only():
    assert render() == {"log-opts": {"max-size": "10m", "max-file": "3"}}


def test_user_log_opts_win_and_values_are_strings():
    out = render(docker_daemon_options={"log-driver": "json-file", "log-opts": {"max-size": "20m"}}, docker_log_max_file=5)
    assert out == {"log-driver": "json-file", "log-opts": {"max-size": "20m", "max-file": "5"}}


def test_other_log_driver_gets_no_rotation():
    assert render(docker_daemon_options={"log-driver": "journald"}) == {"log-driver": "journald"}


def test_rotation_off():
    assert render(docker_log_rotation=False) == {}


@pytest.mark.parametrize("value", [True, False])
def test_live_restore(value):
    assert render(docker_log_rotation=False, docker_live_restore=value) == {"live-restore": value}


def test_live_restore_in_options_wins():
    out = render(docker_log_rotation=False, docker_live_restore=True, docker_daemon_options={"live-restore": False})
    assert out == {"live-restore": False}


def test_tls_paths_only_with_a_tcp_host():
    tls = dict(docker_tls_ca="CA", docker_tls_cert="CERT", docker_tls_key="KEY", docker_log_rotation=False)
    assert render(**tls) == {}
    out = render(docker_daemon_options={"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"]}, **tls)
    assert out["tlsverify"] is True
    assert out["tlscacert"] == "/etc/docker/tls/ca.pem"
    assert out["tlscert"] == "/etc/docker/tls/server-cert.pem"
    assert out["tlskey"] == "/etc/docker/tls/server-key.pem"
