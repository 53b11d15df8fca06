# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""container_unit without a daemon: engine and manager commands are faked.

The real behaviour (systemd/supervisord restarting a crashed container) is
proven by the molecule scenario ``units``; here: refusals write nothing, the
command sequence is the one promised, check mode runs nothing, a second run
changes nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import stat

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.dockyard.docker.plugins.module_utils.client import NotFound
from ansible_collections.dockyard.docker.plugins.modules import container_unit


class Exit(Exception):
    pass


class Fail(Exception):
    pass


class FakeApi:
    def __init__(self, containers):
        self.containers = containers
        self.inspected = []

    def inspect_container(self, name):
        self.inspected.append(name)
        if name not in self.containers:
            raise NotFound("No such container: %s" % name)
        return self.containers[name]


class FakeClient:
    def __init__(self, api):
        self.reader = api


def container(policy="no", stop_timeout=None):
    info = {"Name": "/x", "HostConfig": {"RestartPolicy": {"Name": policy, "MaximumRetryCount": 0}}, "Config": {}}
    if stop_timeout is not None:
        info["Config"]["StopTimeout"] = stop_timeout
    return info


class Host:
    """A fake host: systemd or supervisord state driven by the commands the module runs."""

    def __init__(self):
        self.commands = []
        self.active = "inactive"
        self.enabled = "disabled"
        self.sup_status = None  # program not loaded
        self.sup_autostart = True
        # where systemd loads the unit from (FragmentPath=); empty: no such unit yet
        self.fragment = ""
        self.warnings = []

    def run_command(self, args, **kwargs):
        args = list(args)
        self.commands.append(args)
        tool, rest = os.path.basename(args[0]), args[1:]
        if tool == "systemctl":
            if rest[0] == "show":
                return 0, "ActiveState=%s\nUnitFileState=%s\nLoadState=%s\nFragmentPath=%s\n" % (
                    self.active, self.enabled, "loaded" if self.fragment else "not-found", self.fragment), ""
            if rest[0] == "start":
                self.active = "active"
            elif rest[0] == "stop":
                self.active = "inactive"
            elif rest[0] == "enable":
                self.enabled = "enabled"
            elif rest[0] == "disable":
                self.enabled = "disabled"
            return 0, "", ""
        if tool == "supervisorctl":
            if rest[0] == "pid":
                return 0, "42\n", ""
            if rest[0] == "status":
                if self.sup_status is None:
                    return 4, "%s: ERROR (no such process)\n" % rest[1], ""
                return 0, "%s   %s   pid 7, uptime 0:00:03\n" % (rest[1], self.sup_status), ""
            if rest[0] == "update":
                self.sup_status = "RUNNING" if self.sup_autostart else "STOPPED"
            if rest[0] == "start":
                self.sup_status = "RUNNING"
            if rest[0] == "stop":
                self.sup_status = "STOPPED"
            return 0, "", ""
        if tool == "initctl":
            # an upstart that runs the job: a refusal must not stop it
            if rest[0] == "status":
                return 0, "%s start/running, process 7\n" % rest[1], ""
            return 0, "", ""
        raise AssertionError("unexpected command %r" % args)

    def changing(self):
        return [c for c in self.commands if c[1] not in ("show", "status", "pid", "version")]


@pytest.fixture
def env(monkeypatch, tmp_path):
    api = FakeApi({"web": container(), "pinned": container(policy="always"), "slow": container(stop_timeout=7)})
    host = Host()
    booted = tmp_path / "run-systemd"
    booted.mkdir()
    monkeypatch.setattr(container_unit, "SYSTEMD_RUN_DIR", str(booted))
    monkeypatch.setattr(container_unit, "connect", lambda module, lazy=False: FakeClient(api))
    monkeypatch.setattr(basic.AnsibleModule, "run_command", lambda self, args, **kw: host.run_command(args, **kw))
    monkeypatch.setattr(basic.AnsibleModule, "get_bin_path", lambda self, name, *a, **kw: "/usr/bin/" + name)

    def exit_json(self, **kwargs):
        raise Exit(kwargs)

    def fail_json(self, **kwargs):
        raise Fail(kwargs)

    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, msg: host.warnings.append(msg))
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    # docker_bin must be an executable on the target
    docker_bin = tmp_path / "docker"
    docker_bin.write_text("#!/bin/sh\n")
    docker_bin.chmod(0o755)
    return dict(api=api, host=host, tmp=tmp_path, docker_bin=str(docker_bin))


def run(env, check=False, diff=False, **params):
    params.setdefault("docker_bin", env["docker_bin"])
    if "dest" not in params:
        suffix = ".service" if params.get("manager", "systemd") == "systemd" else ".conf"
        params["dest"] = str(env["tmp"] / "units" / ("docker-%s%s" % (params["name"], suffix)))
    args = dict(params, _ansible_check_mode=check, _ansible_diff=diff)
    with patch_module_args(args):
        try:
            container_unit.main()
        except Exit as exc:
            return exc.args[0]
    raise AssertionError("module did not exit")


def fails(env, **params):
    with pytest.raises(Fail) as err:
        run(env, **params)
    return err.value.args[0]


def test_systemd_first_run_writes_reloads_enables_starts(env):
    result = run(env, name="web", stop_timeout=2)
    path = result["unit_path"]
    assert result["changed"] is True
    assert result["actions"] == [
        "mkdir %s" % os.path.dirname(path),
        "write %s" % path,
        "systemctl daemon-reload",
        "systemctl enable docker-web.service",
        "systemctl start docker-web.service",
    ]
    with open(path) as handle:
        text = handle.read()
    assert text == result["unit_content"]
    assert "ExecStop=%s stop -t 2 web\n" % env["docker_bin"] in text
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
    assert result["diff"]["before"] == "" and result["diff"]["after"] == text
    # no temporary file left behind
    assert os.listdir(os.path.dirname(path)) == ["docker-web.service"]


def test_systemd_second_run_changes_and_restarts_nothing(env):
    run(env, name="web", stop_timeout=2)
    env["host"].commands[:] = []
    result = run(env, name="web", stop_timeout=2)
    assert result["changed"] is False
    assert result["actions"] == []
    assert env["host"].changing() == []


def test_changed_unit_is_reloaded_not_restarted(env):
    run(env, name="web", stop_timeout=2)
    env["host"].commands[:] = []
    result = run(env, name="web", stop_timeout=5, diff=True)
    assert result["actions"][1:] == ["systemctl daemon-reload"]
    assert "-t 2" in result["diff"]["before"] and "-t 5" in result["diff"]["after"]


def test_check_mode_writes_and_runs_nothing(env):
    result = run(env, check=True, name="web")
    assert result["changed"] is True
    assert "systemctl start docker-web.service" in result["actions"]
    assert not os.path.exists(result["unit_path"])
    assert env["host"].changing() == []


def test_stop_timeout_defaults_to_container_config(env):
    result = run(env, name="slow")
    assert " stop -t 7 slow\n" in result["unit_content"]
    assert "TimeoutStopSec=17\n" in result["unit_content"]


@pytest.mark.parametrize(
    "params, fragment",
    [
        (dict(name="pinned"), "restart policy 'always'"),
        (dict(name="ghost"), "Container ghost does not exist"),
        (dict(name="web", stop_timeout=-5), "stop_timeout must be an integer between 0 and 86400, got -5"),
        (dict(name="web", manager="runit"), "manager must be one of: systemd, supervisor, upstart"),
        (dict(name="web", restart="sometimes"), "restart must be one of"),
        (dict(name="web", manager="supervisor", restart_sec=3), "restart_sec only applies to manager=systemd"),
    ],
)
def test_refusals_write_nothing(env, params, fragment):
    result = fails(env, **params)
    assert fragment in result["msg"]
    assert not os.path.exists(str(env["tmp"] / "units"))
    assert env["host"].changing() == []


def test_refusal_for_docker_bin_that_does_not_exist(env):
    result = fails(env, name="web", docker_bin="/nonexistent/docker")
    assert "docker_bin /nonexistent/docker is not an executable" in result["msg"]
    assert env["api"].inspected == []


def test_absent_stops_disables_removes_and_keeps_container(env):
    run(env, name="web")
    env["host"].commands[:] = []
    result = run(env, name="web", state="absent", diff=True)
    path = result["unit_path"]
    assert result["actions"] == [
        "systemctl stop docker-web.service",
        "systemctl disable docker-web.service",
        "remove %s" % path,
        "systemctl daemon-reload",
    ]
    assert not os.path.exists(path)
    assert result["diff"]["after"] == ""
    assert "web" in env["api"].containers
    again = run(env, name="web", state="absent")
    assert again["changed"] is False


def test_stopped_and_disabled(env):
    run(env, name="web")
    result = run(env, name="web", state="stopped", enabled=False)
    assert result["actions"] == ["systemctl disable docker-web.service", "systemctl stop docker-web.service"]


def test_supervisor_new_program_is_loaded_by_update_only(env):
    result = run(env, name="web", manager="supervisor")
    assert result["actions"][-2:] == ["supervisorctl reread", "supervisorctl update docker-web"]
    assert "[program:docker-web]\n" in result["unit_content"]
    env["host"].commands[:] = []
    again = run(env, name="web", manager="supervisor")
    assert again["changed"] is False
    assert env["host"].changing() == []


def test_supervisor_stopped_state(env):
    run(env, name="web", manager="supervisor")
    result = run(env, name="web", manager="supervisor", state="stopped")
    assert result["actions"] == ["supervisorctl stop docker-web"]


def test_result_is_json_serialisable(env):
    json.dumps(run(env, name="web"))


# ------------------------------------------------------------------ files this module did not write
HAND_WRITTEN = "[Unit]\nDescription=nginx, installed by hand\n\n[Service]\nExecStart=/usr/sbin/nginx\n"


def sha256(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def hand_written(env, name="web", text=HAND_WRITTEN, manager="systemd"):
    suffix = ".service" if manager == "systemd" else ".conf"
    path = env["tmp"] / "units" / ("docker-%s%s" % (name, suffix))
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("manager", ["systemd", "supervisor", "upstart"])
@pytest.mark.parametrize("check", [False, True])
def test_refuses_to_replace_a_file_it_did_not_write(env, manager, check):
    path = hand_written(env, manager=manager)
    before = sha256(path)
    with pytest.raises(Fail) as err:
        run(env, check=check, name="web", manager=manager)
    msg = err.value.args[0]["msg"]
    assert "Refusing to replace %s" % path in msg
    assert "not written by dockyard.docker.container_unit" in msg
    assert "force: true" in msg and "Nothing was changed" in msg
    assert sha256(path) == before
    assert env["host"].changing() == []
    # refused before the engine was asked anything
    assert env["api"].inspected == []


@pytest.mark.parametrize("manager", ["systemd", "supervisor", "upstart"])
@pytest.mark.parametrize("check", [False, True])
def test_absent_refuses_a_file_it_did_not_write(env, manager, check):
    path = hand_written(env, manager=manager)
    before = sha256(path)
    with pytest.raises(Fail) as err:
        run(env, check=check, name="web", manager=manager, state="absent")
    msg = err.value.args[0]["msg"]
    assert "Refusing to stop, disable and remove %s" % path in msg
    assert "set force: true" in msg
    assert sha256(path) == before
    assert env["host"].changing() == []


def test_refuses_a_unit_written_for_another_container(env):
    run(env, name="web")
    other = env["tmp"] / "units" / "docker-web.service"
    before = sha256(str(other))
    env["api"].containers["db"] = container()
    for state in ("started", "absent"):
        with pytest.raises(Fail) as err:
            run(env, name="db", dest=str(other), state=state)
        assert "wrote it for container web, not db" in err.value.args[0]["msg"]
        assert sha256(str(other)) == before


def test_force_replaces_and_removes_a_foreign_file_and_says_so(env):
    path = hand_written(env)
    result = run(env, name="web", force=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == HAND_WRITTEN
    with open(path) as handle:
        assert handle.read() == result["unit_content"]
    assert any("force: replace %s" % path in w for w in env["host"].warnings)
    # the module's own file now: a re-run without force changes nothing
    assert run(env, name="web")["changed"] is False
    hand_written(env)
    result = run(env, name="web", state="absent", force=True)
    assert "remove %s" % path in result["actions"]
    assert not os.path.exists(path)


def test_a_file_from_the_first_release_is_recognised(env):
    """The header every release wrote (unchanged since the renderer's first version)."""
    path = hand_written(env, text=(
        "# Managed by Ansible (dockyard.docker.container_unit): changes here are overwritten.\n"
        "# Owns Docker container web; the container keeps restart policy 'no'.\n"
        "[Unit]\nDescription=Docker container web\n"
    ))
    result = run(env, name="web")
    assert result["changed"] is True and env["host"].warnings == []
    with open(path) as handle:
        assert handle.read() == result["unit_content"]


@pytest.mark.parametrize("check", [False, True])
def test_refuses_to_override_a_systemd_unit_defined_elsewhere(env, check):
    env["host"].fragment = "/lib/systemd/system/nginx.service"
    with pytest.raises(Fail) as err:
        run(env, check=check, name="web", unit_name="nginx", dest=str(env["tmp"] / "units" / "nginx.service"))
    msg = err.value.args[0]["msg"]
    assert "systemd already loads nginx.service from /lib/systemd/system/nginx.service" in msg
    assert not os.path.exists(str(env["tmp"] / "units"))
    assert env["host"].changing() == []
    result = run(env, check=check, name="web", unit_name="nginx", force=True,
                 dest=str(env["tmp"] / "units" / "nginx.service"))
    assert "write %s" % (env["tmp"] / "units" / "nginx.service") in result["actions"]
    assert any("would override it or be ignored" in w for w in env["host"].warnings)


def test_a_unit_moved_to_another_dest_is_still_its_own(env):
    first = run(env, name="web")
    env["host"].fragment = first["unit_path"]
    moved = str(env["tmp"] / "elsewhere" / "docker-web.service")
    result = run(env, name="web", dest=moved)
    assert "write %s" % moved in result["actions"]
    assert env["host"].warnings == []
