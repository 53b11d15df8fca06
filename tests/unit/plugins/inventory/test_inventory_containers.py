"""dockyard.docker.containers: host variables, groups, connection variables, filters and constructed options,
from inspect documents (no engine: ``fetch`` is the only part that reads one, and it is replaced by the data)."""

import copy

import pytest
from ansible.errors import AnsibleError, AnsibleParserError
from inventory_harness import members, run_plugin

from ansible_collections.dockyard.docker.plugins.inventory import containers as plugin
from ansible_collections.dockyard.docker.plugins.plugin_utils.inventory import (
    check_filters,
    filter_decision,
    safe_group_name,
)

WEB = {
    "Id": "a" * 64,
    "Name": "/web-1",
    "Image": "sha256:" + "1" * 64,
    "Config": {"Image": "registry.example:5000/shop/web:2.1", "Labels": {"app": "web", "com.example/tier": "front"}},
    "State": {"Status": "running", "Running": True},
    "NetworkSettings": {
        "Networks": {"shop_net": {}, "bridge": {}},
        "Ports": {"22/tcp": [{"HostIp": "0.0.0.0", "HostPort": "2222"}, {"HostIp": "::", "HostPort": "2222"}],
                  "80/tcp": None},
    },
}
DB = {
    "Id": "b" * 64,
    "Name": "/db",
    "Image": "sha256:" + "2" * 64,
    "Config": {"Image": "redis", "Labels": {"app": "db", "backup": ""}},
    "State": {"Status": "exited", "Running": False},
    "NetworkSettings": {"Networks": {"shop_net": {}}, "Ports": {"22/tcp": [{"HostIp": "10.0.0.5", "HostPort": "22"}]}},
}
LONE = {
    "Id": "c" * 64,
    "Name": "/lone",
    "Image": "sha256:" + "3" * 64,
    "Config": {"Image": "busybox", "Labels": None},
    "State": {"Status": "created"},
    "NetworkSettings": {"Networks": {}, "Ports": {}},
}
LOCAL = dict(name="local", prefix="", params=dict(docker_host="unix:///var/run/docker.sock", timeout=60,
                                                  tls_ca_cert=None, tls_client_cert=None, tls_client_key=None,
                                                  validate_certs=True))
OPTIONS = dict(connection_type="docker-api", private_ssh_port=22, default_ip="127.0.0.1", default_groups=True,
               verbose_output=False)


# ------------------------------------------------------------------------------------------- pure parts
def test_engine_name_from_docker_host():
    assert plugin.engine_name("unix:///var/run/docker.sock") == "local"
    assert plugin.engine_name(None) == "local"
    assert plugin.engine_name("tcp://node1.example.com:2376") == "node1.example.com"
    assert plugin.engine_name("tcp://10.0.0.5:2376") == "10.0.0.5"
    assert plugin.engine_name("tcp://[fd00::5]:2376") == "fd00::5"
    assert plugin.engine_name("ssh://admin@node3") == "admin@node3"


def test_container_vars():
    hostvars = plugin.container_vars(WEB, LOCAL)
    assert hostvars == dict(
        docker_name="web-1", docker_id="a" * 64, docker_short_id="a" * 12,
        docker_image="registry.example:5000/shop/web:2.1", docker_image_id="sha256:" + "1" * 64,
        docker_status="running", docker_labels={"app": "web", "com.example/tier": "front"},
        docker_networks=["bridge", "shop_net"], docker_engine="local")
    assert plugin.container_vars(LONE, LOCAL)["docker_labels"] == {}


def test_verbose_output_adds_every_inspect_key_in_lower_case():
    hostvars = plugin.container_vars(WEB, LOCAL, verbose=True)
    assert hostvars["docker_state"] == WEB["State"]
    assert hostvars["docker_networksettings"] == WEB["NetworkSettings"]
    assert hostvars["docker_config"] == WEB["Config"]


def test_default_groups_are_sanitised():
    groups = plugin.container_groups(plugin.container_vars(WEB, LOCAL))
    assert groups == ["docker_status_running", "docker_image_registry_example_5000_shop_web_2_1",
                      "docker_network_bridge", "docker_network_shop_net", "docker_label_app_web",
                      "docker_label_com_example_tier_front", "docker_engine_local"]
    # a label without a value is a group of its key
    assert "docker_label_backup" in plugin.container_groups(plugin.container_vars(DB, LOCAL))


def test_safe_group_name():
    assert safe_group_name("docker_label", "com.docker.compose.project", "shop-1") == \
        "docker_label_com_docker_compose_project_shop_1"
    assert safe_group_name("a", "", "b") == "a_b"


def test_docker_api_connection_vars_carry_the_engine_options_that_are_set():
    tls = copy.deepcopy(LOCAL)
    tls["params"].update(docker_host="tcp://node1:2376", tls_ca_cert="/pki/ca.pem", tls_client_cert="/pki/c.pem",
                         tls_client_key="/pki/k.pem")
    assert plugin.connection_vars(WEB, tls, "docker-api") == dict(
        ansible_connection="dockyard.docker.docker_api", ansible_host="web-1",
        ansible_docker_host="tcp://node1:2376", ansible_docker_timeout=60, ansible_docker_tls_ca_cert="/pki/ca.pem",
        ansible_docker_tls_client_cert="/pki/c.pem", ansible_docker_tls_client_key="/pki/k.pem",
        ansible_docker_validate_certs=True)
    assert "ansible_docker_tls_ca_cert" not in plugin.connection_vars(WEB, LOCAL, "docker-api")


def test_ssh_connection_vars_use_the_published_port():
    # published on every address: the unix engine's default_ip, a tcp engine's own host
    assert plugin.connection_vars(WEB, LOCAL, "ssh", 22, "192.0.2.1") == dict(
        ansible_connection="ssh", ansible_host="192.0.2.1", ansible_port=2222)
    remote = copy.deepcopy(LOCAL)
    remote["params"]["docker_host"] = "tcp://node7:2376"
    assert plugin.connection_vars(WEB, remote, "ssh")["ansible_host"] == "node7"
    # published on one address: that address
    assert plugin.connection_vars(DB, remote, "ssh") == dict(ansible_connection="ssh", ansible_host="10.0.0.5",
                                                             ansible_port=22)
    # published on every IPv6 address only, or with no address
    for any_address in ("::", ""):
        v6 = copy.deepcopy(WEB)
        v6["NetworkSettings"]["Ports"]["22/tcp"] = [{"HostIp": any_address, "HostPort": "2200"}]
        assert plugin.connection_vars(v6, LOCAL, "ssh")["ansible_host"] == "127.0.0.1"
    # another private port: not published, not reachable
    assert plugin.connection_vars(WEB, LOCAL, "ssh", 2022) is None
    assert plugin.connection_vars(WEB, LOCAL, "none") == {}


def test_records_leave_out_containers_ssh_cannot_reach():
    names = [name for name, _v, _g in plugin.container_records(
        [LOCAL], {"local": [WEB, LONE]}, dict(OPTIONS, connection_type="ssh"))]
    assert names == ["web-1"]


def test_resolve_engines_inherits_the_top_level_options():
    top = dict(LOCAL["params"], tls_ca_cert="/pki/ca.pem")
    engines = plugin.resolve_engines(top, [dict(docker_host="tcp://n1:2376"),
                                           dict(docker_host="tcp://n2:2376", name="second", prefix="n2-",
                                                tls_ca_cert="/other/ca.pem")])
    assert [(e["name"], e["prefix"], e["params"]["tls_ca_cert"]) for e in engines] == [
        ("n1", "", "/pki/ca.pem"), ("second", "n2-", "/other/ca.pem")]
    assert plugin.resolve_engines(top, None)[0]["name"] == "local"
    with pytest.raises(AnsibleParserError, match="both named 'n1'"):
        plugin.resolve_engines(top, [dict(docker_host="tcp://n1:2376"), dict(docker_host="tcp://n1:2377")])


def test_same_container_name_on_two_engines_needs_a_prefix():
    other = dict(copy.deepcopy(LOCAL), name="node2")
    with pytest.raises(AnsibleParserError, match="web-1 is a container on engine local and on engine node2.*prefix"):
        plugin.container_records([LOCAL, other], {"local": [WEB], "node2": [WEB]}, OPTIONS)
    other["prefix"] = "node2-"
    names = [name for name, _v, _g in plugin.container_records([LOCAL, other], {"local": [WEB], "node2": [WEB]},
                                                               OPTIONS)]
    assert names == ["web-1", "node2-web-1"]


def test_filter_decision_first_true_condition_decides():
    filters = [{"exclude": "db"}, {"include": "web"}, {"exclude": "all"}]
    truth = {"db": False, "web": True, "all": True}
    assert filter_decision(filters, truth.get) is True
    truth["db"] = True
    assert filter_decision(filters, truth.get) is False
    assert filter_decision([{"include": "web"}], {"web": False}.get) is True  # nothing matched: kept
    assert filter_decision([], None) is True


@pytest.mark.parametrize("bad", [["x"], [{"include": "a", "exclude": "b"}], [{"keep": "a"}]])
def test_filter_shape_is_checked(bad):
    with pytest.raises(AnsibleParserError, match="include or exclude"):
        check_filters(bad)


# ------------------------------------------------------------------------------------------- the plugin, end to end
def test_plugin_hosts_groups_and_vars():
    inventory = run_plugin(plugin.InventoryModule(), {}, {"local": [WEB, DB, LONE]})
    assert sorted(inventory.hosts) == ["db", "lone", "web-1"]
    assert members(inventory, "docker_status_running") == ["web-1"]
    assert members(inventory, "docker_status_exited") == ["db"]
    assert members(inventory, "docker_network_shop_net") == ["db", "web-1"]
    assert members(inventory, "docker_label_app_db") == ["db"]
    assert members(inventory, "docker_engine_local") == ["db", "lone", "web-1"]
    web = inventory.get_host("web-1").vars
    assert web["ansible_connection"] == "dockyard.docker.docker_api" and web["ansible_host"] == "web-1"
    assert web["docker_labels"]["com.example/tier"] == "front"


def test_plugin_filters_keyed_groups_groups_compose():
    config = dict(
        default_groups=False,
        filters=[{"exclude": "docker_status == 'created'"}, {"include": "docker_labels.app in ['web', 'db']"},
                 {"exclude": True}],
        keyed_groups=[dict(key="docker_labels.app", prefix="app"), dict(key="docker_networks", prefix="net"),
                      dict(key="docker_name", prefix="name")],
        groups=dict(stopped="docker_status != 'running'"),
        compose=dict(app_port="8080 if docker_labels.app == 'web' else 6379"),
    )
    inventory = run_plugin(plugin.InventoryModule(), config, {"local": [WEB, DB, LONE]})
    assert sorted(inventory.hosts) == ["db", "web-1"]
    assert members(inventory, "app_web") == ["web-1"] and members(inventory, "app_db") == ["db"]
    assert members(inventory, "net_shop_net") == ["db", "web-1"] and members(inventory, "net_bridge") == ["web-1"]
    assert members(inventory, "stopped") == ["db"]
    # keyed groups are named by the default groups' rule: "web-1" -> name_web_1
    assert members(inventory, "name_web_1") == ["web-1"] and "name_web-1" not in inventory.groups
    assert "docker_status_running" not in inventory.groups
    assert inventory.get_host("web-1").vars["app_port"] == 8080
    assert inventory.get_host("db").vars["app_port"] == 6379


def test_plugin_filter_yaml_boolean_ends_the_list():
    config = dict(filters=[{"include": "docker_name == 'db'"}, {"exclude": True}])
    assert list(run_plugin(plugin.InventoryModule(), config, {"local": [WEB, DB, LONE]}).hosts) == ["db"]
    config = dict(filters=[{"exclude": False}, {"include": False}])
    assert sorted(run_plugin(plugin.InventoryModule(), config, {"local": [WEB, DB]}).hosts) == ["db", "web-1"]


def test_plugin_strict_filter_error():
    config = dict(strict=True, filters=[{"include": "no_such_var == 1"}, {"exclude": "true"}])
    with pytest.raises(AnsibleError, match="filters: could not evaluate"):
        run_plugin(plugin.InventoryModule(), config, {"local": [WEB]})
    # not strict: the failing filter does not match, the next one decides
    config["strict"] = False
    assert list(run_plugin(plugin.InventoryModule(), config, {"local": [WEB]}).hosts) == []
    config["filters"] = [{"include": "no_such_var == 1"}]
    assert list(run_plugin(plugin.InventoryModule(), config, {"local": [WEB]}).hosts) == ["web-1"]


def test_plugin_config_file_name(tmp_path):
    module = plugin.InventoryModule()
    for name, ok in (("shop.containers.yml", True), ("containers.yaml", True), ("docker.yml", False)):
        path = tmp_path / name
        path.write_text("plugin: dockyard.docker.containers\n")
        assert module.verify_file(str(path)) is ok, name


def test_plugin_cache_serves_the_next_parse_and_groups_are_computed_again():
    cache = {}
    first = run_plugin(plugin.InventoryModule(), dict(cache=True), {"local": [WEB]}, cache=cache)
    assert list(first.hosts) == ["web-1"] and list(cache.values()) == [{"local": [WEB]}]
    # the engine is not read again (a fetch would fail), and a changed grouping option applies to cached data
    again = run_plugin(plugin.InventoryModule(), dict(cache=True, groups=dict(web="docker_labels.app == 'web'")),
                       None, cache=cache)
    assert members(again, "web") == ["web-1"]
    # --flush-cache (cache=False from Ansible) reads the engine and refreshes the cache
    fresh = run_plugin(plugin.InventoryModule(), dict(cache=True), {"local": [DB]}, cache=cache, use_cache=False)
    assert list(fresh.hosts) == ["db"] and list(cache.values()) == [{"local": [DB]}]
