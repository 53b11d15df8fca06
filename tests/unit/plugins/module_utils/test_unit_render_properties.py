# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests of the unit renderers: hostile option values never change a unit's structure.

Every generated value either makes :func:`build_spec` raise :class:`UnitSpecError` naming the option,
or renders a file with exactly the lines a harmless value gives: no injected line, every line a known
key, the start command exactly ``docker start -a NAME``. Any other exception fails the test.
Seeds are fixed (``derandomize=True``): a failure reproduces on every run and every machine.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from ansible_collections.dockyard.docker.plugins.module_utils.container import units as ur

SETTINGS = settings(derandomize=True, max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# What each format interprets: line breaks, line continuation, specifiers and interpolation,
# comments, quotes, section brackets, assignments, shell metacharacters.
FRAGMENTS = ["\n", "\r", "\r\n", "\\", "\\\n", "%", "%i", "%n", "%(ENV_HOME)s", "%(here)s", "%%", ";", " ;",
             "#", " #", '"', "'", "$", "$!", "`", "[", "]", "=", ":", "@", " ", "\t", "\x00", "\x1b", "\x7f",
             "\x85", "\x9b", "\u2028", "\u2029", "\ufeff", "\u202e", "\udc80", "é", "\U0001f433", "..", "/",
             ".service", "\\x2d", "\nExecStartPre=/bin/sh -c reboot", "\n[program:evil]\ncommand=/bin/sh"]
SAFE = ["web", "db.service", "network-online.target", "/usr/bin/docker", "docker-web", "a", "0", "-", "_", "."]

hostile_text = st.one_of(
    st.text(max_size=80),
    # mostly valid characters with the odd interpreted one: values that get close to being accepted
    st.text(alphabet="abz019_.-@/:x\\%\n ", min_size=1, max_size=30),
    st.from_regex(r"[a-z0-9][a-z0-9_.@-]{0,20}", fullmatch=True),
    st.lists(st.sampled_from(FRAGMENTS + SAFE), max_size=12).map("".join),
    st.tuples(st.sampled_from(SAFE), st.sampled_from(FRAGMENTS)).map("".join),
    st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SAFE)).map("".join),
    st.integers(min_value=200, max_value=700).map(lambda n: "a" * n),
)
hostile_path = st.one_of(hostile_text, hostile_text.map(lambda s: "/" + s),
                         st.from_regex(r"/[a-z0-9_./+@-]{0,30}", fullmatch=True),
                         hostile_text.map(lambda s: "/usr/bin/" + s))
hostile_unit_ref = st.one_of(hostile_text, hostile_text.map(lambda s: s + ".service"),
                             st.from_regex(r"([a-z0-9:_.-]|\\x[0-9a-f]{2})+(@[a-z]+)?\.(service|mount|target)",
                                           fullmatch=True),
                             hostile_text.map(lambda s: "a" + s + ".mount"))
# Not only strings reach build_spec when a caller skips Ansible's argument spec.
other_types = st.one_of(st.none(), st.integers(), st.booleans(), st.lists(st.text(max_size=5), max_size=2))

BASE = dict(name="web", stop_timeout=3)
SYSTEMD_KEYS = {"Description", "Requires", "After", "Wants", "Type", "ExecStart", "ExecStop", "Restart",
                "SuccessExitStatus", "RestartSec", "TimeoutStopSec", "WantedBy"}
SYSTEMD_SECTIONS = {"[Unit]", "[Service]", "[Install]"}
SUPERVISOR_KEYS = {"command", "autostart", "autorestart", "exitcodes", "startsecs", "stopsignal", "stopwaitsecs",
                   "redirect_stderr"}
UPSTART_LINES = re.compile(
    r'description "[^"\\]*"|start on filesystem and started docker|stop on runlevel \[!2345\]|manual|respawn'
    r"|normal exit 0|kill timeout \d+|script|  exec \S+ start -a \S+|end script|pre-stop exec \S+ stop -t \d+ \S+"
)


def harmless(spec):
    """The same spec with every free-text value replaced by a plain one: the reference structure."""
    def refs(values):
        return ["x%d.service" % i for i in range(len(values))]

    return dict(spec, name="ref", unit_name="ref", description="ref", docker_bin="/ref",
                after=refs(spec["after"]), requires=refs(spec["requires"]), wants=refs(spec["wants"]))


def shape(manager, text):
    """The line keys of a unit: what a parser of that format sees, values left out."""
    out = []
    for line in text.split("\n"):
        if manager == "upstart":
            out.append(line.split(" ", 1)[0] if line.strip() else "")
        elif line.startswith(("#", ";")) or not line or line.startswith("["):
            out.append(line[:1])
        else:
            out.append(line.split("=", 1)[0])
    return out


def check_systemd(spec, text):
    lines = text.split("\n")
    for line in lines:
        # a trailing backslash continues the line: never, anywhere
        assert not line.endswith("\\"), line
        if not line or line.startswith("#"):
            continue
        if line in SYSTEMD_SECTIONS:
            continue
        key, value = line.split("=", 1) if "=" in line else (line, "")
        assert key in SYSTEMD_KEYS, line
        if key == "Description":
            # every % doubled: systemd shows it as one literal %
            assert re.fullmatch(r"(?:[^%]|%%)*", value), line
            assert value.replace("%%", "%") == spec["description"]
        else:
            assert "%" not in value and "\\" not in value.replace("\\x", ""), line
    assert "ExecStart=%s start -a %s" % (spec["docker_bin"], spec["name"]) in lines
    assert "ExecStop=%s stop -t %d %s" % (spec["docker_bin"], spec["stop_timeout"], spec["name"]) in lines


def check_supervisor(spec, text):
    lines = text.split("\n")
    assert lines.count("[program:%s]" % spec["unit_name"]) == 1
    for line in lines:
        if not line or line.startswith(";") or line.startswith("[program:"):
            continue
        key, value = line.split("=", 1) if "=" in line else (line, "")
        assert key in SUPERVISOR_KEYS, line
        # no interpolation and no inline comment in any value
        assert "%" not in value and " ;" not in value and " #" not in value, line
    command = [x for x in lines if x.startswith("command=")]
    script = 'trap "%s stop -t %d %s >/dev/null; exit 0" TERM INT; %s start -a %s & wait $!' % (
        spec["docker_bin"], spec["stop_timeout"], spec["name"], spec["docker_bin"], spec["name"])
    assert command == ["command=/bin/sh -c '%s'" % script]


def check_upstart(spec, text):
    for line in text.split("\n"):
        if not line or line.startswith("#"):
            continue
        assert UPSTART_LINES.fullmatch(line), line
    assert "  exec %s start -a %s\n" % (spec["docker_bin"], spec["name"]) in text
    assert 'description "%s"\n' % spec["description"] in text


CHECKS = {"systemd": check_systemd, "supervisor": check_supervisor, "upstart": check_upstart}


def build_or_refuse(options, **kwargs):
    """The spec, or None when build_spec refused with an error naming one of ``options``."""
    args = dict(BASE)
    args.update(kwargs)
    try:
        spec = ur.build_spec(**args)
    except ur.UnitSpecError as exc:
        assert exc.option in options, (exc.option, exc.msg)
        assert exc.option in exc.msg
        event("refused")
        return None
    event("rendered")  # --hypothesis-show-statistics: both outcomes must be common
    return spec


def assert_safe(spec):
    text = ur.render(spec)
    manager = spec["manager"]
    assert text.endswith("\n") and "\r" not in text
    # exactly the lines (and keys) a harmless value gives
    assert shape(manager, text) == shape(manager, ur.render(harmless(spec)))
    # and nothing a reader of the file would split into more lines
    assert len(text.splitlines()) == len(text.split("\n")) - 1
    assert ur.header_owner(manager, text) == spec["name"]
    # the file name and the name the manager knows the unit by: plain characters only
    assert re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_.@-]*", spec["unit_name"]), spec["unit_name"]
    assert re.fullmatch(r"/[a-zA-Z0-9_./+@-]*", spec["dest"]), spec["dest"]
    CHECKS[manager](spec, text)
    text.encode("utf-8")  # writable as the module writes it


managers = st.sampled_from(ur.MANAGERS)


@SETTINGS
@given(manager=managers, value=st.one_of(hostile_text, other_types,
                                         st.from_regex(r"/?[a-zA-Z0-9][a-zA-Z0-9_.-]{1,40}", fullmatch=True)))
@example(manager="systemd", value="web\n")
@example(manager="supervisor", value="web%(ENV_X)s")
def test_container_name(manager, value):
    # a long valid name can make the default unit name too long: then unit_name is named
    spec = build_or_refuse({"name", "unit_name"}, manager=manager, name=value)
    if spec is not None:
        assert re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+", spec["name"])
        assert_safe(spec)


@SETTINGS
@given(manager=managers, value=st.one_of(hostile_text, other_types))
@example(manager="systemd", value="web\n")
@example(manager="supervisor", value="web\n")
@example(manager="systemd", value="web.service\\")
def test_unit_name(manager, value):
    spec = build_or_refuse({"unit_name"}, manager=manager, unit_name=value)
    if spec is not None:
        # systemd.unit(5): at most 255 characters with the suffix (and a file name within NAME_MAX)
        assert len(spec["dest"].rsplit("/", 1)[1]) <= 255
        assert_safe(spec)


@SETTINGS
@given(manager=managers, value=st.one_of(hostile_path, other_types,
                                         st.from_regex(r"/[a-z0-9_./+@-]{0,30}\.(service|conf)", fullmatch=True)))
@example(manager="systemd", value="/etc/systemd/system/web.service\n")
@example(manager="supervisor", value="/etc/supervisor/conf.d/%(here)s.conf")
def test_dest(manager, value):
    spec = build_or_refuse({"dest", "unit_name"}, manager=manager, dest=value)
    if spec is not None:
        if value:  # empty: the default dest
            assert spec["dest"] == value and re.fullmatch(r"/[a-zA-Z0-9_./+@-]*", value)
        assert_safe(spec)


@SETTINGS
@given(manager=managers, value=st.one_of(hostile_path, other_types))
@example(manager="systemd", value="/usr/bin/docker\n")
@example(manager="systemd", value="/usr/bin/docker\\")
def test_docker_bin(manager, value):
    spec = build_or_refuse({"docker_bin"}, manager=manager, docker_bin=value)
    if spec is not None:
        assert_safe(spec)


@SETTINGS
@given(manager=managers, value=st.one_of(hostile_text, other_types))
@example(manager="systemd", value="100% \\")
@example(manager="upstart", value='x" \\')
@example(manager="supervisor", value="x\n[program:evil]")
def test_description(manager, value):
    spec = build_or_refuse({"description"}, manager=manager, description=value)
    if spec is not None:
        assert_safe(spec)


@SETTINGS
@given(option=st.sampled_from(["after", "requires", "wants"]),
       values=st.one_of(st.lists(st.one_of(hostile_unit_ref, other_types), max_size=4), other_types))
@example(option="requires", values=["db.service\\"])
@example(option="after", values=["db.service\n"])
@example(option="wants", values=["a\\b.service", "a\\.mount"])
def test_unit_dependencies(option, values):
    spec = build_or_refuse({option}, **{option: values})
    if spec is not None:
        for value in spec[option]:
            assert value in ur.render(spec)
        assert_safe(spec)


@SETTINGS
@given(manager=managers, value=st.one_of(hostile_text, other_types, st.sampled_from(ur.SYSTEMD_RESTART)))
def test_restart(manager, value):
    spec = build_or_refuse({"restart"}, manager=manager, restart=value)
    if spec is not None:
        assert spec["restart"] in (ur.SYSTEMD_RESTART if manager == "systemd" else ur.COARSE_RESTART)
        assert_safe(spec)


@SETTINGS
@given(manager=managers, values=st.fixed_dictionaries({
    "name": st.sampled_from(["web", "db-1", "a.b_c"]),
    "unit_name": st.one_of(st.none(), hostile_text),
    "description": st.one_of(st.none(), hostile_text),
    "docker_bin": st.one_of(st.none(), hostile_path),
    "stop_timeout": st.one_of(st.none(), st.integers(min_value=-5, max_value=90000)),
    "enabled": st.booleans(),
}))
def test_options_together(manager, values):
    spec = build_or_refuse({"unit_name", "description", "docker_bin", "stop_timeout"}, manager=manager, **values)
    if spec is not None:
        assert_safe(spec)


@pytest.mark.parametrize("option", ["name", "unit_name", "dest", "docker_bin", "description", "requires"])
def test_64_kib_values_are_answered_quickly(option):
    big = ("a%\\\n" * 16384)[: 64 * 1024]
    value = [big + ".service"] if option == "requires" else ("/" + big if option in ("dest", "docker_bin") else big)
    start = time.monotonic()
    with pytest.raises(ur.UnitSpecError) as err:
        ur.build_spec(**dict(BASE, **{option: value}))
    assert time.monotonic() - start < 0.5
    assert err.value.option == option
    # the error quotes the value cut short, not 64 KiB of it
    assert len(err.value.msg) < 1000
