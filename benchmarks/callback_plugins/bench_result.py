# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper (not part of the collection): keep each task's module result.

Appends one JSON line per finished task to the file named by $BENCH_RESULT_OUT: task name, host and the
module's result, so benchmarks/stack.py reads what the stack module did without a second (timed) task.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: bench_result
type: aggregate
short_description: Module results for benchmarks/stack.py
description: Appends one JSON line per finished task (its module result) to the file named by the BENCH_RESULT_OUT
  environment variable.
requirements:
  - enabled in callbacks_enabled
"""

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_result"
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result):
        out = os.environ.get("BENCH_RESULT_OUT")
        if not out:
            return
        line = dict(task=result._task.get_name(), host=result._host.get_name(), result=result._result)
        with open(out, "a") as handle:
            handle.write(json.dumps(line, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result)
