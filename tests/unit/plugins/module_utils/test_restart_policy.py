# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restart policy parsing, normalising and the engine's representation."""

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.container.restart_policy import (
    RestartPolicy,
    RestartPolicyError,
    format_policy,
    from_engine,
    parse_restart_policy,
)


@pytest.mark.parametrize(
    "policy, retries, expected",
    [
        ("no", None, RestartPolicy("no", 0)),
        (False, None, RestartPolicy("no", 0)),  # YAML `restart_policy: no`
        ("False", None, RestartPolicy("no", 0)),
        ("always", None, RestartPolicy("always", 0)),
        ("unless-stopped", None, RestartPolicy("unless-stopped", 0)),
        ("Always", None, RestartPolicy("always", 0)),
        ("on-failure", None, RestartPolicy("on-failure", 0)),
        ("on-failure", 5, RestartPolicy("on-failure", 5)),
        ("on-failure", "5", RestartPolicy("on-failure", 5)),
        ("on-failure:3", None, RestartPolicy("on-failure", 3)),
        ("on-failure:3", 3, RestartPolicy("on-failure", 3)),
        ("on-failure:0", None, RestartPolicy("on-failure", 0)),
        (None, None, None),
    ],
)
def test_valid_policies(policy, retries, expected):
    assert parse_restart_policy(policy, retries) == expected


@pytest.mark.parametrize(
    "policy, retries, words",
    [
        ("sometimes", None, ["restart_policy", "'sometimes'", "unless-stopped", "on-failure:N"]),
        ("on-failure:abc", None, ["restart_policy", "on-failure:abc", "whole number", "always"]),
        ("on-failure:-1", None, ["restart_policy", "on-failure:-1", "whole number"]),
        ("on-failure:", None, ["restart_policy"]),
        ("always", 3, ["restart_retries", "on-failure", "always"]),
        ("unless-stopped", 0, ["restart_retries", "on-failure"]),
        ("no", 1, ["restart_retries", "on-failure"]),
        (None, 2, ["restart_retries", "restart_policy"]),
        ("on-failure", -1, ["restart_retries", ">= 0"]),
        ("on-failure", "many", ["restart_retries"]),
        ("on-failure:3", 4, ["disagree"]),
        (True, None, ["restart_policy"]),
    ],
)
def test_invalid_policies_name_the_option(policy, retries, words):
    with pytest.raises(RestartPolicyError) as err:
        parse_restart_policy(policy, retries)
    for word in words:
        assert word in str(err.value)


@pytest.mark.parametrize(
    "engine, expected",
    [
        ({"Name": "", "MaximumRetryCount": 0}, RestartPolicy("no", 0)),
        ({}, RestartPolicy("no", 0)),
        (None, RestartPolicy("no", 0)),
        ({"Name": "no", "MaximumRetryCount": 0}, RestartPolicy("no", 0)),
        ({"Name": "always", "MaximumRetryCount": 0}, RestartPolicy("always", 0)),
        ({"Name": "on-failure", "MaximumRetryCount": 3}, RestartPolicy("on-failure", 3)),
        # the engine keeps a stale count when switching policy; it means nothing then
        ({"Name": "unless-stopped", "MaximumRetryCount": 3}, RestartPolicy("unless-stopped", 0)),
    ],
)
def test_from_engine(engine, expected):
    assert from_engine(engine) == expected


def test_round_trip_to_engine():
    for text in ("no", "always", "unless-stopped", "on-failure", "on-failure:7"):
        policy = parse_restart_policy(text)
        assert from_engine(policy.to_engine()) == policy
        assert format_policy(policy) == text
    assert parse_restart_policy("on-failure:3").to_engine() == {"Name": "on-failure", "MaximumRetryCount": 3}
    assert format_policy(None) is None
