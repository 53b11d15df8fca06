# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module_utils bytecode cache: used for files from a zip (as Ansible ships them), safe, and optional."""

import marshal
import os
import stat
import subprocess
import sys
import zipfile

SUB = "ansible_collections/dockyard/docker/plugins/module_utils"
OTHER_UID = 65534  # nobody: the tests run as root and play another local user with chown

# Imports from a zip the way an Ansible module payload does (packages with __init__.py, the zip on sys.path).
PROBE = r"""
import sys
sys.path.insert(0, {archive!r})
from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache
print(bytecode_cache.install())
from ansible_collections.dockyard.docker.plugins.module_utils import zz_probe
print(zz_probe.VALUE)
"""
CACHE_SOURCE = os.path.join(os.path.dirname(__file__), *[".."] * 4, "plugins", "module_utils", "bytecode_cache.py")


def run_probe(tmp_path, cache, env_value=None):
    archive = tmp_path / "payload.zip"
    if not archive.exists():
        with zipfile.ZipFile(str(archive), "w") as zipped:
            parts = SUB.split("/")
            for depth in range(1, len(parts) + 1):
                zipped.writestr("/".join(parts[:depth]) + "/__init__.py", "")
            with open(CACHE_SOURCE) as handle:
                zipped.writestr(SUB + "/bytecode_cache.py", handle.read())
            zipped.writestr(SUB + "/zz_probe.py", "VALUE = 'from source'\n")
    env = dict(os.environ)
    env["DOCKYARD_BYTECODE_CACHE"] = env_value if env_value is not None else str(cache)
    code = PROBE.format(archive=str(archive))
    out = subprocess.check_output([sys.executable, "-B", "-c", code], env=env).decode().split("\n")
    return out[0], out[1]


def cached_files(cache):
    return sorted(p for p in os.listdir(str(cache)) if p.startswith("zz_probe."))


def planted(path, text="VALUE = 'planted'\n"):
    with open(path, "wb") as handle:
        handle.write(marshal.dumps(compile(text, "x", "exec")))


def cache_with_one_file(tmp_path):
    cache = tmp_path / "cache"
    run_probe(tmp_path, cache)
    return cache, os.path.join(str(cache), cached_files(cache)[0])


def test_first_import_writes_the_compiled_code_and_the_next_one_uses_it(tmp_path):
    cache = tmp_path / "cache"
    directory, value = run_probe(tmp_path, cache)
    assert directory == str(cache) and value == "from source"
    files = cached_files(cache)
    assert len(files) == 1
    assert stat.S_IMODE(os.stat(str(cache)).st_mode) == 0o700
    # Replace the cached code: the next import must run it instead of compiling the source again.
    path = os.path.join(str(cache), files[0])
    with open(path, "wb") as handle:
        handle.write(marshal.dumps(compile("VALUE = 'from cache'\n", "x", "exec")))
    assert run_probe(tmp_path, cache)[1] == "from cache"


def test_a_cache_file_others_can_write_is_not_trusted(tmp_path):
    cache = tmp_path / "cache"
    run_probe(tmp_path, cache)
    path = os.path.join(str(cache), cached_files(cache)[0])
    with open(path, "wb") as handle:
        handle.write(marshal.dumps(compile("VALUE = 'planted'\n", "x", "exec")))
    os.chmod(path, 0o666)
    assert run_probe(tmp_path, cache)[1] == "from source"


def test_a_directory_others_can_write_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    os.chmod(str(cache), 0o777)
    directory, value = run_probe(tmp_path, cache)
    assert directory == "None" and value == "from source"
    assert cached_files(cache) == []


def test_cache_files_are_written_0600_and_no_temporary_file_is_left(tmp_path):
    cache, path = cache_with_one_file(tmp_path)
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600
    assert [p for p in os.listdir(str(cache)) if p.endswith(".tmp")] == []


def test_a_cache_file_of_another_user_is_not_trusted(tmp_path):
    cache, path = cache_with_one_file(tmp_path)
    planted(path)
    os.chmod(path, 0o644)
    os.chown(path, OTHER_UID, OTHER_UID)
    assert run_probe(tmp_path, cache)[1] == "from source"


def test_a_symlink_in_the_cache_is_not_followed(tmp_path):
    cache, path = cache_with_one_file(tmp_path)
    elsewhere = str(tmp_path / "elsewhere.pyc")
    planted(elsewhere)
    os.chmod(elsewhere, 0o600)
    os.unlink(path)
    os.symlink(elsewhere, path)
    assert run_probe(tmp_path, cache)[1] == "from source"
    # The atomic write replaced the link with a file of its own; the target was not written through it.
    assert not os.path.islink(path) and stat.S_ISREG(os.lstat(path).st_mode)
    assert run_probe(tmp_path, cache)[1] == "from source"


def test_a_symlinked_cache_directory_is_not_used_whoever_owns_it(tmp_path):
    """A link another user made (lchown) to a directory of root with mode 0700 passed a ``stat`` check."""
    target = tmp_path / "roots-private"
    target.mkdir(mode=0o700)
    link = tmp_path / "cache"
    os.symlink(str(target), str(link))
    os.lchown(str(link), OTHER_UID, OTHER_UID)
    directory, value = run_probe(tmp_path, link)
    assert directory == "None" and value == "from source"
    assert os.listdir(str(target)) == []


def test_a_cache_directory_of_another_user_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    os.chown(str(cache), OTHER_UID, OTHER_UID)
    directory, value = run_probe(tmp_path, cache)
    assert directory == "None" and value == "from source"
    assert os.listdir(str(cache)) == []


def test_a_cache_directory_others_can_read_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    os.chmod(str(cache), 0o755)
    assert run_probe(tmp_path, cache)[0] == "None"
    assert cached_files(cache) == []


def test_the_cache_can_be_turned_off(tmp_path):
    directory, value = run_probe(tmp_path, tmp_path / "cache", env_value="off")
    assert directory == "None" and value == "from source"
    assert not (tmp_path / "cache").exists()


def test_not_installed_for_files_on_disk():
    """Imported from the file system (unit tests, ansible-test's import check) nothing is hooked."""
    code = ("import sys; from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache; "
            "before = list(sys.meta_path); print(bytecode_cache.install(), sys.meta_path == before)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    env.pop("DOCKYARD_BYTECODE_CACHE", None)
    out = subprocess.check_output([sys.executable, "-c", code], env=env).decode().split()
    assert out == ["None", "True"]
