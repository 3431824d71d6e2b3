"""Importing articles: alignment into segments, encodings, idempotence, bad input."""

from __future__ import annotations

import json
import re

import pytest

from conftest import SAMPLE_DOCS, SAMPLES
from mtmend.corpus.importer import paragraphs
from mtmend.corpus.store import Workspace

DOC = SAMPLE_DOCS[0]
ZH, EN = SAMPLES / f"{DOC}.zh.txt", SAMPLES / f"{DOC}.txt"


def _status(cli, ws):
    code, out, _ = cli("-w", ws, "status", "--format", "json")
    assert code == 0
    return {row["document"]: row for row in json.loads(out)}


def test_samples_import_aligned_and_export_restores_the_article(sample_workspace, cli):
    rows = _status(cli, sample_workspace)
    assert set(rows) == set(SAMPLE_DOCS)
    for doc in SAMPLE_DOCS:
        original = (SAMPLES / f"{doc}.txt").read_text(encoding="utf-8")
        assert rows[doc]["segments"] >= len(paragraphs(original))
        assert rows[doc]["raw"] == rows[doc]["segments"]
        code, out, _ = cli("-w", sample_workspace, "export", "-o", "-", doc)
        assert code == 0
        # Same paragraphs, same text inside each (blank-line runs normalise to one).
        assert paragraphs(out) == paragraphs(original)


def test_sample_segments_pair_chinese_with_its_translation(sample_workspace):
    with Workspace.open(sample_workspace) as ws:
        segs = list(ws.segments(ws.document(DOC).id))
    by_mt = {s.mt: s.source for s in segs}
    title = next(mt for mt in by_mt if mt.startswith("Learning to Power: Hainan"))
    assert "学习强国" in by_mt[title]
    # Numbers and Latin tokens anchor the alignment: the 5G sentence carries 5G on both sides.
    five_g = [s for s in segs if "5G" in s.mt]
    assert five_g and all("5G" in s.source for s in five_g)
    # Every segment's English is covered once, in order.
    assert [s.position for s in segs] == list(range(len(segs)))


def test_reimport_is_idempotent(sample_workspace, cli):
    before = _status(cli, sample_workspace)
    code, _, err = cli("-w", sample_workspace, "import", ZH, EN)
    assert code == 0 and "unchanged" in err
    assert _status(cli, sample_workspace) == before


def test_changed_document_with_reviewed_work_needs_force(sample_workspace, cli, tmp_path):
    with Workspace.open(sample_workspace) as ws:
        seg = next(ws.segments(ws.document(DOC).id))
        from mtmend.corpus.model import Status

        with ws.transaction():
            ws.set_status(seg.id, Status.REVIEWED)
    changed = tmp_path / f"{DOC}.txt"
    changed.write_text(EN.read_text(encoding="utf-8") + "\n\nOne more paragraph.\n", encoding="utf-8")
    code, _, err = cli("-w", sample_workspace, "import", ZH, changed)
    assert code == 5 and "--force" in err
    assert _status(cli, sample_workspace)[DOC]["reviewed"] == 1
    code, _, err = cli("-w", sample_workspace, "import", "--force", ZH, changed)
    assert code == 0 and "replaced" in err
    assert _status(cli, sample_workspace)[DOC]["reviewed"] == 0


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le-bom", "utf-16-be-bom", "gb18030"])
def test_accepted_encodings_give_the_same_segments(encoding, tmp_path, cli):
    zh_text = ZH.read_text(encoding="utf-8")
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + zh_text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + zh_text.encode("utf-16-be")
    else:
        data = zh_text.encode(encoding)
    encoded = tmp_path / "zh.txt"
    encoded.write_bytes(data)
    assert cli("-w", tmp_path / "a", "import", ZH, EN)[0] == 0
    assert cli("-w", tmp_path / "b", "import", encoded, EN, "--name", DOC)[0] == 0
    with Workspace.open(tmp_path / "a") as a, Workspace.open(tmp_path / "b") as b:
        left = [(s.source, s.mt) for s in a.segments(a.document(DOC).id)]
        right = [(s.source, s.mt) for s in b.segments(b.document(DOC).id)]
    assert left == right


def _one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda p: None, r"no such file"),
        (lambda p: p.write_text("", encoding="utf-8"), r"is empty"),
        (lambda p: p.write_bytes(bytes(range(256)) * 40), r"looks binary"),
        (lambda p: p.write_bytes("Caf\u00e9 au lait, d\u00e9j\u00e0 vu.\n".encode("cp1252")), r"not UTF-8 .*--encoding"),
        (lambda p: p.mkdir(), r"is a directory"),
    ],
    ids=["missing", "empty", "binary", "cp1252", "directory"],
)
def test_bad_english_file_is_one_clear_error(make, expected, tmp_path, cli):
    bad = tmp_path / "en.txt"
    make(bad)
    code, _, err = cli("-w", tmp_path / "ws", "import", ZH, bad)
    assert code == 2
    line = _one_line_error(err)
    assert re.search(expected, line) and "en.txt" in line
    assert not (tmp_path / "ws" / "mtmend.db").exists() or _no_documents(tmp_path / "ws")


def _no_documents(folder) -> bool:
    with Workspace.open(folder) as ws:
        return ws.documents() == []


def test_swapped_files_are_detected(tmp_path, cli):
    code, _, err = cli("-w", tmp_path, "import", EN, ZH)
    assert code == 2
    assert "swapped" in _one_line_error(err)


def test_english_given_as_both_sides(tmp_path, cli):
    code, _, err = cli("-w", tmp_path, "import", EN, EN)
    assert code == 2 and "expected Chinese" in _one_line_error(err)


def test_tsv_import_and_bad_rows(tmp_path, cli):
    good = tmp_path / "pairs.tsv"
    good.write_text("你好。\tHello.\n\n再见。\tGoodbye.\t Good-bye.\n", encoding="utf-8")
    assert cli("-w", tmp_path / "ws", "import", good)[0] == 0
    with Workspace.open(tmp_path / "ws") as ws:
        segs = list(ws.segments(ws.document("pairs").id))
    assert [(s.source, s.mt, s.reference) for s in segs] == [
        ("你好。", "Hello.", None),
        ("再见。", "Goodbye.", "Good-bye."),
    ]
    bad = tmp_path / "bad.tsv"
    bad.write_text("你好。\tHello.\n只有一列\n", encoding="utf-8")
    code, _, err = cli("-w", tmp_path / "ws", "import", bad)
    assert code == 2 and "bad.tsv:2" in _one_line_error(err)


def test_export_tsv_and_unknown_document(sample_workspace, cli, tmp_path):
    out = tmp_path / "pairs.tsv"
    assert cli("-w", sample_workspace, "export", "-o", out, "--format", "tsv", DOC)[0] == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert all(line.count("\t") == 1 for line in lines)
    assert any(line.startswith("来源：学习强国") for line in lines)
    code, _, err = cli("-w", sample_workspace, "export", "-o", tmp_path / "x.txt", "no-such-doc")
    assert code == 4 and "no-such-doc" in _one_line_error(err)
    assert not (tmp_path / "x.txt").exists()
