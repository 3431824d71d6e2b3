"""The cheap glossary-term check gives exactly jieba's answer on real Chinese."""

from __future__ import annotations

import csv
import random

import pytest

from conftest import SAMPLE_DOCS, SAMPLES
from mtmend.cleaner.zhwords import HAN_ONLY, is_word_at, tokenizer


def _sources(shared=None) -> list[str]:
    lines = []
    for doc in SAMPLE_DOCS:
        lines += [l for l in (SAMPLES / f"{doc}.zh.txt").read_text(encoding="utf-8").splitlines() if l.strip()]
    if shared is not None:
        with open(shared / "mqm" / "mqm_ted_zhen.tsv", encoding="utf-8", newline="") as handle:
            rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            lines += sorted({r["source"].replace("<v>", "").replace("</v>", "") for r in rows})
    return lines


def _reference(terms, text, start, end) -> bool:
    """jieba itself, on the whole line: is text[start:end] one of its words?"""
    at = 0
    for word in tokenizer(terms)[0].lcut(text):
        if (at, at + len(word)) == (start, end):
            return True
        at += len(word)
    return False


def _check(lines, terms):
    checked = 0
    terms_han = [t for t in terms if HAN_ONLY.fullmatch(t)]  # others are matched as plain text
    for line in lines:
        for term in terms_han:
            at = line.find(term)
            while at >= 0:
                assert is_word_at(terms, line, at, at + len(term)) == _reference(terms, line, at, at + len(term)), (
                    term, line)
                checked += 1
                at = line.find(term, at + 1)
    return checked


def _substring_terms(lines, count, seed=7) -> frozenset[str]:
    """Random 2–4 character Han substrings: dictionary words, parts of words and non-words."""
    rng = random.Random(seed)
    runs = [m.group() for line in lines for m in HAN_ONLY.finditer(line) if len(m.group()) >= 2]
    terms = set()
    while len(terms) < count:
        run = rng.choice(runs)
        size = rng.randint(2, min(4, len(run)))
        start = rng.randint(0, len(run) - size)
        terms.add(run[start : start + size])
    return frozenset(terms)


def test_sample_glossary_terms_agree_with_jieba():
    terms = frozenset(
        row["zh"] for row in csv.DictReader(open(SAMPLES / "glossary.tsv", encoding="utf-8"), delimiter="\t")
    )
    lines = _sources()
    assert _check(lines, terms) > 20
    # The segmentation trap the glossary exists for: 上海 is not a word of 链上海南.
    line = next(l for l in lines if "链上海南" in l)
    at = line.index("上海")
    assert not is_word_at(terms | {"上海"}, line, at, at + 2)


def test_random_substring_terms_agree_with_jieba_on_ted_sources(shared):
    lines = _sources(shared)
    terms = _substring_terms(lines, 300)
    assert _check(lines, terms) > 1000


@pytest.mark.parametrize("seed", [1, 2])
def test_random_substring_terms_agree_on_the_samples(seed):
    lines = _sources()
    assert _check(lines, _substring_terms(lines, 150, seed)) > 200
