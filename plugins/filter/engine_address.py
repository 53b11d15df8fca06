# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jinja filters over the collection's one engine address parser (module_utils/engine/address).

``engine_address``: one address -> a dict (scheme, host, port, path, is_tcp, tls, url ...).
``engine_listeners``: a dockerd ``hosts`` list -> one such dict per entry, refusing what dockerd
cannot listen on. The engine role reads ``docker_daemon_options.hosts`` only through these, in its
checks and in the daemon.json it writes, so both see every TCP listener whatever its spelling.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.dockyard.docker.plugins.module_utils.engine.address import (
    EngineAddressError,
    parse_engine_address,
)

# What dockerd on Linux listens on; ssh:// is a client address, npipe:// exists on Windows only.
LISTENER_SCHEMES = ("tcp", "unix", "fd")


def engine_address(value, option="docker_host"):
    try:
        return parse_engine_address(value, option).as_dict()
    except EngineAddressError as exc:
        raise AnsibleFilterError(str(exc))


def engine_listeners(hosts, option="docker_daemon_options.hosts"):
    if isinstance(hosts, (str, bytes, dict)) or not isinstance(hosts, (list, tuple)):
        raise AnsibleFilterError(
            "%s must be a list of addresses (for example [unix:///var/run/docker.sock, tcp://0.0.0.0:2376]), "
            "got %s." % (option, type(hosts).__name__))
    listeners = []
    for index, value in enumerate(hosts):
        where = "%s[%d]" % (option, index)
        listener = engine_address(value, where)
        if listener["scheme"] not in LISTENER_SCHEMES:
            raise AnsibleFilterError(
                "%s: %r is a %s:// address, which dockerd cannot listen on: use unix://, tcp:// or fd://."
                % (where, value, listener["scheme"]))
        listeners.append(listener)
    return listeners


class FilterModule(object):
    def filters(self):
        return {"engine_address": engine_address, "engine_listeners": engine_listeners}
