# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of ``container_copy_into``: the wanted file, the file in the container, what to do.

The engine's archive API reads a container's file (``GET /containers/{id}/archive``: a tar
holding the file with its owner and mode, and a stat header) and writes one (``PUT``: a tar
extracted into a directory) on running and stopped containers alike; nothing here talks to it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import hashlib
import io
import posixpath
import re
import tarfile
import time

# Go's os.FileMode bits, as the engine's stat header carries them.
GO_MODE_DIR = 1 << 31
GO_MODE_SYMLINK = 1 << 27
GO_MODE_SETUID = 1 << 23
GO_MODE_SETGID = 1 << 22
GO_MODE_STICKY = 1 << 20
GO_MODE_OTHER = (1 << 26) | (1 << 25) | (1 << 24) | (1 << 21) | (1 << 19)  # device, pipe, socket, char, irregular

DEFAULT_CONTENT_MODE = 0o644
DIFF_TEXT_LIMIT = 64 * 1024


class CopyError(ValueError):
    """Bad input or a target that cannot take the file; the message names the option."""


def parse_mode(value):
    """``mode`` -> an int: an int is taken as is (YAML ``0644`` is already octal), a string is octal."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CopyError("mode must be an octal string such as '0644' or an integer, got %r" % value)
    if isinstance(value, int):
        mode = value
    else:
        text = str(value).strip()
        if not re.match(r"^0?o?[0-7]{1,4}$", text):
            raise CopyError("mode must be an octal string such as '0644' or '755' (symbolic modes like u+x are "
                            "not accepted), got %r" % value)
        mode = int(text.replace("o", ""), 8)
    if not 0 <= mode <= 0o7777:
        raise CopyError("mode %r is out of range: give permission bits between 0000 and 7777 (octal)" % value)
    return mode


def decode_content(content, content_is_b64):
    """``content`` -> bytes (UTF-8 text, or base64 when ``content_is_b64``)."""
    if not content_is_b64:
        return content.encode("utf-8")
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CopyError("content is not valid base64 (content_is_b64 is true): %s" % exc)


def check_container_path(path):
    """A normalised absolute path to a file (not ``/``, not ending in ``/``)."""
    if not path or not path.startswith("/"):
        raise CopyError("container_path must be an absolute path inside the container, got %r" % path)
    if path.endswith("/") or posixpath.normpath(path) == "/":
        raise CopyError("container_path must name a file, not a directory, got %r" % path)
    return posixpath.normpath(path)


def owner_from_user(user):
    """The container's ``Config.User`` -> ``(uid, gid)`` when it is numeric or root, else ``None``.

    An empty user is root. A name (``www-data``) has to be looked up inside the container.
    """
    user = (user or "").strip()
    if user in ("", "root", "0", "root:root", "0:0"):
        return 0, 0
    name, _sep, group = user.partition(":")
    if name.isdigit() and (not group or group.isdigit()):
        uid = int(name)
        return uid, int(group) if group else uid
    return None


def unix_mode(go_mode):
    """A Go ``os.FileMode`` (the stat header) -> the permission bits with setuid/setgid/sticky."""
    mode = go_mode & 0o777
    if go_mode & GO_MODE_SETUID:
        mode |= 0o4000
    if go_mode & GO_MODE_SETGID:
        mode |= 0o2000
    if go_mode & GO_MODE_STICKY:
        mode |= 0o1000
    return mode


def stat_kind(stat):
    mode = stat.get("mode") or 0
    if mode & GO_MODE_DIR:
        return "directory"
    if mode & GO_MODE_SYMLINK:
        return "symlink"
    if mode & GO_MODE_OTHER:
        return "special file"
    return "file"


def digest(data):
    return hashlib.sha256(data).hexdigest()


def current_file(stat, archive):
    """What the container holds at the path: ``None`` (nothing), else kind, sha256, mode, uid, gid, content.

    ``stat`` is the decoded stat header and ``archive`` the tar the engine sent (bytes); the tar's
    entry carries the owner, which the stat header lacks.
    """
    if not stat:
        return None
    kind = stat_kind(stat)
    current = dict(kind=kind, mode=unix_mode(stat.get("mode") or 0), link_target=stat.get("linkTarget") or None)
    if kind != "file":
        return current
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
            member = next((m for m in tar.getmembers() if m.isfile()), None)
            if member is None:
                raise CopyError("the engine's archive of %s holds no file" % stat.get("name"))
            data = tar.extractfile(member).read()
            current.update(uid=member.uid, gid=member.gid, mode=member.mode & 0o7777)
    except tarfile.TarError as exc:
        raise CopyError("the engine's archive of %s cannot be read: %s" % (stat.get("name"), exc))
    current.update(sha256=digest(data), size=len(data), content=data)
    return current


def desired_file(data, mode, uid, gid):
    return dict(kind="file", sha256=digest(data), size=len(data), mode=mode, uid=uid, gid=gid, content=data)


def copy_plan(current, desired, force=None, path="container_path"):
    """What to do: ``(write, reasons)``.

    ``force=None`` (idempotent): write when the file is missing or its content (sha256), mode or owner
    differ. ``force=True``: always write. ``force=False``: write only when nothing is at the path.
    A directory or special file at the path is refused (removing it could lose data).
    """
    if current is not None and current["kind"] in ("directory", "special file"):
        raise CopyError("container_path %s is a %s in the container; it was left alone (remove it first, or "
                        "choose the path of a file)" % (path, current["kind"]))
    if current is None:
        return True, ["file is missing"]
    if force is True:
        return True, ["force: true"]
    if force is False:
        return False, []
    if current["kind"] == "symlink":
        return True, ["a symlink is at the path (follow: false): it is replaced by the file"]
    reasons = []
    if current["sha256"] != desired["sha256"]:
        reasons.append("content differs")
    if current["mode"] != desired["mode"]:
        reasons.append("mode %04o -> %04o" % (current["mode"], desired["mode"]))
    if (current["uid"], current["gid"]) != (desired["uid"], desired["gid"]):
        reasons.append("owner %s:%s -> %s:%s" % (current["uid"], current["gid"], desired["uid"], desired["gid"]))
    return bool(reasons), reasons


def build_tar(name, desired, mtime=None):
    """A tar holding one file ``name`` (a base name) with the desired content, mode and owner."""
    buf = io.BytesIO()
    info = tarfile.TarInfo(name=name)
    info.size = desired["size"]
    info.mode = desired["mode"]
    info.uid = desired["uid"]
    info.gid = desired["gid"]
    info.mtime = int(time.time() if mtime is None else mtime)
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(info, io.BytesIO(desired["content"]))
    return buf.getvalue()


def diff_side(path, state, show_content):
    """One side of the diff: metadata always, the text only when ``show_content`` and it is small UTF-8."""
    if state is None:
        return dict(path=path, state="absent")
    side = dict(path=path, state=state["kind"])
    for key in ("sha256", "size", "mode", "uid", "gid", "link_target"):
        if state.get(key) is not None:
            side[key] = "%04o" % state[key] if key == "mode" else state[key]
    if show_content and state.get("content") is not None and len(state["content"]) <= DIFF_TEXT_LIMIT:
        try:
            side["content"] = state["content"].decode("utf-8")
        except UnicodeDecodeError:
            pass
    return side
