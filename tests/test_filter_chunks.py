"""``mtmend clean -`` cuts its input into chunks; the output must not depend on where the cuts fall.

Each chunk starts from the paragraph state the previous one ended in. That state must be the
one the filter really ended in — a line the filter removed (an image file name, web furniture,
a duplicate) is not the previous paragraph of what follows it — not the state read off the
raw lines. Chunks are made small here through ``mtmend.cleaner.batch.CHUNK_LINES``.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE_DOCS, SAMPLES

from mtmend.cleaner import batch
from mtmend.cleaner.batch import BatchSettings, filter_lines

ARTICLE = (SAMPLES / f"{SAMPLE_DOCS[0]}.txt").read_text(encoding="utf-8").split("\n\n")
# Short paragraphs of the sample article (one an image file name the filter removes), web
# furniture from the golden data, a question (its answer gets an ``A:`` label), blank lines.
POOL = sorted({p for p in ARTICLE if 0 < len(p) < 90}) + ["Hot search keywords", "Q: What is blockchain?", "", ""]
TEXT, TSV = BatchSettings(), BatchSettings(tsv=True, annotations=True)


def _filter(lines: list[str], chunk: int, monkeypatch, settings=TEXT, jobs: int = 1) -> str:
    out = io.StringIO()
    with monkeypatch.context() as patch:
        patch.setattr(batch, "CHUNK_LINES", chunk)
        filter_lines(lines, settings, out, jobs=jobs)
    return out.getvalue()


def test_pool_holds_what_the_filter_removes(monkeypatch):
    assert "WX20191206-193719 @ 2x" in POOL and len(POOL) > 8
    assert _filter(["WX20191206-193719 @ 2x\n"], 1000, monkeypatch) == ""


def test_a_removed_last_line_of_a_chunk_is_not_the_next_chunk_s_previous_paragraph(monkeypatch):
    """A paragraph, an image name (removed), the same paragraph again: a duplicate however it is cut."""
    title = ARTICLE[0]
    lines = [f"{title}\n", "\n", "WX20191206-193719 @ 2x\n", "\n", f"{title}\n"]
    whole = _filter(lines, 1000, monkeypatch)
    assert whole == f"{title}\n"  # the repeat goes, with the image name
    assert [_filter(lines, size, monkeypatch) for size in (1, 2, 3, 4)] == [whole] * 4


@pytest.mark.parametrize("jobs", [2])
def test_worker_processes_agree_with_one_process(monkeypatch, jobs):
    """``-j N`` cleans chunks ahead with a guessed state; a wrong guess is cleaned again."""
    title = ARTICLE[0]
    lines = [f"{title}\n", "\n", "WX20191206-193719 @ 2x\n", "\n", f"{title}\n", "\n", "Q: What is blockchain?\n",
             "\n", "Hot search keywords\n", "\n", f"{ARTICLE[2][:60]}\n"]
    whole = _filter(lines, 1000, monkeypatch)
    for size in (1, 3):
        assert _filter(lines, size, monkeypatch, jobs=jobs) == whole


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(st.sampled_from(POOL), max_size=12), size=st.integers(1, 5))
def test_output_does_not_depend_on_the_chunk_size(monkeypatch, paragraphs, size):
    lines = [p + "\n" for p in paragraphs]
    assert _filter(lines, size, monkeypatch) == _filter(lines, 1000, monkeypatch)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.sampled_from([p for p in POOL if p]), max_size=8), size=st.integers(1, 3))
def test_tsv_output_does_not_depend_on_the_chunk_size(monkeypatch, rows, size):
    lines = [f"来源\t{p}\n" for p in rows]
    assert _filter(lines, size, monkeypatch, TSV) == _filter(lines, 1000, monkeypatch, TSV)


def test_dask_partitions_cleaned_from_a_wrong_guess_are_cleaned_again(monkeypatch, tmp_path):
    """``--engine dask`` cuts a big shard into partitions cleaned in parallel, each from the state
    the scan guessed; assembling the shard cleans a partition again when the guess was wrong.
    (The task functions run here in process, as a Dask worker runs them.)"""
    from mtmend.cleaner import shards

    title = ARTICLE[0]
    block = [f"{title}\n", "\n", "WX20191206-193719 @ 2x\n", "\n"]  # each block's title repeats the previous one
    lines = block * 6 + [f"{title}\n"]
    path = tmp_path / "in.txt"
    path.write_text("".join(lines), encoding="utf-8")
    shard = shards.Shard(str(path), str(path), "in.txt", path.stat().st_size, path.stat().st_mtime_ns)
    job = shards.Job(TEXT, str(tmp_path / "out"), None, TEXT.signature(), "run")
    with monkeypatch.context() as patch:
        patch.setattr(batch, "CHUNK_LINES", 3)
        cuts = shards.scan_shard(job, shard, 4, 60)
        assert len({c.offset for c in cuts}) > 2  # really several partitions
        parts = [shards.clean_part(job, shard, cuts, k) for k in range(len(cuts) - 1)]
        shards.assemble_shard(job, shard, parts)
    assert (tmp_path / "out" / "in.txt").read_text(encoding="utf-8") == _filter(lines, 1000, monkeypatch) == f"{title}\n"
