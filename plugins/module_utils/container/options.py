# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every option of a container, declared once.

Each :class:`Option` row holds all there is to know about one option:

* ``spec``     its Ansible argument spec entry (with ``description`` for the docs);
* ``parse``    user value -> normalised engine value (raises ``SpecError`` naming the option);
* ``put``      where that value goes in the engine's create request;
* ``read``     the same normalised value read back from ``docker inspect``;
* ``kind``     how values compare: ``value``, ``list`` (ordered), ``set`` or ``dict``;
* ``compare``  the default comparison (``strict`` / ``ignore``; ``comparisons`` overrides it);
* ``live``     the field of ``POST /containers/{id}/update`` that changes it on a running
               container (``None``: a difference needs a new container).

The argument spec of ``container``, the items of ``containers``, the role's
argument specs, the module docs, the create request, the comparison, the diff and
the in-place update all come from this table (see ``spec.py`` and
``tools/gen_container_docs.py``).  Options with ``put=None`` steer the module
(``state``, ``pull``, ...) and are never compared.

Most rows use :func:`host` or :func:`config`: a value stored under one key of the
inspect's ``HostConfig`` or ``Config``, which is also where the create request takes it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.dockyard.docker.plugins.module_utils import option_table
from ansible_collections.dockyard.docker.plugins.module_utils.parsing import values
from ansible_collections.dockyard.docker.plugins.module_utils.parsing import forms
from ansible_collections.dockyard.docker.plugins.module_utils.container.option_values import (
    parse_caps,
    parse_choices,
    parse_command,
    parse_comparisons,
    parse_cpus,
    parse_device_requests,
    parse_devices,
    parse_env,
    parse_env_file,
    parse_etc_hosts,
    parse_exposed,
    parse_healthcheck,
    parse_host_ip,
    parse_image,
    parse_ips,
    parse_kernel_memory,
    parse_links,
    parse_memory_swap,
    parse_mode,
    parse_mounts,
    parse_name,
    parse_networks,
    parse_nonneg,
    parse_oom_killer,
    parse_pids_limit,
    parse_ports,
    parse_pull,
    parse_restart_policy,
    parse_signal,
    parse_size,
    parse_stop_timeout,
    parse_swappiness,
    parse_sysctls,
    parse_throttle,
    parse_timeout,
    parse_tmpfs,
    parse_ulimits,
    parse_volumes,
    put_caps,
    put_cmd,
    put_env,
    put_exposed,
    put_healthcheck,
    put_labels,
    put_log_driver,
    put_log_options,
    put_mounts,
    put_networks,
    put_oom_killer,
    put_platform,
    put_ports,
    put_restart_policy,
    put_swappiness,
    put_volumes,
    read_caps,
    read_cmd,
    read_device_requests,
    read_env,
    read_exposed,
    read_healthcheck,
    read_labels,
    read_links,
    read_log_driver,
    read_log_options,
    read_mounts,
    read_namespace_mode,
    read_network_mode,
    read_networks,
    read_oom_killer,
    read_ports,
    read_restart_policy,
    read_swappiness,
    read_ulimits,
    read_volumes,
    show_cpus,
    show_volumes,
)
from ansible_collections.dockyard.docker.plugins.module_utils.container.restart_policy import format_policy

COMPARISONS = ("strict", "ignore", "allow_more_present")


class Option(object):
    """One container option (see the module docstring for the fields)."""

    def __init__(self, name, spec, parse=None, put=None, read=None, kind=None, compare=None, live=None,
                 live_zero=True, show=None, elements=None):
        self.name = name
        self.spec = spec
        self.parse = parse or _default_parser(spec)
        self.put = put
        self.read = read
        self.kind = kind or {"list": "list", "dict": "dict"}.get(spec.get("type"), "value")
        # community.docker's defaults: single values and ordered lists strict; sets and dicts
        # allow_more_present (what the container has beyond the task does not change it).
        self.compare = compare or ("allow_more_present" if self.kind in ("set", "dict") else "strict")
        # The members of a "set" value, for the comparison (most values are already a list).
        self.elements = elements or (lambda value: list(value or []))
        self.live = live
        # False when the engine's update reads 0 / "" as "leave as is": going back to
        # that value then needs a new container.
        self.live_zero = live_zero
        self.show = show or (lambda value: value)

    @property
    def comparable(self):
        return self.read is not None

    def can_update(self, desired):
        if self.live is None:
            return False
        return self.live_zero or bool(desired)


def _default_parser(spec):
    kind = spec.get("type")
    if kind == "bool":
        return lambda value, params, name: values.boolean(value, name)
    if kind == "int":
        return lambda value, params, name: values.integer(value, name)
    if kind == "float":
        return lambda value, params, name: None if value is None else float(value)
    if kind == "list":
        return lambda value, params, name: values.string_list(value, name)
    if kind == "dict":
        return lambda value, params, name: values.string_map(value, name)
    return lambda value, params, name: values.string(value, name)


def _section_reader(section, key, empty):
    def read(inspect, ctx):
        value = (inspect.get(section) or {}).get(key)
        return empty if value is None else value
    return read


def _section_writer(section, key):
    def put(request, value, ctx):
        request[section][key] = value
    return put


def host(name, key, spec, parse=None, empty=None, **kwargs):
    """An option stored as ``HostConfig[key]``; ``empty`` is what the engine shows when it is unset."""
    if empty is None:
        empty = {"list": [], "dict": {}, "bool": False, "int": 0}.get(spec.get("type"), "")
    read = kwargs.pop("read", None) or _section_reader("HostConfig", key, empty)
    put = kwargs.pop("put", None) or _section_writer("HostConfig", key)
    return Option(name, spec, parse=parse, put=put, read=read, **kwargs)


def config(name, key, spec, parse=None, empty=None, **kwargs):
    """An option stored as ``Config[key]`` (top level of the create request)."""
    if empty is None:
        empty = {"list": [], "dict": {}, "bool": False, "int": 0}.get(spec.get("type"), "")
    return Option(name, spec, parse=parse, put=_section_writer("Config", key),
                  read=_section_reader("Config", key, empty), **kwargs)


def steer(name, spec, parse=None):
    """An option that steers the module and is not part of the container's configuration."""
    return Option(name, spec, parse=parse)


doc = option_table.doc


def throttle(name, key, text):
    """A per-device block I/O limit: ``[{path, rate}]`` (bytes per second, or operations for ``*_iops``)."""
    iops = name.endswith("_iops")
    rate = (dict(type="int", required=True, description=doc("Operations per second.")) if iops else
            dict(type="str", required=True, description=doc("Bytes per second, a size such as C(10m).")))
    return host(name, key, dict(
        type="list", elements="dict", description=doc(text),
        options=dict(path=dict(type="str", required=True, description=doc("Device path on the host.")), rate=rate)),
        parse=parse_throttle, kind="set")


STRLIST = dict(type="list", elements="str")

# --------------------------------------------------------------------------- the table
# Alphabetical, as the module docs list them.  ``description`` is what ansible-doc shows.
OPTIONS = [
    host("auto_remove", "AutoRemove", dict(
        type="bool", description=doc("Remove the container when its process exits (C(docker run --rm)).")),
        empty=False),
    host("blkio_weight", "BlkioWeight", dict(
        type="int", description=doc("Relative block I/O weight, 10 to 1000. Applied in place.",
                                    "A kernel without the cgroup's blkio weight support discards it (the "
                                    "engine warns); on a local engine the module sees that, warns, and does not "
                                    "compare it, so an unchanged task stays unchanged.")),
         parse=lambda value, params, name: values.integer(value, name, minimum=0, maximum=1000),
         live="BlkioWeight", live_zero=False),
    host("cap_drop", "CapDrop", dict(
        STRLIST, description=doc("Capabilities to drop, e.g. C(NET_RAW) (with or without C(CAP_); case does not "
                                 "matter). C(ALL) drops every capability.")),
         parse=parse_caps, put=put_caps("CapDrop"), read=read_caps("CapDrop"), kind="set"),
    Option("capabilities", dict(
        STRLIST, description=doc("Capabilities to add, e.g. C(NET_ADMIN), C(SYS_TIME) (C(docker run --cap-add)).")),
        parse=parse_caps, put=put_caps("CapAdd"), read=read_caps("CapAdd"), kind="set"),
    host("cgroup_parent", "CgroupParent", dict(type="str", description=doc("Parent cgroup of the container."))),
    host("cgroupns_mode", "CgroupnsMode", dict(
        type="str", choices=["private", "host"], description=doc("Cgroup namespace: C(private) or C(host).")),
        parse=parse_choices("private", "host")),
    steer("cleanup", dict(type="bool", default=False, description=doc(
        "With O(detach=false), remove the container after it exited."))),
    Option("command", dict(type="raw", description=doc(
        "Command to run, a string (split like a shell would) or a list of arguments. Replaces the image's C(CMD).",
        "A string and the list it splits into are the same command.")),
        parse=parse_command, put=put_cmd("Cmd"), read=read_cmd("Cmd"), kind="list"),
    steer("command_handling", dict(type="str", choices=["compatibility", "correct"], default="correct",
                                   description=doc(
                                       "C(correct) passes a list O(command) as it is; C(compatibility) joins its "
                                       "items with spaces and splits the result like a shell (older behaviour)."))),
    steer("comparisons", dict(type="dict", description=doc(
        "How an option is compared with the container: C(strict) (any difference changes the container), "
        "C(ignore), or C(allow_more_present) (sets and dicts: the container may have more). Keys are option "
        "names; C(*) sets C(strict) or C(ignore) for every option not named. Only options that are given are "
        "compared.",
        "The defaults are community.docker's: single values and ordered lists (O(command), O(entrypoint), "
        "O(dns_servers), O(dns_search_domains), O(device_cgroup_rules)) are C(strict); sets and dicts (O(env), "
        "O(labels), O(published_ports), O(volumes), O(mounts), O(ulimits), O(devices), ...) are "
        "C(allow_more_present), so an entry removed from the task stays on the container; O(stop_timeout) is "
        "C(ignore).",
        "For strict desired state (an entry removed from the task is removed from the container, by a "
        "recreate), use C(comparisons: {'*': strict}) or name the options.")),
        parse=parse_comparisons),
    steer("container_default_behavior", dict(
        type="str", choices=["compatibility", "no_defaults"], default="no_defaults", description=doc(
            "C(compatibility) gives O(auto_remove), O(detach), O(init), O(interactive), O(memory), O(paused), "
            "O(privileged), O(read_only) and O(tty) their old defaults (and so compares them); C(no_defaults) "
            "leaves unset options alone."))),
    host("cpu_period", "CpuPeriod", dict(type="int", description=doc(
        "CPU CFS period in microseconds. Applied in place.")), parse=parse_nonneg, live="CpuPeriod", live_zero=False),
    host("cpu_quota", "CpuQuota", dict(type="int", description=doc(
        "CPU CFS quota in microseconds per O(cpu_period). Applied in place.")),
        parse=lambda value, params, name: values.integer(value, name, minimum=-1), live="CpuQuota",
        live_zero=False),
    host("cpu_shares", "CpuShares", dict(type="int", description=doc(
        "Relative CPU weight (default 1024 when unset). Applied in place.")), parse=parse_nonneg,
        live="CpuShares", live_zero=False),
    host("cpus", "NanoCpus", dict(type="float", description=doc(
        "CPU limit, may be fractional (C(0.5)). Applied in place.")), parse=parse_cpus, live="NanoCpus",
        live_zero=False, show=show_cpus),
    host("cpuset_cpus", "CpusetCpus", dict(type="str", description=doc(
        "CPUs the container may use, e.g. C(0-2) or C(0,1). Applied in place.")), live="CpusetCpus",
        live_zero=False),
    host("cpuset_mems", "CpusetMems", dict(type="str", description=doc(
        "Memory nodes (NUMA) the container may use. Applied in place.")), live="CpusetMems", live_zero=False),
    steer("debug", dict(type="bool", default=False, description=doc(
        "Accepted for compatibility with community.docker; the actions are always returned."))),
    steer("default_host_ip", dict(type="str", description=doc(
        "Host address for O(published_ports) entries without one. Unset (or an empty string) binds to every "
        "address, as C(docker run -p) does.")), parse=parse_host_ip),
    steer("detach", dict(type="bool", default=True, description=doc(
        "C(false) waits until the started container exits and fails when it exits non-zero; with "
        "O(output_logs) its output is returned in the C(Output) key of the returned container."))),
    host("device_cgroup_rules", "DeviceCgroupRules", dict(STRLIST, description=doc(
        "Rules for the devices cgroup, e.g. C(c 1:3 mr), in order.")), kind="list"),
    throttle("device_read_bps", "BlkioDeviceReadBps", "Read rate limits per device."),
    throttle("device_read_iops", "BlkioDeviceReadIOps", "Read operations per second limits per device."),
    Option("device_requests", dict(
        type="list", elements="dict", options=dict(
            capabilities=dict(type="list", elements="list", description=doc(
                "Lists of capabilities, any list of which must match, e.g. C([[gpu]]).")),
            count=dict(type="int", description=doc("Number of devices, C(-1) for all.")),
            device_ids=dict(type="list", elements="str", description=doc("Device IDs.")),
            driver=dict(type="str", description=doc("Device driver, e.g. C(nvidia).")),
            options=dict(type="dict", description=doc("Driver options."))),
        description=doc("Device requests (GPUs), as C(docker run --gpus).")),
        parse=parse_device_requests, put=_section_writer("HostConfig", "DeviceRequests"),
        read=read_device_requests, kind="set"),
    throttle("device_write_bps", "BlkioDeviceWriteBps", "Write rate limits per device."),
    throttle("device_write_iops", "BlkioDeviceWriteIOps", "Write operations per second limits per device."),
    host("devices", "Devices", dict(STRLIST, description=doc(
        "Host devices, C(HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]]) with PERMISSIONS from C(rwm) "
        "(e.g. C(/dev/fuse), C(/dev/sda:/dev/xvda:rwm)).")), parse=parse_devices, kind="set"),
    host("dns_opts", "DnsOptions", dict(STRLIST, description=doc("Resolver options, e.g. C(ndots:2).")),
         kind="set"),
    host("dns_search_domains", "DnsSearch", dict(STRLIST, description=doc("DNS search domains."))),
    host("dns_servers", "Dns", dict(STRLIST, description=doc("DNS servers (IP addresses), in order.")),
         parse=parse_ips),
    config("domainname", "Domainname", dict(type="str", description=doc("Container domain name."))),
    Option("entrypoint", dict(type="list", elements="str", description=doc("Replaces the image's C(ENTRYPOINT)."),
                              ), parse=parse_command, put=put_cmd("Entrypoint"), read=read_cmd("Entrypoint"),
           kind="list"),
    Option("env", dict(type="dict", description=doc(
        "Environment variables. Values are strings; numbers are converted, booleans must be quoted.",
        "Compared with the container's environment, less the variables the image itself sets. By default "
        "(C(allow_more_present)) a variable removed from O(env) stays; with C(comparisons: {env: strict}) it is "
        "noticed and the container recreated without it.")),
        parse=parse_env, put=put_env, read=read_env, kind="dict"),
    steer("env_file", dict(type="path", description=doc(
        "File on the managed host with C(KEY=VALUE) lines (C(#) comments), read before O(env); O(env) wins.")),
        parse=parse_env_file),
    host("etc_hosts", "ExtraHosts", dict(type="dict", description=doc(
        "Extra C(/etc/hosts) entries, host name to IP address (or C(host-gateway)).")),
        parse=parse_etc_hosts, kind="set"),
    Option("exposed_ports", dict(
        STRLIST, aliases=["exposed", "expose"], description=doc(
            "Container ports to expose without publishing them, C(PORT[/PROTOCOL]) or a range C(8000-8010).")),
           parse=parse_exposed, put=put_exposed, read=read_exposed, kind="set"),
    steer("force_kill", dict(type="bool", default=False, aliases=["forcekill"], description=doc(
        "Kill (O(kill_signal), default SIGKILL) instead of stopping gracefully when the module stops the "
        "container."))),
    host("groups", "GroupAdd", dict(STRLIST, description=doc("Additional groups the process runs with.")),
         kind="set"),
    Option("healthcheck", dict(
        type="dict", options=dict(
            test=dict(type="raw", description=doc(
                "Command: a string run by the shell, or a list (C(CMD) is added when it does not start with "
                "C(CMD), C(CMD-SHELL) or C(NONE)).")),
            test_cli_compatible=dict(type="bool", description=doc(
                "Accepted for compatibility with community.docker; a missing test keeps the image's test.")),
            interval=dict(type="str", description=doc("Time between checks, a duration such as C(30s).")),
            timeout=dict(type="str", description=doc("Time a check may take.")),
            retries=dict(type="int", description=doc("Failures in a row before the container is unhealthy.")),
            start_period=dict(type="str", description=doc("Start-up time during which failures do not count.")),
            start_interval=dict(type="str", description=doc(
                "Time between checks during the start period (engine API 1.44 and later; older engines ignore "
                "it and it is then not compared).")),
            disable=dict(type="bool", description=doc("Disable the image's health check."))),
        description=doc("Health check. Durations are like C(30s), C(1m30s) or seconds. Only the keys given are "
                        "compared.")),
           parse=parse_healthcheck, put=put_healthcheck, read=read_healthcheck, kind="dict"),
    steer("healthy_wait_timeout", dict(type="float", default=300, description=doc(
        "With O(state=healthy), seconds to wait for the container to become healthy.")), parse=parse_timeout),
    config("hostname", "Hostname", dict(type="str", description=doc("Container host name."))),
    steer("image", dict(type="str", description=doc(
        "Image reference (C(repository[:tag]) or C(repository@digest)). Required to create the container.",
        "Compared by image ID; when the tag now points to another image, the container is recreated.")),
        parse=parse_image),
    steer("image_comparison", dict(type="str", choices=["desired-image", "current-image"], default="desired-image",
                                   description=doc(
                                       "Which image's environment, labels and exposed ports are taken as given "
                                       "when comparing: the image of O(image) or the container's current "
                                       "image."))),
    steer("image_label_mismatch", dict(type="str", choices=["ignore", "fail"], default="ignore", description=doc(
        "C(ignore): labels the image sets and O(labels) does not name are not compared. C(fail): fail when the "
        "image sets labels that O(labels) does not name."))),
    steer("image_name_mismatch", dict(type="str", choices=["recreate", "ignore"], default="recreate",
                                      description=doc(
                                          "C(recreate): a container created from another name of the same image "
                                          "is recreated; C(ignore): only the image ID is compared."))),
    host("init", "Init", dict(type="bool", description=doc(
        "Run an init process (tini) as PID 1 that forwards signals and reaps zombies.")), empty=False),
    config("interactive", "OpenStdin", dict(type="bool", description=doc("Keep stdin open (C(docker run -i)).")),
           empty=False),
    host("ipc_mode", "IpcMode", dict(type="str", description=doc(
        "IPC namespace: C(private), C(shareable), C(host), C(none) or C(container:NAME).")),
        parse=parse_mode, read=read_namespace_mode("ipc_mode", "IpcMode")),
    steer("kernel_memory", dict(type="str", description=doc(
        "Accepted for community.docker playbooks and ignored, with a warning: engines since API 1.42 no longer "
        "set kernel memory limits, and older ones only warn that it is deprecated. A size if given.")),
        parse=parse_kernel_memory),
    steer("keep_volumes", dict(type="bool", default=True, description=doc(
        "C(false) also removes the container's anonymous volumes when it is removed. Named volumes are never "
        "removed."))),
    steer("kill_signal", dict(type="str", description=doc(
        "Signal sent by O(force_kill) (default C(SIGKILL)).")), parse=parse_signal),
    Option("labels", dict(type="dict", description=doc(
        "Labels. Compared with the container's labels, less those the image sets (see O(image_label_mismatch)) "
        "and this collection's own C(io.dockyard.managed), C(io.dockyard.owner) and C(io.dockyard.created-as). By "
        "default (C(allow_more_present)) a label removed from O(labels) stays; with C(comparisons: {labels: strict}) "
        "it is noticed.")),
        put=put_labels, read=read_labels, kind="dict"),
    Option("links", dict(STRLIST, description=doc(
        "Legacy links to other containers, C(NAME) or C(NAME:ALIAS) (default bridge only).")),
        parse=parse_links, put=_section_writer("HostConfig", "Links"), read=read_links, kind="set"),
    Option("log_driver", dict(type="str", description=doc("Logging driver, e.g. C(json-file), C(local), "
                                                          "C(journald).")),
           put=put_log_driver, read=read_log_driver),
    Option("log_options", dict(type="dict", aliases=["log_opt"], description=doc(
        "Options of the logging driver. Needs O(log_driver).")),
        put=put_log_options, read=read_log_options, kind="dict"),
    config("mac_address", "MacAddress", dict(type="str", description=doc("MAC address of the container."))),
    host("memory", "Memory", dict(type="str", description=doc(
        "Memory limit, bytes or a number with unit C(b), C(k), C(m), C(g), C(t) (e.g. C(512m), C(1g)). C(0) is "
        "unlimited. Applied in place.")), parse=parse_size, live="Memory", live_zero=False, empty=0),
    host("memory_reservation", "MemoryReservation", dict(type="str", description=doc(
        "Soft memory limit, a size. Applied in place.")), parse=parse_size, live="MemoryReservation", empty=0),
    host("memory_swap", "MemorySwap", dict(type="str", description=doc(
        "Memory plus swap limit, a size, or C(-1) / C(unlimited) for unlimited swap; at least O(memory). Applied "
        "in place.")),
        parse=parse_memory_swap, live="MemorySwap", live_zero=False, empty=0),
    Option("memory_swappiness", dict(type="int", description=doc(
        "Swappiness 0-100; C(-1) keeps the host's.")), parse=parse_swappiness, put=put_swappiness,
        read=read_swappiness),
    Option("mounts", dict(
        type="list", elements="dict", options=dict(
            target=dict(type="str", required=True, description=doc("Absolute path in the container.")),
            source=dict(type="str", description=doc(
                "Volume name or absolute host path. Not used for C(tmpfs); empty for an anonymous volume.")),
            type=dict(type="str", choices=["bind", "volume", "tmpfs"], default="volume",
                      description=doc("Mount type.")),
            read_only=dict(type="bool", description=doc("Mount read-only.")),
            consistency=dict(type="str", choices=["default", "consistent", "cached", "delegated"],
                             description=doc("Consistency (meaningful on Docker Desktop only).")),
            propagation=dict(type="str", choices=["private", "rprivate", "shared", "rshared", "slave", "rslave"],
                             description=doc("Bind propagation (C(bind) only).")),
            no_copy=dict(type="bool", description=doc(
                "Do not copy the image's files into a new volume (C(volume) only).")),
            labels=dict(type="dict", description=doc("Labels of a volume created for the mount.")),
            volume_driver=dict(type="str", description=doc("Driver of a volume created for the mount.")),
            volume_options=dict(type="dict", description=doc("Driver options of a volume created for the mount.")),
            tmpfs_size=dict(type="str", description=doc("Size of a C(tmpfs) mount, e.g. C(64m).")),
            tmpfs_mode=dict(type="str", description=doc("Mode of a C(tmpfs) mount, octal, e.g. C(1777)."))),
        description=doc("Mounts in the engine's C(--mount) form.")),
        parse=parse_mounts, put=put_mounts, read=read_mounts, kind="set"),
    steer("name", dict(type="str", required=True, description=doc(
        "Name of the container. 2 or more of C([a-zA-Z0-9_.-]), starting with a letter or digit; no slashes.")),
        parse=parse_name),
    Option("network_mode", dict(type="str", description=doc(
        "C(bridge), C(host), C(none), C(container:NAME) or a network name.")),
        put=_section_writer("HostConfig", "NetworkMode"), read=read_network_mode),
    Option("networks", dict(
        type="list", elements="dict", options=dict(
            name=dict(type="str", required=True, description=doc("Network name.")),
            aliases=dict(type="list", elements="str", description=doc("Network-scoped aliases.")),
            ipv4_address=dict(type="str", description=doc("Fixed IPv4 address on a network with a subnet.")),
            ipv6_address=dict(type="str", description=doc("Fixed IPv6 address on a network with an IPv6 subnet.")),
            links=dict(type="list", elements="str", description=doc("Links on this network, C(NAME[:ALIAS]).")),
            mac_address=dict(type="str", description=doc(
                "MAC address on this network (engine API 1.44 and later; not compared on older engines).")),
            driver_opts=dict(type="dict", description=doc("Options of the network driver for this endpoint."))),
        description=doc(
            "Networks to attach the container to, the first one at creation (it is then not on the default "
            "bridge). By default the container may be on more networks (C(allow_more_present)); with "
            "O(comparisons) C(networks: strict) it is on exactly these.")),
           parse=parse_networks, put=put_networks, read=read_networks, kind="set", compare="allow_more_present",
           show=lambda networks: sorted(networks, key=lambda n: n["name"])),
    steer("networks_cli_compatible", dict(type="bool", default=True, description=doc(
        "Accepted for compatibility with community.docker; containers with O(networks) are always created as "
        "C(docker run --network) does (not on the default bridge)."))),
    Option("oom_killer", dict(type="bool", description=doc(
        "Whether to B(disable) the kernel's OOM killer for the container: C(true) disables it "
        "(C(docker run --oom-kill-disable)), as in community.docker, whose name this is.")), parse=parse_oom_killer,
        put=put_oom_killer, read=read_oom_killer),
    host("oom_score_adj", "OomScoreAdj", dict(type="int", description=doc("OOM score adjustment, -1000 to 1000.")),
         parse=lambda value, params, name: values.integer(value, name, minimum=-1000, maximum=1000)),
    steer("output_logs", dict(type="bool", default=False, description=doc(
        "With O(detach=false), return the container's output in the C(Output) key of the returned container."))),
    steer("paused", dict(type="bool", description=doc(
        "C(true) pauses the running container (C(docker pause)), C(false) unpauses it. Applied in place."))),
    host("pid_mode", "PidMode", dict(type="str", description=doc("PID namespace: C(host) or C(container:NAME).")),
         parse=parse_mode, read=read_namespace_mode("pid_mode", "PidMode")),
    host("pids_limit", "PidsLimit", dict(type="int", description=doc(
        "Most processes the container may have; C(0) or C(-1) is unlimited. Applied in place.")),
        parse=parse_pids_limit, live="PidsLimit"),
    Option("platform", dict(type="str", description=doc(
        "Platform of the image to create the container from, e.g. C(linux/amd64). Only used at creation, not "
        "compared.")), put=put_platform),
    host("privileged", "Privileged", dict(type="bool", description=doc(
        "Give the container every capability and device (C(docker run --privileged)).")), empty=False),
    host("publish_all_ports", "PublishAllPorts", dict(type="bool", description=doc(
        "Publish every exposed port on a random host port.")), empty=False),
    Option("published_ports", dict(
        STRLIST, aliases=["ports"], description=doc(
            "Ports to publish, C([IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]), e.g. C(8080:80), "
            "C(127.0.0.1:53:53/udp), C(127.0.0.1::80) (host port chosen by the engine), C(9000-9001:9000-9001). "
            "Protocol C(tcp) (default), C(udp) or C(sctp). IPv6 host addresses go in brackets, C([::1]:80:80).")),
           parse=parse_ports, put=put_ports, read=read_ports, kind="dict", show=forms.format_ports),
    steer("pull", dict(type="raw", default="missing", description=doc(
        "C(missing) pulls the image only when it is not on the host.",
        "C(always) pulls it on every run (the container is recreated only when the image ID changed).",
        "C(never) never pulls; a missing image is an error and nothing is changed.",
        "The booleans of older community.docker releases are accepted: C(true) is C(always), C(false) is "
        "C(missing).")), parse=parse_pull),
    steer("pull_check_mode_behavior", dict(
        type="str", choices=["image_not_present", "always"], default="image_not_present", description=doc(
            "In check mode with O(pull=always): C(image_not_present) reports a pull only when the image is not "
            "on the host; C(always) reports one every time, as a real run pulls."))),
    host("read_only", "ReadonlyRootfs", dict(type="bool", description=doc("Mount the root filesystem read-only.")),
         empty=False),
    steer("recreate", dict(type="bool", default=False, description=doc("Recreate the container even when nothing "
                                                                       "differs."))),
    steer("removal_wait_timeout", dict(type="float", description=doc(
        "Seconds to wait for a container the engine is already removing to be gone (default: as long as it "
        "takes).")), parse=parse_timeout),
    steer("restart", dict(type="bool", default=False, description=doc(
        "With O(state=started), restart the container even when nothing changed (as O(state=restarted))."))),
    Option("restart_policy", dict(type="raw", description=doc(
        "Docker restart policy. C(no) never restarts; C(on-failure) restarts after a non-zero exit (at most "
        "O(restart_retries) times when set); C(always) restarts whenever the container stops and at engine start, "
        "even after a manual stop; C(unless-stopped) like C(always) except after a manual stop.",
        "The literal C(on-failure:N) is accepted and means O(restart_retries=N).",
        "Quote C(\"no\") in YAML, or the value becomes the boolean false (which is accepted as C(no) too).",
        "A change is applied in place (same container ID, the process is not restarted).",
        "Accepted values: C(no), C(on-failure), C(on-failure:N), C(always), C(unless-stopped).")),
        parse=parse_restart_policy, put=put_restart_policy, read=read_restart_policy, live="RestartPolicy",
        show=format_policy),
    steer("restart_retries", dict(type="int", description=doc(
        "Maximum restart count for O(restart_policy=on-failure); C(0) means no limit. Only valid with "
        "C(on-failure)."))),
    host("runtime", "Runtime", dict(type="str", description=doc("OCI runtime, e.g. C(runc).")), empty="runc"),
    host("security_opts", "SecurityOpt", dict(STRLIST, description=doc(
        "Security options, e.g. C(no-new-privileges), C(seccomp=unconfined), C(apparmor=PROFILE).")), kind="set"),
    host("shm_size", "ShmSize", dict(type="str", description=doc("Size of C(/dev/shm), e.g. C(128m).")),
         parse=parse_size, empty=64 * 1024 * 1024),
    steer("state", dict(type="str", choices=["started", "present", "stopped", "restarted", "healthy", "absent"],
                        default="started", description=doc(
                            "C(started) creates the container when missing and makes sure it runs.",
                            "C(present) creates it when missing (not started) and leaves a running container "
                            "running.",
                            "C(stopped) creates it when missing (not started) and makes sure it is stopped.",
                            "C(restarted) like C(started), and restarts it when it was not just created or "
                            "recreated (always changed).",
                            "C(healthy) like C(started), then waits until its health check passes "
                            "(O(healthy_wait_timeout)); the image or O(healthcheck) must define one.",
                            "C(absent) removes the container (never its named volumes).")),
          parse=parse_choices("started", "present", "stopped", "restarted", "healthy", "absent")),
    config("stop_signal", "StopSignal", dict(type="str", description=doc(
        "Signal that stops the container, e.g. C(SIGTERM) or C(SIGINT).")), parse=parse_signal),
    Option("stop_timeout", dict(type="int", description=doc(
        "Seconds to wait after the stop signal before the container is killed. Stored on the container and used "
        "when this module stops, restarts or recreates it. Not compared unless O(comparisons) names it.")),
        parse=parse_stop_timeout, put=_section_writer("Config", "StopTimeout"),
        read=_section_reader("Config", "StopTimeout", None), compare="ignore"),
    host("storage_opts", "StorageOpt", dict(type="dict", description=doc(
        "Storage driver options, e.g. C(size: 10G) (needs a storage driver that supports it).")), kind="dict"),
    host("sysctls", "Sysctls", dict(type="dict", description=doc(
        "Namespaced kernel parameters, e.g. C(net.ipv4.ip_forward: 1).")), parse=parse_sysctls),
    host("tmpfs", "Tmpfs", dict(STRLIST, description=doc(
        "tmpfs mounts, C(/PATH[:OPTIONS]) (e.g. C(/run:size=64m,mode=1777)).")), parse=parse_tmpfs, kind="dict"),
    config("tty", "Tty", dict(type="bool", description=doc("Allocate a pseudo-TTY.")), empty=False),
    Option("ulimits", dict(STRLIST, description=doc(
        "Resource limits, C(NAME:SOFT[:HARD]) (e.g. C(nofile:1024:2048)).")), parse=parse_ulimits,
        put=_section_writer("HostConfig", "Ulimits"), read=read_ulimits, kind="set"),
    config("user", "User", dict(type="str", description=doc(
        "User (and group) the process runs as, C(name), C(uid) or C(uid:gid).")), empty=""),
    host("userns_mode", "UsernsMode", dict(type="str", description=doc("User namespace mode, e.g. C(host).")),
         empty=""),
    host("uts", "UTSMode", dict(type="str", description=doc("UTS namespace: C(host) shares the host's.")),
         empty=""),
    host("volume_driver", "VolumeDriver", dict(type="str", description=doc(
        "Driver of the volumes created for O(volumes)."))),
    Option("volumes", dict(STRLIST, description=doc(
        "Volumes as C(CONTAINER_PATH) (anonymous volume), C(VOLUME_NAME:CONTAINER_PATH[:MODE]) (named volume) or "
        "C(/HOST_PATH:CONTAINER_PATH[:MODE]) (bind mount). MODE is a comma list of C(ro), C(rw), C(z), C(Z), "
        "C(nocopy) and propagation flags.")),
        parse=parse_volumes, put=put_volumes, read=read_volumes, show=show_volumes, kind="set",
        elements=lambda value: show_volumes(value or ([], []))),
    host("volumes_from", "VolumesFrom", dict(STRLIST, description=doc(
        "Containers to take volumes from, C(NAME[:ro|rw]).")), kind="set"),
    config("working_dir", "WorkingDir", dict(type="str", description=doc("Working directory of the process."))),
]

BY_NAME = dict((option.name, option) for option in OPTIONS)

# container_default_behavior: compatibility gives these their old defaults.
COMPATIBILITY_DEFAULTS = dict(auto_remove=False, detach=True, init=False, interactive=False, memory="0",
                              paused=False, privileged=False, read_only=False, tty=False)


def argument_spec():
    """AnsibleModule options of one container (``container`` and each ``containers`` item)."""
    return option_table.argument_spec(OPTIONS)
