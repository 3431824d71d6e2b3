"""The engine-independent core (``clean_batch``): the same results as ``mtmend clean -`` however it is called."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import pickle

import pytest

from engine_fixtures import GLOSSARY, clean_filter, text_lines as bare_text, tsv_rows as bare_rows
from mtmend.cleaner.batch import BatchSettings, Position, clean_batch, clean_lines
from mtmend.cleaner.config import CleanConfig
from mtmend.cleaner.glossary import Glossary
from mtmend.cleaner.stream import CHUNK_LINES, LineWriter
from mtmend.corpus.errors import InputError

def text_lines(count: int) -> list[str]:
    return [line + "\n" for line in bare_text(count)]  # as the filter reads them: with their ends


def tsv_rows(count: int) -> list[str]:
    return [row + "\n" for row in bare_rows(count)]


TSV_SETTINGS = BatchSettings(CleanConfig(glossary=Glossary.load(GLOSSARY)), tsv=True, annotations=True)


def _chained(lines: list[str], settings: BatchSettings, size: int) -> tuple[list, list]:
    """Clean ``lines`` in batches of ``size``, each starting where the previous one ended."""
    outputs, records, at = [], [], Position()
    for k in range(0, len(lines), size):
        result = clean_batch(lines[k : k + size], settings, at)
        outputs += result.outputs
        records += result.annotations()
        at = result.end
    return outputs, records


def _written(lines: list[str], outputs: list) -> bytes:
    import io

    out = io.StringIO()
    writer = LineWriter(out)
    writer.write_chunk(lines, outputs)
    writer.finish()
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("size", [1000, 2600])
def test_chained_batches_of_any_size_equal_the_filter(size):
    lines = text_lines(2600)
    settings = BatchSettings(annotations=True)
    outputs, records = _chained(lines, settings, size)
    whole, whole_records = _chained(lines, settings, len(lines))
    assert outputs == whole and records == whole_records
    code, expected, _ = clean_filter("".join(lines).encode())
    assert code == 0 and _written(lines, outputs) == expected
    assert sum(1 for a, b in zip(lines, outputs) if a != b) > 100  # the samples really get repaired


def test_tsv_batches_with_glossary_equal_the_filter_and_its_annotations(tmp_path):
    rows = tsv_rows(1500)
    outputs, records = _chained(rows, TSV_SETTINGS, 1000)
    notes = tmp_path / "notes.jsonl"
    code, expected, _ = clean_filter("".join(rows).encode(), "--format", "tsv", "--glossary",
                                     str(GLOSSARY), "--annotations", str(notes))
    assert code == 0 and _written(rows, outputs) == expected
    assert records == [json.loads(line) for line in notes.read_text(encoding="utf-8").splitlines()]
    assert any(r["rule"] == "apply_glossary" for r in records)


def test_a_batch_holds_whole_chunks():
    """A chunk's vocabulary is evidence for the suggestion rules: a batch cut mid-chunk would see less."""
    lines = text_lines(3000)
    settings = BatchSettings(annotations=True)
    whole = clean_batch(lines, settings)
    middle = clean_batch(lines[1000:2000], settings, clean_batch(lines[:1000], settings).end)
    assert middle.outputs == whole.outputs[1000:2000] and middle.end == clean_batch(lines[:2000], settings).end
    with pytest.raises(ValueError, match="chunk boundary"):
        clean_batch(lines[7:20], settings, Position(line=8))
    cut = [r for k in range(0, 3000, 7) for r in clean_batch(lines[k : k + 7], settings).annotations()]
    assert len(cut) != len(list(whole.annotations()))  # why: 7-line batches change the suggestions
    assert CHUNK_LINES == 1000  # the positions above assume the filter's chunk size


def test_settings_are_immutable_and_travel_by_pickle():
    with pytest.raises(dataclasses.FrozenInstanceError):
        TSV_SETTINGS.tsv = False  # type: ignore[misc]
    copy = pickle.loads(pickle.dumps(TSV_SETTINGS))
    assert copy.signature() == TSV_SETTINGS.signature() and copy.signature().endswith("|format:tsv")
    rows = tsv_rows(300)
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter, as on another machine
    with ctx.Pool(1) as pool:
        remote = pool.apply(clean_batch, (rows, TSV_SETTINGS, Position("x.tsv", 1)))
    assert remote == clean_batch(rows, TSV_SETTINGS, Position("x.tsv", 1))


def test_lines_without_ends_clean_as_a_whole_stream():
    lines = bare_text(120)
    cleaned, records = clean_lines(lines, BatchSettings(annotations=True))
    _, expected, _ = clean_filter(("\n".join(lines) + "\n").encode())
    assert cleaned == expected.decode("utf-8").split("\n")[:-1]
    assert len(cleaned) < len(lines) and records  # web furniture removed, edits recorded


def test_a_malformed_row_names_the_stream_and_line():
    rows = tsv_rows(5) + ["no tab in this row\n"]
    with pytest.raises(InputError, match=r"^shard-7\.tsv line 1006: expected zh<TAB>en"):
        clean_batch(rows, TSV_SETTINGS, Position("shard-7.tsv", 1001))
