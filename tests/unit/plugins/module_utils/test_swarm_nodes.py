# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers of swarm_node: finding a node and the labels it should carry (no engine)."""
from __future__ import absolute_import, division, print_function

from ansible_collections.dockyard.docker.plugins.module_utils.swarm.nodes import desired_labels, find_node


def test_desired_labels_merge_and_replace():
    assert desired_labels({"a": "1"}, {"b": 2}, "merge") == {"a": "1", "b": "2"}
    assert desired_labels({"a": "1"}, {"b": 2}, "replace") == {"b": "2"}
    assert desired_labels({"a": "1"}, None, "replace") == {"a": "1"}


def test_find_node_by_id_name_and_ambiguity():
    nodes = [
        {"ID": "n1", "Description": {"Hostname": "h1"}, "Status": {"State": "ready"}},
        {"ID": "n2", "Description": {"Hostname": "h2"}, "Status": {"State": "down"}},
        {"ID": "n3", "Description": {"Hostname": "h2"}, "Status": {"State": "ready"}},
        {"ID": "n4", "Description": {"Hostname": "h4"}, "Status": {"State": "down"}},
        {"ID": "n5", "Description": {"Hostname": "h4"}, "Status": {"State": "down"}},
    ]
    assert find_node(nodes, "n1")[0]["ID"] == "n1"
    assert find_node(nodes, "h1")[0]["ID"] == "n1"
    assert find_node(nodes, "h2")[0]["ID"] == "n3"  # the ready one of a re-joined host
    node, error = find_node(nodes, "h4")
    assert node is None and "n4" in error and "n5" in error
    assert find_node(nodes, "nope") == (None, None)
