# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Golden-file tests for the systemd / supervisor / upstart renderers.

Regenerate the golden files after an intended change with
``UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/plugins/module_utils/test_unit_render.py``
and review the diff.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.container import units as ur

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")

CASES = {
    # The Docker documentation's process-manager example: redis_server stopped with `docker stop -t 2`.
    "systemd_redis_server.service": dict(name="redis_server", stop_timeout=2),
    "systemd_full.service": dict(
        name="web-1", manager="systemd", stop_timeout=30, restart="on-failure", restart_sec=3,
        unit_name="web.service", after=["network-online.target", "docker.service"],
        requires=["postgres.service"], wants=["network-online.target"],
        description="Web front 100% up", docker_bin="/usr/local/bin/docker",
    ),
    "supervisor_redis_server.conf": dict(name="redis_server", manager="supervisor", stop_timeout=2),
    "supervisor_disabled_on_failure.conf": dict(
        name="worker.a", manager="supervisor", enabled=False, restart="on-failure", unit_name="jobs",
    ),
    "upstart_redis_server.conf": dict(name="redis_server", manager="upstart", stop_timeout=2),
    "upstart_manual_no_respawn.conf": dict(name="batch", manager="upstart", enabled=False, restart="no"),
    "upstart_on_failure.conf": dict(name="batch", manager="upstart", restart="on-failure"),
}


@pytest.mark.parametrize("golden", sorted(CASES))
def test_golden(golden):
    text = ur.render(ur.build_spec(**CASES[golden]))
    path = os.path.join(GOLDEN, golden)
    if os.environ.get("UPDATE_GOLDEN"):
        # Regenerating makes the comparison below pass by construction: never in CI.
        assert not os.environ.get("CI"), "UPDATE_GOLDEN is set in CI: golden files are compared, never rewritten there"
        with open(path, "w") as handle:
            handle.write(text)
    with open(path) as handle:
        assert text == handle.read()


@pytest.mark.parametrize("golden", sorted(CASES))
def test_render_is_deterministic(golden):
    first = ur.render(ur.build_spec(**CASES[golden]))
    second = ur.render(ur.build_spec(**dict(CASES[golden])))
    assert first == second


def test_systemd_contract_lines():
    text = ur.render(ur.build_spec(name="redis_server", stop_timeout=2))
    lines = text.splitlines()
    assert "ExecStart=/usr/bin/docker start -a redis_server" in lines
    assert "ExecStop=/usr/bin/docker stop -t 2 redis_server" in lines
    assert "Requires=docker.service" in lines
    assert "After=docker.service" in lines
    assert "Restart=always" in lines
    assert "WantedBy=multi-user.target" in lines
    timeout = [int(x.split("=")[1]) for x in lines if x.startswith("TimeoutStopSec=")]
    assert timeout and timeout[0] > 2


def test_systemd_user_dependencies_merge_without_duplicates():
    spec = ur.build_spec(name="app1", after=["docker.service", "a.service", "a.service"], requires=["b.mount"])
    text = ur.render(spec)
    assert "After=docker.service a.service\n" in text
    assert "Requires=docker.service b.mount\n" in text
    assert "Wants=" not in text


def test_supervisor_stopwaitsecs_longer_than_stop_timeout():
    text = ur.render(ur.build_spec(name="app1", manager="supervisor", stop_timeout=7))
    assert "stopwaitsecs=17\n" in text
    assert "/usr/bin/docker stop -t 7 app1" in text
    assert "/usr/bin/docker start -a app1 & wait $!" in text
    # supervisor's ini parser treats " ;" and " #" as inline comments
    command = [x for x in text.splitlines() if x.startswith("command=")][0]
    assert " ;" not in command and " #" not in command


def test_supervisor_restart_mapping():
    for restart, expected in (("always", "true"), ("on-failure", "unexpected"), ("no", "false")):
        text = ur.render(ur.build_spec(name="app1", manager="supervisor", restart=restart))
        assert "autorestart=%s\n" % expected in text


def test_defaults_names_and_paths():
    for manager, dest in (
        ("systemd", "/etc/systemd/system/docker-redis.service"),
        ("supervisor", "/etc/supervisor/conf.d/docker-redis.conf"),
        ("upstart", "/etc/init/docker-redis.conf"),
    ):
        spec = ur.build_spec(name="redis", manager=manager)
        assert spec["unit_name"] == "docker-redis"
        assert spec["dest"] == dest
        assert spec["stop_timeout"] == 10
        assert spec["restart"] == "always"


def test_unit_name_from_dest_and_suffix():
    spec = ur.build_spec(name="redis", dest="/usr/local/lib/systemd/system/cache.service")
    assert spec["unit_name"] == "cache"
    spec = ur.build_spec(name="redis", unit_name="cache.service")
    assert spec["unit_name"] == "cache"
    assert spec["dest"] == "/etc/systemd/system/cache.service"
    spec = ur.build_spec(name="redis", manager="supervisor", unit_name="cache", dest="/etc/supervisord.d/x.ini")
    assert spec["unit_name"] == "cache"
    assert spec["dest"] == "/etc/supervisord.d/x.ini"


@pytest.mark.parametrize(
    "kwargs, option, fragment",
    [
        (dict(manager="runit"), "manager", "systemd, supervisor, upstart"),
        (dict(stop_timeout=-5), "stop_timeout", "between 0 and 86400, got -5"),
        (dict(stop_timeout="5"), "stop_timeout", "must be an integer"),
        (dict(restart_sec=-1), "restart_sec", "between 0 and 86400"),
        (dict(restart="sometimes"), "restart", "no, always, on-success"),
        (dict(manager="supervisor", restart="on-abort"), "restart", "always, on-failure, no"),
        (dict(manager="upstart", restart_sec=3), "restart_sec", "only applies to manager=systemd"),
        (dict(manager="supervisor", after=["x.service"]), "after", "only applies to manager=systemd"),
        (dict(name="bad name"), "name", "[a-zA-Z0-9][a-zA-Z0-9_.-]+"),
        (dict(name="x"), "name", "Docker container name"),
        (dict(unit_name="docker"), "unit_name", "engine's own unit"),
        (dict(unit_name="docker.service"), "unit_name", "engine's own unit"),
        (dict(unit_name="a b"), "unit_name", "letters, digits"),
        (dict(dest="relative/x.service"), "dest", "absolute path"),
        (dict(dest="/etc/systemd/system/x.conf"), "dest", "ending in .service"),
        (dict(unit_name="a", dest="/etc/systemd/system/b.service"), "dest", "does not match unit_name"),
        (dict(after=["bad unit"]), "after", "not a systemd unit name"),
        (dict(docker_bin="docker"), "docker_bin", "absolute path"),
        (dict(docker_bin="/usr/bin/doc ker"), "docker_bin", "no spaces"),
        (dict(description="two\nlines"), "description", "one line"),
        # a trailing newline passed `$`; a full match refuses it
        (dict(name="web\n"), "name", "Docker container name"),
        (dict(unit_name="web\n"), "unit_name", "letters, digits"),
        (dict(requires=["db.service\n"]), "requires", "not a systemd unit name"),
        (dict(after=["db.service\nExecStartPre=/bin/sh"]), "after", "not a systemd unit name"),
        (dict(docker_bin="/usr/bin/docker\n"), "docker_bin", "absolute path"),
        (dict(dest="/etc/systemd/system/web.service\n"), "dest", "absolute path"),
        (dict(restart="always\n"), "restart", "must be one of"),
        # a trailing backslash joins the next line of a systemd unit into this one
        (dict(requires=["db.service\\"]), "requires", "a backslash only in a \\xHH escape"),
        (dict(wants=["a\\b.service"]), "wants", "\\xHH"),
        (dict(description="web \\"), "description", "without double quotes or backslashes"),
        (dict(description='say "hi"'), "description", "without double quotes"),
        # control characters: CR, NUL, ESC, DEL, a C1 control, Unicode line/paragraph separators
        (dict(description="a\rb"), "description", "printable"),
        (dict(description="a\x00b"), "description", "printable"),
        (dict(description="a\x1b[31mb"), "description", "printable"),
        (dict(description="a\x7fb"), "description", "printable"),
        (dict(description="a\x85b"), "description", "printable"),
        (dict(description="a\u2028b"), "description", "printable"),
        (dict(description="x" * 513), "description", "at most 512 characters"),
        # systemd specifiers and the other characters the formats interpret
        (dict(wants=["%i.service"]), "wants", "not a systemd unit name"),
        (dict(docker_bin="/usr/bin/%n"), "docker_bin", "no spaces, quotes"),
        (dict(docker_bin="/usr/bin/docker;reboot"), "docker_bin", "no spaces, quotes"),
        (dict(manager="supervisor", unit_name="a;b"), "unit_name", "letters, digits"),
        (dict(manager="supervisor", unit_name="a%(ENV_X)s"), "unit_name", "letters, digits"),
        (dict(manager="supervisor", dest="/etc/supervisor/conf.d/%(here)s.conf"), "dest", "absolute path"),
        (dict(dest="/etc/systemd/system/../../tmp/x.service"), "dest", ". or .. components"),
        (dict(dest="/etc/systemd/system/" + "a" * 250 + ".service"), "dest", "file names of at most 255"),
        # systemd.unit(5): a unit type suffix, one @instance, 255 characters in all
        (dict(after=["network-online"]), "after", "unit type suffix"),
        (dict(after=["a@b@c.service"]), "after", "at most one @instance"),
        (dict(after=["a" * 248 + ".service"]), "after", "at most 255 characters"),
        (dict(unit_name="web@"), "unit_name", "not at the end"),
        (dict(unit_name="a@b@c"), "unit_name", "at most one @"),
        (dict(unit_name="a" * 248), "unit_name", "at most 247 characters"),
        (dict(manager="upstart", unit_name="a" * 251), "unit_name", "at most 250 characters"),
        (dict(name="a" * 256), "name", "at most 255 characters"),
    ],
)
def test_validation_errors_name_option_and_accepted_values(kwargs, option, fragment):
    args = dict(name="redis_server")
    args.update(kwargs)
    with pytest.raises(ur.UnitSpecError) as err:
        ur.build_spec(**args)
    assert err.value.option == option
    assert fragment in str(err.value)
    assert option in str(err.value)


def test_signal_exit_is_a_clean_stop_only_when_restart_does_not_depend_on_it():
    for restart in ("always", "no"):
        text = ur.render(ur.build_spec(name="app1", restart=restart))
        assert "SuccessExitStatus=137 143\n" in text
    for restart in ("on-failure", "on-success", "on-abnormal"):
        text = ur.render(ur.build_spec(name="app1", restart=restart))
        assert "SuccessExitStatus" not in text


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(after=["dev-disk-by\\x2dlabel-data.device", "srv-data.mount"]),
        dict(requires=["getty@tty1.service", "systemd-fsck@dev-sda1.service"]),
        dict(wants=["a:b.target"]),
        dict(unit_name="a" * 247),
        dict(unit_name="web@blue"),
        dict(description="Café ünïcode 100% — fine"),
    ],
)
def test_valid_edge_values_are_accepted(kwargs):
    args = dict(name="redis_server")
    args.update(kwargs)
    text = ur.render(ur.build_spec(**args))
    for value in kwargs.get("after", []) + kwargs.get("requires", []) + kwargs.get("wants", []):
        assert value in text


@pytest.mark.parametrize("manager", ur.MANAGERS)
def test_header_names_the_collection_and_the_container(manager):
    text = ur.render(ur.build_spec(name="redis_server", manager=manager))
    first, second = text.splitlines()[:2]
    assert "dockyard.docker.container_unit" in first
    assert "Owns Docker container redis_server;" in second
    assert ur.header_owner(manager, text) == "redis_server"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[Unit]\nDescription=nginx\n",
        # the header of another manager's comment syntax
        "; Managed by Ansible (dockyard.docker.container_unit): changes here are overwritten.\n"
        "; Owns Docker container web; the container keeps restart policy 'no'.\n[Unit]\n",
        # the mark without the owner line, or below the first line
        "# Managed by Ansible (dockyard.docker.container_unit): changes here are overwritten.\n[Unit]\n",
        "[Unit]\n# Managed by Ansible (dockyard.docker.container_unit): changes here are overwritten.\n"
        "# Owns Docker container web; the container keeps restart policy 'no'.\n",
        # an owner line that is not a container name
        "# Managed by Ansible (dockyard.docker.container_unit): changes here are overwritten.\n"
        "# Owns Docker container web x; the container keeps restart policy 'no'.\n[Unit]\n",
    ],
)
def test_header_owner_is_none_for_files_without_the_exact_header(text):
    assert ur.header_owner("systemd", text) is None


def test_header_of_every_golden_file_names_its_container():
    for golden, case in CASES.items():
        with open(os.path.join(GOLDEN, golden)) as handle:
            assert ur.header_owner(case.get("manager", "systemd"), handle.read()) == case["name"]
