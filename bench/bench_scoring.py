"""Benchmark: mtmend's chunked corpus metrics vs sacrebleu's one-shot API.

Generates deterministic hypothesis/reference pairs (~25 English words, MT-like edits),
then runs each case in a fresh child process and prints wall time, throughput and the
child's peak RSS. sacrebleu's one-shot API runs only up to --oneshot-max pairs (it keeps
every reference in memory: ≈ 59 KB per segment for chrF).

    .venv/bin/python bench/bench_scoring.py                       # 100k and 1M pairs
    .venv/bin/python bench/bench_scoring.py --sizes 20000 --metrics BLEU chrF++
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

WORDS = ("the of and to in a is that for on with as by at from economy digital blockchain forum port trade "
         "zone Hainan city government policy development international cooperation technology industry "
         "said will has been more than year new data platform financial innovation pilot measures").split()


def pairs(n: int, seed: int = 7):
    """``n`` (hypothesis, reference) pairs; the hypothesis drops, swaps and replaces words."""
    rng = random.Random(seed)
    for _ in range(n):
        ref = [rng.choice(WORDS) for _ in range(rng.randint(15, 35))]
        hyp = list(ref)
        for _ in range(rng.randint(0, 6)):
            i = rng.randrange(len(hyp))
            op = rng.random()
            if op < 0.3:
                del hyp[i]
            elif op < 0.6:
                hyp[i] = rng.choice(WORDS)
            elif i + 1 < len(hyp):
                hyp[i], hyp[i + 1] = hyp[i + 1], hyp[i]
        yield " ".join(hyp).capitalize() + ".", " ".join(ref).capitalize() + "."


def child(kind: str, metric: str, n: int, workers: int) -> None:
    """Run one case and print its result as JSON (peak RSS of this process, in MB)."""
    start = time.perf_counter()
    if kind == "mtmend":
        from mtmend.corpus.scoring import corpus_scores

        hyps = (h for h, _ in pairs(n))
        refs = (r for _, r in pairs(n))
        (score,) = corpus_scores(hyps, refs, metrics=(metric,), workers=workers)
        value = score.score
    else:
        from sacrebleu.metrics import BLEU, CHRF, TER

        hyps, refs = zip(*pairs(n))
        m = {"BLEU": BLEU(), "chrF++": CHRF(word_order=2), "TER": TER()}[metric]
        value = m.corpus_score(list(hyps), [list(refs)]).score
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": max(peak, peak_children), "score": value}))


def run_case(kind: str, metric: str, n: int, workers: int) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, metric, str(n), str(workers)]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="pairs (default: 100k 1M)")
    parser.add_argument("--metrics", nargs="+", default=["BLEU", "chrF++", "TER"], help="default: all three")
    parser.add_argument("--workers", type=int, default=2, help="mtmend worker processes for TER (default: 2)")
    parser.add_argument("--oneshot-max", type=int, default=100_000, help="largest size for sacrebleu one-shot")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, metric, n, workers = args.child
        child(kind, metric, int(n), int(workers))
        return
    print(f"{'tool':<22}{'metric':<8}{'pairs':>10}{'seconds':>10}{'pairs/s':>10}{'peak MB':>10}  score")
    for n in args.sizes:
        for metric in args.metrics:
            cases = [("mtmend", args.workers if metric == "TER" else 1)]
            if n <= args.oneshot_max:
                cases.append(("sacrebleu-oneshot", 1))
            for kind, workers in cases:
                r = run_case(kind, metric, n, workers)
                label = f"{kind} -j{workers}" if kind == "mtmend" else kind
                print(f"{label:<22}{metric:<8}{n:>10,}{r['seconds']:>10.1f}{n / r['seconds']:>10,.0f}"
                      f"{r['peak_mb']:>10,.0f}  {r['score']:.4f}", flush=True)


if __name__ == "__main__":
    main()
