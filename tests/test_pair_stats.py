"""Trimmed per-segment statistics equal sacrebleu's own, on hostile and on real pairs."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtmend.corpus.pair_stats import pair_stats, window
from mtmend.corpus.scoring import make_metric
from mtmend.corpus.tok13a import Tokenizer13a, fast_13a

MQM = Path(__file__).resolve().parents[2] / "shared" / "data" / "mqm" / "wmt23_zhen_dev.tsv"
METRICS = {(name, lang): make_metric(name, lang) for name in ("BLEU", "chrF++", "TER") for lang in ("en", "zh")}


def _sacrebleu(metric, hyp: str, ref: str) -> list:
    """What sacrebleu's corpus scoring computes for one pair (references preprocessed when cached)."""
    info = metric._extract_reference_info([metric._preprocess_segment(ref)])
    return list(metric._compute_segment_statistics(metric._preprocess_segment(hyp), info))


def _check(hyp: str, ref: str, names=("BLEU", "chrF++", "TER")) -> None:
    for lang in ("en", "zh"):
        for name in names:
            metric = METRICS[name, lang]
            assert pair_stats(metric, name, hyp, ref) == _sacrebleu(metric, hyp, ref), (name, lang, hyp, ref)


# Words that repeat, CJK, punctuation sacrebleu splits off, quotes, digits, odd whitespace.
WORDS = st.sampled_from(
    ["the", "the", "a", "cat", "Cat", "sat.", "(hi)", "“Road”,", "2019", "4.To", "中文", "一带一路", "，", "。",
     "can't", "e.g.", "--", "$5", "x", "é", "ß", "ﬁ", "🙂", "\u200b", "a-b", "!", "?"]
)
SEPS = st.sampled_from([" ", " ", " ", "  ", "\t", "\u3000", ""])
TEXT = st.lists(st.tuples(WORDS, SEPS), max_size=18).map(lambda parts: "".join(w + s for w, s in parts))
CHARS = st.text(alphabet=st.sampled_from("ab c,.;:'\"“”（）中文 \t-!?0123"), max_size=30)


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT, TEXT, TEXT)
def test_one_change_in_the_middle(prefix, middle_a, middle_b, suffix):
    _check(prefix + middle_a + suffix, prefix + middle_b + suffix)


@settings(max_examples=150, deadline=None)
@given(st.one_of(TEXT, CHARS), st.one_of(TEXT, CHARS))
def test_unrelated_pairs_and_empty_sides(hyp, ref):
    _check(hyp, ref)


@settings(max_examples=100, deadline=None)
@given(TEXT, st.data())
def test_edits_at_both_ends_and_repeats(text, data):
    """Changes at both ends leave no common prefix or suffix; repeated text makes the windows overlap."""
    edited = data.draw(TEXT) + text[len(text) // 3:] + data.draw(TEXT)
    _check(text, edited)
    _check(text + text, text + "x" + text)


@pytest.mark.parametrize("a,b,context,expected", [
    ("abcXdef", "abcYYdef", 1, (2, 5, 6)),
    ("abc", "abc", 2, (1, 3, 3)),  # all prefix: only the context is left
    ("", "abc", 5, (0, 0, 3)),
    ("aaaa", "aaa", 0, (3, 4, 3)),  # prefix and suffix never overlap
])
def test_window(a, b, context, expected):
    assert window(a, b, context) == expected


def _real_pairs(limit: int = 400) -> list[tuple[str, str]]:
    """Per segment, the MT of one system against another's (both with and without the rater's <v> marks)."""
    by_segment: dict[str, list[str]] = {}
    with MQM.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            by_segment.setdefault(row["globalSegId"], []).append(row["target"])
    pairs = []
    for targets in by_segment.values():
        plain = list(dict.fromkeys(re.sub(r"</?v>", "", t) for t in targets))
        pairs += [(targets[0], plain[0])] + list(zip(plain, plain[1:]))
    return pairs[:limit]


@pytest.mark.skipif(not MQM.exists(), reason=f"real MQM data absent ({MQM})")
def test_real_mt_pairs():
    pairs = _real_pairs()
    assert len(pairs) >= 300
    for hyp, ref in pairs:
        _check(hyp, ref, names=("BLEU", "chrF++"))
    for hyp, ref in pairs[:60]:  # TER is the slow one; its shortcut only takes equal words
        _check(hyp, ref, names=("TER",))


# ------------------------------------------------------------------ tok:13a
TOKENIZER = make_metric("BLEU", "en").tokenizer
FAST = fast_13a(make_metric("BLEU", "en").tokenizer)
SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"


def test_fast_13a_takes_over_only_the_13a_tokenizer():
    assert isinstance(FAST, Tokenizer13a) and FAST.signature() == "13a"
    zh = make_metric("BLEU", "zh").tokenizer
    assert fast_13a(zh) is zh


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, CHARS, st.text(max_size=40)))
def test_fast_13a_tokenizes_as_sacrebleu(text):
    for line in (text, text + "&amp;&quot;x-\ny<skipped>", "1,000.5-2 " + text + " 3."):
        assert FAST(line) == TOKENIZER(line), line


# Runs of the marks the later 13a rules pad, next to ASCII and other digits, letters and line ends.
MARKS = st.text(alphabet=st.sampled_from(".,-.,-0123456789٣a \n"), max_size=40)


@settings(max_examples=500, deadline=None)
@given(MARKS)
def test_fast_13a_pads_marks_as_sacrebleu(text):
    assert FAST.marks  # the mark rules are the ones fast_13a knows: it applies them itself
    for line in (text, "x" + text, text + "1"):
        assert FAST(line) == TOKENIZER(line), line


def test_fast_13a_on_the_sample_corpus_and_real_mt():
    lines = [line for p in sorted(SAMPLES.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()]
    if MQM.exists():
        lines += [t for pair in _real_pairs() for t in pair]
    assert len(lines) > 100
    for line in lines:
        assert FAST(line) == TOKENIZER(line), line
