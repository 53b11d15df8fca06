# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Swarm secrets and configs: the pure decisions behind swarm_secret and swarm_config.

The engine never returns a secret's data, so "is it up to date?" is answered by a
sha256 of the content kept in a label (:data:`HASH_LABEL`).  Secrets and configs are
immutable apart from their labels: new content means a new object.  When services use
the object, they are re-pointed in two rolling updates through a temporary object so
their tasks always have a file (see :meth:`SwarmObjectManager.apply_rotate`).

Nothing here talks to an engine; the engine side is :class:`SwarmObjectManager`, which
the two modules share.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import copy
import hashlib
import hmac
import os

from ansible_collections.dockyard.docker.plugins.module_utils.client import (
    APIError,
    DockerException,
    docker_argument_spec,
    fail_from_error,
)

HASH_LABEL = "io.dockyard.data-hash"
# On the temporary object of a rotation only: the name of the object it stands in for. A ``<name>-rotating``
# object without it (someone else's, or a leftover of a version that did not write it) is never removed.
ROTATION_LABEL = "io.dockyard.rotating-for"
RESERVED_LABELS = (HASH_LABEL, ROTATION_LABEL)
HASH_SCHEME = "pbkdf2-sha256"
HASH_ITERATIONS = 100000

# Per kind: the key in ContainerSpec that lists references, and the reference's id/name keys.
KINDS = {
    "secret": dict(spec_key="Secrets", id_key="SecretID", name_key="SecretName", title="secret"),
    "config": dict(spec_key="Configs", id_key="ConfigID", name_key="ConfigName", title="config"),
}


class ObjectError(Exception):
    """A refusal or a bad input; the message is for the operator."""


def decode_content(data=None, data_is_b64=False, file_bytes=None):
    """Return the object's content as bytes (from ``data`` or from a data_src file's bytes)."""
    if file_bytes is not None:
        return file_bytes
    if data is None:
        raise ObjectError("one of data or data_src is required with state=present")
    if data_is_b64:
        try:
            return base64.b64decode(data.encode("ascii"), validate=True)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raise ObjectError("data is not valid base64 (data_is_b64=true); the value itself is not shown")
    return data.encode("utf-8")


def content_hash(content, salt=None, iterations=HASH_ITERATIONS):
    """Salted, slow sha256 of the content: ``pbkdf2-sha256:<iterations>:<salt hex>:<hash hex>``.

    Plain sha256 of a short password would be a dictionary lookup away from the password,
    and this value appears in results and labels; a random salt and PBKDF2 rounds make that
    an expensive per-secret search instead.
    """
    if salt is None:
        salt = binascii.hexlify(os.urandom(16)).decode("ascii")
    digest = hashlib.pbkdf2_hmac("sha256", content, salt.encode("ascii"), iterations)
    return "%s:%d:%s:%s" % (HASH_SCHEME, iterations, salt, binascii.hexlify(digest).decode("ascii"))


def hash_matches(label_value, content):
    """Whether a hash label value was computed from ``content``."""
    parts = (label_value or "").split(":")
    if len(parts) != 4 or parts[0] != HASH_SCHEME:
        return False
    try:
        iterations = int(parts[1])
    except ValueError:
        return False
    if iterations < 1 or iterations > 10000000:
        return False
    return hmac.compare_digest(content_hash(content, parts[2], iterations), label_value)


def desired_labels(labels, digest):
    """User labels plus the content hash label.  The hash label cannot be set by the user."""
    labels = dict(labels or {})
    for reserved in RESERVED_LABELS:
        if reserved in labels:
            raise ObjectError("labels: %s is reserved (this collection keeps the content hash of an object and the "
                              "name a rotation stands in for in %s)" % (reserved, " and ".join(RESERVED_LABELS)))
    out = dict((str(k), str(v)) for k, v in labels.items())
    out[HASH_LABEL] = digest
    return out


def current_hash(obj):
    """The hash label of an existing object, or None."""
    spec = (obj or {}).get("Spec") or {}
    return (spec.get("Labels") or {}).get(HASH_LABEL) or None


def same_content(obj, content):
    """True/False when the object's content is known to equal ``content`` or not; None when unknown.

    Configs return their data, so a config created elsewhere can be compared; secrets
    only have the label this collection wrote.
    """
    label = current_hash(obj)
    if label:
        return hash_matches(label, content)
    spec = (obj or {}).get("Spec") or {}
    if spec.get("Data") is not None:
        try:
            return base64.b64decode(spec["Data"]) == content
        except (binascii.Error, ValueError, TypeError):
            return None
    return None


def services_using(services, kind, obj_id):
    """Names of the services (inspect data) whose task template references object ``obj_id``."""
    meta = KINDS[kind]
    names = []
    for svc in services or []:
        container = (((svc.get("Spec") or {}).get("TaskTemplate") or {}).get("ContainerSpec") or {})
        for ref in container.get(meta["spec_key"]) or []:
            if ref.get(meta["id_key"]) == obj_id:
                names.append((svc.get("Spec") or {}).get("Name") or svc.get("ID"))
                break
    return sorted(names)


def repoint_spec(spec, kind, old_id, new_id=None, new_name=None):
    """Pure: a copy of a service spec whose references to ``old_id`` point at ``new_id``.

    With ``new_id=None`` the references are dropped.  File name, uid, gid and mode of each
    reference are kept, so the task sees the same path with the new content.
    """
    meta = KINDS[kind]
    spec = copy.deepcopy(spec)
    container = spec.setdefault("TaskTemplate", {}).setdefault("ContainerSpec", {})
    refs = []
    for ref in container.get(meta["spec_key"]) or []:
        if ref.get(meta["id_key"]) != old_id:
            refs.append(ref)
        elif new_id is not None:
            ref = dict(ref)
            ref[meta["id_key"]] = new_id
            ref[meta["name_key"]] = new_name
            refs.append(ref)
    container[meta["spec_key"]] = refs
    return spec


def temporary_name(name):
    """Name of the short-lived object used while services move to new content.

    Fixed (no hash of the content in it), so a run after an interrupted rotation finds it.
    """
    return "%s-rotating" % name


def temporary_labels(labels, name):
    """Labels of the temporary object of a rotation of ``name``: the new object's, plus :data:`ROTATION_LABEL`."""
    return dict(labels or {}, **{ROTATION_LABEL: name})


def stale_temporary_plan(kind, name, stale, stale_users=None):
    """What a rotation of ``name`` does with an object already called ``<name>-rotating``: ``None`` or ``remove``.

    Only a temporary object this collection wrote for a rotation of ``name`` (label :data:`ROTATION_LABEL`)
    and that no service uses may go. Anything else raises :class:`ObjectError` naming it; ``force`` does
    not change that (it already means "rotate"), the operator removes or renames the object.
    """
    if stale is None:
        return None
    title = KINDS[kind]["title"]
    tmp = temporary_name(name)
    labels = ((stale.get("Spec") or {}).get("Labels") or {})
    if labels.get(ROTATION_LABEL) != name:
        raise ObjectError(
            "%s %s exists and is not the temporary %s of a rotation of %s by this collection (no label %s=%s); "
            "rotating %s needs that name. Nothing was changed: remove or rename %s (docker %s rm %s, after "
            "checking nothing needs it), then run again." % (
                title, tmp, title, name, ROTATION_LABEL, name, name, tmp, kind, tmp))
    if stale_users:
        raise ObjectError(
            "%s %s of an interrupted rotation is still used by service(s) %s: point them back to %s "
            "(dockyard.docker.swarm_service) and remove %s, then run again." % (
                title, tmp, ", ".join(stale_users), name, tmp))
    return "remove"


def plan(kind, name, current, want_state, same=None, labels=None, users=None, force=False):
    """Decide what to do.  Returns a dict:

    ``action``: ``none`` | ``create`` | ``update_labels`` | ``replace`` | ``rotate`` | ``remove``
    | ``detach_remove``; ``reason``: a sentence for the actions list.
    Raises :class:`ObjectError` for a refusal (in-use object without ``force``).
    """
    title = KINDS[kind]["title"]
    users = list(users or [])
    if want_state == "absent":
        if current is None:
            return dict(action="none", reason="%s %s is absent" % (title, name))
        if users:
            if not force:
                raise ObjectError(
                    "%s %s is used by service(s) %s: refusing to remove it. Remove it from those services "
                    "first, or set force=true to detach it from them (their tasks are restarted without "
                    "the file) and remove it." % (title, name, ", ".join(users))
                )
            return dict(action="detach_remove",
                        reason="detach %s %s from %s and remove it" % (title, name, ", ".join(users)))
        return dict(action="remove", reason="remove %s %s" % (title, name))

    if current is None:
        return dict(action="create", reason="create %s %s" % (title, name))
    if same is not True:
        why = "content changed" if same is False else "content unknown (no %s label)" % HASH_LABEL
        if users:
            if not force:
                raise ObjectError(
                    "%s %s: %s, and %ss cannot be changed in place, only replaced; it is used by service(s) "
                    "%s. Refusing to replace it. Set force=true to rotate: the services are updated to the "
                    "new content (two rolling updates, their tasks always have the file)." % (
                        title, name, why, title, ", ".join(users))
                )
            return dict(action="rotate", reason="rotate %s %s (%s) for %s" % (title, name, why, ", ".join(users)))
        return dict(action="replace", reason="replace %s %s (%s)" % (title, name, why))
    have_labels = ((current.get("Spec") or {}).get("Labels") or {})
    if have_labels != (labels or {}):
        return dict(action="update_labels", reason="update labels of %s %s" % (title, name))
    return dict(action="none", reason="%s %s is up to date" % (title, name))


def view(obj, users=None):
    """What a diff or a result may show about an object: never the data."""
    if obj is None:
        return {}
    spec = obj.get("Spec") or {}
    out = dict(
        name=spec.get("Name"),
        labels=dict(spec.get("Labels") or {}),
        data_hash=current_hash(obj),
    )
    if users is not None:
        out["services"] = list(users)
    return out


def module_arguments(data_no_log):
    """The AnsibleModule arguments swarm_secret and swarm_config share; ``data_no_log`` is O(data)'s no_log."""
    argument_spec = docker_argument_spec()
    argument_spec.update(
        name=dict(type="str", required=True),
        data=dict(type="str", no_log=data_no_log),
        data_src=dict(type="path"),
        data_is_b64=dict(type="bool", default=False),
        labels=dict(type="dict"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        force=dict(type="bool", default=False),
    )
    return dict(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[("data", "data_src")],
        required_if=[("state", "present", ("data", "data_src"), True)],
    )


class Survey:
    """What one run found and decided about the object called ``name`` (``current``: its inspect data or None)."""

    def __init__(self, name, current):
        self.name = name
        self.current = current
        self.content = self.same = self.digest = self.labels = None
        self.users = []
        self.decision = None
        self.stale = self.stale_action = None

    @property
    def action(self):
        return self.decision["action"]


class SwarmObjectManager:
    """Engine side shared by swarm_secret and swarm_config (``kind`` = secret | config)."""

    def __init__(self, module, client, kind):
        self.module = module
        self.client = client
        self.api = client.api
        self.kind = kind
        self.id_key = "%s_id" % kind
        self.params = module.params
        self.actions = []

    # ------------------------------------------------------------------ engine calls
    def call(self, doing, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (APIError, DockerException) as exc:
            fail_from_error(self.module, exc, doing, changed=bool(self.actions), actions=self.actions)

    def find(self, name):
        lister = self.api.secrets if self.kind == "secret" else self.api.configs
        for obj in self.call("list %ss" % self.kind, lister, filters={"name": name}) or []:
            if (obj.get("Spec") or {}).get("Name") == name:
                return obj
        return None

    def services(self):
        return self.call("list services", self.api.services) or []

    def create(self, name, content, labels):
        if self.kind == "secret":
            res = self.call("create secret %s" % name, self.api.create_secret, name, content, labels=labels)
        else:
            res = self.call("create config %s" % name, self.api.create_config, name, content, labels=labels)
        return res["ID"]

    def remove(self, obj_id, name):
        func = self.api.remove_secret if self.kind == "secret" else self.api.remove_config
        self.call("remove %s %s" % (self.kind, name), func, obj_id)

    def update_labels(self, obj, labels):
        spec = dict(obj["Spec"])
        spec["Labels"] = labels
        url = self.api._url("/%ss/{0}/update" % self.kind, obj["ID"])

        def _update():
            resp = self.api._post_json(url, data=spec, params={"version": obj["Version"]["Index"]})
            self.api._raise_for_status(resp)

        self.call("update labels of %s %s" % (self.kind, spec.get("Name")), _update)

    def repoint(self, user_names, old_id, new_id, new_name):
        for svc in self.services():
            if (svc.get("Spec") or {}).get("Name") not in user_names:
                continue
            spec = repoint_spec(svc["Spec"], self.kind, old_id, new_id, new_name)
            url = self.api._url("/services/{0}/update", svc["ID"])

            def _update(spec=spec, svc=svc):
                resp = self.api._post_json(url, data=spec, params={"version": svc["Version"]["Index"]})
                self.api._raise_for_status(resp)

            self.call("update service %s" % spec.get("Name"), _update)

    # ------------------------------------------------------------------ the run
    def content(self):
        params = self.params
        file_bytes = None
        if params.get("data_src"):
            path = params["data_src"]
            try:
                with open(path, "rb") as handle:
                    file_bytes = handle.read()
            except (IOError, OSError) as exc:
                raise ObjectError("data_src: cannot read %s: %s" % (path, exc.strerror or exc))
        return decode_content(params.get("data"), params.get("data_is_b64"), file_bytes)

    def run(self):
        name = self.params["name"]
        result = dict(changed=False, actions=self.actions, name=name)
        try:
            survey = self.survey(name)
        except ObjectError as exc:
            self.module.fail_json(msg=str(exc), **result)
        self.report(survey, result)
        if self.module.check_mode or survey.action == "none":
            self.module.exit_json(**result)
        result[self.id_key] = self.apply(survey)
        self.module.exit_json(**result)

    def survey(self, name):
        """Read the object and its users and decide; raises :class:`ObjectError` before anything changes."""
        content = self.content() if self.params["state"] == "present" else None
        survey = Survey(name, self.find(name))
        if content is not None:
            self.desire(survey, content)
        current = survey.current
        services = self.services() if current else []
        survey.users = services_using(services, self.kind, current["ID"]) if current else []
        survey.decision = plan(self.kind, name, current, self.params["state"], survey.same, survey.labels,
                               survey.users, self.params["force"])
        if survey.action == "rotate":
            # Decided before anything changes (and in check mode): an object under the temporary
            # name that this collection did not write for this rotation stops the run.
            survey.stale = self.find(temporary_name(name))
            stale_users = services_using(services, self.kind, survey.stale["ID"]) if survey.stale else []
            survey.stale_action = stale_temporary_plan(self.kind, name, survey.stale, stale_users)
        return survey

    def desire(self, survey, content):
        """The content, its hash and the labels the object should carry."""
        current = survey.current
        survey.content = content
        survey.same = same_content(current, content) if current else None
        # Keep the stored (salted) hash when the content is the same, so labels do not move.
        survey.digest = current_hash(current) if survey.same and current_hash(current) else content_hash(content)
        survey.labels = desired_labels(self.params.get("labels"), survey.digest)

    def report(self, survey, result):
        """The result and diff of the decision (what check mode returns): names, labels and hashes, no data."""
        current, action = survey.current, survey.action
        before = view(current, survey.users)
        if action == "none":
            after = before
        elif action in ("remove", "detach_remove"):
            after = {}
        else:
            after = dict(name=survey.name, labels=survey.labels, data_hash=survey.digest, services=survey.users)
        result["data_hash"] = survey.digest if self.params["state"] == "present" else None
        result[self.id_key] = current["ID"] if current else None
        result["services"] = survey.users
        if action != "none":
            result["changed"] = True
            self.actions.append(survey.decision["reason"])
        if self.module._diff:
            result["diff"] = dict(before=before, after=after)

    def apply(self, survey):
        """Carry out the decision; returns the object's ID afterwards (None once removed)."""
        steps = dict(create=self.apply_create, update_labels=self.apply_labels, replace=self.apply_replace,
                     rotate=self.apply_rotate, remove=self.apply_remove, detach_remove=self.apply_detach_remove)
        return steps[survey.action](survey)

    def apply_create(self, survey):
        return self.create(survey.name, survey.content, survey.labels)

    def apply_labels(self, survey):
        self.update_labels(survey.current, survey.labels)
        return survey.current["ID"]

    def apply_replace(self, survey):
        self.remove(survey.current["ID"], survey.name)
        return self.create(survey.name, survey.content, survey.labels)

    def apply_rotate(self, survey):
        """Move the users to new content through ``<name>-rotating``, so their tasks always have the file."""
        name, users, old_id = survey.name, survey.users, survey.current["ID"]
        tmp = temporary_name(name)
        if survey.stale_action == "remove":  # this collection's, left by an interrupted earlier rotation
            self.remove(survey.stale["ID"], tmp)
        tmp_id = self.create(tmp, survey.content, temporary_labels(survey.labels, name))
        self.repoint(users, old_id, tmp_id, tmp)
        self.remove(old_id, name)
        new_id = self.create(name, survey.content, survey.labels)
        self.repoint(users, tmp_id, new_id, name)
        self.remove(tmp_id, tmp)
        return new_id

    def apply_remove(self, survey):
        self.remove(survey.current["ID"], survey.name)

    def apply_detach_remove(self, survey):
        self.repoint(survey.users, survey.current["ID"], None, None)
        self.remove(survey.current["ID"], survey.name)
