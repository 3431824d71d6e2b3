"""Batch runs: `import DIR`, `import ZH EN ZH EN`, `import --manifest`, `align --presplit --output-dir`."""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import SAMPLE_DOCS, SAMPLES

from mtmend.corpus.errors import InputError
from mtmend.corpus.batch import pairs_from_folder, pairs_from_manifest


def dump(folder: Path) -> dict[str, list[tuple]]:
    """Every table of a workspace, rows in id order, without the creation timestamps."""
    conn = sqlite3.connect(folder / "mtmend.db")
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for table in tables:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in ("created", "started")]
            out[table] = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid").fetchall()
        return out
    finally:
        conn.close()


def test_importing_the_sample_folder_equals_importing_one_by_one(tmp_path, cli):
    one_by_one, folder = tmp_path / "one", tmp_path / "batch"
    for doc in SAMPLE_DOCS:
        assert cli("-w", one_by_one, "import", SAMPLES / f"{doc}.zh.txt", SAMPLES / f"{doc}.txt")[0] == 0
    code, _, err = cli("-w", folder, "import", SAMPLES, "-j", "2")
    assert code == 0, err
    assert err.splitlines() == [
        "000_46a1daae881aeae4: added, 55 segments",
        "003_3ffcd919ae816214: added, 57 segments",
        "2 documents: 2 added, 0 replaced, 0 unchanged, 0 failed",
    ]
    expected = dump(one_by_one)
    assert expected["segments"] and dump(folder) == expected
    code, _, err = cli("-w", folder, "import", SAMPLES)
    assert code == 0 and err.splitlines()[-1] == "2 documents: 0 added, 0 replaced, 2 unchanged, 0 failed"
    assert dump(folder) == expected


@pytest.fixture
def article_folder(tmp_path) -> Path:
    """The samples under the folder convention's three spellings, plus noise."""
    folder = tmp_path / "articles"
    folder.mkdir()
    first, second = SAMPLE_DOCS
    shutil.copy(SAMPLES / f"{first}.zh.txt", folder / "a.zh.txt")
    shutil.copy(SAMPLES / f"{first}.txt", folder / "a.en.txt")
    shutil.copy(SAMPLES / f"{second}.zh.txt", folder / "b.zh.txt")
    shutil.copy(SAMPLES / f"{second}.txt", folder / "b.txt")
    shutil.copy(SAMPLES / f"{second}.zh.txt", folder / "c.zh.txt")  # no English
    shutil.copy(SAMPLES / f"{first}.zh.txt", folder / "d.zh.txt")  # two Englishes
    shutil.copy(SAMPLES / f"{first}.txt", folder / "d.txt")
    shutil.copy(SAMPLES / f"{first}.txt", folder / "d.en.txt")
    shutil.copy(SAMPLES / "glossary.tsv", folder / "glossary.tsv")
    return folder


def test_folder_pairs_follow_the_naming_convention(article_folder):
    pairs = pairs_from_folder(article_folder)
    assert [(p.zh.name, p.en.name, p.name, p.problem is None) for p in pairs] == [
        ("a.zh.txt", "a.en.txt", "a", True),
        ("b.zh.txt", "b.txt", "b", True),
        ("c.zh.txt", "c.txt", "c", False),
        ("d.zh.txt", "d.en.txt", "d", False),
    ]


def test_failing_documents_are_reported_and_the_others_imported(article_folder, tmp_path, cli):
    code, _, err = cli("-w", tmp_path / "ws", "import", article_folder)
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == "a: added, 55 segments" and lines[1] == "b: added, 57 segments"
    assert "no English file c.en.txt or c.txt" in lines[2] and "both d.en.txt and d.txt" in lines[3]
    assert lines[4] == "4 documents: 2 added, 0 replaced, 0 unchanged, 2 failed"
    assert [r[0] for r in dump(tmp_path / "ws")["documents"]] == [1, 2]


def test_manifest_with_names_relative_paths_and_a_bad_document(article_folder, tmp_path, cli):
    manifest = article_folder / "batch.tsv"
    manifest.write_text(
        "# zh\ten\tname\n"
        "a.zh.txt\ta.en.txt\tfirst article\n"
        "\n"
        "b.txt\tb.zh.txt\n"  # swapped: fails, the rest goes on
        f"{article_folder / 'b.zh.txt'}\t{article_folder / 'b.txt'}\n",
        encoding="utf-8",
    )
    code, _, err = cli("-w", tmp_path / "ws", "import", "--manifest", manifest, "-j", "2")
    lines = err.splitlines()
    assert code == 1, err
    assert lines[0] == "first article: added, 55 segments"
    assert "look swapped" in lines[1] and lines[2] == "b: added, 57 segments"
    assert [r[1] for r in dump(tmp_path / "ws")["documents"]] == ["first article", "b"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("a.zh.txt\n", "batch.tsv:1: expected ZH<TAB>EN"),
        ("a.zh.txt\ta.en.txt\n\ta.en.txt\n", "batch.tsv:2: expected ZH<TAB>EN"),
        ("a\tb\tc\td\n", "found 4 column(s)"),
        ("# nothing\n\n", "lists no documents"),
    ],
)
def test_malformed_manifest_is_refused_before_anything_is_written(article_folder, tmp_path, cli, content, message):
    manifest = article_folder / "batch.tsv"
    manifest.write_text(content, encoding="utf-8")
    code, _, err = cli("-w", tmp_path / "ws", "import", "--manifest", manifest)
    assert code == 2 and message in err
    assert not (tmp_path / "ws").exists()
    with pytest.raises(InputError):
        pairs_from_manifest(manifest, content)


def test_pairs_on_the_command_line_and_usage_errors(article_folder, tmp_path, cli):
    f = article_folder
    code, _, err = cli("-w", tmp_path / "ws", "import", f / "a.zh.txt", f / "a.en.txt", f / "b.zh.txt", f / "b.txt")
    assert code == 0 and err.splitlines()[-1] == "2 documents: 2 added, 0 replaced, 0 unchanged, 0 failed"
    code, _, err = cli("-w", tmp_path / "ws", "import", f / "a.zh.txt", f / "a.en.txt", f / "b.zh.txt")
    assert code == 2 and "odd number of files (3)" in err
    code, _, err = cli("-w", tmp_path / "ws", "import", f / "a.zh.txt", f / "a.en.txt", f / "a.zh.txt", f / "a.en.txt")
    assert code == 1 and "already used in this batch" in err
    with pytest.raises(SystemExit) as exit_info:
        cli("-w", tmp_path / "ws", "import", f, "-j", "0")
    assert exit_info.value.code == 2
    (tmp_path / "empty").mkdir()
    code, _, err = cli("-w", tmp_path / "ws2", "import", tmp_path / "empty")
    assert code == 2 and "no NAME.zh.txt files" in err
    code, _, err = cli("-w", tmp_path / "ws", "import", f, "--name", "x")
    assert code == 2 and "--name" in err


def test_align_batch_writes_the_single_pair_beads_per_pair(tmp_path, cli):
    pairs = []
    for k, (zh, en) in enumerate(
        [
            (["你好。", "谢谢你的帮助！"], ["Hello.", "Thanks for your help!"]),
            (["会议于2019年3月召开。", "共有五百人参加。", "会上讨论了气候问题。"],
             ["The meeting was held in March 2019.", "Five hundred people took part.",
              "It was a big meeting.", "Climate issues were discussed."]),
        ]
    ):
        zh_file, en_file = tmp_path / f"doc{k}.zh.txt", tmp_path / f"doc{k}.en.txt"
        zh_file.write_text("\n".join(zh) + "\n", encoding="utf-8")
        en_file.write_text("\n".join(en) + "\n", encoding="utf-8")
        pairs += [zh_file, en_file]
    singles = []
    for zh_file, en_file in zip(pairs[::2], pairs[1::2]):
        code, out, _ = cli("align", "--presplit", zh_file, en_file)
        assert code == 0
        singles.append(out)
    out_dir = tmp_path / "out" / "beads"
    code, out, err = cli("align", "--presplit", *pairs, tmp_path / "missing.zh.txt", pairs[1],
                         "--output-dir", out_dir, "-j", "2")
    assert code == 1 and out == ""
    assert "missing.zh.txt: no such file" in err and "2 aligned, 1 failed" in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["doc0.zh.align", "doc1.zh.align"]
    assert [(out_dir / f"doc{k}.zh.align").read_text(encoding="utf-8") for k in range(2)] == singles
    code, _, err = cli("align", "--presplit", *pairs)
    assert code == 2 and "--output-dir" in err
    code, _, err = cli("align", "--presplit", pairs[0], pairs[1], pairs[0], pairs[3], "--output-dir", out_dir)
    assert code == 2 and "both be written" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_only_and_keeps_lines_above_it():
    from mtmend.cli.progress_bar import ProgressBar

    term, log = _Terminal(), io.StringIO()
    for stream in (term, log):
        bar = ProgressBar(2, stream)
        bar.advance("a")
        bar.line("a: added, 3 segments")
        bar.advance("b")
        bar.close()
    assert log.getvalue() == "a: added, 3 segments\n"
    shown = term.getvalue()
    assert "1/2 a" in shown and "2/2 b" in shown and "a: added, 3 segments\n" in shown
    assert shown.endswith("\r")  # the bar is erased at the end: the summary line starts clean


def test_batch_honours_encoding_and_max_file_bytes(article_folder, tmp_path, cli):
    """The options of a single-pair import hold for every pair of a batch."""
    f = article_folder
    english = (f / "a.en.txt").read_text(encoding="utf-8").rstrip("\n") + " Zürich.\n"
    (f / "z.en.txt").write_bytes(english.encode("cp1252"))  # a Windows English file: curly quotes, ü
    shutil.copy(f / "a.zh.txt", f / "z.zh.txt")
    batch = ("import", f / "z.zh.txt", f / "z.en.txt", f / "b.zh.txt", f / "b.txt")
    code, _, err = cli("-w", tmp_path / "ws", *batch)
    assert code == 1 and "z.en.txt" in err.splitlines()[0] and "--encoding" in err.splitlines()[0], err
    code, _, err = cli("-w", tmp_path / "ws", *batch, "--encoding", "cp1252")
    assert code == 0, err
    assert "z.en.txt: read as CP1252" in err
    code, out, err = cli("-w", tmp_path / "ws", "export", "-o", "-", "--format", "text", "z")
    assert code == 0 and out.rstrip().endswith("Zürich.") and "“" in out
    code, _, err = cli("-w", tmp_path / "ws2", *batch, "--encoding", "cp1252", "--max-file-bytes", "3000")
    lines = err.splitlines()
    assert code == 1 and len(lines) == 3 and all("larger than 3,000 bytes" in line for line in lines[:2]), err
    assert not (tmp_path / "ws2").exists()


def test_batch_in_which_every_document_fails_leaves_no_workspace(article_folder, tmp_path, cli):
    f = article_folder
    swapped = ("import", f / "a.en.txt", f / "a.zh.txt", f / "b.txt", f / "b.zh.txt")
    code, _, err = cli("-w", tmp_path / "ws", *swapped)
    lines = err.splitlines()
    assert code == 1
    assert sum("look swapped" in line for line in lines) == 2 and len(lines) == 3, err
    assert "nothing imported" in lines[-1]
    assert not (tmp_path / "ws").exists()
    # An existing workspace is left as it was.
    assert cli("-w", tmp_path / "ws", "import", f / "a.zh.txt", f / "a.en.txt")[0] == 0
    before = dump(tmp_path / "ws")
    code, _, err = cli("-w", tmp_path / "ws", *swapped)
    assert code == 1 and dump(tmp_path / "ws") == before
