# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The per-host change lock: one run at a time changes containers, and only the user running it can touch the lock.

An exclusive ``flock`` on ``docker.lock`` in a directory that belongs to the running user and that nobody
else can enter (mode ``0700``):

- root: ``/run/dockyard`` (``/run`` is root's and a tmpfs: the lock goes away with a reboot);
- another user, or root when ``/run`` cannot be written: ``$XDG_RUNTIME_DIR/dockyard`` when that is set
  and private to the user, else ``~/.cache/dockyard.docker/run``.

Runs as different users therefore do not exclude each other; runs as the same user (the usual case:
``become: true``) do.  Another local user can neither hold the lock (they cannot open the file), nor
make a run go without it (a directory or symlink planted at the lock path is an error, never a reason to
run unlocked), nor redirect it (the directory is checked with ``lstat``, opened without following
symlinks and checked again on the opened descriptor; the file is opened relative to that descriptor,
``O_NOFOLLOW``, and checked with ``fstat``).

Waiting has a deadline (``lock_timeout``); when it passes, :class:`ChangeLockError` says that a change is
in progress and which process holds the lock (from ``/proc/locks``, and from the record the holder writes
into the file: its PID, what it changes, since when).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import fcntl
import math
import os
import stat
import time

DEFAULT_TIMEOUT = 300
LOCK_NAME = "docker.lock"
ROOT_DIRECTORY = "/run/dockyard"
# Errors that mean "this place cannot hold the lock directory" (try the next one), not "something is wrong".
UNUSABLE = (errno.ENOENT, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR)
_BUSY = (errno.EAGAIN, errno.EWOULDBLOCK)


class ChangeLockError(Exception):
    """The change lock could not be taken or is not safe to use: nothing was changed."""


def change_lock_argument_spec():
    """The option of every module that takes the lock."""
    return dict(lock_timeout=dict(type="float", default=DEFAULT_TIMEOUT))


def check_timeout(value):
    """``lock_timeout`` as a number of seconds >= 0 (raises :class:`ChangeLockError` naming the option)."""
    if value is None:
        return float(DEFAULT_TIMEOUT)
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = float("nan")
    if not math.isfinite(seconds) or seconds < 0:
        raise ChangeLockError("lock_timeout must be a number of seconds >= 0 (0: do not wait), got %r" % (value,))
    return seconds


def lock_directories(uid, environ, home):
    """Where the lock directory may live for user ``uid``, best first, as ``(path, make_parents)`` (pure).

    ``$XDG_RUNTIME_DIR`` is only a candidate when it is absolute; :func:`find_directory` also wants it to be
    the user's own directory.  Only the directory in the home gets its parents made.
    """
    candidates = [(ROOT_DIRECTORY, False)] if uid == 0 else []
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime):
        candidates.append((os.path.join(runtime, "dockyard"), False))
    if home and os.path.isabs(home):
        candidates.append((os.path.join(home, ".cache", "dockyard.docker", "run"), True))
    return candidates


def _unsafe(path, info, uid):
    """Why ``info`` (an ``lstat``/``fstat`` result) is no private directory of ``uid``, or ``None``."""
    if stat.S_ISLNK(info.st_mode):
        return "%s is a symbolic link" % path
    if not stat.S_ISDIR(info.st_mode):
        return "%s is not a directory" % path
    if info.st_uid != uid:
        return "%s belongs to uid %d, not to the user running the module (uid %d)" % (path, info.st_uid, uid)
    if info.st_mode & 0o077:
        return "%s has mode %04o; it must be 0700 (no access for group or others)" % (
            path, stat.S_IMODE(info.st_mode))
    return None


def _owned_directory(path, uid):
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == uid


def open_private_directory(path, uid, make_parents=False):
    """An ``O_DIRECTORY`` descriptor of ``path``, created ``0700`` when missing.

    Returns ``None`` when ``path`` cannot be created here (a missing or read-only parent, no permission):
    the caller tries the next place.  Raises :class:`ChangeLockError` when something is at ``path`` that
    is not a private directory of ``uid`` (a symlink, a file, another owner, a mode that lets others in).
    """
    try:
        info = os.lstat(path)
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            return None
        try:
            if make_parents and not os.path.isdir(os.path.dirname(path)):
                os.makedirs(os.path.dirname(path), 0o700)
            os.mkdir(path, 0o700)
        except OSError as mkdir_exc:
            if mkdir_exc.errno == errno.EEXIST:
                return open_private_directory(path, uid)
            if mkdir_exc.errno in UNUSABLE:
                return None
            raise ChangeLockError("could not create the change lock directory %s: %s. Nothing was changed" % (
                path, mkdir_exc))
        info = os.lstat(path)
    reason = _unsafe(path, info, uid)
    if reason:
        raise ChangeLockError("the change lock directory is not safe to use: %s. Nothing was changed; remove it "
                              "(or make it a directory of that user with mode 0700) and run again" % reason)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ChangeLockError("could not open the change lock directory %s: %s. Nothing was changed" % (path, exc))
    opened = os.fstat(handle)
    reason = _unsafe(path, opened, uid)
    if reason is None and (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
        reason = "%s was replaced while it was being opened" % path
    if reason:
        os.close(handle)
        raise ChangeLockError("the change lock directory is not safe to use: %s. Nothing was changed" % reason)
    return handle


def find_directory(uid=None, environ=None, home=None):
    """``(path, descriptor)`` of the lock directory of the running user (raises :class:`ChangeLockError`)."""
    uid = os.geteuid() if uid is None else uid
    environ = os.environ if environ is None else environ
    home = os.path.expanduser("~") if home is None else home
    tried = []
    for path, make_parents in lock_directories(uid, environ, home):
        tried.append(path)
        if path != ROOT_DIRECTORY and not make_parents and not _owned_directory(os.path.dirname(path), uid):
            continue  # an $XDG_RUNTIME_DIR of another user (left in the environment by su)
        handle = open_private_directory(path, uid, make_parents)
        if handle is not None:
            return path, handle
    raise ChangeLockError("no place for the change lock: none of %s could be created as a private directory "
                          "(mode 0700) of uid %d. Nothing was changed" % (", ".join(tried) or "(none)", uid))


def lock_holders(device, inode, proc_locks="/proc/locks"):
    """PIDs holding a lock on that file according to ``/proc/locks`` (waiters left out); ``[]`` if unknown."""
    wanted = "%02x:%02x:%d" % (os.major(device), os.minor(device), inode)
    try:
        with open(proc_locks) as handle:
            lines = handle.read().splitlines()
    except (IOError, OSError):
        return []
    pids = []
    for line in lines:
        fields = line.split()
        if len(fields) < 6 or "->" in fields:
            continue
        # "N: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"
        pid, where = fields[4], fields[5]
        if where == wanted and pid.isdigit() and int(pid) > 0:
            pids.append(int(pid))
    return pids


def parse_record(text):
    """The ``key=value`` lines a holder writes into the lock file, as a dict (pure)."""
    record = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition("=")
        if sep and key in ("pid", "purpose", "since"):
            record[key] = value
    return record


def _command_line(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            words = handle.read().split(b"\0")
    except (IOError, OSError):
        return None
    text = " ".join(w.decode("utf-8", "replace") for w in words if w)
    return text[:200] or None


def describe_holder(pids, record, command_line=_command_line):
    """Who holds the lock, in words, from ``/proc/locks``'s PIDs and the holder's record (pure but for
    ``command_line``)."""
    recorded = record.get("pid")
    details = []
    if recorded and (not pids or recorded in [str(p) for p in pids]):
        what = record.get("purpose") or "a dockyard.docker module"
        since = record.get("since")
        details.append("PID %s (%s%s)" % (recorded, what, ", since %s" % since if since else ""))
    for pid in pids:
        if str(pid) == recorded:
            continue
        command = command_line(pid)
        details.append("PID %d%s" % (pid, " (%s)" % command if command else ""))
    return " and ".join(details) if details else "another process (its PID could not be found)"


class ChangeLock(object):
    """One run at a time changes containers on a host: an exclusive ``flock`` held while changing only.

    Planning, no-op runs and check mode never take it (the callers only enter it when a plan has steps).
    A run that waited re-plans from the engine's state (another run may have done the work already), so two
    runs converging the same containers end with one container per name and no engine conflicts.
    ``timeout`` is how many seconds to wait for another run; ``purpose`` is written into the lock file
    while it is held, so a run that gives up can say what it waited for.
    """

    def __init__(self, timeout=DEFAULT_TIMEOUT, purpose=None, directory=None):
        self.timeout = check_timeout(timeout)
        self.purpose = purpose
        self.directory = directory
        self.path = None
        self.waited = False
        self._fd = None

    def _open(self):
        if self.directory is not None:
            directory = self.directory
            handle = open_private_directory(directory, os.geteuid(), make_parents=True)
            if handle is None:
                raise ChangeLockError("could not create the change lock directory %s. Nothing was changed" % directory)
        else:
            directory, handle = find_directory()
        self.path = os.path.join(directory, LOCK_NAME)
        try:
            fd = os.open(LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
                         | getattr(os, "O_CLOEXEC", 0), 0o600, dir_fd=handle)
        except OSError as exc:
            raise ChangeLockError("could not open the change lock %s: %s. Nothing was changed; remove whatever "
                                  "is at that path and run again" % (self.path, exc))
        finally:
            os.close(handle)
        info = os.fstat(fd)
        reason = None
        if not stat.S_ISREG(info.st_mode):
            reason = "it is not a regular file"
        elif info.st_uid != os.geteuid():
            reason = "it belongs to uid %d, not to the user running the module (uid %d)" % (info.st_uid, os.geteuid())
        if reason:
            os.close(fd)
            raise ChangeLockError("the change lock %s is not safe to use: %s. Nothing was changed; remove it and "
                                  "run again" % (self.path, reason))
        if stat.S_IMODE(info.st_mode) != 0o600:
            os.fchmod(fd, 0o600)
        return fd, info

    def acquire(self):
        fd, info = self._open()
        deadline = time.monotonic() + self.timeout
        delay = 0.05
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except (IOError, OSError) as exc:
                if exc.errno not in _BUSY:
                    os.close(fd)
                    raise ChangeLockError("could not lock %s: %s. Nothing was changed" % (self.path, exc))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                holder = describe_holder(lock_holders(info.st_dev, info.st_ino), parse_record(_read_all(fd)))
                os.close(fd)
                raise ChangeLockError(
                    "another change is in progress on this host: the change lock %s is held by %s. Waited %gs "
                    "(lock_timeout) and changed nothing; run again when that change is done, or give a longer "
                    "lock_timeout" % (self.path, holder, self.timeout))
            self.waited = True
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 0.5)
        self._fd = fd
        self._write_record()
        return self

    def _write_record(self):
        record = "pid=%d\npurpose=%s\nsince=%s\n" % (
            os.getpid(), (self.purpose or "a dockyard.docker module").replace("\n", " "),
            time.strftime("%Y-%m-%d %H:%M:%S %Z"))
        try:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, record.encode("utf-8"), 0)
        except OSError:
            pass  # who holds it is information for a waiting run, not needed to hold the lock

    def release(self):
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        except OSError:
            pass
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc_info):
        self.release()
        return False


def _read_all(fd):
    try:
        return os.pread(fd, 4096, 0).decode("utf-8", "replace")
    except OSError:
        return ""
