"""Applying, replaying and reverting edits on a text.

The current target of a segment is its raw machine translation with its applied edits
replayed in order; each edit's span refers to the text as it was just before that edit.
Reverting one edit rebases the later ones onto a history without it, so any edit can be
undone without disturbing the others — unless a later edit touched the same characters,
which is a conflict the caller must resolve (revert the later edit first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from mtmend.corpus.errors import ConflictError
from mtmend.corpus.model import Edit


def apply_edit(text: str, edit: Edit) -> str:
    """Return ``text`` with ``edit`` applied; raise :class:`ConflictError` if it does not fit.

    >>> from mtmend.corpus.model import Severity
    >>> e = Edit(3, 4, " ", "", "demo", "Fluency/Spelling", Severity.MINOR)
    >>> apply_edit("ab  c", e)
    'ab c'
    """
    if edit.after is None:
        return text  # a flag changes nothing
    if text[edit.start : edit.end] != edit.before:
        raise ConflictError(
            f"edit by {edit.author} expects {edit.before!r} at {edit.start}-{edit.end}, "
            f"found {text[edit.start:edit.end]!r}"
        )
    return text[: edit.start] + edit.after + text[edit.end :]


def replay(mt: str, edits: Iterable[Edit]) -> str:
    """The target that results from applying ``edits`` in order to ``mt``."""
    text = mt
    for edit in edits:
        text = apply_edit(text, edit)
    return text


def find_span(text: str, start: int, end: int, before: str) -> tuple[int, int] | None:
    """Where ``before`` sits in ``text`` now: at ``start:end``, else at the one place it occurs.

    Spans go stale when other edits change the text first; a text found once is unambiguous.

    >>> find_span("a cat", 0, 3, "cat")
    (2, 5)
    >>> find_span("a cat, a cat", 0, 3, "cat") is None
    True
    """
    if text[start:end] == before:
        return start, end
    if before and text.count(before) == 1:
        at = text.index(before)
        return at, at + len(before)
    return None


def locate(target: str, edit: Edit) -> tuple[int, int] | None:
    """Where ``edit`` applies in ``target`` now (see :func:`find_span`); None if nowhere.

    The one rule for accepting a suggestion, showing it and exporting it, so what is
    shown is what gets applied.
    """
    return find_span(target, edit.start, edit.end, edit.before)


def _delta(edit: Edit) -> int:
    return 0 if edit.after is None else len(edit.after) - len(edit.before)


def rebase_without(edits: Sequence[Edit], drop: int) -> list[Edit]:
    """The edits of ``edits`` except ``edits[drop]``, with later spans rebased.

    Raises :class:`ConflictError` when a later edit overlaps the dropped one's result,
    because its ``before`` text would no longer exist.
    """
    if not 0 <= drop < len(edits):
        raise IndexError(drop)
    dropped = edits[drop]
    # Region (in the original history's coordinates) that the dropped edit produced.
    region_start = dropped.start
    region_end = dropped.start + (0 if dropped.after is None else len(dropped.after))
    shift = _delta(dropped)
    kept = list(edits[:drop])
    for edit in edits[drop + 1 :]:
        if dropped.after is not None and edit.start < region_end and region_start < edit.end:
            raise ConflictError(
                f"edit by {edit.author} ({edit.before!r} → {edit.after!r}) changed text that the "
                f"reverted edit produced; revert it first"
            )
        if edit.start >= region_end:
            kept.append(edit.shifted(-shift))
        else:
            kept.append(edit)
        # The later edit moves the dropped region if it sits before it.
        d = _delta(edit)
        if edit.end <= region_start and d:
            region_start += d
            region_end += d
    return kept


def minimal_edit(old: str, new: str) -> tuple[int, int, str, str]:
    """The smallest single span replacement turning ``old`` into ``new``.

    Returns ``(start, end, before, after)`` with ``old[start:end] == before``.

    >>> minimal_edit("the cat sat", "the dog sat")
    (4, 7, 'cat', 'dog')
    """
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < limit - prefix
        and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]
    ):
        suffix += 1
    return prefix, len(old) - suffix, old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]


_WORDS = re.compile(r"\w+|[^\w\s]|\s+")


def word_edits(old: str, new: str) -> list[tuple[int, int, str, str]]:
    """The smallest word-level replacements turning ``old`` into ``new``, left to right.

    Each is ``(start, end, before, after)`` in ``old``'s coordinates, on word and
    punctuation boundaries (a person edits words, not characters); changes separated only
    by spaces are one replacement. Applied right to left, they give ``new``.

    >>> word_edits("Modrow declared it", "Hans Modrow announced it")
    [(0, 0, '', 'Hans '), (7, 15, 'declared', 'announced')]
    >>> word_edits("Learning to Power", "Xuexi Qiangguo")
    [(0, 17, 'Learning to Power', 'Xuexi Qiangguo')]
    """
    from difflib import SequenceMatcher

    a, b = _WORDS.findall(old), _WORDS.findall(new)
    at_a, at_b = _offsets(a), _offsets(b)
    spans: list[list[int]] = []  # [i1, i2, j1, j2] in tokens
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if spans and all(t.isspace() for t in a[spans[-1][1] : i1]):
            spans[-1][1], spans[-1][3] = i2, j2  # only spaces between: one replacement
        else:
            spans.append([i1, i2, j1, j2])
    return [(at_a[i1], at_a[i2], old[at_a[i1] : at_a[i2]], new[at_b[j1] : at_b[j2]]) for i1, i2, j1, j2 in spans]


def _offsets(tokens: Sequence[str]) -> list[int]:
    out = [0]
    for tok in tokens:
        out.append(out[-1] + len(tok))
    return out
