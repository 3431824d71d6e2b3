"""mtmend's own version, as installed (part of every ruleset signature and exported header)."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def mtmend_version() -> str:
    """The installed version, or ``unknown`` when mtmend runs from a bare source tree."""
    try:
        return version("mtmend")
    except PackageNotFoundError:
        return "unknown"
