"""The ``<v>…</v>`` error-span markup of MQM files, and whitespace-only disagreements.

Google's raters mark an error by wrapping it in ``<v>…</v>`` inside the segment's text.
Marking a missing space (``in reality<v> </v>are``) or a space after the last word
(``sympathy".<v> </v>``) changes the text itself, so two rows of one segment can differ
only in whitespace. :func:`respan` moves such a row's span onto the segment's text as
the first row wrote it, so every row of a segment has one text.
"""

from __future__ import annotations

from mtmend.corpus.errors import InputError


def span(text: str, where: str) -> tuple[str, int, int, bool] | None:
    """``(plain text, start, end, closed)`` of a ``<v>…</v>`` span, or None when unmarked.

    Google's TED data has a ``<v>`` that is never closed; it runs to the end of the text
    (``closed`` is False, so an export writes it back the same way).
    """
    opens, closes = text.count("<v>"), text.count("</v>")
    if opens == closes == 0:
        return None
    if opens == 1 and closes == 0:
        start = text.find("<v>")
        return text.replace("<v>", "", 1), start, len(text) - 3, False
    start = text.find("<v>")
    end = text.find("</v>") - 3
    if opens != 1 or closes != 1 or end < start:
        raise InputError(f"{where}: expected at most one <v>…</v> error span, found {opens} <v> and {closes} </v>")
    return text.replace("<v>", "", 1).replace("</v>", "", 1), start, end, True


def plain(text: str) -> str:
    """Text without its span markup."""
    return text.replace("<v>", "").replace("</v>", "")


def mark(text: str, start: int, end: int, closed: bool = True) -> str:
    """Put ``<v>…</v>`` around ``text[start:end]`` (only ``<v>`` when not ``closed``)."""
    return f"{text[:start]}<v>{text[start:end]}{'</v>' if closed else ''}{text[end:]}"


def squeeze(text: str) -> str:
    """The text without any whitespace: equal for texts that differ only in whitespace."""
    return "".join(text.split())


def respan(marked: str, canonical: str) -> str:
    """``marked`` re-marked on ``canonical``, a text that differs from it only in whitespace.

    The span keeps the same non-space characters; a span of spaces only lands on the
    spaces of ``canonical`` at that point, or becomes an empty span where it has none:

    >>> respan('sympathy".<v> </v>', 'sympathy".')
    'sympathy".<v></v>'
    >>> respan('in reality<v> </v>are', 'in reality are')
    'in reality<v> </v>are'
    >>> respan('a  <v>b c</v> d', 'a b c d')
    'a <v>b c</v> d'
    """
    found = span(marked, "text")
    if found is None:
        return canonical
    text, start, end, closed = found
    if squeeze(text) != squeeze(canonical):
        raise ValueError("respan needs texts that differ only in whitespace")
    new_start = _after_solid(canonical, _solid(text[:start]))
    if start < len(text) and not text[start].isspace():
        new_start = _skip_space(canonical, new_start, len(canonical))
    inner = text[start:end]
    new_end = _after_solid(canonical, _solid(text[:end]))
    trailing = len(inner) - len(inner.rstrip())
    new_end = max(_skip_space(canonical, new_end, new_end + trailing), new_start)
    return mark(canonical, new_start, new_end if closed else len(canonical), closed)


def _solid(text: str) -> int:
    return len(squeeze(text))


def _after_solid(text: str, count: int) -> int:
    """The index just after the ``count``-th non-space character of ``text``."""
    if count == 0:
        return 0
    seen = 0
    for i, ch in enumerate(text):
        if not ch.isspace():
            seen += 1
            if seen == count:
                return i + 1
    return len(text)


def _skip_space(text: str, i: int, limit: int) -> int:
    while i < min(limit, len(text)) and text[i].isspace():
        i += 1
    return i
