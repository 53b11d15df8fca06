# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A compose project -> this collection's container options, networks and volumes (pure code).

:func:`load_project` has the reader (:mod:`.reader`) read, interpolate, check, normalise and merge the files,
then checks references (networks, volumes, depends_on, ``network_mode: service:``), orders the services by
their dependencies and turns each service into the options of ``dockyard.docker.container``
(:func:`container_options`), validated as ``container`` would so that a bad value fails naming its compose
key. Names and labels follow Compose's (``<project>-<service>-1``, ``<project>_<key>``, ``com.docker.compose.*``).

:func:`host_path`, :func:`read_env_files` and :func:`ulimits` are shared with the stack translation
(:mod:`.stack`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import posixpath
import re
import shlex

from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError
from ansible_collections.dockyard.docker.plugins.module_utils.compose.reader import (
    SERVICE_RE,
    ComposeError,
    NamedErrors,
    is_extension,
    load_documents,
    make_lookup,
    merge,
    refuse_unknown,
    sources_name,
    string_list,
    string_map,
)

RESTART_VALUES = ("no", "always", "on-failure", "on-failure:N", "unless-stopped")
PROJECT_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LABEL = "com.docker.compose."


class Project(object):
    """A compose project ready to deploy: container options per service, networks and volumes."""

    def __init__(self, name, services, networks, volumes, order, config_files, working_dir):
        self.name = name
        self.services = services          # {service: Service}
        self.networks = networks          # {key: network definition}
        self.volumes = volumes            # {key: volume definition}
        self.order = order                # service names, dependencies first
        self.config_files = config_files
        self.working_dir = working_dir

    def waves(self):
        """Services grouped in waves: each wave depends only on services of earlier waves."""
        level = {}
        for name in self.order:
            deps = self.services[name].depends_on
            level[name] = 1 + max([level[d] for d in deps] or [-1])
        waves = []
        for name in self.order:
            while len(waves) <= level[name]:
                waves.append([])
            waves[level[name]].append(name)
        return waves


class Service(object):
    def __init__(self, name, options, depends_on, has_healthcheck, config_hash):
        self.name = name
        self.options = options
        self.depends_on = depends_on
        self.has_healthcheck = has_healthcheck
        self.config_hash = config_hash


def project_name(given, data, files):
    """The project name: the option, else the file's top-level ``name``, else the first file's directory."""
    name = given or data.get("name")
    if not name and files:
        name = posixpath.basename(posixpath.dirname(files[0]))
    if not name:
        raise ComposeError("project_name is required with definition (or give the definition a top-level name)")
    text = str(name)
    if not PROJECT_RE.match(text):
        raise ComposeError("project name %r is not valid: lowercase letters, digits, _ and -, starting with a "
                           "letter or digit" % text)
    return text


def load_project(files=None, definition=None, env=None, environ=None, read=None, name=None):
    """Files (paths, read through ``read``) or a definition -> :class:`Project`: read by the reader, then
    translated here."""
    lookup = make_lookup(env, environ)
    files = list(files or [])
    documents = load_documents(files, definition, read, lookup)
    with NamedErrors(sources_name(files)):
        return _project(documents, files, read, lookup, name)


def _project(documents, files, read, lookup, name):
    data = merge(documents)
    project = project_name(name, data, files)
    working_dir = posixpath.dirname(files[0]) if files else None
    if not data["services"]:
        raise ComposeError("services: the project defines no service")
    networks = dict((key, _network(project, key, settings, "networks.%s" % key))
                    for key, settings in data["networks"].items())
    volumes = dict((key, _volume(project, key, settings, "volumes.%s" % key))
                   for key, settings in data["volumes"].items())
    used_networks, used_volumes = set(), set()
    services = {}
    for service_name, service in data["services"].items():
        path = "services.%s" % service_name
        if not SERVICE_RE.match(service_name):
            raise ComposeError("%s: the service name may use [a-zA-Z0-9_.-], starting with a letter or digit" % path)
        with NamedErrors(sources_name(files), path):
            options, nets, vols = container_options(project, service_name, service, data, networks, volumes,
                                                    working_dir, read, lookup, files)
        used_networks.update(nets)
        used_volumes.update(vols)
        depends = dict((dep, settings["condition"]) for dep, settings in (service.get("depends_on") or {}).items())
        mode = service.get("network_mode") or ""
        if mode.startswith("service:"):
            depends.setdefault(mode[len("service:"):], "service_started")
        for dep in depends:
            if dep not in data["services"]:
                raise ComposeError("%s.depends_on.%s: no service %s in the project (services: %s)"
                                   % (path, dep, dep, ", ".join(sorted(data["services"]))))
        services[service_name] = Service(service_name, options, depends, bool(options.get("healthcheck")) and
                                         options["healthcheck"].get("test") != ["NONE"], options["labels"][
                                             LABEL + "config-hash"])
    if "default" in used_networks and "default" not in networks:
        networks["default"] = _network(project, "default", {}, "networks.default")
    networks = dict((k, v) for k, v in networks.items() if k in used_networks)
    volumes = dict((k, v) for k, v in volumes.items() if k in used_volumes)
    order = _order(services)
    return Project(project, services, networks, volumes, order, files, working_dir)


def _order(services):
    order, state = [], {}

    def visit(name, trail):
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ComposeError("services: depends_on forms a cycle: %s" % " -> ".join(trail + [name]))
        state[name] = "visiting"
        for dep in sorted(services[name].depends_on):
            visit(dep, trail + [name])
        state[name] = "done"
        order.append(name)

    for name in sorted(services):
        visit(name, [])
    return order


def _external(kind, key, settings, path):
    """The definition of an external network or volume (``external: true``), or ``None`` when it is not external."""
    external = settings.get("external")
    if isinstance(external, dict):
        raise ComposeError("%s.external: use external: true and name: (the external.name form is not supported)"
                           % path)
    if not external:
        return None
    unexpected = sorted(k for k in settings if k not in ("external", "name") and not is_extension(k))
    if unexpected:
        raise ComposeError("%s: an external %s takes only name; remove %s" % (path, kind, ", ".join(unexpected)))
    return dict(key=key, name=str(settings.get("name") or key), external=True)


def _network(project, key, settings, path):
    settings = dict(settings or {})
    external = _external("network", key, settings, path)
    if external:
        return external
    ipam = settings.get("ipam") or {}
    refuse_unknown(ipam, ("driver", "config"), path + ".ipam")
    pools = ipam.get("config") or []
    if not isinstance(pools, list) or len(pools) > 1:
        raise ComposeError("%s.ipam.config: give at most one pool (subnet, gateway)" % path)
    pool = pools[0] if pools else {}
    refuse_unknown(pool, ("subnet", "gateway"), path + ".ipam.config[0]")
    labels = string_map(settings.get("labels"), path + ".labels")
    labels.update({LABEL + "project": project, LABEL + "network": key})
    return dict(key=key, name=str(settings.get("name") or "%s_%s" % (project, key)), external=False,
                driver=str(settings.get("driver") or "bridge"),
                driver_opts=string_map(settings.get("driver_opts"), path + ".driver_opts"),
                attachable=settings.get("attachable"), internal=settings.get("internal"),
                subnet=pool.get("subnet"), gateway=pool.get("gateway"), labels=labels)


def _volume(project, key, settings, path):
    settings = dict(settings or {})
    external = _external("volume", key, settings, path)
    if external:
        return external
    labels = string_map(settings.get("labels"), path + ".labels")
    labels.update({LABEL + "project": project, LABEL + "volume": key})
    return dict(key=key, name=str(settings.get("name") or "%s_%s" % (project, key)), external=False,
                driver=str(settings.get("driver") or "local"),
                driver_options=string_map(settings.get("driver_opts"), path + ".driver_opts"), labels=labels)


def _restart(value, path):
    if value is False:
        value = "no"
    text = str(value)
    if text in ("no", "always", "unless-stopped", "on-failure") or re.match(r"^on-failure:[0-9]+$", text):
        return text
    raise ComposeError("%s: %r is not valid; accepted values: %s" % (path, value, ", ".join(RESTART_VALUES)))


def _seconds(value, path):
    try:
        nanos = values.duration(value, path)
    except SpecError as exc:
        raise ComposeError(str(exc))
    return int((nanos + 10 ** 9 - 1) // 10 ** 9)


def ulimits(value, path):
    """``{NAME: LIMIT}`` or ``{NAME: {soft, hard}}`` -> ``["NAME:SOFT:HARD", ...]``, sorted by name."""
    if not isinstance(value, dict):
        raise ComposeError("%s must be a mapping: NAME: LIMIT or NAME: {soft, hard}" % path)
    out = []
    for name, limit in sorted(value.items()):
        if isinstance(limit, dict):
            refuse_unknown(limit, ("soft", "hard"), "%s.%s" % (path, name))
            if limit.get("soft") is None or limit.get("hard") is None:
                raise ComposeError("%s.%s needs both soft and hard" % (path, name))
            out.append("%s:%s:%s" % (name, limit["soft"], limit["hard"]))
        elif isinstance(limit, int) and not isinstance(limit, bool):
            out.append("%s:%d:%d" % (name, limit, limit))
        else:
            raise ComposeError("%s.%s: %r is not a limit: a number or {soft, hard}" % (path, name, limit))
    return out


def _devices(value, path):
    if not isinstance(value, list):
        raise ComposeError("%s must be a list" % path)
    out = []
    for index, item in enumerate(value):
        if isinstance(item, dict):
            refuse_unknown(item, ("source", "target", "permissions"), "%s[%d]" % (path, index))
            if not item.get("source"):
                raise ComposeError("%s[%d].source is required" % (path, index))
            text = str(item["source"]) + ":" + str(item.get("target") or item["source"])
            if item.get("permissions"):
                text += ":" + str(item["permissions"])
            out.append(text)
        else:
            out.append(str(item))
    return out


def host_path(source, working_dir, path):
    """A path on the managed host: an absolute one normalised (``~`` left for the host to expand), a relative one
    taken from ``working_dir`` (the first compose file's directory); relative without files fails naming ``path``."""
    if source.startswith("~"):
        return source
    if source.startswith("/"):
        return posixpath.normpath(source)
    if working_dir is None:
        raise ComposeError("%s: the relative path %r needs files (it is relative to the compose file's directory); "
                           "with definition give an absolute path" % (path, source))
    return posixpath.normpath(posixpath.join(working_dir, source))


def _mounts(project, service_name, mounts, declared, working_dir, used):
    """Service volumes -> (``volumes`` strings, ``mounts`` dicts)."""
    binds, long_form = [], []
    for index, mount in enumerate(mounts):
        path = "services.%s.volumes[%d]" % (service_name, index)
        source = mount["source"]
        if mount["type"] == "volume" and source:
            if source not in declared:
                raise ComposeError("%s: volume %s is not declared under the top-level volumes (declared: %s)"
                                   % (path, source, ", ".join(sorted(declared)) or "none"))
            used.add(source)
            source = declared[source]["name"]
        elif mount["type"] == "bind":
            source = host_path(source, working_dir, path)
        if mount["short"]:
            binds.append(":".join([p for p in (source, mount["target"], mount["mode"]) if p]))
            continue
        item = dict(type=mount["type"], target=mount["target"])
        if source and mount["type"] != "tmpfs":
            item["source"] = source
        if mount["read_only"]:
            item["read_only"] = True
        if (mount.get("volume") or {}).get("nocopy"):
            item["no_copy"] = True
        if (mount.get("bind") or {}).get("propagation"):
            item["propagation"] = mount["bind"]["propagation"]
        if (mount.get("tmpfs") or {}).get("size") is not None:
            item["tmpfs_size"] = str(mount["tmpfs"]["size"])
        if (mount.get("tmpfs") or {}).get("mode") is not None:
            item["tmpfs_mode"] = "%o" % mount["tmpfs"]["mode"] if isinstance(mount["tmpfs"]["mode"], int) \
                else str(mount["tmpfs"]["mode"])
        long_form.append(item)
    return binds, long_form


def read_env_files(paths, working_dir, read, service_name):
    """A service's ``env_file`` list, read through ``read`` in order -> one environment (later files win)."""
    env = {}
    for index, name in enumerate(paths):
        path = "services.%s.env_file[%d]" % (service_name, index)
        full = host_path(name, working_dir, path)
        try:
            text = read(os.path.expanduser(full))
        except (IOError, OSError, TypeError, UnicodeDecodeError) as exc:
            raise ComposeError("%s: %s cannot be read: %s" % (path, full, getattr(exc, "strerror", None) or exc))
        try:
            env.update(values.parse_env_file(text, full))
        except SpecError as exc:
            raise ComposeError("%s: %s" % (path, exc))
    return env


SIMPLE = {
    # compose key -> container option, for values that pass through as they are
    "user": "user", "working_dir": "working_dir", "hostname": "hostname", "domainname": "domainname",
    "privileged": "privileged", "read_only": "read_only", "init": "init", "tty": "tty", "stdin_open": "interactive",
    "stop_signal": "stop_signal", "dns": "dns_servers", "dns_search": "dns_search_domains", "dns_opt": "dns_opts",
    "cap_add": "capabilities", "cap_drop": "cap_drop", "tmpfs": "tmpfs", "security_opt": "security_opts",
    "group_add": "groups", "expose": "exposed_ports", "mem_limit": "memory", "mem_reservation": "memory_reservation",
    "cpus": "cpus", "pids_limit": "pids_limit", "shm_size": "shm_size", "extra_hosts": "etc_hosts",
}
PULL_POLICIES = {"always": "always", "never": "never", "missing": "missing", "if_not_present": "missing"}


def container_options(project, service_name, service, data, networks, volumes, working_dir, read, lookup,
                      files):
    """One service -> (options of ``dockyard.docker.container``, network keys used, volume keys used)."""
    path = "services.%s" % service_name
    opts = {}
    if not service.get("image"):
        raise ComposeError("%s.image is required (build is not supported: build the image with "
                           "dockyard.docker.image and name it here)" % path)
    opts["image"] = str(service["image"])
    opts["name"] = str(service.get("container_name") or "%s-%s-1" % (project, service_name))
    for key in ("command", "entrypoint"):
        if service.get(key) is not None:
            value = service[key]
            if isinstance(value, str):
                try:
                    value = shlex.split(value)
                except ValueError as exc:
                    raise ComposeError("%s.%s: %r cannot be split into arguments: %s" % (path, key, value, exc))
            opts[key] = [str(v) for v in string_list(value, "%s.%s" % (path, key))]
    for key, option in SIMPLE.items():
        if service.get(key) is not None:
            opts[option] = service[key]
    env = read_env_files(service.get("env_file") or [], working_dir, read, service_name)
    for key, val in (service.get("environment") or {}).items():
        if val is None:
            val = lookup(key)
            if val is None:
                continue
        env[key] = "" if val is None else (str(val).lower() if isinstance(val, bool) else str(val))
    if env or "environment" in service:
        opts["env"] = env
    if service.get("sysctls"):
        opts["sysctls"] = dict((k, str(v)) for k, v in service["sysctls"].items())
    if service.get("ports"):
        opts["published_ports"] = list(service["ports"])
    if service.get("restart") is not None:
        opts["restart_policy"] = _restart(service["restart"], path + ".restart")
    if service.get("healthcheck") is not None:
        check = dict(service["healthcheck"])
        opts["healthcheck"] = dict((k, v) for k, v in check.items() if v is not None)
    if service.get("logging"):
        if service["logging"].get("driver"):
            opts["log_driver"] = str(service["logging"]["driver"])
        if service["logging"].get("options"):
            if "log_driver" not in opts:
                raise ComposeError("%s.logging.options needs logging.driver" % path)
            opts["log_options"] = string_map(service["logging"]["options"], path + ".logging.options")
    if service.get("stop_grace_period") is not None:
        opts["stop_timeout"] = _seconds(service["stop_grace_period"], path + ".stop_grace_period")
    if service.get("ulimits") is not None:
        opts["ulimits"] = ulimits(service["ulimits"], path + ".ulimits")
    if service.get("devices") is not None:
        opts["devices"] = _devices(service["devices"], path + ".devices")
    if service.get("pull_policy") is not None:
        if service["pull_policy"] not in PULL_POLICIES:
            raise ComposeError("%s.pull_policy: %r is not supported; accepted values: %s"
                               % (path, service["pull_policy"], ", ".join(sorted(PULL_POLICIES))))
        opts["pull"] = PULL_POLICIES[service["pull_policy"]]
    resources = (service.get("deploy") or {}).get("resources") or {}
    limits, reservations = resources.get("limits") or {}, resources.get("reservations") or {}
    for key, option in (("memory", "memory"), ("cpus", "cpus"), ("pids", "pids_limit")):
        if limits.get(key) is not None:
            opts[option] = limits[key]
    if reservations.get("memory") is not None:
        opts["memory_reservation"] = reservations["memory"]
    if isinstance(opts.get("cpus"), str):
        try:
            opts["cpus"] = float(opts["cpus"])
        except ValueError:
            raise ComposeError("%s: cpus %r is not a number" % (path, opts["cpus"]))
    used_volumes = set()
    binds, mounts = _mounts(project, service_name, service.get("volumes") or [], volumes, working_dir, used_volumes)
    if binds:
        opts["volumes"] = binds
    if mounts:
        opts["mounts"] = mounts
    used_networks = set()
    mode = service.get("network_mode")
    if mode is not None and service.get("networks"):
        raise ComposeError("%s: network_mode and networks cannot be used together" % path)
    if mode is not None:
        mode = str(mode)
        if mode.startswith("service:"):
            other = mode[len("service:"):]
            if other not in data["services"]:
                raise ComposeError("%s.network_mode: no service %s in the project" % (path, other))
            mode = "container:" + str(data["services"][other].get("container_name") or
                                      "%s-%s-1" % (project, other))
        opts["network_mode"] = mode
    else:
        attached = service.get("networks") or {"default": {}}
        opts["networks"] = []
        for key in sorted(attached):
            settings = attached[key] or {}
            if key not in networks and key != "default":
                raise ComposeError("%s.networks.%s: network %s is not declared under the top-level networks "
                                   "(declared: %s)" % (path, key, key, ", ".join(sorted(networks)) or "none"))
            used_networks.add(key)
            name = networks[key]["name"] if key in networks else "%s_default" % project
            extra = string_list(settings.get("aliases"), "%s.networks.%s.aliases" % (path, key))
            aliases = [service_name] + [str(a) for a in extra if str(a) != service_name]
            entry = dict(name=name, aliases=aliases)
            if settings.get("ipv4_address"):
                entry["ipv4_address"] = str(settings["ipv4_address"])
            opts["networks"].append(entry)
    labels = string_map(service.get("labels"), path + ".labels")
    opts["labels"] = labels
    config_hash = hashlib.sha256(json.dumps(opts, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    labels.update({
        LABEL + "project": project,
        LABEL + "service": service_name,
        LABEL + "container-number": "1",
        LABEL + "oneoff": "False",
        LABEL + "config-hash": config_hash,
    })
    if files:
        labels[LABEL + "project.config_files"] = ",".join(files)
        labels[LABEL + "project.working_dir"] = working_dir
    _validate(opts, path)
    return opts, used_networks, used_volumes


OPTION_TO_KEY = dict((option, key) for key, option in SIMPLE.items())
OPTION_TO_KEY.update({"published_ports": "ports", "restart_policy": "restart", "stop_timeout": "stop_grace_period",
                      "env": "environment", "log_driver": "logging.driver", "log_options": "logging.options",
                      "mounts": "volumes", "volumes": "volumes", "networks": "networks", "name": "container_name"})


def _validate(opts, path):
    """Parse the options as ``container`` does, so a bad value fails here with the compose path."""
    from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import parse_spec

    try:
        parse_spec(dict(opts))
    except SpecError as exc:
        message = str(exc)
        option = message.split(" ", 1)[0].split(".", 1)[0].split(":", 1)[0].split("[", 1)[0]
        key = OPTION_TO_KEY.get(option, option)
        raise ComposeError("%s.%s: %s" % (path, key, message))
