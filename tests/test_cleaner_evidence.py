"""Suggestions need evidence: lower-casing needs a ratio over the document, not one occurrence."""

from __future__ import annotations

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.engine import clean_text
from mtmend.cleaner.rule import Context, Vocabulary
from mtmend.cleaner.rules import BY_ID

RULES = (BY_ID["suggest_lowercase_after_comma"], BY_ID["suggest_lowercase_mid_sentence"])


def suggested(text: str, document: list[str]) -> list[str]:
    ctx = Context(CleanConfig(), vocabulary=Vocabulary([text, *document]))
    return [e.before for e in clean_text(text, rules=RULES, context=ctx).suggested]


def test_one_lower_case_occurrence_is_not_evidence():
    document = ["the party was over", "members of the Party met", "the Party said", "the Party agreed"]
    assert suggested("They praised the role of Party members in the reform.", document) == []
    assert suggested("It upholds the leadership, Party members said.", document) == []


def test_names_of_several_words_and_brands_are_left_alone():
    document = ["labor costs rose", "labor law", "the labor market", "an apple a day", "apple trees and apple pie"]
    assert suggested("He works for the Department of Labor in the capital.", document) == []
    assert suggested("Shares of the company fell, Apple said on Monday.", document) == []


def test_a_common_word_used_in_lower_case_throughout_is_suggested():
    document = ["the relevant laws", "relevant data were published", "all relevant parties"]
    assert suggested("Gibraltar also specializes in Relevant laws.", document) == ["Relevant"]
