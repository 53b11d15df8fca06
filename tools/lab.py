#!/usr/bin/env python3
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The local lab: real hosts (systemd + their own dockerd) as containers on this machine.

Sub-commands (``python3 tools/lab.py --help``):

* ``engine``   ensure a Docker engine answers here: install docker.io with apt when
               missing, start dockerd when none answers, never a second one;
* ``images``   build the lab images from Debian packages, cached by recipe hash;
* ``up``       start nodes of a named lab on its own network and print/write an inventory
               (``--registry``: one more node, ``<lab>-registry``, from the ``registry`` image, in group
               ``registry``; ``--registry-load`` images go into its engine only, for playbooks/lab_registry.yml
               to push);
* ``load``     copy images from this engine into the nodes' engines (docker save | docker load);
* ``archive``  write an image to a ``docker save`` archive under .lab/images (cached by image ID);
* ``reboot``   reboot one node the way a host reboots: ``docker stop`` sends systemd its shutdown signal
               (SIGRTMIN+3), systemd stops every unit (docker.service stops its containers), the node
               starts again with its volumes and address, and the command returns once systemd runs
               and SSH answers;
* ``kill``     stop one node hard (its container killed: no shutdown at all, as a power cut);
* ``start``    start a stopped node again and wait until systemd runs and SSH answers;
* ``down``     remove exactly what ``up`` created for that lab (containers, volumes, network);
* ``summary``  print what runs where.

Everything the lab creates carries the label ``io.dockyard.lab=<lab name>``; ``down`` removes
by that label only, so nothing else on the engine is touched.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATE = os.path.join(ROOT, ".lab")
LABEL = "io.dockyard.lab"
IMAGE_PREFIX = "dockyard-lab"
SUITE = "bookworm"
# Seconds systemd gets to shut a node down on `reboot` (docker.service stops its containers first).
SHUTDOWN_TIMEOUT = 90
# Where a node started with `--fuse` has its node-local volume (GlusterFS bricks must not sit on the
# container's overlay root).
NODE_DATA_DIR = "/srv"
DEFAULT_MIRROR = "http://deb.debian.org/debian"

# Capabilities that work here (the machine's bounding set lacks SYS_RESOURCE, PERFMON, BPF,
# CHECKPOINT_RESTORE, so --privileged is refused); see shared/LAB.md.
NODE_CAPS = (
    "CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE "
    "NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT "
    "SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE "
    "AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ"
).split()

# Units that have nothing to do inside a container node and would only make the
# system "degraded".
MASKED_UNITS = (
    "systemd-udevd.service systemd-udevd-control.socket systemd-udevd-kernel.socket "
    "systemd-remount-fs.service getty.target console-getty.service sys-kernel-config.mount "
    "sys-kernel-debug.mount sys-kernel-tracing.mount dev-hugepages.mount dev-mqueue.mount "
    "systemd-firstboot.service systemd-modules-load.service sys-fs-fuse-connections.mount"
).split()

APP_SERVER = r'''#!/usr/bin/python3
"""Lab test application: a tiny HTTP server that answers with its hostname.

app-server [--port N] [--exit N] [--ignore-term]
  --exit N       exit with code N at once (a crashing service)
  --ignore-term  ignore SIGTERM (so `docker stop` must wait for its timeout)
"""
import argparse, os, signal, socket, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, default=int(os.environ.get("APP_PORT", "8000")))
p.add_argument("--exit", type=int, default=None)
p.add_argument("--ignore-term", action="store_true")
a = p.parse_args()
if a.exit is not None:
    print("app-server: exiting with %d as asked" % a.exit, flush=True)
    sys.exit(a.exit)
if a.ignore_term:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
else:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


class H(BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("%s %s\n" % (socket.gethostname(), os.environ.get("APP_MESSAGE", "hello"))).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


print("app-server: listening on %d" % a.port, flush=True)
ThreadingHTTPServer(("", a.port), H).serve_forever()
'''

# name -> (parent image name or None for the debootstrap base, Dockerfile body, extra files)
RECIPES = {
    "base": None,
    "node": (
        "base",
        """ENV container=docker DEBIAN_FRONTEND=noninteractive
RUN apt-get update -q && apt-get install -y -q --no-install-recommends \\
      systemd systemd-sysv dbus python3 python3-apt iproute2 iputils-ping ca-certificates \\
      openssh-server sudo procps curl gnupg kmod less \\
 && systemctl mask {masked} \\
 && systemctl enable ssh \\
 && mkdir -p /root/.ssh && chmod 700 /root/.ssh \\
 && sed -i 's/^#\\?UseDNS.*/UseDNS no/' /etc/ssh/sshd_config \\
 && rm -f /etc/machine-id && touch /etc/machine-id
STOPSIGNAL SIGRTMIN+3
CMD ["/lib/systemd/systemd"]
""".format(masked=" ".join(MASKED_UNITS)),
        {},
    ),
    "node-engine": (
        "node",
        """RUN apt-get update -q && apt-get install -y -q --no-install-recommends \\
      docker.io python3-docker iptables \\
 && systemctl enable docker.service
""",
        {},
    ),
    # A node-engine with GlusterFS baked in (the shared_storage role installs the same packages on bare hosts;
    # here apt finds them present). glusterd is left disabled: the role enables and starts it.
    "node-storage": (
        "node-engine",
        """RUN apt-get update -q && apt-get install -y -q --no-install-recommends \\
      glusterfs-server glusterfs-client attr \\
 && systemctl disable glusterd.service
""",
        {},
    ),
    # A node-engine that can also be a private registry: Debian's Distribution registry (v2.8), htpasswd and
    # openssl. The registry service is disabled: a scenario configures TLS and auth, then starts it.
    "registry": (
        "node-engine",
        """RUN apt-get update -q && apt-get install -y -q --no-install-recommends \\
      docker-registry apache2-utils openssl \\
 && systemctl disable docker-registry.service
""",
        {},
    ),
    "app": (
        "base",
        """RUN apt-get update -q && apt-get install -y -q --no-install-recommends python3 \\
 && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY app-server /usr/local/bin/app-server
RUN chmod 0755 /usr/local/bin/app-server
EXPOSE 8000
CMD ["/usr/local/bin/app-server"]
""",
        {"app-server": APP_SERVER},
    ),
    "redis": (
        "base",
        """RUN apt-get update -q && apt-get install -y -q --no-install-recommends redis-server procps \\
 && apt-get clean && rm -rf /var/lib/apt/lists/*
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no", "--bind", "0.0.0.0"]
""",
        {},
    ),
    "nginx": (
        "base",
        """RUN apt-get update -q && apt-get install -y -q --no-install-recommends nginx-light procps \\
 && apt-get clean && rm -rf /var/lib/apt/lists/* \\
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
""",
        {},
    ),
}


class LabError(Exception):
    """A problem the operator can fix; printed without a traceback."""


def say(msg):
    print("[lab] %s" % msg, flush=True)


# --------------------------------------------------------------------------- pure helpers


def find_debian_mirror(sources_texts, suite=SUITE):
    """Return the Debian mirror URI that apt already uses for ``suite``.

    ``sources_texts`` are the contents of sources.list / *.sources files, in order.
    Both one-line (``deb URI SUITE ...``) and deb822 (``URIs:``/``Suites:``) forms
    are understood; security and third-party repositories are skipped.
    """
    for text in sources_texts:
        # one-line format
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[0] == "deb":
                idx = 1
                if parts[1].startswith("["):
                    while idx < len(parts) and not parts[idx].endswith("]"):
                        idx += 1
                    idx += 1
                if idx + 1 < len(parts) and parts[idx + 1] == suite and "/debian" in parts[idx] \
                        and "security" not in parts[idx]:
                    return parts[idx].rstrip("/")
        # deb822 format: stanzas separated by blank lines
        for stanza in text.split("\n\n"):
            fields = {}
            for line in stanza.splitlines():
                if ":" in line and not line.startswith("#") and not line.startswith(" "):
                    key, value = line.split(":", 1)
                    fields[key.strip().lower()] = value.strip()
            suites = fields.get("suites", "").split()
            uris = fields.get("uris", "").split()
            if suite in suites and "deb" in fields.get("types", "deb").split():
                for uri in uris:
                    if "/debian" in uri and "security" not in uri:
                        return uri.rstrip("/")
    return None


def recipe_hash(name, recipes=None, mirror=DEFAULT_MIRROR):
    """Content hash of an image recipe, including its parents' recipes (cache key)."""
    recipes = RECIPES if recipes is None else recipes
    h = hashlib.sha256()
    recipe = recipes[name]
    if recipe is None:
        h.update(("debootstrap minbase %s %s" % (SUITE, mirror)).encode())
    else:
        parent, body, files = recipe
        h.update(recipe_hash(parent, recipes, mirror).encode())
        h.update(body.encode())
        for fname in sorted(files):
            h.update(fname.encode())
            h.update(files[fname].encode())
    return h.hexdigest()[:12]


def image_ref(name, recipes=None, mirror=DEFAULT_MIRROR):
    return "%s/%s:%s" % (IMAGE_PREFIX, name, recipe_hash(name, recipes, mirror))


def build_order(names, recipes=None):
    """Images to build, parents first, each once."""
    recipes = RECIPES if recipes is None else recipes
    order = []

    def visit(n):
        if n not in recipes:
            raise LabError("unknown lab image %r (known: %s)" % (n, ", ".join(sorted(recipes))))
        recipe = recipes[n]
        if recipe is not None:
            visit(recipe[0])
        if n not in order:
            order.append(n)

    for n in names:
        visit(n)
    return order


def container_name(lab, host):
    return "dlab-%s-%s" % (lab, host)


def network_name(lab):
    return "dlab-%s" % lab


def volume_name(lab, host):
    return "dlab-%s-%s-docker" % (lab, host)


def data_volume_name(lab, host):
    return "dlab-%s-%s-data" % (lab, host)


def next_free_address(subnet, used):
    """The first address of ``subnet`` after the gateway (the first host address) that is not in ``used``."""
    net = ipaddress.ip_network(subnet, strict=False)
    taken = set(used)
    for index, address in enumerate(net.hosts()):
        if index == 0:
            continue  # the bridge's gateway
        if str(address) not in taken:
            return str(address)
    raise LabError("network %s has no free address left" % subnet)


def node_run_args(lab, host, image, network, address=None, fuse=False):
    """The ``docker run`` arguments for one node (no --privileged; see LAB.md).

    ``address``: a fixed address on the lab network, so a node keeps it across a reboot (Docker gives a
    restarted container whatever address is free next, and peers, swarm and inventory know nodes by address).
    ``fuse``: ``/dev/fuse`` for FUSE mounts (GlusterFS clients) and a node-local volume at NODE_DATA_DIR.
    """
    args = [
        "run", "-d",
        "--name", container_name(lab, host),
        "--hostname", host,
        "--network", network,
        "--network-alias", host,
        "--label", "%s=%s" % (LABEL, lab),
        "--label", "io.dockyard.lab.host=%s" % host,
        "--cap-drop", "ALL",
    ]
    if address:
        args += ["--ip", address, "--label", "io.dockyard.lab.ip=%s" % address]
    for cap in NODE_CAPS:
        args += ["--cap-add", cap]
    args += [
        "--security-opt", "seccomp=unconfined",
        "--security-opt", "apparmor=unconfined",
        "--device-cgroup-rule", "a *:* rwm",
        "--cgroupns=host",
        "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw",
        "--tmpfs", "/run", "--tmpfs", "/run/lock", "--tmpfs", "/tmp:exec",
        "-v", "%s:/var/lib/docker" % volume_name(lab, host),
        "--stop-timeout", "20",
    ]
    if fuse:
        args += ["--device", "/dev/fuse", "-v", "%s:%s" % (data_volume_name(lab, host), NODE_DATA_DIR)]
    args.append(image)
    return args


def registry_host(lab):
    """Host name of a lab's registry node."""
    return "%s-registry" % lab


def render_inventory(lab, nodes, key_file, groups=None, lab_vars=None):
    """Ansible YAML inventory (as a dict) for the lab's nodes.

    ``nodes`` is a list of (host, address); ``groups`` maps group name -> hosts; ``lab_vars`` are added to
    the lab's ``all`` vars (next to ``lab_name``).
    """
    hosts = {}
    for host, address in nodes:
        hosts[host] = {
            "ansible_host": address,
            "ansible_user": "root",
            "ansible_ssh_private_key_file": key_file,
            "ansible_python_interpreter": "/usr/bin/python3",
            "lab_container": container_name(lab, host),
            "swarm_advertise_addr": address,
        }
    children = {}
    for group, members in (groups or {}).items():
        children[group] = {"hosts": {m: {} for m in members}}
    inv = {"all": {"hosts": hosts, "vars": dict({"lab_name": lab}, **(lab_vars or {}))}}
    if children:
        inv["all"]["children"] = children
    return inv


def default_groups(hosts, registry=None, storage=False):
    """Swarm roles for a lab of N nodes: 3 managers from 5 nodes up, else 1.

    ``storage``: every node is also in ``storage_servers`` (nodes started with ``--fuse`` have a brick volume).

    A ``registry`` node is alone in ``registry``: lab infrastructure, outside the swarm and ``docker_hosts``
    (playbooks/lab_registry.yml sets it up; ``make lab`` runs site.yml on ``docker_hosts``).
    """
    managers = hosts[:3] if len(hosts) >= 5 else hosts[:1]
    workers = [h for h in hosts if h not in managers]
    groups = {"swarm_managers": managers, "swarm_workers": workers, "docker_hosts": list(hosts)}
    if registry:
        groups["registry"] = [registry]
    if storage:
        groups["storage_servers"] = list(hosts)
    return groups


def to_yaml(data, indent=0):
    """Minimal YAML writer for inventories (dicts of dicts/strings/lists), no PyYAML needed."""
    pad = "  " * indent
    lines = []
    if isinstance(data, dict):
        if not data:
            return pad + "{}\n"
        for key, value in data.items():
            if isinstance(value, dict) and value:
                lines.append("%s%s:\n%s" % (pad, key, to_yaml(value, indent + 1)))
            elif isinstance(value, dict):
                lines.append("%s%s: {}\n" % (pad, key))
            elif isinstance(value, list):
                lines.append("%s%s:\n" % (pad, key))
                for item in value:
                    lines.append("%s  - %s\n" % (pad, json.dumps(item)))
            else:
                lines.append("%s%s: %s\n" % (pad, key, json.dumps(value)))
    return "".join(lines)


# --------------------------------------------------------------------------- engine


def docker_bin():
    # Prefer the engine's own client (same version as the daemon apt installed).
    for cand in ("/usr/bin/docker", shutil.which("docker")):
        if cand and os.path.exists(cand):
            return cand
    return None


def run(args, check=True, capture=True, input_bytes=None, env=None, timeout=None):
    try:
        proc = subprocess.run(
            args, input=input_bytes, capture_output=capture, check=False, env=env, timeout=timeout
        )
    except FileNotFoundError as exc:
        raise LabError("command not found: %s" % args[0]) from exc
    if check and proc.returncode != 0:
        err = (proc.stderr or b"").decode(errors="replace").strip()
        out = (proc.stdout or b"").decode(errors="replace").strip()
        raise LabError("`%s` failed (exit %d): %s" % (" ".join(args[:6]), proc.returncode, err or out))
    return proc


def docker(*args, **kw):
    binary = docker_bin()
    if binary is None:
        raise LabError("no docker client found; run `python3 tools/lab.py engine` first")
    env = dict(os.environ, DOCKER_BUILDKIT="0")
    return run([binary] + list(args), env=env, **kw)


def engine_answers():
    binary = docker_bin()
    if binary is None:
        return False
    proc = subprocess.run([binary, "info", "--format", "{{.ServerVersion}}"], capture_output=True, check=False)
    return proc.returncode == 0 and proc.stdout.strip() != b""


def apt_install(packages):
    if os.geteuid() != 0:
        raise LabError(
            "need %s but they are not installed and this is not root: run as root, or install them "
            "(apt-get install %s) and give this user access to the Docker engine" % (", ".join(packages),
                                                                                     " ".join(packages))
        )
    say("installing %s with apt (first run on this machine)" % " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-q"], env=env)
    run(["apt-get", "install", "-y", "-q", "--no-install-recommends"] + packages, env=env)


def ensure_engine():
    """A Docker engine answering on the default socket; start one only if none runs."""
    missing = [p for p, binary in (("docker.io", "dockerd"), ("iptables", "iptables"),
                                   ("debootstrap", "debootstrap"), ("openssh-client", "ssh"))
               if shutil.which(binary) is None and not os.path.exists("/usr/sbin/" + binary)]
    if engine_answers():
        say("using the Docker engine that already answers here (%s)" % server_version())
        if "debootstrap" in missing or "openssh-client" in missing:
            apt_install([p for p in missing if p in ("debootstrap", "openssh-client")])
        return
    if missing:
        apt_install(missing)
    if os.geteuid() != 0:
        sock = "/var/run/docker.sock"
        if os.path.exists(sock) and not os.access(sock, os.R_OK | os.W_OK):
            raise LabError("a Docker engine runs here but this user may not use it (permission denied on %s): "
                           "run as root, or add this user to the docker group" % sock)
        raise LabError("no Docker engine answers and only root can start one here: run as root, or start "
                       "dockerd and add this user to the docker group")
    pidfile = "/var/run/docker.pid"
    if os.path.exists(pidfile):
        try:
            pid = int(open(pidfile).read().strip())
            os.kill(pid, 0)
            say("dockerd (pid %d) is starting; waiting for it" % pid)
            return wait_engine()
        except (ValueError, ProcessLookupError, PermissionError):
            pass
    if os.path.isdir("/run/systemd/system"):
        say("starting docker.service with systemd")
        run(["systemctl", "start", "docker"], check=False)
    else:
        say("starting dockerd (no systemd here), log in /var/log/dockerd.log")
        with open("/var/log/dockerd.log", "ab") as log:
            subprocess.Popen(["dockerd"], stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                             start_new_session=True)
    wait_engine()


def wait_engine(timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if engine_answers():
            say("Docker engine %s answers" % server_version())
            return
        time.sleep(1)
    tail = ""
    if os.path.exists("/var/log/dockerd.log"):
        tail = "".join(open("/var/log/dockerd.log", errors="replace").readlines()[-15:])
    raise LabError("dockerd did not answer within %ds. Last log lines:\n%s" % (timeout, tail))


def server_version():
    return docker("version", "--format", "{{.Server.Version}}").stdout.decode().strip()


# --------------------------------------------------------------------------- images


def host_mirror():
    texts = []
    for path in ["/etc/apt/sources.list"] + sorted(
        os.path.join("/etc/apt/sources.list.d", f)
        for f in (os.listdir("/etc/apt/sources.list.d") if os.path.isdir("/etc/apt/sources.list.d") else [])
    ):
        if os.path.isfile(path):
            texts.append(open(path, errors="replace").read())
    return find_debian_mirror(texts) or DEFAULT_MIRROR


def image_exists(ref):
    return docker("image", "inspect", ref, check=False).returncode == 0


def build_images(names):
    mirror = host_mirror()
    for name in build_order(names):
        ref = image_ref(name, mirror=mirror)
        latest = "%s/%s:latest" % (IMAGE_PREFIX, name)
        if image_exists(ref):
            say("image %s is cached (recipe unchanged), reusing it" % ref)
        else:
            started = time.time()
            if RECIPES[name] is None:
                build_base(ref, mirror)
            else:
                parent, body, files = RECIPES[name]
                say("building image %s from Debian packages" % ref)
                with tempfile.TemporaryDirectory() as ctx:
                    with open(os.path.join(ctx, "Dockerfile"), "w") as fh:
                        fh.write("FROM %s\n%s" % (image_ref(parent, mirror=mirror), body))
                    for fname, content in files.items():
                        with open(os.path.join(ctx, fname), "w") as fh:
                            fh.write(content)
                    proc = docker("build", "-q", "--label", "%s.recipe=%s" % (LABEL, name), "-t", ref, ctx,
                                  check=False)
                    if proc.returncode != 0:
                        raise LabError("building %s failed:\n%s" % (ref, proc.stderr.decode(errors="replace")[-3000:]))
            say("built %s in %.0fs" % (ref, time.time() - started))
        docker("tag", ref, latest)


def build_base(ref, mirror):
    if shutil.which("debootstrap") is None:
        apt_install(["debootstrap"])
    say("debootstrap %s (minbase) from %s into a temporary root, ~30s" % (SUITE, mirror))
    tmp = tempfile.mkdtemp(prefix="dlab-rootfs-", dir=os.environ.get("TMPDIR", "/var/tmp"))
    try:
        proc = run(["debootstrap", "--variant=minbase", SUITE, tmp, mirror], check=False)
        if proc.returncode != 0:
            log = os.path.join(tmp, "debootstrap", "debootstrap.log")
            detail = open(log, errors="replace").read()[-2000:] if os.path.exists(log) else ""
            raise LabError("debootstrap of %s from %s failed (exit %d): %s\n%s" % (
                SUITE, mirror, proc.returncode, proc.stderr.decode(errors="replace")[-2000:], detail))
        tar = subprocess.Popen(["tar", "-C", tmp, "-c", "."], stdout=subprocess.PIPE)
        imp = subprocess.run([docker_bin(), "import", "-c", 'CMD ["/bin/bash"]', "-", ref],
                             stdin=tar.stdout, capture_output=True, check=False)
        tar.stdout.close()
        tar.wait()
        if imp.returncode != 0:
            raise LabError("docker import failed: %s" % imp.stderr.decode(errors="replace"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------- nodes


def ssh_key():
    keydir = os.path.join(STATE, "ssh")
    key = os.path.join(keydir, "id_ed25519")
    if not os.path.exists(key):
        os.makedirs(keydir, mode=0o700, exist_ok=True)
        if shutil.which("ssh-keygen") is None:
            apt_install(["openssh-client"])
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dockyard-lab", "-f", key])
        say("generated the lab's SSH key %s" % key)
    return key


def node_address(lab, host):
    fmt = '{{ (index .NetworkSettings.Networks "%s").IPAddress }}' % network_name(lab)
    return docker("inspect", "-f", fmt, container_name(lab, host)).stdout.decode().strip()


STATIC_LABEL = "io.dockyard.lab.static"


def ensure_network(lab):
    """The lab's bridge network, with a subnet of its own so nodes can keep fixed addresses.

    Docker picks a free subnet for a first network; it is then created again with that subnet given
    explicitly (only a user-configured subnet allows fixed container addresses).
    """
    net = network_name(lab)
    if docker("network", "inspect", net, check=False).returncode == 0:
        return net
    for _attempt in range(3):
        docker("network", "create", "--driver", "bridge", net)
        subnet = docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", net).stdout.decode().strip()
        docker("network", "rm", net)
        proc = docker("network", "create", "--driver", "bridge", "--subnet", subnet,
                      "--label", "%s=%s" % (LABEL, lab), "--label", "%s=1" % STATIC_LABEL, net, check=False)
        if proc.returncode == 0:
            return net
    raise LabError("could not create network %s with a subnet of its own: %s" % (net, proc.stderr.decode()))


def network_static_subnet(lab):
    """The lab network's subnet when nodes get fixed addresses on it, else None (a network of an older lab)."""
    fmt = '{{index .Labels "%s"}} {{(index .IPAM.Config 0).Subnet}}' % STATIC_LABEL
    proc = docker("network", "inspect", "-f", fmt, network_name(lab), check=False)
    words = proc.stdout.decode().split()
    return words[1] if proc.returncode == 0 and len(words) == 2 and words[0] == "1" else None


def addresses_in_use(lab):
    """Addresses of the lab network's attached containers and those recorded on the lab's stopped nodes."""
    used = set()
    fmt = "{{range .Containers}}{{.IPv4Address}} {{end}}"
    for cidr in docker("network", "inspect", "-f", fmt, network_name(lab)).stdout.decode().split():
        used.add(cidr.split("/")[0])
    recorded = docker("ps", "-a", "--filter", "label=%s=%s" % (LABEL, lab), "--format",
                      '{{.Label "io.dockyard.lab.ip"}}').stdout.decode().split()
    used.update(a for a in recorded if a)
    return used


def start_node(lab, host, image, key, fuse=False):
    name = container_name(lab, host)
    state = docker("inspect", "-f", "{{.State.Running}}", name, check=False)
    if state.returncode == 0:
        if state.stdout.strip() != b"true":
            docker("start", name)
        return
    ref = "%s/%s:latest" % (IMAGE_PREFIX, image)
    if not image_exists(ref):
        build_images([image])
    docker("volume", "create", "--label", "%s=%s" % (LABEL, lab), volume_name(lab, host))
    if fuse:
        docker("volume", "create", "--label", "%s=%s" % (LABEL, lab), data_volume_name(lab, host))
    subnet = network_static_subnet(lab)
    address = next_free_address(subnet, addresses_in_use(lab)) if subnet else None
    # create, copy the lab's public key in, then start: the key is per lab, never baked into images
    args = ["create"] + node_run_args(lab, host, ref, network_name(lab), address=address, fuse=fuse)[2:]
    docker(*args)
    docker("cp", key + ".pub", "%s:/root/.ssh/authorized_keys" % name)
    docker("start", name)


def wait_node(lab, host, key, timeout=120):
    """Until systemd is up (running or degraded) and SSH answers as root."""
    name = container_name(lab, host)
    deadline = time.time() + timeout
    state = ""
    while time.time() < deadline:
        proc = docker("exec", name, "systemctl", "is-system-running", check=False)
        state = proc.stdout.decode().strip()
        if state in ("running", "degraded"):
            break
        time.sleep(1)
    else:
        raise LabError("node %s: systemd did not finish booting within %ds (state %r)" % (host, timeout, state))
    if state == "degraded":
        failed = docker("exec", name, "systemctl", "--failed", "--no-legend", check=False).stdout.decode()
        say("node %s is degraded; failed units:\n%s" % (host, failed))
    docker("exec", name, "chown", "root:root", "/root/.ssh/authorized_keys")
    docker("exec", name, "chmod", "0600", "/root/.ssh/authorized_keys")
    address = node_address(lab, host)
    while time.time() < deadline:
        proc = run(["ssh", "-i", key, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                    "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=3",
                    "root@%s" % address, "true"], check=False)
        if proc.returncode == 0:
            return address
        time.sleep(1)
    raise LabError("node %s (%s): SSH as root did not answer within %ds" % (host, address, timeout))


def up(lab, hosts, image, groups=None, load=(), registry=False, registry_load=(), fuse=False):
    """Start (or confirm) the lab's nodes, load images into their engines, write the inventory.

    ``fuse``: the nodes (not the registry node) get ``/dev/fuse`` and a node-local volume at NODE_DATA_DIR.
    ``load`` images go into every node from ``image``; with ``registry``, one more node ``<lab>-registry`` runs
    the ``registry`` image and ``registry_load`` images go into its engine only (the nodes pull them from it).
    """
    ensure_engine()
    reg = registry_host(lab) if registry else None
    images = {h: image for h in hosts}
    if reg:
        images[reg] = "registry"
    build_images(sorted(set(images.values())))
    key = ssh_key()
    ensure_network(lab)
    say("starting %d node(s) of lab %r: %s" % (
        len(images), lab, ", ".join("%s (%s)" % (h, images[h]) for h in images)))
    started = time.time()
    for host in images:
        start_node(lab, host, images[host], key, fuse=fuse and host in hosts)
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(images) or 1) as pool:
        addresses = list(pool.map(lambda h: wait_node(lab, h, key), list(images)))
    say("nodes up in %.0fs" % (time.time() - started))
    nodes = list(zip(images, addresses))
    if load:
        load_images(lab, hosts, load)
    if reg and registry_load:
        load_images(lab, [reg], registry_load)
    lab_vars = {"lab_state_dir": os.path.join(STATE, lab)}
    if reg:
        lab_vars["lab_registry_images"] = list(registry_load)
    inv = render_inventory(lab, nodes, key, groups if groups is not None else default_groups(hosts, reg, fuse), lab_vars)
    path = os.path.join(STATE, lab, "inventory.yml")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write("# Written by tools/lab.py for lab %r; do not edit.\n" % lab)
        fh.write(to_yaml(inv))
    say("inventory written to %s" % os.path.relpath(path, ROOT))
    return [
        {"instance": h, "address": a, "user": "root", "port": 22, "identity_file": key}
        for h, a in nodes
    ]


def image_id(ref, node=None):
    args = ["image", "inspect", "-f", "{{.Id}}", ref]
    proc = docker("exec", node, "docker", *args, check=False) if node else docker(*args, check=False)
    return proc.stdout.decode().strip() if proc.returncode == 0 else None


def load_images(lab, hosts, refs):
    """docker save | docker load into each node's engine, skipping nodes that have the same image ID."""
    for ref in refs:
        short = ref.split("/", 1)[-1].split(":")[0]
        if ref.startswith(IMAGE_PREFIX + "/") and not image_exists(ref):
            build_images([short])
        want = image_id(ref)
        if want is None:
            raise LabError("image %s is not on this engine" % ref)
        todo = [h for h in hosts if image_id(ref, container_name(lab, h)) != want]
        if not todo:
            say("%s already present on every node" % ref)
            continue
        say("distributing %s to %s (docker save | docker load)" % (ref, ", ".join(todo)))
        archive = archive_image(ref)

        def one(host):
            with open(archive, "rb") as fh:
                proc = subprocess.run([docker_bin(), "exec", "-i", container_name(lab, host), "docker", "load", "-q"],
                                      stdin=fh, capture_output=True, check=False)
            if proc.returncode != 0:
                raise LabError("loading %s into %s failed: %s" % (ref, host, proc.stderr.decode(errors="replace")))

        with concurrent.futures.ThreadPoolExecutor(max_workers=len(todo)) as pool:
            list(pool.map(one, todo))


def archive_image(ref):
    """A ``docker save`` archive of ``ref`` under .lab/images, named by image ID (cached)."""
    iid = image_id(ref)
    if iid is None:
        raise LabError("image %s is not on this engine" % ref)
    outdir = os.path.join(STATE, "images")
    os.makedirs(outdir, exist_ok=True)
    name = ref.replace("/", "_").replace(":", "_")
    path = os.path.join(outdir, "%s-%s.tar" % (name, iid.split(":")[-1][:12]))
    if not os.path.exists(path):
        tmp = "%s.%d.part" % (path, os.getpid())  # hosts of one play ask at once: one temp file each
        with open(tmp, "wb") as fh:
            proc = subprocess.run([docker_bin(), "save", ref], stdout=fh, stderr=subprocess.PIPE, check=False)
        if proc.returncode != 0:
            raise LabError("docker save %s failed: %s" % (ref, proc.stderr.decode(errors="replace")))
        os.replace(tmp, path)
    return path


def node_state(lab, host):
    proc = docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", container_name(lab, host), check=False)
    if proc.returncode != 0:
        raise LabError("lab %r has no node %r (no container %s)" % (lab, host, container_name(lab, host)))
    status, code = proc.stdout.decode().split()
    return status, int(code)


def start(lab, host, timeout=180):
    """Start a stopped node and wait until systemd runs and SSH answers; return its address."""
    status, _code = node_state(lab, host)
    if status != "running":
        docker("start", container_name(lab, host))
    return wait_node(lab, host, ssh_key(), timeout=timeout)


def kill(lab, host):
    """A power cut: the node's container is killed, nothing shuts down."""
    docker("kill", container_name(lab, host))
    say("node %s killed" % host)


def reboot(lab, host, timeout=180):
    """Reboot a node as a host reboots: systemd shuts every unit down, then the node boots again.

    ``docker stop`` sends the node's stop signal, SIGRTMIN+3, on which systemd runs the shutdown
    (docker.service stops its containers the way it does on a host) and exits. A node that is still up
    after SHUTDOWN_TIMEOUT seconds was killed, not shut down: that is an error, not a reboot.
    """
    status, _code = node_state(lab, host)
    if status != "running":
        raise LabError("node %s is %s, not running: start it first (tools/lab.py start)" % (host, status))
    name = container_name(lab, host)
    began = time.time()
    docker("stop", "-t", str(SHUTDOWN_TIMEOUT), name, timeout=SHUTDOWN_TIMEOUT + 60)
    took = time.time() - began
    if took >= SHUTDOWN_TIMEOUT:
        raise LabError("node %s: systemd did not finish shutting down within %ds and the node was killed"
                       % (host, SHUTDOWN_TIMEOUT))
    say("node %s shut down in %.1fs; booting it again" % (host, took))
    docker("start", name)
    address = wait_node(lab, host, ssh_key(), timeout=timeout)
    say("node %s rebooted in %.1fs (address %s)" % (host, time.time() - began, address))
    return address


def down(lab):
    if not engine_answers():
        say("no Docker engine answers; nothing to remove")
        return
    flt = "label=%s=%s" % (LABEL, lab)
    ids = docker("ps", "-aq", "--filter", flt).stdout.decode().split()
    if ids:
        docker("rm", "-f", *ids)
    vols = docker("volume", "ls", "-q", "--filter", flt).stdout.decode().split()
    if vols:
        docker("volume", "rm", "-f", *vols)
    nets = docker("network", "ls", "-q", "--filter", flt).stdout.decode().split()
    if nets:
        docker("network", "rm", *nets)
    inv = os.path.join(STATE, lab)
    shutil.rmtree(inv, ignore_errors=True)
    say("lab %r removed (%d container(s), %d volume(s), %d network(s))" % (lab, len(ids), len(vols), len(nets)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("engine", help="ensure a Docker engine answers here")
    p_img = sub.add_parser("images", help="build lab images (cached by recipe)")
    p_img.add_argument("names", nargs="*", default=["node", "node-engine", "app"])
    p_up = sub.add_parser("up", help="start lab nodes")
    p_up.add_argument("--lab", default="lab")
    p_up.add_argument("--nodes", type=int, default=int(os.environ.get("LAB_NODES", "3")))
    p_up.add_argument("--host", action="append", help="node host names (default <lab>-node1..N)")
    p_up.add_argument("--image", default="node-engine", choices=["node", "node-engine", "node-storage", "registry"])
    p_up.add_argument("--fuse", action="store_true",
                      help="give the nodes /dev/fuse and a node-local volume at %s (GlusterFS bricks)" % NODE_DATA_DIR)
    p_up.add_argument("--load", action="append", default=[], help="image to load into every node's engine")
    p_up.add_argument("--registry", action="store_true",
                      help="also start <lab>-registry (image registry, group registry) for a private registry")
    p_up.add_argument("--registry-load", action="append", default=[],
                      help="image to load into the registry node's engine only (to be pushed to the registry)")
    p_up.add_argument("--json", help="write molecule instance config (JSON list) here")
    p_load = sub.add_parser("load", help="load images into the nodes' engines")
    p_load.add_argument("--lab", default="lab")
    p_load.add_argument("refs", nargs="+")
    p_arc = sub.add_parser("archive", help="print the path of a docker save archive of an image")
    p_arc.add_argument("ref")
    for cmd, text in (("reboot", "reboot a node (systemd shuts down, the node boots again)"),
                      ("kill", "stop a node hard (its container killed)"),
                      ("start", "start a stopped node and wait for systemd and SSH")):
        p_node = sub.add_parser(cmd, help=text)
        p_node.add_argument("--lab", default="lab")
        p_node.add_argument("--host", required=True, help="the node's host name (as in the inventory)")
    p_down = sub.add_parser("down", help="remove a lab")
    p_down.add_argument("--lab", default="lab")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "engine":
            ensure_engine()
        elif args.cmd == "images":
            ensure_engine()
            build_images(args.names)
        elif args.cmd == "up":
            if args.nodes < 1:
                raise LabError("--nodes must be at least 1 (got %d)" % args.nodes)
            hosts = args.host or ["%s-node%d" % (args.lab, i) for i in range(1, args.nodes + 1)]
            if args.registry_load and not args.registry:
                raise LabError("--registry-load needs --registry")
            conf = up(args.lab, hosts, args.image, load=args.load, registry=args.registry,
                      registry_load=args.registry_load, fuse=args.fuse)
            if args.json:
                with open(args.json, "w") as fh:
                    json.dump(conf, fh, indent=2)
        elif args.cmd == "load":
            hosts = docker("ps", "--filter", "label=%s=%s" % (LABEL, args.lab), "--format",
                           '{{.Label "io.dockyard.lab.host"}}').stdout.decode().split()
            load_images(args.lab, hosts, args.refs)
        elif args.cmd == "archive":
            print(archive_image(args.ref))
        elif args.cmd == "reboot":
            reboot(args.lab, args.host)
        elif args.cmd == "kill":
            kill(args.lab, args.host)
        elif args.cmd == "start":
            start(args.lab, args.host)
        elif args.cmd == "down":
            down(args.lab)
    except LabError as exc:
        print("[lab] ERROR: %s" % exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
