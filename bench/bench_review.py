"""Keypress-to-redraw latency of ``mtmend review`` on a generated 100,000-segment workspace.

The real application runs on an asyncio loop with prompt-toolkit's pipe input and a VT100
output writing to /dev/null (so escape sequences are really produced, for a 120x40
terminal). For each key the clock starts when the key is written to the input and stops
when the application has finished redrawing (``after_render``). Decisions (accept,
confirm) include their SQLite commit (``synchronous=FULL``: fsync), as a reviewer
experiences them; so do the alignment repairs (join two segments, split one at a
sentence boundary, undo), which retire and insert segments. Prints median, 95th
percentile and maximum per key.

Run from the repository root: ``.venv/bin/python bench/bench_review.py [--segments N] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from mtmend.corpus.model import AuthorKind, Edit, EditState, Severity
from mtmend.corpus.store import NewSegment, Workspace

WORDS = ("the blockchain forum digital economy pilot zone Hainan free trade port international cooperation "
         "companies government financial technology center development leading institutions application "
         "scenarios ministerial representatives business leaders scholars countries regions initiative").split()
ZH = "海南自由贸易港数字经济和区块链国际合作论坛在海口开幕链上海南试验区头部机构场景应用金融科技中心"


def generate(folder: Path, segments: int, seed: int = 5) -> None:
    """A workspace with one document of ``segments`` segments in one paragraph (so that any
    two neighbours can be joined); every 4th has a suggestion."""
    rng = random.Random(seed)

    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(18, 32))]
        return " ".join(words).capitalize() + "."

    with Workspace.open(folder, create=True) as ws:
        with ws.transaction():
            doc = ws.add_document(
                "generated",
                (NewSegment(para=0, source="".join(rng.sample(ZH, 30)) + "。", mt=sentence(), sep=" " if i else "")
                 for i in range(segments)),
                fingerprint="bench",
            )
            for seg in ws.segments(doc.id):
                if seg.position % 4 == 1:
                    at = seg.mt.index(" ") + 1
                    word = seg.mt[at:].split(" ", 1)[0]
                    edit = Edit(at, at + len(word), word, word.upper(), "bench_rule", "Fluency/Spelling",
                                Severity.MINOR, auto=False, author_kind=AuthorKind.RULE)
                    ws.add_annotation(seg.id, edit, EditState.SUGGESTED)


async def measure(folder: Path, rounds: int) -> dict[str, list[float]]:
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output

    from mtmend.review import ReviewSession
    from mtmend.cli import review_app

    timings: dict[str, list[float]] = {}
    with Workspace.open(folder) as ws, create_pipe_input() as inp, open("/dev/null", "w") as sink:
        t0 = time.perf_counter()
        session = ReviewSession.start(ws, [], "bench")
        timings["start (lock, pass, index of all segments)"] = [time.perf_counter() - t0]
        output = Vt100_Output(sink, lambda: Size(rows=40, columns=120), term="xterm-256color")
        app = review_app.build_application(session, input=inp, output=output)
        rendered = asyncio.Event()
        app.after_render += lambda _: rendered.set()
        task = asyncio.ensure_future(app.run_async())
        await rendered.wait()

        async def press(name: str, key: str) -> None:
            rendered.clear()
            start = time.perf_counter()
            inp.send_text(key)
            await rendered.wait()
            timings.setdefault(name, []).append(time.perf_counter() - start)

        for _ in range(rounds):
            await press("j  next segment", "j")
            await press("k  previous segment", "k")
            await press("n  next segment with open issues", "n")
            await press("a  accept the edit (commit)", "a")
            await press("Enter  confirm segment + next (commit)", "\r")
            await press("u  undo (commit)", "u")
            await press("J  join with the next segment (commit)", "J")
            await press("S  split: open the picker", "S")
            await press("Enter  split at 1:1 (commit)", "\r")
            await press("u  undo the split (commit)", "u")
        inp.send_text("q")
        await task
        session.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=100_000, help="segments to generate (default: 100000)")
    parser.add_argument("--rounds", type=int, default=200, help="presses of each key (default: 200)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mtmend-bench-review-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        generate(folder, args.segments)
        print(f"generated {args.segments:,} segments in {time.perf_counter() - t0:.1f} s")
        timings = asyncio.run(measure(folder, args.rounds))
    print(f"\n{'key (keypress → screen redrawn)':<46} {'n':>5} {'median':>9} {'p95':>9} {'max':>9}")
    for name, values in timings.items():
        ms = sorted(v * 1000 for v in values)
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        print(f"{name:<46} {len(ms):>5} {statistics.median(ms):>7.1f}ms {p95:>7.1f}ms {ms[-1]:>7.1f}ms")


if __name__ == "__main__":
    main()
