"""On the sample articles, every damage the rules issue lists ends fixed or flagged."""

from __future__ import annotations

import shutil

import pytest

from conftest import SAMPLES
from mtmend.corpus.model import EditState
from mtmend.corpus.store import Workspace

# (damage as the MT printed it, what counts as done: "fixed" or "fixed-or-open")
LISTED = [
    ('along the" Belt and Road ", in', "fixed"),
    ('the" 21st Century Maritime Silk Road "and', "fixed"),
    ("“blockchain summits ”", "fixed"),
    ('"The" chain six "also has', "fixed-or-open"),
    ("Huobi China. , Is the world's first", "fixed-or-open"),
    ("blockchain field. Eyes.", "fixed-or-open"),
    ("industrial revitalization. Development;", "fixed-or-open"),
    ('accelerating digitalization. Transformation. "', "fixed-or-open"),
    ("blockchain technology, Become an important topic", "fixed-or-open"),
    ("specializes in Relevant laws", "fixed-or-open"),
    ('grow together." Said Farah', "fixed"),
    ("initiative.Chinese", "fixed"),
    ("4.To create", "fixed"),
    ("WX20191206-193719 @ 2x", "fixed"),
    ("Please sign in first", "fixed"),
    ("Chain Shanghai South", "fixed"),
    ("Free Trade Zone (Hong Kong)", "fixed"),
    ("Learning to Power", "fixed"),
]


@pytest.fixture(scope="module")
def cleaned(sample_workspace_template, tmp_path_factory):
    from mtmend.cli.main import main

    folder = tmp_path_factory.mktemp("cleaned") / "ws"
    shutil.copytree(sample_workspace_template, folder)
    shutil.copy(SAMPLES / "glossary.tsv", folder / "glossary.tsv")
    assert main(["-w", str(folder), "clean"]) == 0
    with Workspace.open(folder) as ws:
        yield [(seg, ws.annotations(seg.id)) for seg in ws.all_segments()]


def _covers(text: str, damage: str) -> bool:
    return damage in text


@pytest.mark.parametrize(("damage", "done"), LISTED, ids=[d for d, _ in LISTED])
def test_listed_damage_is_fixed_or_flagged(cleaned, damage, done):
    hits = [(seg, anns) for seg, anns in cleaned if _covers(seg.mt, damage)]
    if not hits:  # damage that crosses a segment boundary: look at neighbouring pairs
        hits = [
            (b, anns_a + anns_b)
            for (a, anns_a), (b, anns_b) in zip(cleaned, cleaned[1:])
            if a.doc_id == b.doc_id and _covers(a.mt + b.sep + b.mt, damage)
        ]
    assert hits, f"sample corpus no longer contains {damage!r}"
    for seg, anns in hits:
        if not _covers(seg.target, damage):
            continue  # fixed
        open_ = [a for a in anns if a.state is EditState.SUGGESTED]
        assert done == "fixed-or-open" and open_, f"{damage!r} neither fixed nor flagged in {seg.target!r}"


def test_duplicated_furniture_paragraph_and_missing_answer_label(cleaned):
    targets = [seg.target for seg, _ in cleaned]
    assert "Hot search keywords" not in targets
    answer = next(seg for seg, _ in cleaned if seg.mt.startswith("Blockchain is a technology"))
    assert answer.target.startswith("A: Blockchain is a technology")


def test_raw_mt_is_kept_beside_every_repair(cleaned):
    changed = [(seg, anns) for seg, anns in cleaned if seg.target != seg.mt]
    assert len(changed) >= 20
    for seg, anns in changed:
        assert any(a.state is EditState.APPLIED for a in anns)
