"""Separators glued to the next word: a label's colon, a comma between two words."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, register
from mtmend.corpus.model import Severity

PUNCTUATION = "Fluency/Punctuation"

# Labels of news pages, credits and interviews (来源, 编辑, 记者, 作者, 摄影, 字号…).
_LABELS = (
    "Source|Sources|Editor|Editors|Responsible editor|Editor in charge|Reporter|Reporters|Author|Authors|"
    "Correspondent|Photo|Photos|Photographer|Image|Picture|Caption|Translator|Translated by|Proofreader|"
    "Producer|Note|Notes|Tel|Phone|Fax|Email|E-mail|Address|Date|Time|Font|Title|Keywords|Q|A|Question|Answer"
)
_LABEL_COLON = re.compile(rf"(?:^|(?<=[\s\[(【]))(?:{_LABELS}):(?=[A-Z\[(])")


@register(
    "add_space_after_label_colon", category=PUNCTUATION, severity=Severity.MINOR, auto=True,
    gate=lambda text: ":" in text,
)
def add_space_after_label_colon(text: str, ctx: Context):
    """Insert the space missing after a label's colon: ``Source:Xinhua`` → ``Source: Xinhua``.

    Fixes the credit and interview labels Chinese pages glue to their value (来源：新华社
    rendered ``[Source:Xinhua] [Editor:Li Shufeng]``, ``Q:What``). Only known labels
    followed by a capital: leaves alone times (``10:30``), ratios, URLs (``http:``),
    drive letters (``C:\\``), code (``std::vector``) and any other word before a colon.

    >>> example(add_space_after_label_colon, "2023-02-11 13:09:10 [Source:Xinhua] [Editor:Li Shufeng]")
    '2023-02-11 13:09:10 [Source: Xinhua] [Editor: Li Shufeng]'
    >>> example(add_space_after_label_colon, "Meet at 10:30, see https://x.org or Note:this")
    '(no change)'
    """
    return [(m.end(), m.end(), " ") for m in _LABEL_COLON.finditer(text)]


# A comma glued between two words (letters only on both sides: never numbers).
_GLUED_COMMA = re.compile(r"(?<=[A-Za-z][a-z]),(?=[A-Za-z][a-z])")


@register(
    "add_space_after_comma", category=PUNCTUATION, severity=Severity.MINOR, auto=True,
    gate=re.compile(r",[A-Za-z]").search,
)
def add_space_after_comma(text: str, ctx: Context):
    """Insert the space missing after a comma between two words: ``Hainan,Hangzhou``.

    Fixes a comma glued to the next word in prose (a Chinese enumeration comma turned
    into ``,`` without its space). Only in prose — a text with a few spaces and some
    properly spaced commas or no other glued one: leaves alone numbers (``1,000``),
    lists written without spaces (``red,green,blue``: data), code and identifiers.

    >>> example(add_space_after_comma, "It covers Hainan,Hangzhou and other cities in the region.")
    'It covers Hainan, Hangzhou and other cities in the region.'
    >>> example(add_space_after_comma, "Set colors=red,green,blue and 1,000 items.")
    '(no change)'
    """
    glued = list(_GLUED_COMMA.finditer(text))
    if not glued or text.count(" ") < 4:
        return ()
    if len(glued) > 1 and ", " not in text:
        return ()  # comma-separated data, not prose
    out = []
    for m in glued:
        w = m.start()
        while w and not text[w - 1].isspace():
            w -= 1
        if any(c in text[w : m.start()] for c in "=:/(_"):
            continue  # an option or an identifier list
        out.append((m.end(), m.end(), " "))
    return out
