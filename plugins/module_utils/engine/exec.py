# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of ``exec``: the process's argv and environment, and its output as the engine sends it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import shlex
import struct

from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError


def exec_argv(params):
    """The process argv from ``command`` (shell-split) or ``argv``."""
    if params.get("argv") is not None:
        argv = [str(a) for a in params["argv"]]
        if not argv:
            raise SpecError("argv must not be empty")
        return argv
    command = params.get("command")
    if command is None or not str(command).strip():
        raise SpecError("one of command or argv is required (command must not be empty)")
    try:
        return shlex.split(str(command))
    except ValueError as exc:
        raise SpecError("command %r cannot be split into arguments: %s" % (command, exc))


def exec_env(env):
    """``env`` dict as the ``KEY=value`` list the engine takes (values must be strings)."""
    return ["%s=%s" % (k, v) for k, v in sorted((values.string_map(env, "env") or {}).items())]


def demux_stream(data):
    """Split the engine's multiplexed attach stream (8-byte frame headers) into (stdout, stderr) bytes."""
    out, err = [], []
    pos = 0
    while pos + 8 <= len(data):
        stream, size = struct.unpack(">BxxxL", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + size]
        pos += 8 + size
        (err if stream == 2 else out).append(chunk)
    return b"".join(out), b"".join(err)


def strip_empty_ends(text):
    """Empty lines at the start and end removed, and the trailing newline."""
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)
