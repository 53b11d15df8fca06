# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the two inventory plugins share: group names, filters, caching, adding hosts.

A plugin turns what it read from the engines into host records ``(name, host vars, default groups)``
(pure functions, in the plugin); :class:`EngineInventory` checks the configuration file's name, reads
through Ansible's inventory cache, applies ``filters``, adds the host, its variables and default groups,
then Ansible's constructed options (``compose``, ``groups``, ``keyed_groups``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

try:
    from ansible.utils.unsafe_proxy import wrap_var
except ImportError:  # pragma: no cover - every supported ansible-core has it
    def wrap_var(value):
        return value

_UNSAFE_GROUP_CHARS = re.compile(r"[^A-Za-z0-9_]")


def safe_group_name(*parts):
    """Pure: ``("docker_label", "com.example/tier", "web")`` -> ``docker_label_com_example_tier_web``.

    Every character that is not a letter, digit or ``_`` becomes ``_`` (group names are
    Python identifiers), so a name never depends on Ansible's group-name settings.
    """
    return _UNSAFE_GROUP_CHARS.sub("_", "_".join(str(part) for part in parts if part != ""))


def label_groups(prefix, labels):
    """Pure: one group per label, ``<prefix>_<key>_<value>`` (``<prefix>_<key>`` for an empty value)."""
    return [safe_group_name(prefix, key, value) for key, value in sorted((labels or {}).items())]


def check_filters(filters):
    """Pure: each filter is a dict with exactly one of ``include``/``exclude`` (a Jinja condition)."""
    for index, item in enumerate(filters or []):
        if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in ("include", "exclude"):
            raise AnsibleParserError(
                "filters[%d] must be a dict with one key, include or exclude (a Jinja condition), got %r"
                % (index, item))


def filter_decision(filters, evaluate):
    """Pure: whether a host stays. Filters are tried in order; the first whose condition is true decides
    (``include`` keeps it, ``exclude`` drops it); a host no filter matches is kept.

    ``evaluate(condition)`` returns the condition's truth for this host.
    """
    for item in filters or []:
        action, condition = next(iter(item.items()))
        if evaluate(condition):
            return action == "include"
    return True


def is_true(value):
    """A filter condition's result as Ansible's ``when`` reads the usual spellings."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "y", "t")
    return bool(value)


class EngineInventory(BaseInventoryPlugin, Constructable, Cacheable):
    """Base of the collection's inventory plugins; subclasses set ``NAME`` and implement ``fetch`` and ``records``."""

    def verify_file(self, path):
        """A configuration file is this plugin's when its name ends with the plugin's short name and ``.yml``/``.yaml``."""
        short_name = self.NAME.rsplit(".", 1)[-1]
        return super(EngineInventory, self).verify_file(path) and path.endswith(
            (short_name + ".yml", short_name + ".yaml"))

    def option_values(self, *keys):
        """``{key: the option's value}`` for ``keys``, as the plugins' pure record builders take them."""
        return dict((key, self.get_option(key)) for key in keys)

    def fetch(self):
        """Read the engines: JSON-serialisable data (what the cache keeps)."""
        raise NotImplementedError

    def records(self, data):
        """``[(host name, host vars, default groups)]`` from ``fetch``'s data."""
        raise NotImplementedError

    def parse(self, inventory, loader, path, cache=True):
        super(EngineInventory, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        check_filters(self.get_option("filters"))
        data = self._cached_fetch(self.get_cache_key(path), cache)
        for name, hostvars, groups in self.records(data):
            self._add(name, hostvars, groups)

    def _cached_fetch(self, key, cache):
        use_cache = self.get_option("cache")
        if use_cache and cache:
            try:
                return self._cache[key]
            except KeyError:
                pass
        data = self.fetch()
        if use_cache:
            self._cache[key] = data
        return data

    def _keep(self, name, hostvars):
        strict = self.get_option("strict")

        def evaluate(condition):
            if not isinstance(condition, str):  # YAML's `exclude: true`
                return is_true(condition)
            try:
                return is_true(self._compose(condition, hostvars))
            except Exception as exc:  # noqa: BLE001 - any template error
                if strict:
                    raise AnsibleError("filters: could not evaluate %r for host %s: %s" % (condition, name, exc))
                return False

        return filter_decision(self.get_option("filters"), evaluate)

    def _add(self, name, hostvars, groups):
        hostvars = wrap_var(hostvars)
        if not self._keep(name, hostvars):
            return
        self.inventory.add_host(name)
        for key, value in hostvars.items():
            self.inventory.set_variable(name, key, value)
        for group in groups:
            self.inventory.add_group(group)
            self.inventory.add_child(group, name)
        strict = self.get_option("strict")
        self._set_composite_vars(self.get_option("compose"), hostvars, name, strict=strict)
        self._add_host_to_composed_groups(self.get_option("groups"), hostvars, name, strict=strict)
        self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, name, strict=strict)
