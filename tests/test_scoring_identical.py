"""The shortcut for a text scored against itself gives sacrebleu's own statistics, exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtmend.corpus import scoring
from mtmend.corpus.pair_stats import pair_stats

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
LINES = [line for p in sorted(SAMPLES.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()]


def _sacrebleu(metric, text: str) -> list:
    pre = metric._preprocess_segment(text)
    return list(metric._compute_segment_statistics(pre, metric._extract_reference_info([pre])))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["BLEU", "chrF++"])
def test_identical_texts_on_the_sample_corpus(name, lang):
    metric = scoring.make_metric(name, lang)
    assert len(LINES) > 100
    for text in LINES + ["", " ", "a", "“Belt and Road”, in 2019.", "4.To promote"]:
        assert pair_stats(metric, name, text, text) == _sacrebleu(metric, text), text


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab c,.;:'\"“”（）中文 \t-!?0123"), max_size=40))
def test_identical_texts_hostile(text):
    for name in ("BLEU", "chrF++"):
        metric = scoring.make_metric(name, "en")
        assert pair_stats(metric, name, text, text) == _sacrebleu(metric, text)
