# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper (not part of the collection): time every task of a play.

Appends one JSON line per finished task to the file named by $BENCH_TIMER_OUT:
task name, seconds from task start to its result, items, changed items, failed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: bench_timer
type: aggregate
short_description: Task durations for benchmarks/run.py
description: Appends one JSON line per finished task to the file named by the BENCH_TIMER_OUT environment variable.
requirements:
  - enabled in callbacks_enabled
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._out = os.environ.get("BENCH_TIMER_OUT")
        self._start = None
        self._task = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task = task.get_name()
        self._start = time.perf_counter()

    def _record(self, result, failed):
        if not self._out or self._start is None:
            return
        seconds = time.perf_counter() - self._start
        data = result._result
        items = data.get("results")
        if isinstance(items, list):
            count = len(items)
            changed = sum(1 for item in items if isinstance(item, dict) and item.get("changed"))
        else:
            count = 1
            changed = 1 if data.get("changed") else 0
            inner = data.get("containers")
            if isinstance(inner, list):
                count = len(inner)
                changed = sum(1 for item in inner if isinstance(item, dict) and item.get("changed"))
        line = dict(task=self._task, seconds=seconds, items=count, changed=changed, failed=failed)
        if failed:
            line["msg"] = str(data.get("msg", ""))[:2000]
        with open(self._out, "a") as handle:
            handle.write(json.dumps(line) + "\n")

    def v2_runner_on_ok(self, result):
        self._record(result, False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, True)
