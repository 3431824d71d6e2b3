"""MQM: the published TED table, profiles, the TSV format, workspace import/export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mtmend.cli.main import main
from mtmend.corpus import mqm, mqm_read

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mqm"
TED, WMT23 = DATA / "mqm_ted_zhen.tsv", DATA / "wmt23_zhen_dev.tsv"


@pytest.fixture(scope="module")
def published() -> dict[str, float]:
    """System → MQM from the table in ../shared/data/mqm/README.md."""
    if not TED.exists():
        pytest.skip("MQM data not available: ../shared/data ships only with dev/CI checkouts")
    rows = re.findall(r"^\| (\S+) \| ([0-9.]+) \|$", (DATA / "README.md").read_text(encoding="utf-8"), re.M)
    table = {name: float(score) for name, score in rows}
    assert len(table) == 15
    return table


def _tsv_scores(text: str) -> dict[str, float]:
    return {name: float(score) for name, score in (line.split("\t") for line in text.splitlines())}


def test_reproduces_published_ted_system_scores(published, capsys):
    assert main(["mqm", "score", str(TED), "--by", "system", "--weights", "google-2021", "--format", "tsv"]) == 0
    mine = _tsv_scores(capsys.readouterr().out)
    assert mine.keys() == published.keys()
    for system, score in published.items():
        assert abs(mine[system] - score) < 0.006, system


def test_workspace_import_scores_and_round_trip(published, tmp_path, capsys):
    ws = str(tmp_path / "ws")
    assert main(["-w", ws, "mqm", "import", str(TED)]) == 0
    assert "75 documents added" in capsys.readouterr().err
    assert main(["-w", ws, "score", "--mqm-by", "system", "--format", "json", "--no-record"]) == 0
    found = {s["name"]: s["score"] for s in json.loads(capsys.readouterr().out)["mqm"]["found"]}
    assert found.keys() == published.keys()
    for system, score in published.items():
        assert abs(found[system] - score) < 0.006, system
    out = tmp_path / "back.tsv"
    assert main(["-w", ws, "mqm", "export", str(out)]) == 0
    assert out.read_bytes() == TED.read_bytes()
    assert main(["-w", ws, "mqm", "import", str(TED)]) == 0  # idempotent
    assert "0 documents added, 75 unchanged" in capsys.readouterr().err


def test_wmt23_leaves_out_hotw_rows_and_profiles_differ(published):
    table = mqm_read.read_tsv(WMT23)
    assert table.dropped == 115 and all(r.severity != mqm.HOTW for r in table.rows)
    assert table.header[2:4] == ("docSegId", "globalSegId")
    google = {s.name: s.score for s in mqm.score_rows(table.rows, mqm.profile("google-2021"))}
    marot = {s.name: s.score for s in mqm.score_rows(table.rows, mqm.profile("marot"))}
    zeroed = {r.system for r in table.rows if re.search(r"source|reinterpretation", r.category, re.I)}
    assert zeroed and all(marot[s] < google[s] for s in zeroed)
    assert all(marot[s] == google[s] for s in google if s not in zeroed)


@pytest.mark.parametrize("profile,severity,category,weight", [
    ("google-2021", "Major", "Accuracy/Mistranslation", 5), ("google-2021", "Minor", "Fluency/Punctuation", 0.1),
    ("google-2021", "Minor", "Fluency/Grammar", 1), ("google-2021", "Major", "Non-translation!", 25),
    ("google-2021", "No-error", "No-error", 0), ("google-2021", "Neutral", "Style/Awkward", 0),
    ("google-2021", "Major", "Source error", 5), ("marot", "Major", "Source error", 0),
    ("marot", "Minor", "Source issue", 0), ("marot", "Major", "Accuracy/Creative Reinterpretation", 0),
    ("marot", "Critical", "Accuracy/Mistranslation", 5), ("mqm-core", "Critical", "Accuracy/Omission", 25),
])
def test_weights(profile, severity, category, weight):
    assert mqm.profile(profile).weight(severity, category) == weight


HEADER = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\n"
ROW = "sys\td1\t1\t1\tr1\t你好\t<v>Hello</v> world\tFluency/Grammar\t{sev}\n"


@pytest.mark.parametrize("text,message", [
    ("system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\n" + ROW.format(sev="Major"),
     "t.tsv:1: missing column(s) severity"),
    (HEADER + ROW.format(sev="Major") + ROW.format(sev="Huge"), "t.tsv:3, column 9 (severity): unknown severity 'Huge'"),
    (HEADER + "sys\td1\t1\t1\tr1\t你好\tHello\n", "t.tsv:2: expected 9 tab-separated columns, found 7: column 8 (category)"),
    (HEADER + ROW.format(sev="Major").replace("</v>", "</v><v>"), "t.tsv:2, column 7 (target): expected at most one"),
    (HEADER, "t.tsv: no MQM ratings"),
])
def test_bad_input_names_line_and_column(tmp_path, capsys, text, message):
    path = tmp_path / "t.tsv"
    path.write_text(text, encoding="utf-8")
    assert main(["mqm", "score", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mtmend: error: ") and message in err and "Traceback" not in err


def test_metadata_column_and_per_word_normalisation(tmp_path, capsys):
    path = tmp_path / "m.tsv"
    header = HEADER.replace("doc_id\tseg_id", "docSegId\tglobalSegId").rstrip("\n") + "\tmetadata\n"
    path.write_text(header + ROW.format(sev="Major").rstrip("\n") + '\t{"note": "x"}\n', encoding="utf-8")
    assert main(["mqm", "score", str(path), "--format", "json"]) == 0
    (score,) = json.loads(capsys.readouterr().out)["scores"]
    assert score["score"] == 5 and score["words"] == 2 and score["per_1000_words"] == 2500
    assert score["quality"] == -2400 and score["pass"] is False


def test_scoring_streams_any_encoding_and_names_a_bad_line(tmp_path, capsys):
    # mqm score reads the file row by row; encodings other than UTF-8 still work, and bad
    # bytes deep in a file are reported with their line, not as a traceback.
    text = HEADER + "".join(ROW.format(sev=s) for s in ("Major", "Minor", "Major")) + ROW.replace("sys", "other").format(sev="Minor")
    scores = {}
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "gb18030"):
        path = tmp_path / f"{encoding}.tsv"
        path.write_bytes(text.encode(encoding))
        assert main(["mqm", "score", str(path), "--format", "tsv"]) == 0
        scores[encoding] = _tsv_scores(capsys.readouterr().out)
    assert all(s == {"other": 1.0, "sys": 11.0} for s in scores.values()), scores
    bad = tmp_path / "bad.tsv"
    bad.write_bytes((HEADER + ROW.format(sev="Major") * 40_000).encode() + b"sys\td1\t1\t2\tr1\t\xff\tx\tOther\tMinor\n")
    assert main(["mqm", "score", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mtmend: error: ") and "bad.tsv:40002: not valid UTF-8" in err and "Traceback" not in err


PUBLISHED = DATA / "wmt23_zhen_dev.published.tsv"


def test_published_file_scores_and_imports_like_the_slim_one(tmp_path, capsys):
    if not PUBLISHED.exists():
        pytest.skip("MQM data not available: ../shared/data ships only with dev/CI checkouts")
    scores, totals = {}, {}
    for path in (WMT23, PUBLISHED):
        assert main(["mqm", "score", str(path), "--format", "json"]) == 0
        out, err = capsys.readouterr()
        scores[path.name] = {s["name"]: s["score"] for s in json.loads(out)["scores"]}
        assert err.count("only in whitespace") == 1  # said once, not once per row
        ws = str(tmp_path / path.name)
        assert main(["-w", ws, "mqm", "import", str(path)]) == 0
        totals[path.name] = capsys.readouterr().err.splitlines()[-2]
        if path == WMT23:
            continue
        assert main(["-w", ws, "score", "--mqm-by", "system", "--format", "json", "--no-record"]) == 0
        found = {s["name"]: s["score"] for s in json.loads(capsys.readouterr().out)["mqm"]["found"]}
        assert found == pytest.approx(scores[path.name])  # import and score agree
    assert len(scores[WMT23.name]) == 10 and scores[PUBLISHED.name] == scores[WMT23.name]
    assert "100 documents added" in totals[WMT23.name]
    assert totals[PUBLISHED.name].replace(PUBLISHED.name, WMT23.name) == totals[WMT23.name]


def test_rows_differing_only_in_marked_whitespace_share_one_text(tmp_path, capsys):
    text = HEADER + (
        "s\td\t1\t1\tr1\t你好\tHe said \"yes\".\tNo-error\tNo-error\n"
        "s\td\t1\t1\tr2\t你好\tHe said \"yes\".<v> </v>\tFluency/Punctuation\tMinor\n"
        "s\td\t1\t1\tr3\t你好\tHe<v> </v>said \"yes\".\tFluency/Spelling\tMinor\n"
    )
    path = tmp_path / "ws.tsv"
    path.write_text(text, encoding="utf-8")
    reader = mqm_read.open_tsv(path)
    rows = list(reader)
    assert reader.normalised == 1
    assert [r.target for r in rows] == ['He said "yes".', 'He said "yes".<v></v>', 'He<v> </v>said "yes".']
    ws = str(tmp_path / "w")
    assert main(["-w", ws, "mqm", "import", str(path)]) == 0
    out = tmp_path / "back.tsv"
    assert main(["-w", ws, "mqm", "export", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == text  # written back as the rater wrote it
    capsys.readouterr()
    path.write_text(text.replace('yes".<v> </v>', 'no".<v> </v>'), encoding="utf-8")
    for command in (["mqm", "score", str(path)], ["-w", ws, "mqm", "import", str(path), "--force"]):
        assert main(command) == 2  # a real disagreement is refused by both commands
        assert "t.tsv" not in (err := capsys.readouterr().err) and "ws.tsv:3: segment 1 of s/d" in err


@pytest.mark.parametrize("extra,ok", [("\t# Documentation: https://example.org/MAROT_viewer", True),
                                      ("\t#", True), ("\tcomment", False)])
def test_header_cells_after_metadata_must_be_comments(tmp_path, capsys, extra, ok):
    header = HEADER.replace("doc_id\tseg_id", "docSegId\tglobalSegId").rstrip("\n") + "\tmetadata" + extra + "\n"
    path = tmp_path / "c.tsv"
    path.write_text(header + ROW.format(sev="Major").rstrip("\n") + "\t{}\n", encoding="utf-8")
    assert main(["mqm", "score", str(path), "--format", "tsv"]) == (0 if ok else 2)
    out, err = capsys.readouterr()
    assert (out == "sys\t5.0000\n") if ok else "must be comments starting with #" in err


def test_export_of_workspace_annotations_carries_marot_metadata(tmp_path, capsys):
    from mtmend.corpus.model import Edit, EditState, Severity
    from mtmend.corpus.store import NewSegment, Workspace

    ws_dir = tmp_path / "ws"
    with Workspace.open(ws_dir, create=True) as ws, ws.transaction():
        doc = ws.add_document("d", [NewSegment(para=0, source="你好。", mt="Hello , world.", reference="Hello, world.")])
        seg = next(ws.segments(doc.id))
        ws.add_annotation(seg.id, Edit(5, 7, " ,", ",", "space-before-comma", "Fluency/Punctuation", Severity.MINOR),
                          EditState.APPLIED)
        ws.add_annotation(seg.id, Edit(8, 13, "world", None, "li", "Style/Awkward", Severity.MINOR, auto=False),
                          EditState.SUGGESTED, comment="say 'everyone'")
    out = tmp_path / "d.tsv"
    assert main(["-w", str(ws_dir), "mqm", "export", str(out)]) == 0
    header, *rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert header[-1] == "metadata" and len(rows) == 2
    first, second = (json.loads(r[-1]) for r in rows)
    assert isinstance(first["timestamp"], int) and first["marked_text"] == " ,"
    assert first["segment"]["references"] == {"ref": "Hello, world."} and "segment" not in second
    assert second["note"] == "say 'everyone'" and second["mtmend"]["state"] == "suggested"
    assert rows[1][6] == "Hello , <v>world</v>." and rows[1][4] == "li"
    assert main(["mqm", "score", str(out), "--format", "tsv"]) == 0  # and it reads back as an MQM file
    assert capsys.readouterr().out == "mt\t0.5500\n"  # two raters: the mean of 0.1 and 1
