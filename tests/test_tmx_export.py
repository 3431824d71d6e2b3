"""TMX export: DTD-valid on real and hostile text, forbidden characters, empty sides, ttk."""

from __future__ import annotations

import codecs
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from mtmend.corpus.errors import InputError
from mtmend.corpus.model import Status
from mtmend.corpus.store import NewSegment, Workspace
from mtmend.tmx.export import export_tmx, export_tmx_to_path
from mtmend.tmx.model import ExportMode, ExportSettings, InvalidChars, Segtype
from mtmend.tmx.reader import read_tmx
from mtmend.tmx.validate import validate_tmx
from mtmend.tmx.writer import iso_date, tmx_date
from tmx_helpers import assert_dtd_valid, shared_dtd, workspace_with

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

EXPORTS = [
    ExportSettings(),
    ExportSettings(mode=ExportMode.FULL),
    ExportSettings(segtype=Segtype.PARAGRAPH),
    ExportSettings(mode=ExportMode.FULL, encoding="utf-16"),
]


@pytest.mark.parametrize("settings_", EXPORTS, ids=lambda s: f"{s.mode}-{s.segtype}-{s.encoding}")
def test_sample_corpus_exports_are_dtd_valid_and_clean(sample_workspace, tmp_path, settings_):
    out = tmp_path / "samples.tmx"
    with Workspace.open(sample_workspace) as ws:
        report = export_tmx_to_path(ws, out, settings_)
        segments = list(ws.all_segments())
    assert report.units > 0
    assert_dtd_valid(out)
    assert validate_tmx(out) == []  # nothing the DTD misses either, not even a warning
    root = etree.parse(str(out)).getroot()
    header = root.find("header")
    assert root.get("version") == "1.4"
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attr), attr
    assert header.get("segtype") == settings_.segtype.value
    assert header.get("srclang") == "zh-CN"
    assert not root.xpath("//@lang")  # xml:lang only, never TMX 1.1's lang
    assert {t.get(XML_LANG) for t in root.iter("tuv")} == {"zh-CN", "en-US"}
    for prop in root.iter("prop"):
        assert prop.get("type").startswith("x-mtmend-")
    if settings_.mode is ExportMode.FULL:  # an archive: one unit per segment (clean units follow CAT rules)
        assert report.units + report.skipped_empty == len(segments)
    if settings_.encoding == "utf-16":
        assert out.read_bytes()[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def test_paragraph_units_restore_each_paragraph_of_the_article(sample_workspace, tmp_path):
    from conftest import SAMPLE_DOCS, SAMPLES

    out = tmp_path / "para.tmx"
    with Workspace.open(sample_workspace) as ws:
        export_tmx_to_path(ws, out, ExportSettings(segtype=Segtype.PARAGRAPH))
    paragraphs = set()
    for doc in SAMPLE_DOCS:
        text = (SAMPLES / f"{doc}.zh.txt").read_text(encoding="utf-8")
        paragraphs |= {p.strip() for p in text.split("\n\n") if p.strip()}
    with read_tmx(out) as tmx:
        sources = [u.variants[0].text for u in tmx.units()]
    assert len(sources) == len(paragraphs) or set(sources) == paragraphs
    assert set(sources) <= paragraphs
    assert any("\n" in s for s in sources)  # the 003 byline + blurb keeps its line break


# U+E000/U+E001 are left out on purpose: they delimit inline-markup placeholders.
HOSTILE = st.lists(
    st.sampled_from(
        list("&<>\"']]>;#") + ["]]>", "\t", "\n", " ", "\u00a0", "😀", "𝐀", "\U00020000", "שלום", "مرحبا", "\u200f",
                                 "\u202e", "中文", "“”", "\x7f", "\x85", "\ufeff", "&amp;", "<seg>", "&#1;"]
    ),
    min_size=1,
    max_size=12,
).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(HOSTILE, HOSTILE), min_size=1, max_size=6))
def test_hostile_text_is_written_valid_and_read_back_exactly(tmp_path_factory, rows):
    rows = [(" " + zh + " ", en + "  ") for zh, en in rows]  # leading/trailing spaces too
    folder = tmp_path_factory.mktemp("hostile")
    ws = workspace_with(folder / "ws", rows)
    out = folder / "hostile.tmx"
    with ws:
        export_tmx_to_path(ws, out, ExportSettings(mode=ExportMode.FULL))
    assert_dtd_valid(out)
    with read_tmx(out) as tmx:
        got = [(u.variants[0].text, u.variants[1].text) for u in tmx.units()]
    # Lone private-use delimiters are not placeholders: they come back as written.
    assert got == rows


def test_forbidden_characters_are_reported_and_nothing_is_written(tmp_path):
    ws = workspace_with(tmp_path / "ws", [("第一句。", "First."), ("第二句。", "Sec\x01ond\x1b."), ("三。", "Th\uffferee")])
    out = tmp_path / "out.tmx"
    with ws, pytest.raises(InputError) as caught:
        export_tmx_to_path(ws, out, ExportSettings(mode=ExportMode.FULL))
    message = str(caught.value)
    assert "segment 1 target U+0001" in message and "segment 1 target U+001B" in message
    assert "segment 2 target U+FFFE" in message and "'doc'" in message
    assert "--invalid-chars replace" in message
    assert not out.exists() and list(tmp_path.glob("*.part")) == []


def test_forbidden_characters_replaced_on_request_and_reported(tmp_path):
    ws = workspace_with(tmp_path / "ws", [("第二句。", "Sec\x01ond.")])
    buffer = io.BytesIO()
    with ws:
        report = export_tmx(ws, buffer, ExportSettings(invalid_chars=InvalidChars.REPLACE))
    assert [(b.position, b.field, b.char) for b in report.replaced] == [(0, "target", "\x01")]
    assert "Sec\ufffdond." in buffer.getvalue().decode("utf-8")


def test_empty_sides_are_skipped_and_counted_in_clean_kept_one_sided_in_full(tmp_path):
    rows = [("有译文。", "Translated."), ("没有译文。", ""), ("", "Only English."), ("空白。", "   ")]
    ws = workspace_with(tmp_path / "ws", rows)
    with ws:
        clean = io.BytesIO()
        report = export_tmx(ws, clean, ExportSettings())
        full = tmp_path / "full.tmx"
        full_report = export_tmx_to_path(ws, full, ExportSettings(mode=ExportMode.FULL))
    assert (report.units, report.skipped_empty) == (1, 3)
    root = etree.fromstring(clean.getvalue())
    assert [s.text for s in root.iter("seg")] == ["有译文。", "Translated."]
    assert full_report.units == 4
    assert_dtd_valid(full)
    segs = [s.text for s in etree.parse(str(full)).iter("seg")]
    assert "" not in segs and None not in segs  # never an empty translation


def test_status_and_document_filters(sample_workspace, tmp_path):
    with Workspace.open(sample_workspace) as ws:
        docs = ws.documents()
        first = next(ws.segments(docs[0].id))
        with ws.transaction():
            ws.set_status(first.id, Status.REVIEWED)
        out = io.BytesIO()
        report = export_tmx(ws, out, ExportSettings(), [docs[0]], [Status.REVIEWED])
    assert report.units == 1
    root = etree.fromstring(out.getvalue())
    assert root.find("body/tu/tuv/seg").text == first.source


def test_translate_toolkit_reads_exports_in_the_right_languages(sample_workspace, tmp_path):
    tmx_storage = pytest.importorskip("translate.storage.tmx")
    out = tmp_path / "ttk.tmx"
    with Workspace.open(sample_workspace) as ws:
        export_tmx_to_path(ws, out, ExportSettings())
    with read_tmx(out) as tmx:  # the CAT units (beads cut and joined by CAT rules: see tmx.sentences)
        expected = [tuple(v.text for v in u.variants) for u in tmx.units()]
    assert len(expected) > 90
    with open(out, "rb") as handle:
        store = tmx_storage.tmxfile(handle)
    assert [(u.source, u.target) for u in store.units] == expected
    for unit in store.units:
        assert [n.get(XML_LANG) for n in unit.getlanguageNodes()] == ["zh-CN", "en-US"]


def test_dates_are_utc_tmx_form():
    assert tmx_date("2019-12-05T16:30:00+08:00") == "20191205T083000Z"
    assert iso_date(tmx_date("2024-02-29T23:59:59Z")) == "2024-02-29T23:59:59Z"
    assert iso_date("2019-12-05") is None


def test_packaged_dtd_is_the_reference(shared):
    from importlib import resources

    packaged = resources.files("mtmend.tmx").joinpath("tmx14.dtd").read_bytes()
    assert packaged == (shared / "tmx" / "tmx14.dtd").read_bytes()
    shared_dtd()


def test_sentence_units_never_pair_chinese_with_english_from_another_bead(tmp_path):
    # One paragraph (segments separated by line breaks, as a TSV import makes them): an
    # addition (English only) before an omission (Chinese only), and an omission that a CAT
    # tool joins with the next sentence (no 。 after it). Neither may lend its English to the
    # other's Chinese, nor pass a partial translation for a whole one.
    rows = [("有译文。", "Translated."), ("", "Only English."), ("没有译文。", ""),
            ("没有句号；", ""), ("接着的句子。", "The next sentence."), ("最后。", "Last.")]
    ws = Workspace.open(tmp_path / "ws", create=True)
    with ws:
        with ws.transaction():
            ws.add_document("doc", [NewSegment(para=0, source=zh, mt=en, sep="\n" if i else "")
                                    for i, (zh, en) in enumerate(rows)])
        out = io.BytesIO()
        export_tmx(ws, out, ExportSettings())
    units = [[s.text for s in tu.iter("seg")] for tu in etree.fromstring(out.getvalue()).iter("tu")]
    assert [zh for zh, _ in units if "没有" in zh] == []
    assert ["有译文。", "Translated."] in units and ["最后。", "Last."] in units
    assert all(en != "Only English." for _, en in units)
