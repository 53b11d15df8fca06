# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a user asked a container to be, and how that differs from what the engine has.

Pure code (no engine access), driven by the option table in ``options.py``:
:func:`parse_spec` parses every option given into a :class:`ContainerSpec`, which
builds the engine's create request (:meth:`ContainerSpec.create_request`), compares
itself with the engine's inspect data (:meth:`ContainerSpec.compare`) and builds the
body of an in-place update (:meth:`ContainerSpec.update_body`).  Only the options that
are given are compared, each under its comparison mode.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.dockyard.docker.plugins.module_utils.parsing import forms
from ansible_collections.dockyard.docker.plugins.module_utils.engine.address import EngineAddressError, parse_engine_address
from ansible_collections.dockyard.docker.plugins.module_utils.container.options import (
    BY_NAME,
    COMPARISONS,
    COMPATIBILITY_DEFAULTS,
    OPTIONS,
    argument_spec,
)
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.images import with_default_tag
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError

try:
    from ansible_collections.dockyard.docker.plugins.module_utils.client import OWNER_LABEL
except ImportError:  # pragma: no cover - client needs ansible; keep the pure code importable
    OWNER_LABEL = "io.dockyard.managed"

# Written on every container this collection creates, next to OWNER_LABEL (labels cannot change after
# creation, so both are set at create time and never compared):
# - the name the container was created under: a container found under the aside name of X is one a
#   recreate of X set aside only when it says it was created as X (see plan.is_set_aside);
# - its owner: ``containers`` with ``prune`` removes only containers of its own owner.
NAME_LABEL = "io.dockyard.created-as"
OWNER_SCOPE_LABEL = "io.dockyard.owner"
DEFAULT_OWNER = "default"
OWN_LABELS = (OWNER_LABEL, NAME_LABEL, OWNER_SCOPE_LABEL)
_OWNER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\Z")

UPDATE = "update"
RECREATE = "recreate"

__all__ = ["SpecError", "ContainerSpec", "parse_spec", "container_argument_spec", "UPDATE", "RECREATE"]


def parse_owner(value, option="owner"):
    """The owner a container is labelled with (``None`` -> :data:`DEFAULT_OWNER`), validated."""
    if value is None:
        return DEFAULT_OWNER
    if not isinstance(value, str) or not _OWNER_RE.match(value):
        raise SpecError("%s %r is not valid: use 1 to 128 characters of [A-Za-z0-9_.-], starting with a letter or "
                        "digit (default %s)" % (option, value, DEFAULT_OWNER))
    return value


def owner_of(labels):
    """The owner of a container from its labels; ``None`` when this collection did not create it.

    Containers created by versions that wrote only ``io.dockyard.managed=true`` belong to the default owner.
    """
    labels = labels or {}
    if OWNER_LABEL not in labels:
        return None
    return labels.get(OWNER_SCOPE_LABEL) or DEFAULT_OWNER


def container_argument_spec():
    return argument_spec()


class Difference(object):
    __slots__ = ("option", "before", "after", "kind")

    def __init__(self, option, before, after, kind):
        self.option = option
        self.before = before
        self.after = after
        self.kind = kind

    def __repr__(self):
        return "Difference(%r, %r, %r, %r)" % (self.option, self.before, self.after, self.kind)


class Context(object):
    """What a comparison needs besides the two values: the image's own settings and the peers."""

    def __init__(self, spec, image=None, peers=None):
        image_config = (image or {}).get("Config") or {}
        self.image_env = forms.env_from_engine(image_config.get("Env"))
        self.image_exposed = sorted(image_config.get("ExposedPorts") or {})
        image_labels = image_config.get("Labels") or {}
        given_labels = spec.values.get("labels") or {}
        self.ignored_labels = list(OWN_LABELS) + [key for key in image_labels if key not in given_labels]
        self.env_file = spec.env_file
        self.given_env = dict(spec.env_file, **(spec.values.get("env") or {}))
        self.published = sorted(spec.values.get("published_ports") or {})
        self.wanted_anonymous = (spec.values.get("volumes") or ([], []))[1]
        self.wanted_networks = spec.values.get("networks") or []
        self.wanted_healthcheck_keys = sorted(spec.values.get("healthcheck") or {})
        self.network_mode = spec.values.get("network_mode")
        # ``container:NAME`` modes (network, IPC, PID): the engine stores the peer's ID; NAME -> ID.
        self.peers = peers or {}
        self.wanted_modes = dict((key, spec.values.get(key) or "") for key in ("network_mode", "ipc_mode", "pid_mode"))


def _differs(option, mode, want, have):
    if option.kind == "set":
        want = sorted(option.elements(want), key=repr)
        have = sorted(option.elements(have), key=repr)
    if mode == "allow_more_present":
        if option.kind == "dict":
            return any(key not in (have or {}) or have[key] != val for key, val in (want or {}).items())
        return any(item not in (have or []) for item in want or [])
    return want != have


def parse_comparisons(value):
    """``comparisons`` -> ``{option: mode}`` for every comparable option given a mode (``*`` expanded)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SpecError("comparisons must be a dict of option: strict | ignore | allow_more_present")
    names = dict((option.name, option.name) for option in OPTIONS if option.comparable)
    names["image"] = "image"
    for option in OPTIONS:
        for alias in option.spec.get("aliases") or []:
            if option.comparable:
                names[alias] = option.name
    modes = {}
    wildcard = value.get("*")
    if wildcard is not None:
        if wildcard not in ("strict", "ignore"):
            raise SpecError("comparisons.* %r is not valid. Accepted values: strict, ignore" % (wildcard,))
        modes = dict((name, wildcard) for name in set(names.values()))
    for key, mode in value.items():
        if key == "*":
            continue
        if key not in names:
            raise SpecError("comparisons: %r is not an option that is compared. Accepted keys: *, %s"
                            % (key, ", ".join(sorted(names))))
        if mode not in COMPARISONS:
            raise SpecError("comparisons.%s %r is not valid. Accepted values: %s" % (key, mode, ", ".join(COMPARISONS)))
        option = BY_NAME.get(names[key])
        if mode == "allow_more_present" and (option is None or option.kind == "value"):
            raise SpecError("comparisons.%s: allow_more_present only applies to lists and dicts; %s is a single "
                            "value. Accepted values: strict, ignore" % (key, key))
        modes[names[key]] = mode
    return modes


def _defaulted(params):
    """Params with every steering default filled in (AnsibleModule does it too; direct callers may not)."""
    out = dict(params)
    for option in OPTIONS:
        if out.get(option.name) is None and "default" in option.spec:
            out[option.name] = option.spec["default"]
    if out.get("container_default_behavior") == "compatibility":
        for key, value in COMPATIBILITY_DEFAULTS.items():
            if out.get(key) is None:
                out[key] = value
    return out


class ContainerSpec(object):
    """Normalised desired state of one container: ``values`` holds every option given, parsed."""

    def __init__(self, params):
        params = _defaulted(params)
        self.params = params
        self.owner = parse_owner(params.get("owner"))
        self.values = {}
        for option in OPTIONS:
            raw = params.get(option.name)
            if raw is None:
                continue
            parsed = option.parse(raw, params, option.name)
            if parsed is not None:
                self.values[option.name] = parsed
        if params.get("restart_retries") is not None and params.get("restart_policy") is None:
            raise SpecError("restart_retries is only valid together with restart_policy: on-failure; "
                            "restart_policy is not set")
        self.env_file = {}
        if self.values.get("env_file"):
            self.env_file = forms.read_env_file(self.values["env_file"])
            self.values.setdefault("env", {})
        self.comparisons = parse_comparisons(params.get("comparisons"))
        self._check_together()
        # For the module to pass on (module.warn): accepted options that have no effect.
        self.warnings = []
        if self.values.get("kernel_memory") is not None:
            self.warnings.append("container %s: kernel_memory is ignored (the engine no longer sets kernel memory "
                                 "limits); remove it from the task" % self.values.get("name", "?"))
        self.discarded = set()

    def skip_what_the_engine_discards(self, docker_host, cgroup_root=None):
        """Options the local engine's kernel discards (it warns and stores nothing): still sent, never compared,
        so an unchanged task stays unchanged.  The modules call this once they know the engine's address."""
        if self.values.get("blkio_weight") and blkio_weight_discarded(docker_host, cgroup_root):
            self.discarded.add("blkio_weight")
            self.warnings.append("container %s: this host's kernel has no block I/O weight support, so the engine "
                                 "discards blkio_weight; it is not compared" % self.values.get("name", "?"))

    def _check_together(self):
        v = self.values
        if v.get("log_options") and not v.get("log_driver"):
            raise SpecError("log_options needs log_driver (e.g. json-file, local, journald)")
        mode = v.get("network_mode") or ""
        if v.get("networks") and mode and mode not in [n["name"] for n in v["networks"]]:
            if mode in ("host", "none") or mode.startswith("container:"):
                raise SpecError("networks cannot be combined with network_mode %s; drop one of them" % mode)
        swap, memory = v.get("memory_swap"), v.get("memory")
        if swap not in (None, -1, 0) and memory and swap < memory:
            raise SpecError("memory_swap (%d bytes) must be at least memory (%d bytes), or -1 for unlimited swap"
                            % (swap, memory))
        if swap not in (None, -1, 0) and not memory:
            raise SpecError("memory_swap needs memory: give the memory limit as well")

    # ---- steering values

    def __getattr__(self, name):
        # name, image, state, pull, recreate, force_kill, ... : the parsed value, or the option's default.
        option = BY_NAME.get(name)
        if option is None or name.startswith("_"):
            raise AttributeError(name)
        if name in self.values:
            return self.values[name]
        return self.params.get(name)

    @property
    def restart_policy(self):
        return self.values.get("restart_policy")

    @property
    def networks(self):
        return self.values.get("networks")

    @property
    def network_mode(self):
        return self.values.get("network_mode")

    def mode(self, name):
        """The comparison mode of an option: ``comparisons``, else the table's default."""
        if name in self.discarded:
            return "ignore"
        if name in self.comparisons:
            return self.comparisons[name]
        option = BY_NAME.get(name)
        return option.compare if option is not None else "strict"

    # ---- create

    def create_request(self, image=None, ctx=None):
        """``(body, query)`` of ``POST /containers/create`` (raw engine JSON)."""
        ctx = ctx or Context(self)
        request = {"Config": {"Image": image or self.image}, "HostConfig": {}, "query": {}}
        for option in OPTIONS:
            if option.put is not None and option.name in self.values:
                option.put(request, self.values[option.name], ctx)
        labels = request["Config"].setdefault("Labels", {})
        labels[OWNER_LABEL] = "true"
        labels[NAME_LABEL] = self.name
        labels[OWNER_SCOPE_LABEL] = self.owner
        body = dict(request["Config"])
        body["HostConfig"] = request["HostConfig"]
        if "NetworkingConfig" in request:
            body["NetworkingConfig"] = request["NetworkingConfig"]
        return body, request["query"]

    def create_config(self, image=None):
        return self.create_request(image)[0]

    def extra_networks(self):
        """Networks to connect after create (the first one is joined at create time)."""
        return list(self.networks[1:]) if self.networks else []

    # ---- compare

    def _compared(self):
        for option in OPTIONS:
            if option.comparable and option.name in self.values and self.mode(option.name) != "ignore":
                yield option

    def desired_view(self, image_id=None):
        """Display form of every compared option (the ``after`` of the diff)."""
        view = {}
        if self.image is not None:
            view["image"] = image_id or self.image
        for option in self._compared():
            value = self.values[option.name]
            if option.name == "env":
                value = dict(self.env_file, **value)
            view[option.name] = option.show(value)
        return view

    def actual_view(self, inspect, ctx=None):
        ctx = ctx or Context(self)
        view = {}
        if self.image is not None:
            view["image"] = inspect.get("Image")
        for option in self._compared():
            view[option.name] = option.show(option.read(inspect, ctx))
        return view

    def compare(self, inspect, image_id=None, ctx=None):
        """Differences between this spec and a container's inspect data, each classified."""
        ctx = ctx or Context(self)
        differences = []
        if self.image is not None and self.mode("image") != "ignore":
            if image_id is None or inspect.get("Image") != image_id:
                differences.append(Difference("image", inspect.get("Image"), image_id or self.image, RECREATE))
            else:
                configured = (inspect.get("Config") or {}).get("Image") or ""
                if (self.image_name_mismatch == "recreate" and configured and not configured.startswith("sha256:")
                        and with_default_tag(configured) != with_default_tag(self.image)):
                    differences.append(Difference("image", configured, self.image, RECREATE))
        for option in self._compared():
            want = self.values[option.name]
            if option.name == "env":
                want = ctx.given_env
            have = option.read(inspect, ctx)
            if _differs(option, self.mode(option.name), want, have):
                kind = UPDATE if option.can_update(want) else RECREATE
                differences.append(Difference(option.name, option.show(have), option.show(want), kind))
        return differences

    def update_body(self, differences):
        """Body of ``POST /containers/{id}/update`` for the live differences."""
        body = {}
        for diff in differences:
            option = BY_NAME.get(diff.option)
            if diff.kind != UPDATE or option is None:
                continue
            value = self.values[option.name]
            body[option.live] = value.to_engine() if option.name == "restart_policy" else value
        if "Memory" in body and "memory_swap" not in self.values:
            # Keep the engine's own default (swap limit = twice the memory limit); without it a raise
            # above the swap limit set at creation is refused.
            body["MemorySwap"] = 2 * body["Memory"]
        return body


CGROUP_ROOT = "/sys/fs/cgroup"
BLKIO_WEIGHT_FILES = ("blkio/blkio.weight", "blkio/blkio.bfq.weight", "io.weight", "io.bfq.weight")


def blkio_weight_discarded(docker_host, cgroup_root=None):
    """True when the engine is this host's and its kernel has no block I/O weight control (cgroup v1 or v2).

    Only a local engine can be judged (the module runs on its host); for any other, or when the cgroup
    filesystem cannot be read, the answer is False and the option is compared as usual.
    """
    if docker_host:
        try:
            if parse_engine_address(docker_host).scheme != "unix":
                return False
        except EngineAddressError:
            return False  # the connection refuses it with its own message
    root = cgroup_root or CGROUP_ROOT
    if not os.path.isdir(root) or not (os.path.isdir(os.path.join(root, "blkio"))
                                       or os.path.exists(os.path.join(root, "cgroup.controllers"))):
        return False
    return not any(os.path.exists(os.path.join(root, name)) for name in BLKIO_WEIGHT_FILES)


def parse_spec(params):
    """Validate and normalise container options; raise :class:`SpecError` naming the bad option."""
    return ContainerSpec(params)
