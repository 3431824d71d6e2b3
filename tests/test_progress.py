"""Passes and progress on the sample corpus: import → clean → scripted review → progress."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtmend.cli.main import main
from mtmend.corpus import progress
from mtmend.corpus.errors import ConflictError
from mtmend.corpus.model import AuthorKind, Edit, EditState, Severity, Status
from mtmend.corpus.store import Workspace

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
DOCS = ("000_46a1daae881aeae4", "003_3ffcd919ae816214")


def glossary() -> list[tuple[str, str]]:
    """(forbidden variant, approved rendering) pairs from the sample glossary."""
    pairs = []
    for line in (SAMPLES / "glossary.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        pairs += [(bad.strip(), cols[1]) for bad in cols[2].split(" | ") if bad.strip()]
    return pairs


def build_demo(folder: Path) -> Path:
    """Import both sample documents, run a scripted clean pass and a scripted review pass."""
    for doc in DOCS:
        assert main(["-w", str(folder), "import", str(SAMPLES / f"{doc}.zh.txt"), str(SAMPLES / f"{doc}.txt")]) == 0
    with Workspace.open(folder) as ws:
        with ws.transaction():  # a "clean" pass: glossary suggestions and one applied rule fix each
            pid = ws.begin_pass("clean", "scripted clean")
            for seg in list(ws.all_segments()):
                for bad, good in glossary():
                    at = seg.target.find(bad)
                    if at >= 0:
                        edit = Edit(at, at + len(bad), bad, good, "glossary", "Terminology/Wrong term", Severity.MAJOR)
                        ws.add_annotation(seg.id, edit, EditState.SUGGESTED, pass_id=pid)
                at = seg.target.find(" ,")
                if at >= 0:
                    edit = Edit(at, at + 2, " ,", ",", "space-before-comma", "Fluency/Punctuation", Severity.MINOR)
                    ws.add_annotation(seg.id, edit, EditState.APPLIED, pass_id=pid)
        progress.end_pass(ws, pid, {})
        with ws.transaction():  # a "review" pass: accept every suggestion that still fits, reject the rest
            pid = ws.begin_pass("review", "scripted review")
            for seg in list(ws.all_segments()):
                anns = ws.annotations(seg.id, [EditState.SUGGESTED])
                for ann in anns:
                    try:
                        ws.accept(ann.id)
                    except ConflictError:
                        ws.reject(ann.id)
                if anns:
                    ws.set_status(seg.id, Status.REVIEWED)
            note = Edit(0, 0, "", None, "reviewer", "Style/Awkward", Severity.MINOR, auto=False,
                        author_kind=AuthorKind.PERSON)
            first = next(ws.segments(ws.document(DOCS[1]).id))
            ws.add_annotation(first.id, note, EditState.SUGGESTED, pass_id=pid)
        progress.end_pass(ws, pid, {})
    return folder


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo"))


def test_glossary_finds_real_mt_errors():
    text = (SAMPLES / f"{DOCS[0]}.txt").read_text(encoding="utf-8")
    assert sum(text.count(bad) for bad, _ in glossary()) > 5


def test_snapshots_move_pass_by_pass(demo, capsys):
    assert main(["-w", str(demo), "progress", "--format", "json"]) == 0
    passes = json.loads(capsys.readouterr().out)
    clean, review = (p["summary"]["snapshot"] for p in passes if p["kind"] in ("clean", "review"))
    open_clean = sum(a["count"] for a in clean["open_annotations"])
    open_review = sum(a["count"] for a in review["open_annotations"])
    assert open_clean > 5 and open_review == 1  # only the reviewer's new flag is open
    assert review["mqm"]["remaining"] < clean["mqm"]["remaining"]
    assert review["mqm"]["found"] > review["mqm"]["remaining"] > 0  # rejected suggestions count in neither
    effort = [s["metrics"]["effort"]["scores"] for s in (clean, review)]
    ter = [next(x["score"] for x in e if x["metric"] == "TER") for e in effort]
    assert 0 < ter[0] < ter[1]  # the applied punctuation fixes, then the accepted terms
    assert "hter" not in clean["metrics"] and review["metrics"]["hter"]["segments"] == review["segments"]["reviewed"]
    for entry in review["metrics"].values():
        assert all("version:" in s["signature"] and "nrefs:1" in s["signature"] for s in entry["scores"])


def test_progress_table_and_chart(demo, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["-w", str(demo), "progress"]) == 0
    out = capsys.readouterr().out
    assert "clean" in out and "review" in out and "effort TER" in out and "MQM left" in out
    assert "\033[" not in out
    chart = [line for line in out.splitlines() if "→" in line]
    assert any(line.strip().startswith("open") for line in chart)
    assert all(set(line.split("  ")[-2].strip()) <= set("▁▂▃▄▅▆▇█ ") for line in chart)


def test_progress_per_document(demo, capsys):
    assert main(["-w", str(demo), "progress", DOCS[1]]) == 0
    out = capsys.readouterr().out
    assert f"== {DOCS[1]}" in out and DOCS[0] not in out
    assert main(["-w", str(demo), "progress", "no-such-doc"]) == 4
    assert "no document 'no-such-doc'" in capsys.readouterr().err


def test_score_records_a_pass_without_touching_segments(demo, capsys):
    with Workspace.open(demo) as ws:
        before = [(s.target, s.status) for s in ws.all_segments()]
        n_passes = len(ws.passes())
    assert main(["-w", str(demo), "score"]) == 0
    out = capsys.readouterr().out
    assert "TER|nrefs:1|case:lc|tok:tercom" in out and "MQM found" in out and "hter" in out
    with Workspace.open(demo) as ws:
        assert [(s.target, s.status) for s in ws.all_segments()] == before
        assert len(ws.passes()) == n_passes + 1 and ws.passes()[-1].kind == "score"
    assert main(["-w", str(demo), "score", "--no-record", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["comparison"] for m in data["metrics"]] == ["effort", "hter"]


def test_score_empty_workspace_is_a_clear_error(tmp_path, capsys):
    Workspace.open(tmp_path, create=True).close()
    assert main(["-w", str(tmp_path), "score"]) == 2
    assert "nothing to score" in capsys.readouterr().err


def test_big_workspace_snapshot_reads_mqm_in_another_process(demo, monkeypatch):
    """Above PARALLEL_FROM segments the MQM figures come from a forked process with its own
    connection, meanwhile: the snapshot must be the one read here."""
    with Workspace.open(demo) as ws:
        here = progress.take_snapshot(ws)
        monkeypatch.setattr(progress, "PARALLEL_FROM", 0)
        started = []
        real = progress.meanwhile
        monkeypatch.setattr(progress, "meanwhile", lambda *args: started.append(1) or real(*args))
        elsewhere = progress.take_snapshot(ws)
    assert started and elsewhere == here
    assert here.mqm.found > 0 and set(here.mqm.documents) == set(DOCS)
