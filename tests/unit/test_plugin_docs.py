"""``ansible-doc`` renders every plugin of the collection: modules, inventory plugins, the connection plugin.

A description item that YAML reads as a mapping (a ``: `` inside it) or a broken doc fragment makes
``ansible-doc`` (and, for inventory and connection plugins, Ansible itself) refuse the plugin.
"""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, ".lab", "collections")
ANSIBLE_DOC = os.path.join(os.path.dirname(sys.executable), "ansible-doc")


def plugin_names(kind):
    directory = os.path.join(ROOT, "plugins", kind)
    return sorted("dockyard.docker." + name[:-3] for name in os.listdir(directory)
                  if name.endswith(".py") and not name.startswith("_"))


def text(value):
    return " ".join(value) if isinstance(value, list) else value


@pytest.mark.parametrize("kind, plugin_type", [("modules", "module"), ("inventory", "inventory"),
                                               ("connection", "connection")])
def test_ansible_doc_renders_every_plugin(kind, plugin_type):
    names = plugin_names(kind)
    assert names
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([ANSIBLE_DOC, "--json", "-t", plugin_type] + names, capture_output=True, text=True,
                          check=False, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "ERROR" not in proc.stderr, proc.stderr
    docs = json.loads(proc.stdout)
    assert sorted(docs) == names
    for name, entry in docs.items():
        doc = entry["doc"]
        assert text(doc.get("short_description")), name
        assert text(doc.get("description")), name
        assert doc.get("version_added"), name
        assert (entry.get("examples") or "").strip(), "%s has no EXAMPLES" % name
        for option, spec in (doc.get("options") or {}).items():
            assert text(spec.get("description")), "%s: option %s has no description" % (name, option)
            for item in spec["description"] if isinstance(spec["description"], list) else [spec["description"]]:
                assert isinstance(item, str), "%s: option %s: a description item is not text: %r" % (name, option, item)
        for field in ("description", "notes"):
            for item in doc.get(field) or []:
                assert isinstance(item, str), "%s: a %s item is not text: %r" % (name, field, item)
