"""Text from files shown on a terminal, with its control characters made visible.

Segment text, document names and file contents are data from outside. Printed raw, an
escape sequence in them (``ESC ] 52 ;`` … sets the clipboard, ``ESC [ 2 J`` clears the
screen, a bidi override reorders what the reviewer sees) would act on the reviewer's
terminal instead of being read. :func:`visible` writes each such character as a Python
escape (``\\x1b``, ``\\u202e``) and keeps line breaks and tabs.
"""

from __future__ import annotations

import re
from typing import IO

# C0 controls except tab and line feed, DEL, C1 controls, and the bidirectional
# embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    r"""``text`` with control characters written as escapes.

    >>> visible("red \x1b[31mtext\x1b[0m\tok\n")
    'red \\x1b[31mtext\\x1b[0m\tok\n'
    """
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class VisibleWriter:
    """A text stream wrapper whose ``write`` passes everything through :func:`visible`."""

    def __init__(self, stream: IO[str]):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(visible(text))

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()
