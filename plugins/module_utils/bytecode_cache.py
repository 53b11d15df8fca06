# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keep the compiled code of this collection's module_utils on the managed host between module runs.

Ansible ships a module and its module_utils to the target as a zip file, and Python
cannot write ``__pycache__`` into a zip: every task compiles every imported file again.
(Python's zip importer even compiles each file twice: once to answer ``find_spec``,
once to run it.)  For ``container`` that compilation is most of what the module costs
beyond Ansible's own start-up.  :func:`install` adds an import hook for this
collection's module_utils only: when a file is imported from the zip, its text is read
from the zip and its compiled code from (or written to) a per-user cache directory,
keyed by a hash of the text and of the Python version, exactly what Python does for
files on disk.

Safety: the directory is created ``0700`` and used only when it is a real directory (not a
symlink) of the user running the module with no access for group or others (``lstat``, then
checked again with ``fstat`` on the descriptor it is opened as).  Cache files are opened
relative to that descriptor without following symlinks, checked with ``fstat`` (a regular
file of that user that nobody else can write) and read from the same descriptor; they are
written atomically (a new temporary file, ``O_EXCL``, then a rename).  Any problem falls
back to the normal import.  ``DOCKYARD_BYTECODE_CACHE=off`` on the target disables the cache; another
value is the directory to use (default ``~/.cache/dockyard.docker``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import binascii
import hashlib
import importlib.util
import marshal
import os
import stat
import sys
import zipimport

PREFIX = "ansible_collections.dockyard.docker.plugins.module_utils."
ENV = "DOCKYARD_BYTECODE_CACHE"
_OPEN_FLAGS = os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _unsafe_directory(info):
    """Whether an ``lstat``/``fstat`` result is anything but a directory of this user closed to others."""
    return not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077


def _open_private_dir(path):
    """A descriptor of ``path`` when it is a real directory of this user with mode 0700, else ``None``.

    Created ``0700`` when missing.  ``lstat`` first (a symlink is refused whoever owns it and wherever it
    points), then opened without following symlinks and checked again on the descriptor: the files are
    opened relative to that descriptor, so a path swapped after the check is never used.
    """
    if os.open not in os.supports_dir_fd or os.rename not in os.supports_dir_fd:
        return None
    try:
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            parent = os.path.dirname(path)
            if parent and not os.path.isdir(parent):
                os.makedirs(parent, 0o700)
            os.mkdir(path, 0o700)
            info = os.lstat(path)
        if _unsafe_directory(info):
            return None
        handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY | _OPEN_FLAGS)
    except OSError:
        return None
    opened = os.fstat(handle)
    if _unsafe_directory(opened) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
        os.close(handle)
        return None
    return handle


def _read_trusted(directory_fd, name):
    """The bytes of ``name`` in the cache when it is a regular file of this user nobody else can write, else
    ``None``; checked with ``fstat`` on the descriptor that is then read (never opened twice)."""
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NONBLOCK | _OPEN_FLAGS, dir_fd=directory_fd)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as cached:
        info = os.fstat(cached.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            return None
        try:
            return cached.read()
        except OSError:
            return None


def _write_atomic(directory_fd, name, data):
    """Write ``name`` in the cache as a whole or not at all: a new temporary file, then a rename."""
    tmp = "%s.%s.tmp" % (name, binascii.hexlify(os.urandom(8)).decode("ascii"))
    try:
        handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _OPEN_FLAGS, 0o600, dir_fd=directory_fd)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, name, src_dir_fd=directory_fd, dst_dir_fd=directory_fd)
    except OSError:
        try:
            os.unlink(tmp, dir_fd=directory_fd)
        except OSError:
            pass


class _CachingLoader(object):
    """Runs a module_utils file from the zip with its compiled code from the cache."""

    def __init__(self, fullname, source, directory_fd):
        self.fullname = fullname
        self.source = source
        self.directory_fd = directory_fd

    def create_module(self, spec):
        return None

    def get_source(self, fullname):
        return self.source

    def exec_module(self, module):
        exec(self._code(module.__spec__.origin or self.fullname), module.__dict__)  # pylint: disable=exec-used

    def _code(self, filename):
        digest = hashlib.sha256(importlib.util.MAGIC_NUMBER + self.source.encode("utf-8")).hexdigest()[:24]
        name = "%s.%s.pyc" % (self.fullname[len(PREFIX):], digest)
        data = _read_trusted(self.directory_fd, name)
        if data is not None:
            try:
                return marshal.loads(data)
            except (ValueError, EOFError, TypeError):
                pass
        code = compile(self.source, filename, "exec", dont_inherit=True)
        _write_atomic(self.directory_fd, name, marshal.dumps(code))
        return code


class _Finder(object):
    """Meta path finder for this collection's module_utils (not packages) when they come from a zip.

    It reads the file's text straight from the zip; the zip importer's own ``find_spec``
    would compile the file just to report its file name.
    """

    def __init__(self, directory, directory_fd):
        self.directory = directory
        self.directory_fd = directory_fd

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(PREFIX) or not path:
            return None
        for entry in path:
            importer = sys.path_importer_cache.get(entry)
            if importer is None and ".zip" in entry:
                try:
                    importer = zipimport.zipimporter(entry)
                except (zipimport.ZipImportError, OSError):
                    continue
                sys.path_importer_cache[entry] = importer
            if not isinstance(importer, zipimport.zipimporter):
                continue
            try:
                if importer.is_package(fullname):
                    return None
                source = importer.get_source(fullname)
            except zipimport.ZipImportError:
                continue
            if source is None:
                continue
            origin = os.path.join(importer.archive, importer.prefix, fullname.rpartition(".")[2] + ".py")
            spec = importlib.util.spec_from_loader(fullname, _CachingLoader(fullname, source, self.directory_fd),
                                                   origin=origin)
            spec.has_location = True
            return spec
        return None


def _from_zip():
    """Whether this collection's code is running from a module payload zip (where the cache helps)."""
    return isinstance(globals().get("__loader__"), zipimport.zipimporter)


def install():
    """Add the import hook (once); returns the cache directory, or ``None`` when the cache is off.

    Only for code imported from a zip: files on disk have ``__pycache__`` already.
    """
    setting = os.environ.get(ENV, "")
    if setting.lower() in ("off", "0", "false", "no") or not _from_zip():
        return None
    for finder in sys.meta_path:
        if isinstance(finder, _Finder):
            return finder.directory
    directory = setting or os.path.join(os.path.expanduser("~"), ".cache", "dockyard.docker")
    directory_fd = _open_private_dir(directory)
    if directory_fd is None:
        return None
    # Just before the path finder (which would find these files in the zip), not ahead of the built-ins.
    finders = [getattr(finder, "__name__", type(finder).__name__) for finder in sys.meta_path]
    position = finders.index("PathFinder") if "PathFinder" in finders else len(sys.meta_path)
    sys.meta_path.insert(position, _Finder(directory, directory_fd))
    return directory
