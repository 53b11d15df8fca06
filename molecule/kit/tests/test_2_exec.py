"""exec: rc, stdout, stderr, env, chdir, user and stdin; a non-zero exit fails; a stopped container is refused."""

from conftest import run_apply, snapshot

SCRIPT = ("echo to-stdout; echo to-stderr >&2; "
          "{ pwd; id -un; echo \"$KIT_VAR\"; cat; } > /tmp/kit-exec.out; cat /tmp/kit-exec.out")


def test_exec_runs_with_env_chdir_user_and_stdin(node):
    run = run_apply("exec", {"container": "kit-user", "argv": ["sh", "-c", SCRIPT], "chdir": "/tmp",
                             "env": {"KIT_VAR": "kit value"}, "user": "nobody", "stdin": "fed on stdin"})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    # the effect inside the container, read with docker
    out = node.check_output("docker exec kit-user sh -c 'stat -c %U /tmp/kit-exec.out; cat /tmp/kit-exec.out'")
    assert out.splitlines() == ["nobody", "/tmp", "nobody", "kit value", "fed on stdin"]
    result = run.result()
    assert result["rc"] == 0 and result["stderr"] == "to-stderr"
    assert result["stdout"].splitlines() == ["to-stdout", "/tmp", "nobody", "kit value", "fed on stdin"]


def test_exec_command_is_shell_split_and_tty(node):
    run = run_apply("exec", {"container": "kit-user", "command": "sh -c 'test -t 1 && echo tty > /tmp/kit-tty'",
                             "tty": True})
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert node.check_output("docker exec kit-user cat /tmp/kit-tty") == "tty"


def test_command_may_run_longer_than_the_engine_timeout(node):
    run = run_apply("exec", {"container": "kit-user", "argv": ["sh", "-c", "sleep 3; echo late > /tmp/kit-late"],
                             "timeout": 1})
    assert run.rc == 0, run
    assert node.check_output("docker exec kit-user cat /tmp/kit-late") == "late"


def test_non_zero_exit_fails_with_rc(node):
    run = run_apply("exec", {"container": "kit-user",
                             "argv": ["sh", "-c", "touch /tmp/kit-ran; echo no >&2; exit 3"]})
    assert run.rc != 0, run
    assert "the command exited with code 3 in container kit-user" in run.output, run
    result = run.result()
    assert result["rc"] == 3 and result["stderr"] == "no" and result["changed"] is True
    assert node.run("docker exec kit-user test -f /tmp/kit-ran").rc == 0


def test_check_mode_does_not_run_the_command(node):
    run = run_apply("exec", {"container": "kit-user", "argv": ["touch", "/tmp/kit-check"]}, check=True)
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert "not run" in run.output
    assert node.run("docker exec kit-user test -e /tmp/kit-check").rc == 1


def test_container_not_running_is_refused(node):
    node.check_output("docker create --name kit-idle --stop-timeout 1 dockyard-lab/app:latest")
    before = snapshot(node)
    run = run_apply("exec", {"container": "kit-idle", "argv": ["touch", "/tmp/kit-idle"]})
    assert run.rc != 0, run
    assert "container kit-idle is not running" in run.output, run
    assert snapshot(node) == before
    assert node.check_output("docker diff kit-idle") == ""
    run = run_apply("exec", {"container": "kit-nowhere", "command": "true"})
    assert run.rc != 0 and "container kit-nowhere does not exist" in run.output, run


def test_bad_arguments_refused(node):
    for args, words in (({"container": "kit-user"}, ["command", "argv"]),
                        ({"container": "kit-user", "command": "true", "argv": ["true"]},
                         ["mutually exclusive", "command", "argv"])):
        run = run_apply("exec", args)
        assert run.rc != 0, run
        for word in words:
            assert word in run.output, run
