"""Whether the issue a whole-segment flag names is still there: the rule that raised it, asked again.

A flag about a whole segment (a glossary term missing, a number of the source missing, a
target that copies the source) has no flagged text that an edit could remove, so
:func:`mtmend.corpus.issues.settled` cannot tell from the text alone that it was fixed:
``clean`` and the review ask the rule instead (:func:`still_holds`).
"""

from __future__ import annotations

from collections.abc import Callable

from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.engine import clean_text
from mtmend.cleaner.glossary import RULE_ID as GLOSSARY_RULE
from mtmend.cleaner.glossary import Glossary
from mtmend.cleaner.rule import Scope
from mtmend.cleaner.rules import BY_ID
from mtmend.corpus.issues import covers
from mtmend.corpus.model import AuthorKind, Edit


def still_holds(edit: Edit, source: str, target: str, config: CleanConfig) -> bool | None:
    """True when the rule that raised ``edit`` flags the whole ``target`` again, False when it
    does not, None when it cannot be asked (a person's flag, a document-wide rule, a glossary
    term the configured glossary does not hold).

    >>> from mtmend.cleaner.glossary import Entry
    >>> g = Glossary((Entry("海南", "Hainan"),))
    >>> flag = g.propose("海南发展", "The island grows.")[0]
    >>> [still_holds(flag, "海南发展", t, CleanConfig(glossary=g)) for t in ("The island grows fast.", "Hainan grows.")]
    [True, False]
    """
    if edit.author_kind is not AuthorKind.RULE or not edit.is_flag:
        return None
    if edit.author == GLOSSARY_RULE:
        entry = None if config.glossary is None else config.glossary.entry_flagged(edit.note)
        if entry is None:
            return None
        text, raised = target, Glossary((entry,)).propose(source, target)
    else:
        rule = BY_ID.get(edit.author)
        if rule is None or rule.scope is not Scope.SEGMENT:
            return None
        result = clean_text(target, source=source or None, config=config, rules=(rule,))
        text, raised = result.text, result.suggested
    return any(covers(f, text) and (f.author, f.category) == (edit.author, edit.category) for f in raised)


def asker(source: str, target: str, config: CleanConfig) -> Callable[[Edit], bool | None]:
    """:func:`still_holds` for one segment's text, as :meth:`Workspace.settle` takes it."""
    return lambda edit: still_holds(edit, source, target, config)
