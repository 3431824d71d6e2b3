"""XLIFF 1.2: export for review in a CAT tool, import of the reviewed file."""

from __future__ import annotations

import shutil

import pytest
from lxml import etree

from conftest import SAMPLES
from mtmend.corpus.model import AuthorKind, EditState, Status
from mtmend.corpus.store import Workspace
from mtmend.tmx.export import export_tmx_to_path
from mtmend.tmx.model import ExportSettings
from mtmend.tmx.reader import read_tmx

NS = "urn:oasis:names:tc:xliff:document:1.2"
Q = "{%s}" % NS
STATE_IDS = {Status.RAW: 80, Status.AUTO_FIXED: 100, Status.REVIEWED: 120}  # translate-toolkit's ids


@pytest.fixture
def cleaned(cli, sample_workspace):
    """The sample corpus cleaned with its glossary, one segment reviewed."""
    shutil.copyfile(SAMPLES / "glossary.tsv", sample_workspace / "glossary.tsv")
    assert cli("-w", sample_workspace, "clean")[0] == 0
    with Workspace.open(sample_workspace) as ws:
        seg = next(s for s in ws.all_segments() if s.status is Status.AUTO_FIXED)
        with ws.transaction():
            ws.set_status(seg.id, Status.REVIEWED)
    return sample_workspace


def _units(path):
    tree = etree.parse(str(path))
    return tree, {(f.get("original"), u.get("id")): u for f in tree.iter(Q + "file") for u in f.iter(Q + "trans-unit")}


def test_translate_toolkit_reads_source_target_state_mt_and_notes(cli, cleaned, tmp_path):
    from translate.storage import xliff

    out = tmp_path / "review.xlf"
    code, _, err = cli("-w", cleaned, "export", "-o", out, "--format", "xliff")
    assert code == 0 and "trans-units in 2 file(s)" in err
    store = xliff.xlifffile.parsefile(str(out))
    units = {u.getid(): u for u in store.units}
    with Workspace.open(cleaned) as ws:
        segs = [(d, s) for d in ws.documents() for s in ws.segments(d.id)]
        annotated = {s.id: ws.annotations(s.id) for _, s in segs}
    assert len(units) == len(segs) and {f.get("original") for f in _units(out)[0].getroot().iter(Q + "file")} == {
        d.name for d, _ in segs}
    assert {s.status for _, s in segs} == set(Status)  # every state is exercised
    for doc, seg in segs:
        unit = units[f"{doc.name}\x04{seg.position}"]  # translate-toolkit's id: file original + unit id
        assert (unit.source, unit.target or "") == (seg.source, seg.target)
        assert unit.get_state_id() == STATE_IDS[seg.status] and unit.isapproved() == (seg.status is Status.REVIEWED)
        alt = unit.getalttrans()
        assert ([a.target for a in alt] == [seg.mt]) if seg.mt != seg.target else not alt
        notes = unit.getnotes()
        for ann in annotated[seg.id]:
            assert ann.edit.category in notes and ann.edit.author in etree.tostring(unit.xmlelement, encoding=str)


def test_reviewed_file_comes_back_as_edits_by_its_author_with_its_states(cli, cleaned, tmp_path):
    out = tmp_path / "review.xlf"
    assert cli("-w", cleaned, "export", "-o", out)[0] == 0  # .xlf picks the format
    tree, units = _units(out)
    with Workspace.open(cleaned) as ws:
        before = {s.id: (s.status, s.target) for s in ws.all_segments()}
        segs = [s for s in ws.all_segments() if s.target.strip()]
        names = {d.id: d.name for d in ws.documents()}
    raw = next(s for s in segs if s.status is Status.RAW)
    confirmed = next(s for s in segs if s.status is Status.RAW and s.id != raw.id)
    reviewed = next(s for s in segs if s.status is Status.REVIEWED)
    names = {s.id: (names[s.doc_id], str(s.position)) for s in (raw, confirmed, reviewed)}
    # The reviewer's CAT tool: edits one raw unit, confirms another, edits a reviewed one.
    unit = units[names[raw.id]]
    unit.find(Q + "target").text = raw.target + " (checked)"
    unit.find(Q + "target").set("state", "translated")
    units[names[confirmed.id]].find(Q + "target").set("state", "signed-off")
    units[names[reviewed.id]].find(Q + "target").text = "Something else entirely."
    first = tree.getroot().find(Q + "file")
    phase = etree.SubElement(etree.SubElement(first.find(Q + "header"), Q + "phase-group"), Q + "phase")
    phase.attrib.update({"phase-name": "review", "process-name": "review", "contact-name": "linguist.li"})
    for f in tree.getroot().iter(Q + "file"):
        if f is not first:  # the same author on every file
            f.find(Q + "header").append(etree.fromstring(etree.tostring(phase.getparent())))
    tree.write(str(out), encoding="utf-8", xml_declaration=True)

    code, _, err = cli("-w", cleaned, "import", out)
    assert code == 0 and "1 updated, 1 kept as suggestions" in err, err
    with Workspace.open(cleaned) as ws:
        edited = ws.segment(raw.id)
        assert edited.target == raw.target + " (checked)" and edited.status is Status.REVIEWED
        (ann,) = [a for a in ws.annotations(raw.id) if a.edit.author_kind is AuthorKind.IMPORT]
        assert (ann.edit.author, ann.state, ann.edit.after) == ("linguist.li", EditState.APPLIED, " (checked)")
        assert ws.segment(confirmed.id).status is Status.REVIEWED  # a confirmed unit is no longer raw
        kept = ws.segment(reviewed.id)
        assert kept.target == reviewed.target and kept.status is Status.REVIEWED  # never overwritten silently
        assert [a.edit.author for a in ws.annotations(reviewed.id, [EditState.SUGGESTED])] == ["linguist.li"]
        after = {s.id: (s.status, s.target) for s in ws.all_segments() if s.id not in names}
        assert after == {k: v for k, v in before.items() if k not in names}  # the rest untouched
        assert [p.kind for p in ws.passes()][-1] == "xliff-import"
    code, _, err = cli("-w", cleaned, "import", out)  # the same file again changes nothing
    assert code == 0 and "0 updated, 0 kept as suggestions" in err


TMX_INLINE = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh-CN" segtype="sentence" creationtool="t" creationtoolversion="1"
 adminlang="en" datatype="plaintext" o-tmf="t"/><body>
<tu><tuv xml:lang="zh-CN"><seg>点击<bpt i="1">&lt;a href="x"&gt;</bpt>这里<ept i="1">&lt;/a&gt;</ept>。</seg></tuv>
<tuv xml:lang="en-US"><seg>Click <bpt i="1">&lt;a href="x"&gt;</bpt>here<ept i="1">&lt;/a&gt;</ept>.</seg></tuv></tu>
<tu><tuv xml:lang="zh-CN"><seg>第一行<ph x="2">&lt;br/&gt;</ph>第二行</seg></tuv>
<tuv xml:lang="en-US"><seg>Line one<ph x="2">&lt;br/&gt;</ph>line two &amp; <hi type="b">bold</hi></seg></tuv></tu>
</body></tmx>
"""


def test_inline_markup_survives_xliff_and_back_to_tmx(cli, tmp_path):
    (tmp_path / "in.tmx").write_text(TMX_INLINE, encoding="utf-8")
    ws_dir = tmp_path / "ws"
    assert cli("-w", ws_dir, "import", tmp_path / "in.tmx")[0] == 0
    out = tmp_path / "out.xlf"
    assert cli("-w", ws_dir, "export", "-o", out, "--format", "xliff")[0] == 0
    phs = [ph.text for ph in etree.parse(str(out)).iter(Q + "ph")]
    assert '<bpt i="1">&lt;a href="x"&gt;</bpt>' in phs and '<hi type="b">' in phs
    code, _, err = cli("-w", ws_dir, "import", out)
    assert code == 0 and "0 updated" in err and "2 unchanged" in err
    with Workspace.open(ws_dir) as ws:
        export_tmx_to_path(ws, tmp_path / "back.tmx", ExportSettings())
    with read_tmx(tmp_path / "back.tmx") as tmx, read_tmx(tmp_path / "in.tmx") as original:
        assert [u.variants for u in tmx.units()] == [u.variants for u in original.units()]


@pytest.mark.parametrize("text,message", [
    ("<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'><file original='d'", "not well-formed"),
    ("<tmx version='1.4'/>", "not an XLIFF 1.2 file"),
    ("<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'><file original='d' source-language='zh-CN' "
     "target-language='en-US'><body><trans-unit id='1'><target>x</target></trans-unit></body></file></xliff>",
     "<trans-unit> without <source>"),
])
def test_bad_xliff_is_one_line_error_and_changes_nothing(cli, tmp_path, text, message):
    path = tmp_path / "bad.xlf"
    path.write_text(text, encoding="utf-8")
    code, _, err = cli("-w", tmp_path / "ws", "import", path)
    assert code == 2 and message in err and "Traceback" not in err and err.count("\n") == 1


def test_tmx_from_a_cat_tool_is_by_its_author_and_marks_the_segment(cli, cleaned, tmp_path):
    """A unit whose tuv still carries the rule name mtmend stamped on it is the file's
    author's work, and a changed unreviewed segment is no longer raw or auto-fixed."""
    out = tmp_path / "memory.tmx"
    assert cli("-w", cleaned, "export", "-o", out)[0] == 0
    tree = etree.parse(str(out))
    tree.getroot().find("header").set("creationid", "linguist.wu")
    stamped = next(tuv for tuv in tree.iter("tuv") if tuv.get("changeid") == "apply_glossary" and any(
        p.text == "auto_fixed" for p in tuv.getparent().iter("prop")))
    props = {p.get("type"): p.text for p in stamped.getparent().iter("prop")}
    stamped.find("seg").text += " Edited."
    tree.write(str(out), encoding="utf-8", xml_declaration=True)
    with Workspace.open(cleaned) as ws:
        doc = ws.document(props["x-mtmend-document"])
        seg = next(s for s in ws.segments(doc.id) if s.position == int(props["x-mtmend-position"]))
    assert seg.status is Status.AUTO_FIXED
    code, _, err = cli("-w", cleaned, "import", out)
    assert code == 0 and "1 updated" in err, err
    with Workspace.open(cleaned) as ws:
        after = ws.segment(seg.id)
        (ann,) = [a for a in ws.annotations(seg.id) if a.edit.author_kind is AuthorKind.IMPORT]
    assert after.target.endswith(" Edited.") and after.status is Status.REVIEWED
    assert ann.edit.author == "linguist.wu"
