# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of exec: argv, environment and the engine's output stream."""

import struct

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.engine import exec as engine_exec
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError


def test_exec_argv():
    assert engine_exec.exec_argv({"command": "sh -c 'echo \"a b\"'"}) == ["sh", "-c", 'echo "a b"']
    assert engine_exec.exec_argv({"argv": ["a", 1]}) == ["a", "1"]


@pytest.mark.parametrize("params, word", [
    ({"command": "  "}, "command"),
    ({"argv": []}, "argv"),
    ({"command": "echo 'open"}, "cannot be split"),
])
def test_exec_argv_bad(params, word):
    with pytest.raises(SpecError) as err:
        engine_exec.exec_argv(params)
    assert word in str(err.value)


def test_exec_env():
    assert engine_exec.exec_env({"B": 2, "A": "x y"}) == ["A=x y", "B=2"]
    with pytest.raises(SpecError):
        engine_exec.exec_env({"DEBUG": True})


def frame(stream, data):
    return struct.pack(">BxxxL", stream, len(data)) + data


def test_demux_stream():
    data = frame(1, b"out1\n") + frame(2, b"err\n") + frame(1, b"out2\n") + frame(1, b"")
    assert engine_exec.demux_stream(data) == (b"out1\nout2\n", b"err\n")
    assert engine_exec.demux_stream(b"") == (b"", b"")


def test_strip_empty_ends():
    assert engine_exec.strip_empty_ends("\n\na\n\nb\n\n") == "a\n\nb"
    assert engine_exec.strip_empty_ends("") == ""
