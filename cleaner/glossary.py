"""The terminology glossary: loading (TSV, TBX-Basic), adding entries, and proposing edits.

A glossary entry pairs a Chinese term with its approved English rendering, the forbidden
variants (the renderings machine translation produced that must be replaced) and a note.
The Chinese side is found in a source segment by jieba, with every glossary term added
to its dictionary, so a term is only found where the segmentation agrees (链上海南 is
链上 + 海南, so a glossary entry for 上海 does not fire there). jieba is loaded lazily,
quietly, and only when a glossary term occurs in the source as a plain substring.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from mtmend.cleaner.tbx import read_tbx
from mtmend.cleaner.zhwords import HAN_ONLY, is_word_at
from mtmend.corpus.errors import InputError
from mtmend.corpus.model import Edit, Severity
from mtmend.corpus.outfile import open_output
from mtmend.corpus.textio import read_text

TSV_HEADER = ("zh", "en", "forbidden", "note")
RULE_ID = "apply_glossary"  # the author of glossary edits (the rule in rules/terminology.py)
WORKSPACE_FILE = "glossary.tsv"  # a workspace's own glossary: clean uses it by default, review adds to it


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary entry."""

    zh: str
    en: str
    forbidden: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """One glossary term rendered in several ways across the corpus: (rendering, count) pairs."""

    zh: str
    approved: str
    renderings: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Glossary:
    """An immutable list of entries (``name`` is where it came from, for messages)."""

    entries: tuple[Entry, ...]
    name: str = ""
    _found: dict = field(default_factory=dict, compare=False, repr=False)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: Path | str) -> Glossary:
        """Read a TSV (``zh  en  forbidden  note``) or TBX-Basic glossary.

        Raises :class:`InputError` for an empty glossary or a malformed row, naming the row.
        """
        path = Path(path)
        if path.suffix.lower() in (".tbx", ".xml"):
            entries = [Entry(*fields) for fields in read_tbx(path)]
        else:
            entries = parse_tsv(read_text(path, chinese=True), str(path))
        if not entries:
            raise InputError(f"{path}: the glossary has no entries; add rows of zh<TAB>en<TAB>forbidden<TAB>note")
        return cls(tuple(entries), str(path))

    @staticmethod
    def add_entry(path: Path | str, zh: str, en: str, forbidden: Sequence[str] = (), note: str = "") -> Entry:
        """Append an entry to a TSV glossary (created with its header if missing), atomically."""
        path = Path(path)
        entry = Entry(zh.strip(), en.strip(), tuple(f.strip() for f in forbidden if f.strip()), note.strip())
        for label, value in (("zh", entry.zh), ("en", entry.en), ("note", entry.note), *(("forbidden", f) for f in entry.forbidden)):
            if any(ch in value for ch in "\t\n\r") or (label in ("zh", "en") and not value):
                raise InputError(f"glossary entry: {label} must be non-empty text without tabs or line breaks")
            if label == "forbidden" and "|" in value:
                raise InputError("glossary entry: a forbidden variant cannot contain '|'")
        if path.suffix.lower() in (".tbx", ".xml"):
            raise InputError(f"{path}: entries can only be added to a TSV glossary")
        text = read_text(path, chinese=True) if path.exists() else "\t".join(TSV_HEADER) + "\n"
        parse_tsv(text, str(path))  # refuse to append to a malformed file
        if not text.endswith("\n"):
            text += "\n"
        text += "\t".join((entry.zh, entry.en, " | ".join(entry.forbidden), entry.note)) + "\n"
        with open_output(path) as out:
            out.write(text)
        return entry

    def digest(self) -> str:
        """sha256 of the entries: part of the ruleset signature."""
        h = hashlib.sha256()
        for e in self.entries:
            h.update("\t".join((e.zh, e.en, "|".join(e.forbidden), e.note)).encode())
            h.update(b"\n")
        return h.hexdigest()

    # ------------------------------------------------------------------ matching
    def terms_in(self, source: str) -> list[Entry]:
        """Entries whose Chinese term occurs in ``source`` as jieba segments it."""
        found = self._found.get(source)  # the engine asks again on every round
        if found is not None:
            return found
        candidates = [e for e in self.entries if e.zh in source]
        if candidates:
            # A term inside a longer glossary term is not found on its own: the longer entry
            # covers that text (全球金融科技中心 rather than 金融科技; 链上海南 rather than 上海).
            terms, han = self._zh_terms, self._han_terms
            candidates = [e for e in candidates if e.zh not in han or _is_word_somewhere(terms, e.zh, source)]
        if len(self._found) > 1024:
            self._found.clear()
        self._found[source] = candidates
        return candidates

    def renderings(self, entry: Entry, target: str, folded: str | None = None) -> list[tuple[str, re.Match]]:
        """Occurrences in ``target`` of the entry's approved form (``""``) or a forbidden variant.

        ``folded`` is ``target.casefold()`` when the caller has it: every match of a
        rendering's pattern folds to the rendering, so a plain substring test skips the
        regular expressions of renderings that cannot occur.
        """
        if folded is None:
            folded = target.casefold()
        found = []
        aligned = len(folded) == len(target)  # no character folded to several: same offsets
        for variant, pattern, key in self._compiled(entry):
            at = folded.find(key)
            if at < 0:
                continue
            if not aligned:
                found.extend((variant, m) for m in pattern.finditer(target))
                continue
            # Only where the folded key occurs can a match start: try those offsets
            # (skipping overlaps, as finditer does) rather than scanning the whole line.
            while at >= 0:
                m = pattern.match(target, at)
                if m is not None:
                    found.append((variant, m))
                    at = folded.find(key, m.end())
                else:
                    at = folded.find(key, at + 1)
        return found

    def propose(self, source: str, target: str) -> list[Edit]:
        """Glossary edits for one segment: forbidden variants replaced, missing terms flagged.

        A replacement is automatic for a name or phrase, a suggestion for a single
        lower-case word (it usually needs rewording); a flag (``after=None``) marks a found
        term whose approved rendering is missing.
        """
        if not source or not target:
            return []
        edits: list[Edit] = []
        folded = None
        for entry in self.terms_in(source):
            if folded is None:
                folded = target.casefold()
            hits = self.renderings(entry, target, folded)
            approved = [m.span() for variant, m in hits if variant == ""]
            for variant, m in hits:
                if variant and not any(s < m.end() and m.start() < e for s, e in approved):
                    after = _match_case(entry.en, m.group())
                    auto = " " in variant or not variant.islower()
                    note = f"glossary: {entry.zh} → {entry.en}"
                    edits.append(
                        Edit(m.start(), m.end(), m.group(), after, RULE_ID, "Terminology/Wrong term", Severity.MAJOR, auto, note)
                    )
            if not hits:
                edits.append(
                    Edit(0, len(target), target, None, RULE_ID, "Terminology/Wrong term", Severity.MINOR, False,
                         missing_note(entry))
                )
        return edits

    def entry_flagged(self, note: str) -> Entry | None:
        """The entry whose missing-term flag carries ``note`` (None: not in this glossary)."""
        return next((e for e in self.entries if missing_note(e) == note), None)

    def _compiled(self, entry: Entry) -> list[tuple[str, re.Pattern, str]]:
        cached = self._variants_by_id.get(id(entry))
        return cached if cached is not None else _variant_patterns(entry)  # an entry from elsewhere

    # Derived once from the entries (cached_property writes the instance's __dict__, which
    # a frozen dataclass allows).
    @cached_property
    def _variants_by_id(self) -> dict[int, list[tuple[str, re.Pattern, str]]]:
        # Keyed by identity: the glossary's entries live as long as it does, so no other
        # object has their ids; hashing a frozen dataclass rebuilds a tuple every time.
        return {id(e): _variant_patterns(e) for e in self.entries}

    @cached_property
    def _zh_terms(self) -> frozenset[str]:
        return frozenset(e.zh for e in self.entries)

    @cached_property
    def _han_terms(self) -> frozenset[str]:
        return frozenset(e.zh for e in self.entries if HAN_ONLY.fullmatch(e.zh))

def missing_note(entry: Entry) -> str:
    """The note of the flag on a segment whose source has ``entry``'s term and whose English lacks it."""
    return f"glossary: {entry.zh} should be rendered '{entry.en}'"


def parse_tsv(text: str, name: str) -> list[Entry]:
    """Entries of a TSV glossary; the first line must be the header ``zh en forbidden note``."""
    lines = text.split("\n")
    header = tuple(c.strip().lower() for c in lines[0].lstrip("\ufeff").split("\t"))
    if header[:2] != TSV_HEADER[:2]:
        raise InputError(f"{name}:1: expected the header line 'zh<TAB>en<TAB>forbidden<TAB>note', found {lines[0][:60]!r}")
    entries = []
    for number, line in enumerate(lines[1:], 2):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or len(cols) > 4:
            raise InputError(f"{name}:{number}: expected 2 to 4 tab-separated columns (zh, en, forbidden, note), found {len(cols)}")
        zh, en = cols[0].strip(), cols[1].strip()
        if not zh or not en:
            raise InputError(f"{name}:{number}: the {'zh' if not zh else 'en'} column is empty")
        forbidden = tuple(v.strip() for v in cols[2].split("|") if v.strip()) if len(cols) > 2 else ()
        entries.append(Entry(zh, en, forbidden, cols[3].strip() if len(cols) > 3 else ""))
    return entries


def inconsistencies(glossary: Glossary, pairs: Iterable[tuple[str, str]]) -> list[Inconsistency]:
    """Glossary terms rendered in more than one way across ``(source, target)`` pairs.

    ``"Chain Six"`` in one segment and ``"Six Chains"`` in another, both for 链六条, is one
    inconsistency with two renderings.
    """
    seen: dict[Entry, Counter] = {}
    for source, target in pairs:
        if not source or not target:
            continue
        for entry in glossary.terms_in(source):
            counter = seen.setdefault(entry, Counter())
            for _, m in glossary.renderings(entry, target):
                counter[m.group()] += 1
    return [
        Inconsistency(e.zh, e.en, tuple(sorted(c.items())))
        for e, c in seen.items()
        if len({k.lower() for k in c}) > 1
    ]


def _term_pattern(term: str, approved: bool) -> re.Pattern:
    """A whole-word pattern: the approved form in any case; a variant with a free first letter.

    A variant in title case (a name) also matches its all-lower-case spelling.
    """
    body = re.escape(term)
    if approved:
        return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)
    if term[:1].isalpha():
        body = f"[{re.escape(term[0].lower())}{re.escape(term[0].upper())}]" + re.escape(term[1:])
    alternatives = [body]
    if term != term.lower() and any(w[:1].isupper() for w in term.split()[1:]):
        alternatives.append(re.escape(term.lower()))
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])")


def _variant_patterns(entry: Entry) -> list[tuple[str, re.Pattern, str]]:
    """(variant, pattern, casefolded variant) for the approved form (``""``) and each forbidden one."""
    patterns = [("", _term_pattern(entry.en, True), entry.en.casefold())]
    return patterns + [(v, _term_pattern(v, False), v.casefold()) for v in entry.forbidden]


def _match_case(approved: str, found: str) -> str:
    """Keep a sentence-initial capital: ``test area`` → ``pilot zone``, ``Test area`` → ``Pilot zone``."""
    if found[:1].isupper() and approved[:1].islower():
        return approved[0].upper() + approved[1:]
    return approved


def _is_word_somewhere(terms: frozenset[str], term: str, source: str) -> bool:
    at = source.find(term)
    while at >= 0:
        if is_word_at(terms, source, at, at + len(term)):
            return True
        at = source.find(term, at + 1)
    return False
