# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stream of an attached ``docker exec``: stdin written to it, stdout/stderr read from it.

Without a TTY the engine multiplexes stdout and stderr in frames (an 8-byte header:
stream number, three zero bytes, big-endian payload length); with a TTY the stream is
the terminal's raw output. :class:`FrameReader` (pure) splits bytes into streams;
:class:`ExecStream` moves them over the socket with a deadline.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import select
import socket
import struct
import time

STDOUT, STDERR = 1, 2
HEADER = struct.Struct(">BxxxL")


class StreamTimeout(Exception):
    """Nothing arrived before the deadline."""


class FrameReader:
    """Pure: feed bytes as they arrive, get ``(stream, payload)`` pieces back."""

    def __init__(self, tty):
        self.tty = tty
        self._buffer = b""

    def feed(self, data):
        if self.tty:
            return [(STDOUT, data)] if data else []
        self._buffer += data
        pieces = []
        while len(self._buffer) >= HEADER.size:
            stream, length = HEADER.unpack_from(self._buffer)
            if len(self._buffer) < HEADER.size + length:
                break
            payload = self._buffer[HEADER.size:HEADER.size + length]
            self._buffer = self._buffer[HEADER.size + length:]
            if payload:
                pieces.append((STDERR if stream == STDERR else STDOUT, payload))
        return pieces

    @property
    def incomplete(self):
        """Bytes of a frame the stream ended in the middle of."""
        return len(self._buffer)


def raw_socket(sock):
    """The socket under what ``APIClient.exec_start(socket=True)`` returns (a ``SocketIO`` on unix sockets)."""
    return sock._sock if isinstance(sock, socket.SocketIO) else sock


class ExecStream:
    """One attached exec: ``write``, ``close_stdin``, ``read_until`` / ``read_all``."""

    def __init__(self, sock, tty):
        self.sock = raw_socket(sock)
        self.reader = FrameReader(tty)
        self.out = {STDOUT: b"", STDERR: b""}
        self.eof = False

    def write(self, data):
        if data:
            self.sock.sendall(data)

    def close_stdin(self):
        try:
            # The plain socket's shutdown even for a TLS socket: ssl.SSLSocket.shutdown() also drops the TLS
            # session, after which what the engine still sends would be read as raw ciphertext.
            socket.socket.shutdown(self.sock, socket.SHUT_WR)
        except OSError:  # the process already exited and the engine closed the stream
            pass

    def _read_some(self, deadline):
        pending = getattr(self.sock, "pending", None)
        if not (pending and pending()):
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise StreamTimeout()
            ready, _w, _x = select.select([self.sock], [], [], remaining)
            if not ready:
                raise StreamTimeout()
        data = self.sock.recv(65536)
        if not data:
            self.eof = True
            return
        for stream, payload in self.reader.feed(data):
            self.out[stream] += payload

    def read_until(self, done, timeout):
        """Read until ``done(stdout, stderr)`` is true or the stream ends; ``StreamTimeout`` after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while not done(self.out[STDOUT], self.out[STDERR]) and not self.eof:
            self._read_some(deadline)
        return done(self.out[STDOUT], self.out[STDERR])

    def read_all(self):
        while not self.eof:
            self._read_some(None)
        return self.out[STDOUT], self.out[STDERR]

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
