# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How every module reaches a Docker engine (the options of ``client.docker_argument_spec``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  docker_host:
    description:
      - The engine to talk to. Falls back to the E(DOCKER_HOST) environment variable.
      - Read the way dockerd and the C(docker) CLI read it - surrounding whitespace ignored, the scheme compared
        without case, no scheme meaning TCP (V(10.0.0.1:2376)), C(http://) meaning TCP and C(https://) TCP with
        TLS. A TCP address without a port uses 2375 (2376 for C(https://)).
      - Accepted forms are C(unix:///path), C(tcp://HOST:PORT), C(ssh://[USER@]HOST[:PORT]) and C(npipe://);
        anything else fails naming this option.
      - TCP without TLS material is refused in every spelling unless O(validate_certs=false); the task then warns.
    type: str
    default: unix:///var/run/docker.sock
    aliases: [docker_url]
  timeout:
    description:
      - Seconds to wait for an answer from the engine. Falls back to E(DOCKER_TIMEOUT).
    type: int
    default: 60
  tls_ca_cert:
    description:
      - CA certificate that signed the engine's TLS certificate (C(tcp://) engines).
    type: path
    aliases: [ca_path, ca_cert]
  tls_client_cert:
    description:
      - Client certificate presented to a TLS engine.
    type: path
    aliases: [client_cert, cert_path]
  tls_client_key:
    description:
      - Key of O(tls_client_cert).
    type: path
    aliases: [client_key, key_path]
  validate_certs:
    description:
      - Verify the engine's TLS certificate.
      - V(false) also allows plain TCP without TLS (an unauthenticated connection). The task warns whenever
        verification is off.
    type: bool
    default: true
    aliases: [tls_verify]
requirements:
  - Docker SDK for Python (C(docker)) on the target.
"""
