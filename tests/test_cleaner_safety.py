"""Row and line safety of the filter, as properties (hypothesis) over hostile inputs.

For any input: a TSV gives as many rows out as in, with column 1 untouched; cleaning is
idempotent; a line no rule changed comes back byte for byte, with its own line end.
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mtmend.cleaner import stream
from mtmend.cleaner.batch import BatchSettings, cleaned_chunks
from mtmend.cleaner.config import CleanConfig

# Pieces of real MT damage and of technical text, so the rules actually fire.
PIECES = [
    "Hot search keywords", "Please sign in first", "WX20191206-193719 @ 2x", "Q: Why?", "A:", "the the",
    'along the" Belt and Road ", in', "initiative.Chinese", " , ", ". ,", "  ", "——", "……", "......", "，", "。",
    "《Report》", "“", "”", '"', "'", "git add .", "list.Add(item)", "16 : 9", "a::b", "`code`", "- ", "# ", "```",
    "    ", "\t", "Source:Xinhua", "Hainan,Hangzhou", "News from this newspaper", "a apple", "an hour", ". .",
    "? ?", "Including", "said.", "3.5", "http://x.cn/a.png", "海南", "said", "The", "(", ")", "！", "Said Li",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet="aZ .,:;!?\"'“”-—…()海南1 ", max_size=6)), max_size=8).map("".join)
CELL = TEXT.map(lambda t: t.replace("\t", " ").replace("\n", " ").replace("\r", " "))
END = st.sampled_from(["\n", "\r\n"])
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run_filter(data: bytes, tsv: bool, config: CleanConfig = CleanConfig()) -> str:
    out = io.StringIO(newline="")
    writer = stream.LineWriter(out)
    for chunk, result in cleaned_chunks(stream.read_lines(io.BytesIO(data)), BatchSettings(config, tsv)):
        writer.write_chunk(chunk, result.outputs)
    writer.finish()
    return out.getvalue()


def rows_of(text: str) -> list[str]:
    return text.splitlines()


@FAST
@given(st.lists(st.tuples(CELL, CELL, END), max_size=12), st.booleans(), st.booleans())
def test_tsv_rows_out_equal_rows_in_and_column_one_is_untouched(rows, empty, final_newline):
    data = "".join(f"{zh}\t{en}{end}" for zh, en, end in rows)
    if not final_newline and data:
        data = data.rstrip("\r\n")
    out = run_filter(data.encode(), True, CleanConfig(empty_removed_rows=empty))
    out_rows = rows_of(out)
    assert len(out_rows) == len(rows)
    assert [r.split("\t")[0] for r in out_rows] == [zh for zh, _, _ in rows]
    assert out.endswith("\n") == data.endswith("\n")


HSK = "Hot search keywords"


@FAST
@given(st.lists(st.tuples(TEXT, END), max_size=10))
# Paragraphs equal only once cleaned: the second used to survive the first run, not the next.
@example([(f"{HSK * 3} ,   {HSK * 2}", "\n"), ("", "\n"), (f"{HSK * 3} , {HSK * 2}", "\n")])
@example([("a, b c d e f", "\n"), ("", "\n"), ("a , b c d e f", "\n"), ("", "\n"), ("a ,b c d e f", "\n")])
# A removed first line: the next line starts the paragraph (here a question, so its answer gets a label).
@example([(HSK, "\n"), ("Q: Why?", "\n"), ("", "\n"), (HSK * 2, "\n")])
# A removed paragraph: the next one follows the paragraph before it.
@example([("a, b c d e f", "\n"), ("", "\n"), (HSK, "\n"), ("", "\n"), ("a , b c d e f", "\n")])
def test_clean_is_idempotent(lines):
    data = "".join(text.replace("\n", " ").replace("\r", " ") + end for text, end in lines)
    once = run_filter(data.encode(), False)
    assert run_filter(once.encode(), False) == once


@FAST
@given(st.lists(st.tuples(TEXT, END), min_size=1, max_size=10))
def test_lines_without_applied_edits_come_back_byte_identical(lines):
    data = "".join(text.replace("\n", " ").replace("\r", " ") + end for text, end in lines)
    inputs = list(stream.read_lines(io.BytesIO(data.encode())))
    for chunk, result in cleaned_chunks(inputs, BatchSettings(CleanConfig(), annotations=True)):
        edited = {item.line for item in result.edits if item.applied}
        for number, (before, after) in enumerate(zip(chunk, result.outputs, strict=True), start=1):
            if number not in edited:
                assert after == before
            elif after is not None:
                assert stream.split_end(after)[1] == stream.split_end(before)[1]
