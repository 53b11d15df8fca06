"""No task of the project's playbooks, roles or scenarios puts a secret on a command line.

A process's arguments are readable by every local user (``ps``, ``/proc/<pid>/cmdline``), so a password or a
token belongs on standard input (``stdin:``), in a file, or in a module option marked ``no_log`` - never in the
``argv``/``cmd`` of ``command``/``shell``.
"""

import glob
import os
import re
import sys

import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
COMMAND_MODULES = ("command", "shell", "ansible.builtin.command", "ansible.builtin.shell", "raw", "ansible.builtin.raw")
SECRET_WORDS = re.compile(r"password|passwd|token|secret|unlock_key|private_key", re.IGNORECASE)


def _tasks(node):
    """Every task dict in a play/task-file document, blocks and handlers included."""
    if isinstance(node, list):
        for item in node:
            yield from _tasks(item)
    elif isinstance(node, dict):
        if any(key in node for key in COMMAND_MODULES):
            yield node
        for key in ("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always"):
            if key in node:
                yield from _tasks(node[key])


def _command_line(task):
    for key in COMMAND_MODULES:
        if key in task:
            body = task[key]
            if isinstance(body, dict):
                return " ".join(str(part) for part in (body.get("argv") or [])) + " " + str(body.get("cmd") or "")
            return str(body)
    return ""


def _yaml_files():
    for pattern in ("playbooks/**/*.yml", "roles/**/*.yml", "molecule/**/*.yml"):
        yield from glob.glob(os.path.join(ROOT, pattern), recursive=True)


def command_lines_with_secrets():
    found = []
    for path in _yaml_files():
        with open(path) as handle:
            try:
                document = yaml.safe_load(handle)
            except yaml.YAMLError:
                continue
        for task in _tasks(document):
            line = _command_line(task)
            for variable in re.findall(r"{{(.*?)}}", line):
                if SECRET_WORDS.search(variable):
                    found.append("%s: %s" % (os.path.relpath(path, ROOT), task.get("name", line)))
    return found


def test_no_secret_variable_on_a_command_line():
    assert command_lines_with_secrets() == []


def test_the_check_sees_a_password_in_argv(tmp_path, monkeypatch):
    playbook = tmp_path / "playbooks" / "p.yml"
    playbook.parent.mkdir()
    playbook.write_text("- hosts: all\n  tasks:\n    - name: leak\n      ansible.builtin.command:\n"
                        "        argv: [htpasswd, -b, f, u, '{{ docker_registry_password }}']\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", str(tmp_path))
    assert command_lines_with_secrets() == ["playbooks/p.yml: leak"]
