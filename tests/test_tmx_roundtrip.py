"""Round trips: workspace → full TMX → new workspace, and work coming back from a CAT tool."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from mtmend.corpus.edits import minimal_edit
from mtmend.corpus.model import AuthorKind, Bead, Edit, EditState, Severity, Status
from mtmend.corpus.store import NewSegment, Workspace
from mtmend.tmx.export import export_tmx_to_path
from mtmend.tmx.importing import import_tmx
from mtmend.tmx.model import ExportMode, ExportSettings

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TEXT = st.lists(st.sampled_from(["数字", "经济", "。", "“", "”", "Hainan", " ", "&", "<", "]]>", "😀", "\n", "chain"]),
                min_size=0, max_size=8).map("".join)
ANNOTATION = st.tuples(st.sampled_from(list(EditState)), TEXT, st.sampled_from(["rule:quotes", "Ana", "tmx:x"]),
                       st.sampled_from(list(AuthorKind)), st.sampled_from(list(Severity)), TEXT)


def _state(ws: Workspace) -> list:
    """Everything a round trip must keep, without workspace-local ids."""
    out = []
    for doc in ws.documents():
        for seg in ws.segments(doc.id):
            anns = [
                (a.edit, a.state, a.created, a.comment)
                for a in ws.annotations(seg.id)
            ]
            out.append((doc.name, doc.source_lang, doc.fingerprint, seg.position, seg.para, seg.source, seg.mt,
                        seg.target, seg.status, seg.bead, seg.reference, seg.sep, anns))
    return out


def _fill(ws: Workspace, docs) -> None:
    with ws.transaction():
        for d_index, segments in enumerate(docs):
            doc = ws.add_document(
                f"doc-{d_index}",
                [NewSegment(para=i // 2, source=zh, mt=en, bead=Bead((i,), (i,)) if i % 3 else None,
                            reference=ref, sep=" " if i else "") for i, (zh, en, ref, _, _) in enumerate(segments)],
                fingerprint=f"fp{d_index}",
            )
            for seg, (_, _, _, anns, status) in zip(ws.segments(doc.id), segments, strict=True):
                for state, replacement, author, kind, severity, comment in anns:
                    target = ws.segment(seg.id).target
                    start, end, before, after = minimal_edit(target, target[: len(target) // 2] + replacement)
                    edit = Edit(start, end, before, after if state is not EditState.REJECTED else None, author,
                                "Fluency/Spelling", severity, note=comment, author_kind=kind)
                    ws.add_annotation(seg.id, edit, state, comment=comment, created="2024-03-01T10:00:00Z")
                ws.set_status(seg.id, status)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Sources are never empty here: a segment with neither source nor target has nothing a
# TMX unit can hold (a tu needs a tuv, mtmend writes no empty seg); it is skipped and counted.
@given(docs=st.lists(
    st.lists(st.tuples(TEXT.map(lambda t: "源" + t), TEXT, st.none() | TEXT, st.lists(ANNOTATION, max_size=3), st.sampled_from(list(Status))),
             min_size=1, max_size=5),
    min_size=1, max_size=2,
))
def test_full_tmx_restores_segments_targets_statuses_and_annotations(tmp_path_factory, docs):
    folder = tmp_path_factory.mktemp("rt")
    with Workspace.open(folder / "a", create=True) as ws:
        _fill(ws, docs)
        before = _state(ws)
        export_tmx_to_path(ws, folder / "full.tmx", ExportSettings(mode=ExportMode.FULL))
    with Workspace.open(folder / "b", create=True) as ws:
        report = import_tmx(ws, folder / "full.tmx")
        after = _state(ws)
        assert ws.passes() == []  # a restore into an empty workspace brings the archive's passes (none) only
    assert report.skipped == 0
    assert after == before


def test_cat_tool_edits_come_back_as_annotated_history(sample_workspace, tmp_path):
    out = tmp_path / "for-cat.tmx"
    with Workspace.open(sample_workspace) as ws:
        export_tmx_to_path(ws, out, ExportSettings())
        segs = [s for s in ws.all_segments() if s.source.strip() and s.target.strip()]
        reviewed = segs[3]
        with ws.transaction():
            ws.set_status(reviewed.id, Status.REVIEWED)
    # The linguist edits two targets in the CAT tool, which stamps its user on the tuv.
    tree = etree.parse(str(out))
    tus = tree.getroot().find("body").findall("tu")
    edited = {0: "Xuexi Qiangguo: Hainan's Blockchain Development Attracts Global Attention",
              3: reviewed.target.replace("the", "THE", 1) + " (checked)"}
    def whole(seg):  # the unit of exactly that segment (sentence units cut from beads carry x-mtmend-part)
        props = [{p.get("type"): p.text for p in tu.iter("prop")} for tu in tus]
        return next(tu for tu, p in zip(tus, props, strict=True)
                    if p.get("x-mtmend-position") == str(seg.position) and "x-mtmend-part" not in p)

    for index, text in edited.items():
        tuv = [t for t in whole(segs[index]).iter("tuv") if t.get(XML_LANG) == "en-US"][0]
        tuv.find("seg").text = text
        tuv.set("changeid", "linguist.li")
        tuv.set("changedate", "20240301T101500Z")
    tree.write(str(out), encoding="utf-8", xml_declaration=True)

    with Workspace.open(sample_workspace) as ws:
        report = import_tmx(ws, out)
        assert (report.updated, report.suggested, report.new_segments) == (1, 1, 0)
        assert report.unchanged == report.units - 2 and report.skipped == 0
        assert any(i.code == "reviewed" for i in report.issues)
        first = ws.segment(segs[0].id)
        assert first.target == edited[0] and first.mt == segs[0].mt
        (ann,) = ws.annotations(first.id)
        assert (ann.state, ann.edit.author, ann.edit.author_kind) == (EditState.APPLIED, "linguist.li", AuthorKind.IMPORT)
        assert ann.pass_id == report.pass_id
        kept = ws.segment(reviewed.id)
        assert kept.target == reviewed.target and kept.status is Status.REVIEWED  # never overwritten silently
        (suggestion,) = ws.annotations(reviewed.id, [EditState.SUGGESTED])
        assert suggestion.edit.author == "linguist.li"
        # Importing the same file again changes nothing and repeats no suggestion.
        again = import_tmx(ws, out)
        assert (again.updated, again.suggested) == (0, 0)
        assert len(ws.annotations(reviewed.id)) == 1
        assert [p.kind for p in ws.passes()][-2:] == ["tmx-import", "tmx-import"]


def test_a_failed_import_leaves_the_workspace_untouched(sample_workspace, tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text('<?xml version="1.0"?><tmx version="1.4"><header srclang="zh-CN"/><body>'
                   '<tu><tuv xml:lang="zh-CN"><seg>新</seg></tuv><tuv xml:lang="en-US"><seg>New</seg></tuv></tu>'
                   '<tu><tuv xml:lang="zh-CN"><seg>坏', encoding="utf-8")
    with Workspace.open(sample_workspace) as ws:
        docs, passes = ws.documents(), ws.passes()
        with pytest.raises(Exception, match="not well-formed"):
            import_tmx(ws, bad)
        assert ws.documents() == docs and ws.passes() == passes


def test_a_cat_tool_fix_resolves_the_suggestions_and_flags_it_made_moot(sample_workspace, tmp_path):
    """The translator applies an open suggestion in the CAT tool and deletes flagged text: after the
    import those are RESOLVED (as after a review decision), not left open beside the fix."""
    from mtmend.cli.main import main

    assert main(["-w", str(sample_workspace), "clean"]) == 0
    out = tmp_path / "for-cat.tmx"
    with Workspace.open(sample_workspace) as ws:
        export_tmx_to_path(ws, out, ExportSettings())
        pending = [(s, a) for s in ws.all_segments() for a in ws.annotations(s.id, [EditState.SUGGESTED])
                   if a.edit.start < a.edit.end and a.edit.before and s.target.count(a.edit.before) == 1
                   and len(ws.annotations(s.id, [EditState.SUGGESTED])) == 1]
        assert pending, "the sample articles have open suggestions after a clean"
        seg, ann = pending[0]
        fixed = seg.target[:ann.edit.start] + (ann.edit.after or "") + seg.target[ann.edit.end:]
        open_before = len(ws.annotations(seg.id, [EditState.SUGGESTED]))
    tree = etree.parse(str(out))
    for tu in tree.getroot().find("body").findall("tu"):
        props = {p.get("type"): p.text for p in tu.iter("prop")}
        if props.get("x-mtmend-position") == str(seg.position) and "x-mtmend-part" not in props:
            tuv = [t for t in tu.iter("tuv") if t.get(XML_LANG) == "en-US"][0]
            tuv.find("seg").text = fixed
            tuv.set("changeid", "linguist.li")
    tree.write(str(out), encoding="utf-8", xml_declaration=True)
    with Workspace.open(sample_workspace) as ws:
        assert import_tmx(ws, out).updated >= 1
        assert ws.segment(seg.id).target == fixed
        states = {a.id: a.state for a in ws.annotations(seg.id)}
        assert states[ann.id] is EditState.RESOLVED
        assert len(ws.annotations(seg.id, [EditState.SUGGESTED])) == open_before - 1
