"""The TMX layer's own types: what a reader yields and a writer takes.

A :class:`Unit` is one ``tu`` with its ``tuv`` variants, props and notes, format-neutral
(no workspace ids). Export settings and reports are frozen dataclasses too, so the CLI
never passes dicts of strings to this layer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class ExportMode(enum.StrEnum):
    """What a unit carries beyond source and target."""

    CLEAN = "clean"  # document, position, status: for CAT tools
    FULL = "full"  # plus raw MT, layout, reference, every annotation: a lossless archive


class Segtype(enum.StrEnum):
    """Unit granularity, written to the header's ``segtype`` (which tells the truth)."""

    SENTENCE = "sentence"  # one unit per aligned segment (bead)
    PARAGRAPH = "paragraph"  # one unit per paragraph of the article, line breaks kept


class InvalidChars(enum.StrEnum):
    """What to do with characters XML 1.0 forbids."""

    REFUSE = "refuse"  # report each (document, segment) and write nothing
    REPLACE = "replace"  # write U+FFFD instead, and report each replacement


# Prop, Variant and Unit are built a million times per file read or written, so their
# __init__ is written out to store each field through its slot descriptor: the same
# frozen dataclass (eq, repr, hash, FrozenInstanceError on assignment), built 2x faster
# than through the generated __init__'s object.__setattr__ calls.


def _setters(cls, names: str) -> tuple:
    return tuple(getattr(cls, name).__set__ for name in names.split())


@dataclass(frozen=True, slots=True, init=False)
class Prop:
    type: str
    value: str
    lang: str | None = None

    def __init__(self, type: str, value: str, lang: str | None = None) -> None:  # noqa: A002
        set_type, set_value, set_lang = _PROP
        set_type(self, type)
        set_value(self, value)
        set_lang(self, lang)


@dataclass(frozen=True, slots=True, init=False)
class Variant:
    """One ``tuv``: a language and its segment text (inline markup as placeholders)."""

    lang: str
    text: str
    props: tuple[Prop, ...] = ()
    notes: tuple[str, ...] = ()
    creationid: str | None = None
    changeid: str | None = None
    creationdate: str | None = None
    changedate: str | None = None

    def __init__(self, lang: str, text: str, props: tuple[Prop, ...] = (), notes: tuple[str, ...] = (),
                 creationid: str | None = None, changeid: str | None = None, creationdate: str | None = None,
                 changedate: str | None = None) -> None:
        s = _VARIANT
        s[0](self, lang)
        s[1](self, text)
        s[2](self, props)
        s[3](self, notes)
        s[4](self, creationid)
        s[5](self, changeid)
        s[6](self, creationdate)
        s[7](self, changedate)


@dataclass(frozen=True, slots=True, init=False)
class Unit:
    """One ``tu``. ``line`` is where it starts in the file (0 for units built in memory)."""

    variants: tuple[Variant, ...]
    props: tuple[Prop, ...] = ()
    notes: tuple[str, ...] = ()
    tuid: str | None = None
    srclang: str | None = None
    creationid: str | None = None
    changeid: str | None = None
    creationdate: str | None = None
    changedate: str | None = None
    line: int = 0

    def __init__(self, variants: tuple[Variant, ...], props: tuple[Prop, ...] = (), notes: tuple[str, ...] = (),
                 tuid: str | None = None, srclang: str | None = None, creationid: str | None = None,
                 changeid: str | None = None, creationdate: str | None = None, changedate: str | None = None,
                 line: int = 0) -> None:
        s = _UNIT
        s[0](self, variants)
        s[1](self, props)
        s[2](self, notes)
        s[3](self, tuid)
        s[4](self, srclang)
        s[5](self, creationid)
        s[6](self, changeid)
        s[7](self, creationdate)
        s[8](self, changedate)
        s[9](self, line)

    def prop(self, type_: str) -> str | None:
        """The value of the first prop of that type, or ``None``."""
        for p in self.props:
            if p.type == type_:
                return p.value
        return None

    def props_of(self, type_: str) -> list[str]:
        return [p.value for p in self.props if p.type == type_]


_PROP = _setters(Prop, "type value lang")
_VARIANT = _setters(Variant, "lang text props notes creationid changeid creationdate changedate")
_UNIT = _setters(Unit, "variants props notes tuid srclang creationid changeid creationdate changedate line")


@dataclass(frozen=True, slots=True)
class Header:
    """The ``header`` element (attributes as written; props and notes kept)."""

    srclang: str
    segtype: str = "sentence"
    creationtool: str = ""
    creationtoolversion: str = ""
    datatype: str = ""
    adminlang: str = ""
    o_tmf: str = ""
    creationid: str | None = None
    creationdate: str | None = None
    props: tuple[Prop, ...] = ()
    notes: tuple[str, ...] = ()
    version: str = "1.4"


@dataclass(frozen=True, slots=True)
class Issue:
    """Something a reader, importer or validator noticed. ``line`` 0 = the whole file."""

    code: str  # short stable id, e.g. "no-target", "lang-hygiene"
    message: str
    line: int = 0
    error: bool = False


@dataclass(frozen=True, slots=True)
class ExportSettings:
    """Everything that shapes an exported TMX. Languages are explicit, never guessed."""

    source_lang: str = "zh-CN"
    target_lang: str = "en-US"
    mode: ExportMode = ExportMode.CLEAN
    segtype: Segtype = Segtype.SENTENCE
    encoding: str = "utf-8"  # or "utf-16" (written with a BOM)
    invalid_chars: InvalidChars = InvalidChars.REFUSE
    creationid: str | None = None


@dataclass(frozen=True, slots=True)
class BadChar:
    """An XML-forbidden character found while exporting."""

    document: str
    position: int
    field: str  # "source", "target", "mt", …
    offset: int
    char: str

    def __str__(self) -> str:
        return f"document {self.document!r} segment {self.position} {self.field} U+{ord(self.char):04X} at offset {self.offset}"


@dataclass(frozen=True, slots=True)
class ExportReport:
    units: int
    skipped_empty: int
    replaced: tuple[BadChar, ...] = ()
    documents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportSettings:
    source_lang: str = "zh-CN"
    target_lang: str = "en-US"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What a TMX import did; ``issues`` are warnings the CLI prints."""

    pass_id: int | None  # None: a full archive restored with its own passes (mtmend.tmx.restore)
    units: int
    new_documents: tuple[str, ...]
    new_segments: int
    updated: int
    suggested: int  # changes to reviewed segments, kept as suggestions
    unchanged: int
    skipped: int
    issues: tuple[Issue, ...] = field(default=())
    held: tuple[str, ...] = field(default=())  # documents left alone: a reviewer holds them

    def summary(self) -> dict:
        """JSON-able figures for the pass record."""
        return {
            "held": list(self.held),
            "units": self.units,
            "new_documents": list(self.new_documents),
            "new_segments": self.new_segments,
            "updated": self.updated,
            "suggested": self.suggested,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "warnings": [i.message for i in self.issues],
        }
