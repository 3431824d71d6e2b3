"""Paragraph context has one home (cleaner/context.py): the workspace and the filter decide alike.

The same English goes through ``mtmend clean -`` (paragraphs separated by blank lines) and
through a workspace clean (one segment per line, a paragraph per block); every line must
come out the same: kept with the same text, or removed in both. A fixed quote style keeps
the one setting the two resolve differently (``auto``: the document's majority in a
workspace, "leave as is" in the filter) out of the comparison.
"""

from __future__ import annotations

import pytest

from conftest import SAMPLE_DOCS, SAMPLES
from mtmend.cleaner.config import CleanConfig, QuoteStyle
from mtmend.cleaner.passes import clean_workspace
from mtmend.cleaner.stream import ParaState, clean_chunk
from mtmend.corpus.store import NewSegment, Workspace

CONFIG = CleanConfig(quote_style=QuoteStyle.TYPOGRAPHIC)


def _blocks(text: str) -> list[list[str]]:
    """Paragraphs (blocks of non-blank lines) of a text."""
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _filtered(blocks: list[list[str]]) -> list[str | None]:
    """Each line as the filter leaves it (``None``: removed)."""
    lines: list[str] = []
    for block in blocks:
        lines += [line + "\n" for line in block] + ["\n"]
    result = clean_chunk(lines, ParaState(), 1, CONFIG, tsv=False, want_edits=False)
    return [None if out is None else out.rstrip("\n") for line, out in zip(lines, result.outputs, strict=True)
            if line.strip()]


def _in_workspace(tmp_path, blocks: list[list[str]]) -> list[str | None]:
    """Each line as a workspace clean leaves it (``None``: its target emptied)."""
    segments = [NewSegment(para=k, source="", mt=line) for k, block in enumerate(blocks) for line in block]
    with Workspace.open(tmp_path / "ws", create=True) as ws:
        ws.add_document("doc", segments)
        clean_workspace(ws, list(ws.documents()), CONFIG)
        return [seg.target or None for seg in ws.all_segments()]


@pytest.mark.parametrize("doc", SAMPLE_DOCS)
def test_sample_articles_clean_alike(tmp_path, doc):
    blocks = _blocks((SAMPLES / f"{doc}.txt").read_text(encoding="utf-8"))
    filtered = _filtered(blocks)
    assert None in filtered or doc != "003_3ffcd919ae816214"  # the doubled furniture line goes
    assert _in_workspace(tmp_path, blocks) == filtered


DUPLICATE_AFTER_CLEANING = [
    ["Blockchain is a technology.It might push every industry."],
    ["Blockchain is a technology. It might push every industry."],  # the same once cleaned
    ["WX20191206-193719 @ 2x"],  # an image file name: removed
    ["Blockchain is a technology. It might push every industry."],  # after the removed line: still a repeat
    ["Q: Who attends the summit?"],
    ["WX20191206-193720 @ 2x"],
    ["Experts from many countries attend."],  # the question is still the previous paragraph
]


def test_a_repeat_is_judged_on_cleaned_text_and_removed_lines_are_forgotten(tmp_path):
    filtered = _filtered(DUPLICATE_AFTER_CLEANING)
    assert filtered == [
        "Blockchain is a technology. It might push every industry.",
        None, None, None,
        "Q: Who attends the summit?",
        None,
        "A: Experts from many countries attend.",
    ]
    assert _in_workspace(tmp_path, DUPLICATE_AFTER_CLEANING) == filtered


def test_a_workspace_clean_of_a_cleaned_repeat_is_idempotent(tmp_path):
    """What made #11's filter idempotent holds in the workspace: a second clean changes nothing."""
    first = _in_workspace(tmp_path, DUPLICATE_AFTER_CLEANING)
    with Workspace.open(tmp_path / "ws") as ws:
        clean_workspace(ws, list(ws.documents()), CONFIG)
        assert [seg.target or None for seg in ws.all_segments()] == first


ROWS = [
    ("区块链是一种技术。", "Blockchain is a technology."),
    ("", "Blockchain is a technology."),  # no Chinese (a 0-1 bead): the English came twice
    ("区块链很好。", "Blockchain is a technology."),  # other Chinese: an MT error, not a copy
]


def test_a_repeat_needs_the_same_source_or_none_in_both(tmp_path):
    lines = [f"{zh}\t{en}\n" for zh, en in ROWS]
    config = CleanConfig(quote_style=QuoteStyle.TYPOGRAPHIC, empty_removed_rows=True)
    result = clean_chunk(lines, ParaState(), 1, config, tsv=True, want_edits=False)
    filtered = [out.rstrip("\n").partition("\t")[2] or None for out in result.outputs]
    assert filtered == ["Blockchain is a technology.", None, "Blockchain is a technology."]
    with Workspace.open(tmp_path / "ws", create=True) as ws:
        ws.add_document("rows", [NewSegment(para=k, source=zh, mt=en) for k, (zh, en) in enumerate(ROWS)])
        clean_workspace(ws, list(ws.documents()), CONFIG)
        assert [seg.target or None for seg in ws.all_segments()] == filtered
