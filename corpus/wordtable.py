"""A word table that loads only the words a text can contain: grouped by first character.

Every substring of a text starts with one of the text's characters, so a segmenter or a
dictionary look-up over that text needs only the words starting with those characters.
:class:`WordTable` keeps the table as one block of words per first character, cheap to
read from the cache, and :meth:`~WordTable.cover` expands the blocks a text needs into
:attr:`~WordTable.words`, a plain dict (jieba looks words up in it directly). A
two-sentence text touches a few dozen of 7,000 blocks.

>>> table = WordTable.from_items([("北京", 5), ("北", 9), ("京", 2), ("上海", 7)], numeric=True)
>>> table = WordTable.from_bytes(table.to_bytes())
>>> table.cover("北方")
{'北京': 5, '北': 9}
>>> sorted(table.cover_all())
['上海', '京', '北', '北京']
"""

from __future__ import annotations

import array
import marshal
from collections.abc import Iterable

__all__ = ["WordTable"]

_NUMBERS = "q"  # values of a numeric table: signed 64-bit integers


class WordTable:
    """``words``: the part of a ``{word: value}`` table loaded so far (see module doc).

    Words are UTF-8 slices of one bytes object, one ``\\n``-separated block per first
    character, decoded only when expanded (reading a table is a copy, not megabytes of
    decoding). Values are text in a parallel blob, or integers in an array (``numeric``),
    so expanding a block is a few C-level calls, not a loop over its lines.
    """

    __slots__ = ("words", "_spans", "_words", "_values")

    def __init__(self, spans: dict[str, tuple[int, int, int, int]], words: bytes, values: bytes | array.array) -> None:
        self.words: dict = {}
        self._spans = spans
        self._words = words
        self._values = values

    @classmethod
    def from_items(cls, items: Iterable[tuple[str, object]], *, numeric: bool = False) -> WordTable:
        """A table of ``items`` (words and text values without newlines), nothing expanded yet."""
        blocks: dict[str, list[tuple[str, object]]] = {}
        for word, value in items:
            blocks.setdefault(word[0], []).append((word, value))
        spans: dict[str, tuple[int, int, int, int]] = {}
        word_parts: list[bytes] = []
        text_parts: list[bytes] = []
        numbers = array.array(_NUMBERS)
        w_at = v_at = 0
        for first, block in blocks.items():
            data = "\n".join(w for w, _ in block).encode("utf-8")
            if numeric:
                numbers.extend(int(v) for _, v in block)  # type: ignore[call-overload]
                v_end = len(numbers)
            else:
                text = "\n".join(str(v) for _, v in block).encode("utf-8")
                text_parts.append(text)
                v_end = v_at + len(text)
            spans[first] = (w_at, w_at + len(data), v_at, v_end)
            word_parts.append(data)
            w_at, v_at = w_at + len(data), v_end
        return cls(spans, b"".join(word_parts), numbers if numeric else b"".join(text_parts))

    @classmethod
    def from_bytes(cls, payload: bytes | memoryview) -> WordTable:
        """The table :meth:`to_bytes` wrote; ``ValueError`` if ``payload`` is not one."""
        try:
            firsts, bounds, words, values, numeric = marshal.loads(payload)
            offsets = array.array("q", bounds)
            if numeric:
                values = array.array(_NUMBERS, values)
        except (EOFError, TypeError, ValueError) as error:
            raise ValueError(f"not a word table: {error}") from None
        if not isinstance(firsts, str) or not isinstance(words, bytes) or len(offsets) != 4 * len(firsts):
            raise ValueError("not a word table")
        spans = {first: tuple(offsets[4 * k : 4 * k + 4]) for k, first in enumerate(firsts)}
        return cls(spans, words, values)  # type: ignore[arg-type]

    def to_bytes(self) -> bytes:
        """The unexpanded blocks, for the cache (call before :meth:`cover`)."""
        offsets = array.array("q", [n for span in self._spans.values() for n in span])
        numeric = isinstance(self._values, array.array)
        values = self._values.tobytes() if numeric else self._values
        return marshal.dumps(("".join(self._spans), offsets.tobytes(), self._words, values, numeric))

    def cover(self, text: str) -> dict:
        """Load every word starting with a character of ``text``; return :attr:`words`."""
        spans = self._spans
        if spans:
            for first in [ch for ch in set(text) if ch in spans]:  # not set & dict: that walks the dict
                self._expand(*spans.pop(first))
        return self.words

    def cover_all(self) -> dict:
        """Load the whole table; return :attr:`words`."""
        for first in list(self._spans):
            self._expand(*self._spans.pop(first))
        return self.words

    def _expand(self, w0: int, w1: int, v0: int, v1: int) -> None:
        words = self._words[w0:w1].decode("utf-8").split("\n")
        if isinstance(self._values, array.array):
            values: Iterable[object] = self._values[v0:v1]
        else:
            values = self._values[v0:v1].decode("utf-8").split("\n")
        self.words.update(zip(words, values, strict=True))
