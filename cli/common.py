"""Helpers shared by the subcommands: opening the workspace, output, tables."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import IO

from mtmend.cli.visible import visible
from mtmend.corpus.outfile import open_output
from mtmend.corpus.store import Workspace, resolve_workspace


def open_workspace(args, *, create: bool = False) -> Workspace:
    return Workspace.open(resolve_workspace(args.workspace), create=create)


def creating_workspace(args):
    """The workspace, created if missing — and removed again if the command fails before writing."""
    return Workspace.opened(resolve_workspace(args.workspace), create=True)


def output(path: str, *, binary: bool = False, encoding: str = "utf-8"):
    """Where a user's output goes: ``-`` is standard output, else :func:`open_output`'s rules."""
    return open_output(path, binary=binary, encoding=encoding)


def use_color(stream: IO | None = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    stream = sys.stdout if stream is None else stream
    return stream.isatty() and not os.environ.get("NO_COLOR")


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table; numbers right-aligned, text left-aligned."""
    cells = [[visible(str(h)) for h in headers]] + [[visible(_cell(v)) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], (int, float)) for row in rows) and rows for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [c.rjust(w) if numeric[i] else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


def info(message: str) -> None:
    """Progress and summaries go to stderr, so stdout stays data."""
    print(visible(message), file=sys.stderr)


def pass_mark(text: str) -> float:
    """argparse type of ``--threshold``: an MQM Core quality score, a finite number up to 100.

    The quality score is 100 − penalty per 1,000 words: 100 is the best a text can reach, and
    heavy penalties take it below 0. A mark above 100, ``nan`` or ``inf`` would make every
    verdict the same, which is a typo, not a policy.
    """
    import argparse
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number up to 100, got {text!r}") from None
    if not math.isfinite(value) or value > 100:
        raise argparse.ArgumentTypeError(
            f"expected a pass mark up to 100 (the quality score is 100 − penalty per 1,000 words), got {text}")
    return value
