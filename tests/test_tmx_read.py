"""TMX reading: the 27 files other tools wrote, and files written to attack the reader."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
from lxml import etree

from mtmend.corpus.errors import InputError
from mtmend.corpus.store import Workspace
from mtmend.tmx import langs
from mtmend.tmx.importing import import_tmx, pick
from mtmend.tmx.model import ImportSettings
from mtmend.tmx.reader import read_tmx
from mtmend.tmx.validate import validate_tmx
from mtmend.tmx.xmltext import strip_placeholders

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _samples(shared: Path) -> list[Path]:
    files = sorted((shared / "tmx" / "samples").glob("*.tmx"))
    assert len(files) == 27
    return files


def _independent(path: Path) -> list[list[tuple[str, str]]]:
    """Each unit's (language, visible text) by a whole-tree parse: the reference reading.

    Visible text = the seg's text without inline codes (bpt/ept/it/ph/ut and their sub
    content), keeping the text inside hi — what a translator sees.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(path), parser).getroot()

    def visible(element) -> str:
        out = element.text or "" if element.tag in ("seg", "hi") else ""
        for child in element:
            if child.tag == "hi":
                out += visible(child)
            out += child.tail or ""
        return out

    return [
        [(tuv.get(XML_LANG) or tuv.get("lang"), visible(tuv.find("seg"))) for tuv in tu.iter("tuv")]
        for tu in root.iter("tu")
    ]


def test_every_sample_reads_like_an_independent_whole_tree_parse(shared):
    for path in _samples(shared):
        expected = _independent(path)
        with read_tmx(path) as tmx:
            got = [[(v.lang, strip_placeholders(v.text)) for v in u.variants] for u in tmx.units()]
            assert tmx.header.srclang, path.name
        assert got == expected, path.name


# Spot checks on the tricky encodings and codes (texts read from the files by eye).
SPOT = {
    "omegat_ImportTest1F_utf16le.tmx": ("en-us", "en-gb", "à=agrave"),
    "omegat_ImportTest1G_utf16be.tmx": ("en-us", "en-gb", "à=agrave"),
    "omegat_ImportTest1H_usascii_ncr.tmx": ("en-us", "en-gb", "à=agrave"),
    "okapi_tmxtest-attributes_olifant_cp1252.tmx": ("en-US", "fr-FR", "Test char: &=amp, <=lt"),
    "omegat_test-SMP.tmx": ("en", "be", "𝐀𝐁𝐂"),
    "omegat433_project_save_en-zhCN.tmx": ("en-US", "zh-CN", '"'),
    "omegat_project_CN_JP_project_save.tmx": ("zh-CN", "ja-JP", "太平寺中的文笔塔"),
    "tico19_all.en-zh_EXCERPT300.tmx": ("en", "zh", "about how long have these"),
    "okapi_smallParagraph_wordcruncher_bom.tmx": ("en-US", "pt-BR", " 17 So shall ye say"),
}


@pytest.mark.parametrize("name", sorted(SPOT))
def test_source_and_target_by_the_language_rule(shared, name):
    source_lang, target_lang, source_start = SPOT[name]
    with read_tmx(shared / "tmx" / "samples" / name) as tmx:
        unit = next(iter(tmx.units()))
    source, sq = pick(unit.variants, source_lang)
    target, tq = pick(unit.variants, target_lang)
    assert source.text.startswith(source_start)
    assert target is not None and target is not source and target.text
    assert sq > langs.LangMatch.NONE and tq > langs.LangMatch.NONE


def test_zh_family_codes_map_onto_the_workspace_language():
    assert langs.match("ZH-CN", "zh-CN") is langs.LangMatch.EXACT
    assert langs.match("zh_CN", "zh-CN") is langs.LangMatch.EXACT
    for code in ("zh", "zh-Hans", "zh-Hans-CN"):
        assert langs.match(code, "zh-CN") is langs.LangMatch.FAMILY
    assert langs.match("ja-JP", "zh-CN") is langs.LangMatch.NONE


def test_inline_markup_survives_a_round_trip_through_the_writer(shared, tmp_path):
    from mtmend.tmx.writer import write_tmx

    source = shared / "tmx" / "samples" / "omegat_ImportTest2A_utf16le_inline.tmx"
    with read_tmx(source) as tmx:
        header, units = tmx.header, list(tmx.units())
    out = tmp_path / "again.tmx"
    with open(out, "wb") as handle:
        write_tmx(handle, header, units)
    with read_tmx(out) as tmx:
        again = list(tmx.units())
    assert [[v.text for v in u.variants] for u in again] == [[v.text for v in u.variants] for u in units]
    first = etree.parse(str(out)).find(".//seg")
    assert first.find("bpt") is not None  # markup written back as elements, not as text


@pytest.mark.parametrize("name,code", [
    ("okapi_confusion_sdlxliff2tmx.tmx", "no-target"),  # a tu with only the source
    ("okapi_aligned_same_lang_tuvs.tmx", "no-target"),  # both variants en
])
def test_broken_samples_import_with_a_precise_warning(shared, tmp_path, name, code):
    path = shared / "tmx" / "samples" / name
    with read_tmx(path) as tmx:
        srclang = tmx.header.srclang
    target = "de"
    with Workspace.open(tmp_path / "ws", create=True) as ws:
        report = import_tmx(ws, path, ImportSettings(source_lang=srclang, target_lang=target))
    assert report.skipped >= 1 and report.new_segments == 0
    messages = [i.message for i in report.issues if i.code == code]
    assert messages and "line" in messages[0] and str(path) in messages[0]


def test_odd_case_codes_import_exactly(shared, tmp_path):
    path = shared / "tmx" / "samples" / "omegat_ImportTest1B_oddcase_lang.tmx"  # eN-uS, fR-Ca
    with Workspace.open(tmp_path / "ws", create=True) as ws:
        report = import_tmx(ws, path, ImportSettings(source_lang="en-US", target_lang="fr-CA"))
        seg = next(ws.all_segments())
    assert (report.new_segments, report.skipped, report.issues) == (1, 0, ())
    assert (seg.source, seg.target) == ("Text of the segment", "Texte du segment")


def test_invalid_samples_fail_validation_with_the_reason(shared):
    samples = shared / "tmx" / "samples"
    cases = {
        "omegat_invalid_unpaired_bpt.tmx": "bpt-ept",
        "okapi_aligned_same_lang_tuvs.tmx": "dtd",
        "okapi_html_test_trados_tw4win_utf16le.tmx": "dtd",
        "omegat433_project_save_en-zhCN.tmx": "dtd",
    }
    for name, code in cases.items():
        codes = {f.code for f in validate_tmx(samples / name) if f.error}
        assert code in codes, name
    assert [f for f in validate_tmx(samples / "matecat_exampleForTestOriginal.tmx") if f.error] == []


# ------------------------------------------------------------------ hostile input

def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BODY = ('<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
        'adminlang="en" srclang="zh-CN" datatype="plaintext"/><body><tu><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv>'
        '<tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu></body></tmx>')


def test_xxe_reading_a_local_file_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    path = _write(tmp_path, "xxe.tmx", f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
                  + BODY.format(zh="你好", en="&xxe;"))
    with pytest.raises(InputError, match="refused: the DOCTYPE declares entities") as caught:
        with read_tmx(path) as tmx:
            list(tmx.units())
    assert "TOP-SECRET" not in str(caught.value) and ":2:" in str(caught.value)
    with Workspace.open(tmp_path / "ws", create=True) as ws:
        with pytest.raises(InputError):
            import_tmx(ws, path)
        assert ws.documents() == []  # nothing imported


def test_billion_laughs_is_refused(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
    )
    path = _write(tmp_path, "lol.tmx", f"<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [{entities}]>\n"
                  + BODY.format(zh="你好", en="&lol9;"))
    with pytest.raises(InputError, match="entity-expansion"):
        read_tmx(path)
    assert any(f.code == "refused" and f.error for f in validate_tmx(path))


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY remote "FETCHED">')

    def log_message(self, *args):
        pass


def test_remote_dtd_is_never_fetched(tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/tmx14.dtd"
        path = _write(tmp_path, "remote.tmx", f'<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "{url}">\n'
                      + BODY.format(zh="你好", en="Hello"))
        with read_tmx(path) as tmx:
            units = list(tmx.units())
            issues = list(tmx.issues)
        assert [v.text for v in units[0].variants] == ["你好", "Hello"]
        assert any(i.code == "remote-dtd" and url in i.message for i in issues)
        uses = _write(tmp_path, "uses.tmx", f'<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "{url}">\n'
                      + BODY.format(zh="你好", en="&remote;"))
        with pytest.raises(InputError, match="undefined entity"):
            with read_tmx(uses) as tmx:
                list(tmx.units())
        validate_tmx(uses)
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.hits == []  # no request ever reached the server


def test_not_well_formed_reports_line_and_column(tmp_path):
    path = _write(tmp_path, "broken.tmx", '<?xml version="1.0"?>\n' + BODY.format(zh="你好", en="Fish & chips"))
    with pytest.raises(InputError, match=r"broken\.tmx:2:\d+: not well-formed XML"):
        with read_tmx(path) as tmx:
            list(tmx.units())
    finding = validate_tmx(path)[0]
    assert finding.code == "not-well-formed" and finding.line == 2 and "column" in finding.message


def test_not_a_tmx_is_refused(tmp_path):
    path = _write(tmp_path, "x.tmx", "<?xml version='1.0'?><xliff><file/></xliff>")
    with pytest.raises(InputError, match="not a TMX file"):
        read_tmx(path)
