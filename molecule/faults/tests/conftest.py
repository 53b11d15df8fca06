"""Helpers for the faults scenario: run modules and playbooks against the node, read its engine."""

import os
import sys

SCENARIO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(SCENARIO), "_shared"))

from testlib import ad_hoc_argv, ansible_env, host_fixture, run_ad_hoc  # noqa: E402

NODE = "faults-node1"
APP = "dockyard-lab/app:latest"
ENV = ansible_env()


def module_argv(args, module="container"):
    return ad_hoc_argv(NODE, module, args)


def run_module(args, module="container", timeout=300, env=None):
    return run_ad_hoc(NODE, module, args, timeout=timeout, env=env or ENV)


def web(**over):
    args = dict(name="f-web", image=APP, pull="never", command=["app-server", "--port", "8000"],
                published_ports=["18080:8000"], restart_policy="unless-stopped", stop_timeout=1,
                volumes=["f-web-data:/data"], env={"RELEASE": "1"})
    args.update(over)
    return args


def bulk_items(release="1"):
    return [dict(name="f-bulk-%02d" % i, image=APP, pull="never", volumes=["f-vol-%02d:/data" % i],
                 restart_policy="unless-stopped", stop_timeout=1, env={"RELEASE": release}) for i in range(20)]


node = host_fixture(NODE)


def names(h):
    return sorted(h.check_output("docker ps -a --format '{{.Names}}'").split())


def answers(h, port):
    cmd = "python3 -c \"import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:%d/').read().decode())\""
    return h.run(cmd % port)
