"""A user's own container that happens to be called NAME-dockyard-old is never removed, renamed or replaced."""

import subprocess

from conftest import APP, ENV, module_argv, run_module
from testlib import ModuleRun, inspect

THEIRS = "f-own-dockyard-old"


def own(**over):
    args = dict(name="f-own", image=APP, pull="never", restart_policy="unless-stopped", stop_timeout=1,
                env={"RELEASE": "1"})
    args.update(over)
    return args


def same(before, after):
    assert after is not None, "the container is gone"
    assert (after["Id"], after["Name"], after["State"]["Running"], after["State"]["StartedAt"]) == (
        before["Id"], before["Name"], before["State"]["Running"], before["State"]["StartedAt"])


def test_a_users_container_under_the_aside_name_survives_the_convergence_of_its_namesake(node):
    node.check_output("docker run -d --name %s --stop-timeout 1 %s app-server" % (THEIRS, APP))
    theirs = inspect(node, THEIRS)

    # f-own absent: created afresh; the user's container is not taken over as f-own
    run = run_module(own())
    assert run.rc == 0, run.output
    created = inspect(node, "f-own")
    assert created["Id"] != theirs["Id"] and created["Config"]["Labels"]["io.dockyard.created-as"] == "f-own"
    same(theirs, inspect(node, THEIRS))

    # nothing to change: the run passes and leaves both alone
    run = run_module(own())
    assert run.rc == 0 and '"changed": false' in run.output, run.output
    same(created, inspect(node, "f-own"))

    # a recreate needs the aside name: container, containers and check mode refuse naming it, change nothing
    for module, args, check in (("container", own(env={"RELEASE": "2"}), False),
                                ("containers", {"containers": [own(env={"RELEASE": "2"})]}, False),
                                ("container", own(env={"RELEASE": "2"}), True)):
        argv = module_argv(args, module) + (["--check"] if check else [])
        run = ModuleRun(subprocess.run(argv, capture_output=True, text=True, timeout=300, env=ENV))
        assert run.rc != 0, run.output
        assert "container %s (%s) is not one a recreate of f-own set aside" % (THEIRS, theirs["Id"][:12]) \
            in run.output, run.output
        assert "rename or remove %s" % THEIRS in run.output
        same(created, inspect(node, "f-own"))
        same(theirs, inspect(node, THEIRS))

    # once the user moved their container away, the recreate goes through and leaves it alone
    node.check_output("docker rename %s f-own-mine" % THEIRS)
    run = run_module(own(env={"RELEASE": "2"}))
    assert run.rc == 0, run.output
    recreated = inspect(node, "f-own")
    assert recreated["Id"] != created["Id"] and "RELEASE=2" in recreated["Config"]["Env"]
    mine = inspect(node, "f-own-mine")
    assert mine["Id"] == theirs["Id"] and mine["State"]["Running"] is True
    assert mine["State"]["StartedAt"] == theirs["State"]["StartedAt"]
    assert inspect(node, THEIRS) is None, "no set-aside copy left behind"
