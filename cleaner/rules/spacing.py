"""Spacing: missing, doubled and misplaced spaces around punctuation."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, register
from mtmend.corpus.model import Severity

PUNCTUATION = "Fluency/Punctuation"

_SPACE_BEFORE = re.compile(r"(?<=[\w)\]%])[ \t]+(?=[,.;:!?](?:[\s\"'”’]|$))")


def _has_space_before_mark(text: str) -> bool:
    return " ," in text or " ." in text or " ;" in text or " :" in text or " ?" in text or " !" in text


@register(
    "remove_space_before_punctuation", category=PUNCTUATION, severity=Severity.MINOR, auto=True,
    gate=_has_space_before_mark,
)
def remove_space_before_punctuation(text: str, ctx: Context):
    """Remove spaces before a comma, full stop, semicolon, colon, question or exclamation mark.

    Fixes ``forum .`` and ``countries , and``. Leaves alone an ellipsis (``wait ...``),
    decimals (``.5``), a mark not followed by a space (``.NET``, ``:)``), and marks after
    a quote or a dash, where the spacing is the quote rules' business.

    >>> example(remove_space_before_punctuation, "It opened in Haikou , the capital .")
    'It opened in Haikou, the capital.'
    >>> example(remove_space_before_punctuation, "Wait ... and version .NET stay.")
    '(no change)'
    """
    return [(m.start(), m.end(), "") for m in _SPACE_BEFORE.finditer(text)]


_GLUED_SENTENCE = re.compile(r"[.?!](?=[A-Z][a-z])")


@register("add_space_after_sentence_end", category=PUNCTUATION, severity=Severity.MINOR, auto=True)
def add_space_after_sentence_end(text: str, ctx: Context):
    """Insert the missing space between two sentences glued together.

    Fixes ``initiative.Chinese companies`` (a lower-case word, a full stop, question or
    exclamation mark, then a capitalised word). Leaves alone abbreviations (``e.g.The``,
    ``U.S.Army``, ``Mr.Smith``), domain names, file names, version numbers and decimals.

    >>> example(add_space_after_sentence_end, "a think tank initiative.Chinese companies signed.")
    'a think tank initiative. Chinese companies signed.'
    >>> example(add_space_after_sentence_end, "See example.Com or e.g.The U.S.Army.")
    '(no change)'
    """
    return [
        (m.end(), m.end(), " ")
        for m in _GLUED_SENTENCE.finditer(text)
        if m.start() >= 2 and text[m.start() - 1].islower() and text[m.start() - 2].islower()
    ]


_LIST_NUMBER = re.compile(r"(?:[A-Z][a-z]{0,7}: ?)?\d{1,2}[.)](?=[A-Z][a-z])")


@register(
    "add_space_after_list_number", category=PUNCTUATION, severity=Severity.MINOR, auto=True,
    gate=_LIST_NUMBER.match,
)
def add_space_after_list_number(text: str, ctx: Context):
    """Insert the missing space after a list number at the start of a line.

    Fixes ``4.To create a complete ecosystem`` (also after a label: ``A: 1.Establish``).
    Leaves alone numbers inside a sentence, decimals (``4.5``) and numbers followed by a
    lower-case word or a digit.

    >>> example(add_space_after_list_number, "4.To create a complete industry ecosystem.")
    '4. To create a complete industry ecosystem.'
    >>> example(add_space_after_list_number, "4.5 percent is the figure.")
    '(no change)'
    """
    m = _LIST_NUMBER.match(text)
    return ((m.end(), m.end(), " "),) if m else ()


_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)| +$")


def _has_extra_space(text: str) -> bool:
    return "  " in text or text[-1] == " " or "\u00a0 " in text or " \u00a0" in text


@register(
    "collapse_spaces", category=PUNCTUATION, severity=Severity.NEUTRAL, auto=True, gate=_has_extra_space,
)
def collapse_spaces(text: str, ctx: Context):
    """Collapse doubled spaces between words into one, and drop trailing spaces.

    Fixes ``the  forum`` and a space left at the end of a line. Leaves alone indentation at
    the start of a line (it may be layout), tabs, a line with two or more wide gaps
    (``Name  Age  City``: columns aligned with spaces) and two spaces ending a line (a
    Markdown hard break) — the engine protects those.

    >>> example(collapse_spaces, "the  digital economy ")
    'the digital economy'
    >>> example(collapse_spaces, "Name    Age   City")
    '(no change)'
    """
    return [(m.start(), m.end(), " " if m.end() < len(text) else "") for m in _DOUBLE_SPACE.finditer(text)]
