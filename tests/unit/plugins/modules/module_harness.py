# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's main() in-process with given arguments and a fake engine connection."""

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args


class Exit(Exception):
    """The module called exit_json (its result is args[0])."""


class Fail(Exception):
    """The module called fail_json (its result is args[0])."""


class FakeClient:
    """What client.connect returns, around a fake low-level API."""

    def __init__(self, api):
        self.api = api


def module_runner(monkeypatch, client=FakeClient):
    """``runner(module, args, api=None) -> (result, exited)``; no ``api`` means the engine must not be contacted."""
    def exit_json(self, **kw):
        raise Exit(kw)

    def fail_json(self, **kw):
        raise Fail(kw)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)

    def runner(mod, args, api=None):
        def fake_connect(module, **_kw):
            if api is None:
                raise AssertionError("the engine must not be contacted")
            return client(api)

        monkeypatch.setattr(mod, "connect", fake_connect)
        with patch_module_args(args):
            with pytest.raises((Exit, Fail)) as exc:
                mod.main()
        return exc.value.args[0], isinstance(exc.value, Exit)

    return runner
