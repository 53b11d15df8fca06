# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine role's effective daemon.json (roles/engine/templates/daemon_options.j2) and its TCP/TLS check
(tasks/validate.yml), rendered with Ansible's own templating and the collection's own filters: user options
win, log rotation and live-restore defaults, every TCP listener (whatever its spelling) TLS-only."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest
import yaml

from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

try:  # ansible-core >= 2.19 only renders strings marked as trusted templates
    from ansible.template import trust_as_template
except ImportError:  # pragma: no cover - older ansible-core
    def trust_as_template(value):
        return value

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLE = os.path.join(ROOT, "roles", "engine")
# The template uses dockyard.docker filters: conftest.py installs Ansible's collection loader.

TLS = dict(docker_tls_ca="CA", docker_tls_cert="CERT", docker_tls_key="KEY")
TLS_KEYS = {"tlsverify": True, "tlscacert": "/etc/docker/tls/ca.pem", "tlscert": "/etc/docker/tls/server-cert.pem",
            "tlskey": "/etc/docker/tls/server-key.pem"}


def _load(*parts):
    with open(os.path.join(ROLE, *parts)) as fh:
        return yaml.safe_load(fh)


def _trusted(value):
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, list):
        return [_trusted(item) for item in value]
    if isinstance(value, dict):
        return dict((key, _trusted(item)) for key, item in value.items())
    return value


def role_variables(**overrides):
    """defaults + the role's internal vars (templates in them trusted, as Ansible trusts role files) + overrides."""
    variables = _load("defaults", "main.yml")
    variables.update(_trusted(_load("vars", "main.yml")))
    variables.update(overrides)
    return variables


def render(**overrides):
    with open(os.path.join(ROLE, "templates", "daemon_options.j2")) as fh:
        source = trust_as_template(fh.read())
    out = Templar(loader=DataLoader(), variables=role_variables(**overrides)).template(source)
    # the role reads it through lookup('template') | from_json; native templating may already give a dict
    return json.loads(out) if isinstance(out, str) else json.loads(json.dumps(out))


def test_defaults_add_log_rotation_only():
    assert render() == {"log-opts": {"max-size": "10m", "max-file": "3"}}


def test_user_log_opts_win_and_values_are_strings():
    out = render(docker_daemon_options={"log-driver": "json-file", "log-opts": {"max-size": "20m"}}, docker_log_max_file=5)
    assert out == {"log-driver": "json-file", "log-opts": {"max-size": "20m", "max-file": "5"}}


def test_local_log_driver_gets_the_rotation_too():
    out = render(docker_daemon_options={"log-driver": "local"}, docker_log_max_size="50m", docker_log_max_file=2)
    assert out == {"log-driver": "local", "log-opts": {"max-size": "50m", "max-file": "2"}}


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
    assert render(docker_log_rotation=False, **TLS) == {}
    assert render(docker_log_rotation=False, docker_daemon_options={"hosts": ["unix://", "fd://"]}, **TLS) == {
        "hosts": ["unix:///var/run/docker.sock", "fd://"]}
    out = render(docker_daemon_options={"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"]}, **TLS)
    assert out["tlsverify"] is True
    assert out["tlscacert"] == "/etc/docker/tls/ca.pem"
    assert out["tlscert"] == "/etc/docker/tls/server-cert.pem"
    assert out["tlskey"] == "/etc/docker/tls/server-key.pem"


# Spellings dockerd reads as TCP that the role used to render without any TLS setting.
SPELLINGS = ["0.0.0.0:2376", " tcp://0.0.0.0:2376", "TCP://0.0.0.0:2376", "tcp://0.0.0.0:2376\n",
             "http://0.0.0.0:2376", "https://0.0.0.0:2376"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_tcp_spelling_is_rendered_tls_only_in_its_normalised_form(spelling):
    out = render(docker_log_rotation=False, docker_daemon_options={"hosts": ["unix://", spelling]}, **TLS)
    assert out == dict(TLS_KEYS, hosts=["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"])


def test_tls_given_wins_over_a_tls_off_in_the_options():
    opts = {"hosts": ["unix://", ":2376"], "tls": False, "tlsverify": False, "tlscacert": "/elsewhere.pem"}
    out = render(docker_log_rotation=False, docker_daemon_options=opts, **TLS)
    assert out == dict(TLS_KEYS, tls=True, hosts=["unix:///var/run/docker.sock", "tcp://localhost:2376"])


@pytest.mark.parametrize("partial", [dict(docker_tls_ca="CA"), dict(docker_tls_cert="C", docker_tls_key="K")])
def test_no_tls_paths_without_all_three_files(partial):
    # validate.yml refuses this; the template must not point dockerd at files tls.yml never writes
    out = render(docker_log_rotation=False, docker_daemon_options={"hosts": ["unix://", "tcp://0.0.0.0:2376"]},
                 **partial)
    assert out == {"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"]}


def test_insecure_tcp_renders_a_plain_listener_and_no_tls_paths():
    out = render(docker_log_rotation=False, docker_allow_insecure_tcp=True,
                 docker_daemon_options={"hosts": ["unix://", "TCP://0.0.0.0:2375"]})
    assert out == {"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"]}
    # with the TLS material as well, the listener is TLS-only all the same
    out = render(docker_log_rotation=False, docker_allow_insecure_tcp=True,
                 docker_daemon_options={"hosts": ["unix://", "TCP://0.0.0.0:2375"]}, **TLS)
    assert out == dict(TLS_KEYS, hosts=["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"])


def test_insecure_tcp_with_a_certificate_but_no_ca_renders_no_tls_paths():
    # dockerd would refuse to start pointed at a ca.pem tls.yml never writes
    out = render(docker_log_rotation=False, docker_allow_insecure_tcp=True,
                 docker_daemon_options={"hosts": ["unix://", "tcp://0.0.0.0:2375"]}, docker_tls_cert="CERT",
                 docker_tls_key="KEY")
    assert out == {"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"]}


@pytest.mark.parametrize("hosts,words", [
    (["unix://", "tcp://0.0.0.0:99999"], ["docker_daemon_options.hosts[1]", "1 to 65535"]),
    (["unix://", "ssh://me@h"], ["docker_daemon_options.hosts[1]", "cannot listen on"]),
    (["unix://", 2376], ["docker_daemon_options.hosts[1]", "give a string"]),
    ("tcp://0.0.0.0:2376", ["docker_daemon_options.hosts must be a list"]),
])
def test_unreadable_hosts_are_refused_naming_the_entry(hosts, words):
    with pytest.raises(AnsibleError) as err:
        render(docker_daemon_options={"hosts": hosts}, **TLS)
    for word in words:
        assert word in str(err.value)


# ---------------------------------------------------------------------------- validate.yml's checks
def _check(name):
    tasks = _load("tasks", "validate.yml")
    return [task for task in tasks if task.get("name") == name][0]


def _check_templar(task, overrides):
    variables = role_variables(**overrides)
    templar = Templar(loader=DataLoader(), variables=variables)
    for key, value in task.get("vars", {}).items():
        variables[key] = templar.template(trust_as_template(value))
    return Templar(loader=DataLoader(), variables=variables)


def check_passes(name, **overrides):
    """Evaluate one assert of validate.yml the way Ansible does: its vars, then each `that`."""
    task = _check(name)
    templar = _check_templar(task, overrides)
    return all(templar.evaluate_conditional(trust_as_template(cond)) for cond in task["ansible.builtin.assert"]["that"])


def check_message(name, **overrides):
    task = _check(name)
    return _check_templar(task, overrides).template(trust_as_template(task["ansible.builtin.assert"]["fail_msg"]))


TCP_CHECK = "Check every TCP listener is protected by TLS"


@pytest.mark.parametrize("spelling", SPELLINGS + [":2376", "localhost"])
def test_tcp_check_refuses_every_spelling_without_tls(spelling):
    hosts = {"hosts": ["unix://", spelling]}
    assert not check_passes(TCP_CHECK, docker_daemon_options=hosts)
    assert not check_passes(TCP_CHECK, docker_daemon_options=hosts, docker_tls_ca="CA")
    assert check_passes(TCP_CHECK, docker_daemon_options=hosts, **TLS)
    assert check_passes(TCP_CHECK, docker_daemon_options=hosts, docker_allow_insecure_tcp=True)


def test_tcp_check_message_shows_each_spelling_and_how_it_was_read():
    msg = check_message(TCP_CHECK, docker_daemon_options={"hosts": ["unix://", " tcp://0.0.0.0:2375", ":2376"]})
    assert msg.startswith('docker_daemon_options.hosts has " tcp://0.0.0.0:2375" (read as tcp://0.0.0.0:2375), '
                          '":2376" (read as tcp://localhost:2376) without TLS: anyone who can reach that port gets '
                          'root on this host')
    assert "docker_tls_ca, docker_tls_cert and docker_tls_key" in msg


def test_tcp_check_passes_without_tcp_listeners():
    assert check_passes(TCP_CHECK)
    assert check_passes(TCP_CHECK, docker_daemon_options={"hosts": ["unix://", "fd://", "UNIX:///run/d.sock"]})


def test_local_socket_check_reads_spellings_too():
    name = "Check hosts keeps a local socket"
    assert check_passes(name)
    assert check_passes(name, docker_daemon_options={"hosts": [" UNIX:///var/run/docker.sock"]})
    assert not check_passes(name, docker_daemon_options={"hosts": ["tcp://0.0.0.0:2376"]}, **TLS)
