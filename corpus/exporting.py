"""Writing a document back out: the article as text, or aligned zh<TAB>en pairs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mtmend.corpus.model import Segment


def article_lines(segments: Iterable[Segment]) -> Iterator[str]:
    """The current English as the article: paragraphs separated by a blank line.

    Segments with no English (source-only beads) are left out; the text between
    segments is the original's, so an untouched document comes back as imported.
    """
    para: int | None = None
    parts: list[str] = []
    for seg in segments:
        if not seg.target:
            continue
        if para is not None and seg.para != para:
            yield "".join(parts)
            parts = []
        parts.append(seg.target if not parts else seg.sep + seg.target)
        para = seg.para
    if parts:
        yield "".join(parts)


def article_text(segments: Iterable[Segment]) -> str:
    return "\n\n".join(article_lines(segments)) + "\n"


def tsv_lines(segments: Iterable[Segment]) -> Iterator[str]:
    """``zh<TAB>en`` per segment; tabs and line breaks inside a side become spaces."""
    for seg in segments:
        yield f"{_flat(seg.source)}\t{_flat(seg.target)}\n"


def _flat(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
