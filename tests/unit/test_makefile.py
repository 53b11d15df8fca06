"""The Makefile's own texts stay true: `make help` names every target, and the README's list of Molecule
scenarios names every scenario `make test` runs (and every scenario there is)."""

import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def makefile():
    with open(os.path.join(ROOT, "Makefile")) as handle:
        return handle.read()


def phony_targets(text):
    """Every name on a ``.PHONY:`` line (the Makefile declares some next to their rule)."""
    names = set()
    for line in text.splitlines():
        if line.startswith(".PHONY:"):
            names.update(line[len(".PHONY:"):].split())
    return names


def rule_targets(text):
    """Targets of the rules written with a plain name (not a file path such as ``$(VENV)/.stamp``)."""
    return set(re.findall(r"^([a-z][a-z0-9-]*):(?!=)", text, re.M))


def help_targets(text):
    """The targets `make help`'s lines describe: each line of a target starts with ``make TARGET``."""
    return set(re.findall(r"^make ([a-z][a-z0-9-]*)", text, re.M))


def make_help():
    proc = subprocess.run(["make", "--no-print-directory", "-s", "-C", ROOT, "help"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def scenarios():
    """SCENARIOS, the scenarios `make test` runs, in order."""
    found = re.search(r"^SCENARIOS\s*\?=(.*)$", makefile(), re.M)
    assert found, "the Makefile sets no SCENARIOS"
    return found.group(1).split()


def readme_scenario_list():
    """The backticked names of the README's list item on the Molecule scenarios (Development, `make test`)."""
    with open(os.path.join(ROOT, "README.md")) as handle:
        readme = handle.read()
    item = re.search(r"^\d+\. every Molecule scenario.*?(?=^\d+\. |^\s*$)", readme, re.M | re.S)
    assert item, "the README's Development section has no 'every Molecule scenario' step"
    return set(re.findall(r"`([^`]+)`", item.group(0)))


def molecule_scenarios():
    directory = os.path.join(ROOT, "molecule")
    return set(name for name in os.listdir(directory) if os.path.isfile(os.path.join(directory, name, "molecule.yml")))


def test_make_help_names_every_phony_target_and_no_other():
    phony = phony_targets(makefile())
    described = help_targets(make_help())
    assert sorted(phony - described) == [], "targets `make help` does not list (add a '#   make TARGET' line)"
    assert sorted(described - phony) == [], "`make help` lists targets the Makefile does not declare .PHONY"


def test_every_named_rule_is_phony():
    # A rule named like a target but not .PHONY would be skipped whenever a file of that name exists.
    text = makefile()
    assert sorted(rule_targets(text) - phony_targets(text)) == []


def test_the_parsers_see_the_targets_they_should():
    text = "\n".join([
        ".PHONY: help unit",
        "help:",
        "\t@sed -n 's/^#   //p' Makefile",
        "SHELL := /bin/bash",
        "$(VENV)/.stamp: requirements-dev.txt",
        ".PHONY: bench-stack",
        "bench-stack: setup",
        "unit: venv",
    ])
    assert phony_targets(text) == {"help", "unit", "bench-stack"}
    assert rule_targets(text) == {"help", "bench-stack", "unit"}
    assert help_targets("make help   this list\n                  (more)\nmake molecule SCENARIO=NAME  one\n") == {
        "help", "molecule"}


def test_readme_lists_every_scenario_make_test_runs():
    listed = readme_scenario_list()
    assert sorted(set(scenarios()) - listed) == [], "scenarios of the Makefile's SCENARIOS the README does not list"


def test_readme_lists_no_scenario_that_does_not_exist():
    listed = readme_scenario_list()
    named_like_a_scenario = set(name for name in listed if re.match(r"^[a-z]+$", name))
    # `changed` is the one other lowercase word the item quotes (the result key the dropin scenario compares).
    unknown = named_like_a_scenario - molecule_scenarios() - {"changed"}
    assert sorted(unknown) == [], "the README's scenario list names scenarios molecule/ does not have"


def test_make_test_runs_every_scenario_there_is():
    assert sorted(molecule_scenarios() - set(scenarios())) == [], "molecule/ scenarios SCENARIOS leaves out"
    assert len(scenarios()) == len(set(scenarios())), "a scenario twice in SCENARIOS"
