# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of the ``login`` module: registry addresses and the Docker client config file.

Nothing here talks to an engine or touches a file; ``login`` does that.  The file format is the
one the ``docker login`` command writes: ``{"auths": {"<host[:port]>": {"auth": base64("user:pass")}}}``,
Docker Hub under the key ``https://index.docker.io/v1/``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import ipaddress
import json
import re

DOCKER_HUB_KEY = "https://index.docker.io/v1/"
_HUB_NAMES = ("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com")
_HOSTPORT = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?$")


class RegistryError(Exception):
    """A bad argument or file; the message names the option and is safe to show (no secrets)."""


def parse_registry(url):
    """``registry_url`` -> ``(scheme or None, key)``: the key is what ``docker login`` writes into ``auths``.

    ``https://reg.example.com:5000/v2/`` -> ``("https", "reg.example.com:5000")``; every Docker Hub spelling
    -> ``DOCKER_HUB_KEY``.
    """
    text = (url or "").strip()
    if not text:
        raise RegistryError("registry_url is empty: give the registry as host[:port] (e.g. registry.example.com:5000)")
    scheme = None
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", text)
    if match:
        scheme, text = match.group(1).lower(), match.group(2)
        if scheme not in ("http", "https"):
            raise RegistryError("registry_url %s: the scheme must be https:// (or none), not %s://" % (url, scheme))
    host = text.split("/", 1)[0]
    if host.lower() in _HUB_NAMES:
        return scheme, DOCKER_HUB_KEY
    port_match = _HOSTPORT.match(host)
    if not host or not port_match or "@" in text:
        raise RegistryError(
            "registry_url %s is not a registry address: give host[:port] (e.g. registry.example.com:5000), "
            "optionally with https://" % url
        )
    port = port_match.group(1)
    if port is not None and not 0 < int(port) < 65536:
        raise RegistryError("registry_url %s: port %s is out of range (1-65535)" % (url, port))
    return scheme, host


def split_host(key):
    """``host:port`` (or ``[v6]:port``) -> host without the port or brackets."""
    if key.startswith("["):
        return key[1:key.index("]")]
    return key.rsplit(":", 1)[0] if ":" in key else key


def engine_allows_plain_http(info, key):
    """Whether the engine (``GET /info`` data) talks plain HTTP to registry ``key`` (its insecure-registries)."""
    registry = (info or {}).get("RegistryConfig") or {}
    index = (registry.get("IndexConfigs") or {}).get(key)
    if index is not None:
        return index.get("Secure") is False
    host = split_host(key)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    for cidr in registry.get("InsecureRegistryCIDRs") or []:
        try:
            if address in ipaddress.ip_network(cidr, strict=False):
                return True
        except ValueError:
            continue
    return False


def encode_auth(username, password):
    return base64.b64encode(("%s:%s" % (username, password)).encode("utf-8")).decode("ascii")


def decode_username(auth):
    """The user name of an ``auth`` string, or ``None`` when it is not one (never the password)."""
    try:
        text = base64.b64decode(auth or "", validate=True).decode("utf-8")
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    return text.split(":", 1)[0] if ":" in text else None


def check_credentials(username, password):
    if not username:
        raise RegistryError("username is required with state: present")
    if ":" in username:
        raise RegistryError("username must not contain ':' (the auth entry is base64 of username:password)")
    if password is None or password == "":
        raise RegistryError("password is empty: give the registry password (or token) of username %s" % username)


def load_config(text, path):
    """The parsed config file (``{}`` for an empty or missing file); fails naming ``config_path``."""
    if text is None or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise RegistryError("config_path %s is not valid JSON (%s); fix or move it, nothing was written"
                            % (path, exc.__class__.__name__))
    if not isinstance(data, dict):
        raise RegistryError("config_path %s does not hold a JSON object; nothing was written" % path)
    auths = data.get("auths", {})
    if not isinstance(auths, dict):
        raise RegistryError("config_path %s: its auths is not an object; nothing was written" % path)
    return data


def credential_store(data, key):
    """The credential helper the Docker CLI would use for ``key`` instead of ``auths``, or ``None``."""
    helpers = data.get("credHelpers") or {}
    if isinstance(helpers, dict) and helpers.get(key):
        return "credHelpers[%s] = %s" % (key, helpers[key])
    if data.get("credsStore"):
        return "credsStore = %s" % data["credsStore"]
    return None


def entry_matches(data, key, username, password):
    entry = (data.get("auths") or {}).get(key)
    return isinstance(entry, dict) and entry.get("auth") == encode_auth(username, password)


def with_entry(data, key, username, password):
    """A copy of ``data`` whose ``auths[key]`` is what ``docker login`` writes; other entries kept."""
    new = dict(data)
    auths = dict(new.get("auths") or {})
    auths[key] = {"auth": encode_auth(username, password)}
    new["auths"] = auths
    return new


def without_entry(data, key):
    new = dict(data)
    auths = dict(new.get("auths") or {})
    auths.pop(key, None)
    new["auths"] = auths
    return new


def dump_config(data):
    """The file content, as the Docker CLI formats it (tab indentation)."""
    return json.dumps(data, indent="\t", sort_keys=False) + "\n"


def summary(data):
    """What a diff may show: each registry of ``auths`` with its user name, never the secret."""
    out = {}
    for key, entry in sorted((data.get("auths") or {}).items()):
        user = decode_username(entry.get("auth")) if isinstance(entry, dict) else None
        out[key] = {"username": user} if user is not None else {}
    return {"auths": out}
