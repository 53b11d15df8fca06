#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: exec
short_description: Run a command in a running Docker container
version_added: 0.4.0
description:
  - Runs one process inside a running container, as C(docker exec) does, and returns its exit code and output.
  - A command that ran always reports C(changed=true); the module cannot know what the command did.
  - A non-zero exit code fails the task (RV(rc), RV(stdout) and RV(stderr) are in the result); use
    C(failed_when) to accept other exit codes.
  - A container that does not exist or is not running fails the task, naming it.
  - The module waits for the process however long it runs (O(timeout) only bounds each call to the engine);
    bound it with the task keyword C(timeout) or run it with O(detach=true).
attributes:
  check_mode:
    support: partial
    description: Checks that the container runs, does not run the command.
    details:
      - In check mode the command is not run (its effect cannot be predicted). The module checks that the
        container exists and runs, then reports C(changed=true) with a message saying the command was skipped;
        RV(rc), RV(stdout) and RV(stderr) are not returned.
  diff_mode:
    support: none
    description: A command has no before and after the module could show.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
options:
  container:
    description: Name or ID of the container to run the command in.
    type: str
    required: true
  command:
    description:
      - The command, split into arguments the way a POSIX shell would (quotes are honoured), but not run by a
        shell; use O(argv) or C(sh -c '...') for pipes and variables.
      - Exactly one of O(command) and O(argv) is required.
    type: str
  argv:
    description: The command as a list of arguments, passed as they are.
    type: list
    elements: str
  chdir:
    description: Working directory of the process inside the container.
    type: str
  env:
    description: Environment variables of the process (values must be strings; quote booleans and numbers).
    type: dict
  user:
    description: User (name or UID, optionally C(:group)) to run the process as; the container's user by default.
    type: str
  stdin:
    description: Text sent to the process's standard input, which is then closed.
    type: str
  stdin_add_newline:
    description: Add a newline to O(stdin) when it does not end with one.
    type: bool
    default: true
  strip_empty_ends:
    description: Remove empty lines at the start and end of RV(stdout) and RV(stderr), and the final newline.
    type: bool
    default: true
  tty:
    description: Give the process a pseudo terminal. Its standard error is then merged into RV(stdout).
    type: bool
    default: false
  detach:
    description:
      - Start the process and return at once with RV(exec_id), without waiting for it or reading its output.
      - O(stdin) cannot be used with O(detach=true).
    type: bool
    default: false
seealso:
  - module: dockyard.docker.container
"""

EXAMPLES = r"""
- name: Run the database migrations in the app container
  dockyard.docker.exec:
    container: app
    argv: [/app/manage, migrate, --noinput]
    chdir: /app
    env:
      APP_ENV: production
    user: app
  register: migrate

- name: Show what the migrations printed
  ansible.builtin.debug:
    var: migrate.stdout_lines

- name: Feed a SQL script to psql on its standard input
  dockyard.docker.exec:
    container: db
    command: psql -U postgres -v ON_ERROR_STOP=1
    stdin: "{{ lookup('ansible.builtin.file', 'schema.sql') }}"

- name: A check that may exit 1 without failing the task
  dockyard.docker.exec:
    container: app
    command: test -f /data/ready
  register: ready
  failed_when: ready.rc not in [0, 1]

- name: Start a long job in the background
  dockyard.docker.exec:
    container: app
    command: /app/reindex
    detach: true
"""

RETURN = r"""
rc:
  description: Exit code of the process.
  returned: when the command ran and O(detach=false)
  type: int
  sample: 0
stdout:
  description: Standard output of the process (with O(tty=true), everything the terminal showed).
  returned: when the command ran and O(detach=false)
  type: str
  sample: migrated 3 tables
stdout_lines:
  description: RV(stdout) split into lines.
  returned: when the command ran and O(detach=false)
  type: list
  elements: str
stderr:
  description: Standard error of the process (empty with O(tty=true)).
  returned: when the command ran and O(detach=false)
  type: str
  sample: ""
stderr_lines:
  description: RV(stderr) split into lines.
  returned: when the command ran and O(detach=false)
  type: list
  elements: str
exec_id:
  description: ID of the exec instance, to look it up later with the engine API.
  returned: when the command ran
  type: str
argv:
  description: The argument list that was (or in check mode would be) run.
  returned: always
  type: list
  elements: str
  sample: [/app/manage, migrate, --noinput]
"""

import socket

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_text

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import (  # noqa: E402
    connect,
    docker_argument_spec,
    fail_from_error,
    or_none,
)
from ansible_collections.dockyard.docker.plugins.module_utils.engine.exec import (
    demux_stream,
    exec_argv,
    exec_env,
    strip_empty_ends,
)
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError


class ExecError(Exception):
    pass


def _raw(sock):
    return getattr(sock, "_sock", sock)


def _read_all(sock):
    chunks = []
    while True:
        data = sock.recv(65536) if hasattr(sock, "recv") else sock.read(65536)
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


def talk(sock, stdin):
    """Send ``stdin`` (bytes or None), close our half of the connection, read everything the process prints."""
    raw = _raw(sock)
    try:
        # the process may run longer than the engine timeout; the task keyword `timeout` bounds it
        raw.settimeout(None)
        if stdin is not None:
            raw.sendall(stdin)
        try:
            raw.shutdown(socket.SHUT_WR)
        except (OSError, NotImplementedError):
            pass
        return _read_all(raw)
    finally:
        raw.close()


def check_running(api, name):
    data = or_none(api.inspect_container, name)
    if data is None:
        raise ExecError("container %s does not exist, so the command was not run" % name)
    state = data.get("State") or {}
    if not state.get("Running") or state.get("Paused") or state.get("Restarting"):
        raise ExecError("container %s is not running (state: %s), so the command was not run; start it first"
                        % (name, state.get("Status") or "unknown"))
    return data


def build_module():
    argument_spec = dict(
        container=dict(type="str", required=True),
        command=dict(type="str"),
        argv=dict(type="list", elements="str"),
        chdir=dict(type="str"),
        env=dict(type="dict"),
        user=dict(type="str"),
        stdin=dict(type="str"),
        stdin_add_newline=dict(type="bool", default=True),
        strip_empty_ends=dict(type="bool", default=True),
        tty=dict(type="bool", default=False),
        detach=dict(type="bool", default=False),
    )
    argument_spec.update(docker_argument_spec())
    return AnsibleModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[("command", "argv"), ("stdin", "detach")],
        required_one_of=[("command", "argv")],
    )


def process_options(module):
    """``(argv, env, stdin)`` from the options (env as ``KEY=value`` items, stdin with its newline); fails on bad ones."""
    params = module.params
    try:
        argv = exec_argv(params)
        env = exec_env(params["env"]) if params["env"] is not None else None
    except SpecError as exc:
        module.fail_json(msg=str(exc), changed=False)
    stdin = params["stdin"]
    if stdin is not None and params["stdin_add_newline"] and not stdin.endswith("\n"):
        stdin += "\n"
    return argv, env, stdin


def require_running(module, api, argv):
    name = module.params["container"]
    try:
        check_running(api, name)
    except ExecError as exc:
        module.fail_json(msg=str(exc), changed=False, argv=argv)
    except Exception as exc:  # noqa: BLE001
        fail_from_error(module, exc, "inspect container %s" % name, argv=argv)


def run_process(module, api, argv, env, stdin):
    """Create the exec and start it: ``(exec_id, output, rc)``, output and rc ``None`` when it runs detached."""
    params = module.params
    name = params["container"]
    try:
        created = api.exec_create(
            name, argv, stdout=True, stderr=True, stdin=stdin is not None, tty=params["tty"],
            user=params["user"] or "", environment=env, workdir=params["chdir"])
        exec_id = created["Id"]
        if params["detach"]:
            api.exec_start(exec_id, detach=True, tty=params["tty"])
            return exec_id, None, None
        sock = api.exec_start(exec_id, tty=params["tty"], socket=True)
        data = talk(sock, to_bytes(stdin) if stdin is not None else None)
        return exec_id, data, api.exec_inspect(exec_id).get("ExitCode")
    except Exception as exc:  # noqa: BLE001
        fail_from_error(module, exc, "run %s in container %s" % (argv[0], name), changed=True, argv=argv)


def output_result(params, argv, exec_id, rc, data):
    """The result of a command that ran to its end: exit code, output as text and as lines."""
    if params["tty"]:
        out, err = data, b""
    else:
        out, err = demux_stream(data)
    stdout, stderr = to_text(out, errors="surrogate_or_replace"), to_text(err, errors="surrogate_or_replace")
    if params["strip_empty_ends"]:
        stdout, stderr = strip_empty_ends(stdout), strip_empty_ends(stderr)
    return dict(changed=True, argv=argv, exec_id=exec_id, rc=rc, stdout=stdout, stderr=stderr,
                stdout_lines=stdout.splitlines(), stderr_lines=stderr.splitlines())


def main():
    module = build_module()
    argv, env, stdin = process_options(module)
    engine = connect(module)
    name = module.params["container"]
    require_running(module, engine.api, argv)
    if module.check_mode:
        module.exit_json(changed=True, argv=argv, msg="check mode: the command was not run in container %s" % name)
    exec_id, data, rc = run_process(module, engine.api, argv, env, stdin)
    if module.params["detach"]:
        module.exit_json(changed=True, argv=argv, exec_id=exec_id)
    result = output_result(module.params, argv, exec_id, rc, data)
    if rc != 0:
        module.fail_json(msg="the command exited with code %s in container %s" % (rc, name), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
