"""Checks on every value a TMX file hands to mtmend, before any of it reaches the workspace.

A TMX file is data from outside: its ``x-mtmend-*`` props and annotation JSON may have been
edited by hand, by a CAT tool, or crafted. Every value is checked here for type and bounds,
and a violation becomes one :class:`InputError` naming the file, the line of the unit and
the field, e.g. ``a.tmx:12: x-mtmend-position: 99999999999 is out of range (0 to 2147483647)``.
A missing prop takes its documented default; a present but unusable one is refused, never
guessed around.

The bounds: positions and paragraph numbers fit a 32-bit index; a paragraph unit spans at
most :data:`MAX_SEGMENTS` segments; annotation spans satisfy ``0 <= start <= end``,
``end - start == len(before)``, stay within :data:`MAX_TEXT` characters, and (for an
applied edit) match the text they change.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from mtmend.corpus.errors import InputError
from mtmend.corpus.model import AuthorKind, Bead, Edit, EditState, Pass, Severity, Status
from mtmend.tmx import export as keys

MAX_INDEX = 2**31 - 1
MAX_SEGMENTS = 10_000
MAX_TEXT = 10_000_000  # characters: libxml2 refuses longer text nodes anyway
MAX_JSON = 1_000_000  # characters of one annotation or document-info prop


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a TMX file, for messages: ``file:line: field``."""

    path: Path | str
    line: int

    def error(self, field: str, problem: str) -> InputError:
        return InputError(f"{self.path}:{self.line}: {field}: {problem}")


def index(value: str | None, default: int, where: Where, field: str, low: int = 0, high: int = MAX_INDEX) -> int:
    """An integer prop (decimal digits only) within ``low..high``; ``default`` when absent."""
    if value is None:
        return default
    text = value.strip()
    if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 20:
        raise where.error(field, f"{_short(value)} is not a whole number")
    number = int(text)
    if not low <= number <= high:
        raise where.error(field, f"{text} is out of range ({low} to {high})")
    return number


def status(value: str | None, where: Where, field: str) -> Status:
    if value is None or not value.strip():
        return Status.RAW
    try:
        return Status(value.strip())
    except ValueError:
        raise where.error(field, f"{_short(value)} is not a status ({', '.join(s.value for s in Status)})") from None


def bead(value: str | None, where: Where, field: str) -> Bead | None:
    if value is None or not value.strip():
        return None
    if len(value) > 10_000:
        raise where.error(field, "longer than 10,000 characters")
    try:
        parsed = Bead.parse(value)
    except (ValueError, OverflowError):
        raise where.error(field, f"{_short(value)} is not a bead like [0]:[0,1]") from None
    if any(not 0 <= i <= MAX_INDEX for i in (*parsed.zh, *parsed.en)):
        raise where.error(field, f"{_short(value)} has a sentence number out of range")
    return parsed


def text(value: str | None, where: Where, field: str) -> str | None:
    if value is not None and len(value) > MAX_TEXT:
        raise where.error(field, f"longer than {MAX_TEXT:,} characters")
    return value


@dataclass(frozen=True, slots=True)
class ArchivedAnnotation:
    """One ``x-mtmend-annotation`` prop, checked."""

    edit: Edit
    state: EditState
    created: str | None
    comment: str
    seq: int | None
    pass_id: int | None = None  # the archived pass it belongs to (kept by a restore)


def annotation(raw: str, where: Where, field: str) -> ArchivedAnnotation:
    """Parse and check one annotation's JSON (its span against the text is :func:`check_span`'s job)."""
    data = json_object(raw, where, field)
    start, end = _int(data, "start", where, field), _int(data, "end", where, field)
    before = _str(data, "before", where, field)
    after = _str(data, "after", where, field, optional=True)
    if not 0 <= start <= end <= MAX_TEXT:
        raise where.error(field, f"span {start}-{end} is not within 0 <= start <= end <= {MAX_TEXT:,}")
    if end - start != len(before):
        raise where.error(field, f"span {start}-{end} does not have the length of 'before' ({len(before)})")
    seq = _bounded(data, "seq", where, field) if data.get("seq") is not None else None
    pass_id = _bounded(data, "pass", where, field, low=1) if data.get("pass") is not None else None
    edit = Edit(
        start, end, before, after, _str(data, "author", where, field), _str(data, "category", where, field),
        _enum(Severity, data, "severity", where, field), _bool(data, "auto", where, field),
        _str(data, "note", where, field, default=""), _enum(AuthorKind, data, "author_kind", where, field),
    )
    created = _str(data, "created", where, field, optional=True)
    return ArchivedAnnotation(edit, _enum(EditState, data, "state", where, field), created,
                              _str(data, "comment", where, field, default=""), seq, pass_id)


def check_span(ann: ArchivedAnnotation, current: str, where: Where, field: str) -> None:
    """An applied edit must change exactly the text it says it changes."""
    e = ann.edit
    if ann.state is EditState.APPLIED and e.after is not None and current[e.start : e.end] != e.before:
        raise where.error(field, f"applied edit expects {_short(e.before)} at {e.start}-{e.end} of a "
                          f"{len(current)}-character target, which has {_short(current[e.start:e.end])}")


def json_object(raw: str, where: Where, field: str) -> dict:
    if len(raw) > MAX_JSON:
        raise where.error(field, f"longer than {MAX_JSON:,} characters")
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise where.error(field, f"not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(data, dict):
        raise where.error(field, "expected a JSON object")
    return data


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _int(data: dict, key: str, where: Where, field: str) -> int:
    value = data.get(key)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if type(value) is not int or abs(value) > 2**63:
        raise where.error(field, f"{key!r} must be a whole number, not {_short(value)}")
    return value


def _bounded(data: dict, key: str, where: Where, field: str, low: int = 0) -> int:
    value = _int(data, key, where, field)
    if not low <= value <= MAX_INDEX:
        raise where.error(field, f"{key!r} {value} is out of range ({low} to {MAX_INDEX})")
    return value


def archived_pass(raw: str, where: Where, field: str) -> Pass:
    """A header ``x-mtmend-pass`` prop: one pass of the archived workspace, with its summary."""
    data = json_object(raw, where, field)
    summary = data.get("summary", {})
    if not isinstance(summary, dict):
        raise where.error(field, f"'summary' must be a JSON object, not {_short(summary)}")
    return Pass(_bounded(data, "id", where, field, low=1), _str(data, "kind", where, field),
                _str(data, "started", where, field), _str(data, "finished", where, field, optional=True),
                _str(data, "detail", where, field, default=""), summary)


@dataclass(frozen=True, slots=True)
class ArchivedReview:
    """A header ``x-mtmend-review`` prop: one review decision (without its undo recipe)."""

    document: str
    position: int
    pass_id: int | None
    action: str
    reviewer: str
    created: str
    undone: bool


def archived_review(raw: str, where: Where, field: str) -> ArchivedReview:
    data = json_object(raw, where, field)
    pass_id = _bounded(data, "pass", where, field, low=1) if data.get("pass") is not None else None
    return ArchivedReview(_str(data, "document", where, field), _bounded(data, "position", where, field), pass_id,
                          _str(data, "action", where, field), _str(data, "reviewer", where, field),
                          _str(data, "created", where, field), _bool(data, "undone", where, field))


def _str(data: dict, key: str, where: Where, field: str, *, optional: bool = False, default: str | None = None) -> str:
    value = data.get(key, default)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise where.error(field, f"{key!r} must be a string, not {_short(value)}")
    if len(value) > MAX_TEXT:
        raise where.error(field, f"{key!r} is longer than {MAX_TEXT:,} characters")
    return value


def _bool(data: dict, key: str, where: Where, field: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise where.error(field, f"{key!r} must be true or false, not {_short(value)}")
    return value


def _enum(kind, data: dict, key: str, where: Where, field: str):
    value = data.get(key)
    try:
        return kind(value) if isinstance(value, str) else kind(None)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise where.error(field, f"{key!r} must be one of {allowed}, not {_short(value)}") from None


def _short(value) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


@dataclass(frozen=True, slots=True)
class UnitFields:
    """The ``x-mtmend-*`` props of one unit, checked; ``None`` where a prop is absent."""

    position: int | None
    para: int | None
    segments: int
    status: Status
    bead: Bead | None
    sep: str
    mt: str | None
    reference: str | None
    annotations: tuple[ArchivedAnnotation, ...]


def unit_fields(props: dict[str, str], annotations: tuple[str, ...], where: Where) -> UnitFields:
    """Check every ``x-mtmend-*`` prop of a unit (``props``: each type's first value)."""
    get = props.get
    position = index(get(keys.POSITION), None, where, keys.POSITION)
    return UnitFields(
        position=position,
        para=index(get(keys.PARA), None, where, keys.PARA),
        segments=index(get(keys.SEGMENTS), 1, where, keys.SEGMENTS, low=1, high=MAX_SEGMENTS),
        status=status(get(keys.STATUS), where, keys.STATUS),
        bead=bead(get(keys.BEAD), where, keys.BEAD),
        sep=text(get(keys.SEP), where, keys.SEP) or "",
        mt=text(get(keys.MT), where, keys.MT),
        reference=text(get(keys.REFERENCE), where, keys.REFERENCE),
        annotations=tuple(annotation(raw, where, keys.ANNOTATION) for raw in annotations),
    )


def document_info(raw: str, where: Where, field: str) -> dict[str, str]:
    """A header ``x-mtmend-document-info`` prop: a JSON object of strings, with a name."""
    data = json_object(raw, where, field)
    info = {}
    for key in ("name", "source_lang", "target_lang", "created", "fingerprint"):
        value = data.get(key)
        if value is None and key != "name":
            continue
        if not isinstance(value, str) or len(value) > 10_000:
            raise where.error(field, f"{key!r} must be a string, not {_short(value)}")
        info[key] = value
    return info
