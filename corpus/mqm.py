"""MQM scores as published in Google's MQM studies, and their tab-separated data format.

Scoring (Freitag et al. 2021): every error weighs by severity and category — Major 5,
Minor 1, Minor ``Fluency/Punctuation`` 0.1, ``Non-translation!`` 25, Neutral and
``No-error`` 0; a segment's score is the mean over its raters of each rater's sum; a
system's (or document's) score is the mean over its segments. Lower is better.

Weights come from a named :class:`Profile`, an ordered list of patterns matched against
``severity:category`` (case-insensitively, first match wins — the scheme of Google's
Marot viewer, so the same weights mean the same thing in both tools).

The file format (Google's MQM data, Marot): tab-separated, no quoting, an optional
header, columns ``system doc doc_id seg_id rater source target category severity`` (or
``docSegId globalSegId`` for the ids) and an optional trailing ``metadata`` JSON column;
the error span is marked ``<v>…</v>`` in ``target`` (in ``source`` for omissions).
Reading such a file is :mod:`mtmend.corpus.mqm_read`; writing it, :func:`format_rows`.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from mtmend.corpus.errors import InputError
from mtmend.corpus.mqm_text import mark, plain  # noqa: F401  (re-exported)

NO_ERROR = "No-error"
HOTW = "HOTW-test"  # Marot's "hands on the wheel" attention checks: not ratings, left out
SEVERITIES = ("Neutral", "Minor", "Major", "Critical", "Trivial", NO_ERROR, HOTW)
ID_COLUMNS = (("doc_id", "seg_id"), ("docSegId", "globalSegId"), ("doc_seg_id", "global_seg_id"))
METADATA = "metadata"
DEFAULT_THRESHOLD = 90.0  # MQM Core: pass when 100 − penalty per 1,000 words reaches this


@dataclass(frozen=True, slots=True)
class Weight:
    """One line of a weighting profile: a regex over ``severity:category``, lower-cased."""

    name: str
    weight: float
    pattern: str


@dataclass(frozen=True, slots=True)
class Profile:
    """A named, ordered list of weights; the first matching weight applies, else 0."""

    name: str
    description: str
    weights: tuple[Weight, ...]

    def weight(self, severity: str, category: str) -> float:
        """The penalty of one error, e.g. ``GOOGLE_2021.weight("Minor", "Fluency/Punctuation") == 0.1``."""
        return _weight(self, severity, category)

    @property
    def signature(self) -> str:
        """Everything that changes the number, sacrebleu-style."""
        weights = ",".join(f"{w.name}={w.weight:g}" for w in self.weights)
        return f"mqm:{self.name}|weights:{weights}|seg:mean-of-raters|agg:mean-of-segments"


@cache
def _weight(profile: Profile, severity: str, category: str) -> float:
    key = f"{severity}:{category}".lower()
    for w in profile.weights:
        if re.search(w.pattern, key):
            return w.weight
    return 0.0


_TRIVIAL = Weight("Trivial", 0.1, r"^minor:.*punctuation|^trivial:")
_NON_TRANSLATION = Weight("Non-trans", 25.0, r"non.translation")
_MINOR, _MAJOR = Weight("Minor", 1.0, r"^minor:"), Weight("Major", 5.0, r"^major:")

# Ordered registry; the CLI's --weights choices come from it, the first is the default.
PROFILES: tuple[Profile, ...] = (
    Profile(
        "google-2021",
        "the published WMT21/TED tables: Source error rows count at their severity; "
        "Critical (absent from Google's data) weighs like Major, as in Marot",
        (_TRIVIAL, _NON_TRANSLATION, _MINOR, _MAJOR, Weight("Critical", 5.0, r"^critical:")),
    ),
    Profile(
        "marot",
        "the defaults of Google's Marot viewer: Source error/issue and Creative "
        "Reinterpretation weigh 0, Critical weighs 5",
        (
            _TRIVIAL,
            Weight("Creative", 0.0, r":.*reinterpretation"),
            Weight("Source", 0.0, r":source"),
            _NON_TRANSLATION, _MINOR, _MAJOR,
            Weight("Critical", 5.0, r"^critical:"),
        ),
    ),
    Profile(
        "mqm-core",
        "the MQM Core scoring model: Minor 1, Major 5, Critical 25, whatever the category",
        (_MINOR, _MAJOR, Weight("Critical", 25.0, r"^critical:")),
    ),
)


def profile(name: str) -> Profile:
    for p in PROFILES:
        if p.name == name:
            return p
    raise InputError(f"unknown MQM weights {name!r} (choose from {', '.join(p.name for p in PROFILES)})")


# ------------------------------------------------------------------------ rows
@dataclass(frozen=True, slots=True)
class MqmRow:
    """One line of an MQM file: one error (or ``No-error``) by one rater on one segment.

    ``source`` and ``target`` keep their ``<v>…</v>`` span markup.
    """

    system: str
    doc: str
    doc_seg_id: str
    global_seg_id: str
    rater: str
    source: str
    target: str
    category: str
    severity: str
    metadata: str | None = None
    line: int = 0
    written: tuple[str, str] | None = None  # source and target as written, when whitespace was normalised

    @property
    def segment_key(self) -> tuple[str, str, str]:
        return (self.system, self.doc, self.doc_seg_id)

    def fields(self) -> list[str]:
        """The columns as the file had them (whitespace-normalised text written back as it was)."""
        source, target = self.written or (self.source, self.target)
        base = [self.system, self.doc, self.doc_seg_id, self.global_seg_id, self.rater,
                source, target, self.category, self.severity]
        return base if self.metadata is None else [*base, self.metadata]


@dataclass(frozen=True, slots=True)
class MqmTable:
    header: tuple[str, ...] | None  # as written in the file, None if it had none
    rows: tuple[MqmRow, ...]
    dropped: int  # HOTW-test rows left out
    normalised: int = 0  # rows whose text differed from their segment's only in whitespace


def default_header(metadata: bool = True) -> tuple[str, ...]:
    cols = ("system", "doc", "docSegId", "globalSegId", "rater", "source", "target", "category", "severity")
    return (*cols, METADATA) if metadata else cols


def format_rows(rows: Iterable[MqmRow], header: Sequence[str] | None) -> Iterator[str]:
    """The lines of an MQM file (each ending in a newline); refuses text the format cannot hold."""
    if header:
        yield "\t".join(header) + "\n"
    for row in rows:
        fields = row.fields()
        if any("\t" in f or "\n" in f for f in fields):
            raise InputError(
                f"{row.system}/{row.doc} segment {row.doc_seg_id}: contains a tab or line break, "
                "which the MQM TSV format cannot hold (it has no quoting)"
            )
        yield "\t".join(fields) + "\n"


# --------------------------------------------------------------------- scoring
@dataclass(frozen=True, slots=True)
class MqmScore:
    """The MQM score of a system, document or segment, with MQM Core normalisation figures."""

    name: str
    score: float  # mean over segments of the mean over raters of each rater's sum
    segments: int
    words: int  # target words (whitespace-separated), the evaluation word count
    penalty: float  # absolute penalty total: the sum of the segment scores

    @property
    def per_1000(self) -> float:
        """Penalty per 1,000 words (MQM Core's normed penalty total, reference count 1,000)."""
        return self.penalty * 1000 / self.words if self.words else 0.0

    def quality(self) -> float:
        """MQM Core's overall quality score: 100 − penalty per 1,000 words."""
        return 100.0 - self.per_1000

    def passed(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        return self.quality() >= threshold

    def as_dict(self, threshold: float = DEFAULT_THRESHOLD) -> dict:
        return {
            "name": self.name, "score": self.score, "segments": self.segments, "words": self.words,
            "penalty": self.penalty, "per_1000_words": self.per_1000, "quality": self.quality(),
            "pass": self.passed(threshold),
        }


def aggregate(
    ratings: Iterable[tuple[Hashable, Hashable, str, float]],
    segments: Iterable[tuple[Hashable, Hashable, int]],
) -> list[MqmScore]:
    """Scores per group from ``(group, segment, rater, weight)`` ratings.

    ``segments`` lists every ``(group, segment, words)`` unit, so a segment nobody
    marked counts as 0; groups come out in the order they are first listed there.
    """
    return aggregate_sums([rater_sums(ratings)], segments)[0]


def rater_sums(ratings: Iterable[tuple[Hashable, Hashable, str, float]]) -> dict[Hashable, dict[str, float]]:
    """Per segment, each rater's summed weights (what :func:`aggregate_sums` averages)."""
    sums: dict[Hashable, dict[str, float]] = {}
    for rating in ratings:
        add_rating(sums, rating)
    return sums


def add_rating(sums: dict[Hashable, dict[str, float]], rating: tuple[Hashable, Hashable, str, float]) -> None:
    _group, seg, rater, weight = rating
    per_rater = sums.setdefault(seg, {})
    per_rater[rater] = per_rater.get(rater, 0.0) + weight


def aggregate_sums(ratings: Sequence[dict], segments: Iterable[tuple[Hashable, Hashable, int]]) -> list[list[MqmScore]]:
    """:func:`aggregate` for several sets of :func:`rater_sums` at once, reading ``segments`` once."""
    totals: list[dict[Hashable, list]] = [{} for _ in ratings]
    for group, seg, words in segments:
        for sums, per_group in zip(ratings, totals, strict=True):
            per_rater = sums.get(seg)
            t = per_group.setdefault(group, [0.0, 0, 0])
            t[0] += sum(per_rater.values()) / len(per_rater) if per_rater else 0.0
            t[1] += 1
            t[2] += words
    return [[MqmScore(str(g), t[0] / t[1], t[1], t[2], t[0]) for g, t in per_group.items()] for per_group in totals]


BY_CHOICES = ("system", "doc", "segment")


def score_rows(rows: Iterable[MqmRow], weights: Profile, by: str = "system") -> list[MqmScore]:
    """MQM scores of an MQM file's rows by ``system``, ``doc`` or ``segment``.

    Groups: a system name, ``system/doc``, or ``system/doc/docSegId``. Systems are listed
    best first (as in the published tables); documents and segments in file order.
    """
    if by not in BY_CHOICES:
        raise InputError(f"cannot score by {by!r} (choose from {', '.join(BY_CHOICES)})")

    def group(row: MqmRow) -> str:
        if by == "system":
            return row.system
        return f"{row.system}/{row.doc}" if by == "doc" else "/".join(row.segment_key)

    # One pass over the rows (they may be streamed): each segment is listed as its first
    # row goes by; aggregate() reads all the ratings before it reads the segments.
    units: dict[tuple, tuple[str, int]] = {}

    def ratings() -> Iterator[tuple]:
        for row in rows:
            key = row.segment_key
            if key not in units:
                units[key] = (group(row), len(plain(row.target).split()))
            yield None, key, row.rater, weights.weight(row.severity, row.category)

    def segments() -> Iterator[tuple]:  # a function: the dict must be iterated only once it is full
        for key, (g, words) in units.items():
            yield g, key, words

    scores = aggregate(ratings(), segments())
    return sorted(scores, key=lambda s: s.score) if by == "system" else scores
