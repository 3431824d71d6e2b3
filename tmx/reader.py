"""Reading TMX 1.1–1.4 as a stream of units, in flat memory.

:func:`read_tmx` parses with lxml ``iterparse`` and clears every ``tu`` once it is
turned into a :class:`~mtmend.tmx.model.Unit`, so a million units never sit in memory.
It reads what real tools write: UTF-8 with or without BOM, UTF-16 LE/BE with BOM,
declared legacy encodings (``windows-1252``, ``us-ascii`` with character references),
``lang=`` (TMX 1.1) as well as ``xml:lang=``, language codes in any case. Inline
markup becomes placeholders (see :mod:`mtmend.tmx.xmltext`); props and notes are kept.

Safety: see :mod:`mtmend.tmx.safety`. A file that is not well-formed raises
:class:`~mtmend.corpus.errors.InputError` with its line and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mtmend.corpus.errors import InputError
from mtmend.corpus.xmlnames import XML_LANG
from mtmend.tmx import safety
from mtmend.tmx.model import Header, Issue, Prop, Unit, Variant
from mtmend.tmx.xmltext import seg_text



class TmxFile:
    """An open TMX: its :attr:`header`, then :meth:`units` once, then :attr:`issues`.

    >>> # with TmxFile(path) as tmx: for unit in tmx.units(): ...
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.issues: list[Issue] = []
        prolog = safety.check_prolog(self.path)
        if prolog.dtd and safety.is_remote(prolog.dtd):
            self.issues.append(
                Issue("remote-dtd", f"{self.path}: DOCTYPE names the remote DTD {prolog.dtd}; not fetched "
                      "(mtmend never loads DTDs or touches the network)")
            )
        self._handle = open(self.path, "rb")
        self._events = _iterparse(self._handle)
        self.header = self._read_header()

    def __enter__(self) -> TmxFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()

    def _next(self):
        from lxml import etree

        try:
            return next(self._events)
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(self.path, exc) from exc
        except StopIteration:
            return None

    def _read_header(self) -> Header:
        item = self._next()
        if item is None:
            raise InputError(f"{self.path}: no <header> element; not a TMX file")
        _, element = item
        root = element.getparent()
        if element.tag != "header" or root is None or root.tag != "tmx":
            where = element if root is None else root
            raise InputError(f"{self.path}:{where.sourceline}: expected <tmx> with a <header> first, "
                             f"found <{where.tag}>; not a TMX file")
        self.version = root.get("version", "")
        header = _header(element, self.version)
        element.clear()
        if not header.srclang:
            self.issues.append(Issue("no-srclang", f"{self.path}:{element.sourceline}: header has no srclang"))
        return header

    def units(self) -> Iterator[Unit]:
        """Every ``tu`` in file order. Units that cannot be read raise with their line."""
        from lxml import etree

        events = self._events
        count = 0
        try:
            for _, element in events:
                if element.tag != "tu":
                    continue
                try:
                    unit = _unit(element)
                except ValueError as exc:
                    raise InputError(f"{self.path}:{element.sourceline}: {exc}") from exc
                count += 1
                if not count & _FREE_EVERY - 1:
                    _free_before(element)
                yield unit
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(self.path, exc) from exc


# Units read are deleted from the tree in batches of this many (a power of two): memory
# stays flat (a few hundred units at most) without a deletion per unit.
_FREE_EVERY = 256


def _free_before(element) -> None:
    """Delete ``element``'s earlier siblings (units already read) from the parsed tree."""
    parent = element.getparent()
    if parent is not None:
        del parent[: parent.index(element)]


def read_tmx(path: Path | str) -> TmxFile:
    """Open a TMX for streaming; use as a context manager."""
    return TmxFile(path)


def _iterparse(handle):
    from lxml import etree

    etree.clear_error_log()  # the log is per thread: keep only this parse's errors
    return etree.iterparse(handle, events=("end",), tag=("header", "tu"), **safety.parser_options())


def syntax_error_position(exc) -> tuple[int, int, str]:
    """Line, column and message of a parse error; iterparse sometimes reports only the
    aftermath ("no element found" at 0:0) and keeps the first real error in its log."""
    line, column = exc.position if getattr(exc, "position", None) else (exc.lineno or 0, 0)
    message = getattr(exc, "msg", "") or str(exc)
    log = getattr(exc, "error_log", None)
    parse_errors = [e for e in log or () if e.domain_name == "PARSER" and e.line > 0]
    if line == 0 and parse_errors:
        first = parse_errors[0]
        line, column, message = first.line, first.column, first.message
    # libxml2 messages may end in "\n, line 2, column 266": one line, without the repeat.
    message = " ".join(message.split()).removesuffix(f", line {line}, column {column}").rstrip(" ,")
    return line, column, message


def _syntax_error(path: Path, exc) -> InputError:
    line, column, message = syntax_error_position(exc)
    return InputError(f"{path}:{line}:{column}: not well-formed XML: {message}")


def _lang(element) -> str:
    return element.get(XML_LANG) or element.get("lang") or ""


def _props_notes(element) -> tuple[tuple[Prop, ...], tuple[str, ...]]:
    props: list[Prop] = []
    notes: list[str] = []
    for child in element:
        tag = child.tag
        if tag == "prop":
            props.append(_prop(child))
        elif tag == "note":
            notes.append(child.text or "")
    return tuple(props), tuple(notes)


def _header(element, version: str) -> Header:
    props, notes = _props_notes(element)
    get = element.get
    return Header(
        srclang=get("srclang", ""),
        segtype=get("segtype", ""),
        creationtool=get("creationtool", ""),
        creationtoolversion=get("creationtoolversion", ""),
        datatype=get("datatype", ""),
        adminlang=get("adminlang", ""),
        o_tmf=get("o-tmf", ""),
        creationid=get("creationid"),
        creationdate=get("creationdate"),
        props=props,
        notes=notes,
        version=version,
    )


def _unit(tu) -> Unit:
    """One ``tu`` as a :class:`Unit`. The usual shapes (a ``tuid`` only, ``tuv``s with a
    language only, props with a type only) take short paths: this runs a million times."""
    variants: list[Variant] = []
    props: list[Prop] = []
    notes: list[str] = []
    for child in tu:
        tag = child.tag
        if tag == "tuv":
            items = child.items()
            if len(child) == 1 and len(items) == 1 and items[0][0] in _LANG_NAMES:
                seg = child[0]  # the usual tuv: a language and a plain seg
                if seg.tag == "seg" and len(seg) == 0:
                    variants.append(Variant(items[0][1], seg.text or ""))
                    continue
            variants.append(_variant(child))
        elif tag == "prop":
            items = child.items()
            if len(items) == 1 and items[0][0] == "type":
                props.append(Prop(items[0][1], child.text or ""))
            else:
                props.append(_prop(child))
        elif tag == "note":
            notes.append(child.text or "")
    items = tu.items()
    if not items or (len(items) == 1 and items[0][0] == "tuid"):
        tuid = items[0][1] if items else None
        return Unit(tuple(variants), tuple(props), tuple(notes), tuid, None, None, None, None, None, tu.sourceline or 0)
    get = tu.get
    return Unit(
        tuple(variants), tuple(props), tuple(notes), get("tuid"), get("srclang"), get("creationid"),
        get("changeid"), get("creationdate"), get("changedate"), tu.sourceline or 0,
    )


def _variant(tuv) -> Variant:
    text = None
    props: list[Prop] = []
    notes: list[str] = []
    for child in tuv:
        tag = child.tag
        if tag == "seg":
            text = (child.text or "") if len(child) == 0 else seg_text(child)
        elif tag == "prop":
            props.append(_prop(child))
        elif tag == "note":
            notes.append(child.text or "")
    if text is None:
        text = ""
    items = tuv.items()
    if len(items) == 1 and items[0][0] in _LANG_NAMES:
        return Variant(items[0][1], text, tuple(props), tuple(notes)) if props or notes else Variant(items[0][1], text)
    get = tuv.get
    return Variant(
        _lang(tuv), text, tuple(props), tuple(notes),
        get("creationid"), get("changeid"), get("creationdate"), get("changedate"),
    )


def _prop(element) -> Prop:
    return Prop(element.get("type", ""), element.text or "", _lang(element) or None)


_LANG_NAMES = frozenset({XML_LANG, "lang"})
