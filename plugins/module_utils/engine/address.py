# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one reading of a Docker engine address, for the client (``docker_host``) and for the
engine role's listeners (``docker_daemon_options.hosts``).

Pure code.  An address is read the way dockerd and the docker CLI read it, so that what this
collection checks is what the engine or the SDK would use:

* surrounding whitespace is ignored;
* the scheme is compared without case (``TCP://`` is ``tcp://``);
* no ``://`` at all means TCP (``0.0.0.0:2376``, ``:2376``, ``localhost``);
* ``http://`` is TCP, ``https://`` is TCP that asks for TLS (the Docker SDK's aliases);
* a TCP address without a host means ``localhost``, without a port ``2375`` (dockerd's defaults;
  ``2376`` for ``https://``);
* ``unix://`` alone is ``/var/run/docker.sock``, ``npipe://`` alone ``//./pipe/docker_engine``.

Anything else (an unknown scheme, a port that is not 1-65535, control characters, a path or a
query on a TCP address, user information, a relative socket path) raises
:class:`EngineAddressError`, whose message names the option and the accepted forms.
:attr:`EngineAddress.url` is the normalised spelling, the one worth writing down.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
import unicodedata

DEFAULT_UNIX_SOCKET = "/var/run/docker.sock"
DEFAULT_NAMED_PIPE = "//./pipe/docker_engine"
DEFAULT_TCP_HOST = "localhost"
DEFAULT_TCP_PORT = 2375
DEFAULT_TLS_PORT = 2376

# Longer than any real address; keeps hostile input cheap to refuse.
MAX_LENGTH = 1024

ACCEPTED_FORMS = (
    "unix:///path/to.sock, tcp://HOST:PORT (also written HOST:PORT, :PORT, http://HOST:PORT, "
    "or https://HOST:PORT for TLS), ssh://[USER@]HOST[:PORT], fd://[NAME] or npipe:////./pipe/NAME"
)

# Scheme as written (lower case) -> (transport, TLS asked for by the spelling itself).
_SCHEMES = {
    "tcp": ("tcp", False),
    "http": ("tcp", False),
    "https": ("tcp", True),
    "unix": ("unix", False),
    "npipe": ("npipe", False),
    "fd": ("fd", False),
    "ssh": ("ssh", False),
}
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_HOSTNAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}")
_PORT_RE = re.compile(r"[0-9]{1,5}")
_USER_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")
_FD_NAME_RE = re.compile(r"[A-Za-z0-9_.:-]{0,255}")


class EngineAddressError(ValueError):
    """An engine address that cannot be used; the message names the option and the accepted forms."""


class EngineAddress:
    """A parsed engine address.

    ``scheme`` is the transport: ``tcp``, ``unix``, ``npipe``, ``fd`` or ``ssh``.
    ``written_scheme`` is the scheme as given, lower case (``""`` when there was none).
    ``tls`` is true when the spelling itself asks for TLS (``https://``).
    ``host``/``port`` are set for ``tcp`` (always) and ``ssh`` (port may be ``None``),
    ``path`` for ``unix``/``npipe``, ``name`` for ``fd``, ``user`` for ``ssh``.
    ``spelling`` is the value exactly as given (whitespace included), for messages.
    """

    __slots__ = ("scheme", "written_scheme", "tls", "host", "port", "path", "user", "name", "spelling")

    def __init__(self, scheme, written_scheme, spelling, tls=False, host=None, port=None, path=None,
                 user=None, name=None):
        self.scheme = scheme
        self.written_scheme = written_scheme
        self.spelling = spelling
        self.tls = tls
        self.host = host
        self.port = port
        self.path = path
        self.user = user
        self.name = name

    @property
    def is_tcp(self):
        return self.scheme == "tcp"

    @property
    def is_local(self):
        """A socket on this host (unix socket, named pipe, systemd-activated socket)."""
        return self.scheme in ("unix", "npipe", "fd")

    @property
    def url(self):
        """The normalised spelling: ``tcp://HOST:PORT``, ``unix:///PATH``, ``ssh://USER@HOST:PORT``..."""
        if self.scheme == "tcp":
            return "tcp://%s:%d" % (_bracketed(self.host), self.port)
        if self.scheme in ("unix", "npipe"):
            return "%s://%s" % (self.scheme, self.path)
        if self.scheme == "fd":
            return "fd://%s" % self.name
        netloc = _bracketed(self.host) if self.port is None else "%s:%d" % (_bracketed(self.host), self.port)
        return "ssh://%s%s" % ("%s@" % self.user if self.user else "", netloc)

    def as_dict(self):
        out = dict((slot, getattr(self, slot)) for slot in self.__slots__)
        out.update(is_tcp=self.is_tcp, is_local=self.is_local, url=self.url)
        return out

    def __eq__(self, other):
        return isinstance(other, EngineAddress) and self.as_dict() == other.as_dict()

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return "EngineAddress(%r from %r)" % (self.url, self.spelling)


def _bracketed(host):
    return "[%s]" % host if ":" in host else host


def _shown(value):
    """The value for a message: repr (control characters visible), cut when very long."""
    text = repr(value)
    if len(text) <= 120:
        return text
    return text[:100] + "...' (%d characters)" % len(value) if isinstance(value, str) else text[:100] + "..."


def _has_control(text):
    return any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in text)


def parse_engine_address(value, option="docker_host"):
    """Read ``value`` as an engine address; ``option`` names it in the error.

    Returns an :class:`EngineAddress` or raises :class:`EngineAddressError`.
    """
    if not isinstance(value, str):
        raise EngineAddressError(
            "%s: %s is not an engine address: give a string, one of %s."
            % (option, _shown(value), ACCEPTED_FORMS))

    def refuse(reason):
        return EngineAddressError("%s: %s is not an engine address: %s. Accepted forms: %s."
                                  % (option, _shown(value), reason, ACCEPTED_FORMS))

    if len(value) > MAX_LENGTH:
        raise refuse("it is longer than %d characters" % MAX_LENGTH)
    text = value.strip()
    if not text:
        raise refuse("it is empty")
    if _has_control(text):
        raise refuse("it contains control characters")

    written, sep, rest = text.partition("://")
    if not sep:
        # dockerd and the docker CLI read an address without a scheme as TCP.
        if text.startswith("/"):
            raise refuse("a path without a scheme is read by dockerd as TCP on localhost:2375, "
                         "write unix://%s for a unix socket" % (text if len(text) < 100 else "/PATH"))
        return _tcp(text, "", False, value, refuse)
    if not _SCHEME_RE.fullmatch(written):
        raise refuse("%s is not a scheme" % _shown(written))
    written = written.lower()
    if written not in _SCHEMES:
        raise refuse("unknown scheme %s://" % written)
    scheme, tls = _SCHEMES[written]
    if "://" in rest:
        raise refuse("it has more than one scheme")
    if scheme == "tcp":
        return _tcp(rest, written, tls, value, refuse)
    if scheme == "ssh":
        return _ssh(rest, value, refuse)
    if scheme == "fd":
        if not _FD_NAME_RE.fullmatch(rest):
            raise refuse("fd:// takes a socket name of letters, digits, '.', '_', ':' or '-' (or none)")
        return EngineAddress("fd", written, value, name=rest)
    return _socket_path(scheme, rest, value, refuse)


def _tcp(rest, written, tls, spelling, refuse):
    if rest.endswith("/"):
        rest = rest[:-1]
    if any(char in rest for char in "/?#"):
        raise refuse("a TCP address takes no path, query or fragment")
    if "@" in rest:
        raise refuse("a TCP address takes no user name or password")
    host, port = _host_port(rest, refuse)
    if port is None:
        port = DEFAULT_TLS_PORT if tls else DEFAULT_TCP_PORT
    return EngineAddress("tcp", written, spelling, tls=tls, host=host or DEFAULT_TCP_HOST, port=port)


def _ssh(rest, spelling, refuse):
    if rest.endswith("/"):
        rest = rest[:-1]
    if any(char in rest for char in "/?#"):
        raise refuse("an ssh:// address takes no path, query or fragment")
    user, at, hostport = rest.rpartition("@")
    if at and not _USER_RE.fullmatch(user):
        raise refuse("the ssh user name %s has characters other than letters, digits, '.', '_' or '-'" % _shown(user))
    host, port = _host_port(hostport, refuse)
    if not host:
        raise refuse("an ssh:// address needs a host")
    return EngineAddress("ssh", "ssh", spelling, host=host, port=port, user=user or None)


def _host_port(hostport, refuse):
    """``HOST:PORT``, ``[V6]:PORT``, ``HOST``, ``:PORT`` -> (host or "", port or None)."""
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            raise refuse("an IPv6 address needs its closing ']'")
        host, tail = hostport[1:end], hostport[end + 1:]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise refuse("%s is not an IPv6 address" % _shown(host))
        if tail and not tail.startswith(":"):
            raise refuse("only ':PORT' may follow an IPv6 address")
        port_text = tail[1:] if tail else ""
    else:
        host, colon, port_text = hostport.rpartition(":")
        if not colon:
            host, port_text = hostport, ""
        if ":" in host:
            raise refuse("write an IPv6 address in brackets, for example tcp://[::1]:2376")
        if host and not _HOSTNAME_RE.fullmatch(host):
            raise refuse("%s is not a host name or IP address" % _shown(host))
    if not port_text:
        return host, None
    if not _PORT_RE.fullmatch(port_text) or not 0 < int(port_text) < 65536:
        raise refuse("the port must be a number from 1 to 65535, not %s" % _shown(port_text))
    return host, int(port_text)


def _socket_path(scheme, rest, spelling, refuse):
    default = DEFAULT_UNIX_SOCKET if scheme == "unix" else DEFAULT_NAMED_PIPE
    path = rest or default
    if not path.startswith("/"):
        raise refuse("the socket path must be absolute, for example %s://%s" % (scheme, default))
    return EngineAddress(scheme, scheme, spelling, path=path)
