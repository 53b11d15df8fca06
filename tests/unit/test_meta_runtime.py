"""meta/runtime.yml's action group ``docker`` names every module, so ``module_defaults: group/dockyard.docker.docker``
gives the connection options to all of them."""

import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def modules():
    names = os.listdir(os.path.join(ROOT, "plugins", "modules"))
    return sorted(name[:-3] for name in names if name.endswith(".py") and not name.startswith("_"))


def docker_group():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as handle:
        return yaml.safe_load(handle)["action_groups"]["docker"]


def test_every_module_is_in_the_docker_action_group():
    missing = sorted(set(modules()) - set(docker_group()))
    assert not missing, "add to meta/runtime.yml action_groups.docker: %s" % ", ".join(missing)


def test_the_action_group_names_only_modules_that_exist():
    group = docker_group()
    assert len(group) == len(set(group)), "a module is listed twice"
    unknown = sorted(set(group) - set(modules()))
    assert not unknown, "meta/runtime.yml action_groups.docker names no module: %s" % ", ".join(unknown)
