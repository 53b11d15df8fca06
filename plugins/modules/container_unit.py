#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: container_unit
short_description: Put an existing Docker container under systemd, supervisor or upstart
version_added: 0.1.0
description:
  - Writes a systemd unit, a supervisor program or an upstart job that owns one existing, named container.
    The manager runs C(docker start -a NAME) (which starts the container when it is not running and forwards
    signals to it) and stops it with C(docker stop -t N NAME) (SIGTERM, then SIGKILL after N seconds).
  - The container must have restart policy C(no). A restart policy and a process manager would both restart
    the container and fight over it, so the module refuses, with an error and without writing anything, when
    the container does not exist or has any other restart policy.
  - The unit file is written atomically (mode C(0644), owner root). The manager reloads its configuration
    (C(systemctl daemon-reload), C(supervisorctl reread) and C(update)) only when the file content changed,
    so a second run with the same options changes and restarts nothing.
  - The module has to run on the host whose engine runs the container and whose process manager should own it.
    The engine options (O(docker_host), TLS) are only used to inspect the container; the unit itself always
    calls O(docker_bin) against that host's default engine.
  - O(state=absent) stops and disables the unit and removes its file. It never removes the container.
  - Every file the module writes starts with a header naming this module and the container. The module
    replaces or removes only files that carry that header for the same container, and for systemd it does not
    write a unit that would override one installed elsewhere (for example a distribution's
    C(/lib/systemd/system/nginx.service)); anything else fails, in check mode too, unless O(force=true).
    Files written by earlier releases carry the same header and are recognised.
attributes:
  check_mode:
    support: full
    description: Reports what would be written and which manager commands would run, and runs none of them.
  diff_mode:
    support: full
    description: The diff is the unit text before and after.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
options:
  name:
    description:
      - Name of the existing container the unit owns.
    type: str
    required: true
  manager:
    description:
      - The process manager that owns the container.
      - C(upstart) jobs are written to C(/etc/init); on hosts where upstart does not run (no C(initctl)),
        the job is written and a warning says that it could not be started or stopped.
    type: str
    choices: [systemd, supervisor, upstart]
    default: systemd
  state:
    description:
      - C(started) writes the unit and makes sure the manager runs it.
      - C(stopped) writes the unit and makes sure it is stopped (the container is stopped with C(docker stop -t N)).
      - C(present) writes the unit and leaves it running or not as it is (supervisor starts a new program
        itself when O(enabled=true)).
      - C(absent) stops and disables the unit and removes its file. The container is kept.
    type: str
    choices: [started, stopped, present, absent]
    default: started
  enabled:
    description:
      - Whether the manager starts the unit at boot. systemd C(systemctl enable), supervisor C(autostart),
        upstart the C(manual) stanza when false.
    type: bool
    default: true
  stop_timeout:
    description:
      - Seconds C(docker stop -t N) waits after SIGTERM before it kills the container.
      - The manager's own stop timeout (systemd C(TimeoutStopSec), supervisor C(stopwaitsecs), upstart
        C(kill timeout)) is set 10 seconds longer.
      - When not given, the container's own stop timeout (C(Config.StopTimeout)) is used, or 10.
    type: int
  restart:
    description:
      - When the manager restarts the container after it exited. systemd takes every C(Restart=) value;
        supervisor and upstart accept C(always), C(on-failure) and C(no).
    type: str
    choices: ['no', always, on-success, on-failure, on-abnormal, on-abort, on-watchdog]
    default: always
  restart_sec:
    description:
      - systemd C(RestartSec=), seconds between the exit and the restart. 5 when not given. systemd only.
    type: int
  unit_name:
    description:
      - Name of the unit (systemd, upstart) or program (supervisor). Defaults to C(docker-<name>) so it never
        replaces a distribution service called like the container.
      - For systemd a trailing C(.service) is accepted.
    type: str
  dest:
    description:
      - Path of the unit file. Defaults to C(/etc/systemd/system/<unit_name>.service),
        C(/etc/supervisor/conf.d/<unit_name>.conf) or C(/etc/init/<unit_name>.conf).
      - For systemd and upstart the file name decides the unit name, so it must match O(unit_name).
    type: path
  after:
    description:
      - Extra units for C(After=), besides C(docker.service). systemd only.
    type: list
    elements: str
  requires:
    description:
      - Extra units for C(Requires=), besides C(docker.service). systemd only.
    type: list
    elements: str
  wants:
    description:
      - Units for C(Wants=). systemd only.
    type: list
    elements: str
  description:
    description:
      - Human readable description of the unit. Defaults to C(Docker container <name>).
    type: str
  docker_bin:
    description:
      - Absolute path of the docker CLI on the host, used in the unit's start and stop commands.
      - Letters, digits and C(_ . / + -) only, so that it needs no quoting in any of the three formats.
    type: path
    default: /usr/bin/docker
  force:
    description:
      - Replace (O(state=started), V(stopped), V(present)) or stop, disable and remove (O(state=absent)) a unit
        file this module did not write, or one it wrote for another container, and for systemd write a unit
        that overrides a unit of the same name defined in another file.
      - Without it the module fails naming the file, and changes nothing, when the file at O(dest) lacks the
        module's header (its first two lines, C(Managed by Ansible (dockyard.docker.container_unit)) and
        C(Owns Docker container NAME)) or names another container.
      - A replaced file is not kept; copy it first if you may want it back.
    type: bool
    default: false
notes:
  - Names and paths are matched whole. O(name), O(unit_name), O(after), O(requires), O(wants), O(docker_bin),
    O(dest) and O(description) refuse newlines, control characters and backslashes (in systemd unit names
    only C(\xHH) escapes), and the characters that the unit formats interpret (C(%) specifiers and
    interpolation, C(;) comments, quotes); the error names the option and what it accepts.
    O(after), O(requires) and O(wants) take full systemd unit names with a type suffix, as systemd.unit(5) defines
    them (at most 255 characters).
  - Under supervisor the program is a small C(sh) wrapper around C(docker start -a NAME) that turns
    supervisor's stop signal into C(docker stop -t N NAME), so a container that ignores SIGTERM is still
    stopped. A change of the program file makes C(supervisorctl update) restart the program (and so the container).
  - Under systemd a changed unit is reloaded, not restarted; the new stop timeout applies from the next stop.
seealso:
  - name: systemd.service
    description: Restart=, RestartSec= and TimeoutStopSec= semantics.
    link: https://www.freedesktop.org/software/systemd/man/systemd.service.html
  - name: supervisor program section
    description: autostart, autorestart, stopsignal and stopwaitsecs.
    link: http://supervisord.org/configuration.html#program-x-section-settings
requirements:
  - Docker SDK for Python (C(docker)) on the target, to inspect the container.
  - systemd, supervisor (C(supervisorctl)) or upstart on the target, depending on O(manager).
"""

EXAMPLES = r"""
- name: Create redis with restart policy "no" (a process manager will own it)
  dockyard.docker.container:
    name: redis_server
    image: redis:7
    restart_policy: "no"
    state: present

- name: Let systemd own redis_server, stopped with "docker stop -t 2" as in the Docker docs
  dockyard.docker.container_unit:
    name: redis_server
    stop_timeout: 2
  # writes /etc/systemd/system/docker-redis_server.service:
  #   Requires=docker.service / After=docker.service
  #   ExecStart=/usr/bin/docker start -a redis_server
  #   ExecStop=/usr/bin/docker stop -t 2 redis_server
  #   Restart=always

- name: Same container under supervisor, restarted only when it fails
  dockyard.docker.container_unit:
    name: worker
    manager: supervisor
    restart: on-failure
    stop_timeout: 30

- name: systemd unit that also waits for a mount and the network
  dockyard.docker.container_unit:
    name: web
    unit_name: web.service
    requires: [srv-data.mount]
    after: [srv-data.mount, network-online.target]
    wants: [network-online.target]
    restart_sec: 2

- name: Keep the unit but stop the container and do not start it at boot
  dockyard.docker.container_unit:
    name: web
    unit_name: web
    state: stopped
    enabled: false

- name: Take over a hand-written unit for web (without force the module refuses to replace it)
  dockyard.docker.container_unit:
    name: web
    unit_name: web
    force: true

- name: Hand the container back (unit stopped, disabled and removed; the container stays)
  dockyard.docker.container_unit:
    name: redis_server
    state: absent
"""

RETURN = r"""
unit_path:
  description: Path of the unit file.
  returned: always
  type: str
  sample: /etc/systemd/system/docker-redis_server.service
unit_name:
  description: Name of the unit (systemd, upstart) or program (supervisor).
  returned: always
  type: str
  sample: docker-redis_server
unit_content:
  description: The unit text the module wrote or would write. Empty for O(state=absent).
  returned: always
  type: str
  sample: "[Unit]\nDescription=Docker container redis_server\nRequires=docker.service\n..."
diff:
  description: Unit text before and after (empty string for a file that does not exist).
  returned: always
  type: dict
  sample: {before: "", after: "[Unit]\n...", before_header: /etc/systemd/system/docker-redis_server.service}
actions:
  description: What the module did, in order (or would do, in check mode).
  returned: always
  type: list
  elements: str
  sample: ["write /etc/systemd/system/docker-redis_server.service", "systemctl daemon-reload",
           "systemctl enable docker-redis_server.service", "systemctl start docker-redis_server.service"]
"""

import os
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_native, to_text

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import (  # noqa: E402
    connect,
    docker_argument_spec,
    fail_from_error,
    is_not_found,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.units import (
    SYSTEMD_RESTART,
    UnitSpecError,
    build_spec,
    header_owner,
    render,
)

UNIT_MODE = 0o644
# Exists only while systemd runs as the init system (sd_booted()).
SYSTEMD_RUN_DIR = "/run/systemd/system"
SUPERVISOR_RUNNING = ("RUNNING", "STARTING", "BACKOFF")
SYSTEMD_RUNNING = ("active", "activating", "reloading")


def argument_spec():
    spec = docker_argument_spec()
    spec.update(
        name=dict(type="str", required=True),
        manager=dict(type="str", default="systemd", choices=["systemd", "supervisor", "upstart"]),
        state=dict(type="str", default="started", choices=["started", "stopped", "present", "absent"]),
        enabled=dict(type="bool", default=True),
        stop_timeout=dict(type="int"),
        restart=dict(type="str", default="always", choices=list(SYSTEMD_RESTART)),
        restart_sec=dict(type="int"),
        unit_name=dict(type="str"),
        dest=dict(type="path"),
        after=dict(type="list", elements="str"),
        requires=dict(type="list", elements="str"),
        wants=dict(type="list", elements="str"),
        description=dict(type="str"),
        docker_bin=dict(type="path", default="/usr/bin/docker"),
        force=dict(type="bool", default=False),
    )
    return spec


class Changes:
    """Collects what changed (or would change) and feeds ``changed``, ``actions`` and ``diff``."""

    def __init__(self):
        self.actions = []

    def add(self, action):
        self.actions.append(action)

    @property
    def changed(self):
        return bool(self.actions)


class ContainerUnit:
    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.check = module.check_mode
        self.changes = Changes()
        self.before = ""
        self.after = ""
        self.spec = None

    # ------------------------------------------------------------------ helpers
    def fail(self, msg):
        self.module.fail_json(msg=msg, actions=self.changes.actions)

    def build(self, stop_timeout):
        p = self.params
        try:
            return build_spec(
                name=p["name"], manager=p["manager"], enabled=p["enabled"], stop_timeout=stop_timeout,
                restart=p["restart"], restart_sec=p["restart_sec"], unit_name=p["unit_name"], dest=p["dest"],
                after=p["after"], requires=p["requires"], wants=p["wants"], description=p["description"],
                docker_bin=p["docker_bin"],
            )
        except UnitSpecError as exc:
            self.module.fail_json(msg=exc.msg)

    def run(self, args, what, ok_rcs=(0,)):
        rc, out, err = self.module.run_command(args)
        if rc not in ok_rcs:
            self.fail("%s failed (rc=%d): %s" % (what, rc, (err or out).strip()))
        return rc, out, err

    def act(self, args, what=None):
        """Record and (outside check mode) run a command that changes the host."""
        text = " ".join([os.path.basename(args[0])] + list(args[1:]))
        self.changes.add(what or text)
        if not self.check:
            self.run(args, text)

    # ------------------------------------------------------------------ container
    def inspect_container(self):
        # Only one inspect is ever needed here: read it without loading the SDK.
        client = connect(self.module, lazy=True)
        name = self.params["name"]
        try:
            return client.reader.inspect_container(name)
        except Exception as exc:  # noqa: BLE001 - translated below
            if is_not_found(exc):
                self.fail(
                    "Container %s does not exist on %s: create it first (with restart_policy: \"no\"), then put "
                    "it under %s. Nothing was written." % (name, self.params["docker_host"], self.params["manager"])
                )
            fail_from_error(self.module, exc, "inspect container %s" % name)

    def check_container(self, info):
        policy = ((info.get("HostConfig") or {}).get("RestartPolicy") or {}).get("Name") or "no"
        if policy != "no":
            self.fail(
                "Container %s has restart policy %r: a restart policy and a process manager would both restart "
                "it and fight over it. Recreate the container with restart_policy: \"no\" (or keep the policy and "
                "drop the unit). Nothing was written." % (self.params["name"], policy)
            )

    # ------------------------------------------------------------------ file
    def read_current(self, path):
        if not os.path.exists(path):
            return None
        with open(path, "rb") as handle:
            # a file in another encoding is still compared and shown, never a traceback
            return to_text(handle.read(), errors="surrogate_or_replace")

    def write_unit(self, path, content):
        directory = os.path.dirname(path)
        if not os.path.isdir(directory):
            self.changes.add("mkdir %s" % directory)
            if not self.check:
                os.makedirs(directory, 0o755)
        self.changes.add("write %s" % path)
        if self.check:
            return
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".%s." % os.path.basename(path), suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(to_bytes(content))
            self.fix_attributes(tmp, record=False)
            self.module.atomic_move(tmp, path)
        except Exception:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        self.fix_attributes(path, record=False)

    def fix_attributes(self, path, record=True):
        st = os.stat(path)
        want_owner = os.geteuid() == 0
        if (st.st_mode & 0o7777) != UNIT_MODE:
            if record:
                self.changes.add("chmod 0644 %s" % path)
            if not self.check:
                os.chmod(path, UNIT_MODE)
        if want_owner and (st.st_uid != 0 or st.st_gid != 0):
            if record:
                self.changes.add("chown root:root %s" % path)
            if not self.check:
                os.chown(path, 0, 0)

    def wrote(self):
        return "would write" if self.check else "wrote"

    def remove_unit(self, path):
        self.changes.add("remove %s" % path)
        if not self.check:
            os.unlink(path)

    # ------------------------------------------------------------------ ownership
    def check_owned(self, path, text, doing):
        """Fail unless ``text`` (the file at ``path``) is a unit this module wrote for this container.

        ``doing`` says what the module was about to do with it. With force the file is taken over, and a
        warning says so.
        """
        name = self.spec["name"]
        owner = header_owner(self.spec["manager"], text)
        if owner == name:
            return
        if owner is None:
            why = ("it was not written by dockyard.docker.container_unit (its first two lines are not the header "
                   "this module writes, %r and 'Owns Docker container %s; ...')" % (
                       render(self.spec).split("\n", 1)[0], name))
        else:
            why = "dockyard.docker.container_unit wrote it for container %s, not %s" % (owner, name)
        if self.params["force"]:
            self.module.warn("force: %s %s although %s." % (doing, path, why))
            return
        if self.params["state"] == "absent":
            what_next = ("this module only removes units it wrote: if this unit should go, stop, disable and "
                         "remove it yourself, or set force: true to let this module do it")
        else:
            what_next = ("choose another unit_name or dest (the default, docker-%s, is this container's own), "
                         "move the file away yourself, or set force: true to replace it" % name)
        self.fail("Refusing to %s %s: %s. To go on, %s. Nothing was changed." % (doing, path, why, what_next))

    def check_not_shadowing(self, tools):
        """A new systemd unit file must not override a unit of the same name defined elsewhere."""
        if self.spec["manager"] != "systemd" or not tools.get("running") or not tools.get("systemctl"):
            return
        unit = self.spec["unit_name"] + ".service"
        _rc, out, _err = self.run(
            [tools["systemctl"], "show", unit, "--property=LoadState", "--property=FragmentPath"],
            "systemctl show %s" % unit,
        )
        props = dict(line.partition("=")[::2] for line in out.splitlines())
        fragment = props.get("FragmentPath", "").strip()
        if props.get("LoadState", "").strip() != "loaded" or not fragment or fragment == self.spec["dest"]:
            return
        current = self.read_current(fragment)
        if current is not None and header_owner("systemd", current) == self.spec["name"]:
            return  # this container's own unit, moved to another dest
        why = ("systemd already loads %s from %s, a file this module did not write for container %s; a second "
               "file for that unit at %s would override it or be ignored" % (
                   unit, fragment, self.spec["name"], self.spec["dest"]))
        if self.params["force"]:
            self.module.warn("force: writing %s although %s." % (self.spec["dest"], why))
            return
        self.fail(
            "Refusing to write %s: %s. Choose another unit_name (default docker-%s), or set force: true to "
            "override that unit. Nothing was changed." % (self.spec["dest"], why, self.spec["name"])
        )

    # ------------------------------------------------------------------ main flow
    def main(self):
        p = self.params
        state = p["state"]
        tools = self.find_tools()
        if state == "absent":
            # No engine needed: the container may already be gone, and it is never touched.
            self.spec = self.build(p["stop_timeout"])
            current = self.read_current(self.spec["dest"])
            self.before = current or ""
            if current is not None:
                self.check_owned(self.spec["dest"], current, "stop, disable and remove")
                getattr(self, "absent_" + p["manager"])(tools)
            return self.result()

        stop_timeout = p["stop_timeout"]
        self.spec = self.build(stop_timeout)  # validate every option before touching the engine
        current = self.read_current(self.spec["dest"])
        if current is None:
            self.check_not_shadowing(tools)
        else:
            self.check_owned(self.spec["dest"], current, "replace")
        if not os.access(self.spec["docker_bin"], os.X_OK):
            self.fail(
                "docker_bin %s is not an executable on this host: install the docker CLI or point docker_bin "
                "at it. Nothing was written." % self.spec["docker_bin"]
            )
        info = self.inspect_container()
        self.check_container(info)
        if stop_timeout is None:
            configured = (info.get("Config") or {}).get("StopTimeout")
            if isinstance(configured, int) and configured >= 0:
                self.spec = self.build(configured)
        self.after = render(self.spec)
        self.before = current or ""
        content_changed = current != self.after
        getattr(self, "ensure_" + p["manager"])(tools, content_changed)
        return self.result()

    def ensure_file(self, content_changed):
        if content_changed:
            self.write_unit(self.spec["dest"], self.after)
        else:
            self.fix_attributes(self.spec["dest"])

    def find_tools(self):
        manager = self.params["manager"]
        state = self.params["state"]
        tools = {}
        if manager == "systemd":
            tools["systemctl"] = self.module.get_bin_path("systemctl")
            tools["running"] = os.path.isdir(SYSTEMD_RUN_DIR)
            if state != "absent" and not tools["systemctl"]:
                self.fail("manager=systemd but systemctl is not installed on this host. Nothing was written.")
            if state in ("started", "stopped") and not tools["running"]:
                self.fail(
                    "manager=systemd but systemd is not running on this host (no /run/systemd/system), so the "
                    "unit cannot be %s; use state: present to only write it. Nothing was written." % state
                )
        elif manager == "supervisor":
            tools["supervisorctl"] = self.module.get_bin_path("supervisorctl")
            if not tools["supervisorctl"]:
                if state == "absent":
                    return tools
                self.fail(
                    "manager=supervisor but supervisorctl is not installed on this host: install supervisor "
                    "(Debian/Ubuntu package 'supervisor'). Nothing was written."
                )
            rc, out, err = self.module.run_command([tools["supervisorctl"], "pid"])
            tools["running"] = rc == 0 and out.strip().isdigit()
            if state in ("started", "stopped") and not tools["running"]:
                self.fail(
                    "manager=supervisor but supervisord is not running (supervisorctl pid: %s): start it "
                    "(service supervisor start). Nothing was written." % (err or out).strip()
                )
        else:
            tools["initctl"] = self.module.get_bin_path("initctl")
            # Debian's initctl without upstart as init cannot reach an upstart daemon.
            tools["running"] = bool(tools["initctl"]) and self.module.run_command(
                [tools["initctl"], "version"])[0] == 0
        return tools

    # ---- systemd
    def systemd_show(self, systemctl, unit):
        rc, out, err = self.run(
            [systemctl, "show", unit, "--property=ActiveState", "--property=UnitFileState",
             "--property=LoadState"],
            "systemctl show %s" % unit,
        )
        props = {}
        for line in out.splitlines():
            key, sep, value = line.partition("=")
            if sep:
                props[key.strip()] = value.strip()
        return props

    def ensure_systemd(self, tools, content_changed):
        systemctl = tools["systemctl"]
        unit = self.spec["unit_name"] + ".service"
        new_file = not os.path.exists(self.spec["dest"])
        self.ensure_file(content_changed)
        if not tools["running"]:
            self.module.warn(
                "systemd is not running on this host: %s %s but did not reload, enable or start it."
                % (self.wrote(), self.spec["dest"])
            )
            return
        if content_changed:
            self.act([systemctl, "daemon-reload"])
        if self.check and new_file:
            props = {"ActiveState": "inactive", "UnitFileState": "disabled"}
        else:
            props = self.systemd_show(systemctl, unit)
        is_enabled = props.get("UnitFileState") == "enabled"
        if self.spec["enabled"] and not is_enabled:
            self.act([systemctl, "enable", unit])
        elif not self.spec["enabled"] and is_enabled:
            self.act([systemctl, "disable", unit])
        running = props.get("ActiveState") in SYSTEMD_RUNNING
        state = self.params["state"]
        if state == "started" and not running:
            self.act([systemctl, "start", unit])
        elif state == "stopped" and running:
            self.act([systemctl, "stop", unit])

    def absent_systemd(self, tools):
        systemctl = tools.get("systemctl")
        unit = self.spec["unit_name"] + ".service"
        if systemctl and tools.get("running"):
            props = self.systemd_show(systemctl, unit)
            if props.get("ActiveState") in SYSTEMD_RUNNING:
                self.act([systemctl, "stop", unit])
            if props.get("UnitFileState") == "enabled":
                self.act([systemctl, "disable", unit])
        self.remove_unit(self.spec["dest"])
        if systemctl and tools.get("running"):
            self.act([systemctl, "daemon-reload"])
            if not self.check:
                # forget a failed state so the unit disappears from `systemctl --failed`
                self.module.run_command([systemctl, "reset-failed", unit])

    # ---- supervisor
    def supervisor_status(self, supervisorctl, program):
        rc, out, err = self.module.run_command([supervisorctl, "status", program])
        words = out.split()
        if len(words) >= 2 and words[0] == program:
            return words[1]
        return None  # "no such process": the program is not loaded

    def ensure_supervisor(self, tools, content_changed):
        supervisorctl = tools["supervisorctl"]
        program = self.spec["unit_name"]
        self.ensure_file(content_changed)
        if not tools["running"]:
            self.module.warn(
                "supervisord is not running on this host: %s %s but could not load it."
                % (self.wrote(), self.spec["dest"])
            )
            return
        status = self.supervisor_status(supervisorctl, program)
        if content_changed or status is None:
            self.act([supervisorctl, "reread"])
            # only this program's group: other programs' pending changes are not ours to apply
            self.act([supervisorctl, "update", program])
            if self.check:
                # update (re)starts an autostart program; a disabled one is added stopped
                status = "RUNNING" if self.spec["enabled"] else "STOPPED"
            else:
                status = self.supervisor_status(supervisorctl, program)
                if status is None:
                    self.fail(
                        "supervisord did not load %s from %s: is that path included by supervisord.conf "
                        "([include] files=)?" % (program, self.spec["dest"])
                    )
        state = self.params["state"]
        if state == "started" and status not in SUPERVISOR_RUNNING:
            self.act([supervisorctl, "start", program])
        elif state == "stopped" and status in SUPERVISOR_RUNNING:
            self.act([supervisorctl, "stop", program])

    def absent_supervisor(self, tools):
        supervisorctl = tools.get("supervisorctl")
        self.remove_unit(self.spec["dest"])
        if supervisorctl and tools.get("running"):
            # update notices the program is gone: it stops it (docker stop -t N) and removes it
            self.act([supervisorctl, "reread"])
            self.act([supervisorctl, "update", self.spec["unit_name"]])

    # ---- upstart
    def upstart_running(self, initctl, job):
        rc, out, err = self.module.run_command([initctl, "status", job])
        return rc == 0 and "start/" in out

    def ensure_upstart(self, tools, content_changed):
        self.ensure_file(content_changed)
        job = self.spec["unit_name"]
        initctl = tools.get("initctl")
        if not tools["running"]:
            if self.params["state"] in ("started", "stopped"):
                self.module.warn(
                    "upstart is not running on this host (no working initctl): the job %s is in place but could "
                    "not %s it." % (self.spec["dest"], "start" if self.params["state"] == "started" else "stop")
                )
            return
        if content_changed:
            self.act([initctl, "reload-configuration"])
        running = False if (self.check and content_changed) else self.upstart_running(initctl, job)
        state = self.params["state"]
        if state == "started" and not running:
            self.act([initctl, "start", job])
        elif state == "stopped" and running:
            self.act([initctl, "stop", job])

    def absent_upstart(self, tools):
        initctl = tools.get("initctl")
        job = self.spec["unit_name"]
        if tools.get("running") and self.upstart_running(initctl, job):
            self.act([initctl, "stop", job])
        self.remove_unit(self.spec["dest"])
        if tools.get("running"):
            self.act([initctl, "reload-configuration"])

    # ------------------------------------------------------------------ result
    def result(self):
        path = self.spec["dest"]
        return dict(
            changed=self.changes.changed,
            unit_path=path,
            unit_name=self.spec["unit_name"],
            unit_content=self.after,
            actions=self.changes.actions,
            diff=dict(before=self.before, after=self.after, before_header=path, after_header=path),
        )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    try:
        result = ContainerUnit(module).main()
    except (OSError, IOError) as exc:
        module.fail_json(msg="container_unit: %s" % to_native(exc))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
