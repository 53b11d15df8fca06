"""The stack scenario, in order: what converge deployed (specs against the file, placement, secret, config,
volume), DNS discovery, nothing secret in the -vvv log, check mode, a rolling update, prune, `docker stack rm`
by the CLI, adoption of a CLI-deployed stack, bad inputs. Everything is read from the nodes' engines."""

import pytest

from swarm_helpers import (
    EPHEMERAL,
    MANAGERS,
    NODES,
    WORKERS,
    ansible_module,
    docker_json,
    http_from_task,
    node_sh,
    running_tasks,
    wait_for,
)

testinfra_hosts = ["swarm-m1"]

M1 = "swarm-m1"
STACK = "shop"
FILE = "/srv/stack/shop.yml"
PASSWORD = "stack-db-pw-7f3a91c2"
NAMESPACE = "com.docker.stack.namespace"


def spec(service):
    return docker_json(M1, "service inspect %s_%s" % (STACK, service))[0]


def labelled(kind, stack=STACK):
    listing = {"service": "service ls", "network": "network ls", "secret": "secret ls", "config": "config ls"}[kind]
    out = node_sh(M1, "docker %s -q --filter label=%s=%s" % (listing, NAMESPACE, stack)).stdout.split()
    return out


def deploy(args=None, extra=()):
    return ansible_module(M1, "dockyard.docker.stack", dict(dict(name=STACK, compose=[FILE]), **(args or {})),
                          extra=extra)


def task_container(service):
    """(node, container id) of a running task of the service."""
    task = wait_for(lambda: running_tasks("%s_%s" % (STACK, service)), what="a running %s task" % service)[0]
    return task["_node"], task["Status"]["ContainerStatus"]["ContainerID"]


def test_the_cli_lists_the_stack_and_its_services():
    stacks = node_sh(M1, "docker stack ls --format '{{.Name}} {{.Services}}'").stdout.split("\n")
    assert "shop 3" in stacks
    names = set(node_sh(M1, "docker stack services shop --format '{{.Name}}'").stdout.split())
    assert names == {"shop_web", "shop_db", "shop_agent"}


def test_specs_match_the_file():
    web, db, agent = spec("web")["Spec"], spec("db")["Spec"], spec("agent")["Spec"]
    for name, service in (("web", web), ("db", db), ("agent", agent)):
        assert service["Labels"][NAMESPACE] == STACK
        assert service["Labels"]["com.docker.stack.image"].startswith("dockyard-lab/app:")
        assert service["TaskTemplate"]["ContainerSpec"]["Labels"] == {NAMESPACE: STACK}
        assert service["EndpointSpec"]["Mode"] == "dnsrr"
        nets = service["TaskTemplate"]["Networks"]
        assert len(nets) == 1 and nets[0]["Aliases"] == [name]
    assert web["Mode"] == {"Replicated": {"Replicas": 2}}
    assert web["EndpointSpec"]["Ports"] == [
        {"Protocol": "tcp", "TargetPort": 8000, "PublishedPort": 8080, "PublishMode": "host"}]
    assert web["TaskTemplate"]["Placement"]["Constraints"] == ["node.role == worker"]
    assert web["UpdateConfig"]["Order"] == "stop-first" and web["UpdateConfig"]["Delay"] == 10 ** 9
    assert "APP_MESSAGE=shop-web" in web["TaskTemplate"]["ContainerSpec"]["Env"]
    mount = db["TaskTemplate"]["ContainerSpec"]["Mounts"][0]
    assert (mount["Type"], mount["Source"], mount["Target"]) == ("volume", "shop_db-data", "/var/lib/db")
    assert mount["VolumeOptions"]["Labels"] == {NAMESPACE: STACK, "purpose": "database"}
    secret = db["TaskTemplate"]["ContainerSpec"]["Secrets"][0]
    assert secret["SecretName"] == "shop_db_password" and secret["File"]["Name"] == "db_password"
    assert agent["Mode"] == {"Global": {}}
    config = agent["TaskTemplate"]["ContainerSpec"]["Configs"][0]
    assert config["ConfigName"] == "shop_agent_conf"
    assert (config["File"]["Name"], config["File"]["Mode"]) == ("/etc/agent.conf", 0o444)
    network = docker_json(M1, "network inspect shop_appnet")[0]
    assert (network["Driver"], network["Scope"], network["Attachable"]) == ("overlay", "swarm", True)
    assert network["Labels"] == {NAMESPACE: STACK}
    # restart: is ignored on a swarm, as docker stack deploy ignores it: the engine's default policy
    assert web["TaskTemplate"]["RestartPolicy"]["Condition"] == "any"


def test_tasks_run_where_placed_with_their_secret_config_and_volume():
    web = wait_for(lambda: len(running_tasks("shop_web")) == 2 and running_tasks("shop_web"), what="2 web tasks")
    assert sorted(t["_node"] for t in web) == sorted(WORKERS)
    agents = wait_for(lambda: len(running_tasks("shop_agent")) == len(NODES) and running_tasks("shop_agent"),
                      what="an agent on every node")
    assert sorted(t["_node"] for t in agents) == sorted(NODES)
    node, db = task_container("db")
    assert node in MANAGERS
    assert node_sh(node, "docker exec %s cat /run/secrets/db_password" % db).stdout.strip() == PASSWORD
    volume = docker_json(node, "volume inspect shop_db-data")[0]
    assert volume["Labels"] == {NAMESPACE: STACK, "purpose": "database"}
    node, agent = task_container("agent")
    with open(__file__.replace("tests/test_stack.py", "files/agent.conf")) as handle:
        assert node_sh(node, "docker exec %s cat /etc/agent.conf" % agent).stdout == handle.read()
    # web answers on port 8080 of each worker (host-mode publishing)
    for worker in WORKERS:
        out = node_sh(worker, "python3 -c \"import urllib.request; print(urllib.request.urlopen("
                              "'http://127.0.0.1:8080/', timeout=5).read().decode())\"").stdout
        assert "shop-web" in out


def test_services_find_each_other_by_name():
    node, web = task_container("web")
    answers = http_from_task(node, web, "http://db:8000/", 3)
    assert all(a.endswith("shop-db") for a in answers)
    resolved = node_sh(node, "docker exec %s getent ahostsv4 tasks.agent" % web).stdout.split("\n")
    assert len(set(line.split()[0] for line in resolved if line.strip())) == len(NODES)


def test_the_secret_is_not_in_the_vvv_log():
    with open("%s/ansible-vvv.log" % EPHEMERAL) as handle:
        log = handle.read()
    # the log covers the stack task's first run, which created the secret
    assert "Deploy the stacks" in log and "create secret shop_db_password" in log
    assert PASSWORD not in log


def test_check_mode_reports_the_update_and_changes_nothing():
    before = spec("web")
    rc, result = deploy(dict(env={"WEB_TAG": "v2"}), extra=["--check", "--diff"])
    assert rc == 0, result["msg"]
    assert result["changed"] is True and result["services"]["web"]["action"] == "update"
    assert result["services"]["db"]["action"] == "none"
    assert spec("web")["Version"] == before["Version"]


def test_an_image_change_rolls_web_and_a_second_run_changes_nothing():
    before = dict((s, spec(s)) for s in ("web", "db", "agent"))
    old_tasks = set(t["ID"] for t in running_tasks("shop_web"))
    rc, result = deploy(dict(env={"WEB_TAG": "v2"}))
    assert rc == 0, result["msg"]
    assert result["changed"] is True
    assert [result["services"][s]["action"] for s in ("web", "db", "agent")] == ["update", "none", "none"]
    web = spec("web")
    assert web["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"].startswith("dockyard-lab/app:v2")
    assert web["Spec"]["Labels"]["com.docker.stack.image"] == "dockyard-lab/app:v2"
    assert web["UpdateStatus"]["State"] == "completed"
    new_tasks = running_tasks("shop_web")
    assert len(new_tasks) == 2 and not old_tasks & set(t["ID"] for t in new_tasks)
    for name in ("db", "agent"):
        assert spec(name)["Version"] == before[name]["Version"]
    rc, again = deploy(dict(env={"WEB_TAG": "v2"}))
    assert rc == 0 and again["changed"] is False, again
    assert spec("web")["Version"] == web["Version"]


def test_a_service_dropped_from_the_file_is_removed_only_with_prune():
    without = dict(compose=["/srv/stack/shop-without-agent.yml"], env={"WEB_TAG": "v2"})
    rc, result = deploy(without)
    assert rc == 0, result["msg"]
    assert result["changed"] is False and result["removed_services"] == []
    assert result["unpruned_services"] == ["shop_agent"]
    assert "shop_agent" in node_sh(M1, "docker service ls --format '{{.Name}}'").stdout.split()
    kept = dict((s, spec(s)["Version"]) for s in ("web", "db"))
    rc, result = deploy(dict(without, prune=True))
    assert rc == 0, result["msg"]
    assert result["changed"] is True and result["removed_services"] == ["shop_agent"]
    assert "shop_agent" not in node_sh(M1, "docker service ls --format '{{.Name}}'").stdout.split()
    assert dict((s, spec(s)["Version"]) for s in ("web", "db")) == kept


def test_a_changed_secret_file_is_refused_and_nothing_changes():
    versions = dict((s, spec(s)["Version"]) for s in ("web", "db"))
    node_sh(M1, "cp /srv/stack/db_password.txt /srv/stack/db_password.bak && echo other > /srv/stack/db_password.txt")
    try:
        rc, result = deploy(dict(compose=["/srv/stack/shop-without-agent.yml"], env={"WEB_TAG": "latest"}))
    finally:
        node_sh(M1, "mv /srv/stack/db_password.bak /srv/stack/db_password.txt")
    assert rc != 0
    assert "secrets.db_password: the content of secret shop_db_password changed" in result["msg"]
    assert result["changed"] is False
    assert dict((s, spec(s)["Version"]) for s in ("web", "db")) == versions


def test_a_cli_deploy_over_the_modules_stack_updates_the_same_services():
    # Someone runs the CLI during an incident: it adopts the module's services (same IDs, an update, not a new
    # service), whose task templates carry the Privileges the CLI writes, and the stack stays running.
    for name in ("web", "db"):
        assert spec(name)["Spec"]["TaskTemplate"]["ContainerSpec"]["Privileges"] == {
            "CredentialSpec": None, "SELinuxContext": None}
    ids = dict((s, spec(s)["ID"]) for s in ("web", "db"))
    out = node_sh(M1, "cd /srv/stack && WEB_TAG=v2 docker stack deploy -c shop-without-agent.yml shop 2>&1").stdout
    assert "Updating service shop_web" in out and "Creating service" not in out, out
    wait_for(lambda: all(spec(s).get("UpdateStatus", {}).get("State", "completed") == "completed"
                         for s in ("web", "db")), what="the CLI's update to settle")
    assert dict((s, spec(s)["ID"]) for s in ("web", "db")) == ids
    wait_for(lambda: len(running_tasks("shop_web")) == spec("web")["Spec"]["Mode"]["Replicated"]["Replicas"],
             what="web's replicas running after the CLI's deploy")


def test_docker_stack_rm_removes_everything_we_created():
    node_sh(M1, "docker stack rm shop")
    wait_for(lambda: not any(labelled(kind) for kind in ("service", "network", "secret", "config")),
             what="the stack's services, networks, secrets and configs gone")
    assert "shop" not in node_sh(M1, "docker stack ls --format '{{.Name}}'").stdout.split()


def test_a_stack_deployed_by_the_cli_is_adopted_without_change():
    # the CLI reads ${WEB_TAG} from its own environment; give it what the role gives the module
    out = node_sh(M1, "cd /srv/stack && WEB_TAG=latest docker stack deploy -c shop.yml shop 2>&1").stdout
    assert "Creating service shop_web" in out
    wait_for(lambda: len(running_tasks("shop_web")) == 2, what="the CLI's web tasks")
    versions = dict((s, spec(s)["Version"]) for s in ("web", "db", "agent"))
    rc, result = deploy(dict(env={"WEB_TAG": "latest"}))
    assert rc == 0, result["msg"]
    assert result["changed"] is False, result["actions"]
    assert set(s["action"] for s in result["services"].values()) == {"none"}
    assert dict((s, spec(s)["Version"]) for s in ("web", "db", "agent")) == versions


BAD = [
    ({"services": {"web": {"image": "a", "build": "."}}}, "services.web.build: not supported"),
    ({"services": {"web": {"image": "a:${NOPE:?give NOPE}"}}}, "give NOPE"),
    ({"services": {"web": {"image": "a", "ports": ["80:80:80"]}}}, "services.web.ports[0]"),
    ({"services": {"web": {"image": "a", "secrets": ["pw"]}}}, "services.web.secrets[0]: secret 'pw' is not declared"),
    ({"services": {"web": {"image": "a", "deploy": {"replicas": -1}}}}, "services.web.deploy.replicas: -1"),
    ({"services": {"web": {"image": "a", "networks": ["n"]}}, "networks": {"n": {"driver": "bridge"}}},
     "networks.n.driver: 'bridge'"),
    ("/srv/stack/broken.yml", "/srv/stack/broken.yml: line"),
    ("/srv/stack/missing.yml", "compose[0]: /srv/stack/missing.yml does not exist"),
]


@pytest.mark.parametrize("compose,message", BAD, ids=[m for _c, m in BAD])
def test_bad_input_is_refused_naming_the_key_and_creates_nothing(compose, message):
    node_sh(M1, "printf 'services:\\n  web:\\n    image: a\\n    ports: [8080:80\\n' > /srv/stack/broken.yml")
    rc, result = ansible_module(M1, "dockyard.docker.stack", dict(name="bad", compose=[compose]))
    assert rc != 0
    assert message in result["msg"], result["msg"]
    assert result.get("changed") is False
    for kind in ("service", "network", "secret", "config"):
        assert labelled(kind, "bad") == []
