"""Settings read from environment variables, checked like any other input.

An environment variable is a value from outside: a typo (``MTMEND_BUSY_TIMEOUT=3o``) or a
value no clock can wait (``nan``, ``inf``, ``-1``) is refused with a one-line error naming
the variable, never turned into a traceback or an endless wait.
"""

from __future__ import annotations

import math
import os

from mtmend.corpus.errors import InputError

BUSY_TIMEOUT = "MTMEND_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 30.0
MAX_BUSY_TIMEOUT = 24 * 3600.0


def busy_timeout() -> float:
    """Seconds to wait for another process's write lock: ``$MTMEND_BUSY_TIMEOUT``, else 30."""
    return seconds(BUSY_TIMEOUT, DEFAULT_BUSY_TIMEOUT, MAX_BUSY_TIMEOUT)


def seconds(name: str, default: float, maximum: float) -> float:
    """A duration from environment variable ``name``: a finite number from 0 to ``maximum``."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{name}={raw[:40]!r}: expected a number of seconds, e.g. {name}=30") from None
    if not math.isfinite(value) or not 0 <= value <= maximum:
        raise InputError(f"{name}={raw[:40]!r}: expected a number of seconds from 0 to {maximum:g}")
    return value
