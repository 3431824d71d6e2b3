"""Chinese dashes and ellipses left in English, and doubled sentence marks."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, register
from mtmend.cleaner.rules.chinese_punctuation import is_cjk
from mtmend.corpus.model import Severity

PUNCTUATION = "Fluency/Punctuation"

# A Chinese dash is two em dashes (or two full-width hyphens), with any spaces around it.
_CN_DASH = re.compile(r"( *)(?:——|－－|—{3,})( *)")


@register("replace_chinese_dash", category=PUNCTUATION, severity=Severity.MINOR, auto=True, triggers="—－")
def replace_chinese_dash(text: str, ctx: Context):
    """Turn a Chinese dash (``——``) in English into one em dash, spaced the same on both sides.

    Fixes ``the plan——a bold one`` (``the plan—a bold one``) and ``the plan—— a bold one``,
    glued on one side only (``the plan — a bold one``). Leaves alone a single em dash, an
    en dash, a dash next to Chinese characters (untranslated text is flagged instead) and
    a dash that starts or ends the text (a list marker, a cut-off speech).

    >>> example(replace_chinese_dash, "Sun Yat-sen said——the revolution is not yet complete.")
    'Sun Yat-sen said—the revolution is not yet complete.'
    >>> example(replace_chinese_dash, "three goals—— growth, jobs and trade")
    'three goals — growth, jobs and trade'
    """
    out = []
    for m in _CN_DASH.finditer(text):
        s, e = m.span()
        if s == 0 or e == len(text) or is_cjk(text[s - 1]) or is_cjk(text[e]):
            continue
        spaced = bool(m.group(1)) or bool(m.group(2))
        out.append((s, e, " — " if spaced else "—"))
    return out


_CN_ELLIPSIS = re.compile(r"( *)(?:…{2,}|\.{5,}|。{3,})( *)(?=(.)?)")


def _may_hold_cn_ellipsis(text: str) -> bool:
    return "……" in text or "....." in text or "。。。" in text


@register(
    "replace_chinese_ellipsis", category=PUNCTUATION, severity=Severity.MINOR, auto=True, gate=_may_hold_cn_ellipsis,
)
def replace_chinese_ellipsis(text: str, ctx: Context):
    """Turn a Chinese ellipsis (``……``, ``......``) into an English one (``...``).

    Fixes six dots or two ellipsis characters, with the space English wants: none before
    the ellipsis, one after it when a word follows (``the "three words" ......Recently`` →
    ``the "three words"... Recently``). Leaves alone an English ellipsis (``...``, ``…``,
    and ``....`` ending a sentence), and one next to Chinese characters.

    >>> example(replace_chinese_ellipsis, 'is again seen in the "three words" ......Recently, the authorities')
    'is again seen in the "three words"... Recently, the authorities'
    >>> example(replace_chinese_ellipsis, "Wait... and then…")
    '(no change)'
    """
    out = []
    for m in _CN_ELLIPSIS.finditer(text):
        s, e = m.start(), m.end()
        nxt = m.group(3)
        if (s and is_cjk(text[s - 1])) or (nxt and is_cjk(nxt)):
            continue
        after = " " if nxt and (nxt.isalnum() or nxt in "\"“'‘(") else ""
        out.append((s, e, "..." + after))
    return out


# The same sentence mark twice, separated by a space: `. .`, `? ?`, `! !`, or `?.`.
_DOUBLED = re.compile(r"(?<![.\s])([.?!])( ?)([.?!])(?![.?!])")


@register(
    "remove_doubled_sentence_mark", category=PUNCTUATION, severity=Severity.MINOR, auto=True,
    gate=lambda text: ". ." in text or ("?" in text and ("? ?" in text or "?." in text or ".?" in text))
    or ("!" in text and ("! !" in text or "!." in text)),
)
def remove_doubled_sentence_mark(text: str, ctx: Context):
    """Remove a sentence mark doubled by the translation: ``. .``, ``? ?``, ``?.``.

    Fixes ``It is over. .`` and ``Why? ?`` (one mark kept: the stronger one of ``?.``).
    Leaves alone an ellipsis (``...``, ``. . .``), ``?!``, ``!!`` and ``??`` (emphasis).

    >>> example(remove_doubled_sentence_mark, "The meeting ended. . Why? ?")
    'The meeting ended. Why?'
    >>> example(remove_doubled_sentence_mark, "Wait . . . really?! Yes!!")
    '(no change)'
    """
    out = []
    for m in _DOUBLED.finditer(text):
        first, space, second = m.groups()
        if first == second and not space:
            continue  # `..`, `!!`, `??` glued: an ellipsis typed short, or emphasis
        if first == second or second == ".":
            out.append((m.start(2), m.end(3), ""))
        elif first == ".":  # `.?`: the question mark is meant
            out.append((m.start(1), m.end(2), ""))
    return out
