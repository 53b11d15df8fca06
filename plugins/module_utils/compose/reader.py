# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compose reader: Compose files -> checked, normalised and merged documents (pure code).

Steps, each raising :class:`ComposeError` naming the key path (``services.web.ports[0]: ...``):

1. :func:`parse_yaml` reads one file (YAML anchors and merge keys work; a parse error names the line), after
   :func:`check_yaml_budget` has refused a text too large once its aliases are expanded (counted, not
   expanded); :func:`check_tree` bounds every document and definition again and refuses keys that are not
   strings;
2. :func:`interpolate` replaces ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?message}``,
   ``${VAR?message}``, ``${VAR:+other}``, ``${VAR+other}``, ``$VAR`` and ``$$`` in every string value;
3. :func:`check_keys` refuses every key this reader does not support (``x-*`` extensions are allowed
   and skipped; ``version`` is ignored) and every value whose type does not fit its key (:data:`SERVICE_SHAPE`);
4. :func:`normalize_service` gives each service one form (environment, labels, extra_hosts, sysctls as
   maps; networks and depends_on as maps; volumes and ports in long form);
5. :func:`merge` lays later files over earlier ones (see its docstring for the rules).

:func:`load_documents` runs steps 1-4 on each file (or the definition); the standalone host's rules are this
file's, a stack passes the swarm's (:mod:`.stack`). :mod:`.translate` merges the documents and turns them into
container options. :func:`is_extension`, :func:`refuse_unknown`, :func:`string_list` and :func:`string_map` are
the key checks and value forms both translations use.

Reading files is done through a ``read(path) -> text`` callable, so nothing here touches the host.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import math
import re

from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing import forms
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML ships with ansible-core
    yaml = None


class ComposeError(ValueError):
    """A compose file that cannot be used; the message names the file or key path."""


TOP_LEVEL = ("version", "name", "services", "networks", "volumes")
SERVICE_KEYS = (
    "image", "command", "entrypoint", "environment", "env_file", "ports", "expose", "volumes", "networks",
    "network_mode", "restart", "healthcheck", "labels", "user", "working_dir", "hostname", "domainname", "dns",
    "dns_search", "dns_opt", "extra_hosts", "cap_add", "cap_drop", "privileged", "read_only", "tmpfs", "ulimits",
    "sysctls", "logging", "stop_grace_period", "stop_signal", "init", "tty", "stdin_open", "container_name",
    "devices", "depends_on", "deploy", "mem_limit", "mem_reservation", "cpus", "pids_limit", "shm_size",
    "security_opt", "group_add", "pull_policy",
)
NETWORK_KEYS = ("driver", "driver_opts", "attachable", "internal", "external", "name", "ipam", "labels")
VOLUME_KEYS = ("driver", "driver_opts", "external", "name", "labels")
SERVICE_NETWORK_KEYS = ("aliases", "ipv4_address")
DEPENDS_KEYS = ("condition", "required", "restart")
CONDITIONS = ("service_started", "service_healthy", "service_completed_successfully")
HEALTHCHECK_KEYS = ("test", "interval", "timeout", "retries", "start_period", "start_interval", "disable")
LOGGING_KEYS = ("driver", "options")
PORT_KEYS = ("target", "published", "host_ip", "protocol", "mode", "name", "app_protocol")
VOLUME_MOUNT_KEYS = ("type", "source", "target", "read_only", "volume", "bind", "tmpfs", "consistency")
DEPLOY_KEYS = ("resources", "replicas")
RESOURCE_LIMIT_KEYS = ("cpus", "memory", "pids")
RESOURCE_RESERVATION_KEYS = ("memory",)
SERVICE_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")


# --------------------------------------------------------------------------- YAML and interpolation


# Bounds on one document, checked before anything is copied: a few hundred bytes of nested YAML
# aliases ("billion laughs") otherwise expand to gigabytes when the document is interpolated.
MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 50000            # values after alias expansion (every scalar, list and mapping counts one)
MAX_TEXT = 4 * 1024 * 1024   # characters of all scalars after alias expansion
MAX_DEPTH = 64               # nesting of lists and mappings (Compose files use about 6)
MAX_INTERPOLATION_DEPTH = 16  # ${A:-${B:-...}} nesting

_LIMITS = ("the compose reader accepts at most %d bytes per file, %d values and %d characters after YAML "
           "aliases are expanded, and %d levels of nesting" % (MAX_FILE_BYTES, MAX_NODES, MAX_TEXT, MAX_DEPTH))


def _too_big(source, what):
    return ComposeError("%s: refused: %s (%s)" % (source, what, _LIMITS))


def _yaml_loader():
    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def check_yaml_budget(text, source):
    """Refuse a YAML text whose expansion exceeds the bounds, without expanding it.

    One pass over the parser's events (iterative: no recursion however deep the text): each finished
    value's expanded size (values, characters) and depth is summed into its parent, and remembered for
    its anchor so that every alias counts as the whole value it repeats.
    """
    if len(text) > MAX_FILE_BYTES:
        raise _too_big(source, "the file has more than %d bytes" % MAX_FILE_BYTES)
    stack = []     # open collections: [values, characters, depth below, anchor]
    anchors = {}   # anchor -> (values, characters, depth) of the finished value
    total = [0, 0]

    def finished(size, chars, depth, anchor):
        if anchor is not None:
            anchors[anchor] = (size, chars, depth)
        if stack:
            parent = stack[-1]
            parent[0] += size
            parent[1] += chars
            parent[2] = max(parent[2], depth + 1)
            if len(stack) + depth > MAX_DEPTH:
                raise _too_big(source, "values are nested more than %d levels deep" % MAX_DEPTH)
        else:
            total[0] += size
            total[1] += chars
        if total[0] + sum(frame[0] for frame in stack) > MAX_NODES:
            raise _too_big(source, "more than %d values after alias expansion" % MAX_NODES)
        if total[1] + sum(frame[1] for frame in stack) > MAX_TEXT:
            raise _too_big(source, "more than %d characters after alias expansion" % MAX_TEXT)

    for event in yaml.parse(text, Loader=_yaml_loader()):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            stack.append([1, 0, 1, event.anchor])
            if len(stack) > MAX_DEPTH:
                raise _too_big(source, "values are nested more than %d levels deep" % MAX_DEPTH)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            size, chars, depth, anchor = stack.pop()
            finished(size, chars, depth, anchor)
        elif isinstance(event, yaml.ScalarEvent):
            finished(1, len(event.value), 1, event.anchor)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                mark = event.start_mark
                raise ComposeError("%s: line %d column %d: alias *%s refers to no finished anchor (an alias may "
                                   "not repeat a value from inside that value)"
                                   % (source, mark.line + 1, mark.column + 1, event.anchor))
            finished(*(anchors[event.anchor] + (None,)))


def check_tree(data, source):
    """Refuse a parsed value (a YAML document or an inline definition) beyond the bounds or with a key that is
    not a string; iterative, and it stops at the first value over the budget however large ``data`` is."""
    count, chars = 0, 0
    pending = [(data, "", 0)]
    while pending:
        value, path, depth = pending.pop()
        count += 1
        if count > MAX_NODES:
            raise _too_big(source, "more than %d values" % MAX_NODES)
        if depth > MAX_DEPTH:
            raise _too_big(source, "%s: values are nested more than %d levels deep" % (path or "the top", MAX_DEPTH))
        if isinstance(value, str):
            chars += len(value)
            if chars > MAX_TEXT:
                raise _too_big(source, "more than %d characters" % MAX_TEXT)
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise ComposeError("%s: %s: the key %s is a %s; every key must be a string (quote it)"
                                       % (source, path or "the top level", values.shown(key),
                                          type(key).__name__))
                pending.append((item, _join(path, key), depth + 1))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                pending.append((item, "%s[%d]" % (path, index), depth + 1))
        elif isinstance(value, float) and not math.isfinite(value):
            raise ComposeError("%s: %s: %s is not a finite number" % (source, path or "the top level", value))


def parse_yaml(text, source):
    """One compose file's text -> dict; a parse error names ``source`` and the line."""
    if yaml is None:  # pragma: no cover
        raise ComposeError("PyYAML is needed on the managed host to read %s: install python3-yaml (or pip install "
                           "pyyaml) for the Python that runs the module, or give the content inline" % source)
    if not isinstance(text, str):
        raise ComposeError("%s is not text" % source)
    try:
        check_yaml_budget(text, source)
        data = yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = " line %d column %d" % (mark.line + 1, mark.column + 1) if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ComposeError("%s:%s is not valid YAML: %s" % (source, where, problem))
    except ComposeError:
        raise
    except (ValueError, OverflowError) as exc:
        # A scalar the YAML constructor cannot build (a date such as 2024-02-30, an int of 5000 digits).
        raise ComposeError("%s: a value is not valid YAML: %s" % (source, exc))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ComposeError("%s must be a mapping at the top (services:, networks:, ...), got %s"
                           % (source, type(data).__name__))
    return data


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


_BRACE = re.compile(r"[{}]")


def _closing_brace(text, start):
    depth = 1
    for match in _BRACE.finditer(text, start):
        depth += 1 if match.group(0) == "{" else -1
        if depth == 0:
            return match.start()
    return -1


def _cut(text):
    return text if len(text) <= values.SHOWN else text[:values.SHOWN] + "...(%d characters)" % len(text)


def interpolate_string(text, lookup, path, depth=0):
    """Replace the variables in one string; ``lookup(name)`` returns the value or ``None`` when unset."""
    if depth > MAX_INTERPOLATION_DEPTH:
        raise ComposeError("%s: variables are nested more than %d levels deep (${A:-${B:-...}})"
                           % (path, MAX_INTERPOLATION_DEPTH))
    if "$" not in text:
        return text
    out = []
    index = 0
    while index < len(text):
        dollar = text.find("$", index)
        if dollar < 0:
            out.append(text[index:])
            break
        out.append(text[index:dollar])
        index = dollar
        nxt = text[index + 1:index + 2]
        if nxt == "$":
            out.append("$")
            index += 2
            continue
        if nxt == "{":
            end = _closing_brace(text, index + 2)
            if end < 0:
                raise ComposeError("%s: %s has a ${ without its closing }" % (path, values.shown(text)))
            out.append(_expand(text[index + 2:end], lookup, path, text, depth))
            index = end + 1
            continue
        match = _NAME.match(text, index + 1)
        if match:
            value = lookup(match.group(0))
            out.append("" if value is None else value)
            index = match.end()
            continue
        raise ComposeError("%s: %s has a $ that starts no variable; write $$ for a literal $"
                           % (path, values.shown(text)))
    return "".join(out)


def _expand(inner, lookup, path, text, depth):
    match = _NAME.match(inner)
    if not match:
        raise ComposeError("%s: %s: ${%s} is not a variable reference; accepted: ${VAR}, ${VAR:-default}, "
                           "${VAR-default}, ${VAR:?message}, ${VAR?message}, ${VAR:+other}, ${VAR+other}"
                           % (path, values.shown(text), _cut(inner)))
    name = match.group(0)
    rest = inner[match.end():]
    value = lookup(name)
    if not rest:
        if value is None:
            raise ComposeError("%s: variable %s is not set and has no default (write ${%s:-default} or give it "
                               "in env)" % (path, name, name))
        return value
    for operator in (":-", ":?", ":+", "-", "?", "+"):
        if rest.startswith(operator):
            arg = interpolate_string(rest[len(operator):], lookup, path, depth + 1)
            empty_counts = operator.startswith(":")
            unset = value is None or (empty_counts and value == "")
            kind = operator[-1]
            if kind == "-":
                return arg if unset else value
            if kind == "?":
                if unset:
                    raise ComposeError("%s: variable %s is required%s: %s" % (
                        path, name, " (and not empty)" if empty_counts else "", arg or "it is not set"))
                return value
            return "" if unset else arg
    raise ComposeError("%s: %s: ${%s} is not a variable reference; accepted: ${VAR}, ${VAR:-default}, "
                       "${VAR-default}, ${VAR:?message}, ${VAR?message}, ${VAR:+other}, ${VAR+other}"
                       % (path, values.shown(text), _cut(inner)))


def interpolate(data, lookup, path=""):
    """Every string value of ``data`` (recursively; keys are left alone) interpolated."""
    if isinstance(data, dict):
        return dict((key, interpolate(val, lookup, _join(path, key))) for key, val in data.items())
    if isinstance(data, list):
        return [interpolate(val, lookup, "%s[%d]" % (path, index)) for index, val in enumerate(data)]
    if isinstance(data, str):
        return interpolate_string(data, lookup, path)
    return data


def make_lookup(env=None, environ=None):
    """The module's ``env`` first, then the managed host's environment."""
    env = dict((str(k), "" if v is None else str(v)) for k, v in (env or {}).items())
    environ = environ or {}

    def lookup(name):
        if name in env:
            return env[name]
        return environ.get(name)
    return lookup


def _join(path, key):
    return "%s.%s" % (path, key) if path else str(key)


# --------------------------------------------------------------------------- shapes
# What each known key holds, checked (after interpolation) before any value is used, so that a value of
# the wrong type fails naming its key path instead of breaking the code that reads it.


def shape(*kinds, **nested):
    """Accepted kinds (string, number, boolean, list, mapping); ``items``: the shape of a list's items;
    ``fields``: the shapes of a mapping's keys (``"*"`` for every key not named)."""
    return (frozenset(kinds), nested.get("items"), nested.get("fields"))


def _kind(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


_KIND_ORDER = ("string", "number", "boolean", "list", "mapping")


def check_shape(value, expected, path):
    """Refuse ``value`` (``None`` is always accepted: the key is unset) unless it has the ``expected`` shape."""
    if value is None:
        return
    kinds, items, fields = expected
    kind = _kind(value)
    if kind not in kinds:
        names = [k for k in _KIND_ORDER if k in kinds]
        wanted = " or ".join(("an " if k[0] in "aeiou" else "a ") + k for k in names)
        raise ComposeError("%s must be %s, got %s %s" % (path, wanted, "an" if kind[0] in "aeiou" else "a", kind))
    if kind == "list" and items is not None:
        for index, item in enumerate(value):
            check_shape(item, items, "%s[%d]" % (path, index))
    if kind == "mapping" and fields is not None:
        for key, item in value.items():
            field = fields.get(key, fields.get("*"))
            if field is not None and not is_extension(key):
                check_shape(item, field, _join(path, key))


TEXT = shape("string", "number")
SCALAR = shape("string", "number", "boolean")
FLAG = shape("boolean", "string")
TEXTS = shape("string", "list")
KV = shape("list", "mapping", items=shape("string"), fields={"*": SCALAR})
SCALARS = shape("mapping", fields={"*": SCALAR})
HEALTHCHECK_SHAPE = shape("mapping", fields={
    "test": shape("string", "list", items=TEXT), "interval": TEXT, "timeout": TEXT, "retries": TEXT,
    "start_period": TEXT, "start_interval": TEXT, "disable": FLAG})
LOGGING_SHAPE = shape("mapping", fields={"driver": TEXT, "options": SCALARS})
RESOURCES_SHAPE = shape("mapping", fields={
    "limits": shape("mapping", fields={"cpus": TEXT, "memory": TEXT, "pids": TEXT}),
    "reservations": shape("mapping", fields={"cpus": TEXT, "memory": TEXT})})
UPDATE_SHAPE = shape("mapping", fields={"*": TEXT})
DEPLOY_SHAPE = shape("mapping", fields={
    "mode": TEXT, "replicas": TEXT, "labels": KV, "endpoint_mode": TEXT, "resources": RESOURCES_SHAPE,
    "placement": shape("mapping", fields={
        "constraints": TEXTS, "preferences": shape("list", items=SCALARS), "max_replicas_per_node": TEXT}),
    "update_config": UPDATE_SHAPE, "rollback_config": UPDATE_SHAPE, "restart_policy": UPDATE_SHAPE})
PORT_SHAPE = shape("string", "number", "mapping", fields={"*": TEXT})
VOLUME_SHAPE = shape("string", "mapping", fields={
    "type": TEXT, "source": TEXT, "target": TEXT, "read_only": FLAG, "consistency": TEXT,
    "volume": shape("mapping", fields={"nocopy": FLAG}),
    "bind": shape("mapping", fields={"propagation": TEXT, "create_host_path": FLAG}),
    "tmpfs": shape("mapping", fields={"size": TEXT, "mode": TEXT})})
REFERENCE_SHAPE = shape("string", "mapping", fields={"*": TEXT})
SERVICE_SHAPE = shape("mapping", fields={
    "image": TEXT, "command": TEXTS, "entrypoint": TEXTS, "environment": KV, "env_file": TEXTS,
    "ports": shape("list", items=PORT_SHAPE), "expose": TEXTS, "volumes": shape("list", items=VOLUME_SHAPE),
    "networks": shape("list", "mapping", items=shape("string"), fields={"*": shape("mapping", fields={
        "aliases": TEXTS, "ipv4_address": TEXT})}),
    "network_mode": TEXT, "restart": FLAG, "healthcheck": HEALTHCHECK_SHAPE, "labels": KV, "user": TEXT,
    "working_dir": TEXT, "hostname": TEXT, "domainname": TEXT, "dns": TEXTS, "dns_search": TEXTS, "dns_opt": TEXTS,
    "extra_hosts": shape("list", "mapping", items=shape("string"), fields={"*": TEXT}), "cap_add": TEXTS,
    "cap_drop": TEXTS, "privileged": FLAG, "read_only": FLAG, "tmpfs": TEXTS,
    "ulimits": shape("mapping", fields={"*": shape("string", "number", "mapping", fields={"soft": TEXT, "hard": TEXT})}),
    "sysctls": KV, "logging": LOGGING_SHAPE, "stop_grace_period": TEXT, "stop_signal": TEXT, "init": FLAG,
    "tty": FLAG, "stdin_open": FLAG, "container_name": TEXT,
    "devices": shape("list", items=shape("string", "mapping", fields={"*": TEXT})),
    "depends_on": shape("list", "mapping", items=shape("string"), fields={"*": shape("mapping", fields={
        "condition": TEXT, "required": FLAG, "restart": FLAG})}),
    "deploy": DEPLOY_SHAPE, "mem_limit": TEXT, "mem_reservation": TEXT, "cpus": TEXT, "pids_limit": TEXT,
    "shm_size": TEXT, "security_opt": TEXTS, "group_add": TEXTS, "pull_policy": TEXT,
    "secrets": shape("list", items=REFERENCE_SHAPE), "configs": shape("list", items=REFERENCE_SHAPE)})
OBJECT_SHAPE = shape("mapping", fields={
    "driver": TEXT, "driver_opts": SCALARS, "external": shape("boolean", "string", "mapping"), "name": TEXT,
    "labels": KV, "attachable": FLAG, "internal": FLAG, "file": TEXT,
    "ipam": shape("mapping", fields={"driver": TEXT, "config": shape("list", items=shape("mapping", fields={
        "*": TEXT}))})})
DOCUMENT_SHAPE = shape("mapping", fields={
    "version": TEXT, "name": TEXT, "services": shape("mapping"), "networks": shape("mapping"),
    "volumes": shape("mapping"), "secrets": shape("mapping"), "configs": shape("mapping")})


# --------------------------------------------------------------------------- key checks


def is_extension(key):
    """Whether ``key`` is an ``x-*`` extension, which every check skips."""
    return isinstance(key, str) and key.startswith("x-")


def refuse_unknown(mapping, accepted, path, hint=""):
    """Refuse ``mapping`` unless it is a mapping whose keys are all ``accepted`` (or extensions); the error names
    the key's path, adds ``hint`` and lists the accepted keys."""
    if not isinstance(mapping, dict):
        raise ComposeError("%s must be a mapping with keys %s, got %r" % (path, ", ".join(accepted), mapping))
    for key in mapping:
        if is_extension(key) or key in accepted:
            continue
        raise ComposeError("%s: not supported%s. Supported keys here: %s"
                           % (_join(path, key), hint, ", ".join(accepted)))


def check_keys(data, source):
    """Refuse every key we do not read, naming its path."""
    for key in data:
        if is_extension(key) or key in TOP_LEVEL:
            continue
        raise ComposeError("%s: %s: not supported by the compose module (a standalone host). Supported top-level "
                           "keys: %s and x-* extensions" % (source, key, ", ".join(TOP_LEVEL)))
    check_shape(data, DOCUMENT_SHAPE, "")
    services = {} if data.get("services") is None else data["services"]
    if not isinstance(services, dict):
        raise ComposeError("services must be a mapping of service name to its settings")
    for name, service in services.items():
        path = "services.%s" % name
        if service is None:
            service = {}
        if not isinstance(service, dict):
            raise ComposeError("%s must be a mapping of settings, got %r" % (path, service))
        refuse_unknown(service, SERVICE_KEYS, path, " (the compose module runs existing images; build them "
                       "with dockyard.docker.image)" if "build" in service else "")
        check_shape(service, SERVICE_SHAPE, path)
        if isinstance(service.get("healthcheck"), dict):
            refuse_unknown(service["healthcheck"], HEALTHCHECK_KEYS, path + ".healthcheck")
        if isinstance(service.get("logging"), dict):
            refuse_unknown(service["logging"], LOGGING_KEYS, path + ".logging")
        if service.get("deploy") is not None:
            _check_deploy(service["deploy"], path + ".deploy")
        if isinstance(service.get("networks"), dict):
            for net, settings in service["networks"].items():
                if settings is not None:
                    refuse_unknown(settings, SERVICE_NETWORK_KEYS, "%s.networks.%s" % (path, net))
        if isinstance(service.get("depends_on"), dict):
            for dep, settings in service["depends_on"].items():
                if settings is not None:
                    refuse_unknown(settings, DEPENDS_KEYS, "%s.depends_on.%s" % (path, dep))
    for section, accepted in (("networks", NETWORK_KEYS), ("volumes", VOLUME_KEYS)):
        objects = {} if data.get(section) is None else data[section]
        if not isinstance(objects, dict):
            raise ComposeError("%s must be a mapping of name to settings" % section)
        for name, settings in objects.items():
            if settings is not None:
                refuse_unknown(settings, accepted, "%s.%s" % (section, name))
                check_shape(settings, OBJECT_SHAPE, "%s.%s" % (section, name))


def _check_deploy(deploy, path):
    hint = " on a standalone host (deploy settings other than resources belong to a swarm stack)"
    refuse_unknown(deploy, DEPLOY_KEYS, path, hint)
    replicas = deploy.get("replicas")
    if replicas is not None and replicas != 1:
        raise ComposeError("%s.replicas: %r is not supported: the compose module runs one container per service "
                           "(replicas: 1)" % (path, replicas))
    resources = deploy.get("resources") or {}
    refuse_unknown(resources, ("limits", "reservations"), path + ".resources")
    if resources.get("limits") is not None:
        refuse_unknown(resources["limits"], RESOURCE_LIMIT_KEYS, path + ".resources.limits")
    if resources.get("reservations") is not None:
        refuse_unknown(resources["reservations"], RESOURCE_RESERVATION_KEYS, path + ".resources.reservations",
                       " on a standalone host (the engine reserves memory only)")


# --------------------------------------------------------------------------- normal forms


def _kv_list(value, path, separator="="):
    """``["A=1", "B"]`` or ``{A: 1}`` -> dict (a list item without ``=`` maps to ``None``)."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return dict((str(k), v) for k, v in value.items())
    if isinstance(value, list):
        out = {}
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item or item.startswith(separator):
                raise ComposeError("%s[%d]: %r is not KEY%sVALUE" % (path, index, item, separator))
            key, sep, val = item.partition(separator)
            out[key] = val if sep else None
        return out
    raise ComposeError("%s must be a list of KEY%sVALUE or a mapping, got %r" % (path, separator, value))


def string_list(value, path):
    """A string or a list of scalars -> a list of strings (``None`` -> ``[]``)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or any(isinstance(item, (dict, list)) or item is None for item in value):
        raise ComposeError("%s must be a string or a list of strings, got %r" % (path, value))
    return [str(item) for item in value]


def string_map(value, path):
    """``["A=1"]`` or ``{A: 1}`` (labels, driver_opts, logging options) -> ``{str: str}``; a value that is not
    text fails naming ``path``."""
    try:
        return values.string_map(_kv_list(value, path), path) or {}
    except SpecError as exc:
        raise ComposeError(str(exc))


def _extra_hosts(value, path):
    if isinstance(value, dict):
        return dict((str(k), str(v)) for k, v in value.items())
    out = {}
    for index, item in enumerate(string_list(value, path)):
        match = re.match(r"^([^:=\s]+)[:=](.+)$", item)
        if not match:
            raise ComposeError("%s[%d]: %r is not HOST:IP or HOST=IP" % (path, index, item))
        address = match.group(2).strip("[]")
        out[match.group(1)] = address
    return out


def _port_long(item, path):
    if isinstance(item, dict):
        refuse_unknown(item, PORT_KEYS, path)
        if item.get("target") is None:
            raise ComposeError("%s.target is required (the container port)" % path)
        if item.get("mode") not in (None, "host", "ingress"):
            raise ComposeError("%s.mode: %r is not valid; accepted values: host, ingress" % (path, item["mode"]))
        out = dict(target=str(item["target"]), published="" if item.get("published") is None
                   else str(item["published"]), host_ip=str(item.get("host_ip") or ""),
                   protocol=str(item.get("protocol") or "tcp"))
        text = _port_text(out)
    elif isinstance(item, (str, int)) and not isinstance(item, bool):
        text = str(item)
    else:
        raise ComposeError("%s: %r is not a port: use \"[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]\" or a "
                           "mapping with target, published, host_ip, protocol" % (path, item))
    try:
        forms.parse_port(text)
    except SpecError as exc:
        raise ComposeError("%s: %s" % (path, str(exc).replace("published_ports item", "port")))
    return text


def _port_text(port):
    host_ip = port["host_ip"]
    if host_ip and ":" in host_ip:
        host_ip = "[%s]" % host_ip
    text = port["target"]
    if port["published"] or host_ip:
        text = "%s:%s" % (port["published"], text)
    if host_ip:
        text = "%s:%s" % (host_ip, text)
    return "%s/%s" % (text, port["protocol"]) if port["protocol"] != "tcp" else text


def _is_path(source):
    return source.startswith(("/", ".", "~"))


def _volume_long(item, path):
    """A service volume (short or long syntax) -> long form dict with type, source, target, read_only."""
    if isinstance(item, str):
        parts = item.split(":")
        if len(parts) == 1:
            return dict(type="volume", source="", target=parts[0], read_only=False, short=True, mode="")
        if len(parts) > 3 or not parts[0] or not parts[1]:
            raise ComposeError("%s: %r is not a volume: use SOURCE:TARGET[:MODE], TARGET or a mapping with type, "
                               "source, target" % (path, item))
        mode = parts[2] if len(parts) == 3 else ""
        flags = mode.split(",") if mode else []
        return dict(type="bind" if _is_path(parts[0]) else "volume", source=parts[0], target=parts[1],
                    read_only="ro" in flags, short=True, mode=mode)
    if not isinstance(item, dict):
        raise ComposeError("%s: %r is not a volume: use a string or a mapping" % (path, item))
    refuse_unknown(item, VOLUME_MOUNT_KEYS, path)
    kind = item.get("type") or "volume"
    if kind not in ("volume", "bind", "tmpfs"):
        raise ComposeError("%s.type: %r is not supported; accepted values: volume, bind, tmpfs" % (path, kind))
    if not item.get("target"):
        raise ComposeError("%s.target is required (the path in the container)" % path)
    if kind == "bind" and not item.get("source"):
        raise ComposeError("%s.source is required for a bind mount" % path)
    out = dict(type=kind, source=str(item.get("source") or ""), target=str(item["target"]),
               read_only=bool(item.get("read_only")), short=False)
    for key, accepted in (("volume", ("nocopy",)), ("bind", ("propagation", "create_host_path")),
                          ("tmpfs", ("size", "mode"))):
        if item.get(key) is not None:
            refuse_unknown(item[key], accepted, "%s.%s" % (path, key))
            out[key] = dict(item[key])
    return out


def _depends(value, path):
    if isinstance(value, list):
        return dict((str(name), dict(condition="service_started")) for name in string_list(value, path))
    if not isinstance(value, dict):
        raise ComposeError("%s must be a list of services or a mapping of service to {condition}" % path)
    out = {}
    for name, settings in value.items():
        settings = dict(settings or {})
        condition = settings.get("condition") or "service_started"
        if condition not in CONDITIONS:
            raise ComposeError("%s.%s.condition: %r is not valid; accepted values: %s"
                               % (path, name, condition, ", ".join(CONDITIONS)))
        settings["condition"] = condition
        out[str(name)] = settings
    return out


def _service_networks(value, path):
    if isinstance(value, list):
        return dict((name, {}) for name in string_list(value, path))
    if not isinstance(value, dict):
        raise ComposeError("%s must be a list of network names or a mapping" % path)
    return dict((str(name), dict(settings or {})) for name, settings in value.items())


def normalize_service(service, path):
    """One service in a single form, so files merge key by key."""
    service = dict(service or {})
    for key in ("environment", "labels", "sysctls"):
        if key in service:
            service[key] = _kv_list(service[key], "%s.%s" % (path, key))
    if "extra_hosts" in service:
        service["extra_hosts"] = _extra_hosts(service["extra_hosts"], path + ".extra_hosts")
    if "networks" in service:
        service["networks"] = _service_networks(service["networks"], path + ".networks")
    if "depends_on" in service:
        service["depends_on"] = _depends(service["depends_on"], path + ".depends_on")
    if "ports" in service:
        if not isinstance(service["ports"], list):
            raise ComposeError("%s.ports must be a list" % path)
        service["ports"] = [_port_long(item, "%s.ports[%d]" % (path, i)) for i, item in enumerate(service["ports"])]
    if "volumes" in service:
        if not isinstance(service["volumes"], list):
            raise ComposeError("%s.volumes must be a list" % path)
        service["volumes"] = [_volume_long(item, "%s.volumes[%d]" % (path, i))
                              for i, item in enumerate(service["volumes"])]
    for key in ("dns", "dns_search", "dns_opt", "env_file", "tmpfs", "cap_add", "cap_drop", "security_opt",
                "group_add", "expose"):
        if key in service:
            service[key] = string_list(service[key], "%s.%s" % (path, key))
    return service


# --------------------------------------------------------------------------- merge

# Lists that later files extend (items kept once) instead of replacing.
APPENDED = ("ports", "expose", "dns", "dns_search", "dns_opt", "env_file", "tmpfs", "cap_add", "cap_drop",
            "security_opt", "group_add", "devices")
# Maps merged key by key (the later file wins per key).
MERGED = ("environment", "labels", "sysctls", "extra_hosts", "networks", "depends_on", "ulimits")


def _merge_maps(base, override):
    out = dict(base)
    for key, val in override.items():
        if isinstance(val, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_maps(out[key], val)
        else:
            out[key] = copy.deepcopy(val)
    return out


def merge_service(base, override):
    """``override`` laid over ``base`` (both normalised).

    Maps merge key by key, recursively (``environment``, ``labels``, ``networks``, ``healthcheck``,
    ``logging``, ``deploy``, ...); ``volumes`` merge by container path (the later mount for a path
    wins); ``ports``, ``expose``, ``dns``, ``cap_add``, ``cap_drop``, ``tmpfs``, ``env_file``,
    ``devices`` and the other lists of :data:`APPENDED` are extended (each item kept once);
    ``command``, ``entrypoint``, ``healthcheck.test`` and every other value are replaced.
    """
    out = dict(base)
    for key, val in override.items():
        if key in APPENDED and isinstance(out.get(key), list):
            out[key] = list(out[key]) + [item for item in val if item not in out[key]]
        elif key == "volumes" and isinstance(out.get(key), list):
            by_target = dict((v["target"], v) for v in out[key])
            order = [v["target"] for v in out[key]]
            for mount in val:
                if mount["target"] not in by_target:
                    order.append(mount["target"])
                by_target[mount["target"]] = mount
            out[key] = [by_target[target] for target in order]
        elif key in MERGED and isinstance(out.get(key), dict) and isinstance(val, dict):
            out[key] = _merge_maps(out[key], val)
        elif isinstance(val, dict) and isinstance(out.get(key), dict) and key not in ("command", "entrypoint"):
            merged = _merge_maps(out[key], val)
            if key == "healthcheck" and "test" in val:
                merged["test"] = copy.deepcopy(val["test"])
            out[key] = merged
        else:
            out[key] = copy.deepcopy(val)
    return out


def merge(documents):
    """Normalised documents (earliest first) -> one."""
    result = {"services": {}, "networks": {}, "volumes": {}, "secrets": {}, "configs": {}}
    for doc in documents:
        for key, val in doc.items():
            if key == "services":
                for name, service in (val or {}).items():
                    if name in result["services"]:
                        result["services"][name] = merge_service(result["services"][name], service)
                    else:
                        result["services"][name] = service
            elif key in ("networks", "volumes", "secrets", "configs"):
                for name, settings in (val or {}).items():
                    result[key][name] = _merge_maps(result[key].get(name) or {}, settings or {})
            elif key == "name":
                result["name"] = val
    return result


# --------------------------------------------------------------------------- documents


def load_documents(files=None, definition=None, read=None, lookup=None, check=check_keys, normalize=normalize_service):
    """Read, interpolate, check and normalise each file (or the definition); return them in order.

    ``check(data, source)`` and ``normalize(service, path)`` are the standalone host's rules by default; the
    stack reader passes the swarm's.
    """
    if bool(files) == (definition is not None):
        raise ComposeError("give exactly one of files and definition")
    lookup = lookup or make_lookup()
    raw = []
    if files:
        for path in files:
            try:
                text = read(path)
            except (IOError, OSError, UnicodeDecodeError) as exc:
                raise ComposeError("compose file %s cannot be read: %s"
                                   % (path, getattr(exc, "strerror", None) or exc))
            raw.append((path, parse_yaml(text, path)))
    else:
        if not isinstance(definition, dict):
            raise ComposeError("definition must be a mapping (the content of a compose file)")
        check_tree(definition, "definition")
        raw.append(("definition", copy.deepcopy(definition)))
    return [prepare_document(source, data, lookup, check, normalize) for source, data in raw]


# What a bug in this reader would raise on a value it did not foresee: reported as the reader's own error, naming
# the file and the section being read, rather than as a traceback.
UNFORESEEN = (TypeError, AttributeError, KeyError, IndexError, ValueError, OverflowError, RecursionError)


class NamedErrors(object):
    """``with NamedErrors(source, path):`` every error inside names ``source`` (and ``path`` when it had no key path)."""

    def __init__(self, source, path=""):
        self.source = source
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, trace):
        if exc is None:
            return False
        if isinstance(exc, ComposeError):
            message = str(exc)
            if message.startswith(self.source + ":") or message.startswith(self.source + " "):
                return False
            raise ComposeError("%s: %s" % (self.source, message))
        if isinstance(exc, UNFORESEEN):
            raise ComposeError("%s: %s: cannot be read (%s: %s); check the values under that key"
                               % (self.source, self.path or "the document", type(exc).__name__, _cut(str(exc))))
        return False


def prepare_document(source, data, lookup, check=check_keys, normalize=normalize_service):
    """One parsed document: bounded, extensions dropped, interpolated, checked, its services normalised."""
    check_tree(data, source)
    with NamedErrors(source):
        data = dict((k, v) for k, v in data.items() if not is_extension(k))
        data = interpolate(data, lookup)
        check(data, source)
        services = data.get("services") or {}
        normalized = {}
        for name, service in services.items():
            with NamedErrors(source, "services.%s" % name):
                normalized[name] = normalize(service, "services.%s" % name)
        data["services"] = normalized
    return data


def sources_name(files):
    """How an error names the documents of a project once they are merged."""
    return ", ".join(files) if files else "definition"
