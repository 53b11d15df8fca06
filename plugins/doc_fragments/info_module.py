# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The check and diff mode of a read-only ``*_info`` module (``info.info_module``): it only reads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
attributes:
  check_mode:
    support: full
    description: The module only reads; check mode runs it unchanged.
  diff_mode:
    support: none
    description: Nothing is changed, so there is no diff.
"""
