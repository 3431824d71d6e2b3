"""Fragments that a full stop cut off from the sentence they belong to."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, register
from mtmend.corpus.model import Severity

# A list introduced after a full stop: `… ten cities. Including Hainan and Hangzhou.`
_LEAD = r"Including|Includes|Such as|Especially|Particularly|Mainly|Namely|For example|E\.g\."
_INCLUDING = re.compile(rf"(?<=[a-z0-9)])\. ({_LEAD})\b([^.!?]*)(?=[.!?]|$)")
# A finite verb in the fragment makes it a sentence (`Including them is a mistake.`).
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|must|do|does|did)\b")


@register(
    "suggest_joining_list_fragment", category="Fluency/Grammar", severity=Severity.MINOR, auto=False,
    gate=lambda text: ". " in text,
)
def suggest_joining_list_fragment(text: str, ctx: Context):
    """Suggest joining an ``Including …`` fragment to the sentence before it.

    Finds ``… attracted twelve companies. Including Huobi and Amway.`` — a list or
    example (``Including``, ``Such as``, ``Especially``, ``Mainly``…) that the translation
    made a sentence of its own — and suggests ``…companies, including Huobi and Amway.``
    Suggestion only: some need rewording. Leaves alone a fragment with a finite verb
    (``Including them is a mistake.`` is a sentence) and the word inside a sentence.

    >>> example(suggest_joining_list_fragment, "More than 20 cities took part. Including Hainan, Hangzhou and Chengdu.")
    "'. Including' -> ', including'"
    >>> example(suggest_joining_list_fragment, "Think of the staff. Including them is a duty.")
    '(no change)'
    """
    out = []
    for m in _INCLUDING.finditer(text):
        lead, rest = m.groups()
        if _FINITE.search(rest) or not rest.strip():
            continue
        out.append((m.start(), m.start() + 2 + len(lead), ", " + lead[0].lower() + lead[1:]))
    return out
