# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who wrote the collection: the ``author`` every module and inventory plugin names."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # ansible-doc refuses a fragment without options or attributes; this one adds no option.
    DOCUMENTATION = r"""
author:
  - dockyard.docker contributors (@dockyard)
options: {}
"""
