"""A one-line progress bar on stderr for batch commands, drawn only on a terminal."""

from __future__ import annotations

import sys
from typing import IO


class ProgressBar:
    """``[#####.....] 5/10 name``, redrawn in place; lines printed through :meth:`line`
    appear above it. Off the terminal (a log file, a pipe) only those lines are written."""

    WIDTH = 30

    def __init__(self, total: int, stream: IO | None = None) -> None:
        self.total = total
        self.done = 0
        self.stream = sys.stderr if stream is None else stream
        self.shown = total > 1 and self.stream.isatty()
        self._drawn = 0

    def line(self, message: str) -> None:
        """Print ``message`` on its own line (above the bar)."""
        self._clear()
        print(message, file=self.stream)

    def advance(self, label: str = "") -> None:
        """One more item done; redraw."""
        self.done += 1
        if not self.shown:
            return
        filled = self.WIDTH * self.done // max(self.total, 1)
        text = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total} {label}"[:100]
        self._clear()
        self.stream.write(text)
        self.stream.flush()
        self._drawn = len(text)

    def close(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self._drawn = 0
