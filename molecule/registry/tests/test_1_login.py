"""login: the registry decides, the file is written as docker login writes it, secrets never shown."""

import json

from conftest import REGISTRY, USER, auth_string, password, run_apply

CFG = "/root/login-test/config.json"
OTHER = {"auth": "b3RoZXI6bm90LWEtc2VjcmV0"}


def args(**kw):
    base = {"registry_url": REGISTRY, "username": USER, "password": password(), "config_path": CFG}
    base.update(kw)
    return base


def file_state(h):
    return h.check_output("sha256sum %s; stat -c '%%a %%U' %s" % (CFG, CFG))


def test_converge_logged_root_in_as_docker_login_would(node1, node2):
    for h in (node1, node2):
        f = h.file("/root/.docker/config.json")
        assert f.mode == 0o600 and f.user == "root"
        assert json.loads(f.content_string)["auths"][REGISTRY] == {"auth": auth_string()}


def test_wrong_password_refused_file_unchanged(node1):
    node1.check_output("mkdir -p /root/login-test && printf '%%s' '%s' > %s && chmod 0644 %s"
                       % (json.dumps({"auths": {"other.example:443": OTHER}}), CFG, CFG))
    before = file_state(node1)
    run = run_apply("reg-node1", "login", args(password="not-" + password()))
    assert run.rc != 0, run
    assert "401" in run.output or "unauthorized" in run.output.lower(), run
    assert "refused the login of %s" % USER in run.output, run
    assert file_state(node1) == before


def test_bad_input_refused_naming_the_option(node1):
    before = file_state(node1)
    for extra, words in (({"registry_url": "http://" + REGISTRY}, ["registry_url http://", "insecure-registries"]),
                         ({"password": ""}, ["password is empty"])):
        run = run_apply("reg-node1", "login", args(**extra))
        assert run.rc != 0, run
        for word in words:
            assert word in run.output, run
    assert file_state(node1) == before


def test_right_password_written_0600_others_kept_then_unchanged(node1):
    run = run_apply("reg-node1", "login", args(), check=True)
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert REGISTRY not in node1.file(CFG).content_string
    run = run_apply("reg-node1", "login", args())
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    f = node1.file(CFG)
    assert f.mode == 0o600
    assert json.loads(f.content_string)["auths"] == {"other.example:443": OTHER, REGISTRY: {"auth": auth_string()}}
    before = file_state(node1)
    run = run_apply("reg-node1", "login", args())
    assert run.rc == 0 and run.recap()["changed"] == 0, run
    run = run_apply("reg-node1", "login", args(reauthorize=True))
    assert run.rc == 0 and run.recap()["changed"] == 0, run
    assert file_state(node1) == before


def test_logout_removes_only_that_entry_and_vvv_shows_no_secret(node1):
    run = run_apply("reg-node1", "login", {"registry_url": REGISTRY, "state": "absent", "config_path": CFG},
                    diff=True, verbosity="-vvv")
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert json.loads(node1.file(CFG).content_string)["auths"] == {"other.example:443": OTHER}
    # a login that writes, at -vvv with a diff: neither the password nor the auth string anywhere
    run = run_apply("reg-node1", "login", args(), diff=True, verbosity="-vvv")
    assert run.rc == 0 and run.recap()["changed"] == 1, run
    assert '"%s"' % REGISTRY in run.output and "deployer" in run.output, run
    assert password() not in run.output
    assert auth_string() not in run.output
