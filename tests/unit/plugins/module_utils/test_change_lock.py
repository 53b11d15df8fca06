# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The per-host change lock: private to the running user, never bypassed, and waiting has a deadline.

The tests run as root: another local user is played by ``os.chown`` to ``nobody``'s uid, and another
run holding the lock by a second process.
"""

import os
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils import change_lock
from ansible_collections.dockyard.docker.plugins.module_utils.change_lock import (
    ChangeLock,
    ChangeLockError,
    check_timeout,
    describe_holder,
    find_directory,
    lock_directories,
    lock_holders,
    parse_record,
)

OTHER_UID = 65534  # nobody
# Before conftest's fixture points it at a directory of the test run.
ROOT_DIRECTORY = change_lock.ROOT_DIRECTORY

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="plays another user with chown: needs root")


def held_elsewhere(directory, purpose=None, seconds=30):
    """A second process that holds the lock of ``directory`` (with ChangeLock when ``purpose`` is given, else
    a bare flock as the ``flock`` command takes it) until killed; returns it once the lock is held."""
    if purpose is None:
        code = textwrap.dedent("""
            import fcntl, os, sys, time
            fd = os.open(os.path.join(sys.argv[1], "docker.lock"), os.O_RDWR)
            fcntl.flock(fd, fcntl.LOCK_EX)
            print("held", flush=True)
            time.sleep(float(sys.argv[2]))
        """)
    else:
        code = textwrap.dedent("""
            import sys, time
            from ansible_collections.dockyard.docker.plugins.module_utils.change_lock import ChangeLock
            with ChangeLock(purpose=sys.argv[3], directory=sys.argv[1]):
                print("held", flush=True)
                time.sleep(float(sys.argv[2]))
        """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.Popen([sys.executable, "-c", code, directory, str(seconds), purpose or ""],
                            stdout=subprocess.PIPE, env=env, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


@pytest.fixture
def lock_dir(tmp_path):
    path = str(tmp_path / "dockyard")
    with ChangeLock(directory=path):
        pass  # makes the directory and the file
    return path


# ----------------------------------------------------------------------------- the place
def test_the_directory_is_private_and_the_file_0600_with_a_record_while_held(tmp_path):
    path = str(tmp_path / "dockyard")
    with ChangeLock(purpose="dockyard.docker.container web", directory=path) as lock:
        info = os.lstat(path)
        assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.geteuid()
        held = os.lstat(lock.path)
        assert lock.path == os.path.join(path, "docker.lock")
        assert stat.S_ISREG(held.st_mode) and stat.S_IMODE(held.st_mode) == 0o600
        with open(lock.path) as handle:
            record = parse_record(handle.read())
        assert record["pid"] == str(os.getpid()) and record["purpose"] == "dockyard.docker.container web"
    with open(os.path.join(path, "docker.lock")) as handle:
        assert handle.read() == "", "the record is cleared when the lock is released"


def test_root_locks_in_run_dockyard_by_default(tmp_path, monkeypatch):
    root_dir = str(tmp_path / "run" / "dockyard")
    os.mkdir(str(tmp_path / "run"))
    monkeypatch.setattr(change_lock, "ROOT_DIRECTORY", root_dir)
    path, handle = find_directory(uid=0, environ={}, home=str(tmp_path / "home"))
    os.close(handle)
    assert path == root_dir
    assert not (tmp_path / "home").exists()


def test_lock_directories_per_user(monkeypatch):
    monkeypatch.setattr(change_lock, "ROOT_DIRECTORY", ROOT_DIRECTORY)
    assert lock_directories(0, {}, "/root") == [("/run/dockyard", False), ("/root/.cache/dockyard.docker/run", True)]
    assert lock_directories(1000, {"XDG_RUNTIME_DIR": "/run/user/1000"}, "/home/u") == [
        ("/run/user/1000/dockyard", False), ("/home/u/.cache/dockyard.docker/run", True)]
    assert lock_directories(1000, {"XDG_RUNTIME_DIR": "relative"}, "/home/u") == [
        ("/home/u/.cache/dockyard.docker/run", True)]


def test_without_run_the_lock_goes_to_the_users_runtime_dir_then_home(tmp_path, monkeypatch):
    monkeypatch.setattr(change_lock, "ROOT_DIRECTORY", str(tmp_path / "no-run" / "dockyard"))
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    path, handle = find_directory(uid=os.geteuid(), environ={"XDG_RUNTIME_DIR": str(runtime)},
                                  home=str(tmp_path / "home"))
    os.close(handle)
    assert path == str(runtime / "dockyard")
    # No runtime dir: a private directory in the home, parents made.
    path, handle = find_directory(uid=os.geteuid(), environ={}, home=str(tmp_path / "home"))
    os.close(handle)
    assert path == str(tmp_path / "home" / ".cache" / "dockyard.docker" / "run")
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o700


@needs_root
def test_a_runtime_dir_of_another_user_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(change_lock, "ROOT_DIRECTORY", str(tmp_path / "no-run" / "dockyard"))
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    os.chown(str(runtime), OTHER_UID, OTHER_UID)
    path, handle = find_directory(uid=0, environ={"XDG_RUNTIME_DIR": str(runtime)}, home=str(tmp_path / "home"))
    os.close(handle)
    assert path.startswith(str(tmp_path / "home"))
    assert os.listdir(str(runtime)) == []


def test_a_symlink_at_the_directory_is_refused_not_followed_and_not_a_reason_to_fall_back(tmp_path, monkeypatch):
    target = tmp_path / "roots-own"
    target.mkdir(mode=0o700)
    root_dir = tmp_path / "run" / "dockyard"
    (tmp_path / "run").mkdir()
    os.symlink(str(target), str(root_dir))
    monkeypatch.setattr(change_lock, "ROOT_DIRECTORY", str(root_dir))
    with pytest.raises(ChangeLockError) as err:
        with ChangeLock():
            raise AssertionError("changed under a lock planted by someone else")
    assert "%s is a symbolic link" % root_dir in str(err.value) and "Nothing was changed" in str(err.value)
    assert os.listdir(str(target)) == []
    assert not (tmp_path / "home").exists()


@needs_root
def test_a_directory_of_another_user_is_refused(tmp_path):
    path = tmp_path / "dockyard"
    path.mkdir(mode=0o700)
    os.chown(str(path), OTHER_UID, OTHER_UID)
    with pytest.raises(ChangeLockError) as err:
        ChangeLock(directory=str(path)).acquire()
    assert "belongs to uid %d" % OTHER_UID in str(err.value)
    assert os.listdir(str(path)) == []


@pytest.mark.parametrize("mode", [0o755, 0o1777, 0o770])
def test_a_directory_others_can_enter_is_refused(tmp_path, mode):
    path = tmp_path / "dockyard"
    path.mkdir()
    os.chmod(str(path), mode)
    with pytest.raises(ChangeLockError) as err:
        ChangeLock(directory=str(path)).acquire()
    assert "must be 0700" in str(err.value)
    assert os.listdir(str(path)) == []


def test_a_file_at_the_directory_path_is_refused(tmp_path):
    path = tmp_path / "dockyard"
    path.write_text("x")
    with pytest.raises(ChangeLockError) as err:
        ChangeLock(directory=str(path)).acquire()
    assert "is not a directory" in str(err.value)


# ----------------------------------------------------------------------------- the file
def test_a_symlink_at_the_lock_file_is_not_followed(tmp_path, lock_dir):
    victim = tmp_path / "victim"
    victim.write_text("keep")
    lock_file = os.path.join(lock_dir, "docker.lock")
    os.unlink(lock_file)
    os.symlink(str(victim), lock_file)
    with pytest.raises(ChangeLockError) as err:
        ChangeLock(directory=lock_dir).acquire()
    assert "could not open the change lock %s" % lock_file in str(err.value)
    assert victim.read_text() == "keep"


@needs_root
def test_a_lock_file_of_another_user_is_refused(lock_dir):
    lock_file = os.path.join(lock_dir, "docker.lock")
    os.chown(lock_file, OTHER_UID, OTHER_UID)
    with pytest.raises(ChangeLockError) as err:
        ChangeLock(directory=lock_dir).acquire()
    assert "belongs to uid %d" % OTHER_UID in str(err.value)


def test_a_fifo_at_the_lock_file_is_refused(lock_dir):
    lock_file = os.path.join(lock_dir, "docker.lock")
    os.unlink(lock_file)
    os.mkfifo(lock_file, 0o600)
    with pytest.raises(ChangeLockError) as err:
        ChangeLock(directory=lock_dir).acquire()
    assert "it is not a regular file" in str(err.value)


def test_a_directory_at_the_lock_file_is_an_error_not_a_run_without_the_lock(lock_dir):
    lock_file = os.path.join(lock_dir, "docker.lock")
    os.unlink(lock_file)
    os.mkdir(lock_file)
    with pytest.raises(ChangeLockError) as err:
        with ChangeLock(directory=lock_dir):
            raise AssertionError("ran without the lock")
    assert "could not open the change lock" in str(err.value)


def test_a_lock_file_with_a_wider_mode_is_narrowed(lock_dir):
    lock_file = os.path.join(lock_dir, "docker.lock")
    os.chmod(lock_file, 0o644)
    with ChangeLock(directory=lock_dir):
        assert stat.S_IMODE(os.lstat(lock_file).st_mode) == 0o600


# ----------------------------------------------------------------------------- waiting
def test_a_held_lock_fails_at_the_deadline_naming_the_holder(lock_dir):
    holder = held_elsewhere(lock_dir, purpose="dockyard.docker.compose project shop")
    try:
        start = time.monotonic()
        with pytest.raises(ChangeLockError) as err:
            with ChangeLock(timeout=0.6, directory=lock_dir):
                raise AssertionError("entered a lock another run holds")
        elapsed = time.monotonic() - start
    finally:
        holder.kill()
        holder.wait()
    assert 0.6 <= elapsed < 3, elapsed
    msg = str(err.value)
    assert msg.startswith("another change is in progress on this host")
    assert "held by PID %d (dockyard.docker.compose project shop, since " % holder.pid in msg, msg
    assert "Waited 0.6s (lock_timeout)" in msg and "changed nothing" in msg


def test_a_bare_flock_holder_is_named_from_proc_locks(lock_dir):
    holder = held_elsewhere(lock_dir)
    try:
        with pytest.raises(ChangeLockError) as err:
            ChangeLock(timeout=0, directory=lock_dir).acquire()
    finally:
        holder.kill()
        holder.wait()
    assert "held by PID %d (%s -c " % (holder.pid, sys.executable) in str(err.value), str(err.value)


def test_a_run_waits_for_the_lock_and_takes_it_when_it_is_released(lock_dir):
    holder = held_elsewhere(lock_dir, purpose="other run", seconds=0.5)
    try:
        with ChangeLock(timeout=20, directory=lock_dir) as lock:
            assert lock.waited is True
            assert holder.poll() is not None, "entered while the other run still held the lock"
    finally:
        holder.kill()
        holder.wait()


def test_a_free_lock_is_taken_without_waiting(lock_dir):
    with ChangeLock(timeout=0, directory=lock_dir) as lock:
        assert lock.waited is False


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf"), "soon", [5]])
def test_lock_timeout_must_be_a_finite_number_of_seconds(value):
    with pytest.raises(ChangeLockError) as err:
        check_timeout(value)
    assert str(err.value).startswith("lock_timeout must be a number of seconds >= 0")


def test_lock_timeout_default_and_values():
    assert check_timeout(None) == 300.0
    assert check_timeout(0) == 0.0 and check_timeout("2.5") == 2.5


# ----------------------------------------------------------------------------- who holds it
def test_lock_holders_reads_proc_locks_and_leaves_waiters_out(tmp_path):
    locks = tmp_path / "locks"
    device = os.makedev(0x103, 0x2a)
    locks.write_text(
        "1: FLOCK  ADVISORY  WRITE 4242 103:2a:7781 0 EOF\n"
        "1: -> FLOCK  ADVISORY  WRITE 4343 103:2a:7781 0 EOF\n"
        "2: POSIX  ADVISORY  WRITE 99 103:2a:1 0 EOF\n"
        "3: FLOCK  ADVISORY  WRITE 0 103:2a:7781 0 EOF\n")
    assert lock_holders(device, 7781, str(locks)) == [4242]
    assert lock_holders(device, 5, str(locks)) == []
    assert lock_holders(device, 7781, str(tmp_path / "missing")) == []


def test_describe_holder():
    record = {"pid": "12", "purpose": "dockyard.docker.container web", "since": "2026-12-02 07:00:00 UTC"}
    assert describe_holder([12], record) == "PID 12 (dockyard.docker.container web, since 2026-12-02 07:00:00 UTC)"
    # No /proc/locks (another PID namespace): the record says it.
    assert describe_holder([], record).startswith("PID 12 (")
    # A stale record (its writer is gone) is not blamed: the PID from /proc/locks is, with its command line.
    assert describe_holder([34], record, command_line=lambda pid: "flock /run/dockyard/docker.lock sleep 60") == (
        "PID 34 (flock /run/dockyard/docker.lock sleep 60)")
    assert describe_holder([], {}) == "another process (its PID could not be found)"
