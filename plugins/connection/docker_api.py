# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: docker_api
short_description: Run tasks in a container through the Docker engine API
version_added: 0.4.0
description:
  - Runs commands in an existing, running container with the engine's exec API, uploads files with the archive
    API and downloads them the same way. No Docker CLI is needed, on the controller or anywhere else.
  - Reaches the engine as the collection's modules do (a unix socket, or C(tcp://) with TLS; plain TCP is
    refused unless O(validate_certs=false)).
  - Works with C(become) inside the container where the container has C(su) or C(sudo); a password prompt is
    answered with the become password (C(su) gets a terminal for it).
  - P(dockyard.docker.containers#inventory) sets these options' variables for each container it lists.
author:
  - dockyard.docker contributors (@dockyard)
options:
  remote_addr:
    description: The name or ID of the container.
    type: str
    default: inventory_hostname
    vars:
      - name: inventory_hostname
      - name: ansible_host
      - name: ansible_docker_container
  remote_user:
    description:
      - The user commands run as inside the container (C(docker exec --user)); a name, a UID or C(uid:gid).
      - Unset, the container's own user (its C(Config.User), root when empty).
    type: str
    vars:
      - name: ansible_user
      - name: ansible_docker_user
    ini:
      - section: defaults
        key: remote_user
    env:
      - name: ANSIBLE_REMOTE_USER
    keyword:
      - name: remote_user
  docker_host:
    description: The engine that runs the container, as the modules' C(docker_host).
    type: str
    default: unix:///var/run/docker.sock
    vars:
      - name: ansible_docker_host
      - name: ansible_docker_docker_host
    env:
      - name: DOCKER_HOST
  timeout:
    description:
      - Seconds to wait for an answer from the engine, and for a become prompt or its success.
    type: int
    default: 60
    vars:
      - name: ansible_docker_timeout
    env:
      - name: DOCKER_TIMEOUT
  tls_ca_cert:
    description: CA certificate that signed the engine's TLS certificate.
    type: path
    vars:
      - name: ansible_docker_tls_ca_cert
      - name: ansible_docker_ca_cert
  tls_client_cert:
    description: Client certificate presented to a TLS engine.
    type: path
    vars:
      - name: ansible_docker_tls_client_cert
      - name: ansible_docker_client_cert
  tls_client_key:
    description: Key of O(tls_client_cert).
    type: path
    vars:
      - name: ansible_docker_tls_client_key
      - name: ansible_docker_client_key
  validate_certs:
    description: Verify the engine's TLS certificate.
    type: bool
    default: true
    vars:
      - name: ansible_docker_validate_certs
  extra_env:
    description: Environment variables set for every command run in the container.
    type: dict
    vars:
      - name: ansible_docker_extra_env
  working_dir:
    description:
      - The directory commands start in inside the container (default the container's C(WorkingDir)), and
        what a relative remote path is taken relative to.
    type: str
    vars:
      - name: ansible_docker_working_dir
notes:
  - The container must be running; a stopped or missing container fails the task with what to do.
  - Files are uploaded as the user of O(remote_user) (the owner Ansible expects of its temporary files).
  - Pipelining (the module sent on the command's standard input) is used with a unix socket; over C(tcp://) with
    TLS modules are uploaded and run from a file, because the client cannot end the command's input without
    ending the TLS session.
seealso:
  - plugin: dockyard.docker.containers
    plugin_type: inventory
"""

EXAMPLES = r"""
# inventory.yml - one container of a TLS engine
all:
  hosts:
    web1:
      ansible_connection: dockyard.docker.docker_api
      ansible_docker_host: tcp://node1.example.com:2376
      ansible_docker_tls_ca_cert: /etc/dockyard/ca.pem
      ansible_docker_tls_client_cert: /etc/dockyard/cert.pem
      ansible_docker_tls_client_key: /etc/dockyard/key.pem

---
# a play into a local container, becoming root with su from an unprivileged user
- name: Configure the app container
  hosts: app1
  connection: dockyard.docker.docker_api
  remote_user: app
  become: true
  become_method: ansible.builtin.su
  tasks:
    - name: Write the configuration
      ansible.builtin.copy:
        dest: /etc/app.conf
        content: "workers = 4\n"
        mode: "0644"
"""

import os
import posixpath
import tarfile
import tempfile

from ansible.errors import AnsibleConnectionFailure, AnsibleError, AnsibleFileNotFound
from ansible.module_utils.common.text.converters import to_bytes, to_native, to_text
from ansible.plugins.connection import ConnectionBase
from ansible.utils.display import Display

from ansible_collections.dockyard.docker.plugins.plugin_utils.engine import engine_error, engine_params, open_api
from ansible_collections.dockyard.docker.plugins.plugin_utils.exec_stream import ExecStream, StreamTimeout

display = Display()

# Symbolic links followed when fetching a file, before giving up on a loop.
MAX_LINKS = 20
# put_file keeps an upload in memory up to this size, on disk beyond.
SPOOL_BYTES = 16 * 1024 * 1024


def exec_argv(executable, cmd):
    """Pure: the argv of an exec for Ansible's shell command ``cmd``."""
    return [executable or "/bin/sh", "-c", cmd]


def exec_mode(password_prompt, has_input):
    """Pure: ``(attach stdin, allocate a TTY)`` for an exec.

    A become password prompt needs stdin; ``su`` reads the password from a terminal, so a
    command without input gets a TTY. ``sudo -S`` (what Ansible asks sudo for) reads it from
    stdin, which then also carries a pipelined module: a terminal would mangle that input.
    """
    return bool(password_prompt or has_input), bool(password_prompt and not has_input)


def uses_unix_socket(docker_host):
    """Pure: whether the engine is reached over a unix socket (the default when unset)."""
    return not docker_host or docker_host.startswith("unix://")


def exec_environment(extra_env):
    """Pure: ``{"A": 1}`` -> ``["A=1"]``, the engine's form."""
    return ["%s=%s" % (key, value) for key, value in sorted((extra_env or {}).items())]


def remote_path(path, working_dir):
    """Pure: an absolute path in the container (a relative one is taken from ``working_dir``, else ``/``)."""
    if path.startswith("/"):
        return posixpath.normpath(path)
    return posixpath.normpath(posixpath.join(working_dir or "/", path))


def parse_ids(text):
    """Pure: ``"1000\\n1000\\n"`` (``id -u; id -g``) -> ``(1000, 1000)``."""
    parts = text.split()
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        raise ValueError("unexpected output of 'id -u; id -g': %r" % text)
    return int(parts[0]), int(parts[1])


def numeric_user(user):
    """Pure: ``"1000:1001"`` -> ``(1000, 1001)``, ``"0"`` -> ``(0, 0)``; ``None`` when a name must be looked up."""
    if not user:
        return 0, 0
    uid, _sep, gid = user.partition(":")
    if uid.isdigit() and (not gid or gid.isdigit()):
        return int(uid), int(gid) if gid else int(uid)
    return None


def upload_archive(in_path, name, uid, gid, spool=None):
    """A tar archive (file object, at 0) with ``in_path`` as member ``name`` owned by ``uid:gid``."""
    spool = spool if spool is not None else tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    stat = os.stat(in_path)
    info = tarfile.TarInfo(name=name)
    info.size = stat.st_size
    info.mode = stat.st_mode & 0o7777
    info.mtime = int(stat.st_mtime)
    info.uid, info.gid = uid, gid
    with tarfile.open(fileobj=spool, mode="w") as tar, open(in_path, "rb") as src:
        tar.addfile(info, src)
    spool.seek(0)
    return spool


def become_output(stdout, marker_found):
    """Pure: what a command printed once become succeeded (the prompt before the success line is dropped)."""
    index = stdout.find(b"BECOME-SUCCESS-")
    return stdout[index:] if marker_found and index >= 0 else stdout


class Connection(ConnectionBase):
    """Commands through the engine's exec API, files through its archive API."""

    transport = "dockyard.docker.docker_api"
    has_pipelining = True

    def __init__(self, play_context, new_stdin, *args, **kwargs):
        super(Connection, self).__init__(play_context, new_stdin, *args, **kwargs)
        self.api = None
        self._ids = None
        self._container_workdir = None

    # ------------------------------------------------------------------ engine
    def _engine_host(self):
        return self.get_option("docker_host")

    def _container(self):
        return self.get_option("remote_addr")

    def _call(self, doing, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except (AnsibleError, StreamTimeout):
            raise
        except Exception as exc:  # noqa: BLE001 - every engine error is explained
            if getattr(exc, "status_code", None) == 404:
                raise AnsibleConnectionFailure(
                    "Container %s was not found on the Docker engine at %s (%s): check the name (ansible_host) "
                    "and docker_host" % (self._container(), self._engine_host(), getattr(exc, "explanation", exc)))
            raise engine_error(exc, self._engine_host(), doing)

    def _connect(self):
        if self._connected:
            return self
        self.api = open_api(engine_params(self.get_option))
        info = self._call("inspect container %s" % self._container(), self.api.inspect_container, self._container())
        state = info.get("State") or {}
        if not state.get("Running") or state.get("Paused"):
            raise AnsibleConnectionFailure(
                "Container %s on %s is %s, not running: start it (dockyard.docker.container state=started) before "
                "running tasks in it" % (self._container(), self._engine_host(), state.get("Status", "not running")))
        self._container_user = (info.get("Config") or {}).get("User") or ""
        self._container_workdir = (info.get("Config") or {}).get("WorkingDir") or "/"
        display.vvv(u"ESTABLISH DOCKER API CONNECTION TO %s FOR USER: %s"
                    % (self._engine_host(), self.get_option("remote_user") or self._container_user or "(container's)"),
                    host=self._container())
        self._connected = True
        return self

    def is_pipelining_enabled(self, wrap_async=False):
        # A pipelined module is the exec's stdin, ended by closing the writing half of the connection. Python's
        # TLS socket cannot do that without ending the TLS session (and with it the command's output), so over
        # TCP/TLS modules are uploaded and run from a file instead.
        if not uses_unix_socket(self.get_option("docker_host")):
            return False
        return super(Connection, self).is_pipelining_enabled(wrap_async)

    def _exec_user(self):
        return self.get_option("remote_user") or ""

    # ------------------------------------------------------------------ commands
    def _start_exec(self, argv, stdin, tty):
        exec_id = self._call("create an exec in %s" % self._container(), self.api.exec_create, self._container(),
                             argv, stdout=True, stderr=True, stdin=stdin, tty=tty, user=self._exec_user(),
                             environment=exec_environment(self.get_option("extra_env")) or None,
                             workdir=self.get_option("working_dir") or None)["Id"]
        sock = self._call("start an exec in %s" % self._container(), self.api.exec_start, exec_id, socket=True,
                          tty=tty)
        return exec_id, ExecStream(sock, tty)

    def _run(self, argv, in_data=None, become=None):
        """``(rc, stdout, stderr)`` of ``argv`` in the container; ``become`` answers its password prompt."""
        prompt = bool(become is not None and become.expect_prompt())
        stdin, tty = exec_mode(prompt, in_data is not None)
        exec_id, stream = self._start_exec(argv, stdin=stdin, tty=tty)
        try:
            if become is not None:
                self._ensure_become(stream, become, prompt)
            stream.write(in_data)
            if stdin and not tty:
                stream.close_stdin()
            stdout, stderr = stream.read_all()
        except StreamTimeout:
            raise AnsibleConnectionFailure(
                "Timed out after %ss waiting for become in container %s (timeout option). Output so far: %r"
                % (self.get_option("timeout"), self._container(), stream.out))
        finally:
            stream.close()
        rc = self._call("read the exit code in %s" % self._container(), self.api.exec_inspect, exec_id)["ExitCode"]
        return rc, become_output(stdout, become is not None), stderr

    def _ensure_become(self, stream, become, prompt):
        """Read until become reports success, answering one password prompt."""
        timeout = self.get_option("timeout")

        def success_or_prompt(out, err):
            return become.check_success(out) or (prompt and (become.check_password_prompt(out)
                                                             or become.check_password_prompt(err)))

        if not stream.read_until(success_or_prompt, timeout):
            return  # the command ended before; its output and exit code tell why
        if become.check_success(stream.out[1]):
            return
        seen_out, seen_err = len(stream.out[1]), len(stream.out[2])
        stream.write(to_bytes(become.get_option("become_pass") or "") + b"\n")

        def settled(out, err):
            new_out, new_err = out[seen_out:], err[seen_err:]
            return become.check_success(out) or become.check_password_prompt(new_out) \
                or become.check_password_prompt(new_err) or become.check_incorrect_password(new_out) \
                or become.check_incorrect_password(new_err)

        stream.read_until(settled, timeout)
        if not become.check_success(stream.out[1]):
            raise AnsibleConnectionFailure(
                "become (%s) in container %s did not succeed with the become password given: %s"
                % (become.name, self._container(), to_text(stream.out[1] + stream.out[2]).strip()[-500:]))

    def exec_command(self, cmd, in_data=None, sudoable=False):
        super(Connection, self).exec_command(cmd, in_data=in_data, sudoable=sudoable)
        argv = exec_argv(self._play_context.executable, cmd)
        display.vvv(u"EXEC %s" % (argv,), host=self._container())
        become = self.become if (sudoable and self.become and getattr(self.become, "_id", None)) else None
        return self._run(argv, in_data=in_data, become=become)

    # ------------------------------------------------------------------ files
    def _owner_ids(self):
        if self._ids is None:
            self._ids = numeric_user(self._exec_user() or self._container_user)
        if self._ids is None:
            rc, out, err = self._run(["/bin/sh", "-c", "id -u && id -g"])
            if rc != 0:
                raise AnsibleConnectionFailure("Could not look up user %s in container %s: %s"
                                               % (self._exec_user(), self._container(), to_text(err).strip()))
            self._ids = parse_ids(to_text(out))
        return self._ids

    def put_file(self, in_path, out_path):
        super(Connection, self).put_file(in_path, out_path)
        display.vvv(u"PUT %s TO %s" % (in_path, out_path), host=self._container())
        if not os.path.exists(to_bytes(in_path, errors="surrogate_or_strict")):
            raise AnsibleFileNotFound("file or module does not exist: %s" % to_native(in_path))
        target = remote_path(out_path, self.get_option("working_dir") or self._container_workdir)
        directory, name = posixpath.split(target)
        uid, gid = self._owner_ids()
        with upload_archive(to_bytes(in_path, errors="surrogate_or_strict"), name, uid, gid) as archive:
            ok = self._call("upload %s to %s in %s" % (in_path, target, self._container()),
                            self.api.put_archive, self._container(), directory, archive.read())
        if not ok:
            raise AnsibleConnectionFailure("The engine refused to upload %s to %s in %s"
                                           % (in_path, target, self._container()))

    def _read_member(self, path):
        """``(TarInfo, bytes or None)`` of the single file the engine archives for ``path``."""
        stream, _stat = self._call("download %s from %s" % (path, self._container()),
                                   self.api.get_archive, self._container(), path)
        with tempfile.TemporaryFile() as buf:
            for chunk in stream:
                buf.write(chunk)
            buf.seek(0)
            with tarfile.open(fileobj=buf, mode="r|") as tar:
                for member in tar:
                    if member.isfile():
                        return member, tar.extractfile(member).read()
                    return member, None
        raise AnsibleError("The engine sent an empty archive for %s in %s" % (path, self._container()))

    def fetch_file(self, in_path, out_path):
        super(Connection, self).fetch_file(in_path, out_path)
        display.vvv(u"FETCH %s TO %s" % (in_path, out_path), host=self._container())
        path = remote_path(in_path, self.get_option("working_dir") or self._container_workdir)
        for _hop in range(MAX_LINKS):
            member, data = self._read_member(path)
            if member.issym():
                path = remote_path(member.linkname, posixpath.dirname(path))
                continue
            if data is None:
                raise AnsibleError("%s in container %s is not a regular file" % (in_path, self._container()))
            with open(to_bytes(out_path, errors="surrogate_or_strict"), "wb") as out:
                out.write(data)
            return
        raise AnsibleError("%s in container %s: more than %d symbolic links" % (in_path, self._container(), MAX_LINKS))

    def close(self):
        if self.api is not None:
            self.api.close()
        self.api = None
        self._connected = False

    def reset(self):
        self.close()
