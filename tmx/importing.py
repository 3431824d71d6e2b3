"""TMX → workspace: new units become segments, returning units become annotated edits.

One import is one pass (``tmx-import``) and one transaction: it either happens entirely
or not at all. For each unit the source and target variants are chosen by the rule in
:mod:`mtmend.tmx.langs` (exact language first, then the same primary language, so ``zh``,
``zh-Hans`` and ``ZH_cn`` all land on a ``zh-CN`` workspace).

- A unit whose document (``x-mtmend-document``, else a document named after the file)
  already exists is *matched* to a segment: same ``x-mtmend-position`` and source, else
  the same source text in that document. A changed target is recorded as an edit by the
  TMX's author (target ``tuv`` changeid, else its creationid, else the ``tu``'s, else the
  header's creationid, else ``tmx:<file name>``) with ``AuthorKind.IMPORT``, applied —
  except on a reviewed segment, where it becomes a suggestion and a warning: reviewed
  work is never overwritten silently. An identical pending suggestion is not repeated.
- Other units become new documents, grouped by ``x-mtmend-document`` (else one document
  named after the file). Units of a full mtmend export restore raw MT, layout, status
  and every annotation in order (annotation ids and pass ids are workspace-local: the
  restored annotations belong to the import pass).
- Units without a usable source or target, or with an empty target (a CAT tool would
  apply it as an empty translation), are skipped and counted, with a warning naming
  the first lines.

Reading the units (variants, authors, what is skipped) is :mod:`mtmend.tmx.intake`; this
module writes what it yields.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

from mtmend.corpus import progress
from mtmend.corpus.edits import minimal_edit
from mtmend.corpus.model import AuthorKind, Edit, EditState, Segment, Severity, Status
from mtmend.corpus.store import NewSegment, Workspace
from mtmend.tmx import export as keys
from mtmend.tmx import langs, restore, validation
from mtmend.tmx.langs import pick  # noqa: F401  (re-exported: the rule's home is langs)
from mtmend.tmx.intake import Intake, Issues, Item, Tally, author_of
from mtmend.tmx.model import ImportReport, ImportSettings
from mtmend.tmx.reader import read_tmx
from mtmend.tmx.xliff_read import STATE, file_status

IMPORT_CATEGORY = "Other"


def import_tmx(ws: Workspace, path: Path | str, settings: ImportSettings = ImportSettings(),
               *, opener=read_tmx, kind: str = "tmx") -> ImportReport:
    """Import the TMX at ``path`` into ``ws`` as one pass; see the module docstring.

    ``opener`` reads another format into the same units (``tmx.xliff_read.read_xliff``),
    ``kind`` names it in the pass, the fallback author and the edits' notes.
    """
    path = Path(path)
    intake = Intake(path, settings, kind, Issues(path), Tally())
    issues, tally = intake.issues, intake.tally
    with opener(path) as tmx:
        header = tmx.header
        stem = path.name.rsplit(".", 1)[0]
        infos = _document_infos(header.props, path)
        history = restore.read_history(header.props, path)
        existing = {d.name: d for d in ws.documents()}
        with ws.transaction():
            restoring = restore.restoring(ws, history)
            if restoring:  # the archive's own history, no pass of ours (see mtmend.tmx.restore)
                restore.begin(ws, history)
                pass_id = None
            else:
                pass_id = progress.begin_pass(ws, f"{kind}-import", f"{path} ({settings.source_lang}→{settings.target_lang})")
            ctx = _Context(ws, intake, pass_id)
            ctx.history = history if restoring else None
            items = intake.items(tmx.units(), header.creationid, stem)
            used: set[str] = set()
            leftovers: list[Item] = []
            held: list[str] = []
            for name, run in groupby(items, key=lambda item: item.document):
                if name in existing and ws.live_review_lock(existing[name].id) is not None:
                    held.append(name)  # never changed under a reviewer: its units are left out
                    for item in run:
                        intake.skip("held", f"belong to document {name!r}, which a reviewer holds; left out "
                                  "(import again when the review ends)", item.unit.line)
                elif name in existing:
                    leftovers.extend(ctx.update(existing[name].id, run))
                else:
                    ctx.create(_fresh(name, used, existing, issues), run, infos.get(name))
            if leftovers:
                ctx.create(_fresh(f"{stem}-unmatched", used, existing, issues), iter(leftovers), None)
            report_issues = tuple(tmx.issues) + tuple(intake.notices) + issues.issues()
            report = ImportReport(
                pass_id, tally.units, tuple(tally.new_documents), tally.new_segments, tally.updated,
                tally.suggested, tally.unchanged, tally.skipped, report_issues, tuple(dict.fromkeys(held)),
            )
            if restoring:
                restore.finish(ws, history, path)
    if not restoring:
        progress.end_pass(ws, pass_id, report.summary())
    return report


def _document_infos(props, path: Path) -> dict[str, dict]:
    infos = {}
    for prop in props:
        if prop.type == keys.DOCUMENT_INFO:
            info = validation.document_info(prop.value, validation.Where(path, 1), keys.DOCUMENT_INFO + " (header)")
            infos[info["name"]] = info
    return infos


def _fresh(name: str, used: set[str], existing: dict, issues: Issues) -> str:
    """A document name not used yet; a name seen again gets a numbered suffix and a warning."""
    candidate, n = name, 1
    while candidate in used or candidate in existing:
        n += 1
        candidate = f"{name} ({n})"
    if candidate != name:
        issues.add("split-document", f"of document {name!r} were not contiguous or matched nothing; "
                   f"stored as new document {candidate!r}", 0)
    used.add(candidate)
    return candidate


class _Context:
    """One import's state: the workspace, the pass, the tallies."""

    def __init__(self, ws: Workspace, intake: Intake, pass_id: int | None):
        self.ws, self.intake, self.pass_id = ws, intake, pass_id
        self.path, self.settings, self.issues, self.tally = intake.path, intake.settings, intake.issues, intake.tally
        self.history: restore.History | None = None  # set when restoring a full archive

    # ------------------------------------------------------- new documents
    def create(self, name: str, run: Iterator[Item], info: dict | None) -> None:
        pending: dict[int, tuple[Item, str]] = {}

        def segments() -> Iterator[NewSegment]:
            for position, item in enumerate(run):
                new, final = self._new_segment(item, position)
                if final is not None:
                    pending[position] = (item, final)
                yield new

        info = info or {}
        doc = self.ws.add_document(
            name, segments(),
            source_lang=info.get("source_lang") or langs.normalize(self.settings.source_lang),
            target_lang=info.get("target_lang") or langs.normalize(self.settings.target_lang),
            fingerprint=info.get("fingerprint") or "",
            created=info.get("created") if self.history is not None else None,
        )
        count = self.ws.segment_count(doc.id)
        if count == 0:
            self.ws.delete_document(doc.id)
            return
        self.tally.new_documents.append(name)
        self.tally.new_segments += count
        # Read first, then write: no updates while a cursor walks the same table.
        for seg in [s for s in self.ws.segments(doc.id) if s.position in pending] if pending else ():
            item, final = pending[seg.position]
            self._restore(seg, item, final)

    def _new_segment(self, item: Item, position: int) -> tuple[NewSegment, str | None]:
        """The segment to store, and the final target when edits must be replayed onto it."""
        f = item.fields
        source = item.source.text if item.source else ""
        target = item.target.text if item.target else ""
        mt = target if f.mt is None else f.mt
        # NewSegment(para, source, mt, bead, reference, target, status, sep), positionally: a million calls
        para = position if f.para is None else f.para
        bead, reference, status, sep = f.bead, f.reference, f.status, f.sep
        if f.annotations or mt != target:
            return NewSegment(para, source, mt, bead, reference, mt, status, sep), target
        return NewSegment(para, source, mt, bead, reference, target, status, sep), None

    def _restore(self, seg: Segment, item: Item, final: str) -> None:
        """Replay archived annotations, then record any later change to the target."""
        where = validation.Where(self.path, item.unit.line)
        current = seg
        history = self.history
        for ann in item.fields.annotations:
            validation.check_span(ann, current.target, where, keys.ANNOTATION)
            # A restore keeps each annotation's pass and number; an import makes them its own.
            pass_id = self.pass_id if history is None else restore.check_pass(history, ann.pass_id, where)
            self.ws.add_annotation(seg.id, ann.edit, ann.state, pass_id=pass_id, comment=ann.comment,
                                   created=ann.created, seq=None if history is None else ann.seq)
            current = self.ws.segment(seg.id)
        current = self.ws.segment(seg.id)
        if current.target != final:
            self._record(current, final, item, EditState.APPLIED)
        status = item.fields.status
        if self.ws.segment(seg.id).status is not status:
            self.ws.set_status(seg.id, status)

    # -------------------------------------------------- existing documents
    def update(self, doc_id: int, run: Iterator[Item]) -> Iterator[Item]:
        """Match each unit to a segment and bring its target over; yield the unmatched."""
        by_position: dict[int, Segment] = {}
        by_source: dict[str, list[Segment]] = defaultdict(list)
        for number, seg in enumerate(self.ws.segments(doc_id)):  # numbers, as the export writes them
            by_position[number] = seg
            by_source[seg.source].append(seg)
        unmatched = []
        matched: set[int] = set()
        for item in run:
            if item.source is None or item.target is None:
                if not self._unchanged_one_sided(by_position, item):
                    unmatched.append(item)
                continue
            width = item.fields.segments
            position = -1 if item.fields.position is None else item.fields.position
            if keys.PART in item.props:
                self._part(by_position, position, width, item)
                continue
            if width > 1:
                self._paragraph(by_position, position, width, item)
                continue
            seg = by_position.get(position)
            if seg is None or seg.source != item.source.text:
                # Same source text: the first such segment not matched yet, so repeated
                # sources pair up in order instead of all landing on the first.
                candidates = by_source.get(item.source.text) or []
                seg = next((c for c in candidates if c.id not in matched), candidates[0] if candidates else None)
            if seg is None:
                unmatched.append(item)
                continue
            matched.add(seg.id)
            self._bring(self.ws.segment(seg.id), item)
        return unmatched

    def _unchanged_one_sided(self, by_position: dict[int, Segment], item: Item) -> bool:
        """A full archive's unit with an empty side, re-imported unchanged: nothing to do (no new document)."""
        seg = by_position.get(-1 if item.fields.position is None else item.fields.position)
        source = item.source.text if item.source else ""
        target = item.target.text if item.target else ""
        if seg is None or (seg.source, seg.target) != (source, target):
            return False
        self.tally.unchanged += 1
        return True

    def _paragraph(self, by_position: dict[int, Segment], first: int, width: int, item: Item) -> None:
        segs = [by_position.get(p) for p in range(first, first + width)]
        if any(s is None for s in segs) or "".join(s.source for s in segs) != item.source.text:
            self.intake.skip("paragraph-unmatched", "are paragraph units that match no segments; skipped", item.unit.line)
            return
        current = ""
        for seg in (self.ws.segment(s.id) for s in segs):
            if seg.target:
                current = seg.target if not current else current + seg.sep + seg.target
        if current == item.target.text:
            self.tally.unchanged += 1
        else:
            self.intake.skip("paragraph-changed", "are paragraph units whose target changed; a paragraph cannot be "
                       "split back into segments: export with --segtype sentence for round trips", item.unit.line)

    def _part(self, by_position: dict[int, Segment], first: int, width: int, item: Item) -> None:
        """A sentence unit cut from segments (``x-mtmend-part``): unchanged, or reported."""
        segs = [by_position.get(p) for p in range(first, first + width)]
        current = " ".join(self.ws.segment(s.id).target for s in segs if s is not None)
        if None not in segs and _squeezed(item.target.text) in _squeezed(current):
            self.tally.unchanged += 1
        else:
            self.intake.skip("part-changed", "are sentence units cut from segments whose text changed; a sentence "
                       "cannot be put back into its segment: export with --full for round trips", item.unit.line)

    def _bring(self, seg: Segment, item: Item) -> None:
        new = item.target.text
        if new == seg.target:
            self.tally.unchanged += 1
            self._file_status(seg, item, changed=False)
            return
        if seg.status is Status.REVIEWED:
            start, end, before, after = minimal_edit(seg.target, new)
            for ann in self.ws.annotations(seg.id, [EditState.SUGGESTED]):
                e = ann.edit
                if (e.start, e.end, e.before, e.after, e.author) == (start, end, before, after, item.author):
                    self.tally.unchanged += 1
                    return
            self._record(seg, new, item, EditState.SUGGESTED)
            self.tally.suggested += 1
            self.issues.add("reviewed", "would change a reviewed segment; kept as suggestions "
                            "(accept them in mtmend review)", item.unit.line)
            return
        self._record(seg, new, item, EditState.APPLIED)
        # What the CAT user's change made moot is resolved, as after a review decision; a
        # whole-target flag has no rule here to ask (tmx never runs the cleaner): it stays open.
        self.ws.settle(seg.id, new, previous=seg.target)
        self.tally.updated += 1
        self._file_status(seg, item, changed=True)

    def _file_status(self, seg: Segment, item: Item, changed: bool) -> None:
        """The status the file gives a segment: see :func:`file_status`; reviewed work stays reviewed."""
        status = file_status(item.props.get(STATE), changed, seg.status)
        if status is not None and seg.status is not Status.REVIEWED and status is not seg.status:
            self.ws.set_status(seg.id, status)

    def _record(self, seg: Segment, new: str, item: Item, state: EditState) -> None:
        start, end, before, after = minimal_edit(seg.target, new)
        author = item.author
        own = {a.edit.author for a in self.ws.annotations(seg.id) if a.edit.author_kind is AuthorKind.RULE}
        if author in own:  # our own export stamped a rule's name on the unit
            author = author_of(item.unit, item.target, self.intake.header_id, f"{self.intake.kind}:{self.path.name}", frozenset(own))
        edit = Edit(start, end, before, after, author, IMPORT_CATEGORY, Severity.NEUTRAL, auto=False,
                    note=f"{self.intake.kind.upper()} import: {self.path.name}", author_kind=AuthorKind.IMPORT)
        self.ws.add_annotation(seg.id, edit, state, pass_id=self.pass_id)


def _squeezed(text: str) -> str:
    return "".join(text.split())
