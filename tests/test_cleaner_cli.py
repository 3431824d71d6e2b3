"""``mtmend clean`` (filter and workspace) and ``mtmend rules``, run in process."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mtmend.cleaner.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
EN_003 = SAMPLES / "003_3ffcd919ae816214.txt"
EN_000 = SAMPLES / "000_46a1daae881aeae4.txt"


@pytest.fixture
def stdin(monkeypatch):
    def feed(data: bytes | str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))

    return feed


def test_filter_repairs_and_keeps_line_structure(cli, stdin):
    text = EN_003.read_text(encoding="utf-8")
    stdin(text)
    code, out, err = cli("clean", "-")
    assert code == 0 and err == ""
    assert "Hot search keywords" not in out and "Please sign in first" not in out
    assert out.startswith("Wang Yuejian: The Future Of Blockchain")  # removed lines take their blank line along
    assert "\n\nA: Blockchain is a technology" in out
    assert "\n4. To create" in out and "“blockchain summits”" in out
    kept = [line for line in text.split("\n") if line not in ("Hot search keywords", "Please sign in first")]
    # The blank line after each leading furniture line goes too, and the two before the last one.
    assert out.endswith("Technology Center.”\n") and len(out.split("\n")) - 1 == len(kept) - 4


def test_filter_annotations_point_into_the_input_lines(cli, stdin, tmp_path):
    lines = EN_000.read_text(encoding="utf-8").split("\n")
    stdin("\n".join(lines))
    notes = tmp_path / "notes.jsonl"
    code, out, _ = cli("clean", "-", "--annotations", notes)
    assert code == 0
    records = [json.loads(line) for line in notes.read_text(encoding="utf-8").splitlines()]
    assert {"line", "start", "end", "rule", "category", "severity", "before", "after", "applied"} <= set(records[0])
    by_rule = {r["rule"] for r in records}
    assert {"remove_stray_period_before_comma", "repair_straight_quote_spacing", "join_attribution_to_quote"} <= by_rule
    for r in records:
        source_line = lines[r["line"] - 1]
        assert 0 <= r["start"] <= r["end"] <= len(source_line)
        if r["applied"]:
            assert r["after"] is not None
        else:
            assert r["after"] is None
    stray = next(r for r in records if r["rule"] == "remove_stray_period_before_comma")
    assert lines[stray["line"] - 1][stray["start"] : stray["end"]] == ". ,"


def test_filter_tsv_uses_the_source_and_glossary(cli, stdin):
    rows = "来源：学习强国\tSource: Learning to Power\n热门搜索关键词\tHot search keywords\n火币、安利等12家企业\tHuobi , Amway and companies\n"
    stdin(rows)
    code, out, _ = cli("clean", "-", "--format", "tsv", "--glossary", SAMPLES / "glossary.tsv")
    assert code == 0
    # The furniture row stays (a TSV filter never removes a row): it is flagged, not deleted.
    assert out == (
        "来源：学习强国\tSource: Xuexi Qiangguo\n热门搜索关键词\tHot search keywords\n"
        "火币、安利等12家企业\tHuobi, Amway and companies\n"
    )


def test_filter_tsv_flags_or_empties_what_it_would_remove(cli, stdin, tmp_path):
    rows = "热门搜索关键词\tHot search keywords\n他说。\tHe said it again.\n他又说。\tHe said it again.\n"
    stdin(rows)
    notes = tmp_path / "notes.jsonl"
    code, out, _ = cli("clean", "-", "--format", "tsv", "--annotations", notes)
    assert code == 0 and out == rows
    flagged = [json.loads(line) for line in notes.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["rule"], r["applied"], r["suggestion"]) for r in flagged] == [
        (1, "remove_web_furniture", False, "")
    ]  # row 3 repeats row 2's English for another Chinese: an MT error, not a duplicate
    stdin(rows + "他又说。\tHe said it again.\n")
    code, out, _ = cli("clean", "-", "--format", "tsv", "--empty-removed-rows")
    assert code == 0
    assert out == "热门搜索关键词\t\n他说。\tHe said it again.\n他又说。\tHe said it again.\n他又说。\t\n"


def test_filter_keeps_line_ends_and_a_missing_final_newline(cli, stdin):
    stdin(b"initiative.Chinese companies\r\nFine.\r\n\r\nlast  line")
    code, out, _ = cli("clean", "-")
    assert code == 0 and out == "initiative. Chinese companies\r\nFine.\r\n\r\nlast line"


def test_filter_leaves_markdown_structure_and_code(cli, stdin):
    text = (
        "Q: How do I stage files?\n\n```sh\ngit add .  # all  of it\n```\n\nQ: And then?\n\n- Commit the same change\n\n"
        "- Commit the same change\n\n"
        "    indented   code .\n    more  code\n\n# Back to top\n"
    )
    stdin(text)
    code, out, _ = cli("clean", "-")
    assert code == 0 and out == text


def test_filter_tsv_without_tab_is_an_error(cli, stdin):
    stdin("no tab here\n")
    code, _, err = cli("clean", "-", "--format", "tsv")
    assert code == 2 and "line 1: expected zh<TAB>en" in err


def test_diff_shows_changes_without_applying(cli, stdin):
    stdin("initiative.Chinese companies\nFine as it is.\nHot search keywords\n")
    code, out, _ = cli("clean", "-", "--diff")
    assert code == 0
    assert out == (
        "--- stdin\n+++ stdin (cleaned)\n@@ -1,1 +1,1 @@\n-initiative.Chinese companies\n+initiative. Chinese companies\n"
        "@@ -3,1 +2,0 @@\n-Hot search keywords\n"
    )


def test_parallel_output_equals_serial(cli, stdin):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from common import GenParams, PairGenerator, load_glossary
    finally:
        sys.path.pop(0)
    lines = [en for _zh, en in PairGenerator(GenParams(lines=2500), load_glossary()).lines()]
    data = ("\n".join(lines) + "\n").encode()
    stdin(data)
    _, serial, _ = cli("clean", "-")
    stdin(data)
    code, parallel, _ = cli("clean", "-", "-j", "2")
    assert code == 0 and parallel == serial and serial != data.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"good line\n\xff\xfe bad\n", "stdin line 2: not valid UTF-8"),
        (b"text\x00with nul\n", "stdin line 1: contains NUL bytes"),
        (b"x" * (10 * 1024 * 1024), "stdin line 1: longer than"),
    ],
)
def test_bad_stdin_is_a_clear_error(cli, stdin, data, message):
    stdin(data)
    code, _, err = cli("clean", "-")
    assert code == 2 and message in err and "Traceback" not in err


def test_unknown_rule_lists_the_valid_ones(cli, stdin):
    stdin("text\n")
    code, _, err = cli("clean", "-", "--rules", "collapse_spaces,fix_everything")
    assert code == 2 and "unknown rule fix_everything" in err and "remove_web_furniture" in err


def test_head_closes_the_pipe_quietly():
    text = (EN_000.read_text(encoding="utf-8") + "\n") * 200
    proc = subprocess.run(
        f"{sys.executable} -m mtmend.cli.main clean - | head -n 1",
        shell=True, input=text.encode(), capture_output=True,
    )
    assert proc.stdout.decode().startswith("Learning to Power") and proc.stderr == b""


# ------------------------------------------------------------------ workspace
def _annotation_count(ws: Path) -> int:
    with sqlite3.connect(ws / "mtmend.db") as db:
        return db.execute("SELECT count(*) FROM annotations").fetchone()[0]


def test_workspace_clean_reports_per_rule_and_reruns_cleanly(sample_workspace, cli):
    (sample_workspace / "glossary.tsv").write_bytes((SAMPLES / "glossary.tsv").read_bytes())
    code, out, err = cli("-w", sample_workspace, "clean")
    assert code == 0 and out == ""
    assert "remove_web_furniture" in err and "apply_glossary" in err and "restore_answer_label" in err
    assert "inconsistent renderings of 链六条" in err and "ruleset: mtmend:" in err
    first = _annotation_count(sample_workspace)
    code, _, err = cli("-w", sample_workspace, "clean")
    assert code == 0 and " 0 changed" in err
    assert _annotation_count(sample_workspace) == first  # nothing applied twice, no duplicate suggestions
    with sqlite3.connect(sample_workspace / "mtmend.db") as db:
        passes = db.execute("SELECT kind, detail, summary FROM passes WHERE kind = 'clean'").fetchall()
    assert len(passes) == 2 and passes[0][1].startswith("mtmend:")
    summary = json.loads(passes[0][2])
    assert summary["rules"]["remove_web_furniture"]["applied"] == 3 and "snapshot" in summary
    code, article, _ = cli("-w", sample_workspace, "export", "-o", "-", "--format", "text", "003_3ffcd919ae816214")
    assert code == 0 and "Hot search keywords" not in article and "A: Blockchain is a technology" in article
    code, article, _ = cli("-w", sample_workspace, "export", "-o", "-", "--format", "text", "000_46a1daae881aeae4")
    assert "Source: Xuexi Qiangguo" in article and 'along the "Belt and Road", in' in article


def test_workspace_keeps_the_quote_style_of_its_last_clean(sample_workspace, cli):
    code, _, err = cli("-w", sample_workspace, "clean", "--quotes", "typographic")
    assert code == 0 and "quotes:typographic" in err
    code, _, err = cli("-w", sample_workspace, "clean")  # no --quotes: the workspace's setting holds
    assert code == 0 and "quotes:typographic" in err
    code, article, _ = cli("-w", sample_workspace, "export", "-o", "-", "--format", "text", "000_46a1daae881aeae4")
    # Paired quotes and apostrophes are curly; a quotation left open stays straight for review.
    assert "“" in article
    assert "country’s" in article and "country's" not in article
    code, _, err = cli("-w", sample_workspace, "clean", "--quotes", "auto")
    assert code == 0 and "quotes:auto" in err


def test_workspace_skips_reviewed_segments(sample_workspace, cli):
    with sqlite3.connect(sample_workspace / "mtmend.db") as db:
        db.execute("UPDATE segments SET status = 'reviewed' WHERE mt = 'Hot search keywords'")
    code, _, err = cli("-w", sample_workspace, "clean", "003_3ffcd919ae816214")
    assert code == 0 and "2 reviewed left alone" in err
    with sqlite3.connect(sample_workspace / "mtmend.db") as db:
        targets = [r[0] for r in db.execute("SELECT target FROM segments WHERE mt = 'Hot search keywords'")]
    assert targets == ["Hot search keywords", "Hot search keywords"]


def test_bad_glossary_writes_nothing(sample_workspace, cli):
    (sample_workspace / "glossary.tsv").write_text("zh\ten\tforbidden\tnote\n学习强国\n", encoding="utf-8")
    code, _, err = cli("-w", sample_workspace, "clean")
    assert code == 2 and "glossary.tsv:2:" in err
    assert _annotation_count(sample_workspace) == 0
    with sqlite3.connect(sample_workspace / "mtmend.db") as db:
        assert db.execute("SELECT count(*) FROM passes").fetchone()[0] == 0


def test_workspace_diff_writes_nothing(sample_workspace, cli):
    code, out, _ = cli("-w", sample_workspace, "clean", "--diff")
    assert code == 0 and "+A: Blockchain is a technology" in out
    assert _annotation_count(sample_workspace) == 0


def test_rules_command_lists_the_registry(cli):
    code, out, _ = cli("rules")
    assert code == 0
    for rule in RULES:
        assert rule.id in out
    code, out, _ = cli("rules", "--format", "markdown")
    assert out.startswith("# Repair rules") and all(f"## {r.id}" in out for r in RULES)
