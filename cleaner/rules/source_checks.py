"""Checks against the Chinese source, and untranslated text. They flag; they never edit."""

from __future__ import annotations

import re

from mtmend.cleaner.rule import Context, register
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


_ZH_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*([余多]?)\s*(年代|[万亿千百月日号%]?)")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_EN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
_ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
             "nineteenth", "twentieth")
_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}
_FULLWIDTH_DIGITS = {ord("０") + i: str(i) for i in range(10)}
_ANY_DIGIT = re.compile(r"\d")  # the digits _ZH_NUMBER can match, full-width ones included


def _short(value: float) -> str:
    return f"{value:.6g}" if value < 1e15 else ""


def _scaled_in_target(value: float, lowered: str, found: set[str]) -> bool:
    """500万 as ``5 million``, ``5,000,000`` or ``5m``; 315.1亿 as ``31.51 billion``."""
    if _short(value) in found:
        return True
    for word, size in (("thousand", 1e3), ("million", 1e6), ("billion", 1e9), ("trillion", 1e12)):
        part = _short(round(value / size, 6))
        if part in found and (word in lowered or f"{part}{word[0]}" in lowered.replace(" ", "")):
            return True
    return False


def _target_has(number: str, unit: str, lowered: str, found: set[str]) -> bool:
    if unit in _SCALE:
        return _scaled_in_target(float(number) * _SCALE[unit], lowered, found)
    if number in found:
        return True
    value = float(number)
    if unit == "年代" and value.is_integer():  # 80年代: the 1980s
        return f"19{int(value)}" in found or f"20{int(value):02d}" in found
    if value.is_integer() and 1 <= value <= 12 and unit in ("月", ""):
        month = _MONTHS[int(value) - 1]
        if month in lowered or re.search(rf"\b{month[:3]}\b", lowered):
            return True
    if value.is_integer() and value <= 20:
        word, ordinal = _WORDS[int(value)], _ORDINALS[int(value)]
        return re.search(rf"\b(?:{word}|{ordinal})\b", lowered) is not None or (value == 1 and " a " in lowered)
    return False


@register(
    "flag_missing_numbers", category="Accuracy/Omission", severity=Severity.MAJOR, auto=False, needs_source=True,
)
def flag_missing_numbers(text: str, ctx: Context):
    """Flag numbers of the Chinese source that the English does not contain.

    Compares the Arabic numerals of the source with the English, accepting what English
    legitimately writes differently: month names and abbreviations for ``3月`` and for
    dates (``2023-02-11`` → ``February 11, 2023``), number and ordinal words up to twenty
    (``12家`` → ``Twelve``, ``第5个月`` → ``fifth``), decades (``80年代`` → ``1980s``),
    thousands separators, and numbers with a Chinese multiplier, 余/多 included, in
    English units (``500余万`` → ``over 5 million``, ``315.1亿`` → ``31.51 billion``).
    Leaves alone sources without digits.

    >>> example(flag_missing_numbers, "It opened on December 5.", source="12月6日开幕。")
    "flag 'It opened on December 5.': number 6 of the source is missing"
    >>> example(flag_missing_numbers, "A gap of over 5 million, the fifth month since Feb. 2023.", source="500余万的缺口，2023年2月以来第5个月。")
    '(no change)'
    """
    source = ctx.source
    if _ANY_DIGIT.search(source) is None:
        return ()
    source = _ISO_DATE.sub(r"\1年\2月\3日", source.translate(_FULLWIDTH_DIGITS))
    lowered = text.lower()
    found = {m.group().lstrip("0") or "0" for m in _EN_NUMBER.finditer(text.replace(",", ""))}
    missing = []
    for m in _ZH_NUMBER.finditer(source.replace(",", "")):
        number, _, unit = m.groups()
        key = number.lstrip("0") or "0"
        if key.startswith("."):
            key = "0" + key
        if not _target_has(key, unit, lowered, found):
            label = m.group().replace(" ", "") if unit in _SCALE else key
            if label not in missing:
                missing.append(label)
    if not missing:
        return ()
    plural = "s" if len(missing) > 1 else ""
    return ((0, len(text), None, f"number{plural} {', '.join(missing)} of the source {'are' if plural else 'is'} missing"),)


_ZH_QUOTATION = re.compile(r"“([^“”]*)”|「([^「」]*)」")
_ZH_BRACKET = re.compile(r"[（(]([^（）()]*)[）)]")
_EN_BRACKET = re.compile(r"\(([^()]*)\)")
# Bracket content English may add or drop freely: an acronym, a date, a code, a news agency.
_PLAIN_ZH = re.compile(r"[\dA-Za-z.,:/\s%&-]*|[\d月日年号周一二三四五六七]+")
_PLAIN_EN = re.compile(r"[A-Z]{2,}s?|[\d\s.,:/%-]*|Xinhua|VNA|AFP|Reuters|\w+ \d{1,2}|\d{1,2} \w+")


def _speech_quotations(src: str) -> int:
    """Quotations of speech in the source: long, or holding a clause (“…，…”).

    Short quoted terms are emphasis (“暴雷”, “物体”): English rightly drops those quotes.
    """
    count = 0
    for m in _ZH_QUOTATION.finditer(src):
        inner = m.group(1) or m.group(2) or ""
        if len(inner) >= 15 or "，" in inner or "。" in inner:
            count += 1
    return count


@register(
    "flag_quote_bracket_mismatch", category="Fluency/Punctuation", severity=Severity.MINOR, auto=False,
    needs_source=True, default=False,
)
def flag_quote_bracket_mismatch(text: str, ctx: Context):
    """Flag a quotation or bracket that the English dropped or added against the source.

    Flags a quotation of speech in the source (long, or holding a clause) that the English
    does not quote, quotation marks the English adds beyond the source's quotations and
    《…》 titles, and brackets with Chinese content dropped or added. Leaves alone what
    English legitimately renders differently: dropped emphasis quotes around a short term
    (“暴雷”), 《…》 titles quoted or not, quotations split across segments, and brackets
    around an acronym, a date or a code (``(PMI)``, （2月10日）). Off by default: on real
    news MT most quote and bracket differences are legitimate, so it is right too rarely
    (``bench/bench_restraint.py`` measures it); name it in ``--rules`` to run it.

    >>> example(flag_quote_bracket_mismatch, "He said the object posed a threat to aircraft.", source="他说，它“对民航飞机的安全构成了合理的威胁”。")
    "flag 'He said the object posed a threat to aircraft.': the source quotes 1 passage of speech, the English 0"
    >>> example(flag_quote_bracket_mismatch, "Another big gym in trouble?", source="又一大型健身房“暴雷”？")
    '(no change)'
    """
    src = ctx.source
    notes = []
    speech = _speech_quotations(src)
    en_marks = text.count("“") + text.count("”") + text.count('"')
    zh_marks = sum(src.count(c) for c in "“”「」")
    titles = src.count("《") + src.count("》")
    if speech and en_marks < 2 * speech:
        notes.append(f"the source quotes {speech} passage{'s' if speech > 1 else ''} of speech, the English {en_marks // 2}")
    elif en_marks > zh_marks + titles:
        notes.append(f"the English has {en_marks} quotation marks, the source {zh_marks + titles}")
    zh_brackets = sum(1 for m in _ZH_BRACKET.finditer(src) if not _PLAIN_ZH.fullmatch(m.group(1)))
    en_brackets = sum(1 for m in _EN_BRACKET.finditer(text) if not _PLAIN_EN.fullmatch(m.group(1)))
    if zh_brackets != en_brackets:
        notes.append(f"source has {zh_brackets} bracket{'s' if zh_brackets != 1 else ''} with words, the English {en_brackets}")
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
