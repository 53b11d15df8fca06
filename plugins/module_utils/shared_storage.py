# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of the ``shared_storage`` role and of the shared volumes ``engine_info`` reports.

The role's variables are checked here (``problems``), and the systemd mount unit, the
``docker.service`` drop-in and the Docker volume options are rendered here, so all of it is
unit tested without a host, a GlusterFS cluster or an NFS server.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath
import re
import string

BACKENDS = ("glusterfs", "nfs")
# Labels of the Docker volumes the role makes; engine_info reads them back.
BACKEND_LABEL = "io.dockyard.shared_storage.backend"
MOUNT_LABEL = "io.dockyard.shared_storage.mount"
# Docker refuses other volume names (and names of one character).
DOCKER_VOLUME_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
# What the gluster CLI accepts as a volume name.
GLUSTER_VOLUME_NAME_RE = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
NFS_EXPORT_RE = re.compile(r"^(\[[0-9a-fA-F:]+\]|[^\s:/\[\]]+):(/\S*)$")
VOLUMES_SUBDIR = "volumes"

_ESCAPE_KEEP = set(string.ascii_letters + string.digits + ":_.")


def systemd_escape_path(path):
    """``systemd-escape --path PATH``: the unit name stem systemd derives from a mount point."""
    parts = [p for p in path.split("/") if p]
    if not parts:
        return "-"
    out = []
    for index, char in enumerate("/".join(parts)):
        if char == "/":
            out.append("-")
        elif char in _ESCAPE_KEEP and not (index == 0 and char == "."):
            out.append(char)
        else:
            out.extend("\\x%02x" % byte for byte in char.encode("utf-8"))
    return "".join(out)


def mount_unit_name(path):
    """Name of the systemd mount unit of mount point ``path`` (``/mnt/dockyard`` -> ``mnt-dockyard.mount``)."""
    return systemd_escape_path(path) + ".mount"


def _normal(path):
    return posixpath.normpath(path) if path else path


def _inside(child, parent):
    """Whether ``child`` is ``parent`` or below it (both absolute, normalised)."""
    return child == parent or child.startswith(parent.rstrip("/") + "/")


def problems(backend, servers, replica, arbiter, brick_dir, mount, nfs_export, volume, volumes):
    """Every problem of the role's variables, as messages that say what to change (empty: all good).

    ``servers`` are the hosts of group ``storage_servers``; ``replica`` is None for "one copy per server".
    """
    found = []
    if backend not in BACKENDS:
        found.append("shared_storage_backend is %r: use one of %s." % (backend, ", ".join(BACKENDS)))
    mount = _normal(mount or "")
    if not mount.startswith("/") or mount == "/":
        found.append("shared_storage_mount is %r: it must be an absolute path below / (default /mnt/dockyard)."
                     % mount)
    if backend == "glusterfs":
        found.extend(_glusterfs_problems(servers, replica, arbiter, brick_dir, mount, volume))
    elif backend == "nfs":
        if not NFS_EXPORT_RE.match(nfs_export or ""):
            found.append("shared_storage_nfs_export is %r: the nfs backend needs the export as server:/path "
                         "(for example nas.example.com:/export/docker)." % (nfs_export,))
    if not isinstance(volumes, (list, tuple)):
        found.append("shared_storage_volumes must be a list of volume names, got %r." % (volumes,))
        volumes = []
    for name in volumes:
        if not isinstance(name, str) or not DOCKER_VOLUME_NAME_RE.match(name):
            found.append("shared_storage_volumes has %r: Docker accepts volume names of two or more characters "
                         "from [a-zA-Z0-9_.-], starting with a letter or digit (no '/', no '..')." % (name,))
    duplicates = sorted(set(n for n in volumes if isinstance(n, str) and list(volumes).count(n) > 1))
    if duplicates:
        found.append("shared_storage_volumes lists %s more than once." % ", ".join(duplicates))
    return found


def _glusterfs_problems(servers, replica, arbiter, brick_dir, mount, volume):
    found = []
    count = len(servers)
    if count < 2:
        found.append(
            "group storage_servers has %d host(s) (%s): a replicated GlusterFS volume needs at least two servers "
            "(three to survive the loss of one without split-brain). Add hosts to storage_servers, or use "
            "shared_storage_backend: nfs with an existing export." % (count, ", ".join(servers) or "none"))
    if not GLUSTER_VOLUME_NAME_RE.match(volume or ""):
        found.append("shared_storage_volume is %r: GlusterFS volume names are 1-64 characters from "
                     "[a-zA-Z0-9_-]." % (volume,))
    copies = count if replica is None else replica
    if replica is not None and (not isinstance(replica, int) or isinstance(replica, bool)):
        found.append("shared_storage_replica is %r: give a whole number of copies (2 or more)." % (replica,))
    elif count >= 2:
        if copies < 2:
            found.append("shared_storage_replica is %d: keep at least 2 copies (a single copy is lost with its "
                         "server)." % copies)
        elif copies > count:
            found.append("shared_storage_replica is %d but storage_servers has only %d hosts: each copy needs its "
                         "own server." % (copies, count))
        elif count % copies:
            found.append("storage_servers has %d hosts, not a multiple of shared_storage_replica %d: GlusterFS "
                         "groups the bricks in sets of %d." % (count, copies, copies))
    if arbiter and copies != 3:
        found.append("shared_storage_arbiter needs shared_storage_replica 3 (two data copies and one arbiter "
                     "brick per set), got %s." % copies)
    brick = _normal(brick_dir or "")
    if not brick.startswith("/") or brick == "/":
        found.append("shared_storage_brick_dir is %r: it must be an absolute path below / on the servers "
                     "(default /srv/dockyard/brick)." % (brick_dir,))
    elif mount.startswith("/"):
        if _inside(mount, brick):
            found.append("shared_storage_mount %s is inside the brick %s: writing into a brick behind "
                         "GlusterFS's back corrupts the volume. Mount it elsewhere (default /mnt/dockyard)."
                         % (mount, brick))
        elif _inside(brick, mount):
            found.append("shared_storage_brick_dir %s is under the mount %s: the brick would store the volume "
                         "inside itself. Keep bricks outside the mount (default /srv/dockyard/brick)."
                         % (brick, mount))
    return found


def split_brain_warning(servers, replica):
    """What to tell the operator when the volume keeps only two copies (else an empty string)."""
    copies = len(servers) if replica is None else replica
    if copies != 2:
        return ""
    return ("shared_storage_replica is 2: with two copies GlusterFS cannot tell which one is right when the two "
            "servers lose sight of each other and both are written (split-brain); it then refuses access to the "
            "files concerned until an operator resolves them. Use three servers (replica 3), or replica 3 with "
            "shared_storage_arbiter: true (the third brick holds only metadata).")


def gluster_create_argv(volume, bricks, replica, arbiter, force):
    """``gluster volume create`` in script mode (no prompt), for the bricks ``host:/path``."""
    argv = ["gluster", "--mode=script", "volume", "create", volume, "replica", str(replica)]
    if arbiter:
        argv += ["arbiter", "1"]
    argv += list(bricks)
    if force:
        argv.append("force")
    return argv


def mount_source(backend, volume, server_addresses, nfs_export, own_address=None, nfs_options=()):
    """``(What, fstype, options)`` of the mount unit.

    GlusterFS: the host's own server first when it is one (its volume file is local), the others as
    backup volume file servers, so the mount comes up while any server answers.
    """
    if backend == "nfs":
        base = ["_netdev", "hard", "noatime"]
        return nfs_export, "nfs", base + [o for o in nfs_options if o not in base]
    order = list(server_addresses)
    if own_address in order:
        order.remove(own_address)
        order.insert(0, own_address)
    options = ["_netdev"]
    if len(order) > 1:
        options.append("backup-volfile-servers=" + ":".join(order[1:]))
    return "%s:/%s" % (order[0], volume), "glusterfs", options


def mount_unit(backend, volume, where, server_addresses=(), nfs_export=None, own_address=None,
               after_units=(), nfs_options=()):
    """Text of the systemd mount unit of the shared filesystem.

    ``docker.service`` is ordered after it and requires it (see ``docker_dropin``); ``after_units`` are
    local services the mount needs first (glusterd on a storage server).
    """
    what, fstype, options = mount_source(backend, volume, server_addresses, nfs_export, own_address, nfs_options)
    after = ["network-online.target"] + list(after_units)
    return "\n".join([
        "# Managed by dockyard.docker.shared_storage: the shared filesystem of the Docker volumes.",
        "[Unit]",
        "Description=Shared storage for Docker volumes (%s %s)" % (backend, what),
        "Wants=network-online.target",
        "After=%s" % " ".join(after),
        "Before=docker.service",
        "",
        "[Mount]",
        "What=%s" % what,
        "Where=%s" % _normal(where),
        "Type=%s" % fstype,
        "Options=%s" % ",".join(options),
        "TimeoutSec=120",
        "",
        "[Install]",
        "WantedBy=remote-fs.target multi-user.target",
        "",
    ])


def dropin_file_name(where):
    """File name of the drop-in under ``docker.service.d`` (one per mount point: several shares can coexist)."""
    return "dockyard-shared-storage-%s.conf" % systemd_escape_path(_normal(where))


def docker_dropin(where):
    """``docker.service`` drop-in: the engine starts only once the shared filesystem is mounted."""
    unit = mount_unit_name(_normal(where))
    return "\n".join([
        "# Managed by dockyard.docker.shared_storage: no container starts before its shared data is mounted.",
        "[Unit]",
        "Requires=%s" % unit,
        "After=%s" % unit,
        "",
    ])


def volume_directory(mount, name):
    """The directory of shared volume ``name`` on the shared filesystem."""
    return posixpath.join(_normal(mount), VOLUMES_SUBDIR, name)


def volume_driver_options(mount, name):
    """Options of the ``local`` driver that make volume ``name`` a bind of its shared directory."""
    return {"type": "none", "o": "bind", "device": volume_directory(mount, name)}


def volume_labels(backend, mount):
    return {BACKEND_LABEL: backend, MOUNT_LABEL: _normal(mount)}


def shared_volume_state(volume, is_mount):
    """``shared`` and ``mount_up`` of one volume (engine_info's volume list).

    ``volume`` is the engine's volume document; ``is_mount(path)`` tells whether a path is a mount point
    on the host. A volume is shared when the role's mount label is on it; its mount is up when that path
    is mounted. Other volumes: ``shared`` false and ``mount_up`` None.
    """
    mount = (volume.get("Labels") or {}).get(MOUNT_LABEL)
    if not mount:
        return {"shared": False, "mount_up": None}
    return {"shared": True, "mount_up": bool(is_mount(mount))}


def plan(settings):
    """Everything the role does on one host, from its variables (``settings``), as data.

    Keys of ``settings``: backend, servers (host names of storage_servers), server_addresses (their
    addresses, same order), replica (None: one copy per server), arbiter, brick_dir, mount, nfs_export,
    volume, volumes, own_address (this host's address), is_server, nfs_options.
    Returns problems (empty when the variables are good), warning, replica, bricks, create_argv (``gluster
    volume create`` without ``force``, which depends on the servers' filesystems), unit_name, unit,
    dropin, dropin_name, and volumes (name, directory, driver_options, labels per shared volume).
    """
    backend = settings.get("backend")
    servers = list(settings.get("servers") or [])
    replica = settings.get("replica")
    if replica in ("", None):
        replica = None
    elif isinstance(replica, str) and replica.isdigit():
        replica = int(replica)
    volumes = settings.get("volumes")
    volumes = [] if volumes is None else volumes
    mount = settings.get("mount") or ""
    found = problems(backend, servers, replica, bool(settings.get("arbiter")), settings.get("brick_dir"), mount,
                     settings.get("nfs_export"), settings.get("volume"), volumes)
    result = dict(problems=found, warning="", replica=None, bricks=[], create_argv=[], unit_name="", unit="",
                  dropin="", dropin_name="", volumes=[])
    if found:
        return result
    addresses = list(settings.get("server_addresses") or [])
    brick = _normal(settings.get("brick_dir") or "")
    after = ["glusterd.service"] if backend == "glusterfs" and settings.get("is_server") else []
    if backend == "glusterfs":
        copies = len(servers) if replica is None else replica
        bricks = ["%s:%s" % (a, brick) for a in addresses]
        result.update(warning=split_brain_warning(servers, replica), replica=copies, bricks=bricks,
                      create_argv=gluster_create_argv(settings.get("volume"), bricks, copies,
                                                      bool(settings.get("arbiter")), False))
    result.update(
        unit_name=mount_unit_name(_normal(mount)),
        unit=mount_unit(backend, settings.get("volume"), mount, addresses, settings.get("nfs_export"),
                        settings.get("own_address"), after, settings.get("nfs_options") or ()),
        dropin=docker_dropin(mount),
        dropin_name=dropin_file_name(mount),
        volumes=[dict(name=n, directory=volume_directory(mount, n), driver_options=volume_driver_options(mount, n),
                      labels=volume_labels(backend, mount)) for n in volumes],
    )
    return result
