"""Options the engine changes on a running container are changed in place: same ID, same StartedAt."""

from conftest import converged, run_module
from testlib import inspect

MIB = 1024 * 1024


def test_resource_limits_and_policy_change_in_place(node):
    before = inspect(node, "opt-all")
    args = dict(converged("opt-all"), memory="96m", memory_swap="192m", memory_reservation="16m", cpus=1,
                cpu_shares=256, cpuset_cpus="0,1", pids_limit=200, restart_policy="always")
    run = run_module(args)
    assert run.rc == 0, run.output
    after = inspect(node, "opt-all")
    assert after["Id"] == before["Id"]
    assert after["State"]["StartedAt"] == before["State"]["StartedAt"]
    host = after["HostConfig"]
    assert (host["Memory"], host["MemorySwap"], host["MemoryReservation"]) == (96 * MIB, 192 * MIB, 16 * MIB)
    assert (host["NanoCpus"], host["CpuShares"], host["CpusetCpus"], host["PidsLimit"]) == (10 ** 9, 256, "0,1", 200)
    assert host["RestartPolicy"]["Name"] == "always"
    # the kernel enforces the new limit, not only the engine's record
    assert node.check_output("docker exec opt-all cat /sys/fs/cgroup/memory/memory.limit_in_bytes") == str(96 * MIB)
    again = run_module(args)
    assert again.rc == 0 and again.result.get("changed") is False, again.output
    assert inspect(node, "opt-all")["State"]["StartedAt"] == before["State"]["StartedAt"]


def test_cfs_quota_changes_in_place(node):
    before = inspect(node, "opt-cfs")
    run = run_module(dict(converged("opt-cfs"), cpu_period=200000, cpu_quota=20000))
    assert run.rc == 0, run.output
    after = inspect(node, "opt-cfs")
    assert (after["Id"], after["State"]["StartedAt"]) == (before["Id"], before["State"]["StartedAt"])
    assert (after["HostConfig"]["CpuPeriod"], after["HostConfig"]["CpuQuota"]) == (200000, 20000)


def test_paused_is_applied_in_place(node):
    before = inspect(node, "opt-cfs")
    assert run_module(dict(converged("opt-cfs"), cpu_period=200000, cpu_quota=20000, paused=True)).rc == 0
    assert inspect(node, "opt-cfs")["State"]["Paused"] is True
    assert run_module(dict(converged("opt-cfs"), cpu_period=200000, cpu_quota=20000, paused=False)).rc == 0
    after = inspect(node, "opt-cfs")
    assert after["State"]["Paused"] is False and after["State"]["Running"] is True
    assert after["Id"] == before["Id"]
