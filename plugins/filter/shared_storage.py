# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``shared_storage_plan`` filter: the shared_storage role's plan for one host (see its doc file)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.dockyard.docker.plugins.module_utils.shared_storage import plan


def shared_storage_plan(settings):
    if not isinstance(settings, dict):
        raise AnsibleFilterError("shared_storage_plan expects a dict of the role's settings, got %s"
                                 % type(settings).__name__)
    return plan(settings)


class FilterModule(object):
    def filters(self):
        return {"shared_storage_plan": shared_storage_plan}
