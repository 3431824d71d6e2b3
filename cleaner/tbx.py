"""Reading a TBX-Basic termbase into glossary entries, safely (no network, no entities).

Both TBX-Basic layouts are read: ISO 30042:2008 (``termEntry/langSet/tig/term``) and
TBX v3 (``conceptEntry/langSec/termSec/term``). The first English term that is not
marked deprecated is the approved rendering; terms marked ``deprecatedTerm-admn-sts``
(or ``supersededTerm-admn-sts``) are the forbidden variants.
"""

from __future__ import annotations

from pathlib import Path

from mtmend.corpus.errors import InputError
from mtmend.corpus.xmlnames import XML_LANG

_FORBIDDEN_STATUS = ("deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecated", "forbidden")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_tbx(path: Path) -> list[tuple[str, str, tuple[str, ...], str]]:
    """``(zh, en, forbidden, note)`` of each entry of a TBX-Basic file (the fields of a
    glossary entry); raises :class:`InputError` naming the bad entry."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the glossary ({exc})") from exc
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: not well-formed XML ({exc})") from exc
    entries = []
    for index, concept in enumerate((el for el in root.iter() if _local(el.tag) in ("termEntry", "conceptEntry")), 1):
        zh_terms, en_terms, forbidden, notes = [], [], [], []
        for lang_set in (el for el in concept if _local(el.tag) in ("langSet", "langSec")):
            lang = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").lower()
            for term in (el for el in lang_set.iter() if _local(el.tag) == "term"):
                text = "".join(term.itertext()).strip()
                group = term.getparent()
                status = " ".join(
                    (n.text or "").strip().lower()
                    for n in group.iter()
                    if _local(n.tag) == "termNote" and (n.get("type") or "") == "administrativeStatus"
                )
                if lang.startswith("zh"):
                    zh_terms.append(text)
                elif lang.startswith("en"):
                    (forbidden if any(s in status for s in _FORBIDDEN_STATUS) else en_terms).append(text)
        for el in concept.iter():
            if _local(el.tag) in ("descrip", "note") and (el.text or "").strip():
                notes.append(el.text.strip())
        ident = concept.get("id") or f"#{index}"
        if not zh_terms or not zh_terms[0]:
            raise InputError(f"{path}: entry {ident} has no Chinese (zh) term")
        if not en_terms or not en_terms[0]:
            raise InputError(f"{path}: entry {ident} has no approved English (en) term")
        entries.append((zh_terms[0], en_terms[0], tuple(f for f in forbidden if f), " ".join(notes)))
    return entries
