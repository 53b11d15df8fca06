"""Run an inventory plugin's ``parse`` in process on given engine data.

Ansible's plugin loader cannot load this collection inside pytest (the tests import it as
a plain package), so the options a configuration file would give are served from a dict
with the documented defaults, and the cache is a dict: what the plugin does with them is
the code under test. Conditions are marked trusted, as Ansible marks a configuration file's.
"""

import copy

from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19 templates every string
    def trust_as_template(value):
        return value

DEFAULTS = dict(
    docker_host="unix:///nonexistent/docker.sock", timeout=60, tls_ca_cert=None, tls_client_cert=None,
    tls_client_key=None, validate_certs=True, engines=None, connection_type="docker-api", private_ssh_port=22,
    default_ip="127.0.0.1", default_groups=True, verbose_output=False, filters=[], compose={}, groups={},
    keyed_groups=[], strict=False, leading_separator=True, use_extra_vars=False, cache=False,
    include_host_uri=False, include_host_uri_port=2376,
)


def trusted(value):
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, list):
        return [trusted(item) for item in value]
    if isinstance(value, dict):
        return dict((key, trusted(item)) for key, item in value.items())
    return value


def run_plugin(module, config, data, cache=None, use_cache=True):
    options = dict(DEFAULTS)
    options.update(trusted(config))

    def fetch():
        assert data is not None, "the plugin read the engine although its data was cached"
        return copy.deepcopy(data)

    module.get_option = options.get
    module._read_config_data = lambda path: None
    module.fetch = fetch
    module._cache = cache if cache is not None else {}
    inventory = InventoryData()
    module.parse(inventory, DataLoader(), "/inventory/test.containers.yml", cache=use_cache)
    return inventory


def members(inventory, group):
    return sorted(host.name for host in inventory.groups[group].get_hosts()) if group in inventory.groups else []
