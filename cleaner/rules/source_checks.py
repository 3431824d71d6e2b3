"""Checks against the Chinese source, and untranslated text. They flag; they never edit."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, example, register  # example: for the doctests
from mtmend.corpus.model import Severity

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]+")


@register(
    "flag_untranslated_cjk", category="Accuracy/Untranslated text", severity=Severity.MAJOR, auto=False,
    nonascii=True, gate=_CJK_RUN.search,
)
def flag_untranslated_cjk(text: str, ctx: Context):
    """Flag Chinese (or Japanese) characters left in the English.

    Reports each run of CJK characters, which the machine translation left untranslated
    or a copy brought along. Leaves alone Chinese punctuation between English words
    (``replace_chinese_punctuation`` repairs it) and full-width Latin letters.

    >>> example(flag_untranslated_cjk, "The 海南 pilot zone")
    "flag '海南': Chinese characters left in the English"
    """
    return [(m.start(), m.end(), None, "Chinese characters left in the English") for m in _CJK_RUN.finditer(text)]


_ZH_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*([万亿千百月日号%]?)")
_EN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
_FULLWIDTH_DIGITS = {ord("０") + i: str(i) for i in range(10)}
_ANY_DIGIT = re.compile(r"\d")  # the digits _ZH_NUMBER can match, full-width ones included


def _target_has(number: str, unit: str, text: str, lowered: str, found: set[str]) -> bool:
    if number in found:
        return True
    value = float(number)
    if unit == "月" and value.is_integer() and 1 <= value <= 12:
        return _MONTHS[int(value) - 1] in lowered
    if value.is_integer() and value <= 20:
        return re.search(rf"\b{_WORDS[int(value)]}\b", lowered) is not None or (value == 1 and " a " in lowered)
    return False


@register(
    "flag_missing_numbers", category="Accuracy/Omission", severity=Severity.MAJOR, auto=False, needs_source=True,
)
def flag_missing_numbers(text: str, ctx: Context):
    """Flag numbers of the Chinese source that the English does not contain.

    Compares the Arabic numerals of the source with the English, accepting month names
    for ``3月``, number words up to twenty (``12家`` → ``Twelve``) and thousands
    separators. Leaves alone numbers with a Chinese multiplier (``3万``, ``2亿``), which the
    English rightly converts, and sources without digits.

    >>> example(flag_missing_numbers, "It opened on December 5.", source="12月6日开幕。")
    "flag 'It opened on December 5.': number 6 of the source is missing"
    """
    source = ctx.source
    if _ANY_DIGIT.search(source) is None:
        return ()
    source = source.translate(_FULLWIDTH_DIGITS)
    lowered = text.lower()
    found = {m.group().lstrip("0") or "0" for m in _EN_NUMBER.finditer(text.replace(",", ""))}
    missing = []
    for m in _ZH_NUMBER.finditer(source.replace(",", "")):
        number, unit = m.groups()
        if unit in ("万", "亿", "千", "百"):
            continue
        key = number.lstrip("0") or "0"
        if not _target_has(key, unit, text, lowered, found) and key not in missing:
            missing.append(key)
    if not missing:
        return ()
    plural = "s" if len(missing) > 1 else ""
    return ((0, len(text), None, f"number{plural} {', '.join(missing)} of the source {'are' if plural else 'is'} missing"),)


@register(
    "flag_quote_bracket_mismatch", category="Fluency/Punctuation", severity=Severity.MINOR, auto=False,
    needs_source=True,
)
def flag_quote_bracket_mismatch(text: str, ctx: Context):
    """Flag quotations or brackets whose count disagrees with the source.

    Counts quotations (“…”, 「…」, and 《…》 titles, which English may or may not quote)
    and brackets (（…）) in the Chinese and compares them with the English quotes and
    parentheses. Leaves alone texts where the counts agree, and an English title left
    unquoted for a 《…》.

    >>> example(flag_quote_bracket_mismatch, "He praised the Belt and Road.", source="他称赞“一带一路”。")
    "flag 'He praised the Belt and Road.': source has 2 quotation marks, the English 0"
    """
    src = ctx.source
    notes = []
    # Count marks, not pairs: a quotation may open in one segment and close in the next.
    zh_marks = src.count("“") + src.count("”") + src.count("「") + src.count("」")
    titles = src.count("《") + src.count("》")
    en_marks = text.count("“") + text.count("”") + text.count('"')
    if not zh_marks <= en_marks <= zh_marks + titles:
        notes.append(f"source has {zh_marks} quotation mark{'s' if zh_marks != 1 else ''}, the English {en_marks}")
    zh_brackets = src.count("（") + src.count("(")
    en_brackets = text.count("(")
    if zh_brackets != en_brackets:
        notes.append(f"source has {zh_brackets} bracket pair{'s' if zh_brackets != 1 else ''}, the English {en_brackets}")
    return ((0, len(text), None, "; ".join(notes)),) if notes else ()


@register(
    "flag_target_equals_source", category="Accuracy/Untranslated text", severity=Severity.MAJOR, auto=False,
    needs_source=True,
)
def flag_target_equals_source(text: str, ctx: Context):
    """Flag an English segment identical to its Chinese source.

    Reports a segment copied instead of translated. Leaves alone segments without Chinese
    characters (``5G``, ``MIT``, numbers), which are rightly the same on both sides.

    >>> example(flag_target_equals_source, "区块链", source="区块链")
    "flag '区块链': the target is the untranslated source"
    """
    if text.strip() == ctx.source.strip() and _CJK_RUN.search(text):
        return ((0, len(text), None, "the target is the untranslated source"),)
    return ()
