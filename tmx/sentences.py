"""Sentence units for CAT tools that segment by sentence (OmegaT's default, Trados, memoQ).

A CAT tool applies a memory unit only when its source equals one of the tool's own
source segments. mtmend's segments are alignment beads, and a bead can hold several
sentences: the MT glued two English sentences (``companies.In 2019``, split again by
the cleaner), or the aligner joined a sentence with its neighbour. Such a bead matches
no CAT segment, so the tool leaves its Chinese untranslated.

:func:`cat_units` therefore cuts each paragraph into the units a sentence-segmenting
tool sees:

1. **Inside a bead**: when the bead holds two or more sentences on both sides (the
   current, cleaned target is split again), its sentences are re-aligned with the
   project's aligner (:func:`mtmend.corpus.align.align`). English without Chinese
   joins its neighbour; Chinese without English becomes a piece with no target (an
   omission: nothing to translate it with). A group of several Chinese sentences with
   English is cut once more where the lexical anchors show that the English leaves a
   sentence out (:func:`_omission`). A group is also cut after a Chinese headline
   line (a title, a ``来源：`` line: no sentence-final punctuation, then a line break)
   whose English the MT wrote on one line with the next sentence, where
   :func:`mtmend.corpus.headline.headline_cut` finds the English headline's end. When
   the bead is not cut in two or more pieces, it stays whole.
2. **Across pieces**: the default segmentation rules of CAT tools break Chinese after
   ``。！？`` (and half-width ``!?``) only — not after ``；``, not after a closing
   quote (``。”他说``), not at a line break inside a paragraph — where mtmend's own
   splitter also breaks. Consecutive pieces are joined until one ends in such a
   terminator or the next starts a new Chinese paragraph (a bead the aligner joined
   across a paragraph break holds it as a blank line), and the joined piece is one unit.
   A Chinese headline that ends a segment is followed by a line break whose kind the
   workspace does not keep (its own paragraph, or a line of the next paragraph): the
   runs that stop or start there are units too.
3. **One segment per file unit**: in a file with one segment per unit (the XLIFF
   mtmend writes) the tool also breaks at every segment's end, so each segment's own
   run of pieces is a unit too, unless the same source was already written.

Every piece's text is a slice of its segment's source and target (line breaks and
spacing kept); pieces are joined with the text that separated them. A unit that is
exactly one whole segment is that segment's unit; the others are *derived*: they carry
the first segment's position and how many segments they touch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mtmend.corpus.headline import headline_cut, is_headline
from mtmend.corpus.model import Segment

_CAT_END = re.compile(r"[。！？!?]$")
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")
_PARAGRAPH = "\n\n"  # the separator of pieces in two Chinese paragraphs (a bead the importer joined across)
# A sentence this short (in dictionary units) is never called left out: too few words to tell.
# On the Bible gold set (1,335 beads of 2+ Chinese sentences, none left out) 5 flags 13 beads.
_MIN_UNITS = 5


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of sentences of one segment with the English that translates them."""

    segment: Segment
    source: str
    target: str  # "" for Chinese the MT left out
    whole: bool  # the whole segment, not a part of it
    at: tuple[int, int] = (0, 0)  # where the piece starts in the segment's source and target


@dataclass(frozen=True, slots=True)
class CatUnit:
    """What a sentence-segmenting CAT tool sees as one segment, with its translation."""

    source: str
    target: str
    segments: tuple[Segment, ...]  # in order, each once
    whole: bool  # exactly one whole segment


def cat_units(paragraph: Sequence[Segment]) -> Iterator[CatUnit]:
    """The units of one paragraph (segments in order), as described in the module docstring."""
    pieces: list[tuple[Piece, str, str]] = []  # piece, source separator, target separator before it
    for index, seg in enumerate(paragraph):
        # A line break in the English, or after a Chinese headline (a line of its own, though the
        # MT may have put its English on one line with the next sentence: "Title. The forum …").
        zh_sep = "\n" if index and ("\n" in seg.sep or pieces and is_headline(pieces[-1][0].source)) else ""
        en_sep = seg.sep if index else ""
        for k, piece in enumerate(pieces_of(seg)):
            if piece.whole and not piece.source.strip():
                # A segment with English only (an addition) translates nothing: joined to the
                # next Chinese, it would pair that Chinese with a translation of something else.
                continue
            pieces.append((piece, zh_sep, en_sep) if k == 0 else (piece, *_inner_seps(seg, pieces[-1][0], piece)))
    seen: set[str] = set()
    for unit in _runs(pieces):
        seen.add(unit.source)
        yield unit
    # A Chinese headline that ends a segment may be a paragraph of its own (a CAT tool breaks
    # after it) or a line of the next sentence's paragraph (joined above): the workspace keeps
    # the English layout only, so the runs that start or end there are written too.
    for run in _headline_runs(pieces):
        for unit in _unit(run):
            if unit.source not in seen:
                seen.add(unit.source)
                yield unit
    # The same segments one per file unit (an XLIFF trans-unit, a line of a TSV): there a
    # CAT tool always breaks at the segment's end, so a run joined across segments above
    # is cut at each segment boundary too.
    for seg in paragraph:
        mine = [item for item in pieces if item[0].segment.id == seg.id]
        for unit in _runs(mine):
            if unit.source not in seen:
                seen.add(unit.source)
                yield unit


def _headline_runs(pieces: list[tuple[Piece, str, str]]) -> Iterator[list[tuple[Piece, str, str]]]:
    """Every run that may be a CAT segment when each headline ending its segment may or may not
    end a Chinese paragraph: from each start to the next break, stopping at each such headline too."""
    open_ = {i for i in range(1, len(pieces))
             if pieces[i - 1][0].segment.id != pieces[i][0].segment.id and is_headline(pieces[i - 1][0].source)}
    if not open_:
        return
    starts = {0} | open_ | {i for i in range(1, len(pieces)) if _ends_run(pieces[i - 1], pieces[i])}
    for start in sorted(starts):
        for end in range(start, len(pieces)):
            if end + 1 == len(pieces) or end + 1 in open_ or _ends_run(pieces[end], pieces[end + 1]):
                yield pieces[start: end + 1]
            if end + 1 == len(pieces) or _ends_run(pieces[end], pieces[end + 1]):
                break


def _ends_run(item: tuple[Piece, str, str], after: tuple[Piece, str, str]) -> bool:
    """A CAT tool breaks between the two pieces: a sentence end, or a Chinese paragraph break."""
    return bool(_CAT_END.search(item[0].source.rstrip())) or after[1] == _PARAGRAPH


def _runs(pieces: list[tuple[Piece, str, str]]) -> Iterator[CatUnit]:
    """Pieces joined until one ends where CAT rules break (:func:`_ends_run`)."""
    run: list[tuple[Piece, str, str]] = []
    for index, item in enumerate(pieces):
        run.append(item)
        if index + 1 == len(pieces) or _ends_run(item, pieces[index + 1]):
            yield from _unit(run)
            run = []


def _unit(run: list[tuple[Piece, str, str]]) -> Iterator[CatUnit]:
    if not run:
        return
    if any(piece.source.strip() and not piece.target.strip() for piece, _, _ in run):
        # Chinese the MT left out inside the unit: its English would be a partial translation
        # that a CAT tool takes for a full match.
        return
    source = target = ""
    segments: list[Segment] = []
    for i, (piece, zh_sep, en_sep) in enumerate(run):
        source += (zh_sep if i else "") + piece.source
        if piece.target:
            target += (en_sep if target else "") + piece.target
        if not segments or segments[-1].id != piece.segment.id:
            segments.append(piece.segment)
    if source.strip() and target.strip():
        yield CatUnit(source, target, tuple(segments), len(run) == 1 and run[0][0].whole)


def _inner_seps(seg: Segment, before: Piece, after: Piece) -> tuple[str, str]:
    """The text between two pieces of one segment, on each side (``\n\n``: a paragraph break)."""
    zh = seg.source[before.at[0] + len(before.source): after.at[0]]
    en = seg.target[before.at[1] + len(before.target): after.at[1]] if before.target and after.target else ""
    return (_PARAGRAPH if _BLANK_LINE.search(zh) else "\n" if "\n" in zh else ""), (en or " ")


def pieces_of(seg: Segment) -> list[Piece]:
    """A segment's pieces: its re-aligned sentences, or the whole segment."""
    from mtmend.corpus.split import split_en, split_zh

    whole = [Piece(seg, seg.source.strip(), seg.target.strip(), True)]
    zh, en = split_zh(seg.source), split_en(seg.target)
    if len(zh) < 2 or not en:
        return whole
    zh_spans, en_spans = _spans(seg.source, zh), _spans(seg.target, en)
    if zh_spans is None or en_spans is None:
        return whole
    from mtmend.corpus.align import align

    groups = [part for group in _groups(align(zh, en)) for part in _refine(group, zh, en)]
    cuts = [cut for z, e in groups
            for cut in _headlines(seg, zh, zh_spans, z, (en_spans[min(e)][0], en_spans[max(e)][1]) if e else None)]
    if len(cuts) < 2:
        return whole
    return [
        Piece(seg, _slice(seg.source, zh_spans, z), seg.target[e[0]:e[1]] if e else "", False,
              (zh_spans[min(z)][0], e[0] if e else 0))
        for z, e in cuts
    ]


def _headlines(seg: Segment, zh: list[str], zh_spans: list[tuple[int, int]], z: tuple[int, ...],
               en: tuple[int, int] | None) -> list[tuple[tuple[int, ...], tuple[int, int] | None]]:
    """A group cut after each Chinese headline line whose English the MT glued onto the next
    sentence (:func:`mtmend.corpus.headline.headline_cut`); ``en`` is the group's span of the target."""
    for k in range(len(z) - 1 if en else 0):
        if "\n" not in seg.source[zh_spans[z[k]][1]: zh_spans[z[k + 1]][0]] or not is_headline(zh[z[k]]):
            continue
        cut = headline_cut(_slice(seg.source, zh_spans, z[:k + 1]), _slice(seg.source, zh_spans, z[k + 1:]),
                           seg.target[en[0]: en[1]])
        if cut is not None:
            rest = _headlines(seg, zh, zh_spans, z[k + 1:], (en[0] + cut[1], en[1]))
            return [(z[:k + 1], (en[0], en[0] + cut[0])), *rest]
    return [(z, en)]


def _refine(group: tuple[tuple[int, ...], tuple[int, ...]], zh: list[str], en: list[str]):
    """A group of several Chinese sentences, cut where the English leaves some out (:func:`_omission`)."""
    z, e = group
    found = _omission([zh[i] for i in z], [en[j] for j in e]) if len(z) >= 2 and e else None
    if found is None:
        return [group]
    return [(tuple(z[k] for k in zz), tuple(e[k] for k in ee)) for zz, ee in found]


def _omission(zh: list[str], en: list[str]) -> list[tuple[tuple[int, ...], tuple[int, ...]]] | None:
    """Groups for a bead whose English leaves out Chinese sentences, or None.

    The lexical anchors of the aligner (:mod:`mtmend.corpus.dictionary`) decide: a
    Chinese sentence of at least ``_MIN_UNITS`` units none of which the English
    translates is left out, when the others form one run that the English does
    translate (at least half of their units). Anything less clear keeps the bead whole.
    """
    from mtmend.corpus import dictionary

    keys = frozenset().union(*(dictionary.en_keys(s) for s in en))
    found, sizes = [], []
    for sentence in zh:
        units = dictionary.zh_units(sentence)
        sizes.append(len(units))
        found.append(sum(1 for unit in units if unit & keys))
    kept = [i for i in range(len(zh)) if found[i]]
    left_out = [i for i in range(len(zh)) if not found[i]]
    if not kept or not left_out or any(sizes[i] < _MIN_UNITS for i in left_out):
        return None
    if kept != list(range(kept[0], kept[-1] + 1)):
        return None  # the translated sentences must be one run
    if sum(found[i] for i in kept) * 2 < sum(sizes[i] for i in kept):
        return None
    groups = [((i,), ()) for i in range(kept[0])]
    groups.append((tuple(kept), tuple(range(len(en)))))
    groups.extend(((i,), ()) for i in range(kept[-1] + 1, len(zh)))
    return groups


def _groups(beads) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Beads as (zh ids, en ids), English-only beads joined to their neighbour."""
    groups: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    carry: tuple[int, ...] = ()
    for bead in beads:
        if not bead.zh:
            if groups and groups[-1][1]:
                groups[-1] = (groups[-1][0], groups[-1][1] + bead.en)
            else:
                carry += bead.en
            continue
        groups.append((bead.zh, carry + bead.en if bead.en or carry else ()))
        carry = ()
    if carry and groups:
        groups[-1] = (groups[-1][0], groups[-1][1] + carry)
    return groups


def _spans(text: str, sentences: list[str]) -> list[tuple[int, int]] | None:
    """Where each (stripped) sentence sits in ``text``, in order; None if one is not found."""
    spans, at = [], 0
    for sentence in sentences:
        start = text.find(sentence, at)
        if start < 0:
            return None
        spans.append((start, start + len(sentence)))
        at = start + len(sentence)
    return spans


def _slice(text: str, spans: list[tuple[int, int]], ids: tuple[int, ...]) -> str:
    return text[spans[min(ids)][0]: spans[max(ids)][1]]
