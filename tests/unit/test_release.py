"""Release hygiene: the versions in the plugins' docs, galaxy.yml and the changelog agree; fragments leave
new plugins to antsibull-changelog (it lists them from ``version_added``); the licence file is the one
galaxy.yml names."""

import os
import re

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN_KINDS = ("modules", "inventory", "connection")


def load(*path):
    with open(os.path.join(ROOT, *path)) as handle:
        return yaml.safe_load(handle)


def version(text):
    return tuple(int(part) for part in str(text).split("."))


def plugins():
    """``[(kind, name, version_added)]`` of every plugin, read from its DOCUMENTATION."""
    found = []
    for kind in PLUGIN_KINDS:
        directory = os.path.join(ROOT, "plugins", kind)
        for filename in sorted(os.listdir(directory)):
            if not filename.endswith(".py") or filename.startswith("_"):
                continue
            with open(os.path.join(directory, filename)) as handle:
                source = handle.read()
            doc = yaml.safe_load(re.search(r'DOCUMENTATION = r?"""(.*?)"""', source, re.S).group(1))
            found.append((kind, filename[:-3], str(doc.get("version_added"))))
    return found


def test_every_version_added_is_released_or_the_version_being_released():
    galaxy = str(load("galaxy.yml")["version"])
    releases = set(load("changelogs", "changelog.yaml")["releases"])
    wrong = ["%s %s: version_added %s" % (kind, name, added) for kind, name, added in plugins()
             if added != galaxy and added not in releases]
    assert not wrong, "galaxy.yml is %s, released: %s; fix: %s" % (galaxy, sorted(releases), "; ".join(wrong))


def test_nothing_is_newer_than_galaxy_version():
    galaxy = version(load("galaxy.yml")["version"])
    newer = ["%s %s" % (name, added) for _kind, name, added in plugins() if version(added) > galaxy]
    assert not newer, newer
    assert all(version(release) <= galaxy for release in load("changelogs", "changelog.yaml")["releases"])


def test_a_release_lists_every_plugin_added_in_it():
    # antsibull-changelog puts a plugin into the release its version_added names; a plugin added after the
    # release was cut needs the release cut again (antsibull-changelog release --update-existing)
    releases = load("changelogs", "changelog.yaml")["releases"]
    missing = []
    for kind, name, added in plugins():
        if added not in releases:
            continue
        release = releases[added]
        listed = release.get("modules", []) if kind == "modules" else release.get("plugins", {}).get(kind, [])
        if name not in [entry["name"] for entry in listed]:
            missing.append("%s %s (version_added %s)" % (kind, name, added))
    assert not missing, "not in the changelog's release: %s" % ", ".join(missing)


def test_fragments_do_not_announce_new_plugins():
    directory = os.path.join(ROOT, "changelogs", "fragments")
    announcing = []
    for filename in sorted(os.listdir(directory)):
        if filename.endswith((".yml", ".yaml")):
            with open(os.path.join(directory, filename)) as handle:
                text = " ".join(handle.read().split())
            if re.search(r"\bnew (module|plugin|inventory plugin|connection plugin)\b", text, re.I):
                announcing.append(filename)
    assert not announcing, "antsibull-changelog lists new plugins from version_added: %s" % announcing


def test_licence_file_is_the_licence_galaxy_names():
    assert load("galaxy.yml")["license"] == ["GPL-3.0-or-later"]
    with open(os.path.join(ROOT, "COPYING")) as handle:
        head = " ".join(handle.read(400).split())
    assert head.startswith("GNU GENERAL PUBLIC LICENSE Version 3, 29 June 2007")
