# -*- coding: utf-8 -*-
# Copyright (c) dockyard.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One parser per kind of value, shared by container and service specs.

Pure code.  Every parser takes the user's value and the option's name (used in the
message) and returns the engine's form, or raises :class:`SpecError` saying what the
option accepts.  ``None`` always stays ``None`` (the option was not given).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
import shlex


class SpecError(ValueError):
    """An option value that cannot be used; the message names the option and what it accepts."""


SIZE_FORMS = "a number of bytes or a number with unit b, k, m, g or t (e.g. 536870912, 512m, 1g, 1.5g)"
DURATION_FORMS = "seconds as a number or a duration like 500ms, 30s, 1m30s, 2h"

_SIZE_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([bkmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4}
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s|m|h)")
_DURATION_NS = {"ns": 1, "us": 1000, "ms": 10 ** 6, "s": 10 ** 9, "m": 60 * 10 ** 9, "h": 3600 * 10 ** 9}


def size(value, option):
    """``"512m"`` / ``"1GiB"`` / ``536870912`` -> bytes."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise SpecError("%s %r is not a size: use %s" % (option, value, SIZE_FORMS))
    if isinstance(value, int):
        number = value
    else:
        match = _SIZE_RE.match(str(value))
        if not match:
            raise SpecError("%s %r is not a size: use %s" % (option, value, SIZE_FORMS))
        number = int(float(match.group(1)) * _SIZE_UNITS[match.group(2).lower()])
    if number < 0:
        raise SpecError("%s %r is not a size: use %s" % (option, value, SIZE_FORMS))
    return number


def size_or_unlimited(value, option):
    """A size, or ``-1`` for unlimited (memory_swap)."""
    if value is not None and str(value).strip() == "-1":
        return -1
    return size(value, option)


def duration(value, option):
    """``"1m30s"`` / ``90`` -> nanoseconds."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise SpecError("%s %r is not a duration: use %s" % (option, value, DURATION_FORMS))
    if isinstance(value, (int, float)):
        if value < 0:
            raise SpecError("%s %r is not a duration: use %s" % (option, value, DURATION_FORMS))
        return int(value * 10 ** 9)
    text = str(value).strip()
    if re.match(r"^[0-9]+(\.[0-9]+)?$", text):
        return int(float(text) * 10 ** 9)
    pos = 0
    total = 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            break
        total += int(float(match.group(1)) * _DURATION_NS[match.group(2)])
        pos = match.end()
    if pos != len(text) or not text:
        raise SpecError("%s %r is not a duration: use %s" % (option, value, DURATION_FORMS))
    return total


def cpus(value, option):
    """CPU count (may be fractional) -> the engine's NanoCpus."""
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = float(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise SpecError("%s %r is not a number of CPUs: use a number >= 0 such as 0.5, 1 or 2" % (option, value))
    return int(round(number * 1e9))


def integer(value, option, minimum=None, maximum=None):
    """A whole number within ``[minimum, maximum]``."""
    if value is None:
        return None
    bounds = "a whole number"
    if minimum is not None and maximum is not None:
        bounds = "a whole number from %d to %d" % (minimum, maximum)
    elif minimum is not None:
        bounds = "a whole number >= %d" % minimum
    try:
        if isinstance(value, bool) or (isinstance(value, float) and value != int(value)):
            raise ValueError(value)
        number = int(str(value).strip()) if not isinstance(value, (int, float)) else int(value)
    except (TypeError, ValueError):
        raise SpecError("%s must be %s, got %r" % (option, bounds, value))
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise SpecError("%s must be %s, got %r" % (option, bounds, value))
    return number


def nonneg_int(value, option):
    return integer(value, option, minimum=0)


def choice(value, choices, option):
    if value is not None and value not in choices:
        raise SpecError("%s %r is not valid. Accepted values: %s" % (option, value, ", ".join(choices)))
    return value


def boolean(value, option):
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "on", "1"):
        return True
    if text in ("no", "false", "off", "0"):
        return False
    raise SpecError("%s %r is not a boolean: use true or false" % (option, value))


def string(value, option):
    if value is None:
        return None
    if isinstance(value, (dict, list, bool)):
        raise SpecError("%s must be a string, got %r" % (option, value))
    return str(value)


def string_list(value, option):
    """A list of strings (a single string is a one-item list)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise SpecError("%s must be a list of strings, got %r" % (option, value))
    out = []
    for item in value:
        if isinstance(item, (dict, list)) or item is None:
            raise SpecError("%s items must be strings, got %r" % (option, item))
        out.append(str(item))
    return out


def string_map(value, option):
    """env / labels / options: a dict of strings.

    Numbers become their text; booleans are refused (YAML turns ``yes`` into ``True``
    and the container would get ``True``): the user quotes the exact text.
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SpecError("%s must be a dict of KEY: value, got %r" % (option, value))
    out = {}
    for key, val in value.items():
        if not str(key).strip():
            raise SpecError("%s has an empty key: every key must be a non-empty string" % option)
        if isinstance(val, bool):
            raise SpecError(
                "%s.%s is the boolean %s: quote it (e.g. '%s' or 'yes') so the exact text is passed"
                % (option, key, val, str(val).lower())
            )
        if val is None:
            val = ""
        if isinstance(val, (dict, list)):
            raise SpecError("%s.%s must be a string, got %s" % (option, key, type(val).__name__))
        out[str(key)] = str(val)
    return out


def env_list(value, option="env"):
    """env as a dict or a list of ``KEY=VALUE`` -> dict of strings."""
    if isinstance(value, (list, tuple)):
        out = {}
        for item in value:
            if not isinstance(item, str) or "=" not in item or item.startswith("="):
                raise SpecError("%s: list items must be KEY=VALUE strings, got %r" % (option, item))
            key, _sep, val = item.partition("=")
            out[key] = val
        return out
    return string_map(value, option)


def command(value, option):
    """A string (split like a shell would) or a list -> list of strings."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, (dict, bool)):
        raise SpecError("%s must be a string or a list of strings, got %r" % (option, value))
    try:
        return shlex.split(str(value))
    except ValueError as exc:
        raise SpecError("%s %r cannot be split into arguments: %s" % (option, value, exc))


HEALTHCHECK_KEYS = ("test", "test_cli_compatible", "interval", "timeout", "start_period", "start_interval",
                    "retries", "disable")


def healthcheck(value, option="healthcheck"):
    """The user's healthcheck dict -> the engine's ``Healthcheck`` object (only the keys given)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SpecError("%s must be a dict with keys %s" % (option, ", ".join(HEALTHCHECK_KEYS)))
    unknown = sorted(set(value) - set(HEALTHCHECK_KEYS))
    if unknown:
        raise SpecError("%s: unknown keys %s; accepted keys: %s"
                        % (option, ", ".join(unknown), ", ".join(HEALTHCHECK_KEYS)))
    if value.get("disable") or value.get("test") in (["NONE"], "NONE"):
        return {"Test": ["NONE"]}
    out = {}
    test = value.get("test")
    if test is not None:
        if isinstance(test, (list, tuple)):
            test = [str(t) for t in test]
            if not test:
                raise SpecError("%s.test must be a command string or a non-empty list" % option)
            if test[0] not in ("NONE", "CMD", "CMD-SHELL"):
                test = ["CMD"] + test
        elif isinstance(test, str) and test.strip():
            test = ["CMD-SHELL", test]
        else:
            raise SpecError("%s.test must be a command string or a non-empty list" % option)
        out["Test"] = test
    for key, engine_key in (("interval", "Interval"), ("timeout", "Timeout"), ("start_period", "StartPeriod"),
                            ("start_interval", "StartInterval")):
        if value.get(key) is not None:
            out[engine_key] = duration(value[key], "%s.%s" % (option, key))
    if value.get("retries") is not None:
        out["Retries"] = nonneg_int(value["retries"], "%s.retries" % option)
    return out


def signal_name(value, option="stop_signal"):
    """``term`` / ``SIGTERM`` / ``15`` -> ``SIGTERM`` / ``15``."""
    if value is None:
        return None
    text = str(value).strip().upper()
    if not text or not re.match(r"^(SIG)?[A-Z0-9+-]+$", text):
        raise SpecError("%s %r is not a signal: use a name such as SIGTERM, SIGINT, SIGRTMIN+3 or a number"
                        % (option, value))
    if text.isdigit():
        return text
    return text if text.startswith("SIG") else "SIG" + text


def is_ip(text):
    try:
        ipaddress.ip_address(u"%s" % text)
        return True
    except ValueError:
        return False


def ip_address(value, option):
    if value is None:
        return None
    if not is_ip(str(value)):
        raise SpecError("%s %r is not an IP address" % (option, value))
    return str(value)


def file_mode(value, option):
    """``0o755`` / ``"0755"`` / ``493`` -> int."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    try:
        return int(text, 8)
    except ValueError:
        raise SpecError("%s %r is not a file mode: use octal text such as '0755' or '1777'" % (option, value))
