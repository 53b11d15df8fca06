# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running work in worker threads: a bounded pool over a list, and one engine client per thread."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading


def run_parallel(func, items, parallelism=4):
    """Call ``func(item)`` for every item with at most ``parallelism`` at a time.

    Returns a list in item order of ``(result, exception)`` pairs: one failing item
    does not stop the others.
    """
    items = list(items)
    results = [None] * len(items)
    parallelism = max(1, int(parallelism or 1))
    lock = threading.Lock()
    cursor = [0]

    def worker():
        while True:
            with lock:
                index = cursor[0]
                cursor[0] += 1
            if index >= len(items):
                return
            try:
                results[index] = (func(items[index]), None)
            except Exception as exc:  # noqa: BLE001 - reported per item
                results[index] = (None, exc)

    threads = [threading.Thread(target=worker) for _i in range(min(parallelism, len(items)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class ThreadClients(object):
    """One engine client per thread, made on first use by ``factory()``.

    The calling (main) thread keeps ``main``; requests sessions are not shared
    between threads.
    """

    def __init__(self, main, factory):
        self._main = main
        self._main_thread = threading.current_thread()
        self._factory = factory
        self._local = threading.local()
        self._made = []
        self._lock = threading.Lock()

    def get(self):
        if threading.current_thread() is self._main_thread:
            return self._main
        api = getattr(self._local, "api", None)
        if api is None:
            api = self._factory()
            self._local.api = api
            with self._lock:
                self._made.append(api)
        return api

    def close(self):
        with self._lock:
            made, self._made = self._made, []
        for api in made:
            if api is not self._main:
                try:
                    api.close()
                except Exception:  # noqa: BLE001 - closing is best effort
                    pass
