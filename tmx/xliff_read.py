"""XLIFF 1.2 → the units the TMX importer takes, streamed (one ``trans-unit`` in memory at a time).

Each ``trans-unit`` becomes a :class:`~mtmend.tmx.model.Unit`: its ``<source>`` and
``<target>`` in the ``<file>``'s languages, its document (the file's ``original``),
its position (the unit's ``id`` when it is a number, as mtmend writes it) and the
target's ``state``. Who made the target: the unit's ``lastchangedby`` (memoQ) or
``changeid``-like attribute, else the file's ``<phase contact-name>``, else
``xliff:<file name>``. Inline elements: a ``<ph ctype="x-mtmend-inline">`` written by
mtmend gives back its TMX markup; any other code (``g x bx ex ph bpt ept it``) is kept
as a placeholder around its XML, so it survives the workspace and a TMX export; ``mrk``
keeps only its text. Like TMX reading, nothing is resolved, loaded or fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mtmend.corpus.errors import InputError
from mtmend.corpus.model import Status
from mtmend.tmx import export as keys
from mtmend.tmx import safety
from mtmend.tmx.model import Header, Issue, Prop, Unit, Variant
from mtmend.tmx.xliff import NS, PH_CTYPE
from mtmend.tmx.xmltext import CLOSE, OPEN

STATE = "xliff-state"  # the target's state, as an internal prop (never written)
_AUTHOR_ATTRS = ("lastchangedby", "changeid", "last_modified_by", "modified-by")
_WRAPPING = ("g", "mrk", "sub")


_DONE = ("signed-off", "final")


def file_status(state: str | None, changed: bool, current: Status) -> Status | None:
    """A segment's status from the file, or None to leave it.

    XLIFF ``signed-off``/``final`` → reviewed; ``translated`` → reviewed when the file's
    target differs from ours or the segment was raw (a person confirmed it; mtmend
    writes raw as ``needs-review-translation``); ``needs-*``/``new`` leave the status.
    TMX has no state: a unit whose target differs is a person's translation → reviewed.

    >>> file_status("translated", False, Status.RAW), file_status(None, True, Status.AUTO_FIXED)
    (<Status.REVIEWED: 'reviewed'>, <Status.REVIEWED: 'reviewed'>)
    >>> file_status("needs-review-translation", True, Status.RAW) is None
    True
    """
    if state in _DONE:
        return Status.REVIEWED
    if state == "translated":
        return Status.REVIEWED if changed or current is Status.RAW else None
    if state is None:
        return Status.REVIEWED if changed else None
    return None


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


class XliffFile:
    """An open XLIFF 1.2 file with the interface of :class:`~mtmend.tmx.reader.TmxFile`."""

    def __init__(self, path: Path | str):
        from lxml import etree

        self.path = Path(path)
        self.issues: list[Issue] = []
        safety.check_prolog(self.path)
        self._handle = open(self.path, "rb")
        etree.clear_error_log()
        self._events = etree.iterparse(self._handle, events=("start", "end"), **safety.parser_options())
        self.header = Header(srclang="", creationtool="xliff")

    def __enter__(self) -> XliffFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()

    def units(self) -> Iterator[Unit]:
        from lxml import etree

        file_attrs: dict[str, str] = {}
        author = f"xliff:{self.path.name}"
        seen_root = False
        try:
            for event, element in self._events:
                if not seen_root:
                    seen_root = True
                    if element.tag != _q("xliff"):
                        raise InputError(f"{self.path}:{element.sourceline}: expected <xliff> in the XLIFF 1.2 "
                                         f"namespace ({NS}), found <{element.tag}>; not an XLIFF 1.2 file")
                if event == "start" and element.tag == _q("file"):
                    file_attrs = dict(element.attrib)
                    author = f"xliff:{self.path.name}"
                elif event == "end" and element.tag == _q("phase") and element.get("contact-name"):
                    author = element.get("contact-name")
                elif event == "end" and element.tag == _q("trans-unit"):
                    yield self._unit(element, file_attrs, author)
                    element.clear()
                    parent = element.getparent()
                    if parent is not None:
                        del parent[: parent.index(element)]
        except etree.XMLSyntaxError as exc:
            line, column = exc.position if exc.position else (0, 0)
            raise InputError(f"{self.path}:{line}:{column}: not well-formed XML ({exc.msg})") from exc

    def _unit(self, element, file_attrs: dict[str, str], file_author: str) -> Unit:
        source_el, target_el = element.find(_q("source")), element.find(_q("target"))
        if source_el is None:
            raise InputError(f"{self.path}:{element.sourceline}: <trans-unit> without <source>")
        src_lang = file_attrs.get("source-language", "")
        tgt_lang = file_attrs.get("target-language", "")
        variants = [Variant(src_lang, inline_text(source_el))]
        if target_el is not None:
            variants.append(Variant(tgt_lang, inline_text(target_el), changeid=_author(element)))
        props = [Prop(keys.DOCUMENT, file_attrs.get("original") or self.path.stem)]
        unit_id = element.get("id", "")
        if unit_id.isdigit():
            props.append(Prop(keys.POSITION, unit_id))
        state = target_el.get("state") if target_el is not None else None
        if state:
            props.append(Prop(STATE, state))
        if element.get("approved") == "yes":
            props.append(Prop(STATE, "signed-off"))
        return Unit(tuple(variants), tuple(props), tuid=unit_id or None, creationid=file_author,
                    line=element.sourceline or 0)


def _author(element) -> str | None:
    for name, value in element.attrib.items():
        local = name.rsplit("}", 1)[-1].lower()
        if local in _AUTHOR_ATTRS and value.strip():
            return value.strip()
    return None


def inline_text(element) -> str:
    """The text of a ``source``/``target``, inline codes as placeholders (see the module docstring)."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        parts.append(_code(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _code(child) -> str:
    from lxml import etree

    local = child.tag.rsplit("}", 1)[-1]
    if local == "ph" and child.get("ctype") == PH_CTYPE:
        return OPEN + (child.text or "") + CLOSE
    if local == "mrk":
        return inline_text(child)
    markup = etree.tostring(child, encoding=str, with_tail=False).replace(f' xmlns="{NS}"', "")
    if local in _WRAPPING:
        inner = inline_text(child)
        start = markup.split(">", 1)[0] + ">"
        return f"{OPEN}<bpt i=\"{child.get('id', '0')}\">{_escape(start)}</bpt>{CLOSE}{inner}" \
               f"{OPEN}<ept i=\"{child.get('id', '0')}\">{_escape(f'</{local}>')}</ept>{CLOSE}"
    return f"{OPEN}<ph>{_escape(markup)}</ph>{CLOSE}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def read_xliff(path: Path | str) -> XliffFile:
    """Open an XLIFF 1.2 file for streaming; use as a context manager."""
    return XliffFile(path)
