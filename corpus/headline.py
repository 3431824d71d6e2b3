"""Headlines: where the English of a Chinese title line ends when the MT glued it onto the next sentence.

A headline (a title, a ``来源：…`` line, a byline) has no full stop in either language.
When the Chinese has it on a line of its own but the MT wrote it on one line with what
follows (``Digital Economy Forum Opens in Hangzhou The forum attracted …``), no sentence
splitter can see the boundary in the English, and the aligner puts both Chinese lines in
one bead. :func:`headline_cut` finds the boundary from the Chinese side, which is strong
evidence: the headline's line break.

The cut is a word boundary where an English sentence can start (a capital, a digit, an
opening quote or bracket) and the headline can end (not after ``the``, ``of``, ``and`` …).
It is scored with the lexical anchors of the aligner (:mod:`mtmend.corpus.dictionary`).
First by words: each English word is +1 when it translates a unit of the headline and
none of the rest, -1 for the reverse, and the cut with the highest sum of the marks
before it wins. Equal sums (words that both sides share, ``Blockchain`` in a title and
in the sentence after it, mark 0) are told apart by units: the share of the headline's
units that the words before the cut translate plus the share of the rest's units that
the words after it translate. Then a cut at a line break wins, then the earliest: the words between equal
cuts translate nothing, and those are more often the function words and dates that open
a sentence (``On December 5, …``) than the last word of a headline (lengths cannot tell:
two words are within their noise). The cut is accepted only when both sides agree: the
marks before it sum to zero or more and those after it to zero or less, the words before
it translate at least a third of the headline's units, and the words after it at least a
third of the rest's (111 of the 112 beads of the sample corpus translate a
third of their Chinese units or more; the median is 71%).
"""

from __future__ import annotations

import re

from mtmend.corpus import dictionary

__all__ = ["headline_cut", "is_headline"]

# What ends a Chinese sentence (split.py's terminators), optionally followed by closing quotes/brackets.
_ZH_FINAL = re.compile(r"(?:[。！？；!?.…])[”’」』）》】〉\"')］\]]*$")
_TOKEN = re.compile(r"\S+")
_SENTENCE_START = re.compile(r"[A-Z0-9“‘\"'(\[«]")
# Lower-case words no English headline or sentence ends with (``helps the | “Belt and Road”``).
_NEVER_LAST = frozenset("a an the of to in on at by for from with into onto and or but nor as than".split())


def is_headline(sentence: str) -> bool:
    """A Chinese line that is no sentence: it does not end in sentence-final punctuation.

    >>> [is_headline(s) for s in ("数字经济论坛在杭州开幕", "来源：学习强国", "论坛开幕。", "什么是“区块链”？")]
    [True, True, False, False]
    """
    sentence = sentence.strip()
    return bool(sentence) and not _ZH_FINAL.search(sentence)


def headline_cut(head: str, rest: str, en: str) -> tuple[int, int] | None:
    """Where the translation of ``head`` ends in ``en`` and that of ``rest`` starts, or None.

    ``en`` translates the Chinese headline ``head`` followed by the Chinese ``rest``;
    the answer is ``(end, start)``: ``en[:end]`` is the headline's English (no trailing
    space) and ``en[start:]`` the rest's. None when the evidence does not hold (see the
    module docstring): then nothing should be cut.

    >>> en = "Digital Economy Forum Opens in Hangzhou The forum attracted representatives from 20 countries."
    >>> end, start = headline_cut("数字经济论坛在杭州开幕", "本届论坛吸引了来自二十个国家的代表。", en)
    >>> en[:end], en[start:start + 9]
    ('Digital Economy Forum Opens in Hangzhou', 'The forum')
    """
    head_units, rest_units = dictionary.zh_units(head), dictionary.zh_units(rest)
    tokens = list(_TOKEN.finditer(en))
    if not head_units or not rest_units or len(tokens) < 2:
        return None
    keys = [dictionary.en_keys(token.group()) for token in tokens]
    head_keys, rest_keys = frozenset().union(*head_units), frozenset().union(*rest_units)
    marks = _running([int(bool(k & head_keys) and not k & rest_keys) - int(bool(k & rest_keys) and not k & head_keys)
                      for k in keys])  # marks[i]: the sum of the marks of the words before word i
    # heads[i]: headline units the words before word i translate; rests[i]: rest units the words from i on translate
    heads = _running(_firsts(head_units, keys))
    rests = _running(_firsts(rest_units, keys[::-1])[::-1], from_end=True)
    best: tuple[tuple[int, float, bool], int] | None = None
    for i in range(1, len(tokens)):
        if not _SENTENCE_START.match(tokens[i].group()) or tokens[i - 1].group() in _NEVER_LAST:
            continue
        score = heads[i] / len(head_units) + rests[i] / len(rest_units)
        key = (marks[i], round(score, 9), "\n" in en[tokens[i - 1].end(): tokens[i].start()])
        if best is None or key > best[0]:  # strictly better: the earliest of equals stays
            best = (key, i)
    if best is None:
        return None
    i = best[1]
    if marks[i] < 0 or marks[-1] - marks[i] > 0:
        return None  # the words before the cut translate the rest more than the headline, or the reverse after it
    if heads[i] * 3 < len(head_units) or rests[i] * 3 < len(rest_units):
        return None
    return tokens[i - 1].end(), tokens[i].start()


def _firsts(units: tuple[frozenset[str], ...], keys: list[frozenset[str]]) -> list[int]:
    """How many units are translated for the first time by each word (in one pass over the words)."""
    by_key: dict[str, list[int]] = {}
    for u, unit in enumerate(units):
        for key in unit:
            by_key.setdefault(key, []).append(u)
    seen: set[int] = set()
    counts = []
    for word in keys:
        new = {u for key in word for u in by_key.get(key, ()) if u not in seen}
        seen |= new
        counts.append(len(new))
    return counts


def _running(values: list[int], *, from_end: bool = False) -> list[int]:
    """Sums of ``values`` before each index (one more entry than ``values``), or from each index on."""
    if from_end:
        return _running(values[::-1])[::-1]
    sums = [0]
    for value in values:
        sums.append(sums[-1] + value)
    return sums
