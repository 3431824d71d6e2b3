"""Sentence alignment: API, edge cases, bead notation, scorer, and quality on real MT.

The quality set is "Chinese with its own machine translation": one system's rows of
the MQM files in ../shared/data/mqm, deduplicated by segment; each segment pair is
re-split into sentences and its sentences form one gold bead.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest

from mtmend.corpus.align import (
    align,
    align_length_only,
    estimate_length_model,
    format_beads,
    merge_within,
    parse_beads,
    resplit_segment_pairs,
    score_beads,
)
from mtmend.corpus.model import Bead
from mtmend.corpus.split import split_en, split_zh

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import align_sets  # noqa: E402  (the one reader of the MQM gold set, shared with bench_align.py)

DATA = align_sets.DATA


def _covers(beads: list[Bead], n_zh: int, n_en: int) -> bool:
    zh = [k for b in beads for k in b.zh]
    en = [k for b in beads for k in b.en]
    return zh == list(range(n_zh)) and en == list(range(n_en))


# --- edge cases and API -------------------------------------------------------------


@pytest.mark.parametrize("aligner", [align, align_length_only])
def test_empty_sides(aligner) -> None:
    assert aligner([], []) == []
    assert aligner(["一。", "二。"], []) == [Bead((0,), ()), Bead((1,), ())]
    assert aligner([], ["One."]) == [Bead((), (0,))]


@pytest.mark.parametrize("aligner", [align, align_length_only])
def test_rejects_bad_input(aligner) -> None:
    with pytest.raises(TypeError, match="single string"):
        aligner("你好。", ["Hello."])
    with pytest.raises(TypeError, match=r"en\[1\]"):
        aligner(["你好。"], ["Hello.", None])


def test_identical_counts_give_one_to_one() -> None:
    zh = ["今天天气很好。", "我们去公园散步吧！", "公园里有很多人在跑步。", "孩子们在草地上玩耍。"]
    en = [
        "The weather is nice today.",
        "Let's go for a walk in the park!",
        "There are many people running in the park.",
        "The children are playing on the grass.",
    ]
    expected = [Bead((k,), (k,)) for k in range(4)]
    assert align(zh, en) == expected
    assert align(zh, en, dictionary=False) == expected


def test_one_to_two_and_untranslated_sentence() -> None:
    zh = [
        "中国科学家发现了一种新的恐龙化石。",
        "这块化石是在云南省发现的，距今约一亿九千万年，研究人员认为它属于一个此前未知的物种。",
        "该论文于本周三发表。",
        "专家表示，这一发现意义重大。",
    ]
    en = [
        "Chinese scientists have discovered a new dinosaur fossil.",
        "The fossil was found in Yunnan Province and is about 190 million years old.",
        "Researchers believe it belongs to a previously unknown species.",
        "Experts say the discovery is of great significance.",
    ]
    beads = align(zh, en)
    assert _covers(beads, 4, 4)
    assert beads[0] == Bead((0,), (0,)) and beads[-1] == Bead((3,), (3,))
    # the untranslated zh sentence stays with its neighbour (a 1-0 bead would be
    # better; in a four-sentence text the 1-0 prior outweighs the evidence)
    assert Bead((1, 2), (1, 2)) in beads


def test_extra_english_sentence() -> None:
    zh = ["会议于上午九点开始。", "市长发表了讲话。", "会议在中午结束。"]
    en = ["The meeting began at 9 a.m.", "The mayor gave a speech.", "Photo: Xinhua.", "The meeting ended at noon."]
    beads = align(zh, en)
    assert beads == [Bead((0,), (0,)), Bead((1,), (1, 2)), Bead((2,), (3,))]


def test_null_beads_in_a_longer_text() -> None:
    zh = [f"第{k}段讲的是第{k}号工厂的情况。" for k in range(1, 21)]
    en = [f"Section {k} is about factory No. {k}." for k in range(1, 21)]
    del en[9]  # the MT dropped sentence 10
    zh.insert(15, "（本文图片均来自网络）")
    beads = align(zh, en)
    assert _covers(beads, len(zh), len(en))
    assert Bead((9,), ()) in beads and Bead((15,), ()) in beads


def test_estimate_length_model_uses_the_data() -> None:
    model = estimate_length_model(["你好吗？"] * 3, ["How are you?"] * 3)
    assert model.ratio == pytest.approx(2.5)


# --- notation and scoring -----------------------------------------------------------


def test_bead_notation_round_trip() -> None:
    beads = [Bead((0,), (0, 1)), Bead((1, 2), (2,)), Bead((3,), ()), Bead((), (3,))]
    text = format_beads(beads)
    assert text == "[0]:[0,1]\n[1,2]:[2]\n[3]:[]\n[]:[3]\n"
    assert parse_beads(text + "\n") == beads


def test_parse_beads_names_the_bad_line() -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_beads("[0]:[0]\n[1]-[1]\n")


def test_score_beads_strict_and_lax() -> None:
    gold = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((3,), ())]
    perfect = score_beads(gold, gold)
    assert (perfect.strict_f1, perfect.lax_f1) == (1.0, 1.0)
    split = score_beads([Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), ()), Bead((3,), ())], gold)
    assert split.strict_precision == 0.5 and split.strict_recall == 0.5
    assert split.lax_f1 == 1.0
    assert score_beads([], gold).strict_f1 == 0.0


def test_merge_within_groups() -> None:
    beads = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), ()), Bead((3,), (2,))]
    assert merge_within(beads, ["a", "a", "a", "b"], ["a", "a", "b"]) == [
        Bead((0, 1, 2), (0, 1)),
        Bead((3,), (2,)),
    ]


def test_resplit_segment_pairs() -> None:
    zh, en, gold = resplit_segment_pairs([("第一句。第二句。", "First. Second."), ("标题", "")], split_zh, split_en)
    assert zh == ["第一句。", "第二句。", "标题"] and en == ["First.", "Second."]
    assert gold == [Bead((0, 1), (0, 1)), Bead((2,), ())]


# --- quality on Chinese with its own machine translation ----------------------------


@functools.cache
def _mt_documents(omit_every: int = 0) -> tuple[tuple[list[str], list[str], list[Bead]], ...]:
    if not DATA.is_dir():
        pytest.skip("../shared/data not available (only in CI / dev checkouts)")
    return tuple(align_sets.mt_documents(omit_every))  # the MT left every n-th segment untranslated


def _score(aligner, docs) -> tuple[float, float]:
    """Strict/lax F1 over all documents, beads merged within gold segments."""
    predicted: list[Bead] = []
    gold: list[Bead] = []
    oz = oe = 0
    for zh, en, doc_gold in docs:
        zh_group, en_group = [0] * len(zh), [0] * len(en)
        for number, bead in enumerate(doc_gold):
            for k in bead.zh:
                zh_group[k] = number
            for k in bead.en:
                en_group[k] = number
        beads = aligner(zh, en)
        assert _covers(beads, len(zh), len(en))
        for source, target in ((merge_within(beads, zh_group, en_group), predicted), (doc_gold, gold)):
            target += [Bead(tuple(k + oz for k in b.zh), tuple(k + oe for k in b.en)) for b in source]
        oz, oe = oz + len(zh), oe + len(en)
    score = score_beads(predicted, gold)
    return score.strict_f1, score.lax_f1


def test_mt_set_quality() -> None:
    docs = _mt_documents()
    assert sum(len(d[0]) for d in docs) > 600
    strict, lax = _score(align, docs)
    base_strict, _ = _score(align_length_only, docs)
    assert strict >= 0.95 and lax >= 0.99
    assert strict >= base_strict  # MT follows its source closely: both are near 1.0


def test_mt_set_with_omissions_beats_length_only() -> None:
    docs = _mt_documents(omit_every=7)
    strict, lax = _score(align, docs)
    base_strict, base_lax = _score(align_length_only, docs)
    assert strict > base_strict + 0.05
    assert lax > base_lax + 0.05


def test_mt_resplit_into_several_sentences_per_chinese_one() -> None:
    """Each zh segment whole, its MT cut into sentences and clauses: gold beads 1-1 … 1-4."""
    if not DATA.is_dir():
        pytest.skip("../shared/data not available (only in CI / dev checkouts)")
    predicted: list[Bead] = []
    gold: list[Bead] = []
    oz = oe = 0
    for zh, en, doc_gold in align_sets.resplit_mt_documents():
        beads = align(zh, en)
        assert _covers(beads, len(zh), len(en))
        for source, target in ((beads, predicted), (doc_gold, gold)):
            target += [Bead(tuple(k + oz for k in b.zh), tuple(k + oe for k in b.en)) for b in source]
        oz, oe = oz + len(zh), oe + len(en)
    big = [b for b in gold if len(b.en) >= 3]
    assert len(big) > 30 and any(len(b.en) == 4 for b in big)
    assert score_beads(predicted, gold).strict_f1 >= 0.97
    assert sum(b in set(predicted) for b in big) >= 0.75 * len(big)
