"""The one immutable configuration of a cleaning run, and its signature.

Every setting that changes what the cleaner does travels in :class:`CleanConfig`, and
:meth:`CleanConfig.signature` renders it (with the mtmend version and the enabled rules)
the way sacrebleu renders a score's settings, so a stored pass says exactly what ran.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from mtmend.cleaner.rule import QuoteStyle
from mtmend.corpus.errors import InputError
from mtmend.corpus.version import mtmend_version

if TYPE_CHECKING:
    from mtmend.cleaner.glossary import Glossary
    from mtmend.cleaner.rule import Rule

__all__ = ["CleanConfig", "QuoteStyle", "choose_rules", "default_rule_ids", "rule_ids"]


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """Settings of one cleaning run. ``enabled`` is a set of rule ids (``None``: all rules).

    ``empty_removed_rows``: in aligned (TSV) input, empty the English of a row a rule
    would remove (boilerplate, a duplicate) instead of only flagging it; the row stays.
    """

    quote_style: QuoteStyle = QuoteStyle.AUTO
    enabled: frozenset[str] | None = None
    glossary: Glossary | None = None
    empty_removed_rows: bool = False

    def rules(self) -> tuple[Rule, ...]:
        """The enabled rules, in registry order."""
        return _select(self.enabled)

    def signature(self) -> str:
        """``mtmend:VERSION|rules:N:HASH|quotes:STYLE|glossary:HASH`` — what produced a result."""
        ids = ",".join(r.id for r in self.rules())
        rules_hash = hashlib.sha256(ids.encode()).hexdigest()[:8]
        glossary = self.glossary.digest()[:12] if self.glossary is not None else "none"
        rows = "|rows:empty" if self.empty_removed_rows else ""
        return f"mtmend:{mtmend_version()}|rules:{len(self.rules())}:{rules_hash}|quotes:{self.quote_style}|glossary:{glossary}{rows}"

    def describe(self) -> dict:
        """The signature's parts as JSON-able data (stored in a pass's summary)."""
        return {
            "signature": self.signature(),
            "version": mtmend_version(),
            "rules": [r.id for r in self.rules()],
            "quote_style": str(self.quote_style),
            "glossary": None if self.glossary is None else {"path": self.glossary.name, "entries": len(self.glossary.entries), "sha256": self.glossary.digest()},
        }


def rule_ids() -> tuple[str, ...]:
    from mtmend.cleaner.rules import RULES

    return tuple(r.id for r in RULES)


def default_rule_ids() -> tuple[str, ...]:
    """The rules that run when none are chosen (those on by default)."""
    return tuple(r.id for r in _select(None))


def choose_rules(only: str | None, skip: str | None) -> frozenset[str] | None:
    """Turn ``--rules``/``--skip-rules`` (comma-separated ids) into an enabled set.

    Raises :class:`InputError` naming unknown ids and listing the valid ones.
    """
    valid = rule_ids()
    chosen = set(default_rule_ids()) if only is None else _parse_ids(only, valid, "--rules")
    if skip is not None:
        chosen -= _parse_ids(skip, valid, "--skip-rules")
    if only is None and skip is None:
        return None
    return frozenset(chosen)


def _parse_ids(text: str, valid: tuple[str, ...], option: str) -> set[str]:
    ids = {part.strip() for part in text.split(",") if part.strip()}
    unknown = sorted(ids - set(valid))
    if unknown:
        raise InputError(f"{option}: unknown rule {', '.join(unknown)} (valid rules: {', '.join(valid)}; see mtmend rules)")
    if not ids:
        raise InputError(f"{option}: no rule named (give comma-separated ids; see mtmend rules)")
    return ids


@lru_cache(maxsize=64)
def _select(enabled: frozenset[str] | None) -> tuple[Rule, ...]:
    from mtmend.cleaner.rules import RULES

    if enabled is None:
        return tuple(r for r in RULES if r.default)
    return tuple(r for r in RULES if r.id in enabled)
