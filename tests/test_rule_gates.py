"""Cheap tests in front of the rules' regular expressions skip only texts the expressions find nothing in.

A gate or a rewrite that saves a look-behind at every character must never change what a
rule finds: each is checked against the expression it stands in for, on generated text
(odd whitespace, quotes, capitals, the words the expressions look for) and on the sample articles.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE_DOCS, SAMPLES
from mtmend.cleaner import rule
from mtmend.cleaner.rules import names, sentences, words

PIECES = st.sampled_from(
    ["the", "economy", "The", "It", "This", "Their", "Our", "Said", "Says", "said", "Yang", "A", "b", "Z",
     "Élan", "Ωmega", '"', "”", ",", ".", " ", " ", " ", "  ", "\t", "\u00a0", "\u2028", "\u3000", "\x1c", "\n", "中文"]
)
TEXT = st.lists(PIECES, max_size=30).map("".join)
LINES = [line for doc in SAMPLE_DOCS for line in (SAMPLES / f"{doc}.txt").read_text(encoding="utf-8").splitlines()]


def _check(text: str) -> None:
    sentences._title_memo[0] = None  # the memo keys on identity: start afresh
    words = text.count(" ") + 1
    capitals = len(re.findall(r"(?<!\S)[A-Z]", text))
    assert sentences._title_case(text) == (words >= 3 and capitals * 10 >= words * 6), text
    if sentences._RESTART_AT.search(text):
        assert sentences._may_restart(text), text
    if sentences._SAID.search(text):
        assert "Said " in text or "Says " in text, text


@settings(max_examples=800, deadline=None)
@given(TEXT)
def test_gates_hold_on_generated_text(text):
    _check(text)


def test_gates_hold_on_the_sample_articles():
    assert len(LINES) > 50
    for line in LINES:
        _check(line)
    assert any(sentences._RESTART_AT.search(line) for line in LINES + ["of the economy The field grew"])


# The word patterns as first written, look-behind (or \b) in front; the module's put the letter first.
WRITTEN = {
    "lower words": (r"(?<![\w'’-])[a-z][a-z'’-]*[a-z]", rule._LOWER_WORD),
    "mid capitals": (r"(?<=[a-z,;] )[A-Z][a-z]+\b", rule._MID_CAPITAL),
    "capitalised": (r"\b[A-Z][a-z]{3,}\b", names._CAPITALISED),
    "lower 4+": (r"\b[a-z]{4,}\b", names._LOWER),
    "after comma": (r"(?<=, )([A-Z][a-z]+)\b", sentences._AFTER_COMMA),
    "mid sentence": (r"(?<=[a-z] )([A-Z][a-z]+)(?= [a-z])", sentences._MID_SENTENCE),
}
DOUBLED = (r"\b([A-Za-z]+) (\1)\b", words._DOUBLED_WORD)
WORDY = st.lists(st.sampled_from(["abcd", "Abcd", "ab", "x", "Élan", "née", "o'neil", "don’t", "-", "'", "’", "_",
                                  "9", ",", ";", " ", " ", "\u00a0", "Zzzzz", "中", "the", "The", "THE", "ſ", "K",
                                  ", ", "a ", "Ab "]), max_size=25).map("".join)


@settings(max_examples=800, deadline=None)
@given(WORDY)
def test_word_patterns_find_what_they_were_written_to(text):
    for written, pattern in WRITTEN.values():
        assert pattern.findall(text) == re.findall(written, text), (written, text)
    _same_doubles(text)


def _same_doubles(text: str) -> None:
    written, pattern = DOUBLED
    expected = [(m.span(1), m.span(2)) for m in re.finditer(written, text, re.IGNORECASE)]
    assert [(m.span(1), m.span(2)) for m in pattern.finditer(text)] == expected, text


def test_word_patterns_on_the_sample_articles():
    for line in LINES + ["The the index rose in the the first month that that had had."]:
        for written, pattern in WRITTEN.values():
            assert pattern.findall(line) == re.findall(written, line), (written, line)
        _same_doubles(line)
