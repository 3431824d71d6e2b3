"""Docs come from code: the rules' docstrings run as doctests, and docs/rules.md is current."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from mtmend.cleaner.docs import rules_markdown
from mtmend.cleaner.engine import example
from mtmend.cleaner.rules import RULES
from mtmend.corpus.model import MQM_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
MODULES = (
    "mtmend.cleaner.engine", "mtmend.cleaner.glossary", "mtmend.cleaner.rules.boilerplate",
    "mtmend.cleaner.rules.chinese_punctuation", "mtmend.cleaner.rules.quotes", "mtmend.cleaner.rules.sentences",
    "mtmend.cleaner.rules.spacing", "mtmend.cleaner.rules.qa", "mtmend.cleaner.rules.terminology",
    "mtmend.cleaner.rules.source_checks",
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    # ``example`` is the engine's: rule modules cannot import it (see mtmend.cleaner.rule).
    result = doctest.testmod(importlib.import_module(name), extraglobs={"example": example}, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_documents_itself(rule):
    assert rule.title and rule.title.endswith(".")
    assert "leaves alone" in rule.description.lower(), "say what the rule deliberately leaves alone"
    assert ">>>" in rule.description, "give a before/after example as a doctest"
    assert rule.category in MQM_CATEGORIES
    assert rule.function.__name__ == rule.id


def test_rule_ids_are_unique_and_ordered_once():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


def test_docs_page_is_generated_from_the_registry():
    page = ROOT / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is out of date: run mtmend rules --format markdown > docs/rules.md"
    )
