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

import fractions
import ipaddress
import math
import re
import shlex


class SpecError(ValueError):
    """An option value that cannot be used; the message names the option and what it accepts."""


SIZE_FORMS = "a number of bytes or a number with unit b, k, m, g or t (e.g. 536870912, 512m, 1g, 1.5g)"
DURATION_FORMS = "seconds as a number or a duration like 500ms, 30s, 1m30s, 2h"

# The engine stores sizes, nanoseconds and most counts as signed 64-bit integers.
INT64_MAX = 2 ** 63 - 1
INT64_MIN = -2 ** 63
# A value's text is shown in an error up to this many characters (a hostile value may be megabytes).
SHOWN = 80
# Longer number texts are refused before any arithmetic: no int64 quantity needs more digits.
_NUMBER_CHARS = 40

_SIZE_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([bkmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4}
_DECIMAL_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ns|us|\u00b5s|ms|s|m|h)")
_DURATION_NS = {"ns": 1, "us": 1000, u"\u00b5s": 1000, "ms": 10 ** 6, "s": 10 ** 9, "m": 60 * 10 ** 9,
                "h": 3600 * 10 ** 9}
_INTEGER_RE = re.compile(r"^[+-]?[0-9]+$")
_FILE_MODE_RE = re.compile(r"^(0o)?[0-7]+$")
MAX_FILE_MODE = 0o7777


def shown(value):
    """``repr(value)`` cut to :data:`SHOWN` characters, for error messages."""
    try:
        text = repr(value)
    except ValueError:  # an int too long to print
        text = "<a %s too long to show>" % type(value).__name__
    return text if len(text) <= SHOWN else text[:SHOWN] + "...(%d characters)" % len(text)


def key_text(key):
    """A key as it appears in an error's path, cut to :data:`SHOWN` characters."""
    text = str(key) if not isinstance(key, int) or abs(key) < 10 ** SHOWN else "<a long number>"
    return text if len(text) <= SHOWN else text[:SHOWN] + "..."


def _finite_number(value):
    """An int or float that is not bool, inf or nan -> ``Fraction`` (exact); anything else -> ``None``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return fractions.Fraction(value)


def _decimal_text(text):
    """``"12"`` / ``"1.5"`` -> exact ``Fraction``, or ``None`` when not a plain decimal of sane length."""
    if len(text) > _NUMBER_CHARS or not _DECIMAL_RE.match(text):
        return None
    return fractions.Fraction(text)


def _amount(value, refused, per_number, from_text):
    """A number (times ``per_number``) or a text (``from_text``) -> an int from 0 to the int64 maximum; anything
    else raises ``refused``."""
    if isinstance(value, bool):
        raise refused
    if isinstance(value, (int, float)):
        amount = _finite_number(value)
        if amount is None:
            raise refused
        number = int(amount * per_number)
    elif isinstance(value, str):
        number = from_text(value)
        if number is None:
            raise refused
    else:
        raise refused
    if not 0 <= number <= INT64_MAX:
        raise refused
    return number


def size(value, option):
    """``"512m"`` / ``"1GiB"`` / ``536870912`` -> bytes (0 to the int64 maximum)."""
    if value is None:
        return None
    refused = SpecError("%s %s is not a size: use %s, at most %d bytes"
                        % (option, shown(value), SIZE_FORMS, INT64_MAX))
    return _amount(value, refused, 1, _size_text)


def _size_text(text):
    match = _SIZE_RE.match(text)
    amount = _decimal_text(match.group(1)) if match else None
    return None if amount is None else int(amount * _SIZE_UNITS[match.group(2).lower()])


def size_or_unlimited(value, option):
    """A size, or ``-1`` for unlimited (memory_swap)."""
    if value is not None and not isinstance(value, bool) and str(value).strip() == "-1":
        return -1
    return size(value, option)


def duration(value, option):
    """``"1m30s"`` / ``90`` -> nanoseconds (0 to the int64 maximum, as the engine stores a duration)."""
    if value is None:
        return None
    refused = SpecError("%s %s is not a duration: use %s (at most %d nanoseconds, about 292 years)"
                        % (option, shown(value), DURATION_FORMS, INT64_MAX))
    return _amount(value, refused, 10 ** 9, lambda text: _duration_text(text.strip()))


def _duration_text(text):
    amount = _decimal_text(text)
    if amount is not None:
        return int(amount * 10 ** 9)
    if not text or len(text) > 4 * _NUMBER_CHARS:
        return None
    pos = 0
    total = 0
    for match in _DURATION_PART.finditer(text):
        amount = _decimal_text(match.group(1))
        if match.start() != pos or amount is None:
            return None
        total += int(amount * _DURATION_NS[match.group(2)])
        pos = match.end()
    return total if pos == len(text) else None


# NanoCpus is an int64: the largest CPU count it holds.
MAX_CPUS = INT64_MAX // 10 ** 9


def _number(value):
    """A finite number, or a text of one (``"0.5"``) -> ``Fraction``; anything else -> ``None``."""
    number = _finite_number(value)
    if number is None and isinstance(value, str) and len(value) <= _NUMBER_CHARS:
        try:
            number = _finite_number(float(value))
        except ValueError:
            number = None
    return number


def cpus(value, option):
    """CPU count (may be fractional; 0 means no limit, as for the engine) -> the engine's NanoCpus."""
    if value is None:
        return None
    number = _number(value)
    if number is None or not 0 <= number <= MAX_CPUS:
        raise SpecError("%s %s is not a number of CPUs: use a finite number from 0 (no limit) to %d, such as "
                        "0.5, 1 or 2" % (option, shown(value), MAX_CPUS))
    return int(round(number * 10 ** 9))


def seconds(value, option):
    """A number of seconds >= 0 (a wait or timeout of the module itself) -> float."""
    if value is None:
        return None
    number = _number(value)
    if number is None or not 0 <= number <= INT64_MAX // 10 ** 9:
        raise SpecError("%s must be a finite number of seconds >= 0, got %s" % (option, shown(value)))
    return float(number)


def integer(value, option, minimum=None, maximum=None):
    """A whole number within ``[minimum, maximum]`` (by default the int64 range the engine stores)."""
    if value is None:
        return None
    low = INT64_MIN if minimum is None else minimum
    high = INT64_MAX if maximum is None else maximum
    bounds = "a whole number"
    if minimum is not None and maximum is not None:
        bounds = "a whole number from %d to %d" % (minimum, maximum)
    elif minimum is not None:
        bounds = "a whole number >= %d (at most %d)" % (minimum, high)
    else:
        bounds = "a whole number from %d to %d" % (low, high)
    number = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        exact = _finite_number(value)
        number = int(exact) if exact is not None and exact.denominator == 1 else None
    elif isinstance(value, str):
        text = value.strip()
        number = int(text) if len(text) <= _NUMBER_CHARS and _INTEGER_RE.match(text) else None
    if number is None or not low <= number <= high:
        raise SpecError("%s must be %s, got %s" % (option, bounds, shown(value)))
    return number


def nonneg_int(value, option):
    return integer(value, option, minimum=0)


def choice(value, choices, option):
    if value is not None and value not in choices:
        raise SpecError("%s %s is not valid. Accepted values: %s" % (option, shown(value), ", ".join(choices)))
    return value


def boolean(value, option):
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "on", "1"):
        return True
    if text in ("no", "false", "off", "0"):
        return False
    raise SpecError("%s %s is not a boolean: use true or false" % (option, shown(value)))


def string(value, option):
    if value is None:
        return None
    if isinstance(value, (dict, list, bool)):
        raise SpecError("%s must be a string, got %s" % (option, shown(value)))
    return str(value)


def mapping(value, option, keys=None):
    """A dict as it is, for the parsers of dict options; anything else is refused naming ``option``."""
    if not isinstance(value, dict):
        raise SpecError("%s must be a dict%s, got %s" % (option, " with keys " + ", ".join(keys) if keys else "",
                                                         shown(value)))
    return value


def unknown_keys(value, accepted):
    """The keys of ``value`` not in ``accepted``, as text for an error (at most five named)."""
    unknown = sorted(key_text(key) for key, val in value.items() if val is not None and key not in accepted)
    return ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else "")


def sequence(value, option, item="items"):
    """A list (or tuple) as it is, for the parsers of list options; anything else is refused naming ``option``."""
    if not isinstance(value, (list, tuple)):
        raise SpecError("%s must be a list of %s, got %s" % (option, item, shown(value)))
    return value


def string_list(value, option):
    """A list of strings (a single string is a one-item list)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise SpecError("%s must be a list of strings, got %s" % (option, shown(value)))
    out = []
    for item in value:
        if isinstance(item, (dict, list)) or item is None:
            raise SpecError("%s items must be strings, got %s" % (option, shown(item)))
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
        raise SpecError("%s must be a dict of KEY: value, got %s" % (option, shown(value)))
    out = {}
    for key, val in value.items():
        if not str(key).strip():
            raise SpecError("%s has an empty key: every key must be a non-empty string" % option)
        if isinstance(val, bool):
            raise SpecError(
                "%s.%s is the boolean %s: quote it (e.g. '%s' or 'yes') so the exact text is passed"
                % (option, key_text(key), val, str(val).lower())
            )
        if val is None:
            val = ""
        if isinstance(val, (dict, list)):
            raise SpecError("%s.%s must be a string, got %s" % (option, key_text(key), type(val).__name__))
        out[str(key)] = str(val)
    return out


def _env_key_refusal(key):
    """Why ``key`` cannot name an environment variable, or ``None``."""
    if not key.strip():
        return "is empty"
    if "=" in key:
        return "contains '=' (the engine would split the variable there)"
    if "\x00" in key or "\n" in key or "\r" in key:
        return "contains a NUL or line break"
    return None


def env_list(value, option="env"):
    """env as a dict or a list of ``KEY=VALUE`` -> dict of strings.

    Keys may not contain ``=``, NUL or a line break; values may not contain NUL (the engine passes
    ``KEY=VALUE`` strings to the process, which ends each at a NUL).
    """
    if isinstance(value, (list, tuple)):
        out = {}
        for index, item in enumerate(value):
            if not isinstance(item, str) or "=" not in item or item.startswith("="):
                raise SpecError("%s[%d]: list items must be KEY=VALUE strings, got %s"
                                % (option, index, type(item).__name__ if not isinstance(item, str)
                                   else "text without KEY="))
            key, _sep, val = item.partition("=")
            out[key] = val
    else:
        out = string_map(value, option)
    for key, val in (out or {}).items():
        refusal = _env_key_refusal(key)
        if refusal:
            raise SpecError("%s: the variable name %s %s; use letters, digits and _" % (option, shown(key), refusal))
        if "\x00" in val:
            raise SpecError("%s.%s: the value contains a NUL character, which no process environment can hold"
                            % (option, key_text(key)))
    return out


# An env file larger than this is refused before it is parsed.
MAX_ENV_FILE_BYTES = 1024 * 1024


def parse_env_file(text, source):
    """The text of an env file -> dict, with Compose's rules.

    Blank lines and ``#`` comments are skipped; a line is ``KEY=VALUE``, optionally after ``export ``;
    whitespace around KEY and VALUE is dropped and a VALUE in matching single or double quotes loses them.
    An error names ``source`` and the line number, never the line: an env file holds secrets.
    """
    if len(text) > MAX_ENV_FILE_BYTES:
        raise SpecError("%s is larger than %d bytes: an env file holds variables, not data"
                        % (source, MAX_ENV_FILE_BYTES))
    out = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export ") or line.startswith("export\t"):
            line = line[len("export "):].lstrip()
        key, sep, val = line.partition("=")
        key = key.strip()
        if not sep or not key:
            raise SpecError("%s line %d is not KEY=VALUE (the line is not shown: it may hold a secret)"
                            % (source, number))
        if _env_key_refusal(key) or any(char.isspace() for char in key):
            raise SpecError("%s line %d: the variable name is not valid: use letters, digits and _ with no spaces "
                            "(the line is not shown: it may hold a secret)" % (source, number))
        val = val.strip()
        if len(val) >= 2 and val[0] == val[-1] and val[0] in "\"'":
            val = val[1:-1]
        if "\x00" in val:
            raise SpecError("%s line %d: the value contains a NUL character (the line is not shown: it may hold a "
                            "secret)" % (source, number))
        out[key] = val
    return out


def command(value, option):
    """A string (split like a shell would) or a list -> list of strings."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, (dict, bool)):
        raise SpecError("%s must be a string or a list of strings, got %s" % (option, shown(value)))
    try:
        return shlex.split(str(value))
    except ValueError as exc:
        raise SpecError("%s %s cannot be split into arguments: %s" % (option, shown(value), exc))


HEALTHCHECK_KEYS = ("test", "test_cli_compatible", "interval", "timeout", "start_period", "start_interval",
                    "retries", "disable")


def healthcheck(value, option="healthcheck"):
    """The user's healthcheck dict -> the engine's ``Healthcheck`` object (only the keys given)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SpecError("%s must be a dict with keys %s" % (option, ", ".join(HEALTHCHECK_KEYS)))
    unknown = sorted(key_text(key) for key in value if key not in HEALTHCHECK_KEYS)
    if unknown:
        raise SpecError("%s: unknown keys %s; accepted keys: %s"
                        % (option, ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else ""),
                           ", ".join(HEALTHCHECK_KEYS)))
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
        raise SpecError("%s %s is not a signal: use a name such as SIGTERM, SIGINT, SIGRTMIN+3 or a number"
                        % (option, shown(value)))
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
        raise SpecError("%s %s is not an IP address" % (option, shown(value)))
    return str(value)


def file_mode(value, option):
    """``0o755`` / ``"0755"`` / ``493`` -> int, from 0 to 0o7777."""
    if value is None:
        return None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if len(text) <= 8 and _FILE_MODE_RE.match(text):
            number = int(text[2:] if text.startswith("0o") else text, 8)
    if number is None or not 0 <= number <= MAX_FILE_MODE:
        raise SpecError("%s %s is not a file mode: use octal text from '0000' to '7777' such as '0755' or "
                        "'1777' (or the number, e.g. 0o755)" % (option, shown(value)))
    return number
