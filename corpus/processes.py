"""Whether a process still runs: the test behind stale review locks, interrupted passes and
leftover temporary files."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """Whether a process of this host still runs (a lock or pass of a dead one is stale)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's live process (or a pid no process can have: not ours to judge)
    try:  # a killed process nobody reaped yet (a zombie) is dead too
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True
