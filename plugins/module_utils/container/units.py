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

# Every pattern below is matched against the whole value (re.fullmatch): a `$` would also accept a
# trailing newline, and one newline in a unit file is a new directive.
# Docker's own rule for container names (daemon/names.go: RestrictedNameChars).
_CONTAINER_NAME = re.compile(r"/?[a-zA-Z0-9][a-zA-Z0-9_.-]+")
# Characters that are safe in a unit / program / job name and a file name on all three managers: the
# intersection of systemd's unit-name characters, supervisor's program names and upstart's job names.
_UNIT_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.@-]*")
# systemd reads unit names of at most 255 characters (UNIT_NAME_MAX, including the type suffix); the
# same bound keeps the file name within NAME_MAX for supervisor and upstart.
UNIT_NAME_MAX = 255
# A unit in after/requires/wants, as systemd.unit(5) defines unit names: letters, digits and : - _ . ,
# backslash only as a \xHH escape (what systemd-escape writes), one optional @instance, a unit type
# suffix. A lone backslash would join the next line of the unit; % would be expanded as a specifier.
_REF_CHARS = r"(?:[a-zA-Z0-9:_.-]|\\x[0-9a-fA-F]{2})+"
UNIT_TYPES = ("service", "socket", "device", "mount", "automount", "swap", "target", "path", "timer", "slice",
              "scope")
_SYSTEMD_UNIT_REF = re.compile(r"%s(?:@%s)?\.(?:%s)" % (_REF_CHARS, _REF_CHARS, "|".join(UNIT_TYPES)))
# An absolute path that needs no quoting in any of the three formats (no space, quote, %, $, ; or \).
_SAFE_PATH = re.compile(r"/[a-zA-Z0-9_./+-]*")
# dest may also carry the unit name's @.
_SAFE_DEST = re.compile(r"/[a-zA-Z0-9_./+@-]*")
PATH_MAX = 4095
NAME_MAX = 255
# Room for the default description of the longest container name.
DESCRIPTION_MAX = 512
# Besides control characters: `"` ends upstart's quoted description, a backslash escapes upstart's quote
# and, at the end of a systemd line, joins the next line into it.
_DESCRIPTION_FORBIDDEN = ('"', "\\")

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
        raise UnitSpecError(option, "%s must be an integer, got %s" % (option, _show(value)))
    if value < minimum or (maximum is not None and value > maximum):
        accepted = ">= %d" % minimum if maximum is None else "between %d and %d" % (minimum, maximum)
        raise UnitSpecError(option, "%s must be an integer %s, got %d" % (option, accepted, value))
    return value


def _show(value, limit=80):
    """repr() of a value for an error message, cut short: hostile input may be long."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "...(%d characters)" % len(text)


def _check_text(option, value, maximum, forbidden=(), accepted=""):
    """A one-line printable string: no control character (C0, DEL, C1), no line or paragraph separator."""
    if not isinstance(value, str):
        raise UnitSpecError(option, "%s must be a string, got %s" % (option, _show(value)))
    bad = [char for char in value if not char.isprintable() or char in forbidden]
    if bad:
        raise UnitSpecError(
            option,
            "%s must be one line of printable text%s; %s contains %r" % (option, accepted, _show(value), bad[0]),
        )
    if len(value) > maximum:
        raise UnitSpecError(option, "%s must be at most %d characters, got %d" % (option, maximum, len(value)))
    return value


def _check_path(option, value, pattern, what):
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise UnitSpecError(
            option,
            "%s must be an absolute path of %s (no spaces, quotes, backslashes, %% $ ; or control "
            "characters), got %s" % (option, what, _show(value)),
        )
    parts = value.split("/")
    if len(value) > PATH_MAX or any(len(part) > NAME_MAX for part in parts):
        raise UnitSpecError(
            option,
            "%s must be at most %d characters with file names of at most %d, got %d characters"
            % (option, PATH_MAX, NAME_MAX, len(value)),
        )
    if any(part in (".", "..") for part in parts):
        raise UnitSpecError(option, "%s must not contain . or .. components, got %s" % (option, _show(value)))
    return value


def _unit_list(option, values):
    if values is None:
        return []
    if not isinstance(values, (list, tuple)):
        raise UnitSpecError(option, "%s must be a list of systemd unit names, got %s" % (option, _show(values)))
    out = []
    for value in values:
        if (not isinstance(value, str) or not _SYSTEMD_UNIT_REF.fullmatch(value)
                or len(value) > UNIT_NAME_MAX):
            raise UnitSpecError(
                option,
                "%s: %s is not a systemd unit name: letters, digits and : _ . - (a backslash only in a "
                "\\xHH escape), at most one @instance, a unit type suffix (.%s), at most %d characters, "
                "e.g. network-online.target" % (option, _show(value), ", .".join(UNIT_TYPES), UNIT_NAME_MAX),
            )
        if value not in out:
            out.append(value)
    return out


def _check_unit_name(manager, unit_name, name):
    suffix = _SUFFIX[manager]
    maximum = UNIT_NAME_MAX - len(suffix)
    if (not isinstance(unit_name, str) or not _UNIT_NAME.fullmatch(unit_name) or len(unit_name) > maximum
            or unit_name.count("@") > 1 or unit_name.endswith("@")):
        raise UnitSpecError(
            "unit_name",
            "unit_name %s is not usable: letters, digits and _ . @ - only, starting with a letter or digit, "
            "at most one @ and not at the end (that would be a systemd template), at most %d characters "
            "(%d with %s)" % (_show(unit_name), maximum, UNIT_NAME_MAX, suffix),
        )
    if unit_name in RESERVED_UNIT_NAMES:
        raise UnitSpecError(
            "unit_name",
            "unit_name %r would replace the engine's own unit; choose another name (default: %s)"
            % (unit_name, default_unit_name(name)),
        )
    return unit_name


def _resolve_unit_name(manager, name, unit_name, dest):
    suffix = _SUFFIX[manager]
    from_dest = None
    if dest:
        if not isinstance(dest, str) or not os.path.isabs(dest):
            raise UnitSpecError("dest", "dest must be an absolute path, got %s" % _show(dest))
        _check_path("dest", dest, _SAFE_DEST, "letters, digits and _ . / + @ -")
        base = os.path.basename(dest)
        if not base:
            raise UnitSpecError("dest", "dest must name a file, not a directory, got %s" % _show(dest))
        if manager in ("systemd", "upstart"):
            if not base.endswith(suffix) or base == suffix:
                raise UnitSpecError(
                    "dest",
                    "dest for manager=%s must name a file ending in %s (the %s takes the unit name from it), got %r"
                    % (manager, suffix, manager, dest),
                )
            from_dest = base[: -len(suffix)]
    if unit_name:
        if not isinstance(unit_name, str):
            raise UnitSpecError("unit_name", "unit_name must be a string, got %s" % _show(unit_name))
        if manager == "systemd" and unit_name.endswith(".service"):
            unit_name = unit_name[: -len(".service")]
        if from_dest is not None and from_dest != unit_name:
            raise UnitSpecError(
                "dest",
                "dest %r does not match unit_name %s: %s names the unit after the file (expected %s)"
                % (dest, _show(unit_name), manager, _show(unit_name + suffix)),
            )
    else:
        unit_name = from_dest or default_unit_name(name)
    _check_unit_name(manager, unit_name, name)
    return unit_name, dest or default_dest(manager, unit_name)


def build_spec(name, manager="systemd", enabled=True, stop_timeout=None, restart=None, restart_sec=None,
               unit_name=None, dest=None, after=None, requires=None, wants=None, description=None,
               docker_bin=None):
    """Validate options, fill in defaults and return a plain dict for :func:`render`.

    Raises :class:`UnitSpecError` naming the option and the accepted values.
    """
    if manager not in MANAGERS:
        raise UnitSpecError("manager", "manager must be one of %s, got %s" % (", ".join(MANAGERS), _show(manager)))
    if not isinstance(name, str) or not _CONTAINER_NAME.fullmatch(name) or len(name) > NAME_MAX:
        raise UnitSpecError(
            "name",
            "name must be a Docker container name ([a-zA-Z0-9][a-zA-Z0-9_.-]+, at most %d characters), got %s"
            % (NAME_MAX, _show(name)),
        )
    name = name.lstrip("/")
    stop_timeout = DEFAULT_STOP_TIMEOUT if stop_timeout is None else stop_timeout
    _check_int("stop_timeout", stop_timeout, 0, 86400)
    restart = DEFAULT_RESTART if restart is None else restart
    allowed = SYSTEMD_RESTART if manager == "systemd" else COARSE_RESTART
    if not isinstance(restart, str) or restart not in allowed:
        raise UnitSpecError(
            "restart",
            "restart for manager=%s must be one of %s, got %s" % (manager, ", ".join(allowed), _show(restart)),
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
    docker_bin = DEFAULT_DOCKER_BIN if docker_bin in (None, "") else docker_bin
    _check_path("docker_bin", docker_bin, _SAFE_PATH, "letters, digits and _ . / + -")
    if description is None:
        description = "Docker container %s" % name
    _check_text("description", description, DESCRIPTION_MAX, _DESCRIPTION_FORBIDDEN,
                " without double quotes or backslashes")
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


# The first two lines of every file this collection writes: they say who wrote it and for which
# container, and container_unit reads them back before it replaces or removes a file. Every version
# of the renderer wrote exactly these lines, so files from earlier releases are recognised as well;
# changing their text would make container_unit refuse its own older files.
HEADER_MARK = "Managed by Ansible (dockyard.docker.container_unit): changes here are overwritten."
_HEADER_OWNER = "Owns Docker container %s; the container keeps restart policy 'no'."
_HEADER_OWNER_RE = re.compile(r"Owns Docker container ([a-zA-Z0-9][a-zA-Z0-9_.-]+); "
                              r"the container keeps restart policy 'no'\.")
_COMMENT = {"systemd": "#", "supervisor": ";", "upstart": "#"}


def _header(manager, spec):
    comment = _COMMENT[manager]
    return ["%s %s" % (comment, HEADER_MARK), "%s %s" % (comment, _HEADER_OWNER % spec["name"])]


def header_owner(manager, text):
    """The container named by the header of a unit file this collection wrote, or None.

    None means the file (its text given) was not written by container_unit: its first two lines are
    not exactly the header :func:`render` writes for ``manager``.
    """
    if not isinstance(text, str):
        return None
    lines = text.split("\n", 2)
    comment = _COMMENT[manager] + " "
    if len(lines) < 3 or lines[0] != comment + HEADER_MARK or not lines[1].startswith(comment):
        return None
    match = _HEADER_OWNER_RE.fullmatch(lines[1][len(comment):])
    return match.group(1) if match else None


def _start(spec):
    return "%s start -a %s" % (spec["docker_bin"], spec["name"])


def _stop(spec):
    return "%s stop -t %d %s" % (spec["docker_bin"], spec["stop_timeout"], spec["name"])


def render_systemd(spec):
    lines = _header("systemd", spec)
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
    lines = _header("supervisor", spec)
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
    lines = _header("upstart", spec)
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
