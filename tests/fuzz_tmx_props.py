"""Fuzz the TMX reader with crafted x-mtmend-* props, under an address-space limit.

Run by tests/test_hostile_tmx.py as a child process (``resource.setrlimit`` applies to the
whole process): each example is a one-unit TMX imported with ``mtmend import`` in process.
Contract: exit 0, or exit 2 with one ``mtmend: error:`` line and nothing written. Any
exception (a traceback, MemoryError) fails, and hypothesis prints the shrunk example.
"""

from __future__ import annotations

import io
import json
import resource
import shutil
import sqlite3
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

LIMIT = 600 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_hostile_tmx import GOOD_ANN, tmx  # noqa: E402

from mtmend.cli.main import main  # noqa: E402

KEYS = ["x-mtmend-para", "x-mtmend-segments", "x-mtmend-position", "x-mtmend-status", "x-mtmend-bead",
        "x-mtmend-sep", "x-mtmend-mt", "x-mtmend-reference"]
VALUES = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(["1e400", "-0", "NaN", "inf", "", " ", "0x10", "٣", "[0]:[0]", "[]:[]", "[99999999999]:[1]",
                     "raw", "reviewed", "10000000000"]),
    st.text(max_size=30),
)
ANN_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80), st.floats(allow_nan=False),
    st.text(max_size=12), st.lists(st.integers(), max_size=2), st.sampled_from(["applied", "Minor", "rule"]),
)


def crafted_props():
    plain = st.lists(st.tuples(st.sampled_from(KEYS), VALUES), min_size=1, max_size=4)
    annotation = st.dictionaries(st.sampled_from(sorted(GOOD_ANN)), ANN_VALUES, max_size=4).map(
        lambda changes: [("x-mtmend-annotation", json.dumps({**GOOD_ANN, **changes}))])
    base = [("x-mtmend-document", "d"), ("x-mtmend-position", "0")]
    return st.tuples(plain, annotation, st.booleans()).map(lambda t: base + t[0] + (t[1] if t[2] else []))


def counts(folder: Path) -> list[int]:
    db = folder / "mtmend.db"
    if not db.exists():
        return [0, 0, 0, 0]
    with sqlite3.connect(db) as conn:
        return [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "segments", "annotations", "passes")]


def template() -> Path:
    """A workspace already holding document 'd', so units also take the update path."""
    folder = Path(tempfile.mkdtemp(prefix="fuzz-template-"))
    base = folder / "base.tmx"
    base.write_text(tmx({"x-mtmend-document": "d", "x-mtmend-position": "0"}), encoding="utf-8")
    with redirect_stderr(io.StringIO()):
        assert main(["-w", str(folder / "ws"), "import", str(base)]) == 0
    return folder / "ws"


TEMPLATE = template()


COUNT = 0


@settings(max_examples=50, deadline=None, database=None)
@given(props=crafted_props(), existing=st.booleans())
def check(props, existing) -> None:
    global COUNT
    COUNT += 1
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        if existing:
            shutil.copytree(TEMPLATE, ws)
        before = counts(ws)
        path = Path(tmp) / "f.tmx"
        path.write_text(tmx(props), encoding="utf-8")
        err = io.StringIO()
        with redirect_stderr(err), redirect_stdout(io.StringIO()):
            code = main(["-w", str(ws), "import", str(path)])
        message = err.getvalue()
        assert code in (0, 2), (code, message)
        if code == 2:
            assert message.startswith("mtmend: error: ") and len(message.strip().splitlines()) == 1, message
            assert counts(ws) == before, "a refused import changed the workspace"


if __name__ == "__main__":
    check()
    shutil.rmtree(TEMPLATE.parent)
    print(f"{COUNT} examples ok under a {LIMIT >> 20} MB address-space limit")
