"""A big document is cleaned in chunks by worker processes; the results must be one process's.

Each chunk is cleaned ahead from a guessed paragraph context (as if no segment before it
were removed). A segment the rules remove, a question whose answer gets a label, a repeated
paragraph or a reviewed segment at a chunk's edge makes the guess wrong or needs the previous
paragraph's cleaned text: :func:`mtmend.cleaner.plan.plan_parallel` must notice and clean
that chunk again from the true context. Documents here are real paragraphs of the sample
articles, web furniture and a question, shuffled and repeated, cut into chunks of 1–5
segments so that every kind of edge occurs.
"""

from __future__ import annotations

import os
import random

import pytest

from conftest import SAMPLE_DOCS, SAMPLES
from mtmend.cleaner.config import CleanConfig, QuoteStyle
from mtmend.cleaner import plan as planning
from mtmend.cleaner.plan import Where, _advance, _Planner, plan, plan_parallel, setup, workers_for
from mtmend.cleaner.rule import Vocabulary
from mtmend.corpus.model import Segment, Status

ARTICLE = (SAMPLES / f"{SAMPLE_DOCS[0]}.txt").read_text(encoding="utf-8").split("\n\n")
ZH = (SAMPLES / f"{SAMPLE_DOCS[0]}.zh.txt").read_text(encoding="utf-8").split("\n\n")
# Short paragraphs of the article (one an image file name the rules remove), web furniture,
# a question (the next paragraph gets an ``A:`` label), and a reviewed copy of some.
POOL = sorted({p for p in ARTICLE if 0 < len(p) < 120}) + ["Hot search keywords", "Q: What is blockchain?"]
# An answer labelled in context (``A:``), then the same line as the MT damaged it: cleaned on
# its own, the answer would read like the next paragraph, which one process keeps.
# A segment with no English between the two (skipped, yet a chunk of its own at times).
DIALOGUE = ["Q: What is blockchain?", "It is a shared ledger.", "It is a shared ledger ."]


def _document(seed: int, size: int = 60) -> list[Segment]:
    rng = random.Random(seed)
    segments: list[Segment] = []
    para = 0
    while len(segments) < size:
        if rng.random() < 0.1:
            for line in DIALOGUE[:2] + [""] * rng.choice((0, 1)) + DIALOGUE[2:]:
                n = len(segments)
                segments.append(Segment(n + 1, 1, n, para, "", line, line, Status.RAW))
                para += 1
            continue
        block = rng.choice(POOL)
        lines = block.split("\n") * rng.choice((1, 1, 1, 2))  # a repeat within the paragraph now and then
        for line in lines:
            status = Status.REVIEWED if rng.random() < 0.08 else Status.RAW
            source = rng.choice(ZH).split("\n")[0] if rng.random() < 0.5 else ""
            n = len(segments)
            segments.append(Segment(n + 1, 1, n, para, source, line, line if rng.random() > 0.03 else "", status))
        para += rng.choice((1, 1, 0))  # sometimes the next block continues the paragraph
    return segments


def _results(pairs) -> list[tuple[int, str, tuple, tuple]]:
    return [(seg.id, r.text, r.applied, r.suggested) for seg, r, *_ in pairs]


def _wrong_guesses(segments: list[Segment], config: CleanConfig, chunk: int) -> int:
    """Chunk starts where the cheap guess differs from the context one process really has."""
    doc = setup(segments, config, Vocabulary([s.target for s in segments]))
    planner, guess, wrong = _Planner(doc, Where()), Where(), 0
    for lo in range(0, len(segments), chunk):
        true = planner.where()
        wrong += guess.mark[:3] != true.mark[:3] or guess.last != true.last
        for seg in segments[lo:lo + chunk]:
            planner.step(seg)
        guess = _advance(guess, segments[lo:lo + chunk])
    return wrong


def test_pool_has_what_makes_guesses_wrong():
    assert "WX20191206-193719 @ 2x" in POOL  # an image file name: removed
    doc = _document(0)
    assert _wrong_guesses(doc, CleanConfig(), 1) > 0


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("style", [QuoteStyle.AUTO, QuoteStyle.TYPOGRAPHIC])
def test_chunks_clean_as_one_process(seed, style):
    config = CleanConfig(quote_style=style)
    segments = _document(seed)
    vocabulary = Vocabulary([s.target for s in segments])
    expected = _results(plan(segments, config, vocabulary))
    assert any(applied for _, _, applied, _ in expected)
    for chunk in (1, 2, 3, 5):
        got = list(plan_parallel(segments, config, vocabulary, 2, chunk=chunk, after=_after))
        assert _results(got) == expected, f"chunk {chunk}"
        assert all(extra == (seg.id, r.text) for seg, r, extra in got)  # run on each result, wherever it was made


def _after(seg: Segment, result) -> tuple[int, str]:
    return seg.id, result.text


def test_small_documents_and_single_cores_stay_in_this_process(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2, 3, 4, 5}, raising=False)
    assert workers_for(planning.PARALLEL_FROM) == 4
    assert workers_for(planning.PARALLEL_FROM - 1) == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0}, raising=False)
    assert workers_for(10 * planning.PARALLEL_FROM) == 0


def _recorded(folder) -> tuple[list, list, list]:
    import sqlite3

    with sqlite3.connect(folder / "mtmend.db") as db:
        targets = db.execute("SELECT id, target, status FROM segments ORDER BY id").fetchall()
        notes = db.execute("SELECT segment_id, seq, author, start, \"end\", before, after, auto, note, state "
                           "FROM annotations ORDER BY id").fetchall()
        stats = db.execute("SELECT * FROM segment_stats ORDER BY segment_id").fetchall()
    return targets, notes, stats


def test_workspace_clean_in_chunks_records_what_one_process_does(sample_workspace, tmp_path, cli, monkeypatch):
    """``mtmend clean`` with the sample articles cut into chunks of 3 segments for two workers
    (forked inside the pass's write transaction) records the same targets and annotations, and
    the workers' statistics of what they cleaned are the ones the scoring workers keep otherwise."""
    import shutil

    from mtmend.cleaner import passes
    from mtmend.corpus import prescore, workspace_scoring

    monkeypatch.setattr(prescore, "PRESCORE_FROM", 0)  # score while cleaning, as a big workspace does

    alone = tmp_path / "alone"
    shutil.copytree(sample_workspace, alone)
    assert cli("-w", alone, "clean")[0] == 0
    monkeypatch.setattr(planning, "CHUNK", 3)
    monkeypatch.setattr(passes, "workers_for", lambda count: 2)

    def rescored(*args, **kwargs):
        raise AssertionError("the snapshot found a segment the workers had not scored")

    monkeypatch.setattr(workspace_scoring, "grouped_stats", rescored)
    assert cli("-w", sample_workspace, "clean")[0] == 0
    targets, notes, stats = _recorded(sample_workspace)
    assert (targets, notes, stats) == _recorded(alone)
    assert any(after is not None for *_, after, _, _, _ in notes)
    assert len(stats) == len(targets)


def test_vocabulary_counted_in_another_process_is_the_same():
    """A big workspace's words are counted by a forked process while the pass prepares."""
    import sys

    texts = [line for p in (SAMPLES / f"{d}.txt" for d in SAMPLE_DOCS) for line in p.read_text(encoding="utf-8").splitlines()]
    here, elsewhere = Vocabulary(texts), Vocabulary(texts)
    elsewhere.count_elsewhere()
    assert (elsewhere._elsewhere is not None) == sys.platform.startswith("linux")
    assert elsewhere.words() == here.words() and elsewhere._capital == here._capital
    assert here.words()["blockchain"] > 0 and sum(here._capital.values()) > 0


def test_name_variants_found_by_another_process_flag_what_one_process_does(tmp_path, cli, monkeypatch):
    """A big document's name variants are found by a forked process while the pass reads the
    document; the flags the workers then raise are the ones one process raises."""
    from mtmend.cleaner import passes

    names = [("莫德罗说。", "Modrow said."), ("莫德罗访华。", "Moderot visited China."), ("莫德罗笑了。", "Modrow smiled.")]
    rows = [(zh.replace("\n", " "), en.replace("\n", " ")) for zh, en in zip(ZH, ARTICLE) if en.strip()]
    rows[3:3] = names
    tsv = tmp_path / "doc.tsv"
    tsv.write_text("".join(f"{zh}\t{en}\n" for zh, en in rows), encoding="utf-8")
    started = []
    real = passes.meanwhile

    def counting(function, *args):
        started.append(function.__name__)
        return real(function, *args)

    recorded = []
    for name in ("alone", "chunks"):
        folder = tmp_path / name
        assert cli("-w", folder, "import", tsv, "--name", "doc")[0] == 0
        if name == "chunks":
            monkeypatch.setattr(planning, "CHUNK", 2)
            monkeypatch.setattr(passes, "workers_for", lambda count: 2)
            monkeypatch.setattr(passes, "meanwhile", counting)
        assert cli("-w", folder, "clean")[0] == 0
        recorded.append(_recorded(folder))
    assert recorded[0] == recorded[1]
    flagged = [(before, after) for _, _, author, _, _, before, after, *_ in recorded[1][1] if author == "flag_name_variants"]
    assert flagged == [("Moderot", "Modrow")]
    assert started == ["document_names"]  # (where nothing forks, the pass finds them itself)
