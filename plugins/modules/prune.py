#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: prune
short_description: Remove unused Docker containers, images, networks, volumes and build cache
version_added: 0.4.0
description:
  - Removes what C(docker system prune) removes, for the kinds asked for, with the same filters.
  - Stopped containers, images no container uses (by default only untagged ones), networks no container is
    attached to and volumes no container uses are pruned; running containers, and what they use, never are.
  - B(Objects carrying this collection's ownership label) C(io.dockyard.managed) B(are never removed), unless
    the kind's C(label) filter names that label (for example C(label=io.dockyard.managed)).
  - The module lists the candidates with the filters itself, then removes them one by one; check mode lists the
    same candidates and removes nothing. An object that got used between the listing and its removal is skipped.
  - An unknown filter fails the task, naming the option and the filters it accepts, before anything is removed.
attributes:
  check_mode:
    support: full
    description: Returns the objects that would be removed and the bytes that would be reclaimed; removes nothing.
  diff_mode:
    support: none
    description: The removed objects are listed in the result instead.
extends_documentation_fragment:
  - dockyard.docker.author
  - dockyard.docker.connection
options:
  containers:
    description: Remove containers that are not running (created, exited or dead).
    type: bool
    default: false
  containers_filters:
    description:
      - Filters on the containers to remove. C(until) (a duration such as C(24h), unix seconds or an RFC 3339
        time; only objects created before it), C(label) (C(key) or C(key=value), or a list; all must be on the
        object), C(label!) (objects carrying all of these are kept).
    type: dict
  images:
    description: Remove images that no container (running or stopped) uses.
    type: bool
    default: false
  images_filters:
    description:
      - Filters on the images to remove. C(dangling) (default C(true), only images without a tag; C(false),
        tagged ones too), C(until), C(label), C(label!) as for O(containers_filters).
    type: dict
  networks:
    description: Remove local networks (not C(bridge), C(host), C(none)) that no container is attached to.
    type: bool
    default: false
  networks_filters:
    description: Filters on the networks to remove. C(until), C(label), C(label!) as for O(containers_filters).
    type: dict
  volumes:
    description:
      - Remove B(anonymous) volumes that no container (running or stopped) uses. Their data is lost.
      - Named volumes (a Compose project's database, a volume created by M(dockyard.docker.volume) or
        C(docker volume create NAME)) are kept unless O(volumes_filters) has C(all=true) - as C(docker volume
        prune) does since engine API 1.42, whatever the engine's version here.
      - A volume is anonymous when it carries the label C(com.docker.volume.anonymous) (engines of API 1.42 and
        later set it on the volumes they create without a name) or when its name is 64 hexadecimal digits (the
        name every engine gives such a volume; engines before API 1.42 write no label).
    type: bool
    default: false
  volumes_filters:
    description:
      - Filters on the volumes to remove. C(all) (default C(false); C(true) removes unused named volumes too, as
        C(docker volume prune --all) and the C(all) filter of the engine API 1.42 that community.docker's
        C(docker_prune) passes through), C(label), C(label!) as for O(containers_filters).
    type: dict
  builder_cache:
    description:
      - Remove the build cache that no running build uses (the engine prunes it; build cache has no labels).
      - Without O(builder_cache_all), only the records the image store does not share (build contexts, mounts).
    type: bool
    default: false
  builder_cache_all:
    description:
      - With O(builder_cache), remove every unused build cache record, also those shared with images (as
        C(docker builder prune --all)).
    type: bool
    default: false
notes:
  - Swarm-scoped networks are not pruned (remove them with M(dockyard.docker.network) on a manager).
  - Pruning kinds in one task runs them in the order containers, volumes, networks, images, build cache, so
    objects freed by the removed containers go in the same run (check mode cannot foresee those).
seealso:
  - module: dockyard.docker.volume
  - module: dockyard.docker.engine_info
"""

EXAMPLES = r"""
- name: Remove stopped containers and untagged images older than a day
  dockyard.docker.prune:
    containers: true
    containers_filters:
      until: 24h
    images: true
    images_filters:
      dangling: true
      until: 24h

- name: What would a full clean-up remove? (nothing is removed)
  dockyard.docker.prune:
    containers: true
    images: true
    images_filters:
      dangling: false
    networks: true
    volumes: true
    builder_cache: true
  check_mode: true
  register: would

- name: Remove unused anonymous volumes (named ones, such as a Compose project's, stay)
  dockyard.docker.prune:
    volumes: true

- name: Remove every unused volume, named ones too, except those labelled keep
  dockyard.docker.prune:
    volumes: true
    volumes_filters:
      all: true
      label!: keep

- name: Also remove stopped containers this collection created (asked for by its ownership label)
  dockyard.docker.prune:
    containers: true
    containers_filters:
      label: io.dockyard.managed
"""

RETURN = r"""
containers:
  description: IDs of the removed containers (in check mode, of those that would be removed).
  returned: O(containers=true)
  type: list
  elements: str
containers_space_reclaimed:
  description: Bytes of the removed containers' writable layers.
  returned: O(containers=true)
  type: int
images:
  description: IDs of the removed images (in check mode, of those that would be removed).
  returned: O(images=true)
  type: list
  elements: str
images_tags:
  description: Tags the removed images had.
  returned: O(images=true)
  type: list
  elements: str
images_space_reclaimed:
  description: Bytes freed on disk by removing the images (in check mode, their unshared size).
  returned: O(images=true)
  type: int
networks:
  description: Names of the removed networks.
  returned: O(networks=true)
  type: list
  elements: str
volumes:
  description: Names of the removed volumes.
  returned: O(volumes=true)
  type: list
  elements: str
volumes_space_reclaimed:
  description: Bytes of the removed volumes' data (as far as the driver reports it).
  returned: O(volumes=true)
  type: int
builder_cache_caches_deleted:
  description: IDs of the removed build cache entries.
  returned: O(builder_cache=true)
  type: list
  elements: str
builder_cache_space_reclaimed:
  description: Bytes of the removed build cache.
  returned: O(builder_cache=true)
  type: int
skipped:
  description: Candidates that could not be removed (used meanwhile, or with dependent images) and why.
  returned: always
  type: list
  elements: str
"""

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dockyard.docker.plugins.module_utils import bytecode_cache

# Before the other module_utils are imported: their compiled code is kept on the host between runs.
bytecode_cache.install()

from ansible_collections.dockyard.docker.plugins.module_utils.client import (  # noqa: E402
    connect,
    docker_argument_spec,
    fail_from_error,
    is_not_found,
    or_none,
)
from ansible_collections.dockyard.docker.plugins.module_utils.engine.prune import (
    PRUNE_KINDS,
    image_unique_sizes,
    prune_containers,
    prune_filters,
    prune_images,
    prune_networks,
    prune_volumes,
    volume_usage,
)
from ansible_collections.dockyard.docker.plugins.module_utils.parsing.values import SpecError


def _status(exc):
    return getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)


class Pruner(object):
    def __init__(self, module, api, filters):
        self.module = module
        self.api = api
        self.params = module.params
        self.filters = filters
        self.check_mode = module.check_mode
        self.now = time.time()
        self.result = dict(changed=False, skipped=[])
        self._df = None
        self.untagged = False

    def df(self, fresh=False):
        if self._df is None or fresh:
            self._df = self.api.df()
        return self._df

    def remove(self, kind, label, func, *args, **kwargs):
        """Remove one object; a conflict (used meanwhile, dependent images) or a vanished object is skipped."""
        try:
            func(*args, **kwargs)
            return True
        except Exception as exc:  # noqa: BLE001
            if is_not_found(exc):
                return False
            if _status(exc) == 409:
                self.result["skipped"].append("%s %s: %s" % (kind, label, getattr(exc, "explanation", None) or exc))
                return False
            raise

    def exists(self, image_id):
        return or_none(self.api.inspect_image, image_id) is not None

    def containers(self):
        listed = self.api.containers(all=True, size=True)
        gone, space = [], 0
        for cand in prune_containers(listed, self.filters["containers"], self.now):
            if self.check_mode or self.remove("container", cand["name"], self.api.remove_container, cand["id"]):
                gone.append(cand["id"])
                space += cand["size"]
        self.result.update(containers=gone, containers_space_reclaimed=space)

    def volumes(self):
        listed = (self.api.volumes() or {}).get("Volumes") or []
        usage = volume_usage(self.api.containers(all=True), self.df(fresh=True))
        gone, space = [], 0
        for cand in prune_volumes(listed, usage, self.filters["volumes"], self.now):
            if self.check_mode or self.remove("volume", cand["name"], self.api.remove_volume, cand["name"]):
                gone.append(cand["name"])
                space += cand["size"]
        self.result.update(volumes=gone, volumes_space_reclaimed=space)

    def networks(self):
        inspected = []
        for entry in self.api.networks() or []:
            found = or_none(self.api.inspect_network, entry["Id"])
            if found is not None:
                inspected.append(found)
        gone = []
        for cand in prune_networks(inspected, self.filters["networks"], self.now):
            if self.check_mode or self.remove("network", cand["name"], self.api.remove_network, cand["id"]):
                gone.append(cand["name"])
        self.result.update(networks=gone)

    def images(self):
        before = self.df(fresh=True)
        sizes = image_unique_sizes(before)
        candidates = prune_images(self.api.images(), self.api.containers(all=True),
                                  self.filters["images"], self.now)
        gone, tags = [], []
        for cand in candidates:
            if self.check_mode:
                ok = True
            elif cand["tags"]:
                # untag each name; the last removal deletes the image (no force: a user appearing meanwhile wins)
                ok = all(self.remove("image", tag, self.api.remove_image, tag) for tag in cand["tags"])
                if ok and self.exists(cand["id"]):
                    # only untagged: other images are built on it, the engine keeps it as their parent
                    self.result["skipped"].append("image %s: untagged %s, kept as the parent of other images"
                                                  % (cand["id"], ", ".join(cand["tags"])))
                    self.untagged = True
                    ok = False
            else:
                ok = self.remove("image", cand["id"], self.api.remove_image, cand["id"])
            if ok:
                gone.append(cand["id"])
                tags.extend(cand["tags"])
        if self.check_mode:
            space = sum(sizes.get(i, 0) for i in gone)
        else:
            space = 0
            if gone:
                after = self.df(fresh=True)
                space = max((before.get("LayersSize") or 0) - (after.get("LayersSize") or 0), 0)
        self.result.update(images=gone, images_tags=tags, images_space_reclaimed=space)

    def builder_cache(self):
        everything = self.params["builder_cache_all"]
        if self.check_mode:
            entries = [b for b in (self.df(fresh=True).get("BuildCache") or [])
                       if not b.get("InUse") and (everything or not b.get("Shared"))]
            self.result.update(builder_cache_caches_deleted=[b.get("ID") for b in entries],
                               builder_cache_space_reclaimed=sum(b.get("Size") or 0 for b in entries))
            return
        # POST /build/prune directly: SDKs before 6 have prune_builds() without its `all` argument
        params = {"all": "true"} if everything else {}
        answer = self.api._result(self.api._post(self.api._url("/build/prune"), params=params), True) or {}
        self.result.update(builder_cache_caches_deleted=answer.get("CachesDeleted") or [],
                           builder_cache_space_reclaimed=answer.get("SpaceReclaimed") or 0)

    def run(self):
        for kind in ("containers", "volumes", "networks", "images"):
            if self.params[kind]:
                try:
                    getattr(self, kind)()
                except Exception as exc:  # noqa: BLE001
                    fail_from_error(self.module, exc, "prune %s" % kind, **self.changed_so_far())
        if self.params["builder_cache"]:
            try:
                self.builder_cache()
            except Exception as exc:  # noqa: BLE001
                fail_from_error(self.module, exc, "prune the build cache", **self.changed_so_far())
        return self.changed_so_far()

    def changed_so_far(self):
        kinds = ("containers", "volumes", "networks", "images", "builder_cache_caches_deleted")
        removed = [self.result.get(k) for k in kinds]
        self.result["changed"] = self.untagged or any(bool(r) for r in removed)
        return self.result


def main():
    argument_spec = dict(builder_cache=dict(type="bool", default=False),
                         builder_cache_all=dict(type="bool", default=False))
    for kind in PRUNE_KINDS:
        argument_spec[kind] = dict(type="bool", default=False)
        argument_spec["%s_filters" % kind] = dict(type="dict")
    argument_spec.update(docker_argument_spec())
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    filters = {}
    try:
        for kind in PRUNE_KINDS:
            filters[kind] = prune_filters(kind, module.params["%s_filters" % kind])
    except SpecError as exc:
        module.fail_json(msg=str(exc), changed=False)
    engine = connect(module)
    module.exit_json(**Pruner(module, engine.api, filters).run())


if __name__ == "__main__":
    main()
