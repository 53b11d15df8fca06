"""dockyard.docker.docker_api: exec command building, the become prompt dialogue, file transfer archives,
and the exec stream's demultiplexing. No engine: the become dialogue runs against a scripted stream."""

import io
import os
import struct
import tarfile

import pytest
from ansible.errors import AnsibleConnectionFailure
from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import become_loader, shell_loader

from ansible_collections.dockyard.docker.plugins.connection import docker_api
from ansible_collections.dockyard.docker.plugins.plugin_utils.exec_stream import STDERR, STDOUT, FrameReader


# ------------------------------------------------------------------------------------------- command building
def test_exec_argv_runs_ansibles_command_through_the_shell():
    assert docker_api.exec_argv("/bin/bash", "echo 'a b' && id") == ["/bin/bash", "-c", "echo 'a b' && id"]
    assert docker_api.exec_argv(None, "id") == ["/bin/sh", "-c", "id"]


def test_exec_mode():
    # plain command; pipelined module on stdin; su (prompt, no input) gets a terminal; sudo -S with a
    # pipelined module reads the password and then the module from stdin, without a terminal
    assert docker_api.exec_mode(False, False) == (False, False)
    assert docker_api.exec_mode(False, True) == (True, False)
    assert docker_api.exec_mode(True, False) == (True, True)
    assert docker_api.exec_mode(True, True) == (True, False)


def test_pipelining_only_over_a_unix_socket():
    assert docker_api.uses_unix_socket("unix:///var/run/docker.sock")
    assert docker_api.uses_unix_socket(None)
    assert not docker_api.uses_unix_socket("tcp://node1:2376")
    conn = docker_api.Connection(PlayContext(), None)
    conn.get_option = dict(docker_host="tcp://node1:2376", pipelining=True).get
    assert conn.is_pipelining_enabled() is False
    conn.get_option = dict(docker_host="unix:///var/run/docker.sock", pipelining=True).get
    assert conn.is_pipelining_enabled() is True


def test_exec_environment():
    assert docker_api.exec_environment({"B": 2, "A": "x y"}) == ["A=x y", "B=2"]
    assert docker_api.exec_environment(None) == []


def test_remote_path():
    assert docker_api.remote_path("/root/.ansible/tmp/x/../AnsiballZ_ping.py", "/srv") == \
        "/root/.ansible/tmp/AnsiballZ_ping.py"
    assert docker_api.remote_path("conf/app.ini", "/srv/app") == "/srv/app/conf/app.ini"
    assert docker_api.remote_path("app.ini", None) == "/app.ini"


def test_owner_ids():
    assert docker_api.numeric_user("") == (0, 0)
    assert docker_api.numeric_user("1000") == (1000, 1000)
    assert docker_api.numeric_user("1000:50") == (1000, 50)
    assert docker_api.numeric_user("app") is None
    assert docker_api.numeric_user("app:50") is None
    assert docker_api.parse_ids("1001\n1002\n") == (1001, 1002)
    with pytest.raises(ValueError):
        docker_api.parse_ids("id: 'nobody2': no such user\n")


def test_upload_archive_has_one_member_with_owner_and_mode(tmp_path):
    src = tmp_path / "module.py"
    src.write_bytes(b"print('hi')\n")
    os.chmod(str(src), 0o640)
    with docker_api.upload_archive(str(src), "AnsiballZ_x.py", 1001, 1002) as archive:
        with tarfile.open(fileobj=io.BytesIO(archive.read())) as tar:
            members = tar.getmembers()
            assert [(m.name, m.uid, m.gid, m.mode, m.size) for m in members] == [
                ("AnsiballZ_x.py", 1001, 1002, 0o640, 12)]
            assert tar.extractfile(members[0]).read() == b"print('hi')\n"


def test_become_output_drops_the_prompt_before_the_success_line():
    out = b"Password: \r\nBECOME-SUCCESS-abc\r\n{\"ping\": \"pong\"}\r\n"
    assert docker_api.become_output(out, True) == b"BECOME-SUCCESS-abc\r\n{\"ping\": \"pong\"}\r\n"
    assert docker_api.become_output(b"plain", False) == b"plain"


# ------------------------------------------------------------------------------------------- become dialogue
class ScriptedStream:
    """Stands in for the exec stream: gives the scripted output piece by piece, records what is written."""

    def __init__(self, pieces):
        self.pieces = list(pieces)
        self.out = {STDOUT: b"", STDERR: b""}
        self.written = []

    def write(self, data):
        self.written.append(data)

    def read_until(self, done, timeout):
        while not done(self.out[STDOUT], self.out[STDERR]) and self.pieces:
            piece = self.pieces.pop(0)
            if callable(piece):
                piece = piece(self)
            stream, data = piece
            self.out[stream] += data
        return done(self.out[STDOUT], self.out[STDERR])


def become(name, password="pw"):
    plugin = become_loader.get(name)
    plugin.set_options(direct={"become_pass": password})
    plugin.build_become_command("id", shell_loader.get("sh"))
    return plugin


def connection():
    conn = docker_api.Connection(PlayContext(), None)
    conn.get_option = dict(timeout=5, remote_addr="app1").get
    return conn


def test_su_prompt_is_answered_with_the_become_password():
    su = become("su", "s3cret")

    def after_password(stream):
        assert stream.written == [b"s3cret\n"]
        return STDOUT, b"\r\n%s\r\nuid=0(root)\r\n" % su.success.encode()

    stream = ScriptedStream([(STDOUT, b"Pass"), (STDOUT, b"word: "), after_password])
    connection()._ensure_become(stream, su, True)
    assert stream.written == [b"s3cret\n"]


def test_sudo_prompt_on_stderr_is_answered():
    sudo = become("sudo")
    stream = ScriptedStream([(STDERR, sudo.prompt.encode()),
                             lambda s: (STDOUT, (sudo.success + "\n").encode())])
    connection()._ensure_become(stream, sudo, True)
    assert stream.written == [b"pw\n"]


def test_no_prompt_when_become_needs_no_password():
    sudo = become("sudo", password=None)  # NOPASSWD sudo: Ansible sends no -S, nothing is written
    stream = ScriptedStream([(STDOUT, (sudo.success + "\n").encode())])
    connection()._ensure_become(stream, sudo, False)
    assert stream.written == []


def test_wrong_password_fails_clearly_and_sends_it_once():
    su = become("su", "wrong")
    stream = ScriptedStream([(STDOUT, b"Password: "), (STDOUT, b"\r\nsu: Authentication failure\r\n")])
    with pytest.raises(AnsibleConnectionFailure, match=r"(?s)become \(su\) in container app1 did not succeed.*"
                                                       r"Authentication failure"):
        connection()._ensure_become(stream, su, True)
    assert stream.written == [b"wrong\n"]


def test_second_prompt_is_not_answered_again():
    su = become("su")
    stream = ScriptedStream([(STDOUT, b"Password: "), (STDOUT, b"\r\nPassword: "), (STDOUT, b"never read")])
    with pytest.raises(AnsibleConnectionFailure, match="did not succeed"):
        connection()._ensure_become(stream, su, True)
    assert stream.written == [b"pw\n"]


def test_command_ending_before_become_leaves_the_outcome_to_its_exit_code():
    su = become("su")
    stream = ScriptedStream([(STDERR, b"su: user root does not exist\n")])
    connection()._ensure_become(stream, su, True)
    assert stream.written == []


# ------------------------------------------------------------------------------------------- exec stream
def frame(stream, data):
    return struct.pack(">BxxxL", stream, len(data)) + data


def test_frames_split_anywhere_are_reassembled_per_stream():
    raw = frame(1, b"hello ") + frame(2, b"warning\n") + frame(1, b"world\n") + frame(1, b"")
    for cut in range(len(raw) + 1):
        reader = FrameReader(tty=False)
        pieces = reader.feed(raw[:cut]) + reader.feed(raw[cut:])
        out = b"".join(data for stream, data in pieces if stream == STDOUT)
        err = b"".join(data for stream, data in pieces if stream == STDERR)
        assert (out, err, reader.incomplete) == (b"hello world\n", b"warning\n", 0), cut


def test_tty_stream_is_raw_stdout():
    reader = FrameReader(tty=True)
    assert reader.feed(b"\x01\x00\x00\x00raw") == [(STDOUT, b"\x01\x00\x00\x00raw")]
    assert reader.feed(b"") == []


def test_truncated_frame_is_reported():
    reader = FrameReader(tty=False)
    assert reader.feed(frame(1, b"abcdef")[:-2]) == []
    assert reader.incomplete == 12
