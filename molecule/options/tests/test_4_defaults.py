"""Options set back to their empty value take the container back to the engine's defaults."""

from conftest import run_module
from testlib import inspect

MIB = 1024 * 1024


def test_back_to_engine_defaults(node):
    before = inspect(node, "opt-all")
    run = run_module(dict(
        name="opt-all", image="dockyard-lab/app:latest", pull="never", stop_timeout=2, env={}, labels={},
        memory="0", memory_reservation="0", cpus=0, cpu_shares=0, pids_limit=0, shm_size="64m", ulimits=[],
        sysctls={}, tmpfs=[], read_only=False, init=False, capabilities=[], cap_drop=[], security_opts=[],
        devices=[], groups=[], dns_servers=[], dns_search_domains=[], dns_opts=[], etc_hosts={}, oom_score_adj=0,
        published_ports=[], mounts=[], log_options={}, log_driver="json-file", tty=False, interactive=False,
        restart_policy="no"))
    assert run.rc == 0, run.output
    data = inspect(node, "opt-all")
    host, config = data["HostConfig"], data["Config"]
    assert data["Id"] != before["Id"]
    assert (host["Memory"], host["MemoryReservation"], host["NanoCpus"], host["CpuShares"]) == (0, 0, 0, 0)
    assert host["PidsLimit"] in (None, 0) and host["ShmSize"] == 64 * MIB
    assert not host["Ulimits"] and not host.get("Sysctls") and not host.get("Tmpfs")
    assert host["ReadonlyRootfs"] is False and not host.get("Init")
    assert not host["CapAdd"] and not host["CapDrop"] and not host["SecurityOpt"] and not host["Devices"]
    assert not host["Dns"] and not host["DnsSearch"] and not host["DnsOptions"] and not host["ExtraHosts"]
    assert host["OomScoreAdj"] == 0 and not host["PortBindings"] and not host.get("Mounts")
    assert host["RestartPolicy"]["Name"] in ("no", "")
    assert config["Tty"] is False and config["OpenStdin"] is False
    assert [k for k in config["Labels"] if not k.startswith("io.dockyard")] == []
    assert "A=1" not in config["Env"]
