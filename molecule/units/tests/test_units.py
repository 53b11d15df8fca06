"""Containers under process managers: the manager, not Docker, keeps them running.

The converge put units-sd / units-sd-slow / units-gone under systemd, units-sv under supervisord
and wrote an upstart job for units-up. Here every container is crashed in several ways and must
come back through its manager (the container's own RestartCount stays 0), stops honour
`docker stop -t N`, `state: absent` removes the unit but keeps the container, the bad inputs
fail with a clear message and write nothing, and a unit file the module did not write is neither
replaced nor removed (unless force: true) nor a packaged unit overridden.
"""

import json
import os
import shlex
import subprocess

import pytest

UNIT_DIRS = ("/etc/systemd/system", "/etc/supervisor/conf.d", "/etc/init")
RESTART_SEC = 2
STOP_TIMEOUT = 3

# Runs on the node: poll a shell condition every 0.2 s, print the seconds it took.
WAIT = r"""
import subprocess, sys, time
cmd, timeout = sys.argv[1], float(sys.argv[2])
start = time.time()
while True:
    ok = subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    if ok or time.time() - start > timeout:
        print("%.1f" % (time.time() - start))
        sys.exit(0 if ok else 1)
    time.sleep(0.2)
"""


def wait_until(host, condition, timeout):
    """Seconds until the shell ``condition`` held on the node; fails after ``timeout``."""
    out = host.run("python3 -c %s %s %s", WAIT, condition, str(timeout))
    assert out.rc == 0, "not true within %ss: %s" % (timeout, condition)
    return float(out.stdout.strip())


def container_unit(host, args, check=False):
    """Run dockyard.docker.container_unit on the node; return (status, result, stderr).

    testinfra's host.ansible() drops ``failed`` and ``warnings`` from results with this
    ansible-core, so the ad-hoc command is run and its "host | STATUS => {json}" line parsed.
    """
    runner = host.backend.ansible_runner
    cmd = ["ansible"]
    if runner.inventory_file:
        cmd += ["-i", runner.inventory_file]
    cmd += ["-m", "dockyard.docker.container_unit", "-a", args, host.backend.host]
    if check:
        cmd.append("--check")
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    head, sep, body = proc.stdout.partition(" => ")
    assert sep, "no result from %s: %s %s" % (cmd, proc.stdout, proc.stderr)
    status = head.rsplit("|", 1)[1].strip().rstrip("!")
    return status, json.loads(body), proc.stderr


def inspect(host, name, fmt):
    return host.check_output("docker inspect -f %s %s", fmt, name)


def started_again(name, old_started):
    return (
        "test \"$(docker inspect -f '{{.State.Running}}' %s)\" = true && "
        "test \"$(docker inspect -f '{{.State.StartedAt}}' %s)\" != %s"
        % (name, name, shlex.quote(old_started))
    )


def n_restarts(host, unit):
    return int(host.check_output("systemctl show -p NRestarts --value %s", unit))


def snapshot(host):
    """Names, sizes and mtimes of everything in the unit directories."""
    return host.check_output(
        "find %s -maxdepth 2 -printf '%%p %%s %%T@\\n' 2>/dev/null | sort; true" % " ".join(UNIT_DIRS)
    )


# ------------------------------------------------------------------------------- systemd
def test_systemd_unit_file_content_and_mode(host):
    unit = host.file("/etc/systemd/system/docker-units-sd.service")
    assert unit.exists and unit.is_file
    assert (unit.user, unit.group, unit.mode) == ("root", "root", 0o644)
    lines = unit.content_string.splitlines()
    for expected in (
        "Requires=docker.service",
        "After=docker.service",
        "ExecStart=/usr/bin/docker start -a units-sd",
        "ExecStop=/usr/bin/docker stop -t 3 units-sd",
        "Restart=always",
        "RestartSec=2",
        "WantedBy=multi-user.target",
    ):
        assert expected in lines
    timeout = [int(x.split("=", 1)[1]) for x in lines if x.startswith("TimeoutStopSec=")]
    assert timeout and timeout[0] > STOP_TIMEOUT
    # no leftover temporary file from the atomic write
    assert host.check_output("ls -A /etc/systemd/system | grep -c '^\\.docker-' || true") == "0"


@pytest.mark.parametrize("name", ["units-sd", "units-sd-slow", "units-gone"])
def test_systemd_units_enabled_active_and_containers_policy_no(host, name):
    unit = "docker-%s.service" % name
    assert host.run("systemctl is-enabled %s", unit).stdout.strip() == "enabled"
    assert host.run("systemctl is-active %s", unit).stdout.strip() == "active"
    assert inspect(host, name, "{{.State.Running}}") == "true"
    assert inspect(host, name, "{{.HostConfig.RestartPolicy.Name}}") in ("no", "")
    assert host.file("/etc/systemd/system/multi-user.target.wants/%s" % unit).is_symlink


CRASHES = {
    "docker-kill": "docker kill units-sd",
    "kill-main-process": "kill -KILL $(docker inspect -f '{{.State.Pid}}' units-sd)",
    "term-from-inside": "docker exec units-sd sh -c 'kill -TERM 1'",
}


@pytest.mark.parametrize("crash", sorted(CRASHES))
def test_systemd_brings_a_crashed_container_back(host, crash):
    unit = "docker-units-sd.service"
    before = n_restarts(host, unit)
    old = inspect(host, "units-sd", "{{.State.StartedAt}}")
    host.run_expect([0], CRASHES[crash])
    took = wait_until(host, started_again("units-sd", old) + " && systemctl is-active --quiet " + unit,
                      RESTART_SEC + 8)
    assert took <= RESTART_SEC + 8
    assert n_restarts(host, unit) > before
    # Docker did not restart it: the manager did.
    assert inspect(host, "units-sd", "{{.RestartCount}}") == "0"
    # and it serves again
    ip = inspect(host, "units-sd", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")
    wait_until(host, "python3 -c 'import urllib.request as u; u.urlopen(\"http://%s:8000/\", timeout=2)'" % ip, 10)


def test_systemctl_stop_ends_the_container_with_docker_stop_t(host):
    unit = "docker-units-sd-slow.service"
    # units-sd-slow ignores SIGTERM: only `docker stop -t 3` (SIGKILL after 3 s) ends it
    out = host.run(
        "python3 -c 'import subprocess,time; s=time.time(); "
        "subprocess.run([\"systemctl\",\"stop\",\"%s\"],check=True,stdout=subprocess.DEVNULL); print(\"%%.1f\" %% (time.time()-s))'" % unit
    )
    assert out.rc == 0, out.stderr
    took = float(out.stdout.strip())
    assert STOP_TIMEOUT - 0.5 <= took <= STOP_TIMEOUT + 5
    assert inspect(host, "units-sd-slow", "{{.State.Running}}") == "false"
    assert inspect(host, "units-sd-slow", "{{.State.ExitCode}}") == "137"
    assert host.run("systemctl is-active %s", unit).stdout.strip() == "inactive"
    host.run_expect([0], "systemctl start %s" % unit)
    wait_until(host, "test \"$(docker inspect -f '{{.State.Running}}' units-sd-slow)\" = true", 10)
    assert host.run("systemctl is-active %s", unit).stdout.strip() == "active"


# ------------------------------------------------------------------------------- supervisor
def test_supervisor_installed_running_and_program_file(host):
    assert host.package("supervisor").is_installed
    assert host.service("supervisor").is_running
    assert host.service("supervisor").is_enabled
    conf = host.file("/etc/supervisor/conf.d/docker-units-sv.conf")
    assert (conf.user, conf.group, conf.mode) == ("root", "root", 0o644)
    text = conf.content_string
    assert "[program:docker-units-sv]\n" in text
    assert "/usr/bin/docker start -a units-sv" in text
    assert "/usr/bin/docker stop -t 3 units-sv" in text
    assert "autostart=true\n" in text and "autorestart=true\n" in text
    assert "stopwaitsecs=13\n" in text
    status = host.check_output("supervisorctl status docker-units-sv")
    assert status.split()[1] == "RUNNING", status
    assert inspect(host, "units-sv", "{{.State.Running}}") == "true"
    assert inspect(host, "units-sv", "{{.HostConfig.RestartPolicy.Name}}") in ("no", "")


SV_CRASHES = {
    "docker-kill": "docker kill units-sv",
    "kill-main-process": "kill -KILL $(docker inspect -f '{{.State.Pid}}' units-sv)",
}


@pytest.mark.parametrize("crash", sorted(SV_CRASHES))
def test_supervisord_brings_a_crashed_container_back(host, crash):
    old = inspect(host, "units-sv", "{{.State.StartedAt}}")
    old_pid = host.check_output("supervisorctl pid docker-units-sv")
    host.run_expect([0], SV_CRASHES[crash])
    wait_until(host, started_again("units-sv", old)
               + " && supervisorctl status docker-units-sv | grep -q RUNNING", 15)
    assert host.check_output("supervisorctl pid docker-units-sv") != old_pid
    assert inspect(host, "units-sv", "{{.RestartCount}}") == "0"
    assert "exited: docker-units-sv (exit status 137; not expected)" in host.check_output(
        "tail -n 20 /var/log/supervisor/supervisord.log")


def test_supervisorctl_stop_and_start(host):
    out = host.run(
        "python3 -c 'import subprocess,time; s=time.time(); "
        "subprocess.run([\"supervisorctl\",\"stop\",\"docker-units-sv\"],check=True,stdout=subprocess.DEVNULL); "
        "print(\"%.1f\" % (time.time()-s))'"
    )
    assert out.rc == 0, out.stderr
    # units-sv ignores SIGTERM: the wrapper's docker stop -t 3 kills it after 3 s
    assert STOP_TIMEOUT - 0.5 <= float(out.stdout.strip()) <= STOP_TIMEOUT + 5
    assert inspect(host, "units-sv", "{{.State.Running}}") == "false"
    assert inspect(host, "units-sv", "{{.State.ExitCode}}") == "137"
    host.run_expect([0], "supervisorctl start docker-units-sv")
    wait_until(host, "test \"$(docker inspect -f '{{.State.Running}}' units-sv)\" = true", 10)


# ------------------------------------------------------------------------------- upstart
def test_upstart_job_written_not_started(host):
    job = host.file("/etc/init/docker-units-up.conf")
    assert (job.user, job.group, job.mode) == ("root", "root", 0o644)
    text = job.content_string
    assert "start on filesystem and started docker\n" in text
    assert "stop on runlevel [!2345]\n" in text
    assert "respawn\n" in text
    assert "  exec /usr/bin/docker start -a units-up\n" in text
    assert "pre-stop exec /usr/bin/docker stop -t 4 units-up\n" in text
    # no upstart here: the module warned and did not start it (and changed nothing on a re-run)
    status, result, stderr = container_unit(host, "name=units-up manager=upstart stop_timeout=4")
    assert status == "SUCCESS" and result["changed"] is False
    assert "upstart is not running on this host" in stderr
    assert inspect(host, "units-up", "{{.State.Running}}") == "false"


# ------------------------------------------------------------------------------- the engine restarts
def test_systemd_brings_containers_back_after_docker_restart(host):
    old = {n: inspect(host, n, "{{.State.StartedAt}}") for n in ("units-sd", "units-sd-slow")}
    host.run_expect([0], "systemctl restart docker")
    for name in ("units-sd", "units-sd-slow"):
        wait_until(host, started_again(name, old[name])
                   + " && systemctl is-active --quiet docker-%s.service" % name, 40)
        assert inspect(host, name, "{{.RestartCount}}") == "0"


# ------------------------------------------------------------------------------- refusals
BAD = {
    "restart-policy-always": ("name=units-pinned", "restart policy 'always'"),
    "unknown-manager": ("name=units-spare manager=runit", "manager must be one of: systemd, supervisor, upstart"),
    "negative-stop-timeout": ("name=units-spare stop_timeout=-5",
                              "stop_timeout must be an integer between 0 and 86400, got -5"),
    "missing-container": ("name=units-nope", "Container units-nope does not exist"),
    # a trailing backslash would join the next line of the unit into this one
    "requires-trailing-backslash": ('{"name": "units-spare", "requires": ["db.service\\\\"]}',
                                    "a backslash only in a \\xHH escape"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_inputs_fail_clearly_and_write_nothing(host, case):
    args, message = BAD[case]
    before = snapshot(host)
    status, result, _ = container_unit(host, args)
    assert status == "FAILED"
    assert message in result["msg"]
    assert result["changed"] is False
    assert snapshot(host) == before
    for path in ("/etc/systemd/system/docker-units-pinned.service",
                 "/etc/systemd/system/docker-units-spare.service",
                 "/etc/systemd/system/docker-units-nope.service"):
        assert not host.file(path).exists


# ------------------------------------------------------------------------------- files it did not write
HAND_UNIT = "/etc/systemd/system/units-hand.service"
HAND_TEXT = "[Unit]\nDescription=written by hand\n\n[Service]\nExecStart=/bin/sleep infinity\n\n" \
            "[Install]\nWantedBy=multi-user.target\n"


def unit_facts(host, unit):
    return (host.check_output("sha256sum %s", HAND_UNIT).split()[0],
            host.run("systemctl is-enabled %s", unit).stdout.strip(),
            host.run("systemctl is-active %s", unit).stdout.strip(),
            host.check_output("systemctl show -p MainPID --value %s", unit))


def test_refuses_to_replace_or_remove_a_unit_it_did_not_write_unless_forced(host):
    """A hand-written, enabled and running units-hand.service: container_unit neither replaces it nor
    stops, disables or removes it (check mode or not) -- same bytes, same state, same main process --
    and force: true takes it over."""
    unit = "units-hand.service"
    host.run_expect([0], "printf %s > " + HAND_UNIT, HAND_TEXT)
    host.run_expect([0], "systemctl daemon-reload && systemctl enable --now %s" % unit)
    before = unit_facts(host, unit)
    assert before[1:3] == ("enabled", "active") and before[3] != "0"
    for args, check, refusal in (
        ("name=units-spare unit_name=units-hand", True, "Refusing to replace %s" % HAND_UNIT),
        ("name=units-spare unit_name=units-hand", False, "Refusing to replace %s" % HAND_UNIT),
        ("name=units-spare unit_name=units-hand state=absent", False,
         "Refusing to stop, disable and remove %s" % HAND_UNIT),
    ):
        status, result, _ = container_unit(host, args, check=check)
        assert status == "FAILED", (args, check, result)
        assert refusal in result["msg"] and "force: true" in result["msg"]
        assert result["changed"] is False
        assert unit_facts(host, unit) == before, (args, check)

    status, result, stderr = container_unit(host, "name=units-spare unit_name=units-hand state=present force=true")
    assert status == "CHANGED", result
    assert "force: replace %s" % HAND_UNIT in stderr
    assert host.file(HAND_UNIT).content_string.splitlines()[1].startswith(
        "# Owns Docker container units-spare;")
    # now it is the module's own file: removed without force
    status, result, _ = container_unit(host, "name=units-spare unit_name=units-hand state=absent")
    assert status == "CHANGED", result
    assert not host.file(HAND_UNIT).exists
    assert host.run("systemctl is-active %s", unit).stdout.strip() != "active"


def test_refuses_to_override_a_distribution_unit(host):
    """unit_name: dbus would put /etc/systemd/system/dbus.service over the package's unit."""
    packaged = host.check_output("systemctl show -p FragmentPath --value dbus.service")
    assert packaged.startswith(("/lib/systemd/", "/usr/lib/systemd/")), packaged
    status, result, _ = container_unit(host, "name=units-spare unit_name=dbus")
    assert status == "FAILED", result
    assert "systemd already loads dbus.service from %s" % packaged in result["msg"]
    assert not host.file("/etc/systemd/system/dbus.service").exists
    assert host.check_output("systemctl show -p FragmentPath --value dbus.service") == packaged


# ------------------------------------------------------------------------------- state absent
def test_state_absent_removes_the_unit_and_keeps_the_container(host):
    status, result, _ = container_unit(host, "name=units-gone state=absent")
    assert status == "CHANGED", result
    assert not host.file("/etc/systemd/system/docker-units-gone.service").exists
    assert not host.file("/etc/systemd/system/multi-user.target.wants/docker-units-gone.service").exists
    assert host.run("systemctl is-enabled docker-units-gone.service").rc != 0
    assert host.run("systemctl is-active docker-units-gone.service").stdout.strip() != "active"
    # the container is kept (stopped by the unit's docker stop)
    assert inspect(host, "units-gone", "{{.Name}}") == "/units-gone"
    assert inspect(host, "units-gone", "{{.State.Running}}") == "false"
    status, again, _ = container_unit(host, "name=units-gone state=absent")
    assert status == "SUCCESS" and again["changed"] is False


# ------------------------------------------------------------------------------- check mode
CHECK_PLAY = """
- hosts: %s
  gather_facts: false
  roles:
    - role: dockyard.docker.containers
      vars:
        containers_list:
          - name: units-sd
            image: dockyard-lab/app:latest
            supervisor: systemd
            unit: {stop_timeout: 3, restart_sec: 2}
          - name: units-new
            image: dockyard-lab/app:latest
            supervisor: systemd
          - name: units-pinned
            image: dockyard-lab/app:latest
            supervisor: systemd
"""


def test_role_check_mode_predicts_new_and_switched_units_and_changes_nothing(host, tmp_path):
    """--check with a container that does not exist yet (units-new) and one moving from a restart
    policy to systemd (units-pinned): the role says the unit waits for its container, the run
    succeeds, the existing unit (units-sd) is still checked, and nothing on the node changes."""
    playbook = tmp_path / "check.yml"
    playbook.write_text(CHECK_PLAY % host.backend.host)
    runner = host.backend.ansible_runner
    cmd = ["ansible-playbook", "--check", "--diff"]
    if runner.inventory_file:
        cmd += ["-i", runner.inventory_file]
    cmd.append(str(playbook))
    before = snapshot(host)
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "check mode: container units-new would first be created; the systemd unit of units-new" in out
    assert "check mode: container units-pinned would first be updated restart_policy" in out
    # the unit of the container that is ready is still checked (and is unchanged); the others wait
    for name, status in (("units-sd", "ok:"), ("units-new", "skipping:"), ("units-pinned", "skipping:")):
        header = "TASK [dockyard.docker.containers : Write the process manager unit of %s]" % name
        assert header in out
        # the header line ends in a row of '*'; the task's result is the next line
        first = out.split(header, 1)[1].split("\n", 1)[1].lstrip().splitlines()[0]
        assert first.startswith(status), (name, first)
    assert "failed=0" in out
    assert host.run("docker inspect units-new").rc != 0
    assert inspect(host, "units-pinned", "{{.HostConfig.RestartPolicy.Name}}") == "always"
    assert snapshot(host) == before
