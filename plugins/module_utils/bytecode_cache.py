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

Safety: the directory is created ``0700`` and used only when it belongs to the user
running the module and nobody else can write to it; cache files are written atomically
and read only when they pass the same check.  Any problem falls back to the normal
import.  ``DOCKYARD_BYTECODE_CACHE=off`` on the target disables the cache; another
value is the directory to use (default ``~/.cache/dockyard.docker``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import importlib.util
import marshal
import os
import stat
import sys
import tempfile
import zipimport

PREFIX = "ansible_collections.dockyard.docker.plugins.module_utils."
ENV = "DOCKYARD_BYTECODE_CACHE"


def _private_dir(path):
    """``path`` when it is a directory of this user that nobody else can write to, else ``None``."""
    try:
        if not os.path.isdir(path):
            os.makedirs(path, 0o700)
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        return None
    return path


def _safe_file(path):
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


class _CachingLoader(object):
    """Runs a module_utils file from the zip with its compiled code from the cache."""

    def __init__(self, fullname, source, directory):
        self.fullname = fullname
        self.source = source
        self.directory = directory

    def create_module(self, spec):
        return None

    def get_source(self, fullname):
        return self.source

    def exec_module(self, module):
        exec(self._code(module.__spec__.origin or self.fullname), module.__dict__)  # pylint: disable=exec-used

    def _code(self, filename):
        digest = hashlib.sha256(importlib.util.MAGIC_NUMBER + self.source.encode("utf-8")).hexdigest()[:24]
        path = os.path.join(self.directory, "%s.%s.pyc" % (self.fullname[len(PREFIX):], digest))
        if _safe_file(path):
            try:
                with open(path, "rb") as handle:
                    return marshal.loads(handle.read())
            except (OSError, ValueError, EOFError, TypeError):
                pass
        code = compile(self.source, filename, "exec", dont_inherit=True)
        try:
            handle, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(code))
            os.replace(tmp, path)
        except OSError:
            pass
        return code


class _Finder(object):
    """Meta path finder for this collection's module_utils (not packages) when they come from a zip.

    It reads the file's text straight from the zip; the zip importer's own ``find_spec``
    would compile the file just to report its file name.
    """

    def __init__(self, directory):
        self.directory = directory

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
            spec = importlib.util.spec_from_loader(fullname, _CachingLoader(fullname, source, self.directory),
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
    directory = _private_dir(setting or os.path.join(os.path.expanduser("~"), ".cache", "dockyard.docker"))
    if directory is None:
        return None
    # Just before the path finder (which would find these files in the zip), not ahead of the built-ins.
    finders = [getattr(finder, "__name__", type(finder).__name__) for finder in sys.meta_path]
    position = finders.index("PathFinder") if "PathFinder" in finders else len(sys.meta_path)
    sys.meta_path.insert(position, _Finder(directory))
    return directory
