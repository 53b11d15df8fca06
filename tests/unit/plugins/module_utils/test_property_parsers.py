# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests: every value parser and every container option, fed generated hostile values.

Each parser either returns a value within the engine's range or raises ``SpecError`` naming the option, in
bounded time; no other exception escapes. The examples are derandomized (the same on every run).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing import forms
from ansible_collections.dockyard.docker.plugins.module_utils.container.options import OPTIONS
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import parse_spec
from ansible_collections.dockyard.docker.plugins.module_utils.swarm import service_spec
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import INT64_MAX, SpecError

# A correctness bound on hostile input (not a benchmark): each value is parsed in well under this.
# CPU time is asserted (the machine may be shared); the wall clock gets a looser bound.
BOUND = 1.0
WALL_BOUND = 3.0
SETTINGS = settings(derandomize=True, max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE_TEXT = [
    "inf", "-inf", "nan", "NaN", ".inf", "1e300", "1e-300", "1" * 400, "1" * 30 + "t", "99999999999h",
    "9223372036854775808", "-9223372036854775809", "-1", "0x10", "1_000", "0o777", "-0o1", "07777", "017777",
    "\x00", "A=B", "A\nB", "A\x00B", "=", "", " ", "${A:-${B}}", "\uff19", "\u0661\u0662", "1.5.5", "1m1",
    "500µs", "1h" * 100, "9" * 5000, "1-65535", "0-99999", "99999:80", "80:" + "9" * 400, "/dev/null:" * 50,
    "nofile:" + "9" * 30, "nofile:1:" + "9" * 400, "0" * 3000 + "1",
]
# Integers JSON or YAML can deliver (a longer one fails in the module's own argument parsing first).
NUMBERS = st.one_of(st.integers(), st.integers(min_value=-10 ** 400, max_value=10 ** 400),
                    st.sampled_from([2 ** 63 - 1, 2 ** 63, -2 ** 63 - 1, 2 ** 64, -1, 0]),
                    st.floats(allow_nan=True, allow_infinity=True))
TEXT = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40),
                 st.from_regex(r"[0-9]{1,60}(\.[0-9]{1,60})?[kmgtbKMGTs]?[bh]?", fullmatch=True))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
HOSTILE = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(TEXT, NUMBERS), inner, max_size=4)), max_leaves=12)


def timed(call, *args):
    """``call(*args)`` -> (result or None, SpecError or None); any other exception fails the test."""
    start, cpu = time.monotonic(), time.process_time()
    try:
        result, error = call(*args), None
    except SpecError as exc:
        result, error = None, exc
    elapsed, cpu = time.monotonic() - start, time.process_time() - cpu
    assert cpu < BOUND, "%.2f s of CPU" % cpu
    assert elapsed < WALL_BOUND, "%s took %.2f s on %s" % (getattr(call, "__name__", call), elapsed, values.shown(args))
    return result, error


def names(error, option):
    assert option in str(error), "%r does not name %s" % (str(error), option)
    assert len(str(error)) < 2000, "the message echoes too much: %d characters" % len(str(error))


# --------------------------------------------------------------------------- values.py, parser by parser

RANGES = {
    values.size: (0, INT64_MAX),
    values.size_or_unlimited: (-1, INT64_MAX),
    values.duration: (0, INT64_MAX),
    values.cpus: (0, INT64_MAX),
    values.seconds: (0, INT64_MAX),
    values.file_mode: (0, 0o7777),
    values.nonneg_int: (0, INT64_MAX),
    values.integer: (-2 ** 63, INT64_MAX),
}


@pytest.mark.parametrize("parser", sorted(RANGES, key=lambda f: f.__name__), ids=lambda f: f.__name__)
@SETTINGS
@given(value=st.one_of(HOSTILE, SCALARS))
def test_numeric_parsers_stay_in_the_engine_range(parser, value):
    result, error = timed(parser, value, "the_option")
    if error is not None:
        names(error, "the_option")
        return
    if value is None:
        assert result is None
        return
    low, high = RANGES[parser]
    assert isinstance(result, (int, float)) and not isinstance(result, bool)
    assert low <= result <= high, "%s(%s) = %r is outside %d..%d" % (parser.__name__, values.shown(value), result,
                                                                     low, high)


OTHER_PARSERS = [
    values.boolean, values.string, values.string_list, values.string_map, values.env_list, values.command,
    values.healthcheck, values.signal_name, values.ip_address,
    lambda value, option: values.choice(value, ("a", "b"), option),
    lambda value, option: values.integer(value, option, minimum=-1, maximum=100),
]


@pytest.mark.parametrize("parser", OTHER_PARSERS, ids=lambda f: f.__name__)
@SETTINGS
@given(value=HOSTILE)
def test_other_parsers_return_or_refuse_naming_the_option(parser, value):
    result, error = timed(parser, value, "the_option")
    if error is not None:
        names(error, "the_option")


@SETTINGS
@given(value=HOSTILE)
def test_env_never_accepts_a_name_the_engine_would_split(value):
    result, error = timed(values.env_list, value, "env")
    if error is not None:
        names(error, "env")
        return
    for key, val in (result or {}).items():
        assert key.strip() and not set(key) & set("=\x00\n\r"), key
        assert "\x00" not in val


@pytest.mark.parametrize("call, value", [
    (values.size, "1" * 400), (values.size, 10 ** 400), (values.size, "1" * 30 + "t"), (values.cpus, "nan"),
    (values.cpus, float("inf")), (values.cpus, 1e300), (values.cpus, "1e300"), (values.duration, "inf"),
    (values.duration, float("inf")), (values.duration, float("nan")), (values.duration, "99999999999h"),
    (values.file_mode, -1), (values.file_mode, "-1"), (values.file_mode, 0o10000), (values.integer, float("inf")),
    (values.integer, "1_000"),
])
def test_the_reported_values_are_refused(call, value):
    _result, error = timed(call, value, "the_option")
    assert error is not None, "%s(%s) was accepted" % (call.__name__, values.shown(value))
    names(error, "the_option")


@pytest.mark.parametrize("env", [{"A=B": "1"}, {"A\x00": "1"}, {"A\nB": "1"}, ["A\nB=1"], {"A": "x\x00y"}])
def test_env_names_with_separators_are_refused(env):
    with pytest.raises(SpecError, match="^env"):
        values.env_list(env, "env")


def test_the_int64_edges():
    assert values.size(INT64_MAX, "memory") == INT64_MAX
    with pytest.raises(SpecError, match="memory"):
        values.size(INT64_MAX + 1, "memory")
    assert values.duration("2562047h", "d") == 2562047 * 3600 * 10 ** 9
    with pytest.raises(SpecError, match="d "):
        values.duration("2562048h", "d")
    assert values.cpus(values.MAX_CPUS, "cpus") <= INT64_MAX
    assert values.file_mode("7777", "m") == 0o7777 and values.file_mode("0o755", "m") == 0o755


# --------------------------------------------------------------------------- env files

SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAA"


@SETTINGS
@given(before=st.lists(st.from_regex(r"[A-Z_]{1,8}=[a-z0-9]{0,8}", fullmatch=True), max_size=5),
       bad=st.sampled_from([SECRET, " " + SECRET, "export " + SECRET, "MY KEY=" + SECRET, "=" + SECRET,
                            "K=" + SECRET + "\x00"]))
def test_env_file_errors_name_file_and_line_never_the_content(before, bad):
    text = "\n".join(before + [bad, "AFTER=1"])
    _result, error = timed(values.parse_env_file, text, "env_file /srv/app.env")
    assert error is not None
    message = str(error)
    assert message.startswith("env_file /srv/app.env line %d" % (len(before) + 1)), message
    assert "BEGIN" not in message and "b3Blbn" not in message, message


def test_env_file_rules():
    text = "# comment\n\nexport A=1\nB = ' two '\nC=\"3\"\nD=x=y\n  export E=5  \n"
    assert values.parse_env_file(text, "f") == {"A": "1", "B": " two ", "C": "3", "D": "x=y", "E": "5"}


def test_the_two_env_file_readers_are_one(tmp_path):
    path = tmp_path / "app.env"
    path.write_text("export A=1\nB='2'\n" + SECRET + "\n")
    with pytest.raises(SpecError) as exc:
        forms.read_env_file(str(path))
    assert str(exc.value) == "env_file %s line 3 is not KEY=VALUE (the line is not shown: it may hold a secret)" % path
    path.write_text("export A=1\nB='2'\n")
    assert forms.read_env_file(str(path)) == {"A": "1", "B": "2"}


# --------------------------------------------------------------------------- the container option table

PARSED = [option for option in OPTIONS if option.name not in ("env_file",)]


@pytest.mark.parametrize("option", PARSED, ids=lambda option: option.name)
@settings(derandomize=True, max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(value=HOSTILE)
def test_every_container_option_parses_or_refuses_naming_itself(option, value):
    _result, error = timed(option.parse, value, {}, option.name)
    if error is not None:
        names(error, option.name)


@SETTINGS
@given(value=HOSTILE, key=st.sampled_from(["memory", "cpus", "stop_timeout", "published_ports", "ulimits",
                                           "mounts", "env", "healthcheck", "devices", "tmpfs", "restart_policy"]))
def test_parse_spec_refuses_naming_the_option(value, key):
    _result, error = timed(parse_spec, {"name": "web", "image": "app", key: value})
    if error is not None:
        names(error, key.split("_")[0])


SERVICE_OPTIONS = ["stop_grace_period", "resources", "update_config", "restart_config", "publish", "replicas",
                   "env", "mounts", "healthcheck", "placement", "ulimits", "hosts", "labels"]


@SETTINGS
@given(value=HOSTILE, key=st.sampled_from(SERVICE_OPTIONS))
def test_service_spec_refuses_naming_the_option(value, key):
    _result, error = timed(service_spec.build_spec, {"name": "web", "image": "app", key: value})
    if error is not None:
        names(error, key.split("_")[0])


@pytest.mark.parametrize("params, fragment", [
    ({"resources": {"limits": {"cpus": "nan"}}}, "resources.limits.cpus"),
    ({"resources": {"limits": {"cpus": 1e300}}}, "resources.limits.cpus"),
    ({"resources": {"limits": {"memory": "1" * 400}}}, "resources.limits.memory"),
    ({"stop_grace_period": float("inf")}, "stop_grace_period"),
    ({"publish": [{"target_port": 65536}]}, "publish[0].target_port"),
    ({"replicas": float("inf")}, "replicas"),
    ({"mounts": [{"type": "tmpfs", "target": "/t", "tmpfs_mode": -1}]}, "mounts[0].tmpfs_mode"),
])
def test_service_spec_reported_values(params, fragment):
    with pytest.raises(SpecError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        service_spec.build_spec(dict({"name": "web", "image": "app"}, **params))
