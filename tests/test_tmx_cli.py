"""The TMX commands: mtmend export -o FILE.tmx, mtmend import FILE.tmx, mtmend tmx validate."""

from __future__ import annotations

import codecs

from lxml import etree

from mtmend.corpus.model import Status
from mtmend.corpus.split import split_zh
from mtmend.corpus.store import Workspace
from mtmend.tmx.reader import read_tmx
from tmx_helpers import assert_dtd_valid, workspace_with


def test_export_validate_import_from_the_command_line(cli, sample_workspace, tmp_path):
    out = tmp_path / "samples.tmx"
    code, stdout, stderr = cli("-w", sample_workspace, "export", "-o", out)
    assert code == 0 and stdout == "" and "units from 2 document(s)" in stderr
    assert_dtd_valid(out)
    code, stdout, stderr = cli("tmx", "validate", out)
    assert (code, stdout) == (0, "") and "valid (0 error(s)" in stderr
    code, _, stderr = cli("-w", tmp_path / "fresh", "import", out)
    assert code == 0 and "new segments in 2 new document(s)" in stderr
    # A clean TMX holds the sentences a CAT tool sees (beads cut or joined where its rules
    # break): a fresh workspace gets exactly those, every sentence of the old one in order.
    with read_tmx(out) as tmx:
        units = [tuple(v.text for v in u.variants) for u in tmx.units()]
    with Workspace.open(tmp_path / "fresh") as ws, Workspace.open(sample_workspace) as old:
        assert [(s.source, s.target) for s in ws.all_segments()] == units
        kept = [s for s in old.all_segments() if s.source.strip() and s.target.strip()]
        text = "".join(s.source for s in kept).replace("\n", "")
        assert all(source.replace("\n", "") in text for source, _ in units)  # every unit is a run of the text
        covered = "".join(source for source, _ in units)
        assert all(sentence in covered for s in kept for sentence in split_zh(s.source))  # and nothing is lost


def test_export_to_stdout_full_with_status_filter(cli, sample_workspace):
    with Workspace.open(sample_workspace) as ws:
        doc = ws.documents()[1]
        seg = next(ws.segments(doc.id))
        with ws.transaction():
            ws.set_status(seg.id, Status.REVIEWED)
    code, stdout, _ = cli("-w", sample_workspace, "export", "-o", "-", "--full", doc.name, "--status", "reviewed")
    assert code == 0
    root = etree.fromstring(stdout.encode("utf-8"))
    assert [s.text for s in root.iter("seg")] == [seg.source, seg.target]
    assert root.find("header").get("srclang") == "zh-CN"


def test_utf16_on_request(cli, sample_workspace, tmp_path):
    out = tmp_path / "u16.tmx"
    assert cli("-w", sample_workspace, "export", "-o", out, "--encoding", "utf-16")[0] == 0
    assert out.read_bytes()[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    assert_dtd_valid(out)


def test_forbidden_characters_refused_with_one_line_error_and_no_file(cli, tmp_path):
    workspace_with(tmp_path / "ws", [("第一句。", "Fir\x0bst.")]).close()
    out = tmp_path / "x.tmx"
    code, stdout, stderr = cli("-w", tmp_path / "ws", "export", "-o", out)
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1 and "document 'doc' segment 0 target U+000B" in stderr
    assert not out.exists()
    code, stdout, stderr = cli("-w", tmp_path / "ws", "export", "-o", "-", "--clean")
    assert code == 2 and stdout == ""  # stdout too: nothing half-written
    code, _, stderr = cli("-w", tmp_path / "ws", "export", "-o", out, "--invalid-chars", "replace")
    assert code == 0 and "U+000B" in stderr and "Fir\ufffdst." in out.read_text(encoding="utf-8")


def test_validate_exits_non_zero_and_names_file_and_line(cli, shared, tmp_path):
    bad = shared / "tmx" / "samples" / "omegat_invalid_unpaired_bpt.tmx"
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx version='1.4'><header", encoding="utf-8")
    code, stdout, _ = cli("tmx", "validate", bad, broken, tmp_path / "missing.tmx")
    assert code == 1
    assert f"{bad}:12: error: <ept i=\"1\"> without a preceding <bpt i=\"1\">" in stdout
    assert f"{broken}:1: error: column" in stdout and "missing.tmx:0: error: no such file" in stdout
    code, stdout, _ = cli("tmx", "validate", shared / "tmx" / "samples" / "okapi_header_with_prop_and_note.tmx")
    assert code == 0 and "warning: header srclang 'en-us' is not in canonical case" in stdout
    assert cli("tmx", "validate", "--strict", shared / "tmx" / "samples" / "okapi_header_with_prop_and_note.tmx")[0] == 1


def test_import_errors_are_one_line(cli, tmp_path):
    broken = tmp_path / "broken.tmx"
    broken.write_text("<?xml version='1.0'?>\n<tmx version='1.4'><header srclang='zh-CN'/><body><tu>&bad;</tu>",
                      encoding="utf-8")
    code, _, stderr = cli("-w", tmp_path / "ws", "import", broken)
    assert code == 2 and stderr.startswith(f"mtmend: error: {broken}:2:") and "Traceback" not in stderr
    code, _, stderr = cli("-w", tmp_path / "ws", "import", tmp_path / "none.tmx")
    assert code == 2 and "no such file" in stderr


def test_tmx_only_options_need_tmx(cli, sample_workspace, tmp_path):
    code, _, stderr = cli("-w", sample_workspace, "export", "-o", tmp_path / "a.txt", "--format", "text", "--full")
    assert code == 2 and "only apply to TMX" in stderr
