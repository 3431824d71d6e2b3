"""What a repair rule is: a small pure function plus the metadata the engine and docs need.

A rule function takes the text and a :class:`Context` and returns a list or tuple of
proposals (empty when it has nothing to say: the engine skips it cheaply). A proposal is
either an :class:`~mtmend.corpus.model.Edit` or a plain tuple ``(start, end, after)``,
optionally followed by ``note`` and ``auto`` (overriding the rule's default); ``after`` is
``None`` for a flag. :func:`register` wraps the function in a :class:`Rule` that turns the
tuples into ``Edit`` objects carrying the rule's id, category and severity, so each rule
stays a few lines of pattern matching. The ordered registry itself is
:data:`mtmend.cleaner.rules.RULES`.
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtmend.corpus.model import MQM_CATEGORIES, Edit, Severity

if TYPE_CHECKING:
    from mtmend.cleaner.config import CleanConfig
    from mtmend.cleaner.glossary import Glossary

# More specific MQM Core paths a rule may use beyond ``corpus.model.MQM_CATEGORIES``.
EXTRA_CATEGORIES: tuple[str, ...] = ()


class Scope(enum.StrEnum):
    """What a rule looks at: the segment alone, or the segment among its neighbours."""

    SEGMENT = "segment"
    DOCUMENT = "document"  # uses Context.after_question / repeats_previous / vocabulary


class Vocabulary:
    """Lower-case words of the surrounding text (document, corpus, or stream chunk).

    Built lazily on first use: most lines never need it.
    """

    __slots__ = ("_texts", "_words")

    def __init__(self, texts: Iterable[str] = ()):
        self._texts = texts
        self._words: frozenset[str] | None = None

    def words(self) -> frozenset[str]:
        if self._words is None:
            found: set[str] = set()
            for text in self._texts:
                found.update(_LOWER_WORD.findall(text))
            self._words = frozenset(found)
            self._texts = ()
        return self._words

    def __contains__(self, word: str) -> bool:
        return word in self.words()


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*[a-z]")


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule may know besides the text itself.

    ``source`` is the Chinese segment when known; ``protected`` are extra ``(start, end)``
    spans no rule may touch (URLs, numbers and code are protected by the engine anyway);
    ``after_question`` is the label (``Q:``) of the previous paragraph when it was a
    question and this text starts a new paragraph; ``repeats_previous`` says the text is
    identical to the previous paragraph; ``vocabulary`` holds the lower-case words of the
    surrounding text, the evidence that a capitalised word is not a proper noun;
    ``removable`` is false where the text must not disappear (a TSV row, a Markdown list
    item): the engine then turns a rule's deletion of the whole text into a suggestion.
    """

    config: CleanConfig
    source: str | None = None
    glossary: Glossary | None = None
    protected: tuple[tuple[int, int], ...] = ()
    after_question: str | None = None
    repeats_previous: bool = False
    vocabulary: Vocabulary | None = None
    removable: bool = True


Proposal = Edit | tuple
RuleFunction = Callable[[str, Context], Iterable[Proposal]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One registered repair rule.

    ``triggers``: the rule runs only when the text contains one of these characters
    (empty: always); ``gate``: a further cheap test on the text. Both exist so the engine
    can skip a rule without running any regular expression.
    """

    id: str
    category: str
    severity: Severity
    auto: bool
    function: RuleFunction
    scope: Scope = Scope.SEGMENT
    needs_source: bool = False
    triggers: str = ""
    gate: Callable[[str], bool] | None = None
    nonascii: bool = field(default=False)  # every trigger is non-ASCII: skip ASCII text

    def propose(self, text: str, ctx: Context) -> Iterator[Edit]:
        """The rule's proposals for ``text`` as :class:`Edit` objects (the engine inlines this)."""
        for p in self.function(text, ctx) or ():
            if isinstance(p, Edit):
                yield p
                continue
            start, end, after = p[0], p[1], p[2]
            note = p[3] if len(p) > 3 else ""
            auto = p[4] if len(p) > 4 else self.auto
            yield Edit(start, end, text[start:end], after, self.id, self.category, self.severity, auto, note)

    @property
    def title(self) -> str:
        """First line of the function's docstring."""
        return _doc(self.function).split("\n", 1)[0].strip()

    @property
    def description(self) -> str:
        """The docstring after the title: what it fixes, what it leaves alone, an example."""
        parts = _doc(self.function).split("\n", 1)
        return inspect.cleandoc(parts[1]) if len(parts) > 1 else ""

    @property
    def mode(self) -> str:
        return "auto" if self.auto else "suggest"


def _doc(fn: Callable) -> str:
    return inspect.getdoc(fn) or ""


_registered: list[Rule] = []


def register(
    rule_id: str,
    *,
    category: str,
    severity: Severity,
    auto: bool,
    scope: Scope = Scope.SEGMENT,
    needs_source: bool = False,
    triggers: str = "",
    gate: Callable[[str], bool] | None = None,
    nonascii: bool | None = None,
) -> Callable[[RuleFunction], RuleFunction]:
    """Declare a rule function; :mod:`mtmend.cleaner.rules` collects them in import order.

    Returns the function unchanged (with the :class:`Rule` as its ``rule`` attribute),
    so it stays a plain, testable function.
    """
    if category not in MQM_CATEGORIES and category not in EXTRA_CATEGORIES:
        raise ValueError(f"rule {rule_id}: {category!r} is not an MQM category")
    if gate is None and triggers:
        gate = _char_gate(triggers)
    if nonascii is None:  # the rule needs a non-ASCII character: ASCII text skips it
        nonascii = bool(triggers) and not any(ch.isascii() for ch in triggers)

    def decorate(fn: RuleFunction) -> RuleFunction:
        if not _doc(fn):
            raise ValueError(f"rule {rule_id}: its docstring is its documentation and is missing")
        if any(r.id == rule_id for r in _registered):
            raise ValueError(f"rule {rule_id} registered twice")
        rule = Rule(rule_id, category, severity, auto, fn, scope, needs_source, triggers, gate, nonascii)
        _registered.append(rule)
        fn.rule = rule  # type: ignore[attr-defined]
        return fn

    return decorate


def registered() -> tuple[Rule, ...]:
    """Rules in registration order (used once, by ``mtmend.cleaner.rules``)."""
    return tuple(_registered)


def _char_gate(chars: str) -> Callable[[str], bool]:
    if len(chars) == 1:
        return lambda text, c=chars: c in text
    return re.compile("[" + re.escape(chars) + "]").search


def example(fn: RuleFunction, text: str, source: str | None = None, **context) -> str:
    """Show what one rule does to ``text`` (used by the rules' doctests).

    Auto rules give the cleaned text; suggest-only rules and flags list their proposals.
    ``context`` sets further :class:`Context` fields (``after_question=...``, ``config=...``).
    """
    from mtmend.cleaner.config import CleanConfig
    from mtmend.cleaner.engine import clean_text

    rule: Rule = fn.rule  # type: ignore[attr-defined]
    config = context.pop("config", CleanConfig())
    ctx = Context(config, source, config.glossary, **context)
    result = clean_text(text, source=source, config=config, rules=(rule,), context=ctx)
    if result.applied and not result.suggested:
        return result.text
    lines = [f"{e.before!r} -> {e.after!r}" if e.after is not None else f"flag {e.before!r}: {e.note}" for e in result.suggested]
    if result.applied:
        lines.insert(0, result.text)
    return "\n".join(lines) or "(no change)"
