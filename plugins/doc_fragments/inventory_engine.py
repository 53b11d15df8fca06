# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How an inventory plugin of this collection reaches an engine (the modules' connection options)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  docker_host:
    description:
      - The engine to read, as the modules' O(docker_host) (C(unix://) socket or C(tcp://) with TLS).
      - Plain C(tcp://) without TLS material is refused unless O(validate_certs=false).
    type: str
    default: unix:///var/run/docker.sock
    aliases: [docker_url]
    env:
      - name: DOCKER_HOST
  timeout:
    description:
      - Seconds to wait for an answer from the engine.
    type: int
    default: 60
    env:
      - name: DOCKER_TIMEOUT
  tls_ca_cert:
    description:
      - CA certificate that signed the engine's TLS certificate (C(tcp://) engines).
      - Without the TLS options, E(DOCKER_CERT_PATH)'s C(ca.pem), C(cert.pem), C(key.pem) are used when present.
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
    type: bool
    default: true
    aliases: [tls_verify]
requirements:
  - Docker SDK for Python (C(docker)) on the controller.
"""
