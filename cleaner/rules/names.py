"""One Chinese name, several English renderings in one document (no glossary needed).

MT renders a transliterated name differently from sentence to sentence (莫德罗 as
Modrow, Moderot, Modello). :func:`name_variants` finds such groups over a document or a
stream window from the evidence alone: similar capitalised spellings (not English words)
that never occur together, used in three segments or more, whose segments' sources all
share the same Chinese characters, which in turn occur almost only where one of the
spellings is used. The rule then flags each minority
spelling with the majority one as the suggestion.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from mtmend.cleaner.rule import Context, Scope, register
from mtmend.corpus.model import Severity

# \b[A-Z][a-z]{3,}\b and \b[a-z]{4,}\b with the first letter in front (see Vocabulary's patterns).
_CAPITALISED = re.compile(r"[A-Z](?<!\w[A-Z])[a-z]{3,}\b")
_LOWER = re.compile(r"[a-z](?<!\w[a-z])[a-z]{3,}\b")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True, slots=True)
class NameVariants:
    """The renderings of one Chinese name: ``zh``, and each spelling with its count."""

    zh: str
    renderings: tuple[tuple[str, int], ...]

    @property
    def preferred(self) -> str | None:
        """The majority spelling, or ``None`` on a tie."""
        (first, n), (_, m) = self.renderings[0], self.renderings[1]
        return first if n > m else None


def _similar(a: str, b: str) -> bool:
    """Two spellings of one name: same start, alike, and neither a derivation of the other."""
    if a[:2] != b[:2]:
        return False
    shared = 0
    while shared < min(len(a), len(b)) and a[shared] == b[shared]:
        shared += 1
    if shared >= min(len(a), len(b)) - 1:
        return False  # China/Chinese, Taiwan/Taiwanese: one word and its derivation
    return SequenceMatcher(None, a, b).ratio() >= 0.6


def _grams(text: str) -> set[str]:
    out: set[str] = set()
    for run in _CJK.findall(text):
        for n in (2, 3, 4):
            out.update(run[i : i + n] for i in range(len(run) - n + 1))
    return out


def name_variants(pairs: Iterable[tuple[str, str]]) -> list[NameVariants]:
    """Groups of spellings of one Chinese name in ``(source, target)`` pairs.

    >>> pairs = [("莫德罗说。", "Modrow said."), ("莫德罗访华。", "Moderot visited China."),
    ...          ("莫德罗笑了。", "Modrow smiled."), ("他走了。", "Model left.")]
    >>> name_variants(pairs)
    [NameVariants(zh='莫德罗', renderings=(('Modrow', 2), ('Moderot', 1)))]
    """
    pairs = [(s, t) for s, t in pairs if s and t]
    where: dict[str, set[int]] = defaultdict(set)
    for i, (_, target) in enumerate(pairs):
        for word in _CAPITALISED.findall(target):
            where[word].add(i)
    lower = {w for _, target in pairs for w in _LOWER.findall(target)}
    words = sorted(w for w in where if w.lower() not in lower)  # `During` is an English word
    groups = _clusters(words, where)
    found = []
    for group in groups:
        if sum(len(where[w]) for w in group) < 3:
            continue  # one use of each spelling is too little evidence
        zh = _common_name(group, where, pairs)
        if zh:
            counts = Counter({w: len(where[w]) for w in group})
            found.append(NameVariants(zh, tuple(counts.most_common())))
    return found


def _clusters(words: list[str], where: Mapping[str, set[int]]) -> list[list[str]]:
    """Similar spellings that never share a segment, grouped (each word in one group)."""
    by_start: dict[str, list[str]] = defaultdict(list)
    for w in words:
        by_start[w[:2]].append(w)
    groups = []
    for candidates in by_start.values():
        used: set[str] = set()
        for i, a in enumerate(candidates):
            if a in used:
                continue
            group = [a]
            for b in candidates[i + 1 :]:
                if b not in used and all(_similar(x, b) and not (where[x] & where[b]) for x in group):
                    group.append(b)
            if len(group) > 1:
                used.update(group)
                groups.append(group)
    return groups


def _common_name(group: list[str], where: Mapping[str, set[int]], pairs: list[tuple[str, str]]) -> str | None:
    """The Chinese characters every segment of the group shares and others rarely have."""
    segments = set().union(*(where[w] for w in group))
    common: set[str] | None = None
    for i in segments:
        grams = _grams(pairs[i][0])
        common = grams if common is None else common & grams
        if not common:
            return None
    best = None
    for gram in sorted(common or (), key=len, reverse=True):
        elsewhere = sum(1 for j, (source, _) in enumerate(pairs) if j not in segments and gram in source)
        if elsewhere * 4 <= len(segments):  # the characters go with the name
            best = gram
            break
    return best


@register(
    "flag_name_variants", category="Fluency/Inconsistency", severity=Severity.MINOR, auto=False,
    scope=Scope.DOCUMENT, needs_source=True,
)
def flag_name_variants(text: str, ctx: Context):
    """Flag a name spelled differently from the rest of the document for the same Chinese name.

    Uses :func:`name_variants` over the document (workspace) or the input window (TSV
    filter): where one Chinese name (莫德罗) is rendered ``Modrow`` three times and
    ``Moderot`` once, ``Moderot`` is flagged with ``Modrow`` as the suggestion — no
    glossary entry needed (a glossary settles which spelling is approved). On a tie it
    only flags. Leaves alone spellings whose segments share no Chinese name.

    >>> from mtmend.cleaner.rules.names import NameVariants
    >>> v = {"Moderot": NameVariants("莫德罗", (("Modrow", 3), ("Moderot", 1)))}
    >>> example(flag_name_variants, "Moderot visited Beijing.", source="莫德罗访问北京。", names=v)
    "'Moderot' -> 'Modrow'"
    """
    names = ctx.names
    if not names:
        return ()
    out = []
    for m in _CAPITALISED.finditer(text):
        variants = names.get(m.group())
        if variants is None or variants.zh not in ctx.source:
            continue
        spelled = ", ".join(f"{w} ×{n}" for w, n in variants.renderings)
        out.append((m.start(), m.end(), variants.preferred, f"{variants.zh} is rendered several ways: {spelled}"))
    return out


def variants_by_spelling(pairs: Iterable[tuple[str, str]]) -> dict[str, NameVariants]:
    """Each minority (or tied) spelling of a name group, mapped to its group (the rule's input)."""
    out: dict[str, NameVariants] = {}
    for group in name_variants(pairs):
        preferred = group.preferred
        for word, _ in group.renderings:
            if word != preferred:
                out[word] = group
    return out
