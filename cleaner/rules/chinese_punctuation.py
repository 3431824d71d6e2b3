"""Chinese punctuation and full-width forms left in English text."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, QuoteStyle, register
from mtmend.corpus.model import Severity

_FULLWIDTH_CHARS = "".join(chr(c) for c in range(0xFF10, 0xFF1A)) + "".join(
    chr(c) for c in (*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
) + "\u3000"
_FULLWIDTH = re.compile(f"[{_FULLWIDTH_CHARS}]+")
_TO_ASCII = {ord(ch): (" " if ch == "\u3000" else chr(ord(ch) - 0xFEE0)) for ch in _FULLWIDTH_CHARS}


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph or kana (the characters of Chinese or Japanese text)."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u3040" <= ch <= "\u30ff"


@register(
    "normalize_fullwidth_forms", category="Fluency/Character encoding", severity=Severity.MINOR, auto=True,
    triggers=_FULLWIDTH_CHARS,
)
def normalize_fullwidth_forms(text: str, ctx: Context):
    """Turn full-width Latin letters, digits and the ideographic space into ASCII.

    Fixes ``ＭＩＴ``, ``２０３０`` and U+3000 spaces copied from Chinese text. Leaves alone
    full-width forms next to Chinese characters (Chinese text quoted in the English is
    flagged by ``flag_untranslated_cjk`` instead) and full-width punctuation, which
    ``replace_chinese_punctuation`` handles with its spacing.

    >>> example(normalize_fullwidth_forms, "by ２０３０ at ＭＩＴ")
    'by 2030 at MIT'
    """
    out = []
    for m in _FULLWIDTH.finditer(text):
        s, e = m.span()
        if (s and is_cjk(text[s - 1])) or (e < len(text) and is_cjk(text[e])):
            continue
        out.append((s, e, m.group().translate(_TO_ASCII)))
    return out


_CN_PUNCT = "，。、：；？！（）《》【】「」『』"
_CN_RUN = re.compile(r" *([，。、：；？！（）《》【】「」『』]) *")
_SIMPLE = {"，": ",", "、": ",", "。": ".", "：": ":", "；": ";", "？": "?", "！": "!"}
_NO_SPACE_AFTER = set(".,;:!?)]}\"'”’") | set(_CN_PUNCT)


@register(
    "replace_chinese_punctuation", category="Fluency/Punctuation", severity=Severity.MINOR, auto=True,
    triggers=_CN_PUNCT,
)
def replace_chinese_punctuation(text: str, ctx: Context):
    """Replace Chinese punctuation in English text by its English form, with English spacing.

    Fixes ，。、：；？！（）【】 and turns 《title》 and 「quote」 into a quoted title in
    the document's quote style: a comma or full stop gets one space after it, an opening
    bracket one space before it. Leaves alone punctuation touching Chinese characters
    (untranslated Chinese is flagged, not half-repaired) and “ ” ’, which are English
    typography (see ``apply_quote_style``).

    >>> example(replace_chinese_punctuation, "Hainan（Port）is open，says the report《Blue Book》。")
    'Hainan (Port) is open, says the report "Blue Book".'
    """
    out = []
    n = len(text)
    typographic = ctx.config.quote_style is QuoteStyle.TYPOGRAPHIC or (
        ctx.config.quote_style is QuoteStyle.AUTO and "“" in text
    )
    for m in _CN_RUN.finditer(text):
        s, e = m.span()
        mark = m.group(1)
        prev = text[s - 1] if s else ""
        nxt = text[e] if e < n else ""
        if (prev and is_cjk(prev)) or (nxt and is_cjk(nxt)):
            continue
        word_before = bool(prev) and (prev.isalnum() or prev in ".,;:!?)]\"'”’")
        word_after = bool(nxt) and nxt not in _NO_SPACE_AFTER and not nxt.isspace()
        if mark in _SIMPLE:
            rep = _SIMPLE[mark] + (" " if word_after else "")
        elif mark in "（【":
            rep = (" " if word_before else "") + ("(" if mark == "（" else "[")
        elif mark in "）】":
            rep = (")" if mark == "）" else "]") + (" " if word_after else "")
        elif mark in "《「":
            rep = (" " if word_before else "") + ("“" if typographic else '"')
        elif mark in "》」":
            rep = ("”" if typographic else '"') + (" " if word_after else "")
        elif mark == "『":
            rep = (" " if word_before else "") + ("‘" if typographic else "'")
        else:  # 』
            rep = ("’" if typographic else "'") + (" " if word_after else "")
        out.append((s, e, rep))
    return out
