# dockyard.docker — developer entry points. `make help` prints the lines below, one per target
# (tests/unit/test_makefile.py fails when a .PHONY target has none).
#   make help         this list
#   make setup        venv, collections, community and images: what the tests and the lab need
#   make venv         the pinned Python tooling (requirements-dev.txt) in .venv
#   make engine       a Docker engine on this machine (Debian's docker.io; dockerd started when none answers)
#   make images       the lab images, built from Debian packages and cached by recipe
#   make collections  this tree linked into .lab/collections as dockyard.docker
#   make community    community.docker (requirements-community.txt) in .lab/community, for the side-by-side
#                     scenario and the migration table's test only
#   make unit         unit tests (pytest tests/unit)
#   make mutants      break the code one small edit at a time and show which unit test catches each edit
#   make docs         the container option docs and the README's migration section, generated again
#   make sanity       ansible-test sanity on a copy of the collection (tools/sanity.sh)
#   make lint         ruff and vulture (unused code and imports), yamllint, ansible-lint
#   make galaxy       build the collection tarball, install it offline into an empty path and use it from there
#   make molecule SCENARIO=NAME  one Molecule scenario (create, converge, idempotence, verify, destroy)
#   make scenarios    every Molecule scenario of SCENARIOS, one at a time
#   make test         set up, then unit tests, mutants, sanity, lint, galaxy and every Molecule scenario
#   make lab-up       set up, start the local lab's nodes (LAB_NODES=3) and its registry node; no playbook
#   make lab          set up, start the local lab (LAB_NODES=3 and a registry node) and run playbooks/site.yml on it
#                     (LAB_STORAGE=1: GlusterFS on the nodes, shared volumes, a stateful service on them)
#   make summary      what runs where on the lab (playbooks/lab_summary.yml; the end of `make lab`)
#   make lab-destroy  remove everything the lab created
#   make bench        benchmarks (on demand; see benchmarks/README.md)
#   make bench-stack  only the stack benchmark: a 10-service stack on its own lab swarm, next to docker stack deploy
#   make bench-inventory  only the inventory benchmark: ansible-inventory over 50 containers, next to community.docker
#   make clean        remove the lab, .venv, .lab and the test output
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT        := $(abspath .)
PYTHON      ?= python3
VENV        := $(ROOT)/.venv
BIN         := $(VENV)/bin
LAB_NODES   ?= 3
LAB_NAME    ?= lab
# LAB_STORAGE=1: nodes from the node-storage image with /dev/fuse and a brick volume, all in storage_servers.
LAB_STORAGE ?=
LAB_NODE_IMAGE := $(if $(LAB_STORAGE),node-storage --fuse,node-engine)
# Images `make lab` puts into the lab's registry (the nodes pull them from there).
LAB_IMAGES  ?= dockyard-lab/app:latest dockyard-lab/nginx:latest dockyard-lab/redis:latest
# Scenarios run by `make test`, in this order (cheapest first).
SCENARIOS   ?= default engine containers options dropin faults units bulk kit info compose registry reach security swarm stack storage
MOLECULE_LOCK := /tmp/dockyard-molecule.lock

export ANSIBLE_CONFIG := $(ROOT)/ansible.cfg
export ANSIBLE_COLLECTIONS_PATH := $(ROOT)/.lab/collections
export ANSIBLE_FORCE_COLOR ?= 0
export PATH := $(BIN):$(PATH)
export LAB_NODES


.PHONY: help setup venv engine images collections community unit mutants docs sanity lint galaxy molecule scenarios test lab lab-up lab-destroy summary bench clean

help:
	@sed -n 's/^#   //p' Makefile

## ---------------------------------------------------------------- set-up
venv: $(VENV)/.stamp
$(VENV)/.stamp: requirements-dev.txt
	@echo "==> Python tooling in .venv (pinned in requirements-dev.txt)"
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is needed, found %s" % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "ERROR: '$(PYTHON) -m venv' failed: install python3-venv (apt-get install python3-venv)"; exit 1; }
	@$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

engine:
	@echo "==> Docker engine on this machine"
	@$(PYTHON) tools/lab.py engine

images: engine
	@echo "==> Lab images (built from Debian packages, cached by recipe)"
	@$(PYTHON) tools/lab.py images node node-engine node-storage registry app nginx redis

# community.docker, for the side-by-side scenario (molecule/dropin) and the migration table's test only: the pinned
# `ansible` package unpacked into .lab/community, outside the test venv, so nothing else sees it on its collections
# path. community.library_inventory_filtering_v1 too: community.docker's inventory plugins take their docs from it.
COMMUNITY := $(ROOT)/.lab/community
COMMUNITY_COLLECTIONS := community/docker community/library_inventory_filtering_v1
community: $(COMMUNITY)/.stamp-collections
$(COMMUNITY)/.stamp-collections: requirements-community.txt | venv
	@echo "==> community.docker for the side-by-side scenario and the migration table (requirements-community.txt, in .lab/community)"
	@rm -rf $(COMMUNITY) $(COMMUNITY)-wheel
	@$(BIN)/pip download -q --disable-pip-version-check --no-deps -d $(COMMUNITY)-wheel -r requirements-community.txt
	@# Only those collections out of the whole package (a few MB of its ~500).
	@$(BIN)/python -c 'import glob, sys, zipfile; z = zipfile.ZipFile(glob.glob(sys.argv[1] + "/ansible-*.whl")[0]); \
	  wanted = tuple("ansible_collections/%s/" % c for c in sys.argv[3:]); \
	  z.extractall(sys.argv[2], [n for n in z.namelist() if n.startswith(wanted)])' \
	  $(COMMUNITY)-wheel $(COMMUNITY) $(COMMUNITY_COLLECTIONS)
	@rm -rf $(COMMUNITY)-wheel
	@for c in $(COMMUNITY_COLLECTIONS); do test -f $(COMMUNITY)/ansible_collections/$$c/MANIFEST.json; done
	@touch $@

collections:
	@mkdir -p .lab/collections/ansible_collections/dockyard
	@ln -sfn $(ROOT) .lab/collections/ansible_collections/dockyard/docker

setup: venv collections community images

## ---------------------------------------------------------------- tests
unit: venv collections
	@echo "==> Unit tests (pytest tests/unit)"
	@$(BIN)/pytest -q -p no:cacheprovider tests/unit

# Every plan step broken in turn (in a temporary copy): each must make a unit test fail.
mutants: venv
	@echo "==> Mutants (tools/mutants.py)"
	@$(BIN)/python tools/mutants.py

# The container option docs (module fragment, role argument specs) from the option table, the swarm_service
# option docs (module fragment) and the swarm role's item spec from the service option table, and the README's
# migration section from docs/migration.yml.
docs: venv collections
	@$(BIN)/python tools/gen_container_docs.py
	@$(BIN)/python tools/gen_migration.py

sanity: venv
	@echo "==> ansible-test sanity"
	@tools/sanity.sh

lint: venv collections
	@echo "==> ruff (pyflakes rules: unused imports and variables, redefined names; settings in pyproject.toml)"
	@$(BIN)/ruff check --no-cache -q .
	@echo "==> vulture (unused functions, classes, methods; settings in pyproject.toml, tools/vulture_whitelist.py)"
	@$(BIN)/vulture
	@echo "==> yamllint"
	@$(BIN)/yamllint -s .
	@echo "==> ansible-lint (profile production)"
	@# ANSIBLE_HOME inside the tree: ansible-lint puts $$ANSIBLE_HOME/collections first on the collections path,
	@# so a copy of this collection installed in ~/.ansible by anything else would shadow the code linted here.
	@mkdir -p .lab/ansible-home
	@ANSIBLE_HOME=$(ROOT)/.lab/ansible-home $(BIN)/ansible-lint --offline -q

# One scenario: `make molecule SCENARIO=containers`. A lock keeps scenarios one at a time.
molecule: setup
	@test -n "$${SCENARIO:-}" || { echo "usage: make molecule SCENARIO=<name>"; exit 2; }
	@echo "==> molecule test -s $(SCENARIO) (waiting for the scenario lock if another runs)"
	@flock $(MOLECULE_LOCK) $(BIN)/molecule test -s $(SCENARIO) || { echo "FAILED: molecule scenario '$(SCENARIO)'"; exit 1; }

scenarios: setup
	@for s in $(SCENARIOS); do \
	  start=$$(date +%s); \
	  echo "==> molecule test -s $$s"; \
	  flock $(MOLECULE_LOCK) $(BIN)/molecule test -s $$s || { echo "FAILED: molecule scenario '$$s' (see above)"; exit 1; }; \
	  echo "==> scenario $$s passed in $$(( $$(date +%s) - start ))s"; \
	done

test: setup unit mutants sanity lint galaxy scenarios
	@echo "==> make test: all stages passed"

# Galaxy-ready: build the tarball, install it offline into an empty path, use it from there.
galaxy: venv engine
	@echo "==> ansible-galaxy collection build + offline install + use"
	@tools/galaxy_smoke.sh

## ---------------------------------------------------------------- the lab
# The nodes and the registry node; the lab's images go into the registry node's engine only.
lab-up: setup
	@$(PYTHON) tools/lab.py up --lab $(LAB_NAME) --nodes $(LAB_NODES) --image $(LAB_NODE_IMAGE) --registry $(addprefix --registry-load ,$(LAB_IMAGES))

lab: lab-up
	@echo "==> ansible-playbook playbooks/lab_registry.yml: the lab's registry (TLS, htpasswd), its images pushed"
	@$(BIN)/ansible-playbook -i .lab/$(LAB_NAME)/inventory.yml -i playbooks/inventory/lab playbooks/lab_registry.yml
	@# The registry node is the lab's infrastructure (lab_registry.yml above): site.yml converges the Docker hosts.
	@echo "==> ansible-playbook playbooks/site.yml on the lab's $(LAB_NODES) nodes (group docker_hosts)"
	@$(BIN)/ansible-playbook -i .lab/$(LAB_NAME)/inventory.yml -i playbooks/inventory/lab playbooks/site.yml --limit docker_hosts
	@$(MAKE) --no-print-directory summary

summary: venv collections
	@$(BIN)/ansible-playbook -i .lab/$(LAB_NAME)/inventory.yml -i playbooks/inventory/lab playbooks/lab_summary.yml

lab-destroy:
	@$(PYTHON) tools/lab.py down --lab $(LAB_NAME)

bench: setup
	@$(BIN)/python benchmarks/run.py
	@$(BIN)/python benchmarks/stack.py
	@flock $(MOLECULE_LOCK) $(BIN)/python benchmarks/inventory.py

.PHONY: bench-stack
bench-stack: setup
	@$(BIN)/python benchmarks/stack.py

.PHONY: bench-inventory
bench-inventory: setup
	@flock $(MOLECULE_LOCK) $(BIN)/python benchmarks/inventory.py

clean: lab-destroy
	rm -rf .venv .lab .pytest_cache tests/output
