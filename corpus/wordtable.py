"""A word table that loads only the words a text can contain: grouped by first character.

Every substring of a text starts with one of the text's characters, so a segmenter or a
dictionary look-up over that text needs only the words starting with those characters.
:class:`WordTable` keeps the table as one block of ``word<TAB>value`` lines per first
character, cheap to read from the cache (spans of one UTF-8 blob), and :meth:`~WordTable.cover` expands the blocks
a text needs into :attr:`~WordTable.words`, a plain dict (jieba looks words up in it
directly). A two-sentence text touches a few dozen of 7,000 blocks.
"""

from __future__ import annotations

import array
import marshal
from collections.abc import Callable, Iterable

__all__ = ["WordTable"]


class WordTable:
    """``words``: the part of a ``{word: value}`` table loaded so far (see module doc).

    The blocks are UTF-8 slices of one bytes object, decoded only when expanded: reading a
    table is a copy, not 14 MB of decoding.
    """

    __slots__ = ("words", "_spans", "_blob", "_convert")

    def __init__(self, spans: dict[str, tuple[int, int]], blob: bytes, convert: Callable[[str], object] = str) -> None:
        self.words: dict = {}
        self._spans = spans
        self._blob = blob
        self._convert = convert

    @classmethod
    def from_items(cls, items: Iterable[tuple[str, object]], convert: Callable[[str], object] = str) -> WordTable:
        """A table of ``items`` (words without tabs or newlines), nothing expanded yet."""
        lines: dict[str, list[str]] = {}
        for word, value in items:
            lines.setdefault(word[0], []).append(f"{word}\t{value}")
        spans: dict[str, tuple[int, int]] = {}
        parts: list[bytes] = []
        offset = 0
        for first, block in lines.items():
            data = "\n".join(block).encode("utf-8")
            spans[first] = (offset, offset + len(data))
            parts.append(data)
            offset += len(data)
        return cls(spans, b"".join(parts), convert)

    @classmethod
    def from_bytes(cls, payload: bytes | memoryview, convert: Callable[[str], object] = str) -> WordTable:
        """The table :meth:`to_bytes` wrote; ``ValueError`` if ``payload`` is not one."""
        try:
            firsts, bounds, blob = marshal.loads(payload)
            offsets = array.array("q", bounds)
        except (EOFError, TypeError, ValueError) as error:
            raise ValueError(f"not a word table: {error}") from None
        if not isinstance(firsts, str) or not isinstance(blob, bytes) or len(offsets) != len(firsts) + 1:
            raise ValueError("not a word table")
        spans = {first: (offsets[k], offsets[k + 1]) for k, first in enumerate(firsts)}
        return cls(spans, blob, convert)

    def to_bytes(self) -> bytes:
        """The unexpanded blocks, for the cache (call before :meth:`cover`)."""
        firsts = "".join(self._spans)
        offsets = array.array("q", [start for start, _ in self._spans.values()] + [len(self._blob)])
        return marshal.dumps((firsts, offsets.tobytes(), self._blob))

    def cover(self, text: str) -> dict:
        """Load every word starting with a character of ``text``; return :attr:`words`."""
        spans = self._spans
        if spans:
            for first in set(text).intersection(spans):
                self._expand(*spans.pop(first))
        return self.words

    def cover_all(self) -> dict:
        """Load the whole table; return :attr:`words`."""
        for first in list(self._spans):
            self._expand(*self._spans.pop(first))
        return self.words

    def _expand(self, start: int, end: int) -> None:
        convert, words = self._convert, self.words
        for line in self._blob[start:end].decode("utf-8").split("\n"):
            word, _, value = line.partition("\t")
            words[word] = convert(value)
