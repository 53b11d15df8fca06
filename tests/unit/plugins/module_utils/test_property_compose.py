# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests of the compose and stack readers on hostile documents.

Generated YAML texts and definitions (alias bombs, deep nesting, deep interpolation, a wrong type at every
key, keys that are not strings) are either read or refused with ``ComposeError`` naming the file (or
``definition``) and the key path, in bounded time and memory; no other exception escapes. The examples are
derandomized (the same on every run).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
import tracemalloc

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.dockyard.docker.plugins.module_utils.compose import reader, stack, translate
from ansible_collections.dockyard.docker.plugins.module_utils.compose.reader import ComposeError

IMG = "dockyard-lab/app:latest"
FILE = "/srv/p/compose.yml"
# A correctness bound on hostile input (not a benchmark): each document is read or refused in well under this.
# CPU time is asserted (the machine may be shared); the wall clock gets a looser bound.
BOUND = 1.0
WALL_BOUND = 3.0
SETTINGS = settings(derandomize=True, max_examples=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# The reported file: 538 bytes that expand to 10^9 strings.
LAUGHS = "\n".join(["x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
    "x-%s: &%s [%s]" % (chr(98 + i), chr(98 + i), ", ".join(["*%s" % chr(97 + i)] * 10)) for i in range(8)] + [
    "services:", "  web:", "    image: %s" % IMG, "    labels: *i", ""])


def read_project(text, path=FILE):
    return translate.load_project(files=[path], read=lambda _path: text, environ={}, name="p")


def read_stack(text, path=FILE):
    return stack.load_stack("s", [path], read=lambda _path: text, environ={})


def outcome(call, *args):
    """``call(*args)`` -> the ComposeError's message, or None when the document was read; timed."""
    start, cpu = time.monotonic(), time.process_time()
    try:
        call(*args)
        message = None
    except ComposeError as exc:
        message = str(exc)
    elapsed, cpu = time.monotonic() - start, time.process_time() - cpu
    assert cpu < BOUND, "%.2f s of CPU" % cpu
    assert elapsed < WALL_BOUND, "%.2f s" % elapsed
    return message


def bomb(levels, width):
    lines = ["x-l0: &l0 [%s]" % ", ".join(["lol"] * width)]
    for level in range(1, levels):
        lines.append("x-l%d: &l%d [%s]" % (level, level, ", ".join(["*l%d" % (level - 1)] * width)))
    lines += ["services:", "  web:", "    image: %s" % IMG, "    command: *l%d" % (levels - 1)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- bounds before any copy

@pytest.mark.parametrize("call", [read_project, read_stack], ids=["compose", "stack"])
def test_the_reported_billion_laughs_is_refused_quickly_in_little_memory(call):
    assert len(LAUGHS) < 600
    tracemalloc.start()
    try:
        message = outcome(call, LAUGHS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message is not None and message.startswith(FILE + ": refused: more than 50000 values after alias "
                                                             "expansion"), message
    assert peak < 16 * 1024 * 1024, "peak %d bytes" % peak


@SETTINGS
@given(levels=st.integers(2, 12), width=st.integers(2, 12))
def test_alias_bombs_are_refused_by_their_expanded_size(levels, width):
    message = outcome(read_project, bomb(levels, width))
    expanded = sum(width ** level for level in range(1, levels + 1)) + 1
    if expanded > reader.MAX_NODES:
        assert message is not None and message.startswith(FILE + ": refused: more than"), message
        assert "values after alias expansion" in message
    else:
        assert message is None or "alias expansion" not in message, message


@SETTINGS
@given(size=st.integers(1, 200), copies=st.integers(1, 400))
def test_a_long_string_repeated_by_aliases_counts_its_characters(size, copies):
    text = "x-big: &big %s\nservices:\n  web:\n    image: %s\n    command: [%s]\n" % (
        "x" * (size * 1024), IMG, ", ".join(["*big"] * copies))
    message = outcome(read_project, text)
    if size * 1024 * copies > reader.MAX_TEXT:
        assert message is not None and "characters after alias expansion" in message, message
    else:
        assert message is None, message


@SETTINGS
@given(depth=st.integers(reader.MAX_DEPTH + 1, 3000), style=st.sampled_from(["flow-list", "flow-map", "block"]))
def test_deep_nesting_is_refused_without_recursion(depth, style):
    if style == "flow-list":
        value = "[" * depth + "]" * depth
    elif style == "flow-map":
        value = "{a: " * depth + "1" + "}" * depth
    else:
        value = "".join("\n" + "  " * (i + 3) + "k:" for i in range(min(depth, 200))) + " 1"
    text = "services:\n  web:\n    image: %s\n    labels: %s\n" % (IMG, value)
    for call in (read_project, read_stack):
        message = outcome(call, text)
        # libyaml stops at its own nesting limit first on some texts: a YAML error naming the file and line.
        assert message is not None and (message.startswith(FILE + ": refused: values are nested more than 64")
                                        or message.startswith(FILE + ": line ") and "nesting depth" in message), \
            message


def test_an_alias_inside_its_own_anchor_is_refused():
    message = outcome(read_project, "services:\n  web: &w\n    image: %s\n    labels: [*w]\n" % IMG)
    assert message.startswith(FILE + ": line 4 column 14: alias *w refers to no finished anchor"), message


def test_a_file_larger_than_the_bound_is_refused():
    message = outcome(read_project, "# " + "x" * reader.MAX_FILE_BYTES + "\nservices: {}\n")
    assert message.startswith(FILE + ": refused: the file has more than 1048576 bytes"), message


@pytest.mark.parametrize("depth", [reader.MAX_DEPTH + 1, 5000])
def test_deep_inline_definitions_are_refused(depth):
    value = "leaf"
    for _level in range(depth):
        value = {"k": value}
    definition = {"services": {"web": {"image": IMG, "labels": value}}}
    message = outcome(translate.load_project, None, definition, None, {}, None, "p")
    assert message.startswith("definition: refused: services.web.labels"), message
    message = outcome(stack.load_stack, "s", [definition], None, {})
    assert message.startswith("compose[0]: refused: services.web.labels"), message


def test_a_wide_inline_definition_is_refused():
    definition = {"services": {"web": {"image": IMG, "labels": dict(("k%d" % i, "v") for i in range(60000))}}}
    message = outcome(translate.load_project, None, definition, None, {}, None, "p")
    assert message.startswith("definition: refused: more than 50000 values"), message


@SETTINGS
@given(depth=st.integers(reader.MAX_INTERPOLATION_DEPTH + 1, 3000))
def test_deep_interpolation_is_refused(depth):
    value = "${A:-" * depth + "x" + "}" * depth
    definition = {"services": {"web": {"image": IMG, "hostname": value}}}
    message = outcome(translate.load_project, None, definition, None, {}, None, "p")
    assert message is not None and message.startswith("definition: services.web.hostname: variables are nested"), \
        message


def test_interpolation_within_the_bound_still_works():
    value = "${A:-" * reader.MAX_INTERPOLATION_DEPTH + "deep" + "}" * reader.MAX_INTERPOLATION_DEPTH
    project = translate.load_project(definition={"services": {"web": {"image": IMG, "hostname": value}}},
                                     environ={}, name="p")
    assert project.services["web"].options["hostname"] == "deep"


# --------------------------------------------------------------------------- any text, any value at any key

@SETTINGS
@given(text=st.one_of(st.text(max_size=300), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_any_text_is_read_or_refused_naming_the_file(text):
    message = outcome(read_project, text)
    assert message is None or message.startswith(FILE), message


HOSTILE_TEXT = ["inf", ".inf", "nan", "-1", "1" * 400, "9" * 5000, "1" * 30 + "t", "99999999999h", "${A:-${B:-",
                "$", "${}", "\x00", "A=B", "A\nB", "0x10", "-0o1", "2024-02-30", "/dev/sda:/dev/sda:xyz", "80:80:80"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10 ** 400, max_value=10 ** 400),
                    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(HOSTILE_TEXT), st.text(max_size=20))
HOSTILE = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=8)),
                                                 inner, max_size=4)), max_leaves=12)
STANDALONE_KEYS = sorted(set(reader.SERVICE_KEYS) - {"env_file"})
STACK_KEYS = sorted(set(stack.SERVICE_KEYS + stack.IGNORED_KEYS) - {"env_file"})


def names_the_key(message, source, key):
    assert message.startswith(source + ": "), message
    assert "services.web.%s" % key in message, message
    assert len(message) < 2000, "the message echoes too much: %d characters" % len(message)


@SETTINGS
@given(key=st.sampled_from(STANDALONE_KEYS), value=HOSTILE)
def test_a_hostile_value_at_any_service_key(key, value):
    definition = {"services": {"web": {"image": IMG, key: value}}}
    message = outcome(translate.load_project, None, definition, None, {}, None, "p")
    if message is not None:
        names_the_key(message, "definition", key)
    try:
        text = yaml.safe_dump(definition)
    except (yaml.YAMLError, ValueError):
        return
    message = outcome(read_project, text)
    if message is not None:
        names_the_key(message, FILE, key)


@SETTINGS
@given(key=st.sampled_from(STACK_KEYS), value=HOSTILE)
def test_a_hostile_value_at_any_stack_service_key(key, value):
    definition = {"services": {"web": {"image": IMG, key: value}}}
    message = outcome(stack.load_stack, "s", [definition], None, {})
    if message is not None:
        names_the_key(message, "compose[0]", key)


@SETTINGS
@given(section=st.sampled_from(["networks", "volumes"]), value=HOSTILE)
def test_a_hostile_value_in_a_top_level_section(section, value):
    definition = {"services": {"web": {"image": IMG}}, section: {"obj": value}}
    message = outcome(translate.load_project, None, definition, None, {}, None, "p")
    assert message is None or message.startswith("definition: "), message
    message = outcome(stack.load_stack, "s", [definition], None, {})
    assert message is None or message.startswith("compose[0]: "), message


@SETTINGS
@given(key=st.one_of(st.integers(), st.booleans(), st.none(), st.floats()),
       where=st.sampled_from(["top", "services", "service", "labels", "healthcheck"]))
def test_keys_that_are_not_strings_are_refused_with_their_path(key, where):
    service = {"image": IMG, "labels": {"a": "1"}, "healthcheck": {"test": "true"}}
    definition = {"services": {"web": service}}
    target = {"top": definition, "services": definition["services"], "service": service,
              "labels": service["labels"], "healthcheck": service["healthcheck"]}[where]
    target[key] = "x"
    message = outcome(translate.load_project, None, definition, None, {}, None, "p")
    assert message is not None and message.startswith("definition: "), message
    assert "every key must be a string" in message, message
    path = {"top": "the top level", "services": "services", "service": "services.web",
            "labels": "services.web.labels", "healthcheck": "services.web.healthcheck"}[where]
    assert ": %s: the key" % path in message, message


@pytest.mark.parametrize("settings_, fragment", [
    ({"devices": [{"source": 5}]}, "services.web.devices"),
    ({"stop_grace_period": float("inf")}, "services.web.stop_grace_period: inf is not a finite number"),
    ({"mem_limit": "1" * 400}, "services.web.mem_limit"),
    ({"cpus": "nan"}, "services.web.cpus"),
    ({"cpus": 1e300}, "services.web.cpus"),
    ({"healthcheck": {"test": "true", "interval": "99999999999h"}}, "services.web.healthcheck"),
    ({"environment": {"A=B": "1"}}, "services.web.environment"),
    ({"ports": ["99999:80"]}, "services.web.ports[0]"),
    ({"healthcheck": 5}, "services.web.healthcheck must be a mapping, got a number"),
    ({"logging": ["json-file"]}, "services.web.logging must be a mapping, got a list"),
    ({"deploy": {"resources": {"limits": {"cpus": [1]}}}}, "services.web.deploy.resources.limits.cpus must be"),
])
def test_the_reported_documents(settings_, fragment):
    definition = {"services": {"web": dict({"image": IMG}, **settings_)}}
    message = outcome(translate.load_project, None, definition, None, {}, None, "p")
    assert message is not None and message.startswith("definition: ") and fragment in message, message


def test_a_service_key_that_is_a_number_in_a_file():
    message = outcome(read_project, "services:\n  5:\n    image: %s\n" % IMG)
    assert message == FILE + ": services: the key 5 is a int; every key must be a string (quote it)", message


def test_stop_grace_period_inf_in_a_file():
    message = outcome(read_project, "services:\n  web:\n    image: %s\n    stop_grace_period: .inf\n" % IMG)
    assert message == FILE + ": services.web.stop_grace_period: inf is not a finite number", message


# --------------------------------------------------------------------------- env files through the reader

def test_an_env_file_error_names_the_file_and_line_not_the_content():
    files = {FILE: "services:\n  web:\n    image: %s\n    env_file: web.env\n" % IMG,
             "/srv/p/web.env": "A=1\n-----BEGIN OPENSSH PRIVATE KEY-----\n"}
    with pytest.raises(ComposeError) as exc:
        translate.load_project(files=[FILE], read=lambda path: files[path], environ={}, name="p")
    assert str(exc.value) == (FILE + ": services.web.env_file[0]: /srv/p/web.env line 2 is not KEY=VALUE (the line "
                              "is not shown: it may hold a secret)")
    files["/srv/p/web.env"] = "export A=1\nB='two'\n"
    project = translate.load_project(files=[FILE], read=lambda path: files[path], environ={}, name="p")
    assert project.services["web"].options["env"] == {"A": "1", "B": "two"}
