"""stack with_registry_auth and resolve_image against the real registry: a worker that never logged in runs the
stack's image, pinned to the digest the registry holds; a new push rolls the service only with resolve_image."""

from conftest import REPO, run_apply

STACK_ONLY = REPO + ":stack"


def stack(resolve="always"):
    return {"name": "reg", "with_registry_auth": True, "resolve_image": resolve, "wait_timeout": 120, "compose": [{
        "services": {"web": {"image": STACK_ONLY, "deploy": {
            "endpoint_mode": "dnsrr", "placement": {"constraints": ["node.hostname == reg-node1"]}}}}}]}


def registry_digest(node2):
    """The digest the registry holds for STACK_ONLY, as the engine on reg-node2 (logged in) reads it."""
    return node2.check_output("docker image inspect -f '{{join .RepoDigests \" \"}}' %s" % STACK_ONLY)


def test_stack_pulls_on_a_worker_without_credentials_pinned_to_the_registry_digest(node1, node2):
    # (test 3 left reg-node2 a manager logged in to the registry and reg-node1 a worker without credentials)
    run = run_apply("reg-node2", "image", {"name": REPO + ":current", "repository": STACK_ONLY, "push": True})
    assert run.rc == 0, run
    assert node1.run("docker image inspect %s" % STACK_ONLY).rc != 0
    run = run_apply("reg-node2", "stack", stack())
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    image = node2.check_output("docker service inspect reg_web -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}'")
    assert image.startswith(STACK_ONLY + "@sha256:"), image
    assert image.split("@", 1)[1] in registry_digest(node2)
    tasks = node2.check_output("docker service ps reg_web --filter desired-state=running "
                               "--format '{{.Node}} {{.CurrentState}}'")
    assert tasks.startswith("reg-node1 Running"), tasks
    # an unchanged registry: nothing to do, even when asking it again
    run = run_apply("reg-node2", "stack", stack())
    assert run.rc == 0 and run.recap()["changed"] == 0, run


def test_a_new_push_rolls_the_stack_with_resolve_image_always_only(node2):
    before = node2.check_output("docker service inspect reg_web -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}'")
    # push a different image under the same tag
    node2.check_output("printf 'FROM %s\\nLABEL rebuilt=stack\\n' | docker build -q -t %s - " % (STACK_ONLY, STACK_ONLY))
    run = run_apply("reg-node2", "image", {"name": STACK_ONLY, "push": True})
    assert run.rc == 0, run
    run = run_apply("reg-node2", "stack", stack(resolve="changed"))
    assert run.rc == 0 and run.recap()["changed"] == 0, run  # the name did not change: the registry is not asked
    run = run_apply("reg-node2", "stack", stack(resolve="always"))
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    after = node2.check_output("docker service inspect reg_web -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}'")
    assert after != before and after.startswith(STACK_ONLY + "@sha256:"), (before, after)
    run = run_apply("reg-node2", "stack", {"name": "reg", "state": "absent"})
    assert run.rc == 0, run
    assert node2.check_output("docker service ls -q --filter label=com.docker.stack.namespace=reg") == ""
