"""The ordered registry of repair rules.

The order below is the order the engine runs the rules in: whole-line deletions first
(boilerplate: nothing else should waste time on a line that goes), then characters
(Chinese punctuation, full-width forms, dashes and ellipses), datelines, quotes and
quotations (quote style included), sentence structure (broken sentences, fragments),
spacing and separators, words, interview layout, terminology, and the flags last, on the
repaired text (name variants, checks against the source). Every list of rules in mtmend —
CLI choices, ``mtmend rules``, docs/rules.md, tests — is derived from :data:`RULES`.
"""

from __future__ import annotations

from mtmend.cleaner.rule import Rule, registered
from mtmend.cleaner.rules import (  # noqa: F401  (imported for their registrations, in this order)
    boilerplate,
    chinese_punctuation,
    marks,
    datelines,
    quotes,
    quotations,
    sentences,
    fragments,
    spacing,
    separators,
    words,
    qa,
    terminology,
    names,
    source_checks,
)

RULES: tuple[Rule, ...] = registered()
BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
