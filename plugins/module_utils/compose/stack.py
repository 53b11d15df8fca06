# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compose files -> a Swarm stack: what ``docker stack deploy`` would create (pure code).

The compose reader (:mod:`.reader`) does the parsing, interpolation and merging, and host paths, env files
and ulimits are read as the compose translation (:mod:`.translate`) reads them; this file has the swarm's
rules: which keys a stack accepts, which Docker itself ignores (with a warning, as the CLI prints), and how
each service becomes the options of ``dockyard.docker.swarm_service``. Names and labels are the CLI's, so
``docker stack ls / services / ps / rm`` see a stack deployed here, and a stack the CLI deployed compares equal:

* every object is named ``<stack>_<key>`` unless the file gives ``name:``, and carries the label
  ``com.docker.stack.namespace=<stack>``;
* a service also carries ``com.docker.stack.image`` (the image as written, before any digest was pinned);
* a service joins each of its networks with its own name as an alias, and ``<stack>_default`` when the file
  names no network;
* named volumes of the file become volume mounts named ``<stack>_<key>`` (the engine on each node creates them).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath
import re

from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.compose import reader, translate
from ansible_collections.dockyard.docker.plugins.module_utils.compose.reader import ComposeError
from ansible_collections.dockyard.docker.plugins.module_utils.swarm import options as service_options

NAMESPACE = "com.docker.stack.namespace"
IMAGE_LABEL = "com.docker.stack.image"

TOP_LEVEL = ("version", "name", "services", "networks", "volumes", "secrets", "configs")
SERVICE_KEYS = (
    "image", "command", "entrypoint", "environment", "env_file", "ports", "volumes", "networks", "healthcheck",
    "labels", "user", "working_dir", "hostname", "dns", "dns_search", "dns_opt", "extra_hosts", "cap_add",
    "cap_drop", "read_only", "ulimits", "sysctls", "logging", "stop_grace_period", "stop_signal", "init", "tty",
    "stdin_open", "deploy", "secrets", "configs", "group_add",
)
# Keys docker stack deploy accepts in a file and ignores on a swarm: a warning each, as the CLI prints.
IGNORED_KEYS = (
    "restart", "depends_on", "container_name", "privileged", "devices", "network_mode", "security_opt",
    "shm_size", "expose", "tmpfs", "domainname", "links", "external_links", "cgroup_parent", "pid", "ipc",
    "userns_mode", "mac_address", "pull_policy", "mem_limit", "mem_reservation", "cpus", "pids_limit",
)
DEPLOY_KEYS = ("mode", "replicas", "labels", "placement", "update_config", "rollback_config", "restart_policy",
               "resources", "endpoint_mode")
PLACEMENT_KEYS = ("constraints", "preferences", "max_replicas_per_node")
# The deploy sections that are swarm_service options under another name take that option's keys.
UPDATE_KEYS = service_options.suboptions("update_config")
RESTART_KEYS = service_options.suboptions("restart_config")
RESOURCE_KEYS = service_options.suboptions("limits")
MODES = service_options.MODES
ENDPOINT_MODES = service_options.ENDPOINT_MODES
NETWORK_KEYS = ("driver", "driver_opts", "attachable", "internal", "external", "name", "ipam", "labels")
VOLUME_KEYS = ("driver", "driver_opts", "external", "name", "labels")
OBJECT_KEYS = ("file", "external", "name", "labels")
REFERENCE_KEYS = ("source", "target", "uid", "gid", "mode")
SERVICE_NETWORK_KEYS = ("aliases", "ipv4_address")
PORT_KEYS = ("target", "published", "protocol", "mode")
STACK_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")


class Stack(object):
    """A stack ready to deploy: swarm_service options per service and the objects they need."""

    def __init__(self, name, services, networks, secrets, configs, warnings, working_dir):
        self.name = name
        self.services = services      # {short name: swarm_service options (name = <stack>_<short>)}
        self.networks = networks      # {key: {name, external, driver, driver_opts, attachable, internal, ipam, labels}}
        self.secrets = secrets        # {key: {name, external, file, labels}}
        self.configs = configs        # {key: {name, external, file, labels}}
        self.warnings = warnings
        self.working_dir = working_dir


# --------------------------------------------------------------------------- key checks


def check_keys(data, source):
    """The swarm's accepted keys; everything else fails naming its path."""
    for key in data:
        if not reader.is_extension(key) and key not in TOP_LEVEL:
            raise ComposeError("%s: %s: not supported by a stack. Supported top-level keys: %s and x-* extensions"
                               % (source, key, ", ".join(TOP_LEVEL)))
    reader.check_shape(data, reader.DOCUMENT_SHAPE, "")
    services = {} if data.get("services") is None else data["services"]
    if not isinstance(services, dict):
        raise ComposeError("services must be a mapping of service name to its settings")
    for name, service in services.items():
        path = "services.%s" % name
        service = {} if service is None else service
        if not isinstance(service, dict):
            raise ComposeError("%s must be a mapping of settings, got %r" % (path, service))
        hint = " (a stack runs existing images: build and push them with dockyard.docker.image)" \
            if "build" in service else ""
        reader.refuse_unknown(service, SERVICE_KEYS + IGNORED_KEYS, path, hint)
        reader.check_shape(service, reader.SERVICE_SHAPE, path)
        for key, accepted in (("healthcheck", reader.HEALTHCHECK_KEYS), ("logging", reader.LOGGING_KEYS)):
            if isinstance(service.get(key), dict):
                reader.refuse_unknown(service[key], accepted, "%s.%s" % (path, key))
        if service.get("deploy") is not None:
            _check_deploy(service["deploy"], path + ".deploy")
        if isinstance(service.get("networks"), dict):
            for net, settings in service["networks"].items():
                if settings is not None:
                    reader.refuse_unknown(settings, SERVICE_NETWORK_KEYS, "%s.networks.%s" % (path, net))
    for section, accepted in (("networks", NETWORK_KEYS), ("volumes", VOLUME_KEYS), ("secrets", OBJECT_KEYS),
                              ("configs", OBJECT_KEYS)):
        objects = {} if data.get(section) is None else data[section]
        if not isinstance(objects, dict):
            raise ComposeError("%s must be a mapping of name to settings" % section)
        for name, settings in objects.items():
            if settings is not None:
                reader.refuse_unknown(settings, accepted, "%s.%s" % (section, name))
                reader.check_shape(settings, reader.OBJECT_SHAPE, "%s.%s" % (section, name))


def _check_deploy(deploy, path):
    reader.refuse_unknown(deploy, DEPLOY_KEYS, path)
    for key, accepted in (("placement", PLACEMENT_KEYS), ("update_config", UPDATE_KEYS),
                          ("rollback_config", UPDATE_KEYS), ("restart_policy", RESTART_KEYS),
                          ("resources", ("limits", "reservations"))):
        if deploy.get(key) is not None:
            reader.refuse_unknown(deploy[key], accepted, "%s.%s" % (path, key))
    resources = deploy.get("resources") or {}
    for key in ("limits", "reservations"):
        if resources.get(key) is not None:
            reader.refuse_unknown(resources[key], RESOURCE_KEYS, "%s.resources.%s" % (path, key))


def normalize_service(service, path):
    """The reader's normal form, except ports: a stack keeps each port's mode (ingress or host)."""
    service = dict(service or {})
    ports = service.pop("ports", None)
    service = reader.normalize_service(service, path)
    if ports is not None:
        if not isinstance(ports, list):
            raise ComposeError("%s.ports must be a list" % path)
        service["ports"] = [item for index, port in enumerate(ports)
                            for item in _ports("%s.ports[%d]" % (path, index), port)]
    return service


# --------------------------------------------------------------------------- values


def _number(text, path, what):
    if not re.match(r"^[0-9]{1,5}$", text or ""):
        raise ComposeError("%s: %s is not a %s number (1-65535)" % (path, values.shown(text), what))
    number = int(text)
    if not 0 < number < 65536:
        raise ComposeError("%s: port %d is out of range 1-65535" % (path, number))
    return number


def _range(text, path, what):
    first, sep, last = text.partition("-")
    start = _number(first, path, what)
    end = _number(last, path, what) if sep else start
    if end < start:
        raise ComposeError("%s: %r is not a range (the end is lower than the start)" % (path, text))
    return list(range(start, end + 1))


def _ports(path, item):
    """One compose port (short or long syntax) -> publish items of swarm_service."""
    if isinstance(item, dict):
        reader.refuse_unknown(item, PORT_KEYS, path)
        if item.get("target") is None:
            raise ComposeError("%s.target is required (the port inside the task)" % path)
        mode = item.get("mode") or "ingress"
        if mode not in ("ingress", "host"):
            raise ComposeError("%s.mode: %r is not valid; accepted values: ingress, host" % (path, mode))
        protocol = str(item.get("protocol") or "tcp")
        out = dict(target_port=_number(str(item["target"]), path + ".target", "port"), protocol=protocol, mode=mode)
        if item.get("published") not in (None, ""):
            out["published_port"] = _number(str(item["published"]), path + ".published", "port")
        return [out]
    if isinstance(item, bool) or not isinstance(item, (str, int)):
        raise ComposeError("%s: %r is not a port: use \"[PUBLISHED:]TARGET[/PROTOCOL]\" or a mapping with target, "
                           "published, protocol, mode" % (path, item))
    text, _sep, protocol = str(item).partition("/")
    parts = text.split(":")
    if len(parts) > 2:
        raise ComposeError("%s: %r is not a stack port: use [PUBLISHED:]TARGET[/PROTOCOL] (a swarm service cannot "
                           "bind a host IP)" % (path, item))
    targets = _range(parts[-1], path, "port")
    published = _range(parts[0], path, "port") if len(parts) == 2 else [None] * len(targets)
    if len(published) != len(targets):
        raise ComposeError("%s: %r: the published and target ranges differ in length" % (path, item))
    out = []
    for target, public in zip(targets, published):
        port = dict(target_port=target, protocol=protocol or "tcp", mode="ingress")
        if public is not None:
            port["published_port"] = public
        out.append(port)
    return out


def _scoped(stack, key, settings):
    return str(settings.get("name") or "%s_%s" % (stack, key))


def _object(stack, key, settings, path, kind, working_dir):
    settings = dict(settings or {})
    labels = reader.string_map(settings.get("labels"), path + ".labels")
    if settings.get("external"):
        if isinstance(settings["external"], dict):
            raise ComposeError("%s.external: use external: true and name: (the external.name form is not "
                               "supported)" % path)
        return dict(key=key, name=str(settings.get("name") or key), external=True)
    if kind in ("secret", "config"):
        if not settings.get("file"):
            raise ComposeError("%s: give file: (the content, a path on the managed host) or external: true" % path)
        labels[NAMESPACE] = stack
        return dict(key=key, name=_scoped(stack, key, settings), external=False, labels=labels,
                    file=translate.host_path(str(settings["file"]), working_dir, path + ".file"))
    if kind == "network":
        driver = str(settings.get("driver") or "overlay")
        if driver != "overlay":
            raise ComposeError("%s.driver: %r cannot span a swarm; a stack's networks use driver overlay (or name "
                               "an existing network with external: true)" % (path, driver))
        ipam = settings.get("ipam") or {}
        reader.refuse_unknown(ipam, ("driver", "config"), path + ".ipam")
        pools = ipam.get("config") or []
        if not isinstance(pools, list):
            raise ComposeError("%s.ipam.config must be a list of {subnet, gateway}" % path)
        for index, pool in enumerate(pools):
            reader.refuse_unknown(pool, ("subnet", "gateway"), "%s.ipam.config[%d]" % (path, index))
        labels[NAMESPACE] = stack
        return dict(key=key, name=_scoped(stack, key, settings), external=False, driver=driver,
                    driver_opts=reader.string_map(settings.get("driver_opts"), path + ".driver_opts"),
                    attachable=bool(settings.get("attachable")), internal=bool(settings.get("internal")),
                    ipam=dict(driver=ipam.get("driver"), config=[dict(p) for p in pools]), labels=labels)
    # volume: created by the engine on the node that runs the task; the mount carries its settings
    labels[NAMESPACE] = stack
    return dict(key=key, name=_scoped(stack, key, settings), external=False, labels=labels,
                driver=settings.get("driver"),
                driver_opts=reader.string_map(settings.get("driver_opts"), path + ".driver_opts"))


def _references(kind, refs, declared, path):
    """A service's secrets/configs (short or long form) -> swarm_service secrets/configs items."""
    out = []
    for index, ref in enumerate(refs or []):
        where = "%s[%d]" % (path, index)
        if isinstance(ref, str):
            ref = {"source": ref}
        if not isinstance(ref, dict):
            raise ComposeError("%s: %r is not a %s reference: a name or {source, target, uid, gid, mode}"
                               % (where, ref, kind))
        reader.refuse_unknown(ref, REFERENCE_KEYS, where)
        source = ref.get("source")
        if source not in declared:
            raise ComposeError("%s: %s %r is not declared under the top-level %ss (declared: %s)"
                               % (where, kind, source, kind, ", ".join(sorted(declared)) or "none"))
        item = {"%s_name" % kind: declared[source]["name"], "filename": str(ref.get("target") or source)}
        for key in ("uid", "gid"):
            if ref.get(key) is not None:
                item[key] = str(ref[key])
        if ref.get("mode") is not None:
            try:
                item["mode"] = values.file_mode(ref["mode"], where + ".mode")
            except values.SpecError as exc:
                raise ComposeError(str(exc))
        out.append(item)
    return out


def _mounts(mounts, volumes, working_dir, path):
    out = []
    for index, mount in enumerate(mounts or []):
        where = "%s[%d]" % (path, index)
        item = dict(type=mount["type"], target=mount["target"], readonly=bool(mount["read_only"]))
        source = mount["source"]
        if mount["type"] == "volume" and source:
            if source not in volumes:
                raise ComposeError("%s: volume %s is not declared under the top-level volumes (declared: %s)"
                                   % (where, source, ", ".join(sorted(volumes)) or "none"))
            volume = volumes[source]
            item["source"] = volume["name"]
            if not volume["external"]:
                item["labels"] = volume["labels"]
                if volume.get("driver"):
                    item["driver"] = volume["driver"]
                    item["driver_opts"] = volume["driver_opts"]
        elif mount["type"] == "bind":
            item["source"] = translate.host_path(source, working_dir, where)
            if (mount.get("bind") or {}).get("propagation"):
                raise ComposeError("%s.bind.propagation: not supported by a swarm service mount" % where)
        tmpfs = mount.get("tmpfs") or {}
        if tmpfs.get("size") is not None:
            item["tmpfs_size"] = str(tmpfs["size"])
        if tmpfs.get("mode") is not None:
            item["tmpfs_mode"] = tmpfs["mode"]
        if (mount.get("volume") or {}).get("nocopy"):
            raise ComposeError("%s.volume.nocopy: not supported by a swarm service mount" % where)
        if mount.get("mode") and set(mount["mode"].split(",")) - set(["ro", "rw"]):
            raise ComposeError("%s: mode %r: a swarm service mount takes ro or rw only" % (where, mount["mode"]))
        out.append(item)
    return out


def _healthcheck(check):
    if check is None:
        return None
    return dict((k, v) for k, v in check.items() if v is not None)


def _deploy(deploy, params, path):
    deploy = deploy or {}
    mode = deploy.get("mode")
    if mode is not None:
        if mode not in MODES:
            raise ComposeError("%s.mode: %r is not valid; accepted values: %s" % (path, mode, ", ".join(MODES)))
        params["mode"] = mode
    replicas = deploy.get("replicas")
    if replicas is not None:
        if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 0:
            raise ComposeError("%s.replicas: %r is not valid: an integer >= 0 (0 stops every task)" % (path, replicas))
        if mode in ("global", "global-job"):
            raise ComposeError("%s.replicas: a %s service runs one task per node; remove replicas" % (path, mode))
        params["replicas"] = replicas
    if deploy.get("endpoint_mode") is not None:
        if deploy["endpoint_mode"] not in ENDPOINT_MODES:
            raise ComposeError("%s.endpoint_mode: %r is not valid; accepted values: %s"
                               % (path, deploy["endpoint_mode"], ", ".join(ENDPOINT_MODES)))
        params["endpoint_mode"] = deploy["endpoint_mode"]
    placement = deploy.get("placement")
    if placement:
        out = {}
        if placement.get("constraints") is not None:
            out["constraints"] = reader.string_list(placement["constraints"], path + ".placement.constraints")
        if placement.get("preferences") is not None:
            out["preferences"] = [dict(p) for p in placement["preferences"]]
        if placement.get("max_replicas_per_node") is not None:
            out["max_replicas"] = placement["max_replicas_per_node"]
        params["placement"] = out
    for key, option in (("update_config", "update_config"), ("rollback_config", "rollback_config"),
                        ("restart_policy", "restart_config")):
        if deploy.get(key) is not None:
            params[option] = dict((k, v) for k, v in deploy[key].items() if v is not None)
    resources = deploy.get("resources")
    if resources:
        params["resources"] = dict((k, dict(v)) for k, v in resources.items() if v)
    return reader.string_map(deploy.get("labels"), path + ".labels")


# compose key -> swarm_service option, for values that pass through as they are (the option table says which).
SIMPLE = service_options.COMPOSE_KEYS


def service_options(stack, key, service, networks, volumes, secrets, configs, working_dir, read, lookup):
    """One compose service -> (options of ``dockyard.docker.swarm_service``, warnings)."""
    path = "services.%s" % key
    warnings = ["%s.%s: ignored by a swarm stack (as docker stack deploy ignores it)" % (path, k)
                for k in IGNORED_KEYS if k in service]
    if not service.get("image"):
        raise ComposeError("%s.image is required (build is not supported: build and push the image with "
                           "dockyard.docker.image and name it here)" % path)
    image = str(service["image"])
    params = dict(name="%s_%s" % (stack, key), image=image)
    for compose_key, option in (("entrypoint", "command"), ("command", "args")):
        if service.get(compose_key) is not None:
            try:
                params[option] = values.command(service[compose_key], "%s.%s" % (path, compose_key))
            except values.SpecError as exc:
                raise ComposeError(str(exc))
    for compose_key, option in SIMPLE.items():
        if service.get(compose_key) is not None:
            params[option] = service[compose_key]
    env = translate.read_env_files(service.get("env_file") or [], working_dir, read, key)
    for name, val in (service.get("environment") or {}).items():
        if val is None:
            val = lookup(name)
            if val is None:
                continue
        env[name] = str(val).lower() if isinstance(val, bool) else str(val)
    if env:
        params["env"] = env
    if service.get("extra_hosts"):
        params["hosts"] = dict(service["extra_hosts"])
    if service.get("sysctls"):
        params["sysctls"] = dict((k, str(v)) for k, v in service["sysctls"].items())
    if service.get("ulimits") is not None:
        params["ulimits"] = translate.ulimits(service["ulimits"], path + ".ulimits")
    if service.get("healthcheck") is not None:
        params["healthcheck"] = _healthcheck(service["healthcheck"])
    logging = service.get("logging")
    if logging:
        if logging.get("options") and not logging.get("driver"):
            raise ComposeError("%s.logging.options needs logging.driver" % path)
        params["logging"] = dict(driver=logging.get("driver"),
                                 options=reader.string_map(logging.get("options"), path + ".logging.options"))
    if service.get("ports"):
        params["publish"] = list(service["ports"])
    mounts = _mounts(service.get("volumes"), volumes, working_dir, path + ".volumes")
    if mounts:
        params["mounts"] = mounts
    params["secrets"] = _references("secret", service.get("secrets"), secrets, path + ".secrets")
    params["configs"] = _references("config", service.get("configs"), configs, path + ".configs")
    attached = service.get("networks") or {"default": {}}
    params["networks"] = []
    for net in sorted(attached):
        settings = attached[net] or {}
        if net not in networks:
            raise ComposeError("%s.networks.%s: network %s is not declared under the top-level networks "
                               "(declared: %s)" % (path, net, net, ", ".join(sorted(networks)) or "none"))
        if settings.get("ipv4_address"):
            warnings.append("%s.networks.%s.ipv4_address: ignored by a swarm stack (as docker stack deploy "
                            "ignores it)" % (path, net))
        aliases = reader.string_list(settings.get("aliases"), "%s.networks.%s.aliases" % (path, net))
        params["networks"].append(dict(name=networks[net]["name"], aliases=aliases + [key]))
    labels = _deploy(service.get("deploy"), params, path + ".deploy")
    params.setdefault("endpoint_mode", "vip")  # the CLI always writes the endpoint mode
    labels.update({NAMESPACE: stack, IMAGE_LABEL: image})
    params["labels"] = labels
    container_labels = reader.string_map(service.get("labels"), path + ".labels")
    container_labels[NAMESPACE] = stack
    params["container_labels"] = container_labels
    return params, warnings


def stack_name(name):
    text = str(name or "")
    if not STACK_RE.match(text):
        raise ComposeError("name %r is not a valid stack name: letters, digits, _, . and -, starting with a letter "
                           "or digit" % text)
    return text


def load_stack(name, sources, env=None, environ=None, read=None):
    """``sources`` (paths on the managed host, read through ``read``, or inline dicts) -> :class:`Stack`."""
    name = stack_name(name)
    lookup = reader.make_lookup(env, environ)
    if not sources:
        raise ComposeError("compose: give at least one compose file path or inline definition")
    documents, paths = [], []
    for index, source in enumerate(sources):
        if isinstance(source, dict):
            documents.append(reader.prepare_document("compose[%d]" % index, source, lookup, check_keys,
                                                     normalize_service))
            continue
        if not isinstance(source, str) or not source:
            raise ComposeError("compose[%d]: %r is neither a path nor a mapping" % (index, source))
        try:
            text = read(source)
        except (IOError, OSError, UnicodeDecodeError) as exc:
            raise ComposeError("compose[%d]: compose file %s cannot be read: %s"
                               % (index, source, getattr(exc, "strerror", None) or exc))
        paths.append(source)
        documents.append(reader.prepare_document(source, reader.parse_yaml(text, source), lookup, check_keys,
                                                 normalize_service))
    with reader.NamedErrors(reader.sources_name(paths) if paths else "compose"):
        return _stack(name, documents, paths, read, lookup)


def _stack(name, documents, paths, read, lookup):
    data = reader.merge(documents)
    working_dir = posixpath.dirname(paths[0]) if paths else None
    if not data["services"]:
        raise ComposeError("services: the stack defines no service")
    objects = {}
    for section, kind in (("networks", "network"), ("volumes", "volume"), ("secrets", "secret"),
                          ("configs", "config")):
        objects[section] = dict((key, _object(name, key, settings, "%s.%s" % (section, key), kind, working_dir))
                                for key, settings in data[section].items())
    if "default" not in objects["networks"]:
        objects["networks"]["default"] = _object(name, "default", {}, "networks.default", "network", working_dir)
    services, warnings = {}, []
    for key in sorted(data["services"]):
        if not reader.SERVICE_RE.match(key):
            raise ComposeError("services.%s: the service name may use [a-zA-Z0-9_.-], starting with a letter or "
                               "digit" % key)
        with reader.NamedErrors(reader.sources_name(paths) if paths else "compose", "services.%s" % key):
            params, notes = service_options(name, key, data["services"][key], objects["networks"],
                                            objects["volumes"], objects["secrets"], objects["configs"], working_dir,
                                            read, lookup)
        services[key] = params
        warnings.extend(notes)
    used = set(n["name"] for params in services.values() for n in params["networks"])
    networks = dict((k, v) for k, v in objects["networks"].items() if v["name"] in used)
    used_secrets = set(s["secret_name"] for p in services.values() for s in p["secrets"])
    used_configs = set(c["config_name"] for p in services.values() for c in p["configs"])
    secrets = dict((k, v) for k, v in objects["secrets"].items() if v["name"] in used_secrets)
    configs = dict((k, v) for k, v in objects["configs"].items() if v["name"] in used_configs)
    return Stack(name, services, networks, secrets, configs, warnings, working_dir)


CLI_PRIVILEGES = {"CredentialSpec": None, "SELinuxContext": None}


def with_cli_privileges(spec):
    """``spec`` with the empty ``Privileges`` that ``docker stack deploy`` always writes.

    The engine compares task templates whole: without it, a CLI deploy over a stack deployed here would
    replace every task once, though nothing changed.
    """
    container = spec["TaskTemplate"]["ContainerSpec"]
    container.setdefault("Privileges", dict(CLI_PRIVILEGES))
    return spec
