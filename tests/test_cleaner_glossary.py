"""The glossary: TSV and TBX-Basic loading, bad rows, adding entries, jieba matching, propose."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtmend.cleaner.glossary import Entry, Glossary, inconsistencies
from mtmend.corpus.errors import InputError

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"


def test_sample_glossary_loads_with_forbidden_variants():
    g = Glossary.load(SAMPLES / "glossary.tsv")
    by_zh = {e.zh: e for e in g.entries}
    assert by_zh["链六条"].forbidden == ("Chain Six", "Six Chains", "chain six")
    assert by_zh["学习强国"].en == "Xuexi Qiangguo"
    assert len(g.digest()) == 64


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("zh\ten\tforbidden\tnote\n", "has no entries"),
        ("", "is empty"),
        ("zh\ten\tforbidden\tnote\n学习强国\tXuexi Qiangguo\n链六条\n", r":3: expected 2 to 4"),
        ("zh\ten\tforbidden\tnote\n学习强国\t\tLearning to Power\n", r":2: the en column is empty"),
        ("term\ttranslation\n学习强国\tXuexi Qiangguo\n", r":1: expected the header"),
    ],
)
def test_bad_glossaries_name_the_problem(tmp_path, content, message):
    path = tmp_path / "glossary.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        Glossary.load(path)


def test_add_entry_appends_atomically_and_validates(tmp_path):
    path = tmp_path / "glossary.tsv"
    Glossary.add_entry(path, "链上海南", "On-chain Hainan", ["Chain Shanghai South"], "segmentation")
    Glossary.add_entry(path, "学习强国", "Xuexi Qiangguo")
    g = Glossary.load(path)
    assert [e.zh for e in g.entries] == ["链上海南", "学习强国"]
    assert g.entries[0].forbidden == ("Chain Shanghai South",)
    with pytest.raises(InputError, match="non-empty"):
        Glossary.add_entry(path, "", "x")
    assert len(Glossary.load(path).entries) == 2
    assert not list(tmp_path.glob(".*.part"))


def test_tbx_basic_is_read_safely(tmp_path):
    tbx = tmp_path / "terms.tbx"
    tbx.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif [<!ENTITY boom "exploded">]>
<martif type="TBX-Basic" xml:lang="en"><text><body>
 <termEntry id="t1"><descrip type="definition">Name of the app. &boom;</descrip>
  <langSet xml:lang="zh-CN"><tig><term>学习强国</term></tig></langSet>
  <langSet xml:lang="en"><tig><term>Xuexi Qiangguo</term></tig>
   <tig><term>Learning to Power</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig></langSet>
 </termEntry>
</body></text></martif>""",
        encoding="utf-8",
    )
    g = Glossary.load(tbx)
    assert g.entries == (Entry("学习强国", "Xuexi Qiangguo", ("Learning to Power",), g.entries[0].note),)
    assert "exploded" not in g.entries[0].note  # entities are not resolved
    bad = tmp_path / "bad.tbx"
    bad.write_text('<martif><text><body><termEntry id="t9"><langSet xml:lang="en"><tig><term>x</term></tig></langSet></termEntry></body></text></martif>')
    with pytest.raises(InputError, match="t9 has no Chinese"):
        Glossary.load(bad)


def test_jieba_segmentation_decides_what_is_a_term():
    # 上海 (Shanghai) is a substring of 链上海南, but jieba with 链上海南 in its dictionary
    # segments 链上海南 as one word: the Shanghai entry must not fire there.
    g = Glossary((Entry("链上海南", "On-chain Hainan", ("Chain Shanghai South",)), Entry("上海", "Shanghai", ("Upper Sea",))))
    assert [e.zh for e in g.terms_in("发布了“链上海南”计划。")] == ["链上海南"]
    assert [e.zh for e in g.terms_in("上海和海南发布了计划。")] == ["上海"]


def test_propose_replaces_forbidden_and_flags_missing():
    g = Glossary.load(SAMPLES / "glossary.tsv")
    edits = g.propose("海南自贸区（港）区块链试验区发布了“链上海南”计划", 'the Hainan Free Trade Zone (Hong Kong) Blockchain Pilot Zone released the "Chain Shanghai South" plan')
    replaced = {(e.before, e.after, e.auto) for e in edits if e.after is not None}
    assert ("Hainan Free Trade Zone (Hong Kong)", "Hainan Free Trade Zone (Port)", True) in replaced
    assert ("Chain Shanghai South", "On-chain Hainan", True) in replaced
    flagged = g.propose("承办单位是火币中国。", "It was hosted by Huobi China.")
    assert any(e.after is None and "organized by" in e.note for e in flagged)
    # A single lower-case word is only suggested (the glossary note says it needs rewording).
    scene = g.propose("依靠场景推动", "rely on scene promotion")
    assert [(e.before, e.auto) for e in scene] == [("scene", False)]
    # Hong Kong is right where the source says 香港.
    assert g.propose("新加坡—香港—日本", "Singapore-Hong Kong-Japan") == []


def test_inconsistent_renderings_across_segments():
    g = Glossary.load(SAMPLES / "glossary.tsv")
    pairs = [("“链六条”", '"Chain Six" and other measures'), ("“链六条”", 'the "Six Chains" has'), ("海南", "Hainan")]
    found = {i.zh: dict(i.renderings) for i in inconsistencies(g, pairs)}
    assert found == {"链六条": {"Chain Six": 1, "Six Chains": 1}}


_PIECES = ["Chain Six", "chain six", "CHAIN SIX", "Six Chains", "six chains", "Six Blockchain Measures",
           "test area", "Test area", "pilot zone", "Pilot Zone", "ß", "ﬁ", "-", " ", ",", "x", "a", "The"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join))
def test_renderings_found_at_key_offsets_equal_a_whole_line_scan(target):
    # renderings() tries its patterns only where the folded variant occurs; it must find
    # exactly what finditer over the whole line finds, also when folding changes lengths.
    glossary = Glossary((Entry("链六条", "Six Blockchain Measures", ("Chain Six", "Six Chains", "chain six")),
                         Entry("试验区", "pilot zone", ("test area",))))
    for entry in glossary.entries:
        expected = [(v, m.span()) for v, p, _ in glossary._compiled(entry) for m in p.finditer(target)]
        found = [(v, m.span()) for v, m in glossary.renderings(entry, target)]
        assert sorted(found) == sorted(expected)
