"""Writing TMX 1.4b as a stream with lxml ``xmlfile``: one unit in memory at a time.

What every file mtmend writes looks like (and validates against the TMX 1.4b DTD):

- ``<tmx version="1.4">`` with every required header attribute (creationtool,
  creationtoolversion, segtype, o-tmf, adminlang, srclang, datatype);
- ``xml:lang`` only (never TMX 1.1's ``lang``), codes as the caller gives them (BCP 47);
- dates as ``YYYYMMDDThhmmssZ`` in UTC;
- no DOCTYPE: CAT tools that honour one try to load the DTD from beside the file;
- UTF-8 by default, UTF-16 with a byte-order mark on request.

Text is written as given: the caller (see :mod:`mtmend.tmx.export`) has already refused
or replaced characters XML 1.0 forbids. Placeholders for inline markup become elements.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import BinaryIO

from mtmend.tmx.model import Header, Unit
from mtmend.tmx.xmltext import OPEN, seg_element

# xmlfile mis-serialises the namespaced name ({…}lang → ns0:lang); the literal name is exact.
XML_LANG = "xml:lang"
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
    ``ValueError`` naming the unit's ``tuid`` when a placeholder is broken.
    """
    from lxml import etree

    if encoding not in ENCODINGS:
        raise ValueError(f"unsupported TMX encoding {encoding!r} (expected one of {', '.join(ENCODINGS)})")
    count = 0
    with etree.xmlfile(out, encoding=encoding) as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n")
            xf.write(_header_element(header))
            xf.write("\n")
            with xf.element("body"):
                xf.write("\n")
                element, write = xf.element, xf.write
                for unit in units:
                    with element("tu", _attrs(unit)):
                        for note in unit.notes:
                            with element("note"):
                                write(note)
                        for prop in unit.props:
                            with element("prop", type=prop.type):
                                write(prop.value)
                        for variant in unit.variants:
                            attrs = {XML_LANG: variant.lang}
                            if variant.creationid:
                                attrs["creationid"] = variant.creationid
                            if variant.creationdate:
                                attrs["creationdate"] = variant.creationdate
                            if variant.changeid:
                                attrs["changeid"] = variant.changeid
                            if variant.changedate:
                                attrs["changedate"] = variant.changedate
                            with element("tuv", attrs):
                                for prop in variant.props:
                                    with element("prop", type=prop.type):
                                        write(prop.value)
                                if OPEN in variant.text:
                                    try:
                                        write(seg_element(variant.text))
                                    except ValueError as exc:
                                        raise ValueError(f"unit {unit.tuid or count + 1}: {exc}") from exc
                                else:
                                    with element("seg"):
                                        write(variant.text)
                    write("\n")
                    count += 1
            xf.write("\n")
    return count


def _attrs(unit: Unit) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for key in ("tuid", "srclang", "creationid", "creationdate", "changeid", "changedate"):
        value = getattr(unit, key)
        if value:
            attrs[key] = value
    return attrs


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
