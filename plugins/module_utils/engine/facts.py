# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of engine_info: shape the engine's own JSON into stable facts.

No engine connection here: these functions take the dicts the Engine API returns
(``/version``, ``/info``, ``/containers/{id}/json``, the image, network and volume lists, ``/system/df``)
and are unit tested without a daemon.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def engine_facts(version, info):
    """Engine and API version, drivers and counters from ``/version`` and ``/info``."""
    version = version or {}
    info = info or {}
    return dict(
        version=version.get("Version"),
        api_version=version.get("ApiVersion"),
        min_api_version=version.get("MinAPIVersion"),
        git_commit=version.get("GitCommit"),
        go_version=version.get("GoVersion"),
        os=version.get("Os"),
        arch=version.get("Arch"),
        kernel_version=version.get("KernelVersion") or info.get("KernelVersion"),
        name=info.get("Name"),
        operating_system=info.get("OperatingSystem"),
        storage_driver=info.get("Driver"),
        logging_driver=info.get("LoggingDriver"),
        cgroup_driver=info.get("CgroupDriver"),
        cgroup_version=str(info["CgroupVersion"]) if info.get("CgroupVersion") not in (None, "") else None,
        docker_root_dir=info.get("DockerRootDir"),
        live_restore_enabled=bool(info.get("LiveRestoreEnabled", False)),
        containers_total=info.get("Containers"),
        containers_running=info.get("ContainersRunning"),
        containers_paused=info.get("ContainersPaused"),
        containers_stopped=info.get("ContainersStopped"),
        images=info.get("Images"),
    )


def swarm_facts(info):
    """Swarm membership of this engine from ``/info``'s ``Swarm`` section.

    ``role`` is ``manager`` when the node can take part in the control plane,
    ``worker`` when it is in a swarm without it, ``none`` outside a swarm.
    ``cluster_id`` is only known on managers (the engine shows it to them only).
    """
    swarm = (info or {}).get("Swarm") or {}
    state = swarm.get("LocalNodeState") or "inactive"
    node_id = swarm.get("NodeID") or None
    in_swarm = state in ("active", "locked", "pending", "error") and bool(node_id)
    is_manager = bool(swarm.get("ControlAvailable"))
    if state == "active" and is_manager:
        role = "manager"
    elif state == "active":
        role = "worker"
    else:
        role = "none"
    cluster = swarm.get("Cluster") or {}
    return dict(
        state=state,
        node_id=node_id,
        node_addr=swarm.get("NodeAddr") or None,
        role=role,
        is_manager=is_manager,
        cluster_id=cluster.get("ID") or None,
        managers=swarm.get("Managers") if in_swarm else None,
        nodes=swarm.get("Nodes") if in_swarm else None,
        error=swarm.get("Error") or None,
        remote_managers=[m.get("Addr") for m in (swarm.get("RemoteManagers") or []) if m.get("Addr")],
    )


def container_facts(inspect):
    """One container's name, image, state, restart policy and RestartCount from its inspect data."""
    inspect = inspect or {}
    config = inspect.get("Config") or {}
    host_config = inspect.get("HostConfig") or {}
    state = inspect.get("State") or {}
    policy = host_config.get("RestartPolicy") or {}
    policy_name = policy.get("Name") or "no"
    return dict(
        id=inspect.get("Id"),
        name=(inspect.get("Name") or "").lstrip("/"),
        image=config.get("Image"),
        image_id=inspect.get("Image"),
        state=state.get("Status"),
        running=bool(state.get("Running")),
        exit_code=state.get("ExitCode"),
        started_at=state.get("StartedAt"),
        finished_at=state.get("FinishedAt"),
        health=(state.get("Health") or {}).get("Status"),
        restart_policy=policy_name,
        restart_retries=policy.get("MaximumRetryCount") or 0,
        restart_count=inspect.get("RestartCount", 0),
        labels=config.get("Labels") or {},
    )


def image_summary(entry):
    return dict(
        Id=entry.get("Id"), RepoTags=entry.get("RepoTags") or [], RepoDigests=entry.get("RepoDigests") or [],
        Created=entry.get("Created"), Size=entry.get("Size"), Labels=entry.get("Labels") or {},
    )


def network_summary(entry):
    return dict(
        Id=entry.get("Id"), Name=entry.get("Name"), Driver=entry.get("Driver"), Scope=entry.get("Scope"),
        Created=entry.get("Created"), Internal=entry.get("Internal"), Attachable=entry.get("Attachable"),
        Labels=entry.get("Labels") or {},
    )


def volume_summary(entry):
    return dict(
        Name=entry.get("Name"), Driver=entry.get("Driver"), Mountpoint=entry.get("Mountpoint"),
        Scope=entry.get("Scope"), CreatedAt=entry.get("CreatedAt"), Labels=entry.get("Labels") or {},
        Options=entry.get("Options") or {},
    )


def disk_usage_summary(df):
    """Counts and bytes per kind from ``/system/df``, as ``docker system df`` shows them."""
    df = df or {}

    def kind(items, size_of, active_of):
        items = items or []
        return dict(count=len(items), active=sum(1 for i in items if active_of(i)),
                    size=sum(max(size_of(i) or 0, 0) for i in items))

    return dict(
        layers_size=df.get("LayersSize") or 0,
        images=kind(df.get("Images"), lambda i: i.get("Size"), lambda i: (i.get("Containers") or 0) > 0),
        containers=kind(df.get("Containers"), lambda c: c.get("SizeRw"), lambda c: c.get("State") == "running"),
        volumes=kind(df.get("Volumes"), lambda v: (v.get("UsageData") or {}).get("Size"),
                     lambda v: ((v.get("UsageData") or {}).get("RefCount") or 0) > 0),
        build_cache=kind(df.get("BuildCache"), lambda b: b.get("Size"), lambda b: b.get("InUse")),
    )
