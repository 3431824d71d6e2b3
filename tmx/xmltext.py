"""Text that can go into XML 1.0, and inline markup kept as placeholders.

XML 1.0 forbids most C0 control characters, lone surrogates and U+FFFE/U+FFFF. lxml
refuses them with a bare ``ValueError``; OmegaT drops a whole memory for one of them.
mtmend finds them first so the export can name the document and segment.

Inline markup (``bpt ept it ph hi sub ut``) read from a TMX is kept in the segment text
as a *placeholder*: the element's exact XML between U+E000 and U+E001 (two private-use
characters no real text carries). ``hi`` wraps translatable text, so it becomes two
placeholders, its start tag and its end tag, with the text between them left editable.
The writer turns placeholders back into elements, so markup survives a round trip.
"""

from __future__ import annotations

import re

OPEN = "\ue000"
CLOSE = "\ue001"
INLINE_TAGS = frozenset({"bpt", "ept", "it", "ph", "hi", "sub", "ut"})

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PLACEHOLDER = re.compile(OPEN + "([^" + OPEN + CLOSE + "]*)" + CLOSE)
REPLACEMENT = "\ufffd"


def forbidden_chars(text: str) -> list[tuple[int, str]]:
    """``(offset, character)`` for every character XML 1.0 cannot carry.

    >>> forbidden_chars("a\\x01b\\tc")
    [(1, '\\x01')]
    """
    if _FORBIDDEN.search(text) is None:
        return []
    return [(m.start(), m.group()) for m in _FORBIDDEN.finditer(text)]


def has_forbidden(text: str) -> bool:
    """Whether ``text`` holds any character XML 1.0 cannot carry (one regex scan).

    >>> has_forbidden("a\\x0bb"), has_forbidden("a\\tb")
    (True, False)
    """
    return _FORBIDDEN.search(text) is not None


def replace_forbidden(text: str) -> str:
    """``text`` with each XML-forbidden character replaced by U+FFFD (visible, searchable)."""
    return _FORBIDDEN.sub(REPLACEMENT, text)


def strip_placeholders(text: str) -> str:
    """The text a reader sees: placeholders removed, ``hi`` content kept.

    >>> strip_placeholders("a\\ue000<ph>&lt;br/&gt;</ph>\\ue001b")
    'ab'
    """
    return _PLACEHOLDER.sub("", text) if OPEN in text else text


def seg_text(seg) -> str:
    """The text of an lxml ``seg`` element, inline elements as placeholders."""
    if len(seg) == 0:
        return seg.text or ""
    parts = [seg.text or ""]
    _children(seg, parts)
    return "".join(parts)


def _children(element, parts: list[str]) -> None:
    from lxml import etree

    for child in element:
        if not isinstance(child.tag, str):
            if isinstance(child, etree._Entity):
                raise ValueError(f"undefined entity {child.text} (mtmend never loads DTDs)")
            parts.append(child.tail or "")  # comment or PI: dropped, tail kept
            continue
        if child.tag == "hi":
            attrs = "".join(f' {k}="{_escape(v).replace(chr(34), "&quot;")}"' for k, v in child.attrib.items())
            parts.append(f"{OPEN}<hi{attrs}>{CLOSE}{child.text or ''}")
            _children(child, parts)
            parts.append(f"{OPEN}</hi>{CLOSE}")
        else:
            parts.append(OPEN + etree.tostring(child, encoding=str, with_tail=False) + CLOSE)
        parts.append(child.tail or "")


def seg_element(text: str):
    """An lxml ``seg`` element for ``text``, placeholders turned back into elements.

    Raises ``ValueError`` when the placeholders do not form valid inline markup (for
    example a ``hi`` start tag whose end tag was deleted).
    """
    from lxml import etree

    pieces: list[str] = []
    cursor = 0
    for m in _PLACEHOLDER.finditer(text):
        pieces.append(_escape(text[cursor : m.start()]))
        pieces.append(m.group(1))
        cursor = m.end()
    pieces.append(_escape(text[cursor:]))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        seg = etree.fromstring("<seg>" + "".join(pieces) + "</seg>", parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"broken inline-markup placeholder ({exc.msg})") from exc
    for element in seg.iter():
        if element is not seg and element.tag not in INLINE_TAGS:
            raise ValueError(f"placeholder holds <{element.tag}>, which is not TMX inline markup")
    return seg


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
