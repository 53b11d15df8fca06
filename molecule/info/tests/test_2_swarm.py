"""swarm_info, swarm_node_info, swarm_service_info, stack_info and stack_task_info against the CLI on the node;
manager data asked of the worker is refused with a clear error."""

from conftest import MANAGER, WORKER, docker_json, docker_lines, node_sh, run_apply


def _by_id(rows):
    return dict((row["ID"], row) for row in rows)


def test_swarm_facts_are_the_managers_cluster(probe):
    answer = probe[MANAGER]["swarm"]
    assert answer["can_talk_to_docker"] and answer["docker_swarm_active"] and answer["docker_swarm_manager"]
    cluster = docker_json(MANAGER, "info --format '{{json .Swarm.Cluster}}'")
    assert answer["swarm_facts"]["ID"] == cluster["ID"]
    assert answer["swarm_facts"]["Spec"] == cluster["Spec"]
    assert answer["swarm_facts"]["JoinTokens"]["Worker"] == node_sh(MANAGER, "docker swarm join-token -q worker").stdout.strip()
    # autolock is off: there is no unlock key
    assert cluster["Spec"]["EncryptionConfig"]["AutoLockManagers"] is False
    assert answer["swarm_unlock_key"] is None


def test_swarm_nodes_are_docker_node_ls(probe):
    nodes = probe[MANAGER]["swarm"]["nodes"]
    cli = docker_lines(MANAGER, "node ls")
    by_host = dict((n["Hostname"], n) for n in nodes)
    assert sorted(by_host) == sorted(row["Hostname"] for row in cli) == [MANAGER, WORKER]
    for row in cli:
        node = by_host[row["Hostname"]]
        assert node["ID"].startswith(row["ID"])
        assert node["Status"].lower() == row["Status"].lower()
        assert node["Availability"].lower() == row["Availability"].lower()
        assert (node["ManagerStatus"] or "") == row["ManagerStatus"]
        assert node["EngineVersion"] == row["EngineVersion"]
    assert by_host[MANAGER]["ManagerStatus"] == "Leader" and by_host[WORKER]["ManagerStatus"] is None


def test_swarm_services_and_tasks_are_docker_service_ls_and_ps(probe):
    answer = probe[MANAGER]["swarm"]
    cli = dict((s["Name"], s) for s in docker_lines(MANAGER, "service ls"))
    services = dict((s["Name"], s) for s in answer["services"])
    assert sorted(services) == sorted(cli) == ["info_agent", "info_web"]
    for name, row in cli.items():
        assert services[name]["ID"].startswith(row["ID"])
        assert services[name]["Mode"].lower() == row["Mode"]
        assert services[name]["Image"].split("@")[0] == row["Image"].split("@")[0]
    assert services["info_web"]["Replicas"] == 2 and services["info_agent"]["Replicas"] is None
    for name in cli:
        ids = node_sh(MANAGER, "docker service ps -q --no-trunc %s" % name).stdout.split()
        nodes = node_sh(MANAGER, "docker service ps --format '{{.Node}}' %s" % name).stdout.split()
        mine = [t for t in answer["tasks"] if t["ID"] in ids]
        assert sorted(t["ID"] for t in mine) == sorted(ids)
        assert sorted(t["Node"] for t in mine) == sorted(nodes)


def test_swarm_info_filters_reach_the_engine(probe):
    answer = probe[MANAGER]["swarm_filtered"]
    assert [n["Hostname"] for n in answer["nodes"]] == [WORKER]
    assert [s["Name"] for s in answer["services"]] == ["info_agent"]
    running = node_sh(MANAGER, "docker service ps -q --no-trunc -f desired-state=running info_web").stdout.split()
    assert sorted(t["ID"] for t in answer["tasks"]) == sorted(running) and len(running) == 2


def test_swarm_node_info_is_docker_node_inspect(probe):
    every, named, own = probe[MANAGER]["node"]
    ids = node_sh(MANAGER, "docker node ls -q").stdout.split()
    cli = _by_id(docker_json(MANAGER, "node inspect %s" % " ".join(ids)))
    assert sorted(n["ID"] for n in every["nodes"]) == sorted(cli)
    for node in every["nodes"]:
        for key in ("ID", "Spec", "Description", "ManagerStatus"):
            assert node.get(key) == cli[node["ID"]].get(key), key
    assert [n["Description"]["Hostname"] for n in named["nodes"]] == [WORKER]
    self_id = node_sh(MANAGER, "docker info --format '{{.Swarm.NodeID}}'").stdout.strip()
    assert [n["ID"] for n in own["nodes"]] == [self_id]


def test_swarm_service_info_is_docker_service_inspect(probe):
    found, missing = probe[MANAGER]["service"]
    assert found["exists"] and found["service"] == docker_json(MANAGER, "service inspect info_web")[0]
    assert missing["exists"] is False and missing["service"] is None


def test_stack_info_is_docker_stack_ls(probe):
    assert probe[MANAGER]["stack"]["results"] == docker_lines(MANAGER, "stack ls")


def test_stack_task_info_is_docker_stack_ps(probe):
    found, missing = probe[MANAGER]["stack_task"]
    cli = docker_lines(MANAGER, "stack ps info")
    assert len(found["results"]) == len(cli) >= 3
    mine = _by_id(found["results"])
    for row in cli:
        task = mine[row["ID"]]
        for key in ("Name", "Image", "Node", "DesiredState", "Error", "Ports"):
            assert task[key] == row[key], (key, task, row)
        # "Running 12 seconds ago": the state word is the same, the age moves on
        assert task["CurrentState"].split()[0] == row["CurrentState"].split()[0]
        assert task["CurrentState"].endswith(" ago")
    assert missing["exists"] is False and missing["results"] == []


def test_worker_answers_without_manager_data(probe):
    answer = probe[WORKER]["swarm"]
    assert answer["docker_swarm_active"] is True and answer["docker_swarm_manager"] is False
    assert node_sh(WORKER, "docker info --format '{{.Swarm.ControlAvailable}}'").stdout.strip() == "false"
    assert answer["swarm_facts"] == {} and "nodes" not in answer


def test_manager_data_on_the_worker_is_a_clear_error():
    run = run_apply(WORKER, "swarm_info", {"nodes": True, "tasks": True})
    assert run.rc != 0, run
    result = run.result(WORKER)
    assert "nodes, tasks are only known to swarm managers" in result["msg"] and "is a worker" in result["msg"]
    assert result["docker_swarm_active"] is True and result["docker_swarm_manager"] is False
