"""Opening untrusted TMX safely: no entities, no DTD, no network, no bombs.

A TMX never needs entity declarations, so a DOCTYPE that declares any is refused before
the parser sees it: that is how XXE (``<!ENTITY x SYSTEM "file:///etc/passwd">``) and
entity-expansion bombs ("billion laughs") work. The parser itself is configured to
resolve no entities, load no DTD and touch no network, so an external DTD reference
(``<!DOCTYPE tmx SYSTEM "http://…">``) is never fetched: it is reported and ignored.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from mtmend.corpus.errors import InputError
from mtmend.corpus.textio import read_input

PROLOG_LIMIT = 1 << 20  # the DOCTYPE must come before the root element; 1 MiB is plenty

_DOCTYPE = re.compile(r"<!DOCTYPE\s+\S+(?P<ext>\s+(?:SYSTEM|PUBLIC)\s[^\[>]*)?(?P<subset>\[)?", re.S)
_ENTITY = re.compile(r"<!ENTITY", re.I)
_SYSTEM_ID = re.compile(r"""["']([^"']*)["']\s*$""")


@dataclass(frozen=True, slots=True)
class Prolog:
    """What the prolog says before the root element: the external DTD address, if any."""

    dtd: str | None


def parser_options() -> dict:
    """lxml options for every TMX parse: nothing resolved, loaded or fetched."""
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def check_prolog(path: Path) -> Prolog:
    """Refuse entity declarations; return the external DTD reference (never loaded)."""
    head = read_input(path, "a TMX file", PROLOG_LIMIT)
    if not head.strip():
        raise InputError(f"{path}: is empty; expected a TMX file")
    text = _prolog_text(head)
    root = re.search(r"<(?![?!])", text)
    prolog = text if root is None else text[: root.start()]
    if _ENTITY.search(prolog):
        line = prolog[: _ENTITY.search(prolog).start()].count("\n") + 1
        raise InputError(
            f"{path}:{line}: refused: the DOCTYPE declares entities, which a TMX never needs "
            "(this is how XXE and entity-expansion attacks work); remove the declarations"
        )
    m = _DOCTYPE.search(prolog)
    dtd = None
    if m and m["ext"]:
        sid = _SYSTEM_ID.search(m["ext"].strip())
        dtd = sid.group(1) if sid else m["ext"].strip()
    return Prolog(dtd)


def is_remote(address: str) -> bool:
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", address) is not None and not address.startswith("file:")


def _prolog_text(head: bytes) -> str:
    """Decode the start of the file well enough to find the DOCTYPE."""
    if head.startswith(codecs.BOM_UTF16_LE):
        return head[2:].decode("utf-16-le", "replace")
    if head.startswith(codecs.BOM_UTF16_BE):
        return head[2:].decode("utf-16-be", "replace")
    if head[:4] == b"<\x00?\x00":
        return head.decode("utf-16-le", "replace")
    if head[:4] == b"\x00<\x00?":
        return head.decode("utf-16-be", "replace")
    # Every other encoding a TMX may declare is ASCII-compatible in its markup.
    return head.decode("latin-1")
