"""volume: labels, the local driver's tmpfs and bind forms, recreation, in-use refusal, refused options, absent."""

from conftest import run_apply, snapshot
from testlib import docker_json

TMPFS8 = {"type": "tmpfs", "device": "tmpfs", "o": "size=8m"}
TMPFS16 = {"type": "tmpfs", "device": "tmpfs", "o": "size=16m"}


def test_converged_volumes_are_what_was_asked(node):
    data, tmpfs, bind = docker_json(node, "volume inspect kit-data kit-tmpfs kit-bind")
    assert data["Driver"] == "local" and data["Labels"] == {"app": "kit", "tier": "data"}
    assert tmpfs["Options"] == TMPFS16
    assert bind["Options"] == {"type": "none", "o": "bind", "device": "/srv/kit-bind"}
    # the container really mounts a 16 MiB tmpfs, and the bind volume is the host directory
    out = node.check_output("docker exec kit-user sh -c \"grep ' /scratch ' /proc/mounts; "
                            "echo from-container > /bind/proof\"; cat /srv/kit-bind/proof")
    assert "tmpfs /scratch tmpfs" in out and "size=16384k" in out
    assert out.strip().endswith("from-container")


def test_options_changed_recreates_only_when_asked(node):
    run = run_apply("volume", {"name": "kit-free", "driver_options": TMPFS8})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    created = docker_json(node, "volume inspect kit-free")[0]
    assert created["Options"] == TMPFS8
    # a difference with recreate: never (the default) is reported, not applied
    run = run_apply("volume", {"name": "kit-free", "driver_options": TMPFS16})
    assert run.rc == 0 and run.recap()["changed"] == 0, run
    assert "left as it is" in run.output
    assert docker_json(node, "volume inspect kit-free")[0] == created
    # check mode with recreate: options-changed reports it and changes nothing
    run = run_apply("volume", {"name": "kit-free", "driver_options": TMPFS16, "recreate": "options-changed"},
                    check=True, diff=True)
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert '+        "o": "size=16m"' in run.output
    assert docker_json(node, "volume inspect kit-free")[0] == created
    run = run_apply("volume", {"name": "kit-free", "driver_options": TMPFS16, "recreate": "options-changed"})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert docker_json(node, "volume inspect kit-free")[0]["Options"] == TMPFS16
    # and again: nothing to do
    run = run_apply("volume", {"name": "kit-free", "driver_options": TMPFS16, "recreate": "options-changed"})
    assert run.rc == 0 and run.recap()["changed"] == 0, run


def test_volume_in_use_is_refused_naming_the_container(node):
    before = snapshot(node)
    for args in ({"name": "kit-data", "state": "absent"}, {"name": "kit-tmpfs", "recreate": "always"}):
        run = run_apply("volume", args)
        assert run.rc != 0, run
        assert "in use by container(s) kit-user" in run.output, run
        assert run.recap()["changed"] == 0
    assert snapshot(node) == before


def test_driver_refuses_options_engine_message_kept_nothing_left(node):
    before = snapshot(node)
    for args in ({"name": "kit-bad", "driver_options": {"foo": "bar"}},
                 {"name": "kit-free", "driver_options": {"foo": "bar"}, "recreate": "options-changed"}):
        run = run_apply("volume", args)
        assert run.rc != 0, run
        assert 'invalid option: \\"foo\\"' in run.output or 'invalid option: "foo"' in run.output, run
        assert run.recap()["changed"] == 0
    assert snapshot(node) == before
    assert "kit-bad" not in node.check_output("docker volume ls -q")


def test_bad_arguments_refused_before_any_change(node):
    before = snapshot(node)
    for args, words in (({"name": "kit-x", "recreate": "sometimes"}, ["recreate", "options-changed"]),
                        ({"name": "kit/x"}, ["name", "kit/x"]),
                        ({"name": "kit-x", "labels": {"on": True}}, ["labels.on", "quote"])):
        run = run_apply("volume", args)
        assert run.rc != 0, run
        for word in words:
            assert word in run.output, run
    assert snapshot(node) == before


def test_absent_removes_an_unused_volume(node):
    run = run_apply("volume", {"name": "kit-free", "state": "absent"}, check=True)
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert "kit-free" in node.check_output("docker volume ls -q").split()
    run = run_apply("volume", {"name": "kit-free", "state": "absent"})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert "kit-free" not in node.check_output("docker volume ls -q").split()
    run = run_apply("volume", {"name": "kit-free", "state": "absent"})
    assert run.rc == 0 and run.recap()["changed"] == 0, run
