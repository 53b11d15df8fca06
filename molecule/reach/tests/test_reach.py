"""Verify of the reach scenario, from the controller: ansible-inventory with each inventory plugin's
configuration against the host engine (the lab's node containers) and against the nodes' own engines over
TLS, compared with `docker ps` / `docker node ls` / `docker inspect`; ansible through the connection plugin
into containers, with the results checked with `docker exec`.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile

import pytest
import testinfra

INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "")
PKI = os.path.join(EPHEMERAL, "pki")
LAB = "m-reach"
NODES = ("reach-node1", "reach-node2")
ENV = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOG_PATH="/dev/null",
           ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="1", ANSIBLE_HOST_KEY_CHECKING="0")


def node(name):
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    return testinfra.get_host("ansible://%s" % name, ansible_inventory=INVENTORY)


def container(host):
    """The host engine's container of a lab node."""
    return "dlab-%s-%s" % (LAB, host)


def docker(*args):
    """The host engine, through its own CLI (the ground truth the plugins are compared with)."""
    return subprocess.run(["docker"] + list(args), capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.fixture(scope="module")
def node1():
    return node("reach-node1")


@pytest.fixture(scope="module")
def addresses():
    return dict((name, node(name).ansible.get_variables()["ansible_host"]) for name in NODES)


def unsafe_free(value):
    """ansible-inventory --list marks engine-sourced strings as unsafe (``{"__ansible_unsafe": ...}``)."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return dict((key, unsafe_free(item)) for key, item in value.items())
    if isinstance(value, list):
        return [unsafe_free(item) for item in value]
    return value


def write_config(tmp_path, name, config):
    path = tmp_path / name
    path.write_text(json.dumps(config))  # JSON is YAML
    return str(path)


def inventory(path):
    proc = subprocess.run(["ansible-inventory", "-i", path, "--list"], capture_output=True, text=True,
                          timeout=120, env=ENV)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return unsafe_free(json.loads(proc.stdout))


def inventory_fails(path):
    proc = subprocess.run(["ansible-inventory", "-i", path, "--list"], capture_output=True, text=True,
                          timeout=120, env=ENV)
    assert proc.returncode != 0, proc.stdout[-2000:]
    return " ".join(proc.stderr.split())


def hosts_of(data, group):
    return sorted(data.get(group, {}).get("hosts", []))


def tls(**extra):
    out = dict(tls_ca_cert=os.path.join(PKI, "ca.pem"), tls_client_cert=os.path.join(PKI, "client.pem"),
               tls_client_key=os.path.join(PKI, "client-key.pem"), timeout=20)
    out.update(extra)
    return out


def adhoc(config, pattern, module, args=None, *extra):
    """``ansible`` ad hoc through an inventory config: ``(rc, {host: result})`` (the tree callback's files)."""
    tree = tempfile.mkdtemp(prefix="reach-tree-")
    try:
        argv = (["ansible", "-i", config, pattern, "-m", module, "--tree", tree]
                + (["-a", json.dumps(args)] if args else []) + list(extra))
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=180, env=ENV, check=False)
        results = {}
        for host in os.listdir(tree):
            with open(os.path.join(tree, host)) as handle:
                results[host] = json.load(handle)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    assert results, "no result (rc=%s):\n%s\n%s" % (proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:])
    return proc.returncode, results


def playbook(config, play):
    proc = subprocess.run(["ansible-playbook", "-i", config, play], capture_output=True, text=True, timeout=300,
                          env=ENV, check=False)
    return proc.returncode, proc.stdout[-4000:] + proc.stderr[-2000:]


# ----------------------------------------------------------------------------- host engine: the lab's node containers
LAB_FILTER = [{"include": "docker_labels['io.dockyard.lab'] | default('') == '%s'" % LAB}, {"exclude": True}]


@pytest.fixture(scope="module")
def host_config(tmp_path_factory):
    return write_config(tmp_path_factory.mktemp("host"), "lab.containers.yml", {
        "plugin": "dockyard.docker.containers",
        "docker_host": "unix:///var/run/docker.sock",
        "filters": LAB_FILTER,
        "keyed_groups": [{"key": "docker_labels['io.dockyard.lab.host']", "prefix": "lab_host"}],
        "compose": {"ansible_python_interpreter": "'/usr/bin/python3'"},
    })


def test_containers_plugin_lists_the_lab_nodes_of_the_host_engine(host_config):
    data = inventory(host_config)
    names = sorted(docker("ps", "-a", "--filter", "label=io.dockyard.lab=%s" % LAB, "--format", "{{.Names}}").split())
    assert names == sorted(container(n) for n in NODES)
    assert sorted(data["_meta"]["hostvars"]) == names
    running = sorted(docker("ps", "--filter", "label=io.dockyard.lab=%s" % LAB, "--format", "{{.Names}}").split())
    assert hosts_of(data, "docker_status_running") == running == names
    assert hosts_of(data, "docker_network_dlab_%s" % LAB.replace("-", "_")) == names
    assert hosts_of(data, "docker_label_io_dockyard_lab_%s" % LAB.replace("-", "_")) == names
    assert hosts_of(data, "docker_engine_local") == names
    for n in NODES:
        assert hosts_of(data, "lab_host_%s" % n.replace("-", "_")) == [container(n)]
        hostvars = data["_meta"]["hostvars"][container(n)]
        inspect = json.loads(docker("inspect", container(n)))[0]
        assert hostvars["docker_id"] == inspect["Id"] and hostvars["docker_short_id"] == inspect["Id"][:12]
        assert hostvars["docker_image"] == inspect["Config"]["Image"]
        assert hosts_of(data, "docker_image_" + re.sub("[^A-Za-z0-9_]", "_", inspect["Config"]["Image"])) == names
        assert hostvars["ansible_connection"] == "dockyard.docker.docker_api"
        assert hostvars["ansible_host"] == container(n)
        assert hostvars["ansible_docker_host"] == "unix:///var/run/docker.sock"


def test_inventory_cache_serves_the_next_run_without_the_engine(tmp_path):
    cache_dir = tmp_path / "cache"
    config = {"plugin": "dockyard.docker.containers", "docker_host": "unix:///var/run/docker.sock",
              "filters": LAB_FILTER, "cache": True, "cache_plugin": "ansible.builtin.jsonfile",
              "cache_connection": str(cache_dir), "cache_timeout": 600}
    path = write_config(tmp_path, "cached.containers.yml", config)
    first = inventory(path)
    assert sorted(first["_meta"]["hostvars"]) == sorted(container(n) for n in NODES)
    assert len(list(cache_dir.iterdir())) == 1
    # the same source file now names an engine that does not exist: the cache answers, and groups are
    # computed from it again (a keyed group added since)
    config.update(docker_host="unix:///nonexistent/docker.sock",
                  keyed_groups=[{"key": "docker_labels['io.dockyard.lab.host']", "prefix": "lab_host"}])
    write_config(tmp_path, "cached.containers.yml", config)
    again = inventory(path)
    assert sorted(again["_meta"]["hostvars"]) == sorted(first["_meta"]["hostvars"])
    assert hosts_of(again, "lab_host_reach_node1") == [container("reach-node1")]
    # --flush-cache reads the engine again, and there is none there
    proc = subprocess.run(["ansible-inventory", "-i", path, "--list", "--flush-cache"], capture_output=True,
                          text=True, timeout=120, env=ENV)
    assert proc.returncode != 0 and "No Docker engine socket" in " ".join(proc.stderr.split()), proc.stderr[-2000:]


def test_ping_through_the_connection_plugin(host_config):
    rc, results = adhoc(host_config, "all", "ansible.builtin.ping")
    assert rc == 0, results
    assert sorted(results) == sorted(container(n) for n in NODES)
    assert all(result.get("ping") == "pong" for result in results.values()), results


def test_copy_and_command_play_through_the_connection_plugin(host_config, tmp_path):
    content = "written through the engine API into %s\n" % container("reach-node1")
    results = tmp_path / "results.json"
    play = tmp_path / "copy.yml"
    play.write_text(json.dumps([{
        "name": "copy + command through dockyard.docker.docker_api",
        "hosts": "lab_host_reach_node1",
        "gather_facts": False,
        "tasks": [
            {"name": "copy", "ansible.builtin.copy": {"dest": "/root/reach-copied", "content": content,
                                                       "mode": "0640"}, "register": "copied"},
            {"name": "sum", "ansible.builtin.command": "sha256sum /root/reach-copied", "register": "sum"},
            {"name": "hostname", "ansible.builtin.command": "hostname", "register": "name"},
            {"name": "fetch", "ansible.builtin.fetch": {"src": "/etc/hostname", "dest": str(tmp_path) + "/",
                                                         "flat": True}},
            {"name": "results", "delegate_to": "localhost", "ansible.builtin.copy": {
                "dest": str(results), "mode": "0600",
                "content": "{{ {'copied': copied.changed, 'sum': sum.stdout, 'name': name.stdout} | to_json }}"}},
        ],
    }]))
    host = container("reach-node1")
    rc, out = playbook(host_config, str(play))
    assert rc == 0, out
    expected = hashlib.sha256(content.encode()).hexdigest()
    # inside the container, as the engine itself sees it
    assert docker("exec", host, "sha256sum", "/root/reach-copied").split()[0] == expected
    assert docker("exec", host, "stat", "-c", "%a %U", "/root/reach-copied").split() == ["640", "root"]
    first = json.loads(results.read_text())
    assert first["copied"] is True and first["sum"].split()[0] == expected and first["name"] == "reach-node1"
    assert (tmp_path / "hostname").read_text().strip() == "reach-node1"
    # the same copy again changes nothing
    rc, out = playbook(host_config, str(play))
    assert rc == 0 and json.loads(results.read_text())["copied"] is False, out


def root_password():
    with open(os.path.join(EPHEMERAL, "root-password")) as handle:
        return handle.read().split()[0]


def test_become_with_su_answers_the_password_prompt(host_config):
    host = container("reach-node2")
    become = ["-u", "reacher", "-b", "--become-method", "ansible.builtin.su",
              "-e", json.dumps({"ansible_become_password": root_password()})]
    rc, results = adhoc(host_config, "lab_host_reach_node2", "ansible.builtin.copy",
                        {"dest": "/root/by-su", "content": "become\n", "mode": "0600"}, *become)
    assert rc == 0, results
    # run as reacher (the exec user), became root: the file is root's, in root's home
    assert docker("exec", host, "stat", "-c", "%U %a", "/root/by-su").split() == ["root", "600"]
    rc, results = adhoc(host_config, "lab_host_reach_node2", "ansible.builtin.command", None, "-a", "id -un",
                        *become)
    assert rc == 0 and results[host]["stdout"] == "root", results
    rc, results = adhoc(host_config, "lab_host_reach_node2", "ansible.builtin.command", None, "-a", "id -un",
                        "-u", "reacher")
    assert rc == 0 and results[host]["stdout"] == "reacher", results


def test_become_with_a_wrong_password_fails_saying_so(host_config):
    rc, results = adhoc(host_config, "lab_host_reach_node2", "ansible.builtin.command", None, "-a", "id -un",
                        "-u", "reacher", "-b", "--become-method", "ansible.builtin.su",
                        "-e", '{"ansible_become_password": "not-it"}')
    msg = results[container("reach-node2")].get("msg", "")
    assert rc != 0 and "did not succeed with the become password given" in msg and "Authentication failure" in msg


# ----------------------------------------------------------------------------- the nodes' own engines, over TLS
@pytest.fixture(scope="module")
def nodes_config(tmp_path_factory, addresses):
    return write_config(tmp_path_factory.mktemp("nodes"), "nodes.containers.yml", dict(tls(), **{
        "plugin": "dockyard.docker.containers",
        "engines": [{"docker_host": "tcp://%s:2376" % addresses["reach-node1"], "name": "node1"},
                    {"docker_host": "tcp://%s:2376" % addresses["reach-node2"], "name": "node2",
                     "prefix": "node2-"}],
        "keyed_groups": [{"key": "docker_labels.app | default('none')", "prefix": "app"}],
        "compose": {"ansible_python_interpreter": "'/usr/bin/python3'"},
    }))


def test_containers_plugin_over_tls_on_two_engines(nodes_config, node1, addresses):
    data = inventory(nodes_config)
    on_node1 = sorted(node1.check_output("docker ps -a --format '{{.Names}}'").split())
    assert {"reach-web", "reach-idle"} <= set(on_node1)
    on_node2 = sorted("node2-" + name for name in
                      node("reach-node2").check_output("docker ps -a --format '{{.Names}}'").split())
    assert sorted(data["_meta"]["hostvars"]) == sorted(on_node1 + on_node2)
    assert hosts_of(data, "docker_engine_node1") == on_node1
    assert hosts_of(data, "docker_engine_node2") == on_node2
    running = node1.check_output("docker ps --filter label=app --format '{{.Names}}'").split()
    assert [h for h in hosts_of(data, "docker_status_running") if h in ("reach-web", "reach-idle")] == running \
        == ["reach-web"]
    status = node1.check_output("docker inspect -f '{{.State.Status}}' reach-idle")
    assert hosts_of(data, "docker_status_" + status) == ["reach-idle"]
    assert hosts_of(data, "docker_label_app_web") == ["reach-web"] == hosts_of(data, "app_web")
    assert hosts_of(data, "docker_label_tier_front") == ["reach-web"]
    assert hosts_of(data, "app_batch") == ["reach-idle"]
    web = data["_meta"]["hostvars"]["reach-web"]
    assert web["docker_id"] == node1.check_output("docker inspect -f '{{.Id}}' reach-web")
    assert web["ansible_docker_host"] == "tcp://%s:2376" % addresses["reach-node1"]
    assert web["ansible_docker_tls_ca_cert"] == os.path.join(PKI, "ca.pem")


def test_connection_plugin_over_tls(nodes_config, node1):
    rc, results = adhoc(nodes_config, "reach-web", "ansible.builtin.copy", {"dest": "/tmp/over-tls", "content": "tls\n"})
    assert rc == 0 and results["reach-web"]["changed"] is True, results
    assert node1.check_output("docker exec reach-web cat /tmp/over-tls") == "tls"
    rc, results = adhoc(nodes_config, "reach-idle", "ansible.builtin.ping")
    assert rc != 0 and "is created, not running: start it" in results["reach-idle"]["msg"], results


def test_plain_tcp_is_refused(tmp_path, addresses):
    path = write_config(tmp_path, "plain.containers.yml", {
        "plugin": "dockyard.docker.containers", "docker_host": "tcp://%s:2376" % addresses["reach-node1"]})
    assert "is plain TCP without TLS" in inventory_fails(path)


def test_swarm_nodes_plugin_over_tls(tmp_path, node1, addresses):
    path = write_config(tmp_path, "reach.swarm_nodes.yml", dict(tls(), **{
        "plugin": "dockyard.docker.swarm_nodes",
        "docker_host": "tcp://%s:2376" % addresses["reach-node1"],
        "include_host_uri": True,
        "keyed_groups": [{"key": "swarm_labels.zone", "prefix": "zone"}],
    }))
    data = inventory(path)
    listed = node1.check_output("docker node ls --format '{{.Hostname}} {{.ManagerStatus}} {{.Availability}}'")
    rows = dict((line.split()[0], line.split()[1:]) for line in listed.splitlines())
    assert sorted(data["_meta"]["hostvars"]) == sorted(rows) == list(NODES)
    assert rows["reach-node1"][0] == "Leader" and len(rows["reach-node2"]) == 1
    assert hosts_of(data, "managers") == ["reach-node1"] == hosts_of(data, "leader")
    assert hosts_of(data, "workers") == ["reach-node2"] == hosts_of(data, "nonleaders")
    assert hosts_of(data, "swarm_availability_active") == list(NODES)
    assert hosts_of(data, "swarm_state_ready") == list(NODES)
    assert hosts_of(data, "swarm_label_zone_a") == ["reach-node1"] == hosts_of(data, "zone_a")
    assert hosts_of(data, "swarm_label_zone_b") == ["reach-node2"] == hosts_of(data, "zone_b")
    for name in NODES:
        hostvars = data["_meta"]["hostvars"][name]
        assert hostvars["ansible_host"] == addresses[name]
        assert hostvars["swarm_node_id"] == node1.check_output("docker node inspect -f '{{.ID}}' %s" % name)
        assert hostvars["ansible_host_uri"] == "tcp://%s:2376" % addresses[name]


def test_swarm_nodes_plugin_on_a_worker_says_to_use_a_manager(tmp_path, addresses):
    path = write_config(tmp_path, "worker.swarm_nodes.yml", dict(tls(), **{
        "plugin": "dockyard.docker.swarm_nodes", "docker_host": "tcp://%s:2376" % addresses["reach-node2"]}))
    assert "is not a swarm manager" in inventory_fails(path)
