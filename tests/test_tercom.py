"""Our TER search counts exactly the edits sacrebleu counts: on real MT, on the cleaned sample corpus,
and on generated word sequences built to make the shift search, the beam and the limits matter."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import lib_ter

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.engine import clean_text
from mtmend.cleaner.glossary import Glossary
from mtmend.corpus import tercom
from mtmend.corpus.pair_stats import pair_stats
from mtmend.corpus.scoring import make_metric
from mtmend.corpus.ter_distance import EditDistance, moved

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mqm"
TED, WMT = DATA / "mqm_ted_zhen.tsv", DATA / "wmt23_zhen_dev.tsv"
SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
TER = {lang: make_metric("TER", lang) for lang in ("en", "zh")}  # default TER; normalized + asian_support


def _sacrebleu(metric, hyp: str, ref: str) -> list:
    """What sacrebleu's corpus scoring computes for one pair (references preprocessed when cached)."""
    info = metric._extract_reference_info([metric._preprocess_segment(ref)])
    return list(metric._compute_segment_statistics(metric._preprocess_segment(hyp), info))


def _check_text(pairs) -> int:
    """Compares both configurations on every pair; returns how many pairs needed a search."""
    searched = 0
    for hyp, ref in pairs:
        for metric in TER.values():
            assert pair_stats(metric, "TER", hyp, ref) == _sacrebleu(metric, hyp, ref), (hyp, ref)
        searched += hyp.split() != ref.split()
    return searched


def _same(hyp: list[str], ref: list[str]) -> tercom.Search:
    found = tercom.search(hyp, ref)
    assert found.edits == lib_ter.translation_edit_rate(hyp, ref)[0], (hyp, ref)
    return found


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _plain(text: str) -> str:
    return re.sub(r"</?v>", "", text)


# ------------------------------------------------------------------ real text
@pytest.mark.skipif(not TED.exists(), reason=f"real MQM data absent ({TED})")
def test_mt_outputs_against_the_references():
    """WMT21 TED zh-en: every 40th MT output against the professional reference of its segment."""
    refs, outputs = {}, {}
    for row in _rows(TED):
        key = (row["doc"], row["seg_id"])
        if row["system"] == "ref":
            refs[key] = _plain(row["target"])
        elif row["system"] != "refB":
            outputs[key, row["system"]] = _plain(row["target"])
    pairs = [(mt, refs[key]) for (key, _), mt in sorted(outputs.items()) if key in refs][::40]
    assert len(pairs) > 150
    assert _check_text(pairs) > 150


@pytest.mark.skipif(not WMT.exists(), reason=f"real MQM data absent ({WMT})")
def test_real_chinese_text():
    """WMT23 sources: with and without the span a rater marked as omitted, and each against the next."""
    sources = list(dict.fromkeys(row["source"] for row in _rows(WMT)))
    marked = [s for s in sources if "<v>" in s]
    plain = list(dict.fromkeys(_plain(s) for s in sources))
    pairs = [(_plain(s), re.sub(r"<v>.*?</v>", "", s)) for s in marked[:10]]
    pairs += list(zip(plain[:8], plain[1:9]))
    assert _check_text(pairs) > 15


def test_sample_corpus_raw_mt_against_the_cleaned_text():
    glossary = Glossary.load(SAMPLES / "glossary.tsv")
    config = CleanConfig(glossary=glossary)
    pairs = []
    for en_file in sorted(SAMPLES.glob("*[0-9a-f].txt")):
        zh = en_file.with_suffix(".zh.txt").read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(en_file.read_text(encoding="utf-8").split("\n")):
            source = zh[i] if i < len(zh) and zh[i] else None
            pairs.append((line, clean_text(line, source=source, config=config).text))
    assert _check_text(pairs) > 15


# ------------------------------------------------------------------ generated word sequences
def _edited(draw, words: list[str], vocab: list[str], edits: int) -> list[str]:
    """``words`` after some moved spans, insertions, deletions and substitutions."""
    out = list(words)
    for _ in range(draw(st.integers(0, edits))):
        kind = draw(st.sampled_from(("move", "move", "insert", "delete", "replace")))
        at = draw(st.integers(0, len(out)))
        if kind == "insert" or not out:
            out.insert(at, draw(st.sampled_from(vocab)))
            continue
        at = min(at, len(out) - 1)
        if kind == "delete":
            del out[at]
        elif kind == "replace":
            out[at] = draw(st.sampled_from(vocab))
        else:
            out = moved(out, at, draw(st.integers(1, 12)), draw(st.integers(0, len(out))))
    return out


@st.composite
def related(draw, vocab_size: int, longest: int, edits: int = 6):
    vocab = [f"w{k}" for k in range(vocab_size)]
    hyp = draw(st.lists(st.sampled_from(vocab), max_size=longest))
    return hyp, _edited(draw, hyp, vocab, edits)


@settings(max_examples=150, deadline=None)
@given(related(vocab_size=4, longest=24))
def test_small_vocabularies_and_repeated_words(pair):
    _same(*pair)


@settings(max_examples=60, deadline=None)
@given(st.one_of(related(vocab_size=12, longest=45, edits=10), related(vocab_size=40, longest=80, edits=8)))
def test_long_sentences_with_moved_spans(pair):
    """Shifts of up to 12 words, at distances beyond 50 and beyond the beam's 25 columns."""
    _same(*pair)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from("abc"), max_size=4), st.lists(st.sampled_from("abc"), min_size=0, max_size=160))
def test_very_unequal_lengths_and_empty_sides(short, long):
    """A length ratio over 50 widens the beam; an empty reference costs one edit per hypothesis word."""
    _same(short, long)
    _same(long, short)


@pytest.mark.parametrize("hyp,ref", [
    ("a b " * 15, "b a a b " * 8),  # the limit is passed in the third round: its shift is dropped
    ("a b c " * 12, "c b a " * 12),  # exactly 1,000
    ("a a b b " * 8, "a b " * 16),  # passed inside one span's targets
])
def test_candidate_limit(hyp, ref):
    """Repeated words offer over 1,000 candidate shifts: the search stops where sacrebleu's does."""
    assert _same(hyp.split(), ref.split()).candidates >= tercom.MAX_CANDIDATES


def test_banded_fallback_and_trace():
    """A reversed sentence of 60 words costs more than a path leaving the beam: the banded matrix decides."""
    hyp = [f"w{k}" for k in range(60)]
    ref = hyp[::-1]
    distance = EditDistance(ref, len(hyp))
    assert distance.load(hyp) >= distance.reach
    found = _same(hyp, ref)
    assert found.shifts > 0
    distance.load(hyp)
    assert distance.alignment() == _alignment(lib_ter.BeamEditDistance(ref)(hyp)[1])


@settings(max_examples=200, deadline=None)
@given(related(vocab_size=5, longest=70, edits=8))
def test_distance_and_alignment_are_sacrebleus(pair):
    hyp, ref = pair
    if not ref:
        return
    distance = EditDistance(ref, len(hyp))
    value, trace = lib_ter.BeamEditDistance(ref)(hyp)
    assert distance.load(hyp) == value
    assert distance.alignment() == _alignment(trace)


def _alignment(trace: str) -> tuple[list, list, list]:
    align, ref_err, hyp_err = lib_ter.trace_to_alignment(lib_ter._flip_trace(trace))
    return [align[j] for j in range(len(ref_err))], hyp_err, ref_err


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 9), max_size=14), st.data())
def test_moved_is_sacrebleus_shift(items, data):
    start = data.draw(st.integers(0, max(len(items) - 1, 0)))
    length = data.draw(st.integers(1, max(len(items) - start, 1)))
    target = data.draw(st.integers(0, len(items)))
    assert moved(items, start, length, target) == lib_ter._perform_shift(items, start, length, target)


def test_used_only_with_the_sacrebleu_it_was_written_for(monkeypatch):
    assert tercom.usable()
    monkeypatch.setattr(lib_ter, "_MAX_SHIFT_DIST", 40)
    tercom.usable.cache_clear()
    try:
        assert not tercom.usable()
        hyp, ref = "b a c d the end", "a b c d end the"
        assert pair_stats(TER["en"], "TER", hyp, ref) == _sacrebleu(TER["en"], hyp, ref)
    finally:
        monkeypatch.undo()
        tercom.usable.cache_clear()


def test_not_used_when_sacrebleu_counts_the_probes_otherwise(monkeypatch):
    """Same constants, another algorithm (here: one more edit per pair): sacrebleu's own search runs."""
    counted = lib_ter.translation_edit_rate
    monkeypatch.setattr(lib_ter, "translation_edit_rate", lambda h, r: (counted(h, r)[0] + 1, len(r)))
    tercom.usable.cache_clear()
    try:
        assert not tercom.usable()
    finally:
        monkeypatch.undo()
        tercom.usable.cache_clear()
    assert tercom.usable()
