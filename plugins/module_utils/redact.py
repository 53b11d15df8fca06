# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values a diff must not show: environment variables hold passwords and keys.

A diff still says *which* variables change: a variable whose value is the same on both sides shows as
``HIDDEN`` on both; one that changes shows ``HIDDEN_OLD`` before and ``HIDDEN_NEW`` after; a variable
added or removed appears on one side only.  The values themselves never leave the module.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

HIDDEN = "(hidden)"
HIDDEN_OLD = "(hidden: old value)"
HIDDEN_NEW = "(hidden: new value)"


def masked_env_pair(before, after):
    """``({key: value}, {key: value})`` -> the same keys with the values replaced by markers."""
    before = before or {}
    after = after or {}
    masked_before, masked_after = {}, {}
    for key in before:
        if key in after:
            same = before[key] == after[key]
            masked_before[key] = HIDDEN if same else HIDDEN_OLD
            masked_after[key] = HIDDEN if same else HIDDEN_NEW
        else:
            masked_before[key] = HIDDEN
    for key in after:
        if key not in before:
            masked_after[key] = HIDDEN
    return masked_before, masked_after


def mask_env_views(before, after, key="env"):
    """Copies of two diff views (dicts) whose ``key`` entry (an env dict) is masked."""
    before = dict(before or {})
    after = dict(after or {})
    if key in before or key in after:
        masked_before, masked_after = masked_env_pair(before.get(key), after.get(key))
        if key in before:
            before[key] = masked_before
        if key in after:
            after[key] = masked_after
    return before, after


def _env_list_to_dict(entries):
    env = {}
    for entry in entries or []:
        name, _sep, value = str(entry).partition("=")
        env[name] = value
    return env


def _masked_list(masked):
    return ["%s=%s" % (name, value) for name, value in sorted(masked.items())]


def mask_service_specs(before, after):
    """Copies of two service specs whose ``TaskTemplate.ContainerSpec.Env`` lists are masked."""
    before = copy.deepcopy(before) if before else before
    after = copy.deepcopy(after) if after else after
    containers = [((spec or {}).get("TaskTemplate") or {}).get("ContainerSpec") for spec in (before, after)]
    envs = [_env_list_to_dict(c.get("Env")) if isinstance(c, dict) and "Env" in c else None for c in containers]
    masked = masked_env_pair(envs[0], envs[1])
    for container, env, masked_env in zip(containers, envs, masked):
        if env is not None:
            container["Env"] = _masked_list(masked_env)
    return before, after
