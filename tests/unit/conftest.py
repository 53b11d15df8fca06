"""Make the repository importable as ``ansible_collections.dockyard.docker``.

The repository root *is* the collection; unit tests import it through a
``ansible_collections/dockyard/docker`` symlink under ``.lab/collections`` (the
same tree ansible-playbook and molecule use), created here when missing, through
Ansible's own collection loader.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, ".lab", "collections")
LINK = os.path.join(COLLECTIONS, "ansible_collections", "dockyard", "docker")

if not os.path.exists(LINK):
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    os.symlink(ROOT, LINK)
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)

# Ansible's collection loader, installed before anything imports ansible_collections: templates rendered by the
# tests (the engine role's daemon.json) then find this collection's filters, as ansible-playbook does.
from ansible.plugins.loader import init_plugin_loader  # noqa: E402 - needs the path above

init_plugin_loader([COLLECTIONS])

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def _run_directory(tmp_path_factory):
    return str(tmp_path_factory.mktemp("run") / "dockyard")


@pytest.fixture(autouse=True)
def _private_change_lock(_run_directory, monkeypatch):
    """Runs that change containers lock a directory of the test run, not the host's ``/run/dockyard``."""
    from ansible_collections.dockyard.docker.plugins.module_utils import change_lock

    monkeypatch.setattr(change_lock, "ROOT_DIRECTORY", _run_directory)


class FakeClock(object):
    """Stands in for the time module: each sleep moves the clock on, so a deadline passes without waiting."""

    def __init__(self):
        self.now = 1000.0

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.fixture
def fake_clock():
    """A fresh :class:`FakeClock`; a test puts it in place of the ``time`` module it drives."""
    return FakeClock()
