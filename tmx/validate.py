"""``mtmend tmx validate``: well-formedness, the TMX 1.4b DTD, and what the DTD cannot see.

Streaming, like the reader: each ``tu`` is validated against the DTD on its own and then
freed, and the remaining skeleton (``tmx``, ``header``, an emptied ``body``) is validated
at the end, so a million-unit file validates in flat memory. Beyond the DTD:

- every unit has a variant in the header's ``srclang`` (or its own ``srclang``), unless
  that is ``*all*``;
- ``bpt``/``ept`` pair up inside each segment (same ``i``, begin before end, no ``i``
  used twice);
- no duplicate units (same variants with the same texts, same props and notes);
- no empty segments;
- language codes are BCP 47 (``zh-CN``, not ``zh_CN``); a code in non-canonical case
  (``EN-US``) is only a warning, since BCP 47 ignores case.

Everything but the warning is an error; the command exits non-zero on any error.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from mtmend.corpus.errors import InputError
from mtmend.corpus.xmlnames import XML_LANG
from mtmend.tmx import langs, safety
from mtmend.tmx.model import Issue
from mtmend.tmx.reader import syntax_error_position
from mtmend.tmx.xmltext import seg_text

# lxml validates a lone element by copying it into a scratch document, which declares
# the xml prefix on it; the DTD knows no such attribute. Not a finding about the file.
_SUBTREE_ARTEFACTS = frozenset({"No declaration for attribute xmlns:xml of element tu"})


def load_dtd():
    """The TMX 1.4b DTD shipped inside the package (never fetched)."""
    from lxml import etree

    with resources.files("mtmend.tmx").joinpath("tmx14.dtd").open("rb") as handle:
        return etree.DTD(handle)


def validate_tmx(path: Path | str) -> list[Issue]:
    """Every problem found in the TMX at ``path``, in file order (errors and warnings)."""
    from lxml import etree

    path = Path(path)
    try:
        prolog = safety.check_prolog(path)
    except InputError as exc:
        return [Issue("refused", str(exc).removeprefix(f"{path}:"), 0, True)]
    findings: list[Issue] = []
    if prolog.dtd and safety.is_remote(prolog.dtd):
        findings.append(Issue("remote-dtd", f"DOCTYPE names the remote DTD {prolog.dtd} (not fetched)", 1))
    dtd = load_dtd()
    checker = _UnitChecks(findings)
    root = None
    with open(path, "rb") as handle:
        etree.clear_error_log()
        events = etree.iterparse(handle, events=("end",), tag=("header", "tu"), **safety.parser_options())
        try:
            for _, element in events:
                if element.tag == "header":
                    root = element.getparent()
                    checker.header(element)
                    continue
                if root is None:
                    root = element.getroottree().getroot()
                if not dtd.validate(element):
                    for error in dtd.error_log.filter_from_errors():
                        if error.message not in _SUBTREE_ARTEFACTS:
                            findings.append(Issue("dtd", error.message, element.sourceline or 0, True))
                checker.unit(element)
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            line, column, message = syntax_error_position(exc)
            findings.append(Issue("not-well-formed", f"column {column}: not well-formed XML: {message}", line, True))
            return findings
    if root is None:
        findings.append(Issue("no-header", "no <header> element; not a TMX file", 0, True))
        return findings
    for body in root.iter("body"):
        for tu in list(body):
            body.remove(tu)
    if not dtd.validate(root):
        for error in dtd.error_log.filter_from_errors():
            findings.append(Issue("dtd", error.message, error.line, True))
    findings.sort(key=lambda issue: issue.line)
    return findings


class _UnitChecks:
    """The checks the DTD cannot express, fed one element at a time."""

    def __init__(self, findings: list[Issue]):
        self.findings = findings
        self.srclang = ""
        self.seen: dict[bytes, int] = {}
        self.codes: set[str] = set()

    def header(self, element) -> None:
        self.srclang = element.get("srclang", "")
        for attr in ("srclang", "adminlang"):
            code = element.get(attr)
            if code and code != "*all*":
                self._code(code, element.sourceline or 0, f"header {attr}")

    def unit(self, tu) -> None:
        line = tu.sourceline or 0
        tuvs = [c for c in tu if c.tag == "tuv"]
        codes = []
        for tuv in tuvs:
            code = tuv.get(XML_LANG) or tuv.get("lang") or ""
            codes.append(code)
            self._code(code, line, "tuv language")
        srclang = tu.get("srclang") or self.srclang
        if srclang and srclang != "*all*" and not any(langs.match(c, srclang) is langs.LangMatch.EXACT for c in codes):
            self._error("srclang", f"unit has no variant in the source language {srclang} (has {', '.join(codes) or 'none'})", line)
        digest = hashlib.blake2b(digest_size=12)
        texts = []
        for tuv, code in zip(tuvs, codes, strict=True):
            for seg in tuv.iter("seg"):
                self._segment(seg)
                try:
                    text = seg_text(seg)
                except ValueError as exc:
                    self._error("entity", str(exc), seg.sourceline or line)
                    text = ""
                texts.append((langs.normalize(code).lower(), text))
        for code, text in sorted(texts):
            digest.update(code.encode() + b"\x00" + text.encode("utf-8", "surrogatepass") + b"\x01")
        for child in tu:  # props and notes make otherwise equal units distinct (e.g. positions)
            if child.tag in ("prop", "note"):
                digest.update(f"{child.tag}\x00{child.get('type', '')}\x00{child.text or ''}\x01".encode("utf-8", "surrogatepass"))
        key = digest.digest()
        if key in self.seen:
            self._error("duplicate", f"duplicate of the unit at line {self.seen[key]}", line)
        else:
            self.seen[key] = line

    def _segment(self, seg) -> None:
        line = seg.sourceline or 0
        if not (seg.text or "").strip() and len(seg) == 0:
            self._error("empty-segment", "empty segment", line)
        opened: dict[str, int] = {}
        closed: set[str] = set()
        for element in seg.iter("bpt", "ept"):
            if element.getparent() is not None and element.getparent().tag == "sub":
                continue  # codes inside a sub belong to the sub's own content
            i = element.get("i", "")
            if element.tag == "bpt":
                if i in opened or i in closed:
                    self._error("bpt-ept", f"<bpt i=\"{i}\"> used twice in one segment", element.sourceline or line)
                opened[i] = element.sourceline or line
            elif i in opened:
                del opened[i]
                closed.add(i)
            else:
                self._error("bpt-ept", f"<ept i=\"{i}\"> without a preceding <bpt i=\"{i}\">", element.sourceline or line)
        for i, at in opened.items():
            self._error("bpt-ept", f"<bpt i=\"{i}\"> never closed by an <ept i=\"{i}\">", at)

    def _code(self, code: str, line: int, what: str) -> None:
        if code in self.codes:
            return
        self.codes.add(code)
        problem = langs.hygiene(code)
        if problem:
            error = not langs.is_case_only(problem)
            self.findings.append(Issue("lang-hygiene", f"{what} {code!r} {problem}", line, error))

    def _error(self, code: str, message: str, line: int) -> None:
        self.findings.append(Issue(code, message, line, True))
