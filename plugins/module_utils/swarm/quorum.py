# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure Raft quorum arithmetic for Swarm managers (no engine access).

A Swarm with N managers needs a majority, ``N // 2 + 1``, of them reachable to
elect a leader and accept changes.  Demoting or removing managers shrinks N and
may also remove reachable members; these helpers tell whether the cluster that
remains still has a majority, with the numbers an operator needs to decide.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def quorum_size(managers):
    """Managers that must be reachable for a cluster of ``managers`` members."""
    managers = int(managers)
    if managers < 0:
        raise ValueError("the number of managers cannot be negative (got %d)" % managers)
    if managers == 0:
        return 0
    return managers // 2 + 1


def fault_tolerance(managers):
    """How many managers may be lost while keeping quorum."""
    managers = int(managers)
    return managers - quorum_size(managers) if managers else 0


def summarize_managers(nodes):
    """From engine node objects (``docker node inspect`` JSON) count managers.

    Returns ``(total, reachable_ids)`` where ``reachable_ids`` is the set of
    manager node IDs whose ``ManagerStatus.Reachability`` is ``reachable``.
    """
    total = 0
    reachable = set()
    for node in nodes or []:
        if (node.get("Spec") or {}).get("Role") != "manager" and not node.get("ManagerStatus"):
            continue
        total += 1
        status = node.get("ManagerStatus") or {}
        if status.get("Reachability") == "reachable":
            reachable.add(node.get("ID"))
    return total, reachable


def check_manager_change(total, reachable, leaving, leaving_reachable, action="demote"):
    """Decide whether ``leaving`` managers may be demoted/removed.

    ``total``: managers now; ``reachable``: reachable managers now;
    ``leaving``: managers to demote/remove; ``leaving_reachable``: how many of
    those are currently reachable.

    Returns ``(ok, message)``; the message states the numbers either way.
    """
    total = int(total)
    reachable = int(reachable)
    leaving = int(leaving)
    leaving_reachable = int(leaving_reachable)
    if leaving < 0 or leaving_reachable < 0 or leaving_reachable > leaving:
        raise ValueError("invalid leaving counts: leaving=%d leaving_reachable=%d" % (leaving, leaving_reachable))
    if leaving > total:
        raise ValueError("cannot %s %d managers out of %d" % (action, leaving, total))
    if reachable > total:
        raise ValueError("reachable managers (%d) exceed managers (%d)" % (reachable, total))
    now_quorum = quorum_size(total)
    after_total = total - leaving
    after_reachable = reachable - leaving_reachable
    after_quorum = quorum_size(after_total)
    if after_total == 0:
        return False, (
            "Refusing to %s: it would leave 0 managers (now %d manager(s), %d reachable). "
            "A swarm needs at least one manager; promote another node first."
            % (action, total, reachable)
        )
    ok = after_reachable >= after_quorum
    detail = (
        "now %d manager(s), %d reachable, quorum %d; after %s of %d manager(s) (%d of them reachable): "
        "%d manager(s), %d reachable, quorum needs %d"
        % (total, reachable, now_quorum, action, leaving, leaving_reachable,
           after_total, after_reachable, after_quorum)
    )
    if ok:
        return True, "Quorum kept: " + detail
    return False, (
        "Refusing to %s: the managers would lose quorum (%s). Bring unreachable managers back or promote "
        "another node first." % (action, detail)
    )


def parity_problem(managers, allow_even=False):
    """Message when a manager count is even (or zero), else ``None``."""
    managers = int(managers)
    if managers < 1:
        return "A swarm needs at least one manager; swarm_managers has %d host(s)." % managers
    if managers % 2 == 0 and not allow_even:
        return (
            "swarm_managers has %d host(s), an even number: it tolerates no more failures than %d managers "
            "(quorum %d of %d, tolerates %d lost). Use an odd count or set swarm_allow_even_managers: true."
            % (managers, managers - 1, quorum_size(managers), managers, fault_tolerance(managers))
        )
    return None
