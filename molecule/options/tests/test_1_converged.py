"""The role created both containers with every option as the engine reports it."""

from testlib import inspect

MIB = 1024 * 1024


def test_resources(node):
    host = inspect(node, "opt-all")["HostConfig"]
    assert host["Memory"] == 64 * MIB
    assert host["MemorySwap"] == 128 * MIB
    assert host["MemoryReservation"] == 32 * MIB
    assert host["MemorySwappiness"] == 10
    assert host["NanoCpus"] == 500000000
    assert host["CpuShares"] == 512
    assert host["CpusetCpus"] == "0"
    assert host["PidsLimit"] == 100
    assert host["ShmSize"] == 32 * MIB
    assert host["Ulimits"] == [{"Name": "nofile", "Hard": 2048, "Soft": 1024}]
    cfs = inspect(node, "opt-cfs")["HostConfig"]
    assert (cfs["CpuPeriod"], cfs["CpuQuota"], cfs["CpusetMems"], cfs["UTSMode"]) == (100000, 50000, "0", "host")
    assert cfs["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 2}


def test_security_and_devices(node):
    host = inspect(node, "opt-all")["HostConfig"]
    assert host["CapAdd"] == ["NET_ADMIN"] and host["CapDrop"] == ["MKNOD"]
    assert host["SecurityOpt"] == ["no-new-privileges"]
    assert host["ReadonlyRootfs"] is True and host["Init"] is True
    assert host["Devices"] == [{"PathOnHost": "/dev/null", "PathInContainer": "/dev/xnull", "CgroupPermissions": "rw"}]
    assert host["GroupAdd"] == ["123"]
    assert host["OomScoreAdj"] == 100
    assert host["IpcMode"] == "shareable"
    assert host["Sysctls"] == {"net.ipv4.ip_forward": "1"}
    # the effects inside the container, not only the engine's record
    assert node.check_output("docker exec opt-all cat /proc/sys/net/ipv4/ip_forward") == "1"
    assert node.run("docker exec opt-all touch /probe").rc != 0, "the root filesystem must be read-only"
    assert node.check_output("docker exec opt-all sh -c 'ulimit -n'") == "1024"


def test_network_dns_and_ports(node):
    data = inspect(node, "opt-all")
    host, config = data["HostConfig"], data["Config"]
    assert host["Dns"] == ["192.0.2.53"] and host["DnsSearch"] == ["example.test"] and host["DnsOptions"] == ["ndots:2"]
    assert host["ExtraHosts"] == ["db.example.test:192.0.2.10"]
    assert host["PortBindings"] == {"8001/tcp": [{"HostIp": "", "HostPort": "18081"}]}
    assert {"8001/tcp", "9000/tcp"} <= set(config["ExposedPorts"])  # plus what the image exposes
    assert "192.0.2.10\tdb.example.test" in node.check_output("docker exec opt-all cat /etc/hosts")
    assert "nameserver 192.0.2.53" in node.check_output("docker exec opt-all cat /etc/resolv.conf")
    assert node.run("python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:18081/')\"").rc == 0


def test_process_environment_and_storage(node):
    data = inspect(node, "opt-all")
    host, config = data["HostConfig"], data["Config"]
    assert config["Cmd"] == ["app-server", "--port", "8001"]
    env = dict(item.split("=", 1) for item in config["Env"])
    assert (env["A"], env["B"], env["FROM_FILE"]) == ("1", "2", "yes"), "env wins over env_file"
    assert config["Labels"]["tier"] == "web" and config["Labels"]["team"] == "ops"
    assert (config["Hostname"], config["Domainname"], config["User"], config["WorkingDir"]) == \
        ("opt-host", "example.test", "root", "/tmp")
    assert (config["StopSignal"], config["StopTimeout"], config["Tty"], config["OpenStdin"]) == ("SIGTERM", 2, True, True)
    assert config["Healthcheck"] == {"Test": ["CMD-SHELL", "true"], "Interval": 2000000000, "Retries": 2}
    assert host["Tmpfs"] == {"/scratch": "size=10m"}
    assert host["Binds"] == ["opt-data:/data:rw"]
    assert host["Mounts"] == [{"Type": "tmpfs", "Target": "/run/t", "TmpfsOptions": {"SizeBytes": 8 * MIB, "Mode": 0o1777}}]
    assert "size=8192k" in node.check_output("docker exec opt-all grep /run/t /proc/mounts")
    assert host["LogConfig"] == {"Type": "json-file", "Config": {"max-size": "1m"}}
    assert host["RestartPolicy"] == {"Name": "unless-stopped", "MaximumRetryCount": 0}
    assert data["State"]["Running"] is True
