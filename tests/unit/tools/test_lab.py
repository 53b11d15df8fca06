"""Pure logic of the lab tool (tools/lab.py): mirrors, recipe hashing, node arguments, inventory."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools"))
import lab  # noqa: E402


DEB822 = """Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
"""


def test_mirror_from_deb822():
    assert lab.find_debian_mirror([DEB822]) == "http://deb.debian.org/debian"


def test_mirror_from_one_line_format_with_options_and_security_skipped():
    text = (
        "deb http://security.debian.org/debian-security bookworm-security main\n"
        "deb [arch=amd64 signed-by=/x.gpg] http://ftp.example.org/debian/ bookworm main contrib\n"
    )
    assert lab.find_debian_mirror([text]) == "http://ftp.example.org/debian"


def test_mirror_ignores_third_party_and_other_suites():
    text = "deb https://deb.nodesource.com/node_20.x nodistro main\ndeb http://deb.debian.org/debian bullseye main\n"
    assert lab.find_debian_mirror([text]) is None


def test_recipe_hash_is_stable_and_changes_with_the_recipe_or_a_parent():
    recipes = {"base": None, "a": ("base", "RUN true\n", {}), "b": ("a", "RUN false\n", {"f": "x"})}
    h1 = lab.recipe_hash("b", recipes)
    assert h1 == lab.recipe_hash("b", recipes)
    changed_parent = dict(recipes, a=("base", "RUN echo changed\n", {}))
    assert lab.recipe_hash("b", changed_parent) != h1
    changed_file = dict(recipes, b=("a", "RUN false\n", {"f": "y"}))
    assert lab.recipe_hash("b", changed_file) != h1
    assert lab.recipe_hash("b", recipes, mirror="http://other/debian") != h1


def test_build_order_parents_first_once():
    assert lab.build_order(["node-engine", "app", "node"]) == ["base", "node", "node-engine", "app"]


def test_build_order_unknown_image_is_a_clear_error():
    with pytest.raises(lab.LabError, match="unknown lab image 'nope'"):
        lab.build_order(["nope"])


def test_node_run_args_never_privileged_and_use_the_cap_recipe():
    args = lab.node_run_args("t", "t-node1", "img:1", "dlab-t")
    assert "--privileged" not in args
    assert args.count("--cap-add") == len(lab.NODE_CAPS)
    for refused in ("SYS_RESOURCE", "PERFMON", "BPF", "CHECKPOINT_RESTORE"):
        assert refused not in lab.NODE_CAPS
    assert "dlab-t-t-node1-docker:/var/lib/docker" in args
    assert "%s=t" % lab.LABEL in args
    assert args[-1] == "img:1"
    assert args[args.index("--hostname") + 1] == "t-node1"


def test_default_groups_one_or_three_managers():
    assert lab.default_groups(["a", "b", "c"])["swarm_managers"] == ["a"]
    five = lab.default_groups(["a", "b", "c", "d", "e"])
    assert five["swarm_managers"] == ["a", "b", "c"] and five["swarm_workers"] == ["d", "e"]


def test_default_groups_with_a_registry_node_outside_the_swarm():
    groups = lab.default_groups(["a", "b", "c"], "lab-registry")
    assert groups["registry"] == ["lab-registry"]
    assert groups["docker_hosts"] == ["a", "b", "c"]
    assert "lab-registry" not in groups["swarm_managers"] + groups["swarm_workers"]
    assert "registry" not in lab.default_groups(["a"])
    assert lab.registry_host("lab2") == "lab2-registry"


def test_inventory_carries_the_lab_vars(tmp_path):
    yaml = pytest.importorskip("yaml")
    inv = lab.render_inventory("t", [("t-node1", "172.18.0.2"), ("t-registry", "172.18.0.3")], "/k",
                               lab.default_groups(["t-node1"], "t-registry"),
                               {"lab_state_dir": "/x/.lab/t", "lab_registry_images": ["dockyard-lab/app:latest"]})
    data = yaml.safe_load(lab.to_yaml(inv))
    assert data["all"]["vars"] == {"lab_name": "t", "lab_state_dir": "/x/.lab/t",
                                   "lab_registry_images": ["dockyard-lab/app:latest"]}
    assert data["all"]["children"]["registry"]["hosts"] == {"t-registry": {}}


def test_registry_load_needs_registry(capsys):
    assert lab.main(["up", "--lab", "t", "--registry-load", "dockyard-lab/app:latest"]) == 2
    assert "--registry-load needs --registry" in capsys.readouterr().err


def test_inventory_renders_as_yaml_ansible_can_read(tmp_path):
    yaml = pytest.importorskip("yaml")
    inv = lab.render_inventory("t", [("t-node1", "172.18.0.2")], "/k", {"swarm_managers": ["t-node1"]})
    text = lab.to_yaml(inv)
    data = yaml.safe_load(text)
    host = data["all"]["hosts"]["t-node1"]
    assert host["ansible_host"] == "172.18.0.2" and host["ansible_user"] == "root"
    assert data["all"]["children"]["swarm_managers"]["hosts"] == {"t-node1": {}}


def test_names_are_prefixed_so_down_only_touches_the_lab():
    assert lab.container_name("lab", "lab-node1") == "dlab-lab-lab-node1"
    assert lab.network_name("lab") == "dlab-lab"
    assert lab.volume_name("lab", "n") == "dlab-lab-n-docker"


def test_node_run_args_fixed_address_and_fuse():
    args = lab.node_run_args("t", "t-node1", "img:1", "dlab-t", address="172.30.0.2", fuse=True)
    assert args[args.index("--ip") + 1] == "172.30.0.2"
    assert "io.dockyard.lab.ip=172.30.0.2" in args
    assert args[args.index("--device") + 1] == "/dev/fuse"
    assert "dlab-t-t-node1-data:%s" % lab.NODE_DATA_DIR in args
    assert args[-1] == "img:1"
    plain = lab.node_run_args("t", "t-node1", "img:1", "dlab-t")
    assert "--ip" not in plain and "--device" not in plain


def test_next_free_address_skips_the_gateway_and_used_addresses():
    assert lab.next_free_address("172.30.0.0/24", set()) == "172.30.0.2"
    assert lab.next_free_address("172.30.0.0/24", {"172.30.0.2", "172.30.0.4"}) == "172.30.0.3"
    with pytest.raises(lab.LabError, match="no free address"):
        lab.next_free_address("172.30.0.0/30", {"172.30.0.2"})


def test_storage_image_bakes_glusterfs_on_top_of_node_engine():
    parent, body, _files = lab.RECIPES["node-storage"]
    assert parent == "node-engine"
    assert "glusterfs-server" in body and "glusterfs-client" in body
    assert lab.build_order(["node-storage"]) == ["base", "node", "node-engine", "node-storage"]


def test_default_groups_with_storage_puts_every_node_in_storage_servers():
    assert lab.default_groups(["a", "b", "c"], "r", storage=True)["storage_servers"] == ["a", "b", "c"]
    assert "storage_servers" not in lab.default_groups(["a", "b", "c"], "r")
