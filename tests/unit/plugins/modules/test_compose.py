# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compose module without a daemon: argument handling, the plan it hands the bulk engine, objects."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.dockyard.docker.plugins.module_utils.client import NotFound
from ansible_collections.dockyard.docker.plugins.module_utils.compose import deploy
from ansible_collections.dockyard.docker.plugins.module_utils.compose.reader import ComposeError
from ansible_collections.dockyard.docker.plugins.module_utils.compose.translate import load_project
from ansible_collections.dockyard.docker.plugins.module_utils.container.bulk_execute import Refused
from ansible_collections.dockyard.docker.plugins.module_utils.container.bulk_plan import item_result
from ansible_collections.dockyard.docker.plugins.module_utils.engine import volumes
from ansible_collections.dockyard.docker.plugins.modules import compose

IMG = "dockyard-lab/app:latest"
SHOP = {"services": {
    "db": {"image": IMG, "volumes": ["data:/data"], "healthcheck": {"test": "true", "interval": "1s"}},
    "migrate": {"image": IMG, "depends_on": {"db": {"condition": "service_healthy"}}},
    "web": {"image": IMG, "depends_on": {"db": {"condition": "service_healthy"},
                                         "migrate": {"condition": "service_completed_successfully"}}},
}, "volumes": {"data": {}}}


class Exit(Exception):
    pass


class Fail(Exception):
    pass


class FakeApi:
    def __init__(self, networks=None, volumes=None, containers=None):
        self.networks = dict(networks or {})
        self.volumes = dict(volumes or {})
        self.listed = list(containers or [])
        self.writes = []

    def inspect_network(self, name):
        if name not in self.networks:
            raise NotFound("no such network")
        return self.networks[name]

    def inspect_volume(self, name):
        if name not in self.volumes:
            raise NotFound("no such volume")
        return self.volumes[name]

    def inspect_container(self, name):
        raise NotFound("no such container")

    def containers(self, all=False, filters=None):  # noqa: A002 - SDK's name
        assert all and filters == {"label": "com.docker.compose.project=shop"}
        return self.listed

    def create_network(self, name, **kwargs):
        self.writes.append(("create_network", name, kwargs))

    def create_volume(self, name, **kwargs):
        self.writes.append(("create_volume", name, kwargs))

    def remove_network(self, name):
        self.writes.append(("remove_network", name))

    def remove_volume(self, name):
        self.writes.append(("remove_volume", name))


class FakeEngine:
    def __init__(self, api):
        self.api = api


@pytest.fixture
def run(monkeypatch):
    def exit_json(self, **kw):
        raise Exit(kw)

    def fail_json(self, **kw):
        raise Fail(kw)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    seen = {}

    class FakeBulk:
        def __init__(self, module, engine, specs, purpose=None):
            seen["specs"] = specs
            seen["purpose"] = purpose
            self.check_mode = module.check_mode

        def converge(self, prune=False, waves=None, before_apply=None):
            seen["waves"] = waves
            if seen.get("refuse"):
                raise Refused([item_result("shop-web-1", None, error="image gone")], len(seen["specs"]))
            if before_apply is not None and not self.check_mode:
                before_apply()
            return [item_result(s.name, None) for s in seen["specs"]], []

    monkeypatch.setattr(compose, "BulkReconciler", FakeBulk)

    def runner(args, api=None, refuse=False):
        seen.clear()
        seen["refuse"] = refuse

        def fake_connect(module, **_kw):
            if api is None:
                raise AssertionError("the engine must not be contacted")
            return FakeEngine(api)

        monkeypatch.setattr(compose, "connect", fake_connect)
        with patch_module_args(args):
            with pytest.raises((Exit, Fail)) as exc:
                compose.main()
        return exc.value.args[0], isinstance(exc.value, Exit), seen

    return runner


def test_options_are_the_public_interface():
    spec = compose.argument_spec()
    own = set(spec) - set(["docker_host", "timeout", "tls_ca_cert", "tls_client_cert", "tls_client_key",
                           "validate_certs"])
    assert own == set(["project_name", "files", "definition", "env", "state", "remove_orphans", "remove_volumes",
                       "pull", "wait", "lock_timeout"])
    assert spec["lock_timeout"] == {"type": "float", "default": 300}
    assert spec["state"]["choices"] == ["present", "stopped", "restarted", "absent"]
    assert spec["pull"]["choices"] == ["missing", "always", "never"]
    assert spec["remove_volumes"]["default"] is False and spec["remove_orphans"]["default"] is False


@pytest.mark.parametrize("args, fragment", [
    ({"definition": SHOP, "files": ["/x.yml"], "project_name": "shop"}, "mutually exclusive"),
    ({"project_name": "shop"}, "one of the following is required: files, definition"),
    ({"files": ["/nonexistent/compose.yml"]}, "files: /nonexistent/compose.yml does not exist on the managed host"),
    ({"definition": {"services": {"web": {"image": IMG, "build": "."}}}, "project_name": "shop"},
     "services.web.build: not supported"),
    ({"definition": {"services": {"web": {"image": "${NOPE}"}}}, "project_name": "shop"},
     "services.web.image: variable NOPE is not set"),
    ({"definition": SHOP, "project_name": "shop", "state": "gone"}, "value of state must be one of"),
])
def test_refused_before_the_engine_is_contacted(run, args, fragment):
    result, ok, _seen = run(args)
    assert not ok
    assert fragment in result["msg"]
    assert not result.get("changed")


def test_env_option_and_host_environment(run, monkeypatch):
    monkeypatch.setenv("FROM_HOST", "h")
    definition = {"services": {"web": {"image": IMG, "environment": {"A": "${A}", "B": "${FROM_HOST}"}}}}
    result, ok, seen = run({"definition": definition, "project_name": "shop", "env": {"A": "given"}}, FakeApi())
    assert ok, result
    assert seen["specs"][0].values["env"] == {"A": "given", "B": "h"}


def test_present_creates_network_and_volume_then_hands_waves_to_the_bulk_engine(run):
    api = FakeApi()
    result, ok, seen = run({"definition": SHOP, "project_name": "shop", "pull": "never", "timeout": 30}, api)
    assert ok, result
    names = [s.name for s in seen["specs"]]
    assert names == ["shop-db-1", "shop-migrate-1", "shop-web-1"]
    assert seen["waves"] == [[0], [1], [2]]
    db, migrate, web = seen["specs"]
    assert db.state == "healthy" and db.healthy_wait_timeout == 30.0      # the others wait for db healthy
    assert migrate.detach is False and migrate.state == "started"         # runs to completion before web
    assert web.state == "started" and web.detach is True
    assert db.pull == "never"
    assert [w[:2] for w in api.writes] == [("create_network", "shop_default"), ("create_volume", "shop_data")]
    assert api.writes[0][2]["labels"] == {"com.docker.compose.project": "shop", "com.docker.compose.network": "default"}
    assert result["networks"] == [{"name": "shop_default", "action": "created"}]
    assert result["volumes"] == [{"name": "shop_data", "action": "created"}]
    assert result["changed"] is True
    assert [s["service"] for s in result["services"]] == ["db", "migrate", "web"]


def test_check_mode_creates_nothing(run):
    api = FakeApi()
    result, ok, _seen = run({"definition": SHOP, "project_name": "shop", "_ansible_check_mode": True}, api)
    assert ok and result["changed"] is True
    assert api.writes == []


def test_refused_item_changes_nothing(run):
    api = FakeApi()
    result, ok, _seen = run({"definition": SHOP, "project_name": "shop"}, api, refuse=True)
    assert not ok and "image gone" in result["msg"]
    assert api.writes == []


def test_network_with_other_settings_is_an_error_before_any_change(run):
    api = FakeApi(networks={"shop_default": {"Driver": "macvlan", "Labels": {}}})
    result, ok, seen = run({"definition": SHOP, "project_name": "shop"}, api)
    assert not ok
    assert "networks.default: network shop_default exists with other settings (driver, labels differ" in result["msg"]
    assert api.writes == [] and "specs" not in seen


def test_volume_compared_on_its_settings_and_the_project_labels(run):
    labels = {"com.docker.compose.project": "shop", "com.docker.compose.volume": "data"}
    api = FakeApi(volumes={"shop_data": {"Driver": "nfs", "Options": None, "Labels": dict(labels, extra="1")}})
    result, ok, seen = run({"definition": SHOP, "project_name": "shop"}, api)
    assert not ok
    assert "volumes.data: volume shop_data exists with other settings (driver differ" in result["msg"]
    assert api.writes == [] and "specs" not in seen
    api = FakeApi(volumes={"shop_data": {"Driver": "local", "Labels": {"com.docker.compose.project": "shop"}}})
    result, ok, seen = run({"definition": SHOP, "project_name": "shop"}, api)
    assert not ok and "(labels differ" in result["msg"]
    api = FakeApi(volumes={"shop_data": {"Driver": "local", "Options": None, "Labels": dict(labels, extra="1")}})
    result, ok, seen = run({"definition": SHOP, "project_name": "shop"}, api)
    assert ok, result
    assert [w[:2] for w in api.writes] == [("create_network", "shop_default")]
    assert result["volumes"] == [{"name": "shop_data", "action": None}]


def test_absent_removes_containers_first_then_network_and_keeps_volumes(run):
    existing = dict(networks={"shop_default": {"Driver": "bridge"}}, volumes={"shop_data": {"Driver": "local"}})
    api = FakeApi(**existing)
    result, ok, seen = run({"definition": SHOP, "project_name": "shop", "state": "absent"}, api)
    assert ok, result
    assert [s.name for s in seen["specs"]] == ["shop-web-1", "shop-migrate-1", "shop-db-1"]   # dependants first
    assert all(s.state == "absent" and s.keep_volumes for s in seen["specs"])
    assert api.writes == [("remove_network", "shop_default")]
    api = FakeApi(**existing)
    result, ok, seen = run({"definition": SHOP, "project_name": "shop", "state": "absent", "remove_volumes": True}, api)
    assert api.writes == [("remove_network", "shop_default"), ("remove_volume", "shop_data")]
    assert not any(s.keep_volumes for s in seen["specs"])


def test_orphans_warned_or_removed(run):
    listed = [{"Names": ["/shop-old-1"], "Labels": {"com.docker.compose.project": "shop",
                                                    "com.docker.compose.service": "old"}},
              {"Names": ["/shop-web-1"], "Labels": {"com.docker.compose.project": "shop",
                                                    "com.docker.compose.service": "web"}}]
    result, ok, seen = run({"definition": SHOP, "project_name": "shop"}, FakeApi(containers=listed))
    assert ok and result["orphans"] == ["shop-old-1"]
    assert "shop-old-1" not in [s.name for s in seen["specs"]]
    result, ok, seen = run({"definition": SHOP, "project_name": "shop", "remove_orphans": True},
                           FakeApi(containers=listed))
    assert seen["specs"][-1].name == "shop-old-1" and seen["specs"][-1].state == "absent"
    assert seen["waves"][0] == [3]
    assert result["services"][-1]["service"] is None


# --------------------------------------------------------------------------- deploy (pure)

def shop():
    return load_project(definition=SHOP, name="shop", read=None)


def test_container_items_states():
    items, waves, services = deploy.container_items(shop(), "stopped")
    assert [i["state"] for i in items] == ["stopped"] * 3 and services == ["db", "migrate", "web"]
    items, _w, _s = deploy.container_items(shop(), "restarted")
    assert [i["state"] for i in items] == ["restarted"] * 3
    items, _w, _s = deploy.container_items(shop(), "absent")
    assert items[0] == {"name": "shop-web-1", "state": "absent"}
    definition = {"services": {"a": {"image": IMG, "healthcheck": {"test": "true"}}, "b": {"image": IMG}}}
    project = load_project(definition=definition, name="p", read=None)
    items, _w, _s = deploy.container_items(project, "present", wait=True)
    assert [i["state"] for i in items] == ["healthy", "started"]
    items, _w, _s = deploy.container_items(project, "present", wait=False)
    assert [i["state"] for i in items] == ["started", "started"]


def test_completed_dependency_left_alone_once_it_exited_zero():
    done = {"State": {"Running": False, "ExitCode": 0, "StartedAt": "2026-01-01T00:00:00Z"}}
    items, _w, _s = deploy.container_items(shop(), "present", existing={"shop-migrate-1": done})
    assert items[1]["state"] == "present" and "detach" not in items[1]
    failed = {"State": {"Running": False, "ExitCode": 1, "StartedAt": "2026-01-01T00:00:00Z"}}
    items, _w, _s = deploy.container_items(shop(), "present", existing={"shop-migrate-1": failed})
    assert items[1]["detach"] is False


def test_completed_dependency_created_but_never_run_is_run():
    # what the engine reports for a container that was created and never started: exit code 0, the zero time
    never_ran = {"State": {"Status": "created", "Running": False, "ExitCode": 0,
                           "StartedAt": "0001-01-01T00:00:00Z"}}
    items, _w, _s = deploy.container_items(shop(), "present", existing={"shop-migrate-1": never_ran})
    assert items[1]["detach"] is False and items[1]["state"] == "started"
    running = {"State": {"Status": "running", "Running": True, "ExitCode": 0, "StartedAt": "2026-01-01T00:00:00Z"}}
    items, _w, _s = deploy.container_items(shop(), "present", existing={"shop-migrate-1": running})
    assert items[1]["detach"] is False


def test_orphans_only_of_this_project_and_not_one_off():
    listed = [
        {"Names": ["/a"], "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.service": "gone"}},
        {"Names": ["/b"], "Labels": {"com.docker.compose.project": "other", "com.docker.compose.service": "gone"}},
        {"Names": ["/c"], "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.service": "gone",
                                     "com.docker.compose.oneoff": "True"}},
        {"Names": ["/d"], "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.service": "db"}},
    ]
    assert deploy.orphans(listed, shop()) == ["a"]


def test_object_plan():
    net = {"key": "n", "name": "p_n"}
    assert deploy.object_plan("network", net, None, "present") == "create"
    assert deploy.object_plan("network", net, {"Id": "x"}, "present") is None
    assert deploy.object_plan("network", net, {"Id": "x"}, "absent") == "remove"
    assert deploy.object_plan("volume", net, {"Name": "x"}, "absent") is None
    assert deploy.object_plan("volume", net, {"Name": "x"}, "absent", remove_volumes=True) == "remove"
    ext = {"key": "e", "name": "shared", "external": True}
    assert deploy.object_plan("network", ext, {"Id": "x"}, "absent") is None
    with pytest.raises(ComposeError, match="networks.e: external network shared does not exist"):
        deploy.object_plan("network", ext, None, "present")
    with pytest.raises(ComposeError, match=r"volumes.n: volume p_n exists with other settings \(driver differ"):
        deploy.object_plan("volume", net, {"Name": "x"}, "present", ["driver"])


def test_network_and_volume_desired():
    project = load_project(definition={"services": {"a": {"image": IMG, "networks": ["n"], "volumes": ["v:/v"]}},
                                       "networks": {"n": {"driver_opts": {"mtu": "1400"}, "internal": True,
                                                          "ipam": {"config": [{"subnet": "172.31.0.0/24"}]}}},
                                       "volumes": {"v": {"driver_opts": {"type": "tmpfs"}}}}, name="p", read=None)
    desired = deploy.network_desired(project.networks["n"])
    kwargs = deploy.network_create_kwargs(project.networks["n"], desired)
    assert kwargs["options"] == {"mtu": "1400"} and kwargs["internal"] is True
    assert kwargs["ipam"]["Config"] == [{"Subnet": "172.31.0.0/24"}]
    vol = deploy.volume_desired(project.volumes["v"])
    assert vol == {"driver": "local", "driver_options": {"type": "tmpfs"},
                   "labels": {"com.docker.compose.project": "p", "com.docker.compose.volume": "v"}}
    assert volumes.differences(vol, volumes.actual({"Driver": "local", "Options": {"type": "tmpfs"},
                                                    "Labels": dict(vol["labels"], extra="1")})) == {}
    assert volumes.differences(vol, volumes.actual({"Driver": "local", "Options": {}, "Labels": {}})) == {
        "driver_options": {}, "labels": {}}
    bad = load_project(definition={"services": {"a": {"image": IMG, "networks": ["n"]}},
                                   "networks": {"n": {"ipam": {"config": [{"subnet": "nonsense"}]}}}},
                       name="p", read=None)
    with pytest.raises(ComposeError, match="networks.n: subnet 'nonsense'"):
        deploy.network_desired(bad.networks["n"])
