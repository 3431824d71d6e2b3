"""Hostile TMX input: crafted x-mtmend-* props and annotation JSON give one-line errors, change nothing.

The fuzz runs the real command in a subprocess under an address-space limit, so a value that
makes the reader allocate without bound fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

ZH, EN = "北京是中国的首都。", "Beijing is the capital of China."
GOOD_ANN = {"seq": 0, "state": "applied", "created": "2024-01-01T00:00:00Z", "comment": "", "start": 0, "end": 7,
            "before": "Beijing", "after": "Peking", "author": "x", "author_kind": "person",
            "category": "Other", "severity": "Minor", "auto": False, "note": ""}


def tmx(props: dict[str, str] | list[tuple[str, str]], *, zh: str = ZH, en: str = EN) -> str:
    items = props.items() if isinstance(props, dict) else props
    body = "".join(f"<prop type={quoteattr(k)}>{escape(v)}</prop>" for k, v in items)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="zh-CN" datatype="plaintext"/>'
        f'<body><tu>{body}<tuv xml:lang="zh-CN"><seg>{escape(zh)}</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>{escape(en)}</seg></tuv></tu></body></tmx>\n'
    )


def ours(**extra: str) -> dict[str, str]:
    return {"x-mtmend-document": "d", "x-mtmend-position": "0", **extra}


def ann(**changes) -> str:
    return json.dumps({**GOOD_ANN, **changes})


HOSTILE = {
    "segments-huge": ({"x-mtmend-document": "d", "x-mtmend-position": "0", "x-mtmend-segments": "10000000000"},
                      "x-mtmend-segments"),
    "para-overflow": (ours(**{"x-mtmend-para": "99999999999999999999"}), "x-mtmend-para"),
    "position-negative": ({"x-mtmend-document": "d", "x-mtmend-position": "-5"}, "x-mtmend-position"),
    "position-text": ({"x-mtmend-document": "d", "x-mtmend-position": "first"}, "x-mtmend-position"),
    "status-unknown": (ours(**{"x-mtmend-status": "approved"}), "x-mtmend-status"),
    "bead-garbage": (ours(**{"x-mtmend-bead": "[[[["}), "x-mtmend-bead"),
    "bead-overflow": (ours(**{"x-mtmend-bead": "[99999999999999999999]:[0]"}), "x-mtmend-bead"),
    "ann-start-1e400": (ours(**{"x-mtmend-annotation": ann().replace('"start": 0', '"start": 1e400')}), "'start'"),
    "ann-start-2**70": (ours(**{"x-mtmend-annotation": ann(start=2**70, end=2**70 + 7)}), "whole number"),
    "ann-before-null": (ours(**{"x-mtmend-annotation": ann(before=None)}), "'before'"),
    "ann-category-list": (ours(**{"x-mtmend-annotation": ann(category=["x"])}), "'category'"),
    "ann-start-after-end": (ours(**{"x-mtmend-annotation": ann(start=7, end=0)}), "span"),
    "ann-outside-text": (ours(**{"x-mtmend-annotation": ann(start=500, end=507)}), "x-mtmend-annotation"),
    "ann-wrong-length": (ours(**{"x-mtmend-annotation": ann(end=3)}), "length"),
    "ann-not-object": (ours(**{"x-mtmend-annotation": "[1, 2]"}), "JSON object"),
    "ann-not-json": (ours(**{"x-mtmend-annotation": "{start: 1"}), "not valid JSON"),
    "ann-nan": (ours(**{"x-mtmend-annotation": ann().replace('"start": 0', '"start": NaN')}), "JSON"),
    "ann-bad-state": (ours(**{"x-mtmend-annotation": ann(state="maybe")}), "'state'"),
    "ann-auto-string": (ours(**{"x-mtmend-annotation": ann(auto="yes")}), "'auto'"),
    "ann-deep-json": (ours(**{"x-mtmend-annotation": "[" * 100000 + "]" * 100000}), "x-mtmend-annotation"),
    "ann-applied-mismatch": (ours(**{"x-mtmend-annotation": ann(before="Beijinx")}), "applied edit"),
}


def _snapshot(folder: Path) -> list:
    db = folder / "mtmend.db"
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "segments", "passes")]


@pytest.mark.parametrize("case", HOSTILE)
def test_crafted_props_are_one_line_errors_naming_file_line_and_field(cli, tmp_path, case):
    props, field = HOSTILE[case]
    path = tmp_path / "crafted.tmx"
    path.write_text(tmx(props), encoding="utf-8")
    ws = tmp_path / "ws"
    code, out, err = cli("-w", ws, "import", path)
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert f"{path}:" in err and field in err, err
    assert _snapshot(ws) in ([], [0, 0, 0])


def test_a_valid_archived_annotation_still_restores(cli, tmp_path):
    path = tmp_path / "ok.tmx"
    path.write_text(tmx(ours(**{"x-mtmend-mt": EN, "x-mtmend-annotation": ann()}),
                        en="Peking is the capital of China."), encoding="utf-8")
    code, _, err = cli("-w", tmp_path / "ws", "import", path)
    assert code == 0, err
    code, out, _ = cli("-w", tmp_path / "ws", "export", "-o", "-", "--format", "tsv", "d")
    assert out == f"{ZH}\tPeking is the capital of China.\n"


# ----------------------------------------------------------------------------- fuzz
def test_fuzzed_props_never_traceback_or_exhaust_memory():
    """Hypothesis drives the real command in a child process limited to 600 MB of address space.

    The child (tests/fuzz_tmx_props.py) runs the examples in process and exits non-zero with
    the falsifying example when one raises (a traceback, MemoryError) or breaks the contract.
    """
    run = subprocess.run([sys.executable, str(Path(__file__).with_name("fuzz_tmx_props.py"))],
                         capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "examples ok" in run.stdout
