"""The HTML report, rendered in real headless Chromium."""

from __future__ import annotations

import json
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
    assert html.lower().count("<script>") == 1  # the error-list filter, inline: nothing loaded from elsewhere
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I) and "<link" not in html.lower()
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


def _pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered RGB(A) rows of an 8-bit PNG (PNG spec, section 9)."""
    width, height, raw = _png_rows(data)
    ihdr = data[16:29]
    depth, color = ihdr[8], ihdr[9]
    assert depth == 8 and color in (2, 6), (depth, color)
    bpp = 3 if color == 2 else 4
    stride = width * bpp
    rows, prior = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prior))
        elif kind in (3, 4):
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                up = prior[i]
                if kind == 3:
                    line[i] = (line[i] + ((left + up) >> 1)) & 255
                else:
                    corner = prior[i - bpp] if i >= bpp else 0
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        prior = line
    return width, bpp, rows


def _has_colour(rows: list[bytes], bpp: int, rgb: tuple[int, int, int], at_least: int) -> bool:
    """Whether at least ``at_least`` pixels have exactly this colour."""
    want = bytes(rgb) + (b"\xff" if bpp == 4 else b"")
    return sum(row.count(want) for row in rows) >= at_least  # aligned hits dominate; good enough for solid areas


def test_screenshot_shows_the_verdict_and_the_error_list(report, tmp_path):
    html = report.read_text(encoding="utf-8")
    verdict = re.search(r'<p class="verdict (pass|fail)" id="verdict">', html).group(1)
    shot = tmp_path / "lqa.png"
    done = _chromium(f"--screenshot={shot}", "--window-size=1200,1400", report.as_uri(), tmp=tmp_path)
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    _, bpp, rows = _pixels(shot.read_bytes())
    badge = (0x1A, 0x7F, 0x37) if verdict == "pass" else (0xCF, 0x22, 0x2E)
    assert _has_colour(rows, bpp, badge, 2000), "the pass/fail verdict is not on the first screen"
    assert _has_colour(rows, bpp, (0xFD, 0xE8, 0xC8), 2000), "the error list's header is not on the first screen"


def test_error_list_filters_in_chromium(report, tmp_path):
    html = report.read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="err" ([^>]*)>', html)
    majors = sum('data-severity="Major"' in r for r in rows)
    assert 0 < majors < len(rows)
    done = _chromium("--dump-dom", report.as_uri() + "#severity=Major&state=applied", tmp=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    shown = [r for r in re.findall(r'<tr class="err" ([^>]*)>', done.stdout) if "hidden" not in r]
    expected = sum('data-severity="Major"' in r and 'data-state="applied"' in r for r in rows)
    assert len(shown) == expected and all('data-severity="Major"' in r for r in shown)
    assert f'<span id="err-shown">{expected}</span>' in done.stdout


def test_error_list_as_tsv_loads_as_mqm_and_json_has_verdicts(report, tmp_path, capsys):
    folder = str(report.parent)
    tsv, js = tmp_path / "errors.tsv", tmp_path / "errors.json"
    assert main(["-w", folder, "report", "--format", "tsv", "-o", str(tsv), "--state", "applied", "suggested"]) == 0
    assert main(["-w", folder, "report", "--format", "json", "-o", str(js), "--threshold=-1e9"]) == 0
    data = json.loads(js.read_text(encoding="utf-8"))
    states = {e["state"] for e in data["errors"]}
    assert {"applied", "rejected"} <= states and data["corpus"]["pass"] is True
    lines = tsv.read_text(encoding="utf-8").splitlines()
    assert len(lines) - 1 == sum(e["state"] in ("applied", "suggested") for e in data["errors"])
    capsys.readouterr()
    assert main(["mqm", "score", str(tsv), "--by", "doc", "--format", "json"]) == 0  # Marot's layout
    assert {s["name"].split("/")[1] for s in json.loads(capsys.readouterr().out)["scores"]} == {
        e["document"] for e in data["errors"] if e["state"] in ("applied", "suggested")}
    strict = tmp_path / "strict.html"
    assert main(["-w", folder, "report", "--html", str(strict), "--threshold", "100"]) == 0
    assert '<p class="verdict fail" id="verdict">' in strict.read_text(encoding="utf-8")


def test_pass_table_says_what_each_pass_decided(report):
    html = report.read_text(encoding="utf-8")
    table = html[html.index('<table class="passes">'):]
    table = table[:table.index("</table>")]
    assert "pid=" not in table and "host=" not in table
    assert "<th>accept</th><th>reject</th><th>edit</th><th>annotate</th>" in table


def _zh_font() -> str:
    done = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True) if shutil.which("fc-list") else None
    return done.stdout.strip() if done is not None else ""


def test_screenshot_draws_chinese_glyphs_not_boxes(report, tmp_path):
    """Two different characters of the report's Chinese, in the report's font: without a CJK font
    both are the same empty box (tofu); with one they are different glyphs."""
    if not _zh_font():
        pytest.skip("no Chinese font installed (Debian: apt-get install fonts-wqy-zenhei; .ci/run installs it)")
    html = report.read_text(encoding="utf-8")
    first, second = list(dict.fromkeys(re.findall(r"[\u4e00-\u9fff]", html)))[:2]
    page = tmp_path / "zh.html"
    cell = "position:absolute;top:0;width:200px;height:200px;text-align:center"
    page.write_text(f'<html style="overflow:hidden"><body style="margin:0;font:160px/200px system-ui,sans-serif;'
                    f'background:#fff"><div style="{cell};left:0">{first}</div>'
                    f'<div style="{cell};left:200px">{second}</div></body></html>', encoding="utf-8")
    shot = tmp_path / "zh.png"
    done = _chromium(f"--screenshot={shot}", "--window-size=500,220", page.as_uri(), tmp=tmp_path)
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    _, bpp, rows = _pixels(shot.read_bytes())
    left = [row[:200 * bpp] for row in rows[:200]]
    right = [row[200 * bpp:400 * bpp] for row in rows[:200]]
    for glyph in (left, right):  # both characters drew ink
        assert sum(row.count(b"\xff" * bpp) for row in glyph) < 200 * 200 * 0.97, "a Chinese character drew nothing"
    assert left != right, f"{first} and {second} look the same: Chinese drawn as boxes (tofu)"
