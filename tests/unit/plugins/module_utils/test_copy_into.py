# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""container_copy_into's decisions: mode parsing, the owner, the file read back, write or not (no daemon)."""

import base64
import hashlib
import io
import tarfile

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.container.copy_into import (
    GO_MODE_DIR,
    GO_MODE_SETUID,
    GO_MODE_SYMLINK,
    CopyError,
    build_tar,
    check_container_path,
    copy_plan,
    current_file,
    decode_content,
    desired_file,
    diff_side,
    owner_from_user,
    parse_mode,
    unix_mode,
)


@pytest.mark.parametrize("value, mode", [("0644", 0o644), ("755", 0o755), ("0o600", 0o600), (0o640, 0o640),
                                         (420, 0o644), ("4755", 0o4755), (None, None)])
def test_parse_mode(value, mode):
    assert parse_mode(value) == mode


@pytest.mark.parametrize("value", ["u+x", "0888", "", "12345", True, 0o10000, -1])
def test_parse_mode_refuses_naming_the_option(value):
    with pytest.raises(CopyError, match="mode"):
        parse_mode(value)


def test_decode_content():
    assert decode_content("héllo\n", False) == u"héllo\n".encode("utf-8")
    assert decode_content(base64.b64encode(b"\x00\xff").decode(), True) == b"\x00\xff"
    with pytest.raises(CopyError, match="content is not valid base64"):
        decode_content("not base64!", True)


@pytest.mark.parametrize("path", ["relative/file", "", "/", "/etc/", "/etc/.."])
def test_container_path_must_be_an_absolute_file_path(path):
    with pytest.raises(CopyError, match="container_path"):
        check_container_path(path)


def test_container_path_is_normalised():
    assert check_container_path("/etc//app/./x.conf") == "/etc/app/x.conf"


@pytest.mark.parametrize("user, owner", [("", (0, 0)), (None, (0, 0)), ("root", (0, 0)), ("1000", (1000, 1000)),
                                         ("1000:50", (1000, 50)), ("www-data", None), ("1000:staff", None)])
def test_owner_from_user(user, owner):
    assert owner_from_user(user) == owner


def test_unix_mode_from_go_file_mode():
    assert unix_mode(0o644) == 0o644
    assert unix_mode(GO_MODE_SETUID | 0o755) == 0o4755


def _archive(data, mode=0o640, uid=33, gid=44):
    return build_tar("f.txt", desired_file(data, mode, uid, gid), mtime=0)


def test_current_file_reads_content_owner_and_mode_from_the_engines_tar():
    current = current_file({"name": "f.txt", "mode": 0o640, "size": 3}, _archive(b"abc"))
    assert current["kind"] == "file" and current["sha256"] == hashlib.sha256(b"abc").hexdigest()
    assert (current["mode"], current["uid"], current["gid"], current["size"]) == (0o640, 33, 44, 3)


def test_current_file_kinds():
    assert current_file({}, b"") is None
    assert current_file({"name": "d", "mode": GO_MODE_DIR | 0o755}, b"")["kind"] == "directory"
    link = current_file({"name": "l", "mode": GO_MODE_SYMLINK | 0o777, "linkTarget": "/etc/real"}, b"")
    assert link["kind"] == "symlink" and link["link_target"] == "/etc/real"


def test_build_tar_round_trip():
    with tarfile.open(fileobj=io.BytesIO(_archive(b"data", mode=0o4750, uid=7, gid=8))) as tar:
        (member,) = tar.getmembers()
        assert (member.name, member.mode, member.uid, member.gid) == ("f.txt", 0o4750, 7, 8)
        assert tar.extractfile(member).read() == b"data"


WANT = desired_file(b"abc", 0o640, 33, 44)


def _current(data=b"abc", mode=0o640, uid=33, gid=44):
    return current_file({"name": "f.txt", "mode": mode}, _archive(data, mode, uid, gid))


def test_same_file_is_not_written():
    assert copy_plan(_current(), WANT) == (False, [])


@pytest.mark.parametrize("current, reason", [
    (None, "file is missing"),
    (dict(data=b"abd"), "content differs"),
    (dict(mode=0o644), "mode 0644 -> 0640"),
    (dict(uid=0), "owner 0:44 -> 33:44"),
    (dict(gid=0), "owner 33:0 -> 33:44"),
])
def test_each_difference_writes(current, reason):
    write, reasons = copy_plan(None if current is None else _current(**current), WANT)
    assert write and reasons == [reason]


def test_force_semantics():
    assert copy_plan(_current(), WANT, force=True) == (True, ["force: true"])
    assert copy_plan(_current(data=b"other"), WANT, force=False) == (False, [])
    assert copy_plan(None, WANT, force=False) == (True, ["file is missing"])


def test_a_symlink_is_replaced_a_directory_is_refused():
    link = current_file({"name": "l", "mode": GO_MODE_SYMLINK | 0o777, "linkTarget": "/x"}, b"")
    assert copy_plan(link, WANT)[0] is True
    directory = current_file({"name": "d", "mode": GO_MODE_DIR | 0o755}, b"")
    with pytest.raises(CopyError, match="container_path /etc/d is a directory"):
        copy_plan(directory, WANT, force=True, path="/etc/d")


def test_diff_never_shows_content_unless_asked():
    side = diff_side("/x", WANT, show_content=False)
    assert "content" not in side and side["sha256"] == WANT["sha256"] and side["mode"] == "0640"
    assert diff_side("/x", WANT, show_content=True)["content"] == "abc"
    assert diff_side("/x", None, show_content=True) == {"path": "/x", "state": "absent"}
