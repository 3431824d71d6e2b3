"""Workspace → XLIFF 1.2: a bilingual file for review in a CAT tool (memoQ, Trados, Phrase, OmegaT).

What the file holds:

- one ``<file>`` per document (``original`` = the document's name, its source and
  target languages, ``datatype="plaintext"``), one ``<trans-unit>`` per segment
  (``id`` = the segment's position, ``xml:space="preserve"``);
- ``<source>`` and ``<target>``; the target's ``state`` comes from the segment's status:
  raw → ``needs-review-translation`` (machine translation nobody checked), auto-fixed
  → ``translated``, reviewed → ``signed-off`` (and ``approved="yes"`` on the unit);
- the raw MT as ``<alt-trans origin="machine-translation">``, when it differs;
- each annotation as a ``<note>`` (``from`` = the rule or person, ``priority`` 1 for
  Major/Critical, 5 Minor, 10 Neutral) reading ``Category (Severity, state): 'before' →
  'after'``, plus its comment;
- inline markup read from a TMX (kept as placeholders, :mod:`mtmend.tmx.xmltext`) as
  ``<ph id="…">`` whose content is the original markup, so an import restores it.

Written as a stream (one unit in memory at a time). Characters XML 1.0 forbids are
refused with their document and segment, as in TMX export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from mtmend.corpus.errors import InputError
from mtmend.corpus.model import Annotation, Document, Segment, Severity, Status
from mtmend.tmx.xmltext import CLOSE, OPEN, forbidden_chars

NS = "urn:oasis:names:tc:xliff:document:1.2"
STATES = {Status.RAW: "needs-review-translation", Status.AUTO_FIXED: "translated", Status.REVIEWED: "signed-off"}
_PRIORITY = {Severity.CRITICAL: "1", Severity.MAJOR: "1", Severity.MINOR: "5", Severity.NEUTRAL: "10"}
_PLACEHOLDER = re.compile(OPEN + "([^" + OPEN + CLOSE + "]*)" + CLOSE)
PH_CTYPE = "x-mtmend-inline"  # a <ph> holding TMX inline markup, restored on import


@dataclass(frozen=True, slots=True)
class XliffReport:
    units: int
    documents: int


def export_xliff(ws, out: BinaryIO, documents: Sequence[Document], statuses: Iterable[Status] | None = None,
                 tool_version: str = "unknown") -> XliffReport:
    """Write ``documents`` to ``out`` as XLIFF 1.2; only segments in ``statuses`` when given."""
    from lxml import etree

    from mtmend.tmx.export import with_annotations

    wanted = None if statuses is None else set(statuses)
    count = 0
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("xliff", version="1.2", nsmap={None: NS}):
            for doc in documents:
                xf.write("\n")
                attrs = {"original": doc.name, "source-language": doc.source_lang,
                         "target-language": doc.target_lang, "datatype": "plaintext", "tool-id": "mtmend"}
                with xf.element(f"{{{NS}}}file", attrs):
                    header = etree.Element(f"{{{NS}}}header", nsmap={None: NS})
                    etree.SubElement(header, f"{{{NS}}}tool", {"tool-id": "mtmend", "tool-name": "mtmend",
                                                                 "tool-version": tool_version})
                    xf.write(header)
                    with xf.element(f"{{{NS}}}body"):
                        pairs = with_annotations(ws.segments(doc.id), ws.document_annotations(doc.id))
                        for seg, anns in pairs:
                            if wanted is not None and seg.status not in wanted:
                                continue
                            xf.write("\n")
                            xf.write(trans_unit(doc, seg, anns))
                            count += 1
                xf.write("\n")
            xf.write("\n")
    return XliffReport(count, len(documents))


def trans_unit(doc: Document, seg: Segment, anns: list[Annotation]):
    """One segment as a ``<trans-unit>`` element."""
    from lxml import etree

    where = f"{doc.name} segment {seg.position}"
    attrs = {"id": str(seg.position), "{http://www.w3.org/XML/1998/namespace}space": "preserve"}
    if seg.status is Status.REVIEWED:
        attrs["approved"] = "yes"
    unit = etree.Element(f"{{{NS}}}trans-unit", attrs, nsmap={None: NS})
    _inline(etree.SubElement(unit, f"{{{NS}}}source"), seg.source, where)
    target = etree.SubElement(unit, f"{{{NS}}}target", {"state": STATES[seg.status]})
    _inline(target, seg.target, where)
    if seg.mt != seg.target:
        alt = etree.SubElement(unit, f"{{{NS}}}alt-trans", {"origin": "machine-translation"})
        _inline(etree.SubElement(alt, f"{{{NS}}}target"), seg.mt, where)
    for ann in anns:
        note = etree.SubElement(unit, f"{{{NS}}}note", {"from": _check(ann.edit.author, where),
                                                       "priority": _PRIORITY.get(ann.edit.severity, "5"),
                                                       "annotates": "target"})
        note.text = _check(note_text(ann), where)
    return unit


def note_text(ann: Annotation) -> str:
    """``Category (Severity, state): 'before' → 'after'`` and the comment, for a reviewer to read."""
    e = ann.edit
    change = f"'{e.before}' → '{e.after}'" if e.after is not None else f"'{e.before}' (flagged)"
    comment = f" — {ann.comment}" if ann.comment else ""
    return f"{e.category} ({e.severity.value}, {ann.state.value}): {change}{comment}"


def _check(text: str, where: str) -> str:
    found = forbidden_chars(text)
    if found:
        raise InputError(f"{where}: character {found[0][1]!r} at offset {found[0][0]} cannot go into XML 1.0; "
                         "remove it (mtmend clean) before exporting XLIFF")
    return text


def _inline(element, text: str, where: str) -> None:
    """Fill ``element`` with ``text``, each placeholder as a ``<ph>`` holding its markup."""
    from lxml import etree

    _check(text, where)
    if OPEN not in text:
        element.text = text
        return
    cursor, last, k = 0, None, 0
    for m in _PLACEHOLDER.finditer(text):
        chunk = text[cursor:m.start()]
        if last is None:
            element.text = chunk
        else:
            last.tail = chunk
        k += 1
        last = etree.SubElement(element, f"{{{NS}}}ph", {"id": str(k), "ctype": PH_CTYPE})
        last.text = m.group(1)
        cursor = m.end()
    if last is None:
        element.text = text
    else:
        last.tail = text[cursor:]
