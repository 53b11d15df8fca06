"""The engine restarted while a bulk task recreates twenty containers: the next run converges, no data lost."""

import subprocess
import time

from conftest import ENV, bulk_items, module_argv, run_module
from testlib import inspect


def test_engine_restart_during_bulk_recreate(node):
    for i in range(20):
        node.check_output("docker exec f-bulk-%02d sh -c 'echo data-%02d > /data/file'" % (i, i))
    task = subprocess.Popen(module_argv({"containers": bulk_items("2"), "parallelism": 4}, module="containers"),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    # restart the engine as soon as the task has begun changing containers
    deadline = time.time() + 60
    while time.time() < deadline and "RELEASE=2" not in node.check_output(
            "docker ps -a --format '{{.Names}}' | grep f-bulk | xargs -r docker inspect --format "
            "'{{range .Config.Env}}{{.}} {{end}}' || true"):
        time.sleep(0.2)
    node.check_output("systemctl restart docker")
    task.communicate(timeout=300)
    run = run_module({"containers": bulk_items("2")}, module="containers")
    assert run.rc == 0, run.output
    for i in range(20):
        data = inspect(node, "f-bulk-%02d" % i)
        assert data["State"]["Running"] and "RELEASE=2" in data["Config"]["Env"], i
        assert node.check_output("docker exec f-bulk-%02d cat /data/file" % i) == "data-%02d" % i
    assert node.check_output("docker ps -a --format '{{.Names}}' | grep -c dockyard-old || true") == "0"
