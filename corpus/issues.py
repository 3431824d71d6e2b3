"""Open issues of the alignment itself, and when an open issue is settled.

A bead with an empty side is an error a post-editor must see first: an empty English side
is an MQM *Accuracy/Omission* (the MT dropped the sentence), an empty Chinese side an
*Accuracy/Addition*. Both are recorded as open (SUGGESTED) flags by ``alignment``, so
``status``, the review and MQM count them like any other open issue. An omission can
also hide inside a joined bead: when the MT dropped a sentence, the aligner may attach the
Chinese sentence to its neighbour (a 2–1 bead). :func:`probable_omissions` flags such a
sentence when both the length model and the dictionary say it has no English counterpart
(flags by ``omission-check``; splitting the bead there isolates it).

:func:`settled` is the one rule for an open issue that other edits made moot.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from mtmend.corpus.model import AuthorKind, Edit, Severity

ALIGNMENT = "alignment"  # author of the empty-side flags
OMISSION_CHECK = "omission-check"  # author of probable omissions inside a bead
OMISSION, ADDITION = "Accuracy/Omission", "Accuracy/Addition"

# A sentence is a probable omission when leaving it out brings the English length at
# least _LENGTH_GAIN standard deviations closer to its prediction (and to within _CLOSE
# of it), and the dictionary finds at most _RELATIVE of the share of its words in the
# English that it finds for each other sentence of the bead. (On the sample articles with
# one English sentence removed at a time: 8 of 13 omissions that became 2-1 beads were
# flagged, and no bead of the untouched articles.)
_LENGTH_GAIN = 1.0
_CLOSE = 1.5
_RELATIVE = 0.5
_MIN_UNITS = 3  # too few dictionary words: no evidence either way


def side_issues(source: str, english: str) -> list[Edit]:
    """The open flag of a bead with an empty side (none when both sides have text).

    ``english`` is the raw MT: a target a rule emptied is a repair, not an omission.

    >>> [e.category for e in side_issues("她笑了。", "")]
    ['Accuracy/Omission']
    >>> [e.category for e in side_issues("", "She laughed.")]
    ['Accuracy/Addition']
    >>> side_issues("她笑了。", "She laughed.")
    []
    """
    if source.strip() and not english.strip():
        return [_flag(0, 0, english, OMISSION, "the English side is empty: the MT has no translation of this source",
                      ALIGNMENT)]
    if english.strip() and not source.strip():
        return [_flag(0, len(english), english, ADDITION, "the Chinese side is empty: this English translates nothing",
                      ALIGNMENT)]
    return []


def probable_omissions(source: str, target: str, ratio: float, variance: float) -> list[Edit]:
    """Flags for Chinese sentences of a joined bead that have no English counterpart.

    ``ratio`` and ``variance`` are the document's length model (English characters per
    Chinese character, Gale–Church variance). The flag sits at the end of the target
    (or its start, for a first sentence) and names the sentence in its note.
    """
    from mtmend.corpus import split
    from mtmend.corpus.align_length import lengths, zh_lengths
    from mtmend.corpus.align_lexical import Lexical

    if sum(source.count(mark) for mark in "。！？!?；") < 2 or not target.strip():
        return []  # cheap test first: most beads hold one Chinese sentence
    sentences = split.split_zh(source)
    if len(sentences) < 2 or not target.strip():
        return []
    en_sentences = split.split_en(target)
    if len(sentences) <= len(en_sentences):
        return []
    predicted = [wide * ratio + narrow for wide, narrow in zh_lengths(sentences)]
    en_len = sum(lengths([target]))
    lexical = Lexical.from_sentences(sentences, [target], dictionary=True)
    found = [_found_share(lexical, i) for i in range(len(sentences))]
    whole = _deviation(sum(predicted), en_len, variance)
    out = []
    for i, sentence in enumerate(sentences):
        without = _deviation(sum(predicted) - predicted[i], en_len, variance)
        others = [f for k, f in enumerate(found) if k != i and f is not None]
        if (whole - without >= _LENGTH_GAIN and without <= _CLOSE and found[i] is not None
                and others and found[i] <= _RELATIVE * min(others)):
            at = 0 if i == 0 else len(target)
            out.append(_flag(at, at, "", OMISSION, f"probable omission: no English for 「{sentence}」",
                             OMISSION_CHECK))
    return out


def covers(edit: Edit, target: str) -> bool:
    """Whether ``edit`` is a flag about the whole of ``target`` (it spans all of it).

    Such a flag (a glossary term missing, a number of the source missing) names no text
    that an edit could remove: any edit changes its text, fixed or not.

    >>> covers(Edit(0, 3, "Hi.", None, "r", "Other", Severity.MINOR, False), "Hi.")
    True
    """
    return edit.is_flag and bool(target) and edit.start == 0 and edit.end == len(target) and edit.before == target


def settled(target: str, edit: Edit, *, previous: str | None = None,
            holds: Callable[[Edit], bool | None] | None = None) -> bool:
    """Whether an open suggestion or flag is moot in ``target`` (resolved by other edits).

    A replacement is settled when its text is gone and its proposal is there (a rule or a
    person made the same change); a flag when the flagged text is gone (it was fixed);
    an empty-English flag when the English was written; an empty-Chinese flag when the
    English was removed. Probable omissions wait for a person (or a split). A flag about
    the whole target (:func:`covers` it, or ``previous``, the target before the change)
    is settled only when ``holds`` — its rule, asked again — says the issue is gone (False);
    otherwise it stays open (:meth:`~mtmend.corpus.store.Workspace.settle` moves its span).

    >>> e = Edit(0, 3, "cat", "dog", "r", "Other", Severity.MINOR)
    >>> settled("a dog", e), settled("a cat", e)
    (True, False)
    """
    from mtmend.corpus.edits import locate

    if edit.author == OMISSION_CHECK:
        return False
    if edit.author == ALIGNMENT:
        return bool(target.strip()) if edit.category == OMISSION else not target.strip()
    if covers(edit, target) or (previous is not None and covers(edit, previous)):
        return holds is not None and holds(edit) is False
    if locate(target, edit) is not None:
        return False
    if edit.after is None:
        return bool(edit.before)
    return not edit.after or edit.after in target


def _found_share(lexical, i: int) -> float | None:
    """Share of zh sentence ``i``'s dictionary words found in the English (None: too few words)."""
    size = lexical.zh_size[i]
    if size < _MIN_UNITS:
        return None
    zh_mask, _ = lexical.pair(i, 0)
    return zh_mask.bit_count() / size


def _deviation(predicted: float, actual: int, variance: float) -> float:
    """Gale–Church delta: how many standard deviations ``actual`` is from ``predicted``."""
    mean = (predicted + actual) / 2 or 1.0
    return abs(actual - predicted) / math.sqrt(variance * mean)


def _flag(start: int, end: int, target: str, category: str, note: str, author: str) -> Edit:
    return Edit(start, end, target[start:end], None, author, category, Severity.MAJOR, auto=False, note=note,
                author_kind=AuthorKind.RULE)


def document_issues(sources: Sequence[str], mts: Sequence[str]) -> list[list[Edit]]:
    """The alignment issues of each segment of a document (lists in segment order)."""
    from mtmend.corpus.align_length import DEFAULT_VARIANCE, zh_lengths

    wide = sum(w for w, _ in zh_lengths(sources))
    narrow = sum(a for _, a in zh_lengths(sources))
    en_total = sum(len(t) - sum(ch.isspace() for ch in t) for t in mts)
    ratio = (en_total - narrow) / wide if wide and en_total > narrow else 1.0
    out = []
    for source, target in zip(sources, mts, strict=True):
        found = side_issues(source, target)
        if not found:
            found = probable_omissions(source, target, ratio, DEFAULT_VARIANCE)
        out.append(found)
    return out
