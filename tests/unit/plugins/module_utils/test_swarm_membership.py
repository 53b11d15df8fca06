# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers of a node's swarm membership (no engine)."""
from __future__ import absolute_import, division, print_function

from ansible_collections.dockyard.docker.plugins.module_utils.swarm.membership import addr_key, token_digest


def test_token_digest():
    assert token_digest("SWMTKN-1-abcdef-secret") == "abcdef"
    assert token_digest("not-a-token") is None
    assert token_digest(None) is None


def test_addr_key_adds_default_port():
    assert addr_key("10.0.0.1") == "10.0.0.1:2377"
    assert addr_key("10.0.0.1:4000") == "10.0.0.1:4000"
