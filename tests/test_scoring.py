"""sacrebleu metrics: chunked sufficient statistics equal sacrebleu, signatures, bad input."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from mtmend.corpus import scoring
from mtmend.corpus.errors import InputError

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TED = DATA / "mqm" / "mqm_ted_zhen.tsv"
SACREBLEU = Path(sys.executable).with_name("sacrebleu")


def ted_systems() -> dict[str, list[str]]:
    """Each TED system's translations (span markup removed), aligned on refB's segments."""
    if not TED.exists():
        pytest.skip("TED MQM data not available: ../shared/data ships only with dev/CI checkouts")
    texts: dict[tuple, str] = {}
    with TED.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            texts[(row[0], row[1], row[2])] = row[6].replace("<v>", "").replace("</v>", "")
    keys = sorted({(d, int(i)) for _, d, i in texts})
    systems = sorted({s for s, _, _ in texts})
    return {s: [texts[(s, d, str(i))] for d, i in keys] for s in systems}


def one_shot(hyps: list[str], refs: list[str]) -> list[tuple[str, float, str]]:
    out = []
    for metric in (BLEU(), CHRF(word_order=2), TER()):
        score = metric.corpus_score(hyps, [refs])
        out.append((score.name, score.score, metric.get_signature().format()))
    return out


@pytest.fixture(scope="module")
def mixed_pairs():
    """Online-W vs refB, with every other hypothesis equal to its reference (TER shortcut)."""
    systems = ted_systems()
    refs = systems["refB"]
    hyps = [r if i % 2 else h for i, (h, r) in enumerate(zip(systems["Online-W"], refs))]
    return hyps, refs, one_shot(hyps, refs)


@pytest.mark.parametrize("chunk_size,workers", [(1, 1), (7, 1), (100_000, 1), (50, 2)])
def test_chunked_scores_identical_to_one_shot(mixed_pairs, chunk_size, workers):
    hyps, refs, expected = mixed_pairs
    mine = scoring.corpus_scores(hyps, refs, chunk_size=chunk_size, workers=workers)
    assert [(s.metric, s.score, s.signature) for s in mine] == expected


def test_document_scores_sum_to_the_corpus_score():
    systems = ted_systems()
    items = [(i % 3, h, r) for i, (h, r) in enumerate(zip(systems["NiuTrans"], systems["refB"]))]
    groups = scoring.grouped_stats(items, chunk_size=40)
    for key, (n, stats) in groups.items():
        hyps = [h for k, h, _ in items if k == key]
        refs = [r for k, _, r in items if k == key]
        assert n == len(hyps)
        assert [s.score for s in scoring.scores_from_stats(stats)] == [s for _, s, _ in one_shot(hyps, refs)]


def _cli(hyp: Path, ref: Path) -> list[dict]:
    cmd = [str(SACREBLEU), str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "ter", "--chrf-word-order", "2", "-w", "4"]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


def test_agrees_with_sacrebleu_command_line_on_every_ted_system(tmp_path):
    systems = ted_systems()
    ref = tmp_path / "refB.txt"
    ref.write_text("\n".join(systems["refB"]) + "\n", encoding="utf-8")
    names = [s for s in systems if s != "refB"]
    assert len(names) == 14
    for name in names:
        (tmp_path / f"{name}.txt").write_text("\n".join(systems[name]) + "\n", encoding="utf-8")
    with ThreadPoolExecutor(max_workers=2) as pool:
        theirs = dict(zip(names, pool.map(lambda n: _cli(tmp_path / f"{n}.txt", ref), names)))
    for name in names:
        mine = scoring.corpus_scores(systems[name], systems["refB"])
        for score, cli in zip(mine, theirs[name], strict=True):
            assert cli["name"] == score.metric
            assert cli["score"] == round(score.score, 4), (name, score.metric)
            assert cli["signature"] == score.signature


def test_refuses_different_lengths_and_empty_corpus():
    with pytest.raises(InputError, match="differ in length: there are more hypotheses"):
        scoring.corpus_scores(["a b", "c d"], ["a b"])
    with pytest.raises(InputError, match="more references"):
        scoring.corpus_scores(iter(["a b"]), iter(["a b", "c"]))
    with pytest.raises(InputError, match="corpus is empty"):
        scoring.corpus_scores([], [])


def test_chinese_target_uses_the_zh_tokenizer():
    hyps = ["我们对宇宙的大部分了解都来自于光。", "这是一个简单的事实。"]
    refs = ["我们对宇宙的了解大多来自光。", "这是一个非常简单的事实。"]
    bleu, chrf, ter = scoring.corpus_scores(hyps, refs, target_lang="zh-CN")
    assert "tok:zh" in bleu.signature and "asian:yes" in ter.signature
    assert bleu.score == BLEU(tokenize="zh").corpus_score(hyps, [refs]).score
    assert ter.score == TER(normalized=True, asian_support=True).corpus_score(hyps, [refs]).score
    assert 0 < ter.score < 100


def test_sentence_scores_match_sacrebleu_sentence_score():
    hyp, ref = "The cat sat on a mat .", "The cat sat on the mat."
    bleu, chrf, ter = scoring.sentence_scores(hyp, ref)
    assert "eff:yes" in bleu.signature
    assert bleu.score == BLEU(effective_order=True).sentence_score(hyp, [ref]).score
    assert chrf.score == CHRF(word_order=2).sentence_score(hyp, [ref]).score
    assert ter.score == TER().sentence_score(hyp, [ref]).score
