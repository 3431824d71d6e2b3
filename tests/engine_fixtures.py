"""Inputs for the engine tests: the sample articles as long streams (text and zh<TAB>en)."""

from __future__ import annotations

import io
import sys
from itertools import cycle, islice
from pathlib import Path

from mtmend.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
GLOSSARY = SAMPLES / "glossary.tsv"
DOCS = ("000_46a1daae881aeae4", "003_3ffcd919ae816214")


def text_lines(count: int) -> list[str]:
    """``count`` lines of the two English sample articles, repeated (paragraphs, blank lines, Q&A)."""
    lines = [line for doc in DOCS for line in (SAMPLES / f"{doc}.txt").read_text(encoding="utf-8").split("\n")]
    return list(islice(cycle(lines), count))


def tsv_rows(count: int) -> list[str]:
    """``count`` zh<TAB>en rows: the samples' paragraphs paired in order, repeated."""
    rows = []
    for doc in DOCS:
        zh = [p for p in (SAMPLES / f"{doc}.zh.txt").read_text(encoding="utf-8").split("\n") if p.strip()]
        en = [p for p in (SAMPLES / f"{doc}.txt").read_text(encoding="utf-8").split("\n") if p.strip()]
        rows += [f"{z}\t{e}" for z, e in zip(zh, en)]
    return list(islice(cycle(rows), count))


def clean_filter(data: bytes, *args: str) -> tuple[int, bytes, str]:
    """``mtmend clean - ARGS`` in process on ``data``: (exit code, stdout bytes, stderr text)."""
    raw_out, err = io.BytesIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(raw_out, encoding="utf-8")
    sys.stderr = err
    try:
        code = main(["clean", "-", *args])
        sys.stdout.flush()
        return code, raw_out.getvalue(), err.getvalue()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
