# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Worker threads: the bounded pool and the per-thread engine clients."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.dockyard.docker.plugins.module_utils.parallel import ThreadClients, run_parallel


def test_run_parallel_keeps_order_and_errors():
    def work(x):
        if x == 3:
            raise ValueError("three")
        return x * 2
    results = run_parallel(work, range(6), parallelism=3)
    assert [r for r, _e in results] == [0, 2, 4, None, 8, 10]
    assert isinstance(results[3][1], ValueError)


def test_thread_clients_one_per_worker_thread_main_keeps_its_own():
    made = []

    class Client(object):
        closed = False

        def close(self):
            self.closed = True

    def factory():
        client = Client()
        made.append(client)
        return client

    main = Client()
    clients = ThreadClients(main, factory)
    assert clients.get() is main
    seen = []
    barrier = threading.Barrier(3)

    def worker():
        first = clients.get()
        barrier.wait()
        seen.append((first, clients.get()))

    threads = [threading.Thread(target=worker) for _i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 3
    assert all(a is b for a, b in seen)
    assert len(set(id(a) for a, _b in seen)) == 3
    clients.close()
    assert all(c.closed for c in made) and not main.closed
