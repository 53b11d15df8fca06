"""Other changes recreate the container; a variable or label removed from the task is noticed; data survives."""

from conftest import converged, run_module
from testlib import inspect

LIVE = dict(memory="96m", memory_swap="192m", memory_reservation="16m", cpus=1, cpu_shares=256, cpuset_cpus="0,1",
            pids_limit=200, restart_policy="always")


def test_removed_variable_and_label_and_changed_sysctl_recreate_keeping_volume_data(node):
    node.check_output("docker exec opt-all sh -c 'echo kept > /data/file'")
    before = inspect(node, "opt-all")
    args = dict(converged("opt-all"), **LIVE)
    args["env"] = {"A": "1"}                      # B removed
    args["labels"] = {"tier": "web"}              # team removed
    args["sysctls"] = {"net.ipv4.ip_forward": 0}
    args["capabilities"] = ["net_admin", "sys_time"]
    args["ulimits"] = ["nofile:2048:4096"]
    run = run_module(args)
    assert run.rc == 0, run.output
    after = inspect(node, "opt-all")
    assert after["Id"] != before["Id"]
    env = dict(item.split("=", 1) for item in after["Config"]["Env"])
    assert env["B"] == "from-file", "B now comes from env_file only"
    assert "team" not in after["Config"]["Labels"]
    assert after["HostConfig"]["Sysctls"] == {"net.ipv4.ip_forward": "0"}
    assert sorted(after["HostConfig"]["CapAdd"]) == ["NET_ADMIN", "SYS_TIME"]
    assert after["HostConfig"]["Ulimits"] == [{"Name": "nofile", "Hard": 4096, "Soft": 2048}]
    assert node.check_output("docker exec opt-all cat /data/file") == "kept"
    assert node.run("docker inspect %s" % before["Id"]).rc != 0, "the old container is gone"


def test_comparisons_ignore_everything(node):
    before = inspect(node, "opt-all")
    run = run_module(dict(name="opt-all", image="dockyard-lab/app:latest", pull="never", hostname="other",
                          sysctls={}, comparisons={"*": "ignore"}))
    assert run.rc == 0, run.output
    assert inspect(node, "opt-all")["Id"] == before["Id"]
