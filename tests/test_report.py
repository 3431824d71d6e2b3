"""The HTML report, rendered in real headless Chromium."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from mtmend.cli.main import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_progress import build_demo  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = build_demo(tmp_path_factory.mktemp("ws"))
    out = folder / "report.html"
    assert main(["-w", str(folder), "report", "--html", str(out)]) == 0
    return out


def test_page_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert html.count('<svg class="chart"') >= 4
    for doc in ("000_46a1daae881aeae4", "003_3ffcd919ae816214", "Terminology/Wrong term", "version:2.6.0"):
        assert doc in html


def _chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        pytest.skip("chromium not installed (Debian: apt-get install chromium); CI installs it")
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


def test_chromium_renders_the_charts(report, tmp_path):
    done = _chromium("--dump-dom", report.as_uri(), tmp=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert dom.count('class="chart"') >= 4  # the browser parsed every chart
    assert dom.count("<polyline") >= 3 and "<rect" in dom
    assert "This page" not in dom and "ERR_" not in dom  # no Chromium error page


def _png_rows(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the inflated scanlines of a PNG (enough to see if it is blank)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def test_screenshot_is_not_blank(report, tmp_path):
    shot = tmp_path / "shot.png"
    done = _chromium(f"--screenshot={shot}", "--window-size=1200,1400", report.as_uri(), tmp=tmp_path)
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    width, height, raw = _png_rows(shot.read_bytes())
    assert (width, height) == (1200, 1400)
    assert len(set(raw)) > 50  # many distinct byte values: text, lines and bars were drawn
