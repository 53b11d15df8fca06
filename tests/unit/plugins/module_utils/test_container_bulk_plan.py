# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of the bulk ``containers`` module (no engine)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.dockyard.docker.plugins.module_utils.container.bulk_plan import (
    ImageResolver,
    container_names,
    execution_waves,
    item_result,
    parse_items,
    prune_candidates,
    summarize,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.plan import plan
from ansible_collections.dockyard.docker.plugins.module_utils.container.spec import SpecError, parse_spec

OWNER = "io.dockyard.managed"


def test_parse_items_keeps_order_and_names_the_bad_item():
    specs = parse_items([dict(name="aa", image="x"), dict(name="bb", image="x")])
    assert [s.name for s in specs] == ["aa", "bb"]
    with pytest.raises(SpecError) as err:
        parse_items([dict(name="aa", image="x"), dict(name="bb", image="x", restart_policy="sometimes")])
    assert "containers[1] (bb)" in str(err.value)
    assert "restart_policy" in str(err.value)


def test_parse_items_refuses_duplicate_names():
    with pytest.raises(SpecError) as err:
        parse_items([dict(name="aa", image="x"), dict(name="bb", image="x"), dict(name="aa", image="y")])
    assert "containers[2] (aa)" in str(err.value)
    assert "listed twice" in str(err.value) and "containers[0]" in str(err.value)


def test_parse_items_empty_list():
    assert parse_items([]) == []


def test_image_resolver_resolves_once_and_reports_the_pull_on_the_first_item():
    calls = []

    def resolve(spec):
        calls.append(spec.name)
        return "sha256:1", spec.image

    resolver = ImageResolver(resolve)
    answers = [resolver(parse_spec(dict(name=n * 2, image="app:1"))) for n in ("a", "b", "c")]
    assert calls == ["aa"]
    assert answers == [("sha256:1", "app:1"), ("sha256:1", None), ("sha256:1", None)]


def test_image_resolver_check_mode_reports_the_pull_for_every_item_like_a_loop():
    resolver = ImageResolver(lambda spec: (None, spec.image), check_mode=True)
    answers = [resolver(parse_spec(dict(name=n * 2, image="app:1"))) for n in ("a", "b")]
    assert answers == [(None, "app:1"), (None, "app:1")]


def test_image_resolver_keys_on_image_and_pull_and_skips_absent():
    calls = []

    def resolve(spec):
        calls.append((spec.name, spec.image, spec.pull))
        return (None, None) if spec.image is None or spec.state == "absent" else ("id-" + spec.image, None)

    resolver = ImageResolver(resolve)
    resolver(parse_spec(dict(name="aa", image="app:1")))
    resolver(parse_spec(dict(name="bb", image="app:2")))
    resolver(parse_spec(dict(name="cc", image="app:1", pull="always")))
    resolver(parse_spec(dict(name="dd", state="absent")))
    resolver(parse_spec(dict(name="ee", state="absent")))
    assert [c[0] for c in calls] == ["aa", "bb", "cc", "dd", "ee"]


def test_execution_waves_put_namespace_sharers_after_their_container():
    specs = parse_items([
        dict(name="sidecar", image="x", network_mode="container:main"),
        dict(name="main", image="x"),
        dict(name="other", image="x", network_mode="container:elsewhere"),
        dict(name="third", image="x", network_mode="container:sidecar"),
    ])
    assert execution_waves(specs) == [[1, 2], [0], [3]]


def test_execution_waves_single_wave_and_cycles():
    specs = parse_items([dict(name="aa", image="x"), dict(name="bb", image="x", network_mode="bridge")])
    assert execution_waves(specs) == [[0, 1]]
    cyc = parse_items([
        dict(name="aa", image="x", network_mode="container:bb"),
        dict(name="bb", image="x", network_mode="container:aa"),
    ])
    waves = execution_waves(cyc)
    assert sorted(i for w in waves for i in w) == [0, 1]
    assert execution_waves([]) == []


def summary(name, labels, cid=None):
    return {"Id": cid or (name * 8)[:12], "Names": ["/" + name], "Labels": labels}


def test_prune_candidates_only_labelled_and_not_listed():
    listed = [
        summary("web", {OWNER: "true"}),
        summary("old", {OWNER: "true"}),
        summary("foreign", {"com.example": "x"}),
        summary("nolabels", None),
        summary("aside-dockyard-old-123", {OWNER: "true"}),
    ]
    got = prune_candidates(listed, ["web", "db"])
    assert [name for name, _id in got] == ["aside-dockyard-old-123", "old"]


def test_prune_candidates_never_without_the_label_even_if_the_filter_let_it_through():
    assert prune_candidates([summary("x", {}), summary("y", {"io.dockyard.other": "true"})], []) == []


OWNED_BY = "io.dockyard.owner"


def test_prune_candidates_only_of_the_same_owner():
    listed = [
        summary("mine", {OWNER: "true", OWNED_BY: "shop"}),
        summary("theirs", {OWNER: "true", OWNED_BY: "billing"}),
        summary("default-owner", {OWNER: "true", OWNED_BY: "default"}),
        summary("older-version", {OWNER: "true"}),  # written before owners: the default owner's
        summary("owner-label-only", {OWNED_BY: "shop"}),  # not created by this collection
    ]
    assert [n for n, _i in prune_candidates(listed, [], "shop")] == ["mine"]
    assert [n for n, _i in prune_candidates(listed, [], "billing")] == ["theirs"]
    assert [n for n, _i in prune_candidates(listed, [])] == ["default-owner", "older-version"]


def test_prune_candidates_never_a_compose_projects_container():
    listed = [
        summary("shop-db-1", {OWNER: "true", OWNED_BY: "default", "com.docker.compose.project": "shop"}),
        summary("cli-web-1", {OWNER: "true", "com.docker.compose.project": "cli"}),
        summary("plain", {OWNER: "true"}),
    ]
    assert [n for n, _i in prune_candidates(listed, [])] == ["plain"]


def test_prune_candidates_leave_a_listed_containers_set_aside_copy_to_its_item():
    created_as = "io.dockyard.created-as"
    listed = [
        summary("web-dockyard-old", {OWNER: "true", created_as: "web"}),
        summary("api-dockyard-old", {OWNER: "true"}),  # older version's copy of a listed container
        summary("db-dockyard-old", {OWNER: "true", created_as: "db-dockyard-old"}),  # a container named so
        summary("gone-dockyard-old", {OWNER: "true", created_as: "gone"}),  # its original is not listed
    ]
    assert [n for n, _i in prune_candidates(listed, ["web", "api", "db"])] == ["db-dockyard-old", "gone-dockyard-old"]


def test_container_names_ignores_link_aliases():
    assert container_names({"Names": ["/web", "/app/web"]}) == ["web"]
    assert container_names({}) == []


def test_item_result_and_summarize():
    spec = parse_spec(dict(name="aa", image="x"))
    created = plan(spec, None, "sha256:1")
    nothing = plan(parse_spec(dict(name="bb", state="absent")), None)
    results = [
        item_result("aa", created, "id-a"),
        item_result("bb", nothing),
        item_result("cc", None, error="boom"),
    ]
    assert results[0]["actions"] == ["created", "started"] and results[0]["changed"]
    assert results[0]["state"] == "running" and results[0]["id"] == "id-a"
    assert results[1] == dict(name="bb", changed=False, actions=[], diff=dict(before={"state": "absent"},
                              after={"state": "absent"}), id=None, state="absent")
    assert results[2]["failed"] and results[2]["msg"] == "boom" and not results[2]["changed"]
    changed, failed, diff = summarize(results)
    assert changed is True
    assert [r["name"] for r in failed] == ["cc"]
    assert [d["before_header"] for d in diff] == ["aa"]
    assert summarize([results[1]])[0] is False
