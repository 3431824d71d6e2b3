"""Fixtures for the review tests: the sample corpus with real terminology suggestions.

Suggestions come from the sample glossary's forbidden variants found in the MT (e.g.
"Learning to Power" for 学习强国), so the review tests work on real text and real edits.
Other review test modules import :func:`add_term_suggestions` and :func:`review_workspace`.
"""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import SAMPLES
from mtmend.corpus.model import AuthorKind, Edit, EditState, Severity
from mtmend.corpus.store import Workspace

DOC = "000_46a1daae881aeae4"
AUTHOR = "term-check"


def glossary_variants(path: Path = SAMPLES / "glossary.tsv") -> list[tuple[str, str, str]]:
    """(zh, forbidden variant, approved English) for every forbidden variant of the glossary."""
    out = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            for variant in (row["forbidden"] or "").split(" | "):
                if variant.strip():
                    out.append((row["zh"], variant.strip(), row["en"]))
    return out


def add_term_suggestions(ws: Workspace, doc_name: str = DOC) -> int:
    """One SUGGESTED annotation per forbidden variant occurring in a target; returns how many."""
    variants = glossary_variants()
    doc = ws.document(doc_name)
    made = 0
    with ws.transaction():
        for seg in list(ws.segments(doc.id)):
            taken: list[tuple[int, int]] = []
            for _zh, variant, en in sorted(variants, key=lambda v: -len(v[1])):
                at = seg.target.find(variant)
                if at < 0 or any(at < e and s < at + len(variant) for s, e in taken):
                    continue
                taken.append((at, at + len(variant)))
                edit = Edit(at, at + len(variant), variant, en, AUTHOR, "Terminology/Wrong term", Severity.MAJOR,
                            auto=False, author_kind=AuthorKind.RULE)
                ws.add_annotation(seg.id, edit, EditState.SUGGESTED)
                made += 1
    return made


def review_workspace(folder: Path) -> Workspace:
    """Open an imported sample workspace and add the terminology suggestions."""
    ws = Workspace.open(folder)
    add_term_suggestions(ws)
    return ws


def test_fixture_suggestions_fit_the_real_mt(sample_workspace):
    with review_workspace(sample_workspace) as ws:
        doc = ws.document(DOC)
        pending = [(s, a) for s in ws.segments(doc.id) for a in ws.annotations(s.id, [EditState.SUGGESTED])]
        befores = {a.edit.before for _, a in pending}
        assert "Learning to Power" in befores and "Chain Shanghai South" in befores
        for seg, ann in pending:
            assert seg.target[ann.edit.start : ann.edit.end] == ann.edit.before
