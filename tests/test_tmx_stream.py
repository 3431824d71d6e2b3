"""The fast streaming paths: the writer's reused unit subtrees, the reader's short paths.

The writer refills one ``tu`` subtree per unit shape instead of streaming each element;
these tests hold it to the plain streaming form (every element written with nested
``xmlfile.element``, as lxml's documentation shows) byte for byte, on real sample text
made hostile, in every shape a unit can take. The reader's short paths (a unit with a
``tuid`` only, variants with a language only) must read what the writer wrote exactly.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtmend.corpus.errors import InputError
from mtmend.tmx import writer
from mtmend.tmx.export import export_tmx
from mtmend.tmx.model import ExportSettings, Header, InvalidChars, Prop, Unit, Variant
from mtmend.tmx.reader import read_tmx
from mtmend.tmx.xmltext import CLOSE, OPEN, seg_element

from tmx_helpers import SAMPLES, workspace_with

HEADER = Header(srclang="zh-CN", segtype="sentence", creationtool="mtmend", creationtoolversion="test",
                datatype="plaintext", adminlang="en-US", o_tmf="mtmend", creationid="tester")


def _sample_lines() -> list[str]:
    """Real text: the first lines of the sample corpus, Chinese and English."""
    lines = [line.strip() for path in sorted(SAMPLES.glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
    return [line for line in lines if line][:60]


LINES = _sample_lines()
if len(LINES) < 10:
    pytest.skip("sample corpus not available (corpus/samples/*.txt)", allow_module_level=True)
HOSTILE = ["&", "<", ">", "]]>", "\r", "\t", "\n", "😀", "𠀋", "שלום", "\u202e", " ", '"', "'", "&amp;"]
MARKUP = [OPEN + '<ph x="1">&lt;br/&gt;</ph>' + CLOSE, OPEN + '<bpt i="1">&lt;b&gt;</bpt>' + CLOSE + "b"
          + OPEN + '<ept i="1">&lt;/b&gt;</ept>' + CLOSE, OPEN + '<hi type="em">' + CLOSE + "hi" + OPEN + "</hi>" + CLOSE]
ATTRS = st.none() | st.sampled_from(["", "alice", "20191205T083000Z", "a&b<c"])
TEXT = st.builds(lambda line, cut, extra: line[:cut] + extra + line[cut:],
                 st.sampled_from(LINES), st.integers(0, 40), st.sampled_from([""] + HOSTILE + MARKUP))
PROPS = st.lists(st.builds(Prop, st.sampled_from(["x-mtmend-document", "x-mtmend-status", "x-a&b", "type"]),
                           TEXT | st.just("")), max_size=3).map(tuple)
NOTES = st.lists(TEXT | st.just(""), max_size=2).map(tuple)
VARIANT = st.builds(Variant, st.sampled_from(["zh-CN", "en-US", "zh", "EN_gb"]), TEXT | st.just(""), PROPS, st.just(()),
                    ATTRS, ATTRS, ATTRS, ATTRS)
UNIT = st.builds(Unit, st.lists(VARIANT, min_size=0, max_size=3).map(tuple), PROPS, NOTES,
                 ATTRS, ATTRS, ATTRS, ATTRS, ATTRS, ATTRS)


def _plain(units: list[Unit], encoding: str) -> bytes:
    """The reference: every element streamed on its own, nested ``xf.element`` calls."""
    from lxml import etree

    out = io.BytesIO()
    with etree.xmlfile(out, encoding=encoding) as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n", writer._header_element(HEADER), "\n")
            with xf.element("body"):
                xf.write("\n")
                for unit in units:
                    attrs = {k: getattr(unit, k) for k in ("tuid", "srclang", "creationid", "creationdate",
                                                             "changeid", "changedate") if getattr(unit, k)}
                    with xf.element("tu", attrs):
                        for note in unit.notes:
                            with xf.element("note"):
                                xf.write(note)
                        for prop in unit.props:
                            with xf.element("prop", type=prop.type):
                                xf.write(prop.value)
                        for v in unit.variants:
                            vattrs = {"xml:lang": v.lang}
                            vattrs.update({k: getattr(v, k) for k in ("creationid", "creationdate", "changeid",
                                                                       "changedate") if getattr(v, k)})
                            with xf.element("tuv", vattrs):
                                for prop in v.props:
                                    with xf.element("prop", type=prop.type):
                                        xf.write(prop.value)
                                if OPEN in v.text:
                                    xf.write(seg_element(v.text))
                                else:
                                    with xf.element("seg"):
                                        xf.write(v.text)
                    xf.write("\n")
            xf.write("\n")
    return out.getvalue()


def _fast(units: list[Unit], encoding: str) -> bytes:
    out = io.BytesIO()
    assert writer.write_tmx(out, HEADER, units, encoding=encoding) == len(units)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units=st.lists(UNIT, min_size=1, max_size=8), encoding=st.sampled_from(writer.ENCODINGS))
def test_reused_subtrees_write_the_bytes_plain_streaming_writes(units, encoding):
    # Each shape twice in a row, then all again: refilled subtrees must not keep old values.
    units = [u for u in units for _ in (0, 1)] + units
    assert _fast(units, encoding) == _plain(units, encoding)


def test_more_shapes_than_the_cache_holds_still_write_the_same_bytes(monkeypatch):
    monkeypatch.setattr(writer._Stamps, "LIMIT", 2)
    units = [Unit((Variant("zh-CN", zh), Variant("en-US", LINES[-1 - i])), tuple(Prop(f"x-{k}", str(i)) for k in range(i % 5)),
                  tuid=str(i)) for i, zh in enumerate(LINES[:30])]
    assert _fast(units, "utf-8") == _plain(units, "utf-8")


def test_a_shared_prop_value_is_not_lost_between_shapes():
    shared = Prop("x-mtmend-document", LINES[0])
    units = [Unit((Variant("zh-CN", LINES[1]),), (shared,), tuid="1"),
             Unit((Variant("zh-CN", LINES[2]),), (Prop("x-mtmend-document", LINES[3]),), tuid="2"),
             Unit((Variant("zh-CN", LINES[4]),), (shared,), tuid="3")]
    assert _fast(units, "utf-8") == _plain(units, "utf-8")


def test_broken_markup_names_the_unit():
    units = [Unit((Variant("en-US", "ok"),), tuid="a"), Unit((Variant("en-US", "x" + OPEN + "<hi>" + CLOSE),), tuid="b")]
    with pytest.raises(ValueError, match="unit b: broken inline-markup placeholder"):
        _fast(units, "utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(units=st.lists(UNIT.filter(lambda u: u.variants), min_size=1, max_size=6))
def test_reader_gives_back_what_the_writer_wrote(units, tmp_path):
    path = tmp_path / "units.tmx"
    path.write_bytes(_fast(units, "utf-8"))
    with read_tmx(path) as tmx:
        got = list(tmx.units())
    # What a file cannot tell apart: an empty attribute is not written, so it reads as absent.
    def norm(u: Unit) -> tuple:
        none = lambda v: v or None  # noqa: E731
        return (tuple((v.lang, v.text, v.props, none(v.creationid), none(v.changeid), none(v.creationdate),
                       none(v.changedate)) for v in u.variants),
                u.props, u.notes, none(u.tuid), none(u.srclang), none(u.creationid), none(u.changeid),
                none(u.creationdate), none(u.changedate))
    assert [norm(u) for u in got] == [norm(u) for u in units]
    assert all(u.line > 0 for u in got)


def test_units_before_a_syntax_error_are_read_then_the_error_names_its_line(tmp_path):
    good = "".join(f'<tu tuid="{i}"><tuv xml:lang="zh-CN"><seg>{LINES[i]}</seg></tuv></tu>\n' for i in range(3))
    path = tmp_path / "cut.tmx"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-CN"/><body>\n'
                    + good + '<tu><tuv xml:lang="zh-CN"><seg>a & b</seg></tuv></tu>\n</body></tmx>', "utf-8")
    seen = []
    with pytest.raises(InputError, match=r"cut\.tmx:6:\d+: not well-formed XML"):
        with read_tmx(path) as tmx:
            for unit in tmx.units():
                seen.append(unit.variants[0].text)
    assert seen == [LINES[0], LINES[1], LINES[2]]


def test_tmx_1_1_lang_and_several_attributes_take_the_long_path(tmp_path):
    path = tmp_path / "old.tmx"
    path.write_text('<?xml version="1.0"?>\n<tmx version="1.1"><header srclang="zh-CN"/><body>\n'
                    '<tu tuid="7" creationid="bob" changedate="20200101T000000Z"><prop type="t" xml:lang="en">v</prop>'
                    '<tuv lang="ZH_cn" changeid="ann"><seg>' + LINES[0] + '</seg></tuv><tuv lang="en-US"><seg/></tuv>'
                    '</tu>\n</body></tmx>', "utf-8")
    with read_tmx(path) as tmx:
        (unit,) = tmx.units()
    assert (unit.tuid, unit.creationid, unit.changedate) == ("7", "bob", "20200101T000000Z")
    assert unit.props == (Prop("t", "v", "en"),)
    assert [(v.lang, v.text, v.changeid) for v in unit.variants] == [("ZH_cn", LINES[0], "ann"), ("en-US", "", None)]


def test_forbidden_character_in_a_document_name_is_reported_per_segment(tmp_path):
    ws = workspace_with(tmp_path / "ws", [("第一句。", "First."), ("第二句。", "Second.")], name="bad\x01name")
    with ws:
        report = export_tmx(ws, io.BytesIO(), ExportSettings(invalid_chars=InvalidChars.REPLACE))
    assert [(b.position, b.field, b.char) for b in report.replaced] == [(0, "document", "\x01"), (1, "document", "\x01")]
    assert report.units == 2
