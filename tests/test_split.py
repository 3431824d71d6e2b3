"""Sentence splitting, on real text: the MT sample articles, the MQM files, the Bible set.

Cases name a real text by a prefix (the text itself is read from its file, never copied
here) and list the sentence starts expected, or say the text must stay one sentence.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import pytest

from mtmend.corpus.split import split_en, split_zh

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SAMPLES = REPO / "corpus" / "samples"


def _need_data() -> None:
    if not DATA.is_dir():
        pytest.skip("../shared/data not available (only in CI / dev checkouts)")


@functools.cache
def _mqm_texts(column: str) -> tuple[str, ...]:
    texts = set()
    for path in sorted((DATA / "mqm").glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            for row in reader:
                texts.add(row[column].replace("<v>", "").replace("</v>", ""))
    return tuple(sorted(texts))


def _mqm(column: str, prefix: str) -> str:
    _need_data()
    for text in _mqm_texts(column):
        if text.startswith(prefix):
            return text
    raise LookupError(f"no MQM {column} starts with {prefix!r}")


def _bible(name: str, line: int) -> str:
    _need_data()
    return (DATA / "align" / "bible" / name).read_text(encoding="utf-8").splitlines()[line]


def _sample_paragraph(containing: str) -> str:
    for path in sorted(SAMPLES.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            if containing in paragraph:
                return paragraph
    raise LookupError(containing)


def _starts(sentences: list[str]) -> list[str]:
    return [s[:20] for s in sentences]


# --- English: must split (text, expected sentence starts) ---------------------------

EN_SAMPLE_SPLITS = [
    # MT damage: no space after the full stop ("initiative.Chinese"), split anyway
    (
        "think tank initiative.Chinese",
        ["The event not only a", "Chinese blockchain c", "Important agenda."],
    ),
    # a closing quote separated by a space ends up with its sentence
    ("accelerating digitalization. Transformation.", None),
    # question mark inside quotes, then a new paragraph line
    ("Q: What is “blockchain”?", ["Q: What is “blockchai"]),
    # an inverted attribution stays with its quotation, for the cleaner to join
    (
        'grow together." Said Farah',
        ['"At present we are in', "All parties need to ", "Malaysia has opened ", "She hopes that China"],
    ),
    # "Launched in March 2018." is a sentence of its own
    ("“8BTC Asks” is a video program", ["By Jia Xiaobie & Yan", "“8BTC Asks” is a vid", "Launched in March 20", "“8BTC Asks” focuses ", "Original video could"]),
]


@pytest.mark.parametrize(("containing", "expected"), EN_SAMPLE_SPLITS)
def test_split_en_samples(containing: str, expected: list[str] | None) -> None:
    sentences = split_en(_sample_paragraph(containing))
    if expected is not None:
        assert _starts(sentences) == [e[:20] for e in expected]
    assert all(s == s.strip() and s for s in sentences)


def test_split_en_keeps_stray_closing_quote() -> None:
    sentences = split_en(_sample_paragraph("accelerating digitalization. Transformation."))
    assert sentences[-1] == 'Transformation."'


MQM_EN_SPLITS = [
    # decimals, "U.S." before a capital, percentages: one sentence each
    ("According to the Taiwan authorities in charge of financial affairs announced", 1),
    ("A spy balloon from China was shot down near the coast of South Carolina", 1),
    ("A: On February 3, the U.S. Department of Labor announced the non-agricultural employment data for January 2023. New", 2),
    ("We stand on the earth and look up at the night sky.", 2),
]


@pytest.mark.parametrize(("prefix", "count"), MQM_EN_SPLITS)
def test_split_en_mqm(prefix: str, count: int) -> None:
    text = _mqm("target", prefix)
    sentences = split_en(text)
    assert len(sentences) == count, sentences
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "")


# --- English: must not split --------------------------------------------------------

EN_NO_SPLIT = [
    "Mr. Li met Dr. Wang and Prof. Zhang of Tsinghua Univ. in Beijing.",
    "The U.S. Department of Labor said so.",
    "It was written by J. R. R. Tolkien in 1937.",
    "Prices rose 3.5 per cent at 10.30 a.m. on Monday.",
    "Write to info@example.com or see www.Example.com and http://x.y/z.html today.",
    "Open file.Txt with version 2.0.1 of the tool.",
    "It ranked No. 5 among 20 firms, e.g. Apple Inc. and Huawei Co. Ltd. in Jan. 2019.",
    "Costs, travel, etc. Were all covered.",
]


@pytest.mark.parametrize("text", EN_NO_SPLIT)
def test_split_en_must_not_split(text: str) -> None:
    assert split_en(text) == [text]


EN_SPLIT = [
    ("1. Scope of the work. 2. Other matters.", ["1. Scope of the work.", "2. Other matters."]),
    ('He left in 2019. "Why?" she asked. Yes!', ["He left in 2019.", '"Why?" she asked.', "Yes!"]),
    ("He said no. Then he left.", ["He said no.", "Then he left."]),
    ('"Is it over?" Asked the reporter. Nobody knew.', ['"Is it over?" Asked the reporter.', "Nobody knew."]),
    ('"We will win." Said is a name.', ['"We will win."', "Said is a name."]),
    ("Headline without stop\nFirst line. Second line.", ["Headline without stop", "First line.", "Second line."]),
    ("", []),
    ("   \n\n  ", []),
]


@pytest.mark.parametrize(("text", "expected"), EN_SPLIT)
def test_split_en_table(text: str, expected: list[str]) -> None:
    assert split_en(text) == expected


# --- Chinese ------------------------------------------------------------------------

ZH_SPLIT = [
    ("他说：“你好。”然后走了！", ["他说：“你好。”", "然后走了！"]),
    ("真的吗？！对……好吧；走。", ["真的吗？！", "对……", "好吧；", "走。"]),
    ("《标题》\n第一句。第二句（注释。）", ["《标题》", "第一句。", "第二句（注释。）"]),
    ("她说：「走吧。」", ["她说：「走吧。」"]),
    ("逗号，顿号、冒号：都不断句", ["逗号，顿号、冒号：都不断句"]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), ZH_SPLIT)
def test_split_zh_table(text: str, expected: list[str]) -> None:
    assert split_zh(text) == expected


MQM_ZH_SPLITS = [
    # two sentences, the second a quoted question ending in ？”
    ("它们或许会说，“我有些花蜜。你想来拿点么？”", ["它们或许会说，“我有些花蜜。", "你想来拿点么？”"]),
]


@pytest.mark.parametrize(("prefix", "expected"), MQM_ZH_SPLITS)
def test_split_zh_mqm(prefix: str, expected: list[str]) -> None:
    assert split_zh(_mqm("source", prefix)) == expected


@pytest.mark.parametrize(("line", "count"), [(0, 1), (87, 1), (100, 1)])
def test_split_zh_bible_lines_are_sentences(line: int, count: int) -> None:
    assert len(split_zh(_bible("zh.txt", line))) == count


@pytest.mark.parametrize("line", [0, 62, 70, 72])
def test_split_en_bible_lines_are_sentences(line: int) -> None:
    text = _bible("en.txt", line)
    assert split_en(text) == [text]


def test_split_functions_are_fast() -> None:
    """No timing here (not in pytest): just a large input that must not blow up."""
    text = "第一句。第二句！" * 2000
    assert len(split_zh(text)) == 4000
    assert len(split_en("One sentence here. " * 2000)) == 2000
