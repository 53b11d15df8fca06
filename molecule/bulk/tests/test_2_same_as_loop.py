"""The bulk module and a loop of the single module agree: changed, actions and end state, step by step.

Each step applies one spec list twice through pair.yml -- a loop of ``container`` on ``l-*`` and one
``containers`` task on ``b-*`` -- first in check mode (nothing may move), then for real.  The steps
build on each other, in order.
"""

import pytest

from conftest import APP, end_state, run_pair, snapshot
from testlib import inspect

BASE = dict(image=APP, pull="never", stop_timeout=2)


def specs(web=None, worker=None, limits=None, idle=None):
    return [
        dict(dict(BASE, name="web", restart_policy="always", env={"A": "1"}), **(web or {})),
        dict(dict(BASE, name="worker", command=["app-server", "--port", "8001"], restart_policy="on-failure",
                  restart_retries=2), **(worker or {})),
        dict(dict(BASE, name="limits", restart_policy="unless-stopped", memory="64m"), **(limits or {})),
        dict(dict(BASE, name="idle", state="present"), **(idle or {})),
    ]


ABSENT = [dict(name=n, state="absent", stop_timeout=2) for n in ("web", "worker", "limits", "idle")]

STEPS = [
    ("1-create", specs(), dict(web=["created", "started"], worker=["created", "started"],
                               limits=["created", "started"], idle=["created"])),
    ("2-noop", specs(), []),
    ("3-policy-in-place", specs(web=dict(restart_policy="unless-stopped"),
                                worker=dict(restart_retries=5),
                                limits=dict(memory="96m")), None),
    ("4-recreate", specs(web=dict(restart_policy="unless-stopped", env={"A": "2"}),
                         worker=dict(restart_retries=5, command=["app-server", "--port", "8002"]),
                         limits=dict(memory="96m"),
                         idle=dict(recreate=True)), None),
    ("5-stop", [dict(s, state="stopped") for s in specs(web=dict(restart_policy="unless-stopped", env={"A": "2"}),
                                                        worker=dict(restart_retries=5,
                                                                    command=["app-server", "--port", "8002"]),
                                                        limits=dict(memory="96m"))], None),
    ("6-restart", [dict(s, state="restarted") for s in specs(web=dict(restart_policy="unless-stopped",
                                                                      env={"A": "2"}),
                                                             worker=dict(restart_retries=5,
                                                                         command=["app-server", "--port", "8002"]),
                                                             limits=dict(memory="96m"))], None),
    ("7-remove", ABSENT, ["removed"]),
]
NAMES = ("web", "worker", "limits", "idle")


def ids(h, prefix):
    return dict((n, (inspect(h, prefix + n) or {}).get("Id")) for n in NAMES)


@pytest.mark.parametrize("step", [s[0] for s in STEPS])
def test_step(node, step):
    _label, items, every_actions = [s for s in STEPS if s[0] == step][0]
    before = snapshot(node)
    ids_before = dict(l=ids(node, "l-"), b=ids(node, "b-"))

    check = run_pair(items, check=True)
    assert check.bulk() == check.loop(), check.output[-3000:]
    assert snapshot(node) == before, "check mode changed the engine"

    real = run_pair(items)
    assert real.bulk() == real.loop(), real.output[-3000:]
    # check mode predicted exactly what the real run did
    assert real.bulk() == check.bulk()
    assert real.data["bulk"]["changed"] == any(changed for _n, changed, _a in real.loop())
    for name in NAMES:
        assert end_state(node, "b-" + name) == end_state(node, "l-" + name), name
    if isinstance(every_actions, dict):
        assert dict((n, a) for n, _c, a in real.bulk()) == every_actions
    elif every_actions is not None:
        assert all(actions == every_actions for _n, _c, actions in real.bulk()), real.bulk()

    ids_after = dict(l=ids(node, "l-"), b=ids(node, "b-"))
    actions = dict((n, a) for n, _c, a in real.bulk())
    if step == "3-policy-in-place":
        # applied in place: same containers, same processes
        assert ids_after == ids_before
        assert actions["web"] == ["updated restart_policy"]
        assert actions["worker"] == ["updated restart_policy"]
        assert actions["limits"] == ["updated memory"]
        assert actions["idle"] == []
        for prefix in ("l-", "b-"):
            assert inspect(node, prefix + "worker")["HostConfig"]["RestartPolicy"] == {
                "Name": "on-failure", "MaximumRetryCount": 5}
            assert inspect(node, prefix + "limits")["HostConfig"]["Memory"] == 96 * 1024 * 1024
    if step == "4-recreate":
        for prefix, key in (("l-", "l"), ("b-", "b")):
            for name in ("web", "worker", "idle"):
                assert ids_after[key][name] != ids_before[key][name], prefix + name
            assert ids_after[key]["limits"] == ids_before[key]["limits"]
        assert actions["web"] == ["recreated: env changed", "started"]
        assert actions["idle"] == ["recreated: recreate requested"]
        assert actions["limits"] == []
    if step == "5-stop":
        for prefix in ("l-", "b-"):
            assert inspect(node, prefix + "web")["State"]["Status"] == "exited"
    if step == "7-remove":
        for prefix in ("l-", "b-"):
            for name in NAMES:
                assert inspect(node, prefix + name) is None
