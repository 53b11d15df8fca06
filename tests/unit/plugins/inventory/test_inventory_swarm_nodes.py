"""dockyard.docker.swarm_nodes: addresses, host variables and groups from ``GET /nodes`` documents."""

import copy

from inventory_harness import members, run_plugin

from ansible_collections.dockyard.docker.plugins.inventory import swarm_nodes as plugin

LEADER = {
    "ID": "n1id",
    "Description": {"Hostname": "mgr1", "Engine": {"EngineVersion": "20.10.24"}},
    "Spec": {"Role": "manager", "Availability": "active", "Labels": {"zone": "eu-1", "disk.ssd": "true"}},
    # a manager that advertised no address reports 0.0.0.0; its manager endpoint has the address
    "Status": {"State": "ready", "Addr": "0.0.0.0"},
    "ManagerStatus": {"Leader": True, "Reachability": "reachable", "Addr": "172.30.0.2:2377"},
}
MANAGER = {
    "ID": "n2id",
    "Description": {"Hostname": "mgr2"},
    "Spec": {"Role": "manager", "Availability": "drain"},
    "Status": {"State": "ready", "Addr": "172.30.0.3"},
    "ManagerStatus": {"Reachability": "unreachable", "Addr": "172.30.0.3:2377"},
}
WORKER = {
    "ID": "n3id",
    "Description": {"Hostname": "wrk1"},
    "Spec": {"Role": "worker", "Availability": "pause", "Labels": {}},
    "Status": {"State": "down", "Addr": "172.30.0.4"},
}
OPTIONS = dict(default_groups=True, verbose_output=False, include_host_uri=False, include_host_uri_port=2376)


def test_node_address():
    assert plugin.node_address(LEADER) == "172.30.0.2"
    assert plugin.node_address(WORKER) == "172.30.0.4"
    v6 = dict(LEADER, ManagerStatus={"Addr": "[fd00::2]:2377"})
    assert plugin.node_address(v6) == "fd00::2"
    assert plugin.node_address({"Status": {}}) is None


def test_node_vars():
    assert plugin.node_vars(LEADER) == dict(
        ansible_host="172.30.0.2", swarm_node_id="n1id", swarm_hostname="mgr1", swarm_role="manager",
        swarm_availability="active", swarm_state="ready", swarm_labels={"zone": "eu-1", "disk.ssd": "true"},
        swarm_leader=True, swarm_reachability="reachable", swarm_engine_version="20.10.24")
    worker = plugin.node_vars(WORKER, verbose=True, host_uri_port=2376)
    assert worker["swarm_leader"] is False and worker["swarm_reachability"] is None
    assert worker["docker_swarm_node_attributes"] == WORKER
    assert worker["ansible_host_uri"] == "tcp://172.30.0.4:2376"
    assert plugin.node_vars(dict(WORKER, Status={"Addr": "fd00::4"}), host_uri_port=2376)["ansible_host_uri"] == \
        "tcp://[fd00::4]:2376"


def test_node_groups():
    assert plugin.node_groups(plugin.node_vars(LEADER)) == [
        "managers", "leader", "swarm_availability_active", "swarm_state_ready", "swarm_label_disk_ssd_true",
        "swarm_label_zone_eu_1"]
    assert plugin.node_groups(plugin.node_vars(MANAGER)) == [
        "managers", "nonleaders", "swarm_availability_drain", "swarm_state_ready"]
    assert plugin.node_groups(plugin.node_vars(WORKER)) == [
        "workers", "nonleaders", "swarm_availability_pause", "swarm_state_down"]


def test_node_records_are_named_by_host_name():
    nameless = copy.deepcopy(WORKER)
    nameless["Description"] = {}
    names = [name for name, _v, _g in plugin.node_records([WORKER, LEADER, nameless], OPTIONS)]
    assert names == ["mgr1", "n3id", "wrk1"]
    assert plugin.node_records([LEADER], dict(OPTIONS, default_groups=False))[0][2] == []


def test_plugin_groups_keyed_groups_and_filters():
    config = dict(keyed_groups=[dict(key="swarm_labels.zone | default('none')", prefix="zone")],
                  filters=[{"exclude": "swarm_state == 'down'"}], include_host_uri=True)
    inventory = run_plugin(plugin.InventoryModule(), config, [LEADER, MANAGER, WORKER])
    assert sorted(inventory.hosts) == ["mgr1", "mgr2"]
    assert members(inventory, "managers") == ["mgr1", "mgr2"]
    assert members(inventory, "leader") == ["mgr1"] and members(inventory, "nonleaders") == ["mgr2"]
    assert members(inventory, "zone_eu_1") == ["mgr1"] and members(inventory, "zone_none") == ["mgr2"]
    assert members(inventory, "swarm_availability_drain") == ["mgr2"]
    assert inventory.get_host("mgr1").vars["ansible_host"] == "172.30.0.2"
    assert inventory.get_host("mgr2").vars["ansible_host_uri"] == "tcp://172.30.0.3:2376"


class NotAManager(Exception):
    """What the SDK raises on a worker or a standalone engine (an APIError with this explanation, HTTP 503)."""

    status_code = 503
    explanation = "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state."


def test_not_a_manager_is_recognised():
    # what a real worker answers is checked in the `reach` scenario
    assert plugin.not_a_manager(NotAManager())
    assert not plugin.not_a_manager(Exception("connection refused"))


def test_plugin_config_file_name(tmp_path):
    module = plugin.InventoryModule()
    for name, ok in (("prod.swarm_nodes.yml", True), ("swarm_nodes.yaml", True), ("containers.yml", False),
                     ("swarm_nodes.json", False)):
        path = tmp_path / name
        path.write_text("plugin: dockyard.docker.swarm_nodes\n")
        assert module.verify_file(str(path)) is ok, name
