"""Writing TMX 1.4b as a stream with lxml ``xmlfile``: one unit in memory at a time.

What every file mtmend writes looks like (and validates against the TMX 1.4b DTD):

- ``<tmx version="1.4">`` with every required header attribute (creationtool,
  creationtoolversion, segtype, o-tmf, adminlang, srclang, datatype);
- ``xml:lang`` only (never TMX 1.1's ``lang``), codes as the caller gives them (BCP 47);
- dates as ``YYYYMMDDThhmmssZ`` in UTC;
- no DOCTYPE: CAT tools that honour one try to load the DTD from beside the file;
- UTF-8 by default, UTF-16 with a byte-order mark on request.

Each unit is written as one small subtree (see :class:`_Stamps`), so a million units
never sit in memory and per-unit work stays in C.

Text is written as given: the caller (see :mod:`mtmend.tmx.export`) has already refused
or replaced characters XML 1.0 forbids. Placeholders for inline markup become elements.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import BinaryIO

from mtmend.corpus.xmlnames import XML_LANG
from mtmend.tmx.model import Header, Unit
from mtmend.tmx.xmltext import OPEN, seg_element

ENCODINGS = ("utf-8", "utf-16")


def tmx_date(iso: str | None) -> str | None:
    """An ISO 8601 UTC time (as the workspace stores it) in TMX form.

    >>> tmx_date("2019-12-05T08:30:00Z")
    '20191205T083000Z'
    """
    if not iso:
        return None
    when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def iso_date(tmx: str | None) -> str | None:
    """A TMX date (``YYYYMMDDThhmmssZ``) as ISO 8601; ``None`` if it is not one.

    >>> iso_date("20191205T083000Z")
    '2019-12-05T08:30:00Z'
    """
    if not tmx:
        return None
    try:
        when = datetime.strptime(tmx.strip(), "%Y%m%dT%H%M%SZ")
    except ValueError:
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_tmx(out: BinaryIO, header: Header, units: Iterable[Unit], *, encoding: str = "utf-8") -> int:
    """Stream ``header`` and ``units`` to the binary stream ``out``; return the unit count.

    Raises ``ValueError`` if ``encoding`` is not one of :data:`ENCODINGS`, and
    ``ValueError`` naming the unit's ``tuid`` when a placeholder is broken or a string
    holds a character XML 1.0 forbids (lxml refuses it; nothing is dropped).
    """
    from lxml import etree

    if encoding not in ENCODINGS:
        raise ValueError(f"unsupported TMX encoding {encoding!r} (expected one of {', '.join(ENCODINGS)})")
    count = 0
    stamps = _Stamps()
    with etree.xmlfile(out, encoding=encoding) as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n")
            xf.write(_header_element(header))
            xf.write("\n")
            with xf.element("body"):
                xf.write("\n")
                write, stamp = xf.write, stamps.stamp
                for unit in units:
                    try:
                        write(stamp(unit))
                    except ValueError as exc:
                        raise ValueError(f"unit {unit.tuid or count + 1}: {exc}") from exc
                    count += 1
            xf.write("\n")
    return count


class _Stamps:
    """Reusable ``tu`` subtrees, one per unit *shape* (which attributes, props, notes and
    variants it has): refilling a finished subtree's texts costs a fraction of building
    one element by element, and serialises to exactly the same bytes."""

    LIMIT = 256  # shapes kept; full exports vary only in their number of annotation props

    def __init__(self) -> None:
        self.cache: dict[tuple, tuple] = {}

    def stamp(self, unit: Unit):
        """The ``tu`` element for ``unit`` (valid until the next call)."""
        shape, values = _shape(unit)
        entry = self.cache.get(shape)
        if entry is None:
            entry = _build(shape)
            if len(self.cache) < self.LIMIT:
                self.cache[shape] = entry
        tu, slots, last = entry
        for index, value in enumerate(values):
            if value is last[index]:
                continue  # the very same string is in place already (a shared prop value)
            kind, element, name = slots[index]
            if kind is _TEXT:
                element.text = value
            elif kind is _ATTR:
                element.set(name, value)
            else:  # inline markup: a fresh seg element replaces the previous one
                element.replace(element[-1], seg_element(value))
            last[index] = value
        return tu


_TEXT, _ATTR, _MARKUP = "text", "attr", "markup"
_UNSET = object()  # what a fresh slot holds: no value is this object
_VARIANT_ATTRS = ("creationid", "creationdate", "changeid", "changedate")


def _shape(unit: Unit) -> tuple[tuple, list[str]]:
    """The unit's structure as a hashable key, and its strings in slot order.

    The key is a flat run of markers, each followed by its argument where it has one
    (``"p", type``), which is cheaper to build than a tuple per element.
    """
    shape: list[str] = []
    values: list[str] = []
    if unit.tuid:
        shape.append("tuid")
        values.append(unit.tuid)
    if unit.srclang or unit.creationid or unit.creationdate or unit.changeid or unit.changedate:
        for name in _TU_ATTRS[1:]:
            value = getattr(unit, name)
            if value:
                shape.append(name)
                values.append(value)
    for note in unit.notes:
        shape.append("n")
        values.append(note)
    for prop in unit.props:
        shape.append("p")
        shape.append(prop.type)
        values.append(prop.value)
    for variant in unit.variants:
        shape.append("v")
        shape.append(variant.lang)
        if variant.creationid or variant.creationdate or variant.changeid or variant.changedate:
            for name in _VARIANT_ATTRS:
                value = getattr(variant, name)
                if value:
                    shape.append("va")
                    shape.append(name)
                    values.append(value)
        for prop in variant.props:
            shape.append("vp")
            shape.append(prop.type)
            values.append(prop.value)
        shape.append("m" if OPEN in variant.text else "s")
        values.append(variant.text)
    return tuple(shape), values


def _build(shape: tuple) -> tuple:
    """An empty ``tu`` subtree for ``shape``, its slots (kind, element, attribute name) in
    value order, and the list of the values last put in each slot."""
    from lxml import etree

    sub = etree.SubElement
    tu = etree.Element("tu")
    slots: list[tuple] = []
    tuv = tu
    markers = iter(shape)
    for marker in markers:
        if marker in _TU_ATTRS:
            tu.set(marker, "")
            slots.append((_ATTR, tu, marker))
        elif marker == "n":
            slots.append((_TEXT, sub(tu, "note"), None))
        elif marker == "p":
            slots.append((_TEXT, sub(tu, "prop", type=next(markers)), None))
        elif marker == "v":
            tuv = sub(tu, "tuv", {XML_LANG: next(markers)})
        elif marker == "va":
            name = next(markers)
            tuv.set(name, "")
            slots.append((_ATTR, tuv, name))
        elif marker == "vp":
            slots.append((_TEXT, sub(tuv, "prop", type=next(markers)), None))
        elif marker == "s":
            slots.append((_TEXT, sub(tuv, "seg"), None))
        else:  # "m"
            sub(tuv, "seg")
            slots.append((_MARKUP, tuv, None))
    if len(tu) == 0:
        tu.text = ""  # <tu></tu>, as a streamed element would be written
    tu.tail = "\n"
    return tu, tuple(slots), [_UNSET] * len(slots)


_TU_ATTRS = ("tuid", "srclang", "creationid", "creationdate", "changeid", "changedate")


def _header_element(header: Header):
    from lxml import etree

    attrs = {
        "creationtool": header.creationtool,
        "creationtoolversion": header.creationtoolversion,
        "segtype": header.segtype,
        "o-tmf": header.o_tmf,
        "adminlang": header.adminlang,
        "srclang": header.srclang,
        "datatype": header.datatype,
    }
    if header.creationdate:
        attrs["creationdate"] = header.creationdate
    if header.creationid:
        attrs["creationid"] = header.creationid
    element = etree.Element("header", attrs)
    for note in header.notes:
        etree.SubElement(element, "note").text = note
    for prop in header.props:
        etree.SubElement(element, "prop", type=prop.type).text = prop.value
    return element
