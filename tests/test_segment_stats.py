"""The cheaper per-segment statistics (windows around every change, mtmend's own chrF++/TER
words, the lean ``segment_row``) equal sacrebleu's own, on real text and on hostile text."""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import CHRF

from mtmend.cleaner.engine import clean_text
from mtmend.corpus import metric_words, workspace_scoring
from mtmend.corpus.ngram_match import gaps, matches
from mtmend.corpus.pair_stats import pair_stats
from mtmend.corpus.prescore import segment_row
from mtmend.corpus.scoring import COMPARISONS, METRICS, chunk_stats, make_metric

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
TED = ROOT.parent / "shared" / "data" / "mqm" / "mqm_ted_zhen.tsv"
EN = {name: make_metric(name, "en") for name in METRICS}
ZH = {name: make_metric(name, "zh") for name in METRICS}


def _sacrebleu(metric, hyp: str, ref: str) -> list:
    """What sacrebleu's corpus scoring computes for one pair (references preprocessed when cached)."""
    info = metric._extract_reference_info([metric._preprocess_segment(ref)])
    return list(metric._compute_segment_statistics(metric._preprocess_segment(hyp), info))


def _check(hyp: str, ref: str, metrics=(EN, ZH), names=METRICS) -> None:
    for table in metrics:
        for name in names:
            assert pair_stats(table[name], name, hyp, ref) == _sacrebleu(table[name], hyp, ref), (name, hyp, ref)


# ------------------------------------------------------------------ real text
def _sample_lines() -> list[str]:
    return [line for p in sorted(SAMPLES.glob("*.txt")) if not p.name.endswith(".zh.txt")
            for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_sample_corpus_raw_mt_against_its_cleaned_target():
    """The effort pairs a clean scores: each sample line against what the cleaner makes of it."""
    pairs = [(line, clean_text(line).text) for line in _sample_lines()]
    changed = [(mt, target) for mt, target in pairs if mt != target]
    assert len(pairs) > 50 and len(changed) > 10  # the cleaner changes some lines, not all
    for mt, target in pairs:
        _check(mt, target, metrics=(EN,))
    for mt, target in changed:
        _check(mt, target, metrics=(ZH,), names=("BLEU", "chrF++"))


def _ted_pairs(limit: int) -> list[tuple[str, str]]:
    """Per TED segment, each system's MT against the human reference (rater marks removed)."""
    targets: dict[tuple[str, str], dict[str, str]] = {}
    with TED.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            plain = re.sub(r"</?v>", "", row["target"])
            targets.setdefault((row["doc"], row["seg_id"]), {}).setdefault(row["system"], plain)
    pairs = [(text, systems["ref"]) for systems in targets.values() if "ref" in systems
             for system, text in systems.items() if system not in ("ref", "refB")]
    return pairs[:limit]


@pytest.mark.skipif(not TED.exists(), reason=f"real MQM data with human references absent ({TED})")
def test_real_mt_against_human_references():
    pairs = _ted_pairs(500)
    assert len(pairs) >= 400
    for hyp, ref in pairs:
        _check(hyp, ref, metrics=(EN,), names=("BLEU", "chrF++"))
    for hyp, ref in pairs[:40]:  # sacrebleu's own TER search is the slow side of the comparison
        _check(hyp, ref, metrics=(EN,), names=("TER",))


# ------------------------------------------------------------------ hostile text
EDGY = st.text(alphabet=st.sampled_from("a.,;:!?\"'()[]{}-–—“”，。《》中文Σİß"), min_size=1, max_size=5)
SPACES = st.sampled_from([" ", "  ", "\t", "\u3000", "\n", " \u2003 ", ""])
TEXT = st.lists(st.tuples(EDGY, SPACES), max_size=14).map(lambda parts: "".join(w + s for w, s in parts))


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT)
def test_two_changes_far_apart(head, one_a, one_b, middle, two_a, two_b, tail):
    """Two edits with common text between them: the windows around each, merged or not (TER
    compares whole word lists, whose split is checked below; its search is test_tercom's)."""
    _check(head + one_a + middle + two_a + tail, head + one_b + middle + two_b + tail, names=("BLEU", "chrF++"))


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, st.text(max_size=30)), st.one_of(TEXT, st.text(max_size=30)))
def test_unrelated_texts_single_characters_and_empty_sides(hyp, ref):
    _check(hyp, ref)
    _check(hyp, "")
    _check(hyp[:1], ref[:1])


def _brute(a, b, order: int) -> list[int]:
    out = []
    for n in range(1, order + 1):
        grams_a = Counter(tuple(a[i:i + n]) for i in range(len(a) - n + 1))
        grams_b = Counter(tuple(b[i:i + n]) for i in range(len(b) - n + 1))
        out.append(sum((grams_a & grams_b).values()))
    return out


SEQ = st.text(alphabet="abcab ", max_size=60)


@settings(max_examples=300, deadline=None)
@given(SEQ, SEQ, SEQ, st.integers(1, 6))
def test_matches_count_every_clipped_ngram(common, a, b, order):
    """Repetitive strings and word lists, with common text around and between the changes."""
    for x, y in ((common + a + common, common + b + common), (a + common + a, b + common + a), (a, b)):
        assert matches(x, y, order) == _brute(x, y, order), (x, y)
        assert matches(x.split(), y.split(), order) == _brute(x.split(), y.split(), order), (x, y)


@settings(max_examples=300, deadline=None)
@given(SEQ, SEQ, SEQ)
def test_gaps_leave_only_common_blocks_between_them(common, a, b):
    x, y = common + a + common + b, common + b + common + a
    found = gaps(x, y)
    ends = [(0, 0)] + [(hi_a, hi_b) for _, hi_a, _, hi_b in found]
    starts = [(lo_a, lo_b) for lo_a, _, lo_b, _ in found] + [(len(x), len(y))]
    for (end_a, end_b), (start_a, start_b) in zip(ends, starts, strict=True):
        assert x[end_a:start_a] == y[end_b:start_b]


# ------------------------------------------------------------------ the words, and their guards
@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, st.text(max_size=40)))
def test_chrf_words_and_their_count_are_sacrebleus(text):
    words, count = metric_words.chrf_words(EN["chrF++"])
    assert words is metric_words._words  # the probes agreed: mtmend's own split runs
    assert words(text) == EN["chrF++"]._remove_punctuation(text) and count(text) == len(words(text))


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, st.text(max_size=40)))
def test_ter_words_are_sacrebleus(text):
    split = metric_words.ter_words(EN["TER"])
    ter = EN["TER"]
    assert split(text) == ter._preprocess_segment(text).split() == ter._extract_reference_info([ter._preprocess_segment(text)])["ref_words"][0]
    assert metric_words.ter_words(ZH["TER"]) is None  # normalized, CJK split: sacrebleu's own tokenizer


def test_lowercasing_keeps_words_apart_over_every_code_point():
    """What ter_words relies on, for the Unicode tables of this Python: lowercasing turns no
    character into whitespace or whitespace into anything else, and lowercased text stays put."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        low = char.lower()
        if low != char:
            assert not char.isspace() and not any(c.isspace() for c in low), hex(code)
            assert low.lower() == low, hex(code)


class _OtherPunctuation(CHRF):
    _PUNCTS = set("!?")


def test_a_chrf_with_other_punctuation_uses_its_own_split():
    metric = _OtherPunctuation(word_order=2)
    words, _ = metric_words.chrf_words(metric)
    assert words == metric._remove_punctuation  # not mtmend's, which knows sacrebleu's marks only
    for hyp, ref in (("a, b! (c)", "a , b ! c)"), ("x.", "x."), ("“q”!", "q!")):
        assert pair_stats(metric, "chrF++", hyp, ref) == _sacrebleu(metric, hyp, ref)


# ------------------------------------------------------------------ segment_row
def _chunk_row(seg_id, mt, target, reference, status):
    """The row as the chunked scorer builds it (every comparison through chunk_stats)."""
    mine = workspace_scoring.digest("en", mt, target, reference, status)
    pairs = workspace_scoring.items(seg_id, mt, target, reference, status)
    stats = workspace_scoring.by_segment(chunk_stats(METRICS, "en", pairs), [seg_id])[seg_id]
    return workspace_scoring.row(seg_id, mine, stats)


@pytest.mark.parametrize("status", ["raw", "auto_fixed", "reviewed"])
def test_segment_row_is_the_chunked_scorers_row(status):
    lines = _sample_lines()[:24]
    for seg_id, mt in enumerate(lines):
        target = clean_text(mt).text
        reference = None if seg_id % 3 == 0 else " ".join(target.split()[seg_id % 3:])  # a reference a word or two shorter
        row = segment_row("en", seg_id, mt, target, reference, status)
        assert row == _chunk_row(seg_id, mt, target, reference, status)
        keys = list(workspace_scoring.decode(row[1], row[2], row[1][:16]))
        assert keys == [c.key for c in COMPARISONS if (reference is not None or c.ref != "reference")
                        and (status == "reviewed" or not c.reviewed_only)]
        assert segment_row("en", seg_id, mt, target, reference, status, kept_digest=row[1]) is None
