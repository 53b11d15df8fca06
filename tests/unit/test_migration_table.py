"""docs/migration.yml against both collections' docs, and the README's migration section against the file.

community.docker's docs are read from .lab/community (``make community``, part of ``make setup``), ours from this
checkout, once per session with one ansible-doc run per plugin type (tools/gen_migration.py).
"""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import gen_migration  # noqa: E402  (tools/ is not a package)


@pytest.fixture(scope="module")
def docs():
    if not os.path.isdir(gen_migration.COMMUNITY_DOCKER):
        pytest.skip("community.docker is not unpacked in .lab/community (run make community)")
    return gen_migration.load_docs()


@pytest.fixture(scope="module")
def table():
    return gen_migration.load_table()


def _checked(docs, table):
    """(key, their docs, our docs, the file's entry) of every plugin whose module of ours exists here."""
    for plugin_type, theirs, _ours in gen_migration.PLUGINS:
        key = gen_migration.table_key(plugin_type, theirs)
        entry = (table.get("modules") or {}).get(key)
        assert entry is not None, "docs/migration.yml has no entry for %s" % key
        if docs[key]["ours"] is None:
            assert entry.get("pending"), "%s: our %s does not exist; mark it pending or add it" % (key, entry["ours"])
            continue
        assert not entry.get("pending"), (
            "%s: our %s exists now: drop its pending mark (python3 tools/gen_migration.py --propose does) and "
            "review its rows" % (key, entry["ours"]))
        yield key, docs[key]["theirs"], docs[key]["ours"], entry


def problems(docs, table):
    """Every way the file disagrees with the docs, as text (empty when it is right)."""
    found = []
    for key, theirs, ours, entry in _checked(docs, table):
        for kind in ("options", "returns"):
            rows = entry.get(kind) or {}
            names = gen_migration.our_names(ours[kind])
            for name in sorted(set(theirs[kind]) - set(rows)):
                found.append("%s: their %s %s has no row" % (key, kind[:-1], name))
            for name in sorted(set(rows) - set(theirs[kind])):
                found.append("%s: row for %s %s, which community.docker does not have" % (key, kind[:-1], name))
            for name, value in rows.items():
                if name not in theirs[kind]:
                    continue
                value = gen_migration.row(value)
                status = value.get("status")
                if status not in gen_migration.STATUSES:
                    found.append("%s: %s: status %r is not one of %s" % (key, name, status, gen_migration.STATUSES))
                    continue
                if status != "same" and not (value.get("note") or "").strip():
                    found.append("%s: %s is %s without a note" % (key, name, status))
                if status == "unsupported" and "ours" not in value and name in names:
                    found.append("%s: %s is unsupported, but ours has it (as %s)" % (key, name, names[name]))
                ours_name = gen_migration.row_ours(name, value)
                if ours_name is not None and ours_name not in names:
                    found.append("%s: %s names our %s %s, which does not exist" % (key, name, kind[:-1], ours_name))
                if status == "same":
                    their_spec = theirs[kind][name]
                    our_spec = ours[kind].get(name)
                    if our_spec is None:
                        found.append("%s: %s is same, but ours has no %s of that name" % (key, name, kind[:-1]))
                        continue
                    fields = ("type", "choices", "default") if kind == "options" else ("type",)
                    for field in fields:
                        their_value, our_value = their_spec[field], our_spec[field]
                        if field == "choices":
                            their_value, our_value = sorted(map(str, their_value or [])), sorted(map(str, our_value or []))
                        if their_value != our_value:
                            found.append("%s: %s is same, but %s differs (theirs %r, ours %r)" % (
                                key, name, field, their_value, our_value))
                    lost = [a for a in their_spec["aliases"] if a not in names]
                    if lost:
                        found.append("%s: %s is same, but their aliases %s are not accepted here" % (key, name, lost))
    return found


def test_every_option_and_return_value_has_a_true_row(docs, table):
    assert problems(docs, table) == []


def test_modules_section_is_complete(table):
    keys = set(gen_migration.table_key(t, n) for t, n, _doc in gen_migration.PLUGINS)
    assert set(table["modules"]) == keys
    for key, entry in table["modules"].items():
        assert entry["ours"], key


def test_a_row_that_lies_is_caught(docs, table):
    """The checks above can fail: a same row whose type is not theirs, a differs row called same, a missing note,
    a row naming an option of ours that does not exist, a missing row."""
    import copy
    lying = copy.deepcopy(table)
    rows = lying["modules"]["docker_container"]["options"]
    assert rows["oom_killer"] == "same"
    docs = copy.deepcopy(docs)
    docs["docker_container"]["ours"]["options"]["oom_killer"]["type"] = "int"
    rows["validate_certs"] = "same"
    rows["tls"] = dict(status="unsupported")
    rows["api_version"] = dict(status="differs", ours="engine_api_version", note="x")
    del rows["image"]
    found = "\n".join(problems(docs, lying))
    assert "oom_killer is same, but type differs" in found
    assert "validate_certs is same, but default differs" in found
    assert "tls is unsupported without a note" in found
    assert "names our option engine_api_version, which does not exist" in found
    assert "their option image has no row" in found


def test_readme_migration_section_is_generated_from_the_file():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_migration.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_section_renders_every_row(table):
    text = gen_migration.render(table)
    entry = table["modules"]["docker_container_exec"]
    assert "#### `docker_container_exec` → `exec`" in text
    for name, value in entry["options"].items():
        assert "`%s`" % name in text, name
    for item in table["kept_differences"]:
        assert "case `%s`" % item["case"] in text
