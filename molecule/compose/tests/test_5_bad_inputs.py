"""Bad projects are refused naming the key path (or file and line), with nothing created on the node."""

import pytest

from conftest import run_compose, snapshot

WEB = {"image": "dockyard-lab/app:latest"}


@pytest.mark.parametrize("args, fragment", [
    (dict(definition={"services": {"web": dict(WEB, build=".")}}), "services.web.build: not supported"),
    (dict(definition={"services": {"web": {"image": "${UNDEFINED_VAR}"}}}),
     "services.web.image: variable UNDEFINED_VAR is not set and has no default"),
    (dict(definition={"services": {"web": dict(WEB, ports=["80:80:80"])}}),
     "services.web.ports[0]: port '80:80:80': '80' is not an IP address"),
    (dict(definition={"services": {"web": dict(WEB, volumes=["undeclared:/data"])}}),
     "services.web.volumes[0]: volume undeclared is not declared under the top-level volumes"),
    (dict(files=["/srv/shop/broken.yml"]), "/srv/shop/broken.yml: line 5 column 1 is not valid YAML"),
    (dict(files=["/srv/shop/nope.yml"]), "files: /srv/shop/nope.yml does not exist"),
])
def test_refused_and_nothing_created(node, args, fragment):
    before = snapshot(node)
    run = run_compose(dict(args, project_name="bad", pull="never"))
    assert run.rc != 0, run.output
    assert fragment in run.msg, run.output
    assert run.result["changed"] is False
    assert snapshot(node) == before
