"""Quotations: one-sided spaces inside a pair, nesting, a quotation left open before its speaker."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, register
from mtmend.cleaner.rules.quotes import _roles, quotes_pair_up, well_formed_quotes
from mtmend.corpus.model import Severity

PUNCTUATION = "Fluency/Punctuation"
_OUTER_LEFT = " \t([{—–"
_OUTER_RIGHT = " \t.,;:!?)]}—–"


@register("repair_quote_inner_spacing", category=PUNCTUATION, severity=Severity.MINOR, auto=True, triggers='"')
def repair_quote_inner_spacing(text: str, ctx: Context):
    """Remove a space inside a pair of straight quotes, on either side or both.

    Fixes ``has seen " 3 prefix" again`` and ``the " Belt and Road " plan``: the quotes of
    the text pair up one after another, each pair has a boundary outside, and a space
    sits inside one side or both — so both sides of the same pair are repaired together.
    Only when the text's quotes do not already read as pairs and their number is even;
    leaves alone quotes that already form a well-spaced pair, and quotations that open or
    close in another segment (``repair_straight_quote_spacing`` handles quotes slipped
    onto the wrong word).

    >>> example(repair_quote_inner_spacing, 'the consumer price index has seen " 3 prefix" again.')
    'the consumer price index has seen "3 prefix" again.'
    >>> example(repair_quote_inner_spacing, 'along the " Belt and Road " and more')
    'along the "Belt and Road" and more'
    """
    positions = [i for i, _ in _roles(text)]
    if len(positions) % 2 or quotes_pair_up(text):
        return ()
    locked = well_formed_quotes(text)
    n = len(text)
    out = []
    for i, j in zip(positions[::2], positions[1::2]):
        if i in locked or j in locked or not text[i + 1 : j].strip():
            continue
        if (i and text[i - 1] not in _OUTER_LEFT) or (j + 1 < n and text[j + 1] not in _OUTER_RIGHT):
            continue
        inner = text[i + 1 : j]
        lead, trail = len(inner) - len(inner.lstrip(" ")), len(inner) - len(inner.rstrip(" "))
        if lead:
            out.append((i + 1, i + 1 + lead, ""))
        if trail:
            out.append((j - trail, j, ""))
    return out


def _nesting(text: str) -> list[tuple[int, int]] | None:
    """Inner pairs of a text whose quotations nest completely, or ``None``."""
    if "“" in text or "”" in text:
        if '"' in text:
            return None
        marks = [(i, "open" if c == "“" else "close") for i, c in enumerate(text) if c in "“”"]
    else:
        marks = _roles(text)
    stack: list[int] = []
    inner: list[tuple[int, int]] = []
    for pos, role in marks:
        if role == "open":
            stack.append(pos)
            if len(stack) > 2:
                return None
        elif role == "close" and stack:
            start = stack.pop()
            if stack:
                inner.append((start, pos))
        else:
            return None
    return inner if not stack else None


@register("nest_inner_quotes", category=PUNCTUATION, severity=Severity.MINOR, auto=True, triggers='"“')
def nest_inner_quotes(text: str, ctx: Context):
    """Turn double quotes nested inside a quotation into single quotes.

    Fixes ``"In promoting the "Belt and Road", the digital economy helps."`` to ``"In
    promoting the 'Belt and Road', …"`` (and “ “…” ” to “ ‘…’ ”): Chinese nests “” inside “”,
    English nests single quotes. Only when every quote of the text reads as opening or
    closing and the quotations nest completely inside it; leaves alone a text that starts
    or ends inside a quotation, pairs side by side (``"A" and "B"``) and garbled quotes.

    >>> example(nest_inner_quotes, '"We support the "Belt and Road", and will go on," he said.')
    '"We support the \\'Belt and Road\\', and will go on," he said.'
    >>> example(nest_inner_quotes, 'the "Belt" and the "Road"')
    '(no change)'
    """
    inner = _nesting(text)
    if not inner:
        return ()
    out = []
    for start, end in inner:
        curly = text[start] == "“"
        out.append((start, start + 1, "‘" if curly else "'"))
        out.append((end, end + 1, "’" if curly else "'"))
    return out


_NAME = r"(?:[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}|[Hh]e|[Ss]he|[Tt]hey)"
_VERB = r"(?:said|says|added|noted|stressed|emphasized|emphasised|explained|told \w+|pointed out|asked|replied)"
_OPEN_BEFORE_SAID = re.compile(rf"([.,!?]) (?={_NAME} {_VERB}\.?$|{_VERB} {_NAME}\.?$)")


@register(
    "suggest_closing_quote_before_attribution", category=PUNCTUATION, severity=Severity.MINOR, auto=False,
    triggers='"“',
)
def suggest_closing_quote_before_attribution(text: str, ctx: Context):
    """Suggest closing a quotation left open before its attribution (``… point. Jiang said.``).

    Finds a text whose last quotation opens and never closes, and that ends with a
    speaker and a speech verb (``Jiang said.``, ``said Li Lin.``, ``he added.``); suggests
    closing it before the speaker, English style: ``… point," Jiang said.`` Suggestion
    only: the quotation may continue in the next segment. Leaves alone texts whose
    quotes pair up.

    >>> example(suggest_closing_quote_before_attribution, '"In promoting the cooperation, the digital economy is a good entry point. Jiang said.')
    '\\'. \\' -> \\'," \\''
    """
    curly = "“" in text
    if curly:
        marks = [(i, "open" if c == "“" else "close") for i, c in enumerate(text) if c in "“”"]
    else:
        marks = _roles(text)
    depth = 0
    for _, role in marks:
        if role == "odd":
            return ()
        depth = depth + 1 if role == "open" else max(depth - 1, 0)
    if depth == 0:
        return ()
    last_open = marks[-1][0]
    m = _OPEN_BEFORE_SAID.search(text, last_open)
    if m is None:
        return ()
    mark = m.group(1)
    closer = "”" if curly else '"'
    return ((m.start(), m.end(), ("," if mark in ".," else mark) + closer + " "),)
