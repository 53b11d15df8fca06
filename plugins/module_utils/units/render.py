# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure rendering of process-manager units that own one Docker container.

A process manager (systemd, supervisor, upstart) attaches to an existing named
container with ``docker start -a NAME`` -- which starts it when it is not running
and forwards signals -- and stops it with ``docker stop -t N NAME`` (SIGTERM, then
SIGKILL after N seconds).  The container itself must have restart policy ``no``:
the manager, not the engine, restarts it.

Nothing here touches the host: :func:`build_spec` validates options and fills in
defaults, :func:`render` turns the spec into the unit text.  The text is
deterministic (no timestamps, no host facts), so an unchanged spec renders the
same bytes and a second run rewrites nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

MANAGERS = ("systemd", "supervisor", "upstart")

# systemd's Restart= values.  supervisor and upstart only know the coarse three.
SYSTEMD_RESTART = ("no", "always", "on-success", "on-failure", "on-abnormal", "on-abort", "on-watchdog")
COARSE_RESTART = ("always", "on-failure", "no")
# Restart= values under which a stop by signal counts as success (see render_systemd).
QUIET_STOP_RESTART = ("always", "no")

DEFAULT_DOCKER_BIN = "/usr/bin/docker"
DEFAULT_STOP_TIMEOUT = 10
DEFAULT_RESTART = "always"
DEFAULT_RESTART_SEC = 5
# The manager waits this much longer than `docker stop -t N` before it kills
# the attached client: docker needs N seconds plus the SIGKILL and clean-up.
STOP_GRACE = 10
UNIT_PREFIX = "docker-"

# Engine units a container unit must never replace.
RESERVED_UNIT_NAMES = ("docker", "docker.socket", "containerd", "dockerd")

# Docker's own rule for container names (daemon/names.go: RestrictedNameChars).
_CONTAINER_NAME = re.compile(r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
# Characters that are safe in a unit / program / job name on all three managers.
_UNIT_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.@-]*$")
# systemd unit names users may list in after/requires/wants (with a type suffix or not).
_SYSTEMD_UNIT_REF = re.compile(r"^[a-zA-Z0-9:_.\\@-]+$")
# An absolute path that needs no quoting in any of the three formats.
_SAFE_PATH = re.compile(r"^/[a-zA-Z0-9_./+-]*$")

_SUFFIX = {"systemd": ".service", "supervisor": ".conf", "upstart": ".conf"}
_DIRS = {
    "systemd": "/etc/systemd/system",
    "supervisor": "/etc/supervisor/conf.d",
    "upstart": "/etc/init",
}


class UnitSpecError(ValueError):
    """An option value that cannot be rendered; ``option`` names the culprit."""

    def __init__(self, option, msg):
        super(UnitSpecError, self).__init__(msg)
        self.option = option
        self.msg = msg


def default_unit_name(name):
    """``docker-<container>``: never collides with a distro service called like the container."""
    return UNIT_PREFIX + name.lstrip("/")


def default_dest(manager, unit_name):
    """Where each manager reads its units from on Debian/Ubuntu."""
    return os.path.join(_DIRS[manager], unit_name + _SUFFIX[manager])


def _check_int(option, value, minimum, maximum=None):
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnitSpecError(option, "%s must be an integer, got %r" % (option, value))
    if value < minimum or (maximum is not None and value > maximum):
        accepted = ">= %d" % minimum if maximum is None else "between %d and %d" % (minimum, maximum)
        raise UnitSpecError(option, "%s must be an integer %s, got %d" % (option, accepted, value))
    return value


def _unit_list(option, values):
    out = []
    for value in values or []:
        if not isinstance(value, str) or not _SYSTEMD_UNIT_REF.match(value):
            raise UnitSpecError(
                option,
                "%s: %r is not a systemd unit name (letters, digits and : _ . \\ @ - only, "
                "e.g. network-online.target)" % (option, value),
            )
        if value not in out:
            out.append(value)
    return out


def _resolve_unit_name(manager, name, unit_name, dest):
    suffix = _SUFFIX[manager]
    from_dest = None
    if dest:
        if not os.path.isabs(dest):
            raise UnitSpecError("dest", "dest must be an absolute path, got %r" % dest)
        base = os.path.basename(dest)
        if manager in ("systemd", "upstart"):
            if not base.endswith(suffix) or base == suffix:
                raise UnitSpecError(
                    "dest",
                    "dest for manager=%s must name a file ending in %s (the %s takes the unit name from it), got %r"
                    % (manager, suffix, manager, dest),
                )
            from_dest = base[: -len(suffix)]
    if unit_name:
        if manager == "systemd" and unit_name.endswith(".service"):
            unit_name = unit_name[: -len(".service")]
        if from_dest is not None and from_dest != unit_name:
            raise UnitSpecError(
                "dest",
                "dest %r does not match unit_name %r: %s names the unit after the file (expected %s)"
                % (dest, unit_name, manager, unit_name + suffix),
            )
    else:
        unit_name = from_dest or default_unit_name(name)
    if not _UNIT_NAME.match(unit_name) or len(unit_name) > 200:
        raise UnitSpecError(
            "unit_name",
            "unit_name %r is not usable: letters, digits and _ . @ - only, starting with a letter or digit, "
            "at most 200 characters" % unit_name,
        )
    if unit_name in RESERVED_UNIT_NAMES:
        raise UnitSpecError(
            "unit_name",
            "unit_name %r would replace the engine's own unit; choose another name (default: %s)"
            % (unit_name, default_unit_name(name)),
        )
    return unit_name, dest or default_dest(manager, unit_name)


def build_spec(name, manager="systemd", enabled=True, stop_timeout=None, restart=None, restart_sec=None,
               unit_name=None, dest=None, after=None, requires=None, wants=None, description=None,
               docker_bin=None):
    """Validate options, fill in defaults and return a plain dict for :func:`render`.

    Raises :class:`UnitSpecError` naming the option and the accepted values.
    """
    if manager not in MANAGERS:
        raise UnitSpecError("manager", "manager must be one of %s, got %r" % (", ".join(MANAGERS), manager))
    if not isinstance(name, str) or not _CONTAINER_NAME.match(name):
        raise UnitSpecError(
            "name",
            "name must be a Docker container name ([a-zA-Z0-9][a-zA-Z0-9_.-]+), got %r" % (name,),
        )
    name = name.lstrip("/")
    stop_timeout = DEFAULT_STOP_TIMEOUT if stop_timeout is None else stop_timeout
    _check_int("stop_timeout", stop_timeout, 0, 86400)
    restart = DEFAULT_RESTART if restart is None else restart
    allowed = SYSTEMD_RESTART if manager == "systemd" else COARSE_RESTART
    if restart not in allowed:
        raise UnitSpecError(
            "restart",
            "restart for manager=%s must be one of %s, got %r" % (manager, ", ".join(allowed), restart),
        )
    if manager != "systemd":
        for option, value in (("restart_sec", restart_sec), ("after", after), ("requires", requires),
                              ("wants", wants)):
            if value not in (None, []):
                raise UnitSpecError(
                    option,
                    "%s only applies to manager=systemd (got manager=%s); remove it" % (option, manager),
                )
    restart_sec = DEFAULT_RESTART_SEC if restart_sec is None else restart_sec
    _check_int("restart_sec", restart_sec, 0, 86400)
    docker_bin = docker_bin or DEFAULT_DOCKER_BIN
    if not _SAFE_PATH.match(docker_bin):
        raise UnitSpecError(
            "docker_bin",
            "docker_bin must be an absolute path of letters, digits and _ . / + - (no spaces or quotes), got %r"
            % docker_bin,
        )
    if description is None:
        description = "Docker container %s" % name
    if not isinstance(description, str) or "\n" in description or "\r" in description or '"' in description:
        raise UnitSpecError("description", "description must be one line of text without double quotes")
    unit_name, dest = _resolve_unit_name(manager, name, unit_name, dest)
    return dict(
        name=name,
        manager=manager,
        enabled=bool(enabled),
        stop_timeout=stop_timeout,
        restart=restart,
        restart_sec=restart_sec,
        unit_name=unit_name,
        dest=dest,
        after=_unit_list("after", after),
        requires=_unit_list("requires", requires),
        wants=_unit_list("wants", wants),
        description=description,
        docker_bin=docker_bin,
    )


def _merge(first, extra):
    out = list(first)
    for item in extra:
        if item not in out:
            out.append(item)
    return out


def _header(comment, spec):
    return [
        "%s Managed by Ansible (dockyard.docker.container_unit): changes here are overwritten." % comment,
        "%s Owns Docker container %s; the container keeps restart policy 'no'." % (comment, spec["name"]),
    ]


def _start(spec):
    return "%s start -a %s" % (spec["docker_bin"], spec["name"])


def _stop(spec):
    return "%s stop -t %d %s" % (spec["docker_bin"], spec["stop_timeout"], spec["name"])


def render_systemd(spec):
    lines = _header("#", spec)
    lines += [
        "[Unit]",
        # systemd expands %-specifiers in Description=; keep the text literal.
        "Description=%s" % spec["description"].replace("%", "%%"),
        "Requires=%s" % " ".join(_merge(["docker.service"], spec["requires"])),
        "After=%s" % " ".join(_merge(["docker.service"], spec["after"])),
    ]
    if spec["wants"]:
        lines.append("Wants=%s" % " ".join(spec["wants"]))
    lines += [
        "",
        "[Service]",
        "Type=simple",
        "ExecStart=%s" % _start(spec),
        "ExecStop=%s" % _stop(spec),
        "Restart=%s" % spec["restart"],
    ]
    if spec["restart"] in QUIET_STOP_RESTART:
        # `docker stop -t N` ends an attached container with 143 (SIGTERM) or 137 (SIGKILL after N s);
        # the attached `docker start -a` exits with that code. Count both as a clean stop so that
        # `systemctl stop` leaves the unit inactive (not failed) and a restart of docker.service
        # brings it back. Not for on-failure & co.: there 137 (docker kill, OOM) must stay a failure.
        lines.append("SuccessExitStatus=137 143")
    lines += [
        "RestartSec=%d" % spec["restart_sec"],
        "TimeoutStopSec=%d" % (spec["stop_timeout"] + STOP_GRACE),
        "",
        "[Install]",
        "WantedBy=multi-user.target",
    ]
    return "\n".join(lines) + "\n"


def render_supervisor(spec):
    # supervisor has no stop command: it signals the program.  A SIGTERM to the
    # attached `docker start -a` would only be proxied to the container (no
    # SIGKILL fallback), so a small sh wrapper turns the stop signal into
    # `docker stop -t N`, which ends the container and with it the attach.
    script = 'trap "%s >/dev/null; exit 0" TERM INT; %s & wait $!' % (_stop(spec), _start(spec))
    autorestart = {"always": "true", "on-failure": "unexpected", "no": "false"}[spec["restart"]]
    lines = _header(";", spec)
    lines += [
        "; %s" % spec["description"],
        "[program:%s]" % spec["unit_name"],
        "command=/bin/sh -c '%s'" % script,
        "autostart=%s" % ("true" if spec["enabled"] else "false"),
        "autorestart=%s" % autorestart,
        "exitcodes=0",
        "startsecs=1",
        "stopsignal=TERM",
        "stopwaitsecs=%d" % (spec["stop_timeout"] + STOP_GRACE),
        "redirect_stderr=true",
    ]
    return "\n".join(lines) + "\n"


def render_upstart(spec):
    lines = _header("#", spec)
    lines += [
        'description "%s"' % spec["description"],
        "",
        "start on filesystem and started docker",
        "stop on runlevel [!2345]",
    ]
    if not spec["enabled"]:
        lines.append("manual")
    if spec["restart"] != "no":
        lines.append("respawn")
    if spec["restart"] == "on-failure":
        lines.append("normal exit 0")
    lines += [
        "kill timeout %d" % (spec["stop_timeout"] + STOP_GRACE),
        "",
        "script",
        "  exec %s" % _start(spec),
        "end script",
        "",
        "pre-stop exec %s" % _stop(spec),
    ]
    return "\n".join(lines) + "\n"


_RENDERERS = {"systemd": render_systemd, "supervisor": render_supervisor, "upstart": render_upstart}


def render(spec):
    """The unit text for ``spec`` (a dict from :func:`build_spec`)."""
    return _RENDERERS[spec["manager"]](spec)
