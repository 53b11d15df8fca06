"""docker_install_source: upstream cannot download here (Docker's repositories are unreachable from the
lab), so prove what can be proven: in check mode with diff, the role defines the deb822 source with the
signed-by keyring at the documented paths, and writes nothing (engine-node2)."""

import re

from conftest import engine_state, run_apply

NODE = "engine-node2"
SOURCES = "/etc/apt/sources.list.d/docker.sources"
KEYRING = "/etc/apt/keyrings/docker.asc"


def test_upstream_repository_definition_in_check_mode(node2):
    before = engine_state(node2)
    arch = node2.check_output("dpkg --print-architecture")
    codename = node2.check_output(". /etc/os-release && echo $VERSION_CODENAME")
    run = run_apply(
        NODE,
        {
            "docker_install_source": "upstream",
            # a key that exists on the node stands in for https://download.docker.com/linux/debian/gpg
            "docker_upstream_gpg_key_url": "file:///usr/share/keyrings/debian-archive-keyring.gpg",
        },
        check=True,
        diff=True,
        tags="docker_repo",
    )
    assert run.rc == 0, run.output[-4000:]
    out = run.output
    assert "signing key to %s" % KEYRING in out
    # the diff of the .sources task: the lines the role would write
    m = re.search(r"repository to %s\] \*+\n(.*?)\nchanged:" % re.escape(SOURCES), out, re.S)
    assert m, out[-4000:]
    added = [line[1:] for line in m.group(1).splitlines() if line.startswith("+") and not line.startswith("+++")]
    fields = dict(line.split(": ", 1) for line in added if ": " in line and not line.startswith("#"))
    assert fields == {
        "Types": "deb",
        "URIs": "https://download.docker.com/linux/debian",
        "Suites": codename,
        "Components": "stable",
        "Architectures": arch,
        "Signed-By": KEYRING,
    }
    # check mode: nothing written, the distro engine untouched
    assert not node2.file(SOURCES).exists
    assert not node2.file(KEYRING).exists
    assert engine_state(node2) == before
