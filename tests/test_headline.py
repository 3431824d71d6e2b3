"""Merged titles: a Chinese headline line whose English the MT glued onto the next line.

On real text: every headline paragraph of the sample articles (titles, "来源：" lines,
section heads, image captions) glued onto the English paragraph after it, as MT does.
"""

from __future__ import annotations

import pytest

from conftest import SAMPLE_DOCS, SAMPLES
from mtmend.corpus.headline import headline_cut, is_headline
from mtmend.corpus.importer import build_segments
from mtmend.corpus.model import Segment, Status
from mtmend.tmx.sentences import cat_units, pieces_of


def _paragraphs(doc: str) -> tuple[list[str], list[str]]:
    zh = (SAMPLES / f"{doc}.zh.txt").read_text(encoding="utf-8").split("\n\n")
    en = (SAMPLES / f"{doc}.txt").read_text(encoding="utf-8").split("\n\n")
    assert len(zh) == len(en)
    return zh, en


def _sample_headlines() -> list[tuple[str, str, str, str]]:
    """(headline, next Chinese paragraph, its English, the next English paragraph)."""
    found = []
    for doc in SAMPLE_DOCS:
        zh, en = _paragraphs(doc)
        found += [(zh[i], zh[i + 1], en[i], en[i + 1]) for i in range(len(zh) - 1) if is_headline(zh[i])]
    return found


def test_the_samples_have_headlines_of_every_kind():
    heads = [head for head, *_ in _sample_headlines()]
    assert len(heads) >= 8
    assert any(h.startswith("来源：") for h in heads) and any("：" in h and not h.startswith("来源") for h in heads)


@pytest.mark.parametrize("head,rest,head_en,rest_en", _sample_headlines(), ids=lambda v: v[:12])
def test_a_headline_glued_onto_the_next_paragraph_is_cut_where_it_ended(head, rest, head_en, rest_en):
    en = f"{head_en} {rest_en}"
    assert headline_cut(head, rest, en) == (len(head_en), len(head_en) + 1)


def test_a_line_break_wins_over_an_equally_good_space():
    head, rest, head_en, rest_en = _sample_headlines()[0]
    en = f"{head_en}\n{rest_en}"
    assert headline_cut(head, rest, en) == (len(head_en), len(head_en) + 1)


@pytest.mark.parametrize("which", ["title only", "rest only"])
def test_nothing_is_cut_when_the_english_translates_one_side_only(which):
    zh, en = _paragraphs(SAMPLE_DOCS[0])
    # the MT left out the sentence after the title, or the title itself
    text = {"title only": en[0], "rest only": en[2]}[which]
    assert headline_cut(zh[0], zh[2], text) is None


@pytest.mark.parametrize("en", ["", "Forum", "forum opens in hangzhou the forum attracted guests.",
                                "Digital Economy Forum Opens in Hangzhou the", "\n\n  \t", "2019 2020 2021"])
def test_hostile_english_is_not_cut(en):
    assert headline_cut("数字经济论坛在杭州开幕", "本届论坛吸引了来自二十多个国家的代表。", en) is None


@pytest.mark.parametrize("head,rest", [("", "本届论坛吸引了代表。"), ("数字经济论坛在杭州开幕", ""), ("的了", "本届论坛。")])
def test_chinese_without_units_is_not_cut(head, rest):
    assert headline_cut(head, rest, "Digital Economy Forum Opens in Hangzhou The forum attracted guests.") is None


def test_is_headline_on_the_sample_lines():
    zh, _ = _paragraphs(SAMPLE_DOCS[1])
    lines = [line for para in zh for line in para.split("\n")]
    assert {line for line in lines if is_headline(line)} >= {"热门搜索关键词", "作者：贾小别 & 杨佳伦"}
    assert not any(is_headline(line) for line in lines if line.endswith(("。", "？", "！", "。”")))
    assert not is_headline("") and not is_headline(" \n")


def _merged(doc: str, title: int) -> tuple[str, str, str]:
    """The sample article with its English title glued onto the next English paragraph."""
    zh, en = _paragraphs(doc)
    merged = en[:title] + [f"{en[title]} {en[title + 1]}"] + en[title + 2:]
    return "\n\n".join(zh), "\n\n".join(merged), en[title]


@pytest.mark.parametrize("doc,title", list(zip(SAMPLE_DOCS, (0, 2), strict=True)))
def test_merged_title_bead_keeps_the_chinese_paragraph_break_and_is_cut_back(doc, title):
    zh_text, en_text, title_en = _merged(doc, title)
    zh, en = _paragraphs(doc)
    segments = build_segments(zh_text, en_text)
    joined = [s for s in segments if "\n\n" in s.source]
    assert len(joined) == 1
    # the Chinese as it stands in the article, paragraph break kept; the English as the MT wrote it
    assert joined[0].source.startswith(f"{zh[title]}\n\n{zh[title + 1].split(chr(10))[0]}")
    assert "\n" not in joined[0].mt and joined[0].mt.startswith(title_en + " ")
    assert "".join(s.sep + s.mt for s in segments if s.para == title) == en_text.split("\n\n")[title]

    seg = Segment(1, 1, 0, joined[0].para, joined[0].source, joined[0].mt, joined[0].mt, Status.RAW)
    pieces = pieces_of(seg)
    assert (pieces[0].source, pieces[0].target) == (zh[title], title_en)
    units = [(u.source, u.target) for u in cat_units([seg])]
    assert (zh[title], title_en) in units
    # every unit lies within one Chinese paragraph (CAT tools always break between paragraphs)
    assert all("\n\n" not in source for source, _ in units)


def test_three_headline_lines_on_one_english_line_are_cut_in_three():
    zh = "区块链产业园在海口揭牌\n\n来源：海南日报\n\n本月十日，海南生态软件园的区块链产业园正式揭牌。"
    en = ("Blockchain Industrial Park Unveiled in Haikou Source: Hainan Daily On the 10th of this month, "
          "the blockchain industrial park of Hainan Ecological Software Park was officially unveiled.")
    seg = Segment(1, 1, 0, 0, zh, en, en, Status.RAW)
    assert [(p.source, p.target) for p in pieces_of(seg)] == [
        ("区块链产业园在海口揭牌", "Blockchain Industrial Park Unveiled in Haikou"),
        ("来源：海南日报", "Source: Hainan Daily"),
        ("本月十日，海南生态软件园的区块链产业园正式揭牌。", en[67:]),
    ]


def test_a_headline_the_english_does_not_translate_keeps_the_bead_whole():
    zh = "区块链产业园在海口揭牌\n\n本月十日，海南生态软件园的区块链产业园正式揭牌。"
    en = "On the 10th of this month, the blockchain industrial park of Hainan Ecological Software Park was unveiled."
    seg = Segment(1, 1, 0, 0, zh, en, en, Status.RAW)
    assert [(p.source, p.target, p.whole) for p in pieces_of(seg)] == [(zh, en, True)]


def test_a_title_the_mt_ended_with_a_stop_gets_units_for_either_chinese_layout():
    """The MT wrote "Title. Byline. Sentence." on one line; the Chinese has the title as a
    paragraph and the byline as a line over the sentence (which the segments do not record)."""
    from test_omegat import STOPPED_EN, STOPPED_ZH

    segments = [Segment(i, 1, i, s.para, s.source, s.mt, s.mt, Status.RAW, sep=s.sep)
                for i, s in enumerate(build_segments(STOPPED_ZH, STOPPED_EN))]
    first = [s for s in segments if s.para == 0]
    title, byline, sentence = (s.source for s in first[:3])
    assert is_headline(title) and is_headline(byline) and not is_headline(sentence)
    units = {u.source: u.target for u in cat_units(first)}
    # title a paragraph of its own, byline a line of the next: what OmegaT segments in this article
    assert units[title] == first[0].target
    assert units[f"{byline}\n{sentence}"] == f"{first[1].target} {first[2].target}"
    # never a headline run into the next Chinese without a line break
    assert not any(head + nxt in source for source in units for head, nxt in ((title, byline), (byline, sentence)))
