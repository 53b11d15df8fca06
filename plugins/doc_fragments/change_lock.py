# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The per-host change lock of the modules that change containers (``change_lock.change_lock_argument_spec``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  lock_timeout:
    description:
      - Seconds to wait for the per-host change lock when another run is changing containers on this host.
        When they pass, the task fails saying a change is in progress and which process holds the lock, and
        changes nothing. V(0) does not wait.
      - The lock is only taken when something has to change; check mode and runs with nothing to change never
        wait for it.
      - The lock is C(/run/dockyard/docker.lock) for root, in a directory only root can open (mode C(0700)).
        A module run by another user locks C($XDG_RUNTIME_DIR/dockyard/docker.lock) when that is the user's
        own directory, else C(~/.cache/dockyard.docker/run/docker.lock); runs as different users do not wait
        for each other. A symlink, a file or another owner at those paths fails the task; it is never a reason
        to change without the lock.
    type: float
    default: 300
"""
