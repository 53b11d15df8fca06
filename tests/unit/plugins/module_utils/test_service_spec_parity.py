# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""swarm_service parity with community.docker.docker_swarm_service: every new option is built into the
ServiceSpec under the key ``docker service inspect`` shows, the engine's read-back compares as no change,
a change is a difference, and a bad value is refused naming the option."""

from __future__ import absolute_import, division, print_function

import copy

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.swarm.service_spec import (
    SpecError,
    build_spec,
    creation_mode,
    differences,
    force_update,
    job_progress,
    merge_spec,
    needs_recreate,
    pin_image,
)

IMAGE = "dockyard-lab/app:latest"


def spec(**params):
    params.setdefault("name", "svc")
    params.setdefault("image", IMAGE)
    return build_spec(params)


def cs(built):
    return built["TaskTemplate"]["ContainerSpec"]


# What `docker service inspect` shows for a service created by the CLI with the options of PARAMS below:
#   docker service create --name svc --cap-add net_admin --cap-add SYS_TIME --cap-drop MKNOD --container-label a=1
#     --dns 10.0.0.2 --dns 10.0.0.3 --dns-option ndots:2 --dns-search example.com --group users --group 4242
#     --hostname t-{{.Task.Slot}} --host db.internal:10.0.0.5 --host cache:10.0.0.6 --init --log-driver json-file
#     --log-opt max-size=10m --read-only --stop-grace-period 1m30s --stop-signal SIGQUIT
#     --sysctl net.core.somaxconn=1024 --tty --user nobody --workdir /srv --ulimit nofile=1024:2048 --ulimit nproc=64
#     --env-file envfile -e B=env -i  dockyard-lab/app:latest
ENGINE = {
    "Name": "svc",
    "Labels": {},
    "TaskTemplate": {
        "ContainerSpec": {
            "Image": IMAGE + "@sha256:" + "a" * 64,
            "Labels": {"a": "1"},
            "Hostname": "t-{{.Task.Slot}}",
            "Env": ["B=env", "A=file"],
            "Dir": "/srv",
            "User": "nobody",
            "Groups": ["4242", "users"],
            "Init": True,
            "TTY": True,
            "OpenStdin": True,
            "ReadOnly": True,
            "StopSignal": "SIGQUIT",
            "StopGracePeriod": 90000000000,
            "Hosts": ["10.0.0.6 cache", "10.0.0.5 db.internal"],
            "DNSConfig": {"Nameservers": ["10.0.0.2", "10.0.0.3"], "Search": ["example.com"],
                          "Options": ["ndots:2"]},
            "Isolation": "default",
            "Sysctls": {"net.core.somaxconn": "1024"},
            "CapabilityAdd": ["CAP_SYS_TIME", "CAP_NET_ADMIN"],
            "CapabilityDrop": ["CAP_MKNOD"],
            "Ulimits": [{"Name": "nproc", "Hard": 64, "Soft": 64}, {"Name": "nofile", "Hard": 2048, "Soft": 1024}],
        },
        "Resources": {"Limits": {}, "Reservations": {}},
        "RestartPolicy": {"Condition": "any", "Delay": 5000000000, "MaxAttempts": 0},
        "LogDriver": {"Name": "json-file", "Options": {"max-size": "10m"}},
        "ForceUpdate": 0,
        "Runtime": "container",
    },
    "Mode": {"Replicated": {"Replicas": 1}},
}


@pytest.fixture
def params(tmp_path):
    envfile = tmp_path / "envfile"
    envfile.write_text("# comment\nA=file\nB=file\n")
    return dict(
        cap_add=["net_admin", "CAP_SYS_TIME"], cap_drop=["MKNOD"], container_labels={"a": 1},
        dns=["10.0.0.2", "10.0.0.3"], dns_options=["ndots:2"], dns_search=["example.com"],
        env_files=[str(envfile)], env={"B": "env"}, groups=["users", 4242], hostname="t-{{.Task.Slot}}",
        hosts={"db.internal": "10.0.0.5", "cache": "10.0.0.6"}, init=True,
        logging={"driver": "json-file", "options": {"max-size": "10m"}}, read_only=True,
        stop_grace_period="1m30s", stop_signal="SIGQUIT", sysctls={"net.core.somaxconn": 1024}, tty=True,
        user="nobody", working_dir="/srv", ulimits=["nofile:1024:2048", "nproc:64"], stdin_open=True,
    )


def test_every_new_option_lands_under_the_inspect_key(params):
    built = spec(**params)
    c = cs(built)
    assert c["CapabilityAdd"] == ["CAP_NET_ADMIN", "CAP_SYS_TIME"]
    assert c["CapabilityDrop"] == ["CAP_MKNOD"]
    assert c["Labels"] == {"a": "1"}
    assert c["DNSConfig"] == {"Nameservers": ["10.0.0.2", "10.0.0.3"], "Search": ["example.com"],
                              "Options": ["ndots:2"]}
    assert c["Env"] == ["A=file", "B=env"]  # env wins over env_files
    assert c["Groups"] == ["users", "4242"]
    assert c["Hostname"] == "t-{{.Task.Slot}}"
    assert sorted(c["Hosts"]) == ["10.0.0.5 db.internal", "10.0.0.6 cache"]
    assert c["Init"] is True and c["TTY"] is True and c["ReadOnly"] is True and c["OpenStdin"] is True
    assert built["TaskTemplate"]["LogDriver"] == {"Name": "json-file", "Options": {"max-size": "10m"}}
    assert c["StopGracePeriod"] == 90 * 10 ** 9
    assert c["StopSignal"] == "SIGQUIT"
    assert c["Sysctls"] == {"net.core.somaxconn": "1024"}
    assert c["User"] == "nobody" and c["Dir"] == "/srv"
    assert c["Ulimits"] == [{"Name": "nofile", "Soft": 1024, "Hard": 2048}, {"Name": "nproc", "Soft": 64, "Hard": 64}]


def test_cli_created_service_compares_equal(params):
    assert differences(spec(**params), ENGINE) == []


OPTION_PATHS = [
    ("cap_add", ["NET_ADMIN"], "TaskTemplate.ContainerSpec.CapabilityAdd"),
    ("cap_drop", [], "TaskTemplate.ContainerSpec.CapabilityDrop"),
    ("container_labels", {"a": "2"}, "TaskTemplate.ContainerSpec.Labels"),
    ("dns", ["10.0.0.3", "10.0.0.2"], "TaskTemplate.ContainerSpec.DNSConfig.Nameservers"),
    ("dns_options", ["ndots:3"], "TaskTemplate.ContainerSpec.DNSConfig.Options"),
    ("dns_search", ["example.org"], "TaskTemplate.ContainerSpec.DNSConfig.Search"),
    ("env", {"B": "other"}, "TaskTemplate.ContainerSpec.Env"),
    ("groups", ["users"], "TaskTemplate.ContainerSpec.Groups"),
    ("hostname", "other", "TaskTemplate.ContainerSpec.Hostname"),
    ("hosts", {"db.internal": "10.0.0.9", "cache": "10.0.0.6"}, "TaskTemplate.ContainerSpec.Hosts"),
    ("init", False, "TaskTemplate.ContainerSpec.Init"),
    ("logging", {"driver": "local"}, "TaskTemplate.LogDriver.Name"),
    ("logging", {"driver": "json-file", "options": {"max-size": "20m"}}, "TaskTemplate.LogDriver.Options"),
    ("read_only", False, "TaskTemplate.ContainerSpec.ReadOnly"),
    ("stdin_open", False, "TaskTemplate.ContainerSpec.OpenStdin"),
    ("stop_grace_period", "10s", "TaskTemplate.ContainerSpec.StopGracePeriod"),
    ("stop_signal", "term", "TaskTemplate.ContainerSpec.StopSignal"),
    ("sysctls", {"net.core.somaxconn": "1024", "net.ipv4.tcp_syncookies": "0"},
     "TaskTemplate.ContainerSpec.Sysctls"),
    ("tty", False, "TaskTemplate.ContainerSpec.TTY"),
    ("ulimits", ["nofile:1024:4096", "nproc:64"], "TaskTemplate.ContainerSpec.Ulimits"),
    ("user", "root", "TaskTemplate.ContainerSpec.User"),
    ("working_dir", "/", "TaskTemplate.ContainerSpec.Dir"),
]


@pytest.mark.parametrize("option,value,path", OPTION_PATHS)
def test_a_changed_option_is_one_difference_and_the_merge_applies_it(params, option, value, path):
    params[option] = value
    desired = spec(**params)
    assert differences(desired, ENGINE) == [path]
    merged = merge_spec(ENGINE, desired)
    assert differences(desired, merged) == []
    assert merged["TaskTemplate"]["Runtime"] == "container"  # what the user does not manage is kept


def test_only_given_options_are_compared():
    assert differences(spec(), ENGINE) == []
    # a map is compared whole: an extra sysctl on the service is a difference
    assert differences(spec(sysctls={}), ENGINE) == ["TaskTemplate.ContainerSpec.Sysctls"]
    assert differences(spec(logging={"driver": "json-file"}), ENGINE) == []


def test_hosts_engine_form_and_ipv6():
    assert cs(spec(hosts={"v6": "2001:db8::1"}))["Hosts"] == ["2001:db8::1 v6"]


def test_env_files_later_file_wins_and_alone(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.write_text("A=1\nB=1\n")
    two.write_text("export B=2\n")
    assert cs(spec(env_files=[str(one), str(two)]))["Env"] == ["A=1", "B=2"]


def test_max_replicas_alias():
    assert spec(placement={"replicas_max_per_node": 2})["TaskTemplate"]["Placement"] == {"MaxReplicas": 2}


@pytest.mark.parametrize("over,match", [
    (dict(cap_add=["NET_FLY"]), r"cap_add: 'NET_FLY' is not a Linux capability. Accepted values: ALL or one of"),
    (dict(cap_drop=["x y"]), r"cap_drop: 'X Y' is not a Linux capability"),
    (dict(container_labels={"a": True}), r"container_labels.a is the boolean True"),
    (dict(dns=["dns.example.com"]), r"dns item 'dns.example.com' is not an IP address"),
    (dict(dns_options={"a": 1}), r"dns_options must be a list of strings"),
    (dict(dns_search=[{"a": 1}]), r"dns_search items must be strings"),
    (dict(env_files=["/nonexistent/env"]), r"env_files /nonexistent/env cannot be read"),
    (dict(groups=[["users"]]), r"groups items must be strings"),
    (dict(hostname=["a"]), r"hostname must be a string"),
    (dict(hosts={"db": "not-an-ip"}), r"hosts.db 'not-an-ip' is not an IP address \(or host-gateway\)"),
    (dict(hosts=["db:10.0.0.1"]), r"hosts must be a dict of KEY: value"),
    (dict(init="maybe"), r"init 'maybe' is not a boolean: use true or false"),
    (dict(logging={"options": {"max-size": "1m"}}), r"logging.options needs logging.driver"),
    (dict(logging={"driver": "local", "opts": {}}), r"logging: unknown keys opts; accepted keys: driver, options"),
    (dict(read_only="sometimes"), r"read_only 'sometimes' is not a boolean"),
    (dict(stdin_open="sometimes"), r"stdin_open 'sometimes' is not a boolean"),
    (dict(stop_grace_period="soon"), r"stop_grace_period 'soon' is not a duration: use seconds"),
    (dict(stop_signal="SIG TERM"), r"stop_signal 'SIG TERM' is not a signal"),
    (dict(sysctls={"net.core.somaxconn": [1]}), r"sysctls.net.core.somaxconn must be a string"),
    (dict(sysctls=["net.core.somaxconn=1"]), r"sysctls must be a dict"),
    (dict(tty="sometimes"), r"tty 'sometimes' is not a boolean"),
    (dict(ulimits=["nofile=1024"]), r"ulimits item 'nofile=1024' is not valid: expected NAME:SOFT\[:HARD\]"),
    (dict(ulimits=["files:1"]), r"ulimits item 'files:1' is not valid"),
    (dict(user={"name": "x"}), r"user must be a string"),
    (dict(working_dir=["/srv"]), r"working_dir must be a string"),
    (dict(placement={"replicas_max_per_node": -1}), r"placement.max_replicas must be a whole number >= 0"),
])
def test_bad_values_refused_naming_the_option(over, match):
    with pytest.raises(SpecError, match=match):
        spec(**over)


# ---------------------------------------------------------------- job modes

def test_replicated_job_mode():
    built = spec(mode="replicated-job", replicas=2)
    assert built["Mode"] == {"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 2}}
    assert spec(mode="global-job")["Mode"] == {"GlobalJob": {}}
    assert spec(mode="replicated-job")["Mode"] == {"ReplicatedJob": {}}
    assert creation_mode({"ReplicatedJob": {}}) == {"ReplicatedJob": {"MaxConcurrent": 1, "TotalCompletions": 1}}
    assert creation_mode(None) == {"Replicated": {"Replicas": 1}}
    # the engine's view of `docker service create --mode replicated-job --replicas 2`
    engine = dict(ENGINE, Mode={"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 2}})
    assert differences(built, engine) == []
    assert differences(spec(mode="replicated-job", replicas=3), engine) == [
        "Mode.ReplicatedJob.MaxConcurrent", "Mode.ReplicatedJob.TotalCompletions"]


@pytest.mark.parametrize("over,match", [
    (dict(mode="replicated-job", update_config={"parallelism": 1}),
     r"update_config cannot be used with mode: replicated-job .*use mode: replicated or global"),
    (dict(mode="global-job", rollback_config={"parallelism": 1}), r"rollback_config cannot be used with mode: global-job"),
    (dict(mode="global-job", replicas=2), r"replicas cannot be used with mode: global-job"),
    (dict(mode="cron-job"), r"mode 'cron-job' is not valid. Accepted values: replicated, global, replicated-job, "
                            r"global-job"),
])
def test_bad_job_inputs(over, match):
    with pytest.raises(SpecError, match=match):
        spec(**over)


@pytest.mark.parametrize("have,want,recreate", [
    ({"Replicated": {"Replicas": 1}}, dict(mode="replicated-job"), "from replicated to replicated-job"),
    ({"ReplicatedJob": {"TotalCompletions": 1}}, dict(mode="replicated", replicas=1),
     "from replicated-job to replicated"),
    ({"GlobalJob": {}}, dict(mode="replicated-job"), "from global-job to replicated-job"),
    ({"Global": {}}, dict(mode="global-job"), "from global to global-job"),
    ({"ReplicatedJob": {"TotalCompletions": 1}}, dict(mode="replicated-job", replicas=4), None),
])
def test_switching_between_job_and_service_recreates(have, want, recreate):
    found = needs_recreate(spec(**want), dict(ENGINE, Mode=have))
    if recreate is None:
        assert found is None
    else:
        assert recreate in found


def task(state, iteration=3, node="n1", desired="complete"):
    return {"Status": {"State": state}, "JobIteration": {"Index": iteration}, "NodeID": node,
            "DesiredState": desired}


def job_service(mode, iteration=3):
    return {"Spec": {"Mode": mode}, "JobStatus": {"JobIteration": {"Index": iteration}}}


def test_replicated_job_done_when_completed_not_running():
    service = job_service({"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 2}})
    assert not job_progress(service, [task("running"), task("running")])[0]
    assert not job_progress(service, [task("complete"), task("running")])[0]
    # completions of an earlier run (before an update re-ran the job) do not count
    assert not job_progress(service, [task("complete", 2), task("complete", 2), task("running")])[0]
    done, completed, expected, summary = job_progress(service, [task("complete"), task("failed"), task("complete")])
    assert done and len(completed) == 2 and expected == 2 and "2 of 2" in summary


def test_global_job_done_when_every_node_completed():
    service = job_service({"GlobalJob": {}})
    assert not job_progress(service, [])[0]
    assert not job_progress(service, [task("complete", node="a"), task("starting", node="b")])[0]
    assert job_progress(service, [task("complete", node="a"), task("complete", node="b")])[0]


# ---------------------------------------------------------------- force_update, resolve_image

def test_force_update_bumps_past_the_current_counter():
    engine = copy.deepcopy(ENGINE)
    engine["TaskTemplate"]["ForceUpdate"] = 4
    desired = force_update(spec(), engine)
    assert desired["TaskTemplate"]["ForceUpdate"] == 5
    assert differences(desired, engine) == ["TaskTemplate.ForceUpdate"]
    assert "ForceUpdate" not in spec()["TaskTemplate"]  # not without the option


def test_pin_image_as_the_cli_records_it():
    digest = "sha256:" + "b" * 64
    assert pin_image("dockyard-lab/app:latest", digest) == "dockyard-lab/app:latest@" + digest
    assert pin_image("reg:5000/team/web", digest) == "reg:5000/team/web:latest@" + digest
    assert pin_image("web@" + digest, "sha256:other") == "web@" + digest
    pinned = spec(image=pin_image(IMAGE, "sha256:" + "a" * 64))
    assert differences(pinned, ENGINE) == []
    assert differences(spec(image=pin_image(IMAGE, digest)), ENGINE) == ["TaskTemplate.ContainerSpec.Image"]
