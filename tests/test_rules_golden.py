"""Golden tables: before/after per rule, suggestions, text that must not change, known failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtmend.cleaner.config import CleanConfig, QuoteStyle
from mtmend.cleaner.engine import clean_text
from mtmend.cleaner.glossary import Glossary
from mtmend.cleaner.rule import Context, Vocabulary
from mtmend.cleaner.rules import BY_ID, RULES
from mtmend.corpus.edits import replay

DATA = Path(__file__).parent / "data" / "cleaner"
SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
GLOSSARY = Glossary.load(SAMPLES / "glossary.tsv")
CONFIG = CleanConfig(glossary=GLOSSARY)


# The document around a golden row: the sample articles (evidence for the lower-casing rules).
DOCUMENT = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")) if not p.name.endswith(".zh.txt")]


def _context(rule_id: str, text: str, source: str) -> Context:
    """What a rule sees in a document: the text and the sample articles as vocabulary; after a question for the Q&A rule."""
    config = CleanConfig(QuoteStyle.STRAIGHT, glossary=GLOSSARY) if rule_id == "apply_quote_style" else CONFIG
    question = "Q:" if rule_id == "restore_answer_label" else None
    return Context(config, source or None, GLOSSARY, after_question=question, vocabulary=Vocabulary([text, *DOCUMENT]))


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").split("\n"):
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


BEFORE_AFTER = _rows("before_after.tsv")
SUGGESTIONS = _rows("suggestions.tsv")
KNOWN_FAILURES = _rows("known_failures.tsv")
MUST_NOT_CHANGE = [line for line in (DATA / "must_not_change.txt").read_text(encoding="utf-8").split("\n") if line and not line.startswith("#")]


@pytest.mark.parametrize("row", BEFORE_AFTER, ids=lambda r: r[0])
def test_rule_before_after(row):
    rule_id, before, after, source = (row + [""])[:4]
    ctx = _context(rule_id, before, source)
    result = clean_text(before, source=source or None, config=ctx.config, rules=(BY_ID[rule_id],), context=ctx)
    assert result.text == after
    assert result.applied and all(e.author == rule_id for e in result.applied)
    assert replay(before, result.applied) == after


@pytest.mark.parametrize("row", SUGGESTIONS, ids=lambda r: r[0])
def test_rule_suggests(row):
    rule_id, text, before, after, source = (row + [""])[:5]
    ctx = _context(rule_id, text, source)
    result = clean_text(text, source=source or None, config=CONFIG, rules=(BY_ID[rule_id],), context=ctx)
    assert result.text == text, "a suggestion must not change the text"
    proposed = [(e.before, e.after) for e in result.suggested if e.author == rule_id]
    expected = "" if after == "<delete>" else (after or None)
    assert (before, expected) in proposed
    for edit in result.suggested:
        assert text[edit.start : edit.end] == edit.before


def test_every_rule_has_a_golden_case():
    covered = {r[0] for r in BEFORE_AFTER} | {r[0] for r in SUGGESTIONS}
    # Covered by tests that give them a document: the filter tests and test_name_variants.py.
    assert {r.id for r in RULES} - covered <= {"remove_duplicate_paragraph", "flag_name_variants"}


@pytest.mark.parametrize("line", MUST_NOT_CHANGE)
def test_must_not_change(line):
    result = clean_text(line, config=CONFIG)
    assert result.text == line, [(e.author, e.before, e.after) for e in result.applied]


@pytest.mark.parametrize(
    "row", [pytest.param(r, marks=pytest.mark.xfail(strict=True, reason="known failure")) for r in KNOWN_FAILURES]
)
def test_known_failures(row):
    _, before, after, source = (row + [""])[:4]
    assert clean_text(before, source=source or None, config=CONFIG).text == after
