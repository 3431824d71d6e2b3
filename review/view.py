"""What a reviewer sees of a segment: pure functions shared by both review UIs.

The full-screen application and ``review --plain`` show the same thing: the target
diffed against the MT, pending suggestions and flags marked inline with their list
numbers, and one label line per annotation (the status line's quality figures are
kept current by :mod:`.figures`). Suggestions are placed by
:func:`mtmend.corpus.edits.locate`, the rule the store accepts them by, so what is shown
is what gets applied.
Nothing here touches the store.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mtmend.corpus.edits import locate  # the rule the store applies suggestions by
from mtmend.corpus.model import Annotation, EditState


@dataclass(frozen=True, slots=True)
class Mark:
    """An annotation shown inside the target: its list number and where it sits now."""

    number: int
    start: int
    end: int
    after: str | None  # None: a flag


def inline_marks(target: str, annotations: Sequence[Annotation]) -> list[Mark]:
    """Pending replacements and flags (any live state) that fit the target, without overlaps.

    Numbers are 1-based positions in ``annotations``; applied replacements are not marked
    (the MT-to-target diff shows them).
    """
    marks: list[Mark] = []
    for number, ann in enumerate(annotations, 1):
        live = ann.state is EditState.SUGGESTED or (ann.edit.is_flag and ann.state is EditState.APPLIED)
        where = locate(target, ann.edit) if live else None
        if where is not None:
            marks.append(Mark(number, where[0], where[1], ann.edit.after))
    kept: list[Mark] = []
    # Replacements first: a flag over the whole sentence must not hide a suggestion inside it.
    for m in sorted(marks, key=lambda m: (m.after is None, m.start, m.end)):
        if not any(m.start == k.start or (m.start < k.end and k.start < m.end) for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


@functools.cache
def _token_pattern() -> re.Pattern[str]:
    """Diff tokens, compiled on first use.

    A word keeps its trailing spaces, so "[-to Power-]" is one change, not two.
    """
    return re.compile(r"\w+\s*|[^\w\s]\s*|\s+")


def target_pieces(mt: str, target: str, marks: Sequence[Mark] = ()) -> list[tuple[str, str]]:
    """The target as ``(kind, text)`` pieces: a word diff against the MT plus inline marks.

    Kinds: ``same``; ``del`` ``[-text-]`` and ``ins`` ``{+text+}`` (applied changes);
    ``sug`` ``{~~old~>new~~}#n`` (a pending replacement, number n); ``flag`` ``{==text==}#n``.
    The markers are part of the text, so the difference shows without colour too.

    >>> target_pieces("a big cat", "a cat")
    [('same', 'a '), ('del', '[-big -]'), ('same', 'cat')]
    """
    from difflib import SequenceMatcher

    tokens = _token_pattern().findall
    a, b = tokens(mt), tokens(target)
    inserted = [False] * len(target)
    deleted: dict[int, str] = {}
    offsets = [0]
    for tok in b:
        offsets.append(offsets[-1] + len(tok))
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            deleted[offsets[j1]] = deleted.get(offsets[j1], "") + "".join(a[i1:i2])
        if tag in ("insert", "replace"):
            for k in range(offsets[j1], offsets[j2]):
                inserted[k] = True
    at = {m.start: m for m in marks}
    pieces: list[tuple[str, str]] = []

    def emit(kind: str, text: str) -> None:
        if pieces and pieces[-1][0] == kind and kind in ("same", "ins"):
            pieces[-1] = (kind, pieces[-1][1] + text)
        else:
            pieces.append((kind, text))

    i = 0
    while i <= len(target):
        if i in deleted:
            pieces.append(("del", deleted.pop(i)))
        mark = at.pop(i, None)
        if mark is not None:
            old = target[mark.start : mark.end]
            if mark.after is None:
                pieces.append(("flag", f"{{=={old}==}}#{mark.number}"))
            else:
                pieces.append(("sug", f"{{~~{old}~>{mark.after}~~}}#{mark.number}"))
            if mark.end > i:
                i = mark.end
                continue
        if i == len(target):
            break
        emit("ins" if inserted[i] else "same", target[i])
        i += 1
    return [(k, f"[-{t}-]" if k == "del" else f"{{+{t}+}}" if k == "ins" else t) for k, t in pieces]


def edit_label(ann: Annotation, target: str | None = None) -> str:
    """One line per annotation: who proposed it, MQM category, severity, state, the change.

    An open flag quotes ``target`` (the current text) when given, never a stale one: the
    flagged text where it is now, or the whole current target for a flag made on a whole
    target that has changed since (a missing glossary term). A resolved flag quotes the
    text it flagged: that text is gone, which is why it was resolved.
    """
    e = ann.edit
    live = target is not None and ann.state in (EditState.SUGGESTED, EditState.APPLIED)
    flagged = _flagged(e, target) if live else e.before
    change = f"flag {flagged!r}" if e.is_flag else f"{e.before!r} → {e.after!r}"
    who = f"{e.author_kind.value}:{e.author}"
    extra = f" — {ann.comment}" if ann.comment else (f" — {e.note}" if e.note else "")
    return f"[{who} · {e.category} · {e.severity.value}] {ann.state.value}: {change}{extra}"


def _flagged(edit, target: str) -> str:
    """The text an open flag is about in ``target``."""
    where = locate(target, edit)
    if where is not None:
        return target[where[0] : where[1]]
    # Not there: a whole-target flag is about the current target; a span flag keeps the text it named.
    return target if edit.start == 0 else edit.before
