"""A real CAT tool: OmegaT applies every unit of mtmend's TMX to the Chinese sample files.

The TMX is exported with ``--segtype paragraph`` (one unit per paragraph, line breaks
kept; see :mod:`mtmend.tmx.export` for why) and the OmegaT project segments by paragraph
(sentence segmentation off; the text filter's default makes each blank-line block one). OmegaT
auto-applies exact matches from ``tm/auto`` when it writes ``target/``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SAMPLE_DOCS, SAMPLES
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
