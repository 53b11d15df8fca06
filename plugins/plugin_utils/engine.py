# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Opening an engine from a controller-side plugin (inventory, connection).

The same rules as the modules' ``client.connect``: ``resolve_connection`` reads the
options and the ``DOCKER_*`` environment, ``connection_problem`` refuses plain TCP and
missing TLS files, ``build_api_kwargs`` makes the SDK's TLS configuration. Failures are
raised as ``AnsibleError`` with the operator-facing explanation the modules give.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleError

from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    build_api_kwargs,
    connection_problem,
    explain_error,
    resolve_connection,
)
from ansible_collections.dockyard.docker.plugins.module_utils.engine.address import EngineAddressError

# The options every plugin of this collection takes to reach an engine (doc fragment ``plugin_engine``).
ENGINE_OPTIONS = ("docker_host", "timeout", "tls_ca_cert", "tls_client_cert", "tls_client_key", "validate_certs")


def engine_params(get_option):
    """The engine options as ``resolve_connection`` takes them, read through ``get_option``."""
    return dict((name, get_option(name)) for name in ENGINE_OPTIONS)


def open_api(params, environ=None):
    """A ``docker.APIClient`` for ``params`` (see :data:`ENGINE_OPTIONS`), or ``AnsibleError``."""
    try:
        import docker
        import docker.errors
    except ImportError:
        raise AnsibleError("The Docker SDK for Python (pip package 'docker') is needed on the controller "
                           "for this plugin: install it into the Python that runs Ansible.")
    try:
        base_url, tls, timeout = resolve_connection(params, environ)
    except EngineAddressError as exc:
        raise AnsibleError(str(exc))
    problem = connection_problem(base_url, tls, params.get("validate_certs", True))
    if problem:
        raise AnsibleError(problem)
    try:
        kwargs = build_api_kwargs(base_url, tls, timeout)
        return docker.APIClient(version="auto", **kwargs)
    except Exception as exc:  # noqa: BLE001 - every failure here is a connection problem
        raise AnsibleError("Could not connect to the Docker engine at %s: %s"
                           % (params.get("docker_host"), explain_error(exc, params.get("docker_host"))))


def engine_error(exc, host, doing):
    """``AnsibleError`` for an engine error while ``doing`` something on ``host``."""
    return AnsibleError("Could not %s on the Docker engine at %s: %s" % (doing, host, explain_error(exc, host)))
