"""The engine: replayable edit logs, idempotence, protected spans, rule selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtmend.cleaner.config import CleanConfig, QuoteStyle, choose_rules
from mtmend.cleaner.engine import clean_text, protected_spans
from mtmend.cleaner.glossary import Glossary
from mtmend.cleaner.rules import RULES
from mtmend.corpus.edits import replay
from mtmend.corpus.errors import InputError

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
DOCS = ("000_46a1daae881aeae4", "003_3ffcd919ae816214")
GLOSSARY = Glossary.load(SAMPLES / "glossary.tsv")


def _sample_pairs():
    for doc in DOCS:
        en = (SAMPLES / f"{doc}.txt").read_text(encoding="utf-8").split("\n")
        zh = [p for p in (SAMPLES / f"{doc}.zh.txt").read_text(encoding="utf-8").split("\n")]
        for i, line in enumerate(en):
            yield (zh[i] if i < len(zh) else ""), line


SAMPLE_PAIRS = list(_sample_pairs())


@pytest.mark.parametrize("style", list(QuoteStyle))
def test_corpus_log_replays_and_cleaning_is_idempotent(style):
    config = CleanConfig(style, glossary=GLOSSARY)
    changed = 0
    for zh, en in SAMPLE_PAIRS:
        result = clean_text(en, source=zh or None, config=config)
        assert replay(en, result.applied) == result.text
        again = clean_text(result.text, source=zh or None, config=config)
        assert again.text == result.text and not again.applied
        # The engine skips rules that already saw the final text; their suggestions must
        # be exactly those of a round that runs every rule on it.
        assert again.suggested == result.suggested
        for edit in result.suggested:
            assert result.text[edit.start : edit.end] == edit.before
        changed += result.text != en
    assert changed >= 10  # the samples are damaged: the rules must find work


_FRAGMENTS = st.sampled_from(
    ['the" Belt and Road ", in', "initiative.Chinese", "Huobi China. , Is", " , ", "  ", "“ summits ”", "，", "。",
     "（", "）", "《", "》", '"', "'", "4.To", "3.5", "10:30", "www.example.com", "a@b.org", "Q: ", "A: ",
     "Said Farah", '." Said', "Eyes.", " The ", "ＭＩＴ", "\u3000", "etc. ,", "?", "!", ".", ",", "x", "Hot search keywords"]
)
_TEXT = st.lists(st.one_of(_FRAGMENTS, st.text(alphabet="abcXYZ .,;:!?\"'“”", max_size=6)), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.sampled_from(list(QuoteStyle)))
def test_cleaning_cleaned_text_changes_nothing(text, style):
    config = CleanConfig(style)
    first = clean_text(text, config=config)
    assert replay(text, first.applied) == first.text
    second = clean_text(first.text, config=config)
    assert second.text == first.text and not second.applied
    assert second.suggested == first.suggested


def test_protected_spans_cover_urls_numbers_code_and_files():
    text = "Visit https://8btc.com/a.b,c or www.example.org. Mail a.b@example.cn at 10:30 for 1,250.50 (v2.0.1) in `x .y`."
    spans = [text[s:e] for s, e in protected_spans(text)]
    assert "https://8btc.com/a.b,c" in spans and "www.example.org" in spans and "a.b@example.cn" in spans
    assert {"10:30", "1,250.50", "`x .y`"} <= set(spans)
    assert any("2.0.1" in s for s in spans)


def test_rules_never_touch_protected_text():
    text = "See www.example.com/a .b and `code  ,` at 3 .5 ,then."
    result = clean_text(text)
    assert "www.example.com/a" in result.text and "`code  ,`" in result.text
    for edit in result.applied:
        for s, e in protected_spans(text):
            assert not (edit.start < e and s < edit.end)


def test_caller_protected_spans_are_respected():
    from mtmend.cleaner.rule import Context

    text = "Keep  this , and fix it ."
    ctx = Context(CleanConfig(), protected=((0, 11),))
    # (Two or more wide gaps would read as columns, which the engine protects itself.)
    assert clean_text(text, context=ctx).text == "Keep  this , and fix it."


def test_rule_selection_and_unknown_ids():
    assert choose_rules(None, None) is None
    only = choose_rules("collapse_spaces,restore_answer_label", None)
    assert only == {"collapse_spaces", "restore_answer_label"}
    assert CleanConfig(enabled=only).rules() == tuple(r for r in RULES if r.id in only)
    assert "collapse_spaces" not in choose_rules(None, "collapse_spaces")
    off = [r.id for r in RULES if not r.default]
    assert not set(off) & set(choose_rules(None, "collapse_spaces")), "skipping one rule enables no other"
    assert CleanConfig().rules() == tuple(r for r in RULES if r.default)
    with pytest.raises(InputError, match="unknown rule nope.*valid rules: remove_web_furniture"):
        choose_rules("nope", None)


def test_suggest_false_gives_the_same_text():
    for zh, en in SAMPLE_PAIRS:
        full = clean_text(en, source=zh or None, config=CleanConfig(glossary=GLOSSARY))
        fast = clean_text(en, source=zh or None, config=CleanConfig(glossary=GLOSSARY), suggest=False)
        assert fast.text == full.text and not fast.suggested


def test_signature_names_version_rules_quotes_and_glossary():
    sig = CleanConfig(QuoteStyle.STRAIGHT, glossary=GLOSSARY).signature()
    on = [r for r in RULES if r.default]
    assert sig.startswith("mtmend:") and f"rules:{len(on)}:" in sig and "quotes:straight" in sig
    assert "glossary:none" not in sig
    assert CleanConfig(enabled=frozenset({"collapse_spaces"})).signature() != CleanConfig().signature()


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab1Z9_ .,:@-/\"“”\u00a0\t", max_size=40))
def test_dotted_token_scan_finds_what_a_whole_line_scan_finds(text):
    # protected_spans scans only around glued marks; it must miss no token and invent none.
    from mtmend.cleaner.engine import _DOTTED, _dotted_tokens

    assert [m.span() for m in _dotted_tokens(text)] == [m.span() for m in _DOTTED.finditer(text)]
