# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.swarm.quorum import (
    check_manager_change,
    fault_tolerance,
    parity_problem,
    quorum_size,
    summarize_managers,
)


@pytest.mark.parametrize("n,q,ft", [(0, 0, 0), (1, 1, 0), (2, 2, 0), (3, 2, 1), (4, 3, 1), (5, 3, 2), (7, 4, 3)])
def test_quorum_size(n, q, ft):
    assert quorum_size(n) == q
    assert fault_tolerance(n) == ft


def test_quorum_negative():
    with pytest.raises(ValueError):
        quorum_size(-1)


def test_demote_one_of_three_all_reachable_ok():
    ok, msg = check_manager_change(3, 3, 1, 1)
    assert ok
    assert "2 manager(s), 2 reachable, quorum needs 2" in msg


def test_demote_reachable_when_one_down_refused_with_numbers():
    ok, msg = check_manager_change(3, 2, 1, 1)
    assert not ok
    assert "Refusing to demote" in msg
    assert "now 3 manager(s), 2 reachable, quorum 2" in msg
    assert "2 manager(s), 1 reachable, quorum needs 2" in msg


def test_demote_the_unreachable_one_ok():
    ok, msg = check_manager_change(3, 2, 1, 0)
    assert ok, msg


def test_remove_last_manager_refused():
    ok, msg = check_manager_change(1, 1, 1, 1, action="remove")
    assert not ok
    assert "0 managers" in msg and "remove" in msg


def test_five_managers_two_down_demote_refused():
    ok, _msg = check_manager_change(5, 3, 1, 1)
    assert not ok  # 4 managers, 2 reachable, quorum 3


def test_invalid_counts():
    with pytest.raises(ValueError):
        check_manager_change(3, 3, 1, 2)
    with pytest.raises(ValueError):
        check_manager_change(3, 3, 4, 0)
    with pytest.raises(ValueError):
        check_manager_change(3, 4, 1, 0)


def test_summarize_managers():
    nodes = [
        {"ID": "a", "Spec": {"Role": "manager"}, "ManagerStatus": {"Reachability": "reachable", "Leader": True}},
        {"ID": "b", "Spec": {"Role": "manager"}, "ManagerStatus": {"Reachability": "unreachable"}},
        {"ID": "c", "Spec": {"Role": "worker"}},
    ]
    total, reachable = summarize_managers(nodes)
    assert total == 2
    assert reachable == {"a"}


def test_parity():
    assert parity_problem(3) is None
    assert parity_problem(1) is None
    msg = parity_problem(2)
    assert "even" in msg and "swarm_allow_even_managers" in msg and "2 host(s)" in msg
    assert parity_problem(2, allow_even=True) is None
    assert "at least one manager" in parity_problem(0)
