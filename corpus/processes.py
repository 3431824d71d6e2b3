"""Other processes: whether one still runs (the test behind stale review locks, interrupted
passes and leftover temporary files), how many cores this one may use, and a piece of work
forked off to run meanwhile.

``meanwhile`` serves the preparations a pass can overlap with its own (counting a vocabulary,
reading the MQM figures): the function and its arguments are inherited through the fork, not
pickled, and where forking is not the way (not Linux) or the process cannot start, the caller
simply does the work itself (:func:`outcome` returns its ``fallback``).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


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


def usable_cpus() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def forking() -> bool:
    """Whether work is handed to forked processes here (they share memory instead of receiving copies)."""
    return sys.platform.startswith("linux")


def meanwhile(function: Callable, *args) -> Future | None:
    """``function(*args)`` started in a forked process, or None where none can be."""
    if not forking():
        return None
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=_hold,
                                   initargs=(function, args))
        future = pool.submit(_run_held)
        pool.shutdown(wait=False)
    except OSError:
        return None
    return future


def outcome(future: Future | None, fallback: Callable[[], object]):
    """What ``future`` computed, or ``fallback()`` when nothing was started or the process could not run."""
    if future is not None:
        try:
            return future.result()
        except (OSError, BrokenProcessPool):
            pass
    return fallback()


_HELD: list = []  # in the forked process: the work, inherited rather than pickled


def _hold(function: Callable, args: tuple) -> None:
    _HELD[:] = [function, args]


def _run_held():
    function, args = _HELD
    return function(*args)
