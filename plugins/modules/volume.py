#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: volume
short_description: Manage a Docker volume
version_added: 0.4.0
description:
  - Creates a named volume, or removes it, idempotently.
  - A volume cannot be changed in place. When O(driver), O(driver_options) or O(labels) differ from an existing
    volume, the module reports the difference and leaves the volume alone unless O(recreate=options-changed).
  - A volume that a container uses (running or stopped) is never removed, neither for O(state=absent) nor to
    recreate it; the module fails and names the containers.
  - Before a volume is recreated, the new driver options are tried on a temporary volume, so options the driver
    refuses fail the task with the driver's message and the existing volume is kept.
attributes:
  check_mode:
    support: full
    description: Reports what would be created, recreated or removed without doing it.
  diff_mode:
    support: full
    description: Before and after of the compared options (driver, driver options, labels).
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
options:
  name:
    description: Name of the volume.
    type: str
    required: true
    aliases: [volume_name]
  driver:
    description: Volume driver, C(local) or the name of a volume plugin installed on the engine.
    type: str
    default: local
  driver_options:
    description:
      - Options of the driver, as C(docker volume create --opt) takes them. Compared with an existing volume
        only when given (all of them; an option the volume has and this dict lacks is a difference).
      - For the C(local) driver, C(type=tmpfs), C(device=tmpfs), C(o=size=64m) make a tmpfs volume and
        C(type=none), C(o=bind), C(device=/srv/data) a volume that is a host directory.
    type: dict
  labels:
    description: Labels of the volume. Only the labels given are compared.
    type: dict
  recreate:
    description:
      - C(never) leaves an existing volume as it is, even when its options differ (the difference is reported
        in the diff and in RV(actions)).
      - C(options-changed) removes and creates it again when O(driver), O(driver_options) or O(labels) differ.
      - C(always) removes and creates it again on every run. The data in it is lost in both cases.
    type: str
    choices: [never, options-changed, always]
    default: never
  state:
    description: Whether the volume exists.
    type: str
    choices: [present, absent]
    default: present
notes:
  - The C(local) driver checks the option names when the volume is created; bad values (a missing bind
    directory, a wrong size) are only found when a container first mounts the volume.
seealso:
  - module: dockyard.docker.container
  - module: dockyard.docker.prune
"""

EXAMPLES = r"""
- name: A named volume for a database
  dockyard.docker.volume:
    name: pgdata
    labels:
      app: postgres

- name: A tmpfs volume of at most 64 MiB (its content lives in memory)
  dockyard.docker.volume:
    name: scratch
    driver_options:
      type: tmpfs
      device: tmpfs
      o: size=64m

- name: A volume that is a host directory
  dockyard.docker.volume:
    name: uploads
    driver_options:
      type: none
      o: bind
      device: /srv/uploads
    recreate: options-changed

- name: Remove a volume (refused while a container uses it)
  dockyard.docker.volume:
    name: old-cache
    state: absent
"""

RETURN = r"""
volume:
  description: Inspect data of the volume after the run (before it in check mode); empty when absent.
  returned: always
  type: dict
  sample:
    Name: scratch
    Driver: local
    Mountpoint: /var/lib/docker/volumes/scratch/_data
    Options:
      type: tmpfs
      device: tmpfs
      o: size=64m
    Labels: {}
    Scope: local
actions:
  description: What was done (or would be done in check mode), or a difference left alone.
  returned: always
  type: list
  elements: str
  sample: ["removed", "created"]
diff:
  description: Before and after of the compared options.
  returned: always
  type: dict
"""

import uuid

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import (  # noqa: E402
    connect,
    docker_argument_spec,
    or_none,
)
from ansible_collections.dockyard.docker.plugins.module_utils.engine import named_object, volumes


class VolumeManager(named_object.NamedObjectManager):
    kind = "volume"

    def inspect(self):
        return or_none(self.api.inspect_volume, self.name)

    def users(self):
        """Names of the containers (running or not) that mount this volume."""
        listed = self.api.containers(all=True, filters={"volume": self.name})
        return volumes.container_names(c for c in listed if any(
            m.get("Type") == "volume" and m.get("Name") == self.name for m in (c.get("Mounts") or [])))

    def create(self, name):
        return self.api.create_volume(
            name=name, driver=self.desired["driver"], driver_opts=self.desired.get("driver_options") or None,
            labels=self.desired.get("labels") or None)

    def try_options(self):
        """Create and remove a throw-away volume with the new settings, so a refusal keeps the old volume."""
        probe = "%s-dockyard-probe-%s" % (self.name, uuid.uuid4().hex[:8])
        try:
            self.create(probe)
        except Exception as exc:  # noqa: BLE001
            raise named_object.Refused(
                "the %s driver refused the volume settings, so volume %s was kept as it is: %s"
                % (self.desired["driver"], self.name, getattr(exc, "explanation", None) or exc))
        self.api.remove_volume(probe)

    def run(self):
        before = self.inspect()
        state, recreate = self.params["state"], self.params["recreate"]
        plan = volumes.plan(self.desired, before, state, recreate)
        differing = volumes.differences(self.desired, volumes.actual(before)) if before else {}
        found = named_object.engine_view(self.desired, differing) if before else {}
        if state == "present" and before and differing and "remove" not in plan:
            self.actions.append("differs (%s), left as it is (recreate: never)" % ", ".join(differing))
        if "remove" in plan:
            users = self.users()
            if users:
                why = "removed" if state == "absent" else "recreated (%s)" % (
                    "recreate: always" if recreate == "always" else ", ".join(differing) + " changed")
                raise named_object.Refused("volume %s is in use by container(s) %s, so it was not %s; remove those "
                                           "containers first" % (self.name, ", ".join(users), why))
        if state == "absent":
            if plan:
                self.actions.append("removed")
                if not self.check_mode:
                    self.api.remove_volume(self.name)
            view = {"state": "absent"}
            return self.result(before, {"state": "present"} if before else view, view, bool(plan))
        if plan == ["create"]:
            self.actions.append("created")
            if not self.check_mode:
                self.create(self.name)
            return self.result(before, {"state": "absent"}, dict(self.desired), True)
        if plan:
            self.actions.append("recreated: %s" % ("recreate: always" if recreate == "always"
                                                   else ", ".join(differing) + " changed"))
            if not self.check_mode:
                self.try_options()
                self.api.remove_volume(self.name)
                self.create(self.name)
            return self.result(before, found, dict(self.desired), True)
        return self.result(before, found, found, False)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["volume_name"]),
        driver=dict(type="str", default="local"),
        driver_options=dict(type="dict"),
        labels=dict(type="dict"),
        recreate=dict(type="str", choices=["never", "options-changed", "always"], default="never"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    argument_spec.update(docker_argument_spec())
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    named_object.run(module, volumes.desired, VolumeManager, connect)


if __name__ == "__main__":
    main()
