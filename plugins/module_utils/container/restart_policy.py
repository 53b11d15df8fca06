# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Docker restart policies: parse what a user wrote, talk to the engine, compare.

Pure code (no engine access).  A policy is represented as a ``RestartPolicy``
value: a policy name from :data:`POLICIES` and a retry count that is only ever
non-zero for ``on-failure``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import INT64_MAX, shown

POLICIES = ("no", "on-failure", "always", "unless-stopped")
ACCEPTED = "no, on-failure, on-failure:N (N a whole number >= 0), always, unless-stopped"

_ON_FAILURE_N = re.compile(r"^on-failure:(.*)$")


class RestartPolicyError(ValueError):
    """A restart_policy / restart_retries value that cannot be used."""


class RestartPolicy(object):
    """A normalised restart policy: ``name`` and ``retries`` (0 = unlimited for on-failure)."""

    __slots__ = ("name", "retries")

    def __init__(self, name, retries=0):
        self.name = name
        self.retries = retries

    def __eq__(self, other):
        return isinstance(other, RestartPolicy) and (self.name, self.retries) == (other.name, other.retries)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((self.name, self.retries))

    def __repr__(self):
        return "RestartPolicy(%r, %r)" % (self.name, self.retries)

    def __str__(self):
        return format_policy(self)

    def to_engine(self):
        """The engine's ``HostConfig.RestartPolicy`` object."""
        return {"Name": self.name, "MaximumRetryCount": self.retries}


def _as_retries(value, option):
    if isinstance(value, bool):
        raise RestartPolicyError("%s must be a whole number >= 0, got %s" % (option, shown(value)))
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not re.match(r"^[+]?[0-9]{1,19}$", text):
            raise RestartPolicyError(
                "%s must be a whole number >= 0, got %s" % (option, shown(value))
            )
        number = int(text)
    if not 0 <= number <= INT64_MAX:
        raise RestartPolicyError("%s must be a whole number >= 0 (at most %d), got %s"
                                 % (option, INT64_MAX, shown(value)))
    return number


def normalize_policy_name(value):
    """Map what YAML may hand us for ``no`` (``False``, ``"False"``) to the policy name.

    Returns the lower-cased text of any other value; does not validate.
    """
    if value is False:
        return "no"
    if value is True:
        return "true"
    text = str(value).strip()
    if text.lower() in ("false", "no", "none", ""):
        return "no"
    return text.lower()


def parse_restart_policy(policy, retries=None):
    """Parse the user's ``restart_policy`` and ``restart_retries``.

    Returns a :class:`RestartPolicy`, or ``None`` when neither option was set (the
    policy is then not managed).  Raises :class:`RestartPolicyError` with a
    message that names the option and the accepted values.
    """
    if policy is None:
        if retries is not None:
            raise RestartPolicyError(
                "restart_retries is only valid together with restart_policy: on-failure; "
                "restart_policy is not set"
            )
        return None
    name = normalize_policy_name(policy)
    literal_retries = None
    match = _ON_FAILURE_N.match(name)
    if match:
        raw = match.group(1)
        if not re.match(r"^[0-9]+$", raw.strip()):
            raise RestartPolicyError(
                "restart_policy %s: the N of on-failure:N must be a whole number >= 0. Accepted values: %s"
                % (shown(policy), ACCEPTED)
            )
        name = "on-failure"
        literal_retries = int(raw.strip())
    if name not in POLICIES:
        raise RestartPolicyError("restart_policy %s is not valid. Accepted values: %s" % (shown(policy), ACCEPTED))
    if retries is not None:
        if name != "on-failure":
            raise RestartPolicyError(
                "restart_retries is only valid together with restart_policy: on-failure, "
                "not with restart_policy: %s" % name
            )
        retries = _as_retries(retries, "restart_retries")
        if literal_retries is not None and literal_retries != retries:
            raise RestartPolicyError(
                "restart_policy %s and restart_retries %d disagree; give the count once" % (shown(policy), retries)
            )
    if name != "on-failure":
        return RestartPolicy(name, 0)
    if literal_retries is not None:
        return RestartPolicy(name, literal_retries)
    return RestartPolicy(name, retries or 0)


def from_engine(restart_policy):
    """Normalise the engine's ``HostConfig.RestartPolicy`` (``{}``, Name ``""`` mean ``no``)."""
    restart_policy = restart_policy or {}
    name = (restart_policy.get("Name") or "no").lower()
    retries = int(restart_policy.get("MaximumRetryCount") or 0)
    if name != "on-failure":
        retries = 0
    return RestartPolicy(name, retries)


def format_policy(policy):
    """``on-failure:3`` / ``always`` ... as a user would write it."""
    if policy is None:
        return None
    if policy.name == "on-failure" and policy.retries:
        return "on-failure:%d" % policy.retries
    return policy.name
