"""A real CAT tool: OmegaT applies every unit of mtmend's TMX to the Chinese sample files.

The TMX is exported with ``--segtype paragraph`` (one unit per paragraph, line breaks
kept; see :mod:`mtmend.tmx.export` for why) and the OmegaT project segments by paragraph
(sentence segmentation off; the text filter's default makes each blank-line block one). OmegaT
auto-applies exact matches from ``tm/auto`` when it writes ``target/``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from conftest import SAMPLE_DOCS, SAMPLES
from mtmend.cli.main import main
from mtmend.corpus.split import split_zh
from mtmend.corpus.store import Workspace
from mtmend.tmx.export import export_tmx_to_path
from mtmend.tmx.model import ExportSettings, Segtype
from mtmend.tmx.reader import read_tmx

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>zh-CN</source_lang>
    <target_lang>en-US</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def _omegat_or_skip() -> str:
    java = shutil.which("java")
    if java is None or not OMEGAT_JAR.is_file():
        pytest.skip("OmegaT not installed (apt-get install -y omegat; .ci/run installs it)")
    return java


def test_omegat_applies_every_exported_unit(sample_workspace, tmp_path):
    java = _omegat_or_skip()
    project = tmp_path / "omegat project"  # a space in the path, as users have
    for folder in ("source", "tm/auto", "omegat", "glossary", "target"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    for doc in SAMPLE_DOCS:
        shutil.copyfile(SAMPLES / f"{doc}.zh.txt", project / "source" / f"{doc}.utf8")
    tmx_path = project / "tm" / "auto" / "mtmend.tmx"
    with Workspace.open(sample_workspace) as ws:
        report = export_tmx_to_path(ws, tmx_path, ExportSettings(segtype=Segtype.PARAGRAPH))
    assert report.units > 0

    units: dict[str, dict[str, str]] = {doc: {} for doc in SAMPLE_DOCS}
    count = 0
    with read_tmx(tmx_path) as tmx:
        for unit in tmx.units():
            source, target = (v.text for v in unit.variants)
            # A repeated line ("热门搜索关键词" twice) must carry the same English, or the check blurs.
            assert units[unit.prop("x-mtmend-document")].setdefault(source, target) == target
            count += 1
    assert count == report.units

    result = subprocess.run(
        [java, "-Djava.library.path=/usr/lib/jni", "-jar", str(OMEGAT_JAR), "--mode=console-translate",
         f"--config-dir={tmp_path / 'config'}", "--disable-project-locking", str(project)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Reading TMX file" in result.stdout + result.stderr  # it did load our memory

    applied = 0
    for doc in SAMPLE_DOCS:
        # OmegaT's text filter makes each blank-line block one paragraph segment.
        source_paras = (SAMPLES / f"{doc}.zh.txt").read_text(encoding="utf-8").split("\n\n")
        target_paras = (project / "target" / f"{doc}.utf8").read_text(encoding="utf-8").split("\n\n")
        assert len(target_paras) == len(source_paras)
        used = set()
        for zh, out in zip(source_paras, target_paras, strict=True):
            zh, out = zh.strip("\n"), out.strip("\n")
            if zh in units[doc]:
                assert out == units[doc][zh], f"{doc}: OmegaT did not apply the unit for {zh[:30]!r}"
                used.add(zh)
                applied += 1
        missing = set(units[doc]) - used
        assert not missing, f"{doc}: units whose source is no paragraph of the file: {sorted(missing)[:3]}"
    assert applied == report.units  # every exported unit landed on its paragraph


# An article of our own with the damage CAT matching stumbles on: the MT glued two
# English sentences in two places ("agreements.During", "ready.The"), so their beads
# each join two Chinese sentences; and it left out a sentence (OMITTED), which the
# aligner puts in a bead with its neighbour.
GLUED_ZH = """数字经济论坛在杭州开幕。

本届论坛吸引了来自二十多个国家的代表。与会企业签署了十二项合作协议。论坛期间还举办了三场专题讲座。

组织者表示，明年的论坛将在海口举行。场馆已经准备就绪。主办方还将在三月发布一份行业报告。

会议期间，代表们参观了当地的科技园区。他们对园区的创新氛围印象深刻。下一届会议的日期将在年底公布。
"""
GLUED_EN = """Digital Economy Forum Opens in Hangzhou.

The forum attracted representatives from more than 20 countries. Participating companies signed 12 cooperation agreements.During the forum, three special lectures were also held.

The organizers said next year's forum will be held in Haikou. The venue is already ready.The organizers will also release an industry report in March.

During the meeting, delegates visited the local science park. The date of the next meeting will be announced at the end of the year.
"""
OMITTED = "他们对园区的创新氛围印象深刻。"
CJK = re.compile(r"[\u3400-\u9fff]")

# Merged titles: a headline (no full stop on either side) on a line of its own in the Chinese,
# which the MT wrote on one line with what follows, so the aligner joins them in one bead.
# Here the title, the "来源" line and the first sentence share one English line.
HEADLINE_ZH = """区块链产业园在海口揭牌

来源：海南日报

本月十日，海南生态软件园的区块链产业园正式揭牌。首批入驻的三十家企业来自北京、上海和深圳。

园区负责人表示，园区将为企业提供办公场地和技术支持。预计到明年底，入驻企业将超过一百家。
"""
HEADLINE_EN = """Blockchain Industrial Park Unveiled in Haikou Source: Hainan Daily On the 10th of this month, the blockchain industrial park of Hainan Ecological Software Park was officially unveiled. The first 30 companies to settle in come from Beijing, Shanghai and Shenzhen.

The person in charge of the park said that the park will provide companies with office space and technical support. It is expected that by the end of next year, the number of companies in the park will exceed 100.
"""

# A title the MT ended with a full stop (the Chinese has none) and glued, with the byline (a line
# of the first paragraph), onto the first sentence: one English line for three Chinese lines.
STOPPED_ZH = """杭州发布区块链产业扶持政策

记者 张明
杭州市政府近日发布了区块链产业扶持政策。政策提出，到二〇二二年培育十家龙头企业。

市金融办表示，将设立专项基金支持区块链技术研发。
"""
STOPPED_EN = """Hangzhou Releases Blockchain Industry Support Policy. Reporter Zhang Ming. The Hangzhou Municipal Government recently released a blockchain industry support policy. The policy proposes to cultivate 10 leading companies by 2022.

The Municipal Financial Office said it will set up a special fund to support blockchain technology research and development.
"""


def _sample_with_merged_title(doc: str, title: int) -> tuple[str, str]:
    """A sample article whose English title paragraph the MT glued onto the next English line."""
    paras = (SAMPLES / f"{doc}.txt").read_text(encoding="utf-8").split("\n\n")
    paras[title: title + 2] = [paras[title] + " " + paras[title + 1]]
    return (SAMPLES / f"{doc}.zh.txt").read_text(encoding="utf-8"), "\n\n".join(paras)


def _import_articles(ws: Path, folder: Path, articles: dict[str, tuple[str, str]]) -> dict[str, Path]:
    """Import each (Chinese, English) article under its name; the Chinese files by name."""
    sources = {}
    for name, (zh, en) in articles.items():
        sources[name], en_path = folder / f"{name}.zh.txt", folder / f"{name}.txt"
        sources[name].write_text(zh, encoding="utf-8")
        en_path.write_text(en, encoding="utf-8")
        assert main(["-w", str(ws), "import", str(sources[name]), str(en_path)]) == 0
    return sources


def _titled_beads(ws: Path, name: str) -> list[str]:
    """The Chinese of the beads that cross a Chinese paragraph break (a merged title)."""
    with Workspace.open(ws) as workspace:
        return [s.source for s in workspace.segments(workspace.document(name).id) if "\n\n" in s.source]


def _omegat_default_settings(java: str, ws: Path, sources: dict[str, Path], tmp_path: Path) -> tuple[int, int, list[str]]:
    """Clean, export the default TMX into ``tm/auto`` of an OmegaT project on default settings
    (sentence segmentation on) whose source files are ``sources``, let OmegaT translate.

    Returns the Chinese sentences with English in the workspace that OmegaT translated, how
    many there are, and where Chinese with English was left in OmegaT's target files."""
    project = tmp_path / "default project"
    for folder in ("source", "tm/auto", "omegat", "glossary", "target"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT.replace("<sentence_seg>false", "<sentence_seg>true"), encoding="utf-8")
    shutil.copyfile(SAMPLES / "glossary.tsv", ws / "glossary.tsv")
    assert main(["-w", str(ws), "clean"]) == 0
    assert main(["-w", str(ws), "export", "-o", str(project / "tm" / "auto" / "mtmend.tmx")]) == 0
    for doc, path in sources.items():
        shutil.copyfile(path, project / "source" / f"{doc}.utf8")
    with Workspace.open(ws) as workspace:
        bare = {doc.name: [s.source for s in workspace.segments(doc.id) if not s.target.strip()]
                for doc in workspace.documents()}
    result = subprocess.run(
        [java, "-Djava.library.path=/usr/lib/jni", "-jar", str(OMEGAT_JAR), "--mode=console-translate",
         f"--config-dir={tmp_path / 'config'}", "--disable-project-locking", str(project)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    total = translated = 0
    untranslated = []
    for doc, path in sources.items():
        target = (project / "target" / f"{doc}.utf8").read_text(encoding="utf-8")
        without_english = [*bare[doc], OMITTED]  # Chinese without English stays Chinese: nothing to translate it with
        left = target
        for source in without_english:
            left = left.replace(source, "")
        if found := CJK.search(left):
            untranslated.append(f"{doc}: {left[max(0, found.start() - 20):][:80]!r}")
        # the same, counted in Chinese sentences (the figure the README gives)
        with_english = [z for z in split_zh(path.read_text(encoding="utf-8"))
                        if CJK.search(z) and not any(z in source for source in without_english)]
        total += len(with_english)
        translated += sum(1 for z in with_english if z not in target)
    print(f"OmegaT 3.6, default settings: {translated}/{total} Chinese sentences with English translated")
    return translated, total, untranslated


def test_omegat_default_settings_translate_every_sentence_with_english(sample_workspace, tmp_path):
    """Sentence segmentation on (OmegaT's default) and the default TMX export: no Chinese
    sentence that has English in the workspace is left untranslated, over the sample corpus,
    an article with glued sentences and an omitted one, and one with a merged title."""
    java = _omegat_or_skip()
    sources = {doc: SAMPLES / f"{doc}.zh.txt" for doc in SAMPLE_DOCS} | _import_articles(
        sample_workspace, tmp_path, {"forum": (GLUED_ZH, GLUED_EN), "headline": (HEADLINE_ZH, HEADLINE_EN)})
    with Workspace.open(sample_workspace) as workspace:
        glued = [s for s in workspace.segments(workspace.document("forum").id) if "。" in s.source[:-1]]
    # the two glued beads and the omission's bead are there to be cut
    assert len(glued) == 3 and any(s.source.startswith(OMITTED) for s in glued)
    # the title and the "来源" line are in a bead with the first sentence, their paragraph breaks kept
    titled = _titled_beads(sample_workspace, "headline")
    assert len(titled) == 1 and titled[0].startswith("区块链产业园在海口揭牌\n\n来源：海南日报\n\n本月十日，")

    translated, total, untranslated = _omegat_default_settings(java, sample_workspace, sources, tmp_path)
    assert not untranslated, f"untranslated Chinese left: {untranslated}"
    assert translated == total and total > 100, (translated, total)


def test_omegat_default_settings_translate_samples_with_merged_titles(tmp_path):
    """The sample articles again, each with its English title glued by the MT onto the next
    English line (000: onto "Source: …"; 003: onto the byline over the first sentence), in
    a workspace of their own (the sample corpus's units would translate the same Chinese)."""
    java = _omegat_or_skip()
    ws = tmp_path / "ws"
    articles = {f"{doc}-merged-title": _sample_with_merged_title(doc, title)
                for doc, title in zip(SAMPLE_DOCS, (0, 2), strict=True)}
    sources = _import_articles(ws, tmp_path, articles | {"stopped": (STOPPED_ZH, STOPPED_EN)})
    assert all(len(_titled_beads(ws, name)) == 1 for name in articles)

    translated, total, untranslated = _omegat_default_settings(java, ws, sources, tmp_path)
    assert not untranslated, f"untranslated Chinese left: {untranslated}"
    assert translated == total and total > 80, (translated, total)


def test_omegat_translates_our_xliff_from_our_tmx(sample_workspace, tmp_path):
    """The XLIFF as an OmegaT source file (targets pre-filled with the source, as CAT tools
    prepare it), the default TMX in tm/auto, default settings: OmegaT's target file holds
    exactly our targets."""
    java = _omegat_or_skip()
    project = tmp_path / "xliff project"
    for folder in ("source", "tm/auto", "omegat", "glossary", "target"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT.replace("<sentence_seg>false", "<sentence_seg>true"), encoding="utf-8")
    ws = str(sample_workspace)
    shutil.copyfile(SAMPLES / "glossary.tsv", sample_workspace / "glossary.tsv")
    assert main(["-w", ws, "clean"]) == 0
    ours = tmp_path / "ours.xlf"
    assert main(["-w", ws, "export", "-o", str(ours), "--format", "xliff"]) == 0
    assert main(["-w", ws, "export", "-o", str(project / "tm" / "auto" / "mtmend.tmx")]) == 0
    tree = etree.parse(str(ours))
    for unit in tree.iter(XLIFF + "trans-unit"):
        for child in [c for c in unit if c.tag != XLIFF + "source"]:
            unit.remove(child)
        target = etree.SubElement(unit, XLIFF + "target")
        target.text = unit.find(XLIFF + "source").text
    tree.write(str(project / "source" / "samples.xlf"), encoding="utf-8", xml_declaration=True)

    result = subprocess.run(
        [java, "-Djava.library.path=/usr/lib/jni", "-jar", str(OMEGAT_JAR), "--mode=console-translate",
         f"--config-dir={tmp_path / 'config'}", "--disable-project-locking", str(project)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    expected, got = _targets(ours), _targets(project / "target" / "samples.xlf")
    assert expected.keys() == got.keys()
    translatable = {k: v for k, v in expected.items() if v.strip()}  # an empty target: nothing to translate with
    assert len(translatable) > 100 and {k: got[k] for k in translatable} == translatable


XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"


def _targets(path: Path) -> dict[tuple[str, str], str]:
    tree = etree.parse(str(path))
    return {(f.get("original"), u.get("id")): "".join(u.find(XLIFF + "target").itertext())
            for f in tree.iter(XLIFF + "file") for u in f.iter(XLIFF + "trans-unit")}
