"""The benchmark harness (bench/common.py): the corpus generator and the whole-process runner.

No timings are asserted here: the benchmarks print figures, the tests check the machinery.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture
def common(monkeypatch, tmp_path):
    """bench/common.py imported the way the scripts import it, writing into a temporary out/."""
    monkeypatch.syspath_prepend(str(BENCH))
    import common as module

    monkeypatch.setattr(module, "OUT", tmp_path / "out")
    return module


@pytest.fixture
def sample_lines(common):
    params = common.GenParams(lines=3000)
    return list(common.PairGenerator(params, common.load_glossary()).lines())


def test_generator_is_deterministic_and_seeded(common):
    glossary = common.load_glossary()
    first = list(common.PairGenerator(common.GenParams(lines=300), glossary).lines())
    again = list(common.PairGenerator(common.GenParams(lines=300), glossary).lines())
    other = list(common.PairGenerator(common.GenParams(lines=300, seed=1), glossary).lines())
    assert first == again
    assert first != other


def test_lines_average_about_25_english_words_with_chinese_sources(sample_lines):
    prose = [(zh, en) for zh, en in sample_lines if len(en.split()) > 6]  # not furniture or image lines
    assert 22 <= statistics.mean(len(en.split()) for _, en in prose) <= 28
    assert all(re.search(r"[\u4e00-\u9fff]", zh) for zh, _ in prose)
    assert all("\t" not in zh and "\t" not in en and "\n" not in en for zh, en in sample_lines)


# Each defect class the cleaner handles, as it appears in the generated English.
DEFECTS = {
    "garbled straight quote": r'the" \w',
    "sentence split before a comma": r"\. , Is ",
    "fragment": r"\. (Eyes|Important agenda|Transformation|Many cooperations|Development)[.;]",
    "missing space after sentence end": r"[a-z]\.[A-Z]",
    "list number without space": r"^\d\.To ",
    "doubled space": r"\S  \S",
    "space before punctuation": r"\w ,|\w \.$",
    "Chinese punctuation": r"[，。（）《》]",
    "capital after comma": r", (With|Becoming|And|See|Attracting|Arousing) ",
    "image file name": r"^WX\d{8}-\d{6} @ 2x$",
    "web furniture": r"^(Hot search keywords|Please sign in first|Share to WeChat)$",
    "untouchable decimal or URL": r"12\.5%|www\.8btc\.com|3\.5 billion",
}


@pytest.mark.parametrize("name", DEFECTS)
def test_every_defect_class_occurs_but_not_everywhere(sample_lines, name):
    hits = sum(1 for _, en in sample_lines if re.search(DEFECTS[name], en))
    assert 0.002 * len(sample_lines) <= hits <= 0.4 * len(sample_lines), f"{name}: {hits} lines"


def test_clean_lines_remain(sample_lines):
    damaged = re.compile("|".join(f"(?:{p})" for k, p in DEFECTS.items() if k != "untouchable decimal or URL"))
    clean = sum(1 for _, en in sample_lines if not damaged.search(en))
    assert 0.1 * len(sample_lines) < clean < 0.9 * len(sample_lines)


def test_glossary_terms_are_in_the_source_and_forbidden_variants_sometimes_in_the_target(common, sample_lines):
    glossary = [row for row in common.load_glossary() if row[2]]
    forbidden_hits = approved_hits = 0
    for zh_term, approved, forbidden in glossary:
        for zh, en in sample_lines:
            if zh_term in zh:
                forbidden_hits += any(v.lower() in en.lower() for v in forbidden)
                approved_hits += approved.lower() in en.lower()
    assert forbidden_hits > 20 and approved_hits > 20
    # A forbidden variant never appears without its Chinese term in the source.
    for zh_term, _, forbidden in glossary:
        for zh, en in sample_lines:
            for variant in forbidden:
                if re.search(rf"\b{re.escape(variant)}\b", en):
                    assert zh_term in zh, (variant, zh)


def test_generate_writes_tsv_and_english_column_and_reuses_the_cache(common):
    corpus = common.generate(500)
    tsv = corpus.tsv.read_text(encoding="utf-8").splitlines()
    english = corpus.english.read_text(encoding="utf-8").splitlines()
    assert len(tsv) == len(english) == 500
    assert [line.split("\t")[1] for line in tsv] == english
    stamp = corpus.tsv.stat().st_mtime_ns
    assert common.generate(500) == corpus and corpus.tsv.stat().st_mtime_ns == stamp
    assert common.generate(500, seed=3).tsv != corpus.tsv
    assert not list(common.OUT.glob("*.part"))


def test_sizes_read_and_print_the_way_people_say_them(common):
    for n in common.SIZES:
        assert common.parse_size(common.size_label(n)) == n
    assert common.parse_size("2500") == 2500
    with pytest.raises(ValueError):
        common.parse_size("lots")


def test_measure_reads_the_childs_peak_rss(tmp_path):
    """Measured from a fresh interpreter, as the bench scripts run: Linux counts the memory a
    child inherited from its parent before exec into its peak, so a fat parent (this pytest
    process) would inflate every figure."""
    child = "b = bytearray(80 * 1024 * 1024)\nfor k in range(0, len(b), 4096): b[k] = 1\n"
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(BENCH)!r})\n"
        "import common\n"
        f"common.OUT = __import__('pathlib').Path({str(tmp_path / 'out')!r})\n"
        "small = common.measure([sys.executable, '-c', 'pass'], None)\n"
        f"big = common.measure([sys.executable, '-c', {child!r}], None)\n"
        "print(small.rss_mb, big.rss_mb, big.wall)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    small, big, wall = map(float, out.split())
    assert big >= 80 > small
    assert wall > 0


def test_measure_feeds_stdin_and_captures_stdout(common, tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("a\nb\nc\n", encoding="utf-8")
    target = tmp_path / "out.txt"
    common.measure([sys.executable, "-c", "import sys; sys.stdout.write(sys.stdin.read().upper())"], source, target)
    assert target.read_text(encoding="utf-8") == "A\nB\nC\n"
    assert common.count_lines(target) == 3


def test_a_failing_child_raises_with_its_last_stderr_line(common):
    with pytest.raises(common.ToolFailed, match="exit 3: boom"):
        common.measure([sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"], None)


def test_runs_alternate_and_missing_tools_keep_their_row(common, tmp_path):
    log = tmp_path / "order.log"

    def tool(name: str) -> object:
        script = f"open({str(log)!r}, 'a').write({name!r})"
        return common.Tool(name, "append", (sys.executable, "-c", script), None, 10)

    missing = common.Tool("peer", "absent", None, None, 10, common.MISSING_EXTRA)
    broken = common.Tool("bad", "exits 1", (sys.executable, "-c", "raise SystemExit(1)"), None, 10)
    results = common.run_alternating([tool("A"), tool("B"), missing, tool("C"), broken], 3, progress=False)
    assert log.read_text() == "ABC" + "ABC" + "BCA" + "CAB"  # warm-up pass, then rotated orders
    assert [len(r.samples) for r in results] == [3, 3, 0, 3, 0]
    rows = common.result_rows(results, results[0])
    assert rows[2][-1] == common.MISSING_EXTRA
    assert rows[4][-1].startswith("exit 1")
    assert rows[0][7] == "1.00×"
    assert all(len(row) == len(common.TABLE_HEADERS) for row in rows)
    table = common.format_table(common.TABLE_HEADERS, rows)
    assert "missing (pip install -e '.[bench]')" in table


def test_clean_benchmark_lists_every_tool_even_without_mtmend_clean(common, monkeypatch):
    import bench_clean_peers

    corpus = common.generate(50)
    tools = bench_clean_peers.tools_for(corpus, clean_help=None)
    names = {(t.group, t.name) for t in tools}
    assert names == {("text", "mtmend"), ("text", "ftfy"), ("text", "floor"),
                     ("tsv", "mtmend"), ("tsv", "bifixer"), ("tsv", "floor")}
    assert all(t.argv is None and "mtmend clean" in t.missing for t in tools if t.name == "mtmend")
    assert all((t.argv is None) == bool(t.missing) for t in tools)
    helped = bench_clean_peers.tools_for(corpus, clean_help="usage: mtmend clean - --format --glossary")
    j2 = [t for t in helped if t.name == "mtmend" and "-j 2" in t.operation]
    assert j2 and all(t.argv is None and "-j" in t.missing for t in j2)


def test_floor_child_collapses_doubled_spaces(common, tmp_path):
    import bench_clean_peers

    source = tmp_path / "in.txt"
    source.write_text("a  b   c\nd e\n", encoding="utf-8")
    target = tmp_path / "out.txt"
    common.measure([sys.executable, "-c", bench_clean_peers.FLOOR_CHILD], source, target)
    assert target.read_text(encoding="utf-8") == "a b c\nd e\n"


def test_run_all_finds_the_benchmarks_and_asks_them_about_quick(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import run_all

    found = [p.name for p in run_all.benchmarks()]
    assert "bench_clean_peers.py" in found and found == sorted(found)
    assert [p.name for p in run_all.benchmarks(["clean_peers"])] == ["bench_clean_peers.py"]
    assert run_all.accepts_quick(BENCH / "bench_clean_peers.py")


def test_frozen_copy_runs_mtmend_from_the_copy(common):
    import subprocess

    import bench_clean_peers

    root = bench_clean_peers.freeze()
    assert root.parent == common.OUT and (root / "mtmend" / "cleaner").is_dir()
    assert bench_clean_peers.freeze() == root  # same code, same copy
    command = bench_clean_peers.mtmend_command(root)
    done = subprocess.run([*command, "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("mtmend ")
    where = subprocess.run([command[0], "-c", command[2].split("; from")[0] + "; import mtmend.cli.main as m; print(m.__file__)"],
                           capture_output=True, text=True)
    assert where.stdout.strip().startswith(str(root))
