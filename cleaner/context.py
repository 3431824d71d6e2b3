"""Paragraph context: what the previous paragraph was, and what that makes of the next one.

The one home of this reasoning for both ways of cleaning: the filter
(:mod:`mtmend.cleaner.stream`: paragraphs end at blank lines, each TSV row is one) and the
workspace (:mod:`mtmend.cleaner.passes`: a paragraph is the segments sharing a ``para``).
Each says where paragraphs start; :class:`Paragraphs` decides:

- **after a question**: a paragraph's first line gets the label (``Q:``) of the previous
  paragraph's first line when that was a question, unless it is Markdown structure;
- **a repeat**: a paragraph that is the whole previous one-line paragraph again, with the
  same source or none (a 0-1 bead, a text line), compared as written *and* once both are
  cleaned — comparing only the raw text would leave ``A ,B`` after ``A, B``, and the next
  run would then remove it: cleaning would not be idempotent;
- **the previous paragraph is the last one kept**: a line the rules remove is forgotten,
  so what follows it is compared with what came before it, as it will read in the output.
"""

from __future__ import annotations

from dataclasses import replace

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.engine import CleanResult, clean_text
from mtmend.cleaner.rule import Context, Rule, Vocabulary
from mtmend.cleaner.rules.qa import question_label


def same_source(source: str, previous: str) -> bool:
    """A repeat needs its source to repeat too, or to be missing.

    The same English for a different Chinese is an MT error, not a copying accident.
    """
    return not source or source == previous


class Paragraphs:
    """The previous kept paragraph, line by line: the context it gives the next one.

    Call :meth:`line` for every kept, non-blank line before cleaning it, :meth:`settle` with
    its result, and :meth:`back` with the :meth:`mark` taken before it when the rules
    removed it. ``first``/``single``/``source`` start from where an earlier chunk ended.
    """

    __slots__ = ("first", "single", "source", "cleaned", "config", "rules", "vocabulary", "derived")

    def __init__(self, first: str | None = None, single: bool = True, source: str = "",
                 config: CleanConfig | None = None, rules: tuple[Rule, ...] = (), vocabulary: Vocabulary | None = None):
        self.first, self.single, self.source = first, single, source  # the previous paragraph's first line
        self.cleaned: str | None = None  # that line cleaned (None: not known yet, cleaned when needed)
        self.config, self.rules, self.vocabulary = config, rules, vocabulary
        # What settle made of previous paragraphs given without their cleaned text: a worker
        # that started from a guessed context reports them, to be checked (cleaner.plan).
        self.derived: list[str] = []

    def mark(self) -> tuple:
        return self.first, self.single, self.source, self.cleaned

    def back(self, mark: tuple) -> None:
        """Forget the line just seen (the rules removed it)."""
        self.first, self.single, self.source, self.cleaned = mark

    def forget(self) -> None:
        """No previous paragraph (after code, which is a paragraph of its own)."""
        self.first, self.single, self.source, self.cleaned = None, True, "", None

    def see(self, en: str, zh: str, starts: bool) -> None:
        """Take ``en`` in as the next kept line, without cleaning it."""
        if starts:
            self.first, self.single, self.source = en, True, zh
        else:
            self.single = False

    def line(self, en: str, zh: str, starts: bool, ctx: Context, structure: bool = False,
             alone: bool = True) -> tuple[Context, tuple[str, str] | None]:
        """The context to clean ``en`` with, and the previous paragraph to compare it with once
        cleaned (its first line and source; ``None``: ``en`` cannot be a repeat).

        ``starts``: ``en`` opens a paragraph; ``structure``: it is Markdown structure (no
        label goes in front); ``alone``: it is the whole paragraph, as far as the caller
        knows (a workspace paragraph of several segments is no repeat of a one-line one).
        """
        if not starts:
            self.see(en, zh, starts)
            return ctx, None
        compare = alone and self.single and self.first is not None and same_source(zh, self.source)
        after_question = question_label(self.first) if self.first and not structure else None
        repeats = compare and en == self.first
        previous = (self.first, self.source) if compare else None
        self.see(en, zh, starts)
        if after_question or repeats:
            ctx = replace(ctx, after_question=after_question, repeats_previous=repeats)
        return ctx, previous

    def settle(self, en: str, previous: tuple[str, str] | None, result: CleanResult, ctx: Context,
               suggest: bool) -> CleanResult:
        """The result for a paragraph's first line ``en``, cleaned again as a repeat if it is one."""
        if ctx.repeats_previous:
            return result  # a raw repeat: the previous cleaned text stands
        cleaned, self.cleaned = self.cleaned, result.text
        if previous is None or not result.text:
            return result
        if cleaned is None:  # the previous paragraph ended an earlier chunk
            text, source = previous[0], previous[1] or None
            plain = Context(self.config, source, self.config.glossary, vocabulary=self.vocabulary)
            cleaned = clean_text(text, source=source, config=self.config, rules=self.rules, context=plain).text
            self.derived.append(cleaned)
        if result.text != cleaned:
            return result
        again = replace(ctx, repeats_previous=True)
        return clean_text(en, source=ctx.source, config=self.config, rules=self.rules, context=again, suggest=suggest)
