"""TMX units → :class:`Item`: the variants chosen, the author, and what is skipped and why.

The first half of an import (see :mod:`mtmend.tmx.importing`, which writes the items to
the workspace): nothing here touches the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mtmend.tmx import export as keys
from mtmend.tmx import langs, validation
from mtmend.tmx.langs import pick
from mtmend.tmx.model import ImportSettings, Issue, Unit, Variant


@dataclass(slots=True)
class Issues:
    """Warnings aggregated by kind: a count and the first few lines, not one per unit."""

    path: Path
    seen: dict[str, list] = field(default_factory=dict)

    def add(self, code: str, message: str, line: int) -> None:
        entry = self.seen.setdefault(code, [message, 0, []])
        entry[1] += 1
        if len(entry[2]) < 5:
            entry[2].append(line)

    def issues(self) -> tuple[Issue, ...]:
        out = []
        for code, (message, count, lines) in self.seen.items():
            where = ", ".join(str(n) for n in lines) + (", …" if count > len(lines) else "")
            out.append(Issue(code, f"{self.path}: {count} unit(s) {message} (line {where})", lines[0]))
        return tuple(out)


@dataclass(slots=True)
class Tally:
    units: int = 0
    new_segments: int = 0
    updated: int = 0
    suggested: int = 0
    unchanged: int = 0
    skipped: int = 0
    new_documents: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Item:
    """A unit reduced to what the workspace needs."""

    unit: Unit
    document: str
    source: Variant | None
    target: Variant | None
    author: str
    props: dict[str, str]  # the first value of each prop type: one scan instead of one per lookup
    fields: validation.UnitFields  # the x-mtmend-* props, checked at the boundary


def author_of(unit: Unit, target: Variant | None, header_id: str | None, fallback: str,
              exclude: frozenset[str] = frozenset()) -> str:
    """Who made the unit's target, by the rule in the module docstring.

    Names in ``exclude`` (mtmend's own rules, stamped on the units it exported) are
    passed over: a unit that comes back is the work of the file's author, not of a rule.
    """
    for candidate in (
        target.changeid if target else None, target.creationid if target else None,
        unit.changeid, unit.creationid, header_id,
    ):
        if candidate and candidate.strip() and candidate.strip() not in exclude:
            return candidate.strip()
    return fallback


class Intake:
    """One import's reading side: the units it took and skipped, with the warnings to report."""

    def __init__(self, path: Path, settings: ImportSettings, kind: str, issues: Issues, tally: Tally):
        self.path, self.settings, self.kind = path, settings, kind
        self.issues, self.tally = issues, tally
        self.mapped: set[str] = set()
        self.notices: list[Issue] = []
        self.header_id: str | None = None

    def items(self, units: Iterator[Unit], header_id: str | None, stem: str) -> Iterator[Item]:
        src_lang, tgt_lang = self.settings.source_lang, self.settings.target_lang
        fallback = f"{self.kind}:{self.path.name}"
        self.header_id = header_id
        for unit in units:
            self.tally.units += 1
            source, sq = pick(unit.variants, src_lang)
            target, tq = pick(unit.variants, tgt_lang)
            self.note_mapping(source, sq, src_lang, unit.line)
            self.note_mapping(target, tq, tgt_lang, unit.line)
            props = first_props(unit)
            ours = keys.POSITION in props and keys.DOCUMENT in props
            if source is None and not (ours and target is not None):
                self.skip("no-source", f"have no {src_lang} variant; skipped", unit.line)
                continue
            if target is None and not (ours and source is not None):
                self.skip("no-target", f"have no {tgt_lang} variant; skipped", unit.line)
                continue
            if not ours and not target.text.strip():
                self.skip("empty-target", "have an empty target; skipped (never imported as an empty translation)", unit.line)
                continue
            if not ours and not source.text.strip():
                self.skip("empty-source", "have an empty source; skipped", unit.line)
                continue
            fields = validation.unit_fields(props, unit.props_of(keys.ANNOTATION), validation.Where(self.path, unit.line))
            document = props.get(keys.DOCUMENT) or stem
            yield Item(unit, document, source, target, author_of(unit, target, header_id, fallback), props, fields)

    def note_mapping(self, variant: Variant | None, quality, wanted: str, line: int) -> None:
        if variant is not None and quality is langs.LangMatch.FAMILY and variant.lang not in self.mapped:
            self.mapped.add(variant.lang)
            self.notices.append(Issue("lang-mapped", f"{self.path}:{line}: language {variant.lang!r} mapped onto "
                                      f"{wanted} (same primary language)", line))

    def skip(self, code: str, message: str, line: int) -> None:
        self.tally.skipped += 1
        self.issues.add(code, message, line)


def first_props(unit: Unit) -> dict[str, str]:
    """Each prop type's first value (what :meth:`Unit.prop` returns), in one pass."""
    first: dict[str, str] = {}
    for prop in unit.props:
        if prop.type not in first:
            first[prop.type] = prop.value
    return first
