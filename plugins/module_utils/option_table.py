# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the two option tables (``container/options.py``, ``swarm/options.py``) share: a row's doc text and
the AnsibleModule argument spec of a table, which is each row's spec without its docs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def doc(*lines):
    """A row's description: one paragraph per argument."""
    return list(lines)


def strip_docs(spec):
    """An option's spec without ``description``, also in its sub-options (AnsibleModule takes no docs)."""
    out = {}
    for key, value in spec.items():
        if key == "description":
            continue
        if key == "options":
            value = dict((name, strip_docs(sub)) for name, sub in value.items())
        out[key] = value
    return out


def argument_spec(options):
    """The argument spec of a table: {row name: its spec without docs}."""
    return dict((option.name, strip_docs(option.spec)) for option in options)
