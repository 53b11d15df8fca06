"""swarm_service with_registry_auth: a worker that never logged in runs an image only the registry has."""

import time

from conftest import REGISTRY, REPO, run_apply

SWARM_ONLY = REPO + ":swarm"


def service(name, with_auth, wait):
    return {"name": name, "image": SWARM_ONLY, "with_registry_auth": with_auth, "endpoint_mode": "dnsrr",
            "placement": {"constraints": ["node.hostname == reg-node1"]}, "wait": wait, "wait_timeout": 90}


def test_worker_without_credentials_pulls_with_the_managers(node1, node2):
    # reg-node1 logs out: from now on it has no credentials for the registry
    run = run_apply("reg-node1", "login", {"registry_url": REGISTRY, "state": "absent"})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert REGISTRY not in node1.file("/root/.docker/config.json").content_string
    # a tag only the registry has (pushed from reg-node2)
    run = run_apply("reg-node2", "image", {"name": REPO + ":current", "repository": SWARM_ONLY, "push": True})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert node1.run("docker image inspect %s" % SWARM_ONLY).rc != 0
    # reg-node2 manages a swarm that reg-node1 joins as a worker
    node2.check_output("docker swarm init --advertise-addr eth0")
    address = node2.check_output("docker info -f '{{.Swarm.NodeAddr}}'")
    token = node2.check_output("docker swarm join-token -q worker")
    node1.check_output("docker swarm join --token %s %s:2377" % (token, address))

    # without with_registry_auth the worker cannot pull: the registry refuses it (the engine logs the refusal,
    # the task fails on the missing image)
    run = run_apply("reg-node2", "swarm_service", service("web-noauth", False, False))
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    errors = ""
    for _ in range(45):
        errors = node2.check_output("docker service ps web-noauth --no-trunc --format '{{.Error}}'")
        if "No such image: %s" % SWARM_ONLY in errors:
            break
        time.sleep(1)
    assert "No such image: %s" % SWARM_ONLY in errors, errors
    assert node1.run("docker image inspect %s" % SWARM_ONLY).rc != 0
    refusals = node1.check_output("journalctl -u docker.service --no-pager | grep -c -i "
                                  "-e 'no basic auth credentials' -e unauthorized || true")
    assert int(refusals) > 0
    run = run_apply("reg-node2", "swarm_service", {"name": "web-noauth", "state": "absent"})
    assert run.rc == 0, run

    # with it, the same worker pulls with the manager's credentials and runs the task
    run = run_apply("reg-node2", "swarm_service", service("web-auth", True, True))
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    tasks = node2.check_output("docker service ps web-auth --filter desired-state=running "
                               "--format '{{.Node}} {{.CurrentState}}'")
    assert tasks.startswith("reg-node1 Running"), tasks
    assert node1.check_output("docker ps --filter label=com.docker.swarm.service.name=web-auth "
                              "--format '{{.Image}}'").startswith(SWARM_ONLY)
    assert REGISTRY not in node1.file("/root/.docker/config.json").content_string
