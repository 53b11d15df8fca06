"""Verify of the security scenario: TLS to a real engine, refusals with messages that say why,
a secret read on another node, no secret material in the -vvv log of converge + idempotence, and a
second local user (nobody) who can neither block nor bypass a change, nor feed the bytecode cache.

Module runs that must fail are driven from here with ``ansible`` against Molecule's inventory,
so the failure and its message are asserted, not ignored.
"""

import hashlib
import json
import os
import re
import shlex
import subprocess
import time

import pytest
import testinfra

INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE")
EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "")
PKI = os.path.join(EPHEMERAL, "pki")
SCENARIO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "sec_db_password"
SERVICE = "sec-app-svc"
TLS = {"tls_ca_cert": "/root/.docker-tls/ca.pem", "tls_client_cert": "/root/.docker-tls/cert.pem",
       "tls_client_key": "/root/.docker-tls/key.pem"}


def node(name):
    assert INVENTORY, "MOLECULE_INVENTORY_FILE is not set: run through molecule"
    return testinfra.get_host("ansible://%s" % name, ansible_inventory=INVENTORY)


@pytest.fixture(scope="module")
def node1():
    return node("sec-node1")


@pytest.fixture(scope="module")
def node2():
    return node("sec-node2")


@pytest.fixture(scope="module")
def node1_addr(node1):
    return node1.ansible.get_variables()["ansible_host"]


def read(name):
    with open(os.path.join(PKI, name)) as handle:
        return handle.read()


def module(hostname, name, args, check=False):
    """Run dockyard.docker.<name> on one node; return (rc, parsed result of that host)."""
    argv = ["ansible", "-i", INVENTORY, hostname, "-m", "dockyard.docker.%s" % name, "-a", json.dumps(args)]
    if check:
        argv.append("--check")
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOAD_CALLBACK_PLUGINS="0",
               ANSIBLE_LOG_PATH="/dev/null")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env)
    # Ad-hoc output: "<host> | SUCCESS|CHANGED|FAILED! => {json}"
    head = "%s | " % hostname
    try:
        start = proc.stdout.index(head)
        result = json.loads(proc.stdout[proc.stdout.index("=> {", start) + 3:])
    except ValueError:
        raise AssertionError("no result (rc=%s):\n%s\n%s" % (proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:]))
    return proc.returncode, result


def remote(node1_addr, port=2376, **extra):
    args = {"docker_host": "tcp://%s:%d" % (node1_addr, port), "timeout": 15}
    args.update(extra)
    return args


# ----------------------------------------------------------------------------- the TLS listener
def test_engine_listens_on_2376_with_tlsverify(node1):
    cfg = json.loads(node1.file("/etc/docker/daemon.json").content_string)
    assert "tcp://0.0.0.0:2376" in cfg["hosts"]
    assert cfg["tlsverify"] is True
    assert node1.socket("tcp://0.0.0.0:2376").is_listening
    key = node1.file(cfg["tlskey"])
    assert key.mode == 0o600 and key.user == "root"
    assert not node1.socket("tcp://0.0.0.0:2375").is_listening


def test_container_was_created_over_tls(node1, node2, node1_addr):
    state = json.loads(node1.check_output("docker inspect sec-tls-app"))[0]["State"]
    assert state["Running"] is True
    # And the same module, from sec-node2 over TLS, finds it in place (nothing to change).
    rc, res = module("sec-node2", "container", remote(node1_addr, name="sec-tls-app", image="dockyard-lab/app:latest",
                                                       pull="never", command=["app-server"],
                                                       restart_policy="unless-stopped", stop_timeout=2, **TLS),
                     check=True)
    assert rc == 0, res
    assert res["changed"] is False
    # sec-node2's own engine has no such container: the module really talked to sec-node1.
    assert node2.run("docker inspect sec-tls-app").rc != 0


def test_engine_info_over_tls_reports_the_remote_engine(node1_addr):
    rc, res = module("sec-node2", "engine_info", remote(node1_addr, **TLS))
    assert rc == 0, res
    assert "sec-tls-app" in json.dumps(res)


# ----------------------------------------------------------------------------- refusals that say which
def test_without_client_certificate_is_refused(node1_addr):
    rc, res = module("sec-node2", "engine_info", remote(node1_addr, tls_ca_cert=TLS["tls_ca_cert"]))
    assert rc != 0
    assert "no client certificate given" in res["msg"], res["msg"]
    assert "client certificate signed by its CA" in res["msg"], res["msg"]


def test_wrong_ca_is_named(node1_addr):
    args = dict(TLS, tls_ca_cert="/root/.docker-tls/otherca.pem")
    rc, res = module("sec-node2", "engine_info", remote(node1_addr, **args))
    assert rc != 0
    assert "the CA in tls_ca_cert did not sign the engine's certificate" in res["msg"], res["msg"]


def test_plain_tcp_is_refused_before_connecting(node1_addr):
    rc, res = module("sec-node2", "engine_info", remote(node1_addr))
    assert rc != 0
    assert "plain TCP without TLS" in res["msg"] and "root on the host" in res["msg"], res["msg"]


def test_plain_http_to_the_tls_port_says_tls_is_required(node1_addr):
    rc, res = module("sec-node2", "engine_info", remote(node1_addr, validate_certs=False))
    assert rc != 0
    assert "requires TLS on that port but the connection was plain HTTP" in res["msg"], res["msg"]


def test_tls_to_a_plain_http_endpoint_says_plain_http(node1, node1_addr):
    node1.check_output("systemd-run --unit sec-plain-http --collect python3 -m http.server 2380")
    try:
        for _ in range(50):
            if node1.socket("tcp://0.0.0.0:2380").is_listening:
                break
            time.sleep(0.2)
        rc, res = module("sec-node2", "engine_info", remote(node1_addr, port=2380, **TLS))
    finally:
        node1.run("systemctl stop sec-plain-http")
    assert rc != 0
    assert "does not speak TLS on that port: it is a plain HTTP endpoint" in res["msg"], res["msg"]


# ----------------------------------------------------------------------------- secrets
def task_container(h, service):
    for _ in range(60):
        cid = h.check_output("docker ps -q --filter label=com.docker.swarm.service.name=%s" % service)
        if cid:
            return cid.split()[0]
        time.sleep(1)
    raise AssertionError("no running task of %s on %s" % (service, h.backend.get_hostname()))


def test_service_reads_the_secret_on_the_other_node(node1, node2):
    value = read("secret-value").strip()
    assert node1.run("docker ps -q --filter label=com.docker.swarm.service.name=%s" % SERVICE).stdout.strip() == ""
    cid = task_container(node2, SERVICE)
    out = node2.check_output("docker exec %s sha256sum /run/secrets/%s" % (cid, SECRET)).split()[0]
    assert out == hashlib.sha256(value.encode()).hexdigest()
    assert node2.check_output("docker exec %s stat -c %%a /run/secrets/%s" % (cid, SECRET)) == "400"
    assert node2.check_output("docker exec %s cat /etc/app.conf" % cid) == "greeting=hello"


def test_secret_labels_carry_a_salted_hash_not_the_value(node1):
    value = read("secret-value").strip()
    spec = json.loads(node1.check_output("docker secret inspect %s" % SECRET))[0]["Spec"]
    label = spec["Labels"]["io.dockyard.data-hash"]
    assert label.startswith("pbkdf2-sha256:100000:")
    assert hashlib.sha256(value.encode()).hexdigest() not in label
    assert "Data" not in spec


def test_changing_a_secret_in_use_is_refused_and_changes_nothing(node1):
    before = node1.check_output("docker secret inspect -f '{{.ID}}' %s" % SECRET)
    rc, res = module("sec-node1", "swarm_secret", {"name": SECRET, "data": "another-value"})
    assert rc != 0
    assert "used by service(s) %s" % SERVICE in res["msg"] and "force=true" in res["msg"], res["msg"]
    assert "another-value" not in json.dumps(res)
    assert node1.check_output("docker secret inspect -f '{{.ID}}' %s" % SECRET) == before


def test_removing_a_secret_in_use_is_refused(node1):
    rc, res = module("sec-node1", "swarm_secret", {"name": SECRET, "state": "absent"})
    assert rc != 0
    assert "is used by service(s) %s: refusing to remove it" % SERVICE in res["msg"], res["msg"]
    assert node1.run("docker secret inspect %s" % SECRET).rc == 0


def test_data_and_data_src_together_is_an_error(node1):
    rc, res = module("sec-node1", "swarm_secret", {"name": "sec-both", "data": "x", "data_src": "/etc/hostname"})
    assert rc != 0
    assert "data|data_src" in res["msg"]
    assert node1.run("docker secret inspect sec-both").rc != 0


def test_check_mode_and_diff_never_show_data(node1):
    rc, res = module("sec-node1", "swarm_secret", {"name": "sec-probe", "data": "probe-value-123"}, check=True)
    assert rc == 0 and res["changed"] is True
    assert "probe-value-123" not in json.dumps(res)
    assert node1.run("docker secret inspect sec-probe").rc != 0


# ----------------------------------------------------------------------------- nothing secret in the -vvv log
def pem_body_lines(text):
    return [line for line in text.splitlines() if line and not line.startswith("-----")]


def playbook_vvv(playbook, log_name, extra_vars_file=None):
    argv = ["ansible-playbook", "-vvv", "-i", INVENTORY, os.path.join(SCENARIO, playbook)]
    if extra_vars_file:
        argv += ["--extra-vars", "@" + extra_vars_file]
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOG_PATH="/dev/null")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=900, env=env)
    output = proc.stdout + proc.stderr
    with open(os.path.join(EPHEMERAL, log_name), "w") as handle:
        handle.write(output)
    assert proc.returncode == 0, output[-4000:]
    return output


@pytest.fixture(scope="module")
def probe_values():
    return ["probe-%s" % os.urandom(12).hex(), "probe-%s" % os.urandom(12).hex()]


def first_converge_log():
    """The -vvv output of Molecule's first converge (converge_vvv.yml keeps one file per run)."""
    import glob

    logs = sorted(glob.glob(os.path.join(EPHEMERAL, "converge-*-vvv.log")))
    assert logs, "no converge -vvv log in %s: converge_vvv.yml did not run" % EPHEMERAL
    with open(logs[0]) as handle:
        text = handle.read()
    # The first converge really created things: the secret, the swarm, the service.
    assert re.search(r"sec-node1\s*:.*changed=[1-9]", text), text[-2000:]
    assert "swarm_secret.py" in text and "ESTABLISH SSH CONNECTION" in text
    return text


@pytest.fixture(scope="module")
def vvv_log(probe_values):
    """The first converge, converge again (idempotent) and the secret life-cycle probe, all at -vvv."""
    first = first_converge_log()
    converge = playbook_vvv("converge.yml", "converge-rerun-vvv.log")
    assert re.search(r"sec-node2\s*:.*changed=0", converge), converge[-2000:]
    vars_file = os.path.join(EPHEMERAL, "probe-vars.json")
    with open(vars_file, "w") as handle:
        json.dump({"probe_value_1": probe_values[0], "probe_value_2": probe_values[1]}, handle)
    try:
        probe = playbook_vvv("leak_probe.yml", "probe-vvv.log", vars_file)
    finally:
        os.unlink(vars_file)
    return first + converge + probe


def test_vvv_log_has_no_secret_material(node1, vvv_log, probe_values):
    log = vvv_log
    # The log is really -vvv and covers module runs that were handed the secrets (masked).
    assert "ESTABLISH SSH CONNECTION" in log
    assert "swarm_secret.py" in log and "replace secret sec-probe" in log
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in log
    forbidden = {"converge secret value": [read("secret-value").strip()], "probe values": probe_values}
    for name in ("server-key.pem", "client-key.pem", "ca-key.pem"):
        forbidden[name] = pem_body_lines(read(name))
    for kind in ("worker", "manager"):
        forbidden["%s join token" % kind] = [node1.check_output("docker swarm join-token -q %s" % kind)]
    leaks = sorted(set(what for what, needles in forbidden.items() for n in needles if n and n in log))
    assert not leaks, "found in the -vvv output (%s/*-vvv.log): %s" % (EPHEMERAL, leaks)
    # Plain hashes of the values are not in it either (a dictionary lookup away from a weak password).
    for value in [read("secret-value").strip()] + probe_values:
        assert hashlib.sha256(value.encode()).hexdigest() not in log
    assert not re.search(r"-----BEGIN (EC |RSA )?PRIVATE KEY-----", log)
    assert node1.run("docker secret inspect sec-probe").rc != 0


# ----------------------------------------------------------------------------- a second local user on the host
LOCK_DIR = "/run/dockyard"
LOCK_FILE = LOCK_DIR + "/docker.lock"
OLD_LOCKS = ("/run/lock/dockyard-docker.lock", "/tmp/dockyard-docker.lock")
LOCK_APP = "sec-lock-app"


def as_nobody(h, command):
    return h.run("runuser -u nobody -- sh -c %s" % shlex.quote(command))


def lock_app(env_value, **extra):
    args = {"name": LOCK_APP, "image": "dockyard-lab/app:latest", "pull": "never", "command": ["app-server"],
            "env": {"RELEASE": env_value}, "stop_timeout": 1}
    args.update(extra)
    return args


def timed(*args, **kwargs):
    start = time.monotonic()
    rc, res = module(*args, **kwargs)
    return rc, res, time.monotonic() - start


def app_state(h):
    info = json.loads(h.check_output("docker inspect %s" % LOCK_APP))[0]
    return info["Id"], info["State"]["StartedAt"], info["Config"]["Env"]


@pytest.fixture(scope="module")
def nobody_tried(node1):
    """Before any change on sec-node1, nobody tries every trick on the old and the new lock paths: a directory
    at an old path (the old code then ran unlocked), an old lock file held (the old code then waited forever),
    a directory, a symlink and a held file at the new one."""
    node1.check_output("rm -rf %s %s" % (LOCK_DIR, " ".join(OLD_LOCKS)))
    node1.run("docker rm -f %s" % LOCK_APP)
    tries = {
        "mkdir old": as_nobody(node1, "mkdir %s" % OLD_LOCKS[0]),
        "mkdir new": as_nobody(node1, "mkdir %s" % LOCK_DIR),
        "symlink new": as_nobody(node1, "ln -s /tmp %s" % LOCK_DIR),
    }
    node1.check_output("systemd-run --unit sec-nobody-holds --uid nobody --collect flock %s sleep 600" % OLD_LOCKS[1])
    for _ in range(50):
        if node1.run("flock -n %s true" % OLD_LOCKS[1]).rc != 0:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("nobody's flock on %s never held" % OLD_LOCKS[1])
    yield tries
    node1.run("systemctl stop sec-nobody-holds sec-root-holds")
    node1.run("docker rm -f %s" % LOCK_APP)
    node1.run("rm -rf %s" % OLD_LOCKS[0])


def test_nobody_can_neither_block_nor_bypass_a_change(node1, nobody_tried):
    assert nobody_tried["mkdir old"].rc == 0, "the old lock path was open to everyone (the planted directory)"
    for what in ("mkdir new", "symlink new"):
        assert nobody_tried[what].rc != 0 and "Permission denied" in nobody_tried[what].stderr, nobody_tried[what]
    rc, res, elapsed = timed("sec-node1", "container", lock_app("1", lock_timeout=20))
    assert rc == 0 and res["changed"] is True, res
    assert elapsed < 20, "the change waited for nobody's lock: %.1fs" % elapsed
    assert json.loads(node1.check_output("docker inspect %s" % LOCK_APP))[0]["State"]["Running"] is True
    directory, lock_file = node1.file(LOCK_DIR), node1.file(LOCK_FILE)
    assert directory.is_directory and not directory.is_symlink
    assert (directory.user, directory.mode) == ("root", 0o700)
    assert lock_file.is_file and not lock_file.is_symlink and (lock_file.user, lock_file.mode) == ("root", 0o600)
    assert lock_file.content_string == "", "the holder's record is cleared on release"
    # With the directory in place nobody can still not open, list or plant anything in it.
    for command in ("flock -n %s true" % LOCK_FILE, "ls %s" % LOCK_DIR, "ln -s /etc/shadow %s/x" % LOCK_DIR):
        attempt = as_nobody(node1, command)
        assert attempt.rc != 0 and "Permission denied" in attempt.stderr, (command, attempt.stderr)


def test_a_lock_root_holds_fails_the_change_at_its_deadline_and_changes_nothing(node1, nobody_tried):
    if node1.run("docker inspect %s" % LOCK_APP).rc != 0:
        assert module("sec-node1", "container", lock_app("1"))[0] == 0
    before = app_state(node1)
    node1.check_output("systemd-run --unit sec-root-holds --collect flock %s sleep 600" % LOCK_FILE)
    try:
        for _ in range(50):
            if node1.run("flock -n %s true" % LOCK_FILE).rc != 0:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("root's flock on %s never held" % LOCK_FILE)
        holder = node1.check_output("systemctl show -p MainPID --value sec-root-holds")
        # Check mode never takes the lock: it answers at once with the plan.
        rc, res, baseline = timed("sec-node1", "container", lock_app("2", lock_timeout=3), check=True)
        assert rc == 0 and res["changed"] is True, res
        rc, res, elapsed = timed("sec-node1", "container", lock_app("2", lock_timeout=3))
        assert rc != 0, res
        # Named from /proc/locks (flock(1) writes no record): its PID and command line.
        expected = r"another change is in progress on this host: the change lock %s is held by PID %s " \
                   r"\((/usr/bin/)?flock %s sleep 600\)\." % (re.escape(LOCK_FILE), holder, re.escape(LOCK_FILE))
        assert re.match(expected, res["msg"]), res["msg"]
        assert "Waited 3s (lock_timeout)" in res["msg"] and res["changed"] is False
        assert 3 <= elapsed < baseline + 15, "lock_timeout 3: failed after %.1fs (check mode: %.1fs)" % (
            elapsed, baseline)
        assert app_state(node1) == before, "the container changed although the lock was not taken"
        # The bulk path (containers, compose) fails the same way, before creating anything.
        project = {"services": {"web": {"image": "dockyard-lab/app:latest", "command": ["app-server"]}}}
        rc, res = module("sec-node1", "compose", {"project_name": "sec-lock-proj", "definition": project,
                                                  "pull": "never", "lock_timeout": 1})
        assert rc != 0 and res["msg"].startswith("another change is in progress on this host"), res
        assert node1.run("docker inspect sec-lock-proj-web-1").rc != 0
        assert node1.run("docker network inspect sec-lock-proj_default").rc != 0
    finally:
        node1.run("systemctl stop sec-root-holds")
    # Released: the same change goes through (nobody still holds the old lock file).
    assert node1.run("systemctl is-active sec-nobody-holds").stdout.strip() == "active"
    rc, res = module("sec-node1", "container", lock_app("2", lock_timeout=20))
    assert rc == 0 and res["changed"] is True, res
    assert "RELEASE=2" in app_state(node1)[2]


def test_a_cache_directory_that_is_a_symlink_is_not_used(node1):
    """The bytecode cache path a link of another user, to a directory of root with mode 0700: not used."""
    cache = "/root/.cache/dockyard.docker"
    node1.check_output("rm -rf %s /root/sec-cache-target && mkdir -m 0700 /root/sec-cache-target && "
                       "mkdir -p /root/.cache && ln -s /root/sec-cache-target %s && chown -h nobody %s"
                       % (cache, cache, cache))
    try:
        rc, res = module("sec-node1", "engine_info", {"timeout": 30})
        assert rc == 0, res
        assert node1.check_output("ls -A /root/sec-cache-target") == ""
    finally:
        node1.run("rm -f %s; rm -rf /root/sec-cache-target" % cache)
    # The same run without the link fills a cache directory of its own: the empty target above means refused.
    assert module("sec-node1", "engine_info", {"timeout": 30})[0] == 0
    directory = node1.file(cache)
    assert directory.is_directory and not directory.is_symlink and directory.mode == 0o700
    assert ".pyc" in node1.check_output("ls %s" % cache)


# ----------------------------------------------------------------------------- rotation (last: it changes the secret)
def test_force_rotates_a_secret_in_use_and_the_task_sees_the_new_value(node1, node2):
    rc, res = module("sec-node1", "swarm_secret", {"name": SECRET, "data": "rotated-value-42", "force": True})
    assert rc == 0, res
    assert res["changed"] is True and res["services"] == [SERVICE]
    assert "rotated-value-42" not in json.dumps(res)
    new_id = node1.check_output("docker secret inspect -f '{{.ID}}' %s" % SECRET)
    assert new_id == res["secret_id"]
    assert node1.run("docker secret ls -q --filter name=%s-rotating" % SECRET).stdout.strip() == ""
    refs = json.loads(node1.check_output(
        "docker service inspect -f '{{json .Spec.TaskTemplate.ContainerSpec.Secrets}}' %s" % SERVICE))
    assert [(r["SecretID"], r["SecretName"], r["File"]["Name"], r["File"]["Mode"]) for r in refs] == [
        (new_id, SECRET, SECRET, 0o400)]
    want = hashlib.sha256(b"rotated-value-42").hexdigest()
    for _ in range(90):
        cid = node2.run("docker ps -q --filter label=com.docker.swarm.service.name=%s" % SERVICE).stdout.split()
        if cid:
            got = node2.run("docker exec %s sha256sum /run/secrets/%s" % (cid[0], SECRET)).stdout.split()
            if got and got[0] == want:
                break
        time.sleep(1)
    else:
        raise AssertionError("the task on sec-node2 never saw the rotated secret")
    # Same value again: nothing to do.
    rc, res = module("sec-node1", "swarm_secret", {"name": SECRET, "data": "rotated-value-42"})
    assert rc == 0 and res["changed"] is False, res
