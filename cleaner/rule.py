"""What a repair rule is: a small pure function plus the metadata the engine and docs need.

A rule function takes the text and a :class:`Context` and returns a list or tuple of
proposals (empty when it has nothing to say: the engine skips it cheaply). A proposal is
either an :class:`~mtmend.corpus.model.Edit` or a plain tuple ``(start, end, after)``,
optionally followed by ``note`` and ``auto`` (overriding the rule's default); ``after`` is
``None`` for a flag. :func:`register` wraps the function in a :class:`Rule` that turns the
tuples into ``Edit`` objects carrying the rule's id, category and severity, so each rule
stays a few lines of pattern matching. The ordered registry itself is
:data:`mtmend.cleaner.rules.RULES`.

The examples in rule docstrings call :func:`mtmend.cleaner.engine.example` (the doctest
runner provides it: a rule module importing the engine would make an import cycle, since
the engine's configuration reads the registry).
"""

from __future__ import annotations

import enum
import inspect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtmend.corpus.model import MQM_CATEGORIES, Edit, Severity
from mtmend.corpus.processes import meanwhile, outcome

if TYPE_CHECKING:
    from mtmend.cleaner.config import CleanConfig
    from mtmend.cleaner.glossary import Glossary


class QuoteStyle(enum.StrEnum):
    """How double quotes and apostrophes are written in the English (``CleanConfig.quote_style``).

    Here, below the configuration, because the quote rules read it too.
    """

    AUTO = "auto"  # workspace: the majority style of each document; filter: leave as is
    STRAIGHT = "straight"  # "…" and '
    TYPOGRAPHIC = "typographic"  # “…” and ’


class Scope(enum.StrEnum):
    """What a rule looks at: the segment alone, or the segment among its neighbours."""

    SEGMENT = "segment"
    DOCUMENT = "document"  # uses Context.after_question / repeats_previous / vocabulary


class Vocabulary:
    """Words of the surrounding text (document, corpus, or stream chunk), with counts.

    How often each word appears in lower case, and how often capitalised inside a
    sentence: the evidence for and against lower-casing a capitalised word. Built lazily
    on first use: most lines never need it.
    """

    __slots__ = ("_texts", "_lower", "_capital", "_elsewhere")

    def __init__(self, texts: Iterable[str] = ()):
        self._texts = texts
        self._lower: Counter[str] | None = None
        self._capital: Counter[str] = Counter()
        self._elsewhere = None  # a Future of the counts, when another process counts them

    def count_elsewhere(self) -> None:
        """Start counting in a forked process, so the caller's own preparation runs meanwhile.

        The counts come back on first use; if that process cannot run, they are counted here.
        """
        if self._lower is None and self._elsewhere is None:
            self._elsewhere = meanwhile(_count, self._texts)

    def _build(self) -> Counter[str]:
        if self._lower is None:
            texts = self._texts
            self._lower, self._capital = outcome(self._elsewhere, lambda: _count(texts))
            self._texts, self._elsewhere = (), None
        return self._lower

    def words(self) -> Counter[str]:
        """Lower-case words and how often each appears."""
        return self._build()

    def capitalised(self, word: str) -> int:
        """How often ``word`` (lower-cased) appears capitalised inside a sentence."""
        self._build()
        return self._capital[word]

    def __contains__(self, word: str) -> bool:
        return word in self.words()


def _count(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """Lower-case words, and capitalised words inside a sentence (lower-cased), with their counts."""
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for text in texts:
        lower.update(_LOWER_WORD.findall(text))
        if " " in text:
            capital.update(w.lower() for w in _MID_CAPITAL.findall(text))
    return lower, capital


# A word's first letter comes first and what must (not) precede it is looked behind from there:
# the same matches as a look-behind in front, but the search skips to candidate letters at C speed.
_LOWER_WORD = re.compile(r"[a-z](?<![\w'’-][a-z])[a-z'’-]*[a-z]")  # not after [\w'’-]
_MID_CAPITAL = re.compile(r"[A-Z](?<=[a-z,;] [A-Z])[a-z]+\b")  # after "[a-z,;] "


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
    item): the engine then turns a rule's deletion of the whole text into a suggestion;
    ``names`` maps a name's minority spellings to all its renderings in the document.
    """

    config: CleanConfig
    source: str | None = None
    glossary: Glossary | None = None
    protected: tuple[tuple[int, int], ...] = ()
    after_question: str | None = None
    repeats_previous: bool = False
    vocabulary: Vocabulary | None = None
    removable: bool = True
    names: Mapping | None = None  # spelling -> names.NameVariants, over the document or window


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
    default: bool = True  # runs unless chosen with --rules: off when it is right too rarely on real MT

    def edit(self, text: str, proposal: Proposal) -> Edit:
        """One of the rule function's proposals for ``text`` as an :class:`Edit`.

        A proposal is an ``Edit`` already, or ``(start, end, after[, note[, auto]])`` on ``text``.
        """
        if isinstance(proposal, Edit):
            return proposal
        start, end = proposal[0], proposal[1]
        note = proposal[3] if len(proposal) > 3 else ""
        auto = proposal[4] if len(proposal) > 4 else self.auto
        return Edit(start, end, text[start:end], proposal[2], self.id, self.category, self.severity, auto, note)

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
        return ("auto" if self.auto else "suggest") + ("" if self.default else " (off by default)")


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
    default: bool = True,
) -> Callable[[RuleFunction], RuleFunction]:
    """Declare a rule function; :mod:`mtmend.cleaner.rules` collects them in import order.

    ``default=False`` registers a rule that runs only when named with ``--rules``.

    Returns the function unchanged (with the :class:`Rule` as its ``rule`` attribute),
    so it stays a plain, testable function.
    """
    if category not in MQM_CATEGORIES:
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
        rule = Rule(rule_id, category, severity, auto, fn, scope, needs_source, triggers, gate, nonascii, default)
        _registered.append(rule)
        fn.rule = rule  # type: ignore[attr-defined]
        return fn

    return decorate


def registered() -> tuple[Rule, ...]:
    """Rules in registration order (used once, by ``mtmend.cleaner.rules``)."""
    return tuple(_registered)


def _char_gate(chars: str) -> Callable[[str], bool]:
    # Substring tests beat a character-class search for a few characters.
    if len(chars) == 1:
        return lambda text, c=chars: c in text
    if len(chars) == 2:
        return lambda text, a=chars[0], b=chars[1]: a in text or b in text
    if len(chars) == 3:
        return lambda text, a=chars[0], b=chars[1], c=chars[2]: a in text or b in text or c in text
    return re.compile("[" + re.escape(chars) + "]").search
