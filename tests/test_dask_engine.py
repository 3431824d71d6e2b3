"""``mtmend clean --engine dask``: byte-identical to ``mtmend clean -`` shard by shard, on a real Dask cluster.

One LocalCluster (two worker processes on 127.0.0.1, random ports) is shared by the module;
one test starts its own with ``--scheduler local:2``, as a user does.
"""

from __future__ import annotations

import collections
import gzip
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine_fixtures import GLOSSARY, clean_filter, text_lines, tsv_rows
from mtmend.cli.main import main

distributed = pytest.importorskip("distributed", reason="Dask is a test extra: pip install -e '.[test]'")


@pytest.fixture(scope="module")
def cluster():
    """A running two-worker cluster's address, for the tests that need no cluster of their own."""
    from mtmend.cleaner.dask_engine import LOCAL_ONLY

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  silence_logs=logging.CRITICAL, **LOCAL_ONLY) as local:
        yield local.scheduler_address


def _lines(lines: list[str], end: str = "\n") -> bytes:
    return "".join(line + end for line in lines).encode("utf-8")


def _text_shards(folder: Path) -> None:
    folder.mkdir()
    (folder / "big.txt").write_bytes(_lines(text_lines(3500)))  # several partitions at a 4 kB blocksize
    (folder / "crlf.txt").write_bytes(_lines(text_lines(1500)[::-1], "\r\n"))
    tabbed = [line.replace(" the ", "\tthe ", 1) for line in text_lines(400)]
    (folder / "tabs.txt").write_bytes(_lines(tabbed)[:-1])  # and no final newline
    (folder / "empty.txt").write_bytes(b"")
    (folder / "packed.txt.gz").write_bytes(gzip.compress(_lines(text_lines(1300)[200:])))
    (folder / "empty.txt.gz").write_bytes(gzip.compress(b""))


def _run(*argv) -> tuple[int, str]:
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["clean", "--engine", "dask", *map(str, argv)])
    return code, err.getvalue()


def _plain(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _records(path: Path) -> list[dict]:
    text = _plain(path).decode("utf-8") if path.exists() else ""
    return [json.loads(line) for line in text.splitlines()]


def _assert_same_as_filter(inputs: Path, out: Path, notes: Path, tmp: Path, *options: str) -> None:
    for shard in sorted(inputs.iterdir()):
        expected_notes = tmp / f"{shard.name}.expected.jsonl"
        code, expected, _ = clean_filter(_plain(shard), *options, "--annotations", str(expected_notes))
        assert code == 0
        result = out / shard.name
        assert _plain(result) == expected, shard.name
        assert result.read_bytes()[:2] == (b"\x1f\x8b" if shard.suffix == ".gz" else result.read_bytes()[:2])
        sidecar = notes / (shard.name.removesuffix(".gz") + (".jsonl.gz" if shard.suffix == ".gz" else ".jsonl"))
        got = _records(sidecar)
        assert {r.pop("shard") for r in got} <= {shard.name}
        key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
        assert collections.Counter(map(key, got)) == collections.Counter(map(key, _records(expected_notes)))


def _leftovers(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.name.endswith((".part", ".tmp")) or p.name == "parts"]


def test_local2_text_shards_equal_the_filter(tmp_path):
    inputs, out, notes = tmp_path / "in", tmp_path / "out", tmp_path / "notes"
    _text_shards(inputs)
    code, err = _run("--input", inputs / "*", "--output", out, "--annotations", notes,
                     "--scheduler", "local:2", "--blocksize", "4kB")
    assert code == 0, err
    assert "cleaned 6 of 6 shard(s) on dask local:2" in err
    partitions = int(err.split(" partition(s)")[0].rsplit(" ", 1)[1])
    assert partitions >= 6 + 2 + 1  # big.txt and crlf.txt were split mid-file
    assert sorted(p.name for p in out.iterdir()) == sorted([".mtmend", *(p.name for p in inputs.iterdir())])
    _assert_same_as_filter(inputs, out, notes, tmp_path)
    assert gzip.decompress((out / "packed.txt.gz").read_bytes()) and (out / "packed.txt.gz").read_bytes()[4:8] == b"\0" * 4
    assert not _leftovers(out) and len(list((out / ".mtmend" / "done").iterdir())) == 6


def test_tsv_shards_with_the_glossary_equal_the_filter(tmp_path, cluster):
    inputs, out, notes = tmp_path / "in", tmp_path / "out", tmp_path / "notes"
    inputs.mkdir()
    (inputs / "part-0.tsv").write_bytes(_lines(tsv_rows(1300)))
    (inputs / "part-1.tsv").write_bytes(_lines(tsv_rows(300)[::-1], "\r\n"))
    (inputs / "part-2.tsv.gz").write_bytes(gzip.compress(_lines(tsv_rows(200))))
    (inputs / "part-3.tsv").write_bytes(b"")
    options = ("--format", "tsv", "--glossary", str(GLOSSARY))
    code, err = _run("--input", inputs / "part-*", "--output", out, "--annotations", notes, *options,
                     "--scheduler", cluster, "--blocksize", "64kB")
    assert code == 0, err
    _assert_same_as_filter(inputs, out, notes, tmp_path, *options)
    assert any(r["rule"] == "apply_glossary" for r in _records(notes / "part-0.tsv.jsonl"))


def test_a_bad_line_fails_its_shard_only(tmp_path, cluster):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "a.tsv").write_bytes(_lines(tsv_rows(50)))
    broken = _lines(tsv_rows(2500)).split(b"\n")
    broken[1233] = b"\xff" + broken[1233]
    (inputs / "b.tsv").write_bytes(b"\n".join(broken))  # large: the scan finds it
    (inputs / "c.tsv").write_bytes(_lines([*tsv_rows(6), "a row without its tab", *tsv_rows(3)]))
    (inputs / "d.tsv").write_bytes(_lines(tsv_rows(40)))
    (inputs / "f.tsv").write_bytes(_lines([*tsv_rows(2), "中文\tEnglish\ta tab inside a field", *tsv_rows(2)]))
    (inputs / "e.tsv.gz").write_bytes(gzip.compress(_lines(tsv_rows(400)))[:-900])  # truncated download
    code, err = _run("--input", inputs / "*.tsv*", "--output", out, "--format", "tsv", "--scheduler", cluster,
                     "--blocksize", "100kB")
    assert code == 2
    assert f"{inputs / 'b.tsv'} line 1234: not valid UTF-8" in err
    assert f"{inputs / 'c.tsv'} line 7: expected zh<TAB>en" in err
    assert f"{inputs / 'e.tsv.gz'}: not valid gzip data after line " in err
    assert f"{inputs / 'f.tsv'} line 3: expected 2 tab-separated columns" in err
    filtered = clean_filter((inputs / "f.tsv").read_bytes(), "--format", "tsv")
    assert filtered[0] == 2 and "stdin line 3: expected 2 tab-separated columns" in filtered[2]
    assert "4 of 6 shard(s) failed, the others are written" in err and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["a.tsv", "d.tsv"]
    assert sorted(p.name for p in (out / ".mtmend" / "done").iterdir()) == ["a.tsv.json", "d.tsv.json"]
    assert (out / "d.tsv").read_bytes() == clean_filter((inputs / "d.tsv").read_bytes(), "--format", "tsv")[1]
    assert not _leftovers(out)


def _identity(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def _executing(dask_worker) -> int:
    return dask_worker.state.executing_count  # cancelled tasks still running included


def _wait_idle(address: str) -> None:
    """Until no worker runs anything: a dead client's running tasks still finish (and write)."""
    with distributed.Client(address, timeout="10s") as client:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (any(client.processing().values())
                                               or any(client.run(_executing).values())):
            time.sleep(0.05)


def test_resume_after_the_client_is_killed_skips_finished_shards(tmp_path, cluster):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for k in range(12):
        (inputs / f"s{k:02d}.txt").write_bytes(_lines(text_lines(1200 + 37 * k)[k:]))
    argv = [sys.executable, "-m", "mtmend.cli.main", "clean", "--engine", "dask", "--input", str(inputs / "*.txt"),
            "--output", str(out), "--scheduler", cluster]
    client = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    done_dir = out / ".mtmend" / "done"
    deadline = time.monotonic() + 120
    while not (done_dir.is_dir() and len(list(done_dir.iterdir())) >= 2) and time.monotonic() < deadline:
        assert client.poll() is None, client.stderr.read()
        time.sleep(0.02)
    os.kill(client.pid, signal.SIGKILL)
    client.wait()
    client.stderr.close()
    _wait_idle(cluster)
    finished = {p.name.removesuffix(".json") for p in done_dir.iterdir()}
    assert 2 <= len(finished) < 12
    before = {name: (_identity(done_dir / f"{name}.json"), _identity(out / name)) for name in finished}
    code, err = _run("--input", inputs / "*.txt", "--output", out, "--scheduler", cluster, "--resume")
    assert code == 0, err
    assert f"{len(finished)} already done (skipped)" in err
    assert before == {name: (_identity(done_dir / f"{name}.json"), _identity(out / name)) for name in finished}
    for shard in inputs.iterdir():
        assert (out / shard.name).read_bytes() == clean_filter(shard.read_bytes())[1], shard.name
    assert not _leftovers(out)


def test_options_are_checked_before_anything_runs(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Text .\n", encoding="utf-8")
    cases = [
        (["--input", tmp_path / "in/*"], "--engine dask needs --input GLOB and --output DIR"),
        (["--input", tmp_path / "nothing*", "--output", tmp_path / "o"], "no file matches"),
        (["--input", tmp_path / "in/*", "--output", tmp_path / "in"], "input inside --output"),
        (["--input", tmp_path / "in/*", "--output", tmp_path / "o", "--scheduler", "local"], "expected local:N"),
        (["--input", tmp_path / "in/*", "--output", tmp_path / "o", "--blocksize", "big"], "expected a size"),
        (["--input", tmp_path / "in/*", "--output", tmp_path / "o", "-j", "2"], "use --scheduler local:N"),
        (["--input", tmp_path / "in/*", "--output", tmp_path / "o", "--diff"], "--diff does not work"),
    ]
    for argv, message in cases:
        code, err = _run(*argv)
        assert code == 2 and message in err, (argv, err)
    assert main(["clean", "--input", str(tmp_path / "in/*"), "--output", str(tmp_path / "o")]) == 2
    assert not (tmp_path / "o").exists()


def test_the_glossary_and_settings_travel_inside_the_task(tmp_path):
    """A worker needs no glossary file: the task carries it (here: pickled, the file gone)."""
    import pickle

    from mtmend.cleaner.batch import BatchSettings
    from mtmend.cleaner.config import CleanConfig
    from mtmend.cleaner.dask_engine import find_shards
    from mtmend.cleaner.glossary import Glossary
    from mtmend.cleaner.shards import EngineMismatchError, Job, clean_shard

    copy = tmp_path / "glossary.tsv"
    copy.write_bytes(GLOSSARY.read_bytes())
    settings = BatchSettings(CleanConfig(glossary=Glossary.load(copy)), tsv=True)
    copy.unlink()
    (tmp_path / "in").mkdir()
    rows = _lines(tsv_rows(120))
    (tmp_path / "in" / "a.tsv").write_bytes(rows)
    shard = find_shards(str(tmp_path / "in" / "*.tsv"))[0]
    job = pickle.loads(pickle.dumps(Job(settings, str(tmp_path / "out"), None, settings.signature(), "run-1")))
    report = clean_shard(job, shard)
    expected = clean_filter(rows, "--format", "tsv", "--glossary", str(GLOSSARY))[1]
    assert (tmp_path / "out" / "a.tsv").read_bytes() == expected and report.stats.changed > 0
    assert b"Xuexi Qiangguo" in expected
    stale = Job(settings, str(tmp_path / "out2"), None, "mtmend:0.0.1|rules:1:x", "run-2")
    with pytest.raises(EngineMismatchError, match="install the same mtmend everywhere"):
        clean_shard(stale, shard)
    assert not (tmp_path / "out2").exists()


def test_progress_goes_to_the_batch_commands_bar_on_a_terminal():
    import io

    from mtmend.cli.clean_dask import ShardProgress, parse_size

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    progress = ShardProgress(err)
    progress(1_000_000, 4_000_000, 0, 8)
    progress(3_000_000, 4_000_000, 2, 8)
    progress.close()
    assert "2/8 shards, 3.0/4.0 MB read" in err.getvalue() and "1/8 shards" in err.getvalue()
    quiet = io.StringIO()  # not a terminal: nothing drawn
    ShardProgress(quiet)(1, 2, 1, 2)
    assert quiet.getvalue() == ""
    sizes = [parse_size(text) for text in ("64MiB", "16MB", "4096", "1.5kB")]
    assert sizes == [1 << 26, 16_000_000, 4096, 1500]
