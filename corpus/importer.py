"""Importing articles into a workspace: a Chinese source with its English MT, or a TSV.

A zh/en article pair is split into paragraphs (blocks separated by blank lines) and
sentences, the sentences are aligned, and each bead becomes one segment whose English is
the exact stretch of the original text it covers, so the article can be written back
exactly as it came in (plus the repairs).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from mtmend.corpus import align as aligner
from mtmend.corpus import batch, issues, split
from mtmend.corpus.errors import ConflictError, InputError
from mtmend.corpus.model import Bead, Document, EditState
from mtmend.corpus.store import NewSegment, Workspace
from mtmend.corpus.textio import MAX_FILE_BYTES, check_scripts, read_decoded, read_text

_BLANK_LINES = re.compile(r"\n[ \t\u3000]*\n\s*")


@dataclass(frozen=True, slots=True)
class ImportResult:
    document: Document
    outcome: str  # "added", "replaced" or "unchanged"
    segments: int
    notes: tuple[str, ...] = ()  # e.g. which encoding a file was read in when it was not UTF-8


@dataclass(frozen=True, slots=True)
class _Piece:
    """A sentence of one side: its text, paragraph, and the original text before it."""

    text: str
    para: int
    sep: str


def fingerprint(*texts: str) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def paragraphs(text: str) -> list[str]:
    """Blocks of text separated by blank lines, without surrounding whitespace."""
    return [p.strip() for p in _BLANK_LINES.split(text.strip("\n\ufeff")) if p.strip()]


def pieces(paras: Sequence[str], splitter, *, keep_glued: bool) -> list[_Piece]:
    """Split each paragraph into sentences, remembering what separated them.

    A line break always ends a sentence. With ``keep_glued`` (English), a sentence
    boundary with no whitespace at all (``initiative.Chinese``) stays inside one piece:
    it is damage for the cleaner to repair, not a boundary to hide in the layout.
    """
    out: list[_Piece] = []
    for p_index, para in enumerate(paras):
        for l_index, line in enumerate(para.split("\n")):
            cursor = 0
            for s_index, sentence in enumerate(splitter(line)):
                at, end = _locate(line, sentence, cursor)
                gap, sentence = line[cursor:at], line[at:end]
                if s_index == 0:
                    out.append(_Piece(sentence, p_index, "\n" if l_index else ""))
                elif keep_glued and not gap:
                    prev = out.pop()
                    out.append(_Piece(prev.text + sentence, p_index, prev.sep))
                else:
                    out.append(_Piece(sentence, p_index, gap))
                cursor = end
    return out


def _locate(line: str, sentence: str, cursor: int) -> tuple[int, int]:
    """Where ``sentence`` lies in ``line`` from ``cursor`` on, ignoring whitespace.

    Splitters may normalise spaces (a closing quote pulled onto its sentence); the
    segment must still hold the original characters, so match non-space characters.
    """
    at = line.find(sentence, cursor)
    if at >= 0:
        return at, at + len(sentence)
    wanted = [ch for ch in sentence if not ch.isspace()]
    i = cursor
    while i < len(line) and line[i].isspace():
        i += 1
    start, k = i, 0
    while i < len(line) and k < len(wanted):
        if not line[i].isspace():
            if line[i] != wanted[k]:
                raise ValueError(f"splitter returned text not in the line: {sentence!r}")
            k += 1
        i += 1
    return start, i


def build_segments(zh_text: str, en_text: str) -> list[NewSegment]:
    """Align a Chinese article with its English MT; one segment per bead."""
    zh_paras, en_paras = paragraphs(zh_text), paragraphs(en_text)
    zh = pieces(zh_paras, split.split_zh, keep_glued=False)
    en = pieces(en_paras, split.split_en, keep_glued=True)
    if len(zh_paras) == len(en_paras):
        beads = _align_by_paragraph(zh, en)
    else:
        beads = aligner.align([p.text for p in zh], [p.text for p in en])
    return _segments(zh, en, beads)


def _align_by_paragraph(zh: list[_Piece], en: list[_Piece]) -> list[Bead]:
    """Paragraph counts agree: align sentences inside each paragraph pair only."""
    beads: list[Bead] = []
    zi = ei = 0
    n_paras = max([p.para for p in zh] + [p.para for p in en] + [-1]) + 1
    for para in range(n_paras):
        zj, ej = zi, ei
        while zj < len(zh) and zh[zj].para == para:
            zj += 1
        while ej < len(en) and en[ej].para == para:
            ej += 1
        local = aligner.align([p.text for p in zh[zi:zj]], [p.text for p in en[ei:ej]])
        beads.extend(Bead(tuple(i + zi for i in b.zh), tuple(i + ei for i in b.en)) for b in local)
        zi, ei = zj, ej
    return beads


def _segments(zh: list[_Piece], en: list[_Piece], beads: Sequence[Bead]) -> list[NewSegment]:
    out: list[NewSegment] = []
    last_para = 0
    for bead in beads:
        # A bead never crosses an English paragraph: split it where the paragraph changes.
        groups: list[list[int]] = []
        for i in bead.en:
            if groups and en[i].para == en[groups[-1][-1]].para:
                groups[-1].append(i)
            else:
                groups.append([i])
        source = _joined_source(zh, bead.zh)
        if not groups:
            out.append(NewSegment(para=last_para, source=source, mt="", bead=bead, sep=""))
            continue
        for g_index, group in enumerate(groups):
            mt = en[group[0]].text + "".join(en[i].sep + en[i].text for i in group[1:])
            last_para = en[group[0]].para
            out.append(
                NewSegment(
                    para=last_para,
                    source=source if g_index == 0 else "",
                    mt=mt,
                    bead=bead if g_index == 0 else Bead((), tuple(group)),
                    sep=en[group[0]].sep,
                )
            )
    return out


def _joined_source(zh: list[_Piece], ids: Sequence[int]) -> str:
    """The Chinese of a bead, with the line (``\n``) and paragraph (``\n\n``) breaks it crosses:
    a title line the aligner joined with the next sentence stays visibly a line of its own."""
    out = ""
    for k, i in enumerate(ids):
        if k and zh[i].para != zh[ids[k - 1]].para:
            out += "\n\n"
        elif k and "\n" in zh[i].sep:
            out += "\n"
        out += zh[i].text
    return out


def tsv_segments(text: str, name: str) -> list[NewSegment]:
    """``zh<TAB>en[<TAB>reference]`` lines, one segment each; blank lines are skipped."""
    out: list[NewSegment] = []
    for line_no, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) not in (2, 3):
            raise InputError(
                f"{name}:{line_no}: expected 2 tab-separated columns (zh, en) or 3 (zh, en, reference), "
                f"found {len(cols)}"
            )
        zh, en = cols[0].strip(), cols[1].strip()
        reference = cols[2].strip() if len(cols) == 3 and cols[2].strip() else None
        index = len(out)
        out.append(
            NewSegment(para=0, source=zh, mt=en, bead=Bead((index,), (index,)), reference=reference, sep="\n" if index else "")
        )
    if not out:
        raise InputError(f"{name}: no segments (every line is blank)")
    return out


def import_pair(
    ws: Workspace, zh_path: Path, en_path: Path, *, name: str | None = None, force: bool = False,
    encoding: str | None = None, max_bytes: int = MAX_FILE_BYTES,
) -> ImportResult:
    """Import a Chinese file and its English MT. Only the Chinese side may be guessed as GB18030."""
    zh = read_decoded(zh_path, chinese=True, encoding=encoding, max_bytes=max_bytes)
    en = read_decoded(en_path, encoding=encoding, max_bytes=max_bytes)
    zh_text, en_text = zh.text, en.text
    check_scripts(zh_text, en_text, str(zh_path), str(en_path))
    name = name or _doc_name(en_path)
    result = store_document(ws, name, fingerprint(zh_text, en_text), lambda: build_segments(zh_text, en_text), force)
    return replace(result, notes=_encoding_notes(((zh_path, zh), (en_path, en))))


def _encoding_notes(files) -> tuple[str, ...]:
    """Say which encoding a file was read in when it was not UTF-8 (and whether mtmend guessed it)."""
    return tuple(f"{path}: read as {d.encoding.upper()}{' (guessed: not UTF-8)' if d.guessed else ''}"
                 for path, d in files if d.encoding not in ("utf-8", "utf-8-sig"))


def import_tsv(ws: Workspace, path: Path, *, name: str | None = None, force: bool = False,
               encoding: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> ImportResult:
    decoded = read_decoded(path, chinese=True, encoding=encoding, max_bytes=max_bytes)  # it has a Chinese column
    text = decoded.text
    segments = tsv_segments(text, str(path))
    check_scripts(
        "".join(s.source for s in segments), "".join(s.mt for s in segments), f"{path} (column 1)", f"{path} (column 2)"
    )
    result = store_document(ws, name or _doc_name(path), fingerprint(text), lambda: segments, force)
    return replace(result, notes=_encoding_notes(((path, decoded),)))


def store_document(ws: Workspace, name: str, digest: str, make_segments, force: bool) -> ImportResult:
    """Add, replace or keep a document by name; never drop reviewed work unless forced."""
    existing = ws.find_document(name)
    if existing is not None and existing.fingerprint == digest:
        return ImportResult(existing, "unchanged", ws.segment_count(existing.id))
    segments = make_segments()  # the slow part (alignment) runs outside the write lock
    found = issues.document_issues([s.source for s in segments], [s.mt for s in segments])
    with ws.transaction():
        outcome, existing = make_room(ws, name, digest, force=force, refuse=_reviewed_work)
        if existing is not None:
            return ImportResult(existing, outcome, ws.segment_count(existing.id))
        doc = ws.add_document(name, segments, fingerprint=digest)
        for segment_id, edits in zip(ws.segment_ids(doc.id), found, strict=True):
            for edit in edits:  # open issues of the alignment: empty sides, probable omissions
                ws.add_annotation(segment_id, edit, EditState.SUGGESTED)
    return ImportResult(doc, outcome, len(segments))


def _reviewed_work(ws: Workspace, existing: Document) -> str | None:
    if not ws.has_human_work(existing.id):
        return None
    return (f"document {existing.name!r} already exists with reviewed edits; re-import with --force "
            "to replace it (its review history is discarded) or use --name for a new document")


def make_room(ws: Workspace, name: str, digest: str, *, force: bool, refuse) -> tuple[str, Document | None]:
    """The re-import policy, inside the importer's transaction: ``(outcome, document)``.

    The same text again (same ``digest``) is ``unchanged`` and keeps the stored document;
    other text replaces it (``replaced``: the old one is deleted here) unless
    ``refuse(ws, existing)`` names a reason and ``force`` is not given (ConflictError);
    a new name is ``added``. The caller stores the new document when ``document`` is None.
    """
    existing = ws.find_document(name)
    if existing is None:
        return "added", None
    if existing.fingerprint == digest:
        return "unchanged", existing
    reason = None if force else refuse(ws, existing)
    if reason:
        raise ConflictError(reason)
    lock = ws.live_review_lock(existing.id)  # never replaced under a reviewer, even with --force
    if lock is not None:
        raise ConflictError(f"document {name!r} is being reviewed by {lock.holder} (since {lock.since}): "
                            "nothing changed; re-import when the review ends")
    ws.delete_document(existing.id)
    return "replaced", None


def _doc_name(path: Path) -> str:
    name = path.name
    for suffix in (".tsv", ".txt", ".utf8"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name.removesuffix(".en")


@dataclass(frozen=True, slots=True)
class _PairTask:
    """What a worker process needs to align one pair (and gives back)."""

    name: str
    digest: str
    zh_text: str
    en_text: str


def import_pairs(ws: Workspace, pairs: Sequence[batch.Pair], *, force: bool = False, workers: int = 1,
                 encoding: str | None = None, max_bytes: int = MAX_FILE_BYTES):
    """Import many pairs, aligning in up to ``workers`` processes; yields a
    :class:`~mtmend.corpus.batch.Outcome` per pair, in order, its value an :class:`ImportResult`.

    Documents are written in input order, so the workspace is the one that importing
    the pairs one by one gives. A failing pair (unreadable, wrong script, reviewed work
    without ``force``, a document name used twice in the batch) is reported in its
    outcome and the others are imported. ``encoding`` and ``max_bytes`` are those of
    :func:`import_pair`, for every file; a result's notes say which files were not UTF-8.
    """
    seen: dict[str, Path] = {}
    notes: dict[int, tuple[str, ...]] = {}  # by id(pair): a file may be listed twice

    def prepare(pair: batch.Pair) -> _PairTask | None:
        if pair.problem:
            raise InputError(f"{pair.zh}: {pair.problem}")
        name = pair.name or _doc_name(pair.en)
        if name in seen:
            raise InputError(f"{pair.zh}: document name {name!r} is already used in this batch by {seen[name]}")
        seen[name] = pair.zh
        zh = read_decoded(pair.zh, chinese=True, encoding=encoding, max_bytes=max_bytes)
        en = read_decoded(pair.en, encoding=encoding, max_bytes=max_bytes)
        zh_text, en_text = zh.text, en.text
        check_scripts(zh_text, en_text, str(pair.zh), str(pair.en))
        notes[id(pair)] = _encoding_notes(((pair.zh, zh), (pair.en, en)))
        digest = fingerprint(zh_text, en_text)
        existing = ws.find_document(name)
        if existing is not None and existing.fingerprint == digest:
            return None
        return _PairTask(name, digest, zh_text, en_text)

    def finish(pair: batch.Pair, result: tuple[str, str, list[NewSegment]] | None) -> ImportResult:
        if result is None:
            existing = ws.find_document(pair.name or _doc_name(pair.en))
            done = ImportResult(existing, "unchanged", ws.segment_count(existing.id))
        else:
            name, digest, segments = result
            done = store_document(ws, name, digest, lambda: segments, force)
        return replace(done, notes=notes.pop(id(pair), ()))

    return batch.run_ordered(pairs, prepare, _align_task, finish, workers)


def _align_task(task: _PairTask) -> tuple[str, str, list[NewSegment]]:
    """The slow part of an import, run in a worker process (the texts are not sent back)."""
    return task.name, task.digest, build_segments(task.zh_text, task.en_text)
