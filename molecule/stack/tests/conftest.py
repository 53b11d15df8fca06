"""The stack scenario reuses the swarm scenario's host-side helpers (docker exec into lab nodes, ad-hoc ansible)."""

import os
import sys

os.environ.setdefault("SWARM_TEST_LAB", "m-stack")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "swarm", "tests"))
