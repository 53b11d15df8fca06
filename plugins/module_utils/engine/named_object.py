# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the modules that manage one named engine object (``network``, ``volume``) share.

:func:`run` validates the options, connects, lets the module's manager plan the steps (only reporting them in
check mode) and exits with the manager's result; :class:`NamedObjectManager` gives the managers their state
and the result's form (``changed``, ``actions``, the object's inspect data, ``diff``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.dockyard.docker.plugins.module_utils.client import fail_from_error
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError


class Refused(Exception):
    """The object was left as it is; the message says why and what would let the module go on."""


class NamedObjectManager(object):
    """Brings one named object to the module's options; a subclass sets ``kind`` and has ``inspect`` and ``run``."""

    kind = None

    def __init__(self, module, api, desired):
        self.module = module
        self.api = api
        self.params = module.params
        self.name = self.params["name"]
        self.desired = desired
        self.check_mode = module.check_mode
        self.actions = []

    def result(self, before, before_view, after_view, changed):
        """The module's result; the inspect data is read again after a change (not in check mode)."""
        document = before or {}
        if changed and not self.check_mode:
            document = self.inspect() or {}
        return {"changed": changed, "actions": self.actions, self.kind: document,
                "diff": dict(before=before_view, after=after_view)}


def engine_view(desired, differences):
    """The object's values of the compared settings: ``desired`` where they agree, ``differences`` where not."""
    return dict(desired, **differences)


def run(module, desired, manager, connect):
    """Validate ``module``'s options with ``desired`` (before connecting), then exit with ``manager``'s run.

    ``connect`` is the module's own, so the module's tests can put a fake engine behind it.
    """
    try:
        settings = desired(module.params)
    except SpecError as exc:
        module.fail_json(msg=str(exc), changed=False)
    engine = connect(module)
    try:
        result = manager(module, engine.api, settings).run()
    except Refused as exc:
        module.fail_json(msg=str(exc), changed=False)
    except Exception as exc:  # noqa: BLE001
        fail_from_error(module, exc, "manage %s %s" % (manager.kind, module.params["name"]))
    module.exit_json(**result)
