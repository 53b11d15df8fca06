# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the read-only ``*_info`` modules share: one reader, explained errors, the manager check, the
run of a module that inspects one object by name.

The reader is :class:`client.EngineReader` on a local unix socket (no SDK import, no API
version negotiation) and the SDK's ``APIClient`` otherwise; both answer the same calls
with the same documents, so the modules do not care which one they got.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    connect,
    docker_argument_spec,
    fail_from_error,
    is_not_found,
)
from ansible_collections.dockyard.docker.plugins.module_utils.engine.facts import swarm_facts
from ansible_collections.dockyard.docker.plugins.module_utils.swarm.views import manager_refusal


def info_module(**options):
    """An ``AnsibleModule`` with the connection options and ``options``; check mode is always supported."""
    argument_spec = docker_argument_spec()
    argument_spec.update(options)
    return AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)


class InfoReader:
    """Reads for one info module run; every engine error fails the module saying what was read."""

    def __init__(self, module, connector=connect):
        self.module = module
        self.engine = connector(module, lazy=True)
        self.fail_result = {}

    @property
    def reader(self):
        return self.engine.reader

    def read(self, doing, method, *args, **kwargs):
        try:
            return getattr(self.reader, method)(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - explained to the operator
            fail_from_error(self.module, exc, doing, changed=False, **self.fail_result)

    def inspect(self, kind, name, method, **kwargs):
        """The inspect document of ``name``, or ``None`` when the engine has none (404)."""
        try:
            return getattr(self.reader, method)(name, **kwargs)
        except Exception as exc:  # noqa: BLE001 - "not found" is an answer, the rest is explained
            if is_not_found(exc):
                return None
            fail_from_error(self.module, exc, "inspect %s %s" % (kind, name), changed=False, **self.fail_result)

    def swarm(self):
        """This engine's swarm membership (``engine_facts.swarm_facts``)."""
        return swarm_facts(self.read("read the engine information", "info"))

    def require_manager(self, what, swarm=None):
        """Fail clearly unless this engine is a swarm manager; returns its swarm membership."""
        swarm = swarm if swarm is not None else self.swarm()
        refusal = manager_refusal(what, swarm, self.module.params.get("docker_host"))
        if refusal:
            self.module.fail_json(msg=refusal, changed=False, **self.fail_result)
        return swarm


def exists_result(key, document):
    """``{changed: false, exists, <key>}`` as the single-object info modules return it."""
    return {"changed": False, "exists": document is not None, key: document}


def run_inspect_by_name(kind, name_is, connector, manager_of=None, name_aliases=None, **inspect_options):
    """Run an info module that inspects the one ``kind`` object its ``name`` option names.

    The reader's ``inspect_<kind>`` is called with ``inspect_options``; the module exits with
    ``{changed: false, exists, <kind>}``. ``name_is`` completes "name must be ..." for an empty
    name; ``manager_of`` names what only a swarm manager can read (the run then checks that
    first). ``connector`` is the module's own ``connect``, so a test can replace it there.
    """
    name_option = dict(type="str", required=True)
    if name_aliases:
        name_option["aliases"] = name_aliases
    module = info_module(name=name_option)
    name = module.params["name"]
    if not name.strip():
        module.fail_json(msg="name must be %s, got an empty string" % name_is)
    reader = InfoReader(module, connector)
    if manager_of:
        reader.require_manager(manager_of)
    module.exit_json(**exists_result(kind, reader.inspect(kind, name, "inspect_" + kind, **inspect_options)))
