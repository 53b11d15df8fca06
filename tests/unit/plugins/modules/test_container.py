# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""container / image / network argument handling without a daemon.

Bad options must fail with a message naming the option and the accepted values
before any connection to the engine is opened (so nothing can change).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.dockyard.docker.plugins.modules import container, image, network


class Exit(Exception):
    pass


class Fail(Exception):
    pass


@pytest.fixture
def run(monkeypatch):
    connected = []

    def exit_json(self, **kwargs):
        raise Exit(kwargs)

    def fail_json(self, **kwargs):
        raise Fail(kwargs)

    def no_engine(module):
        connected.append(module)
        raise AssertionError("the engine must not be contacted for bad options")

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    for mod in (container, image, network):
        monkeypatch.setattr(mod, "connect", no_engine)

    def runner(mod, args):
        with patch_module_args(args):
            with pytest.raises(Fail) as err:
                mod.main()
        assert not connected
        return err.value.args[0]

    return runner


CONTAINER_CASES = {
    "policy-sometimes": (dict(restart_policy="sometimes"),
                         ["restart_policy", "'sometimes'", "no, on-failure, on-failure:N", "unless-stopped"]),
    "on-failure-abc": (dict(restart_policy="on-failure:abc"), ["restart_policy", "on-failure:abc", "always"]),
    "on-failure-negative": (dict(restart_policy="on-failure:-1"), ["restart_policy", "on-failure:-1"]),
    "retries-with-always": (dict(restart_policy="always", restart_retries=3), ["restart_retries", "on-failure"]),
    "four-part-port": (dict(published_ports=["80:80:80:80"]), ["published_ports", "80:80:80:80", "8080:80"]),
    "name-with-slash": (dict(name="a/b"), ["name", "a/b", "[a-zA-Z0-9_.-]"]),
    "memory-lots": (dict(memory="lots"), ["memory", "lots", "512m"]),
    "bad-volume": (dict(volumes=["data"]), ["volumes", "absolute"]),
    "bad-state": (dict(state="running"), ["state", "started", "absent"]),
    "bad-pull": (dict(pull="sometimes"), ["pull", "missing", "never"]),
    "bool-env": (dict(env={"DEBUG": True}), ["env.DEBUG", "quote"]),
    "bad-mount-type": (dict(mounts=[{"type": "nfs", "target": "/x"}]), ["type", "volume", "tmpfs"]),
    "lock-timeout-negative": (dict(lock_timeout=-1), ["lock_timeout", ">= 0", "-1"]),
    "lock-timeout-inf": (dict(lock_timeout="inf"), ["lock_timeout", ">= 0", "inf"]),
}


@pytest.mark.parametrize("case", sorted(CONTAINER_CASES))
def test_container_bad_options_fail_before_connecting(run, case):
    args, words = CONTAINER_CASES[case]
    params = dict(name="web", image="app:1")
    params.update(args)
    result = run(container, params)
    for word in words:
        assert word in result["msg"], result["msg"]
    assert not result.get("changed")


def test_container_needs_a_name(run):
    result = run(container, dict(image="app:1"))
    assert "name" in result["msg"]


@pytest.mark.parametrize(
    "args, words",
    [
        (dict(name="app", source="archive"), ["archive_path"]),
        (dict(name="app", source="pull", archive_path="/x.tar"), ["archive_path", "source: archive"]),
        (dict(name="app", source="disk"), ["source", "pull", "archive"]),
        (dict(name="app", state="gone"), ["state", "present", "absent"]),
    ],
)
def test_image_bad_options(run, args, words):
    result = run(image, args)
    for word in words:
        assert word in result["msg"], result["msg"]


@pytest.mark.parametrize(
    "args, words",
    [
        (dict(name="n", gateway="10.0.0.1"), ["gateway", "subnet"]),
        (dict(name="n", subnet="nope"), ["subnet", "CIDR"]),
        (dict(name="n", state="gone"), ["state", "present", "absent"]),
    ],
)
def test_network_bad_options(run, args, words):
    result = run(network, args)
    for word in words:
        assert word in result["msg"], result["msg"]
