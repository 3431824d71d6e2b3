"""Run every benchmark under ``bench/``: the single entry point behind ``make bench``.

Each ``bench/bench_*.py`` runs in its own process, in name order, with the same
interpreter; ``--quick`` is passed to those that accept it (their ``--help`` mentions it).
Every benchmark also runs alone: ``.venv/bin/python bench/bench_clean_peers.py``.
A benchmark that fails is reported at the end and makes the exit status 1; the others
still run.

Run from anywhere: ``.venv/bin/python bench/run_all.py [--quick] [--only NAME …]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks(only: list[str] | None = None) -> list[Path]:
    """The ``bench_*.py`` scripts present, in name order, optionally filtered by name."""
    found = sorted(HERE.glob("bench_*.py"))
    if only:
        wanted = {name.removesuffix(".py").removeprefix("bench_") for name in only}
        found = [p for p in found if p.stem.removeprefix("bench_") in wanted]
    return found


def accepts_quick(script: Path) -> bool:
    """Whether the script's ``--help`` offers ``--quick`` (asked, not guessed from its source)."""
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True,
                          cwd=HERE.parent)
    return done.returncode == 0 and "--quick" in done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small inputs and few repeats, for a smoke run (default: off, full sizes)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="run only these benchmarks, e.g. clean_peers tmx (default: all)")
    args = parser.parse_args(argv)
    scripts = benchmarks(args.only)
    if not scripts:
        print("run_all: no benchmark matched" + (f" {' '.join(args.only)}" if args.only else ""), file=sys.stderr)
        return 2
    failed: list[str] = []
    for script in scripts:
        cmd = [sys.executable, str(script)]
        if args.quick:
            if accepts_quick(script):
                cmd.append("--quick")
            else:
                print(f"\n(note: {script.name} has no --quick; running it in full)", flush=True)
        print(f"\n{'=' * 100}\n{' '.join(['python', f'bench/{script.name}', *cmd[2:]])}\n{'=' * 100}", flush=True)
        start = time.perf_counter()
        code = subprocess.run(cmd, cwd=HERE.parent).returncode
        print(f"({script.name}: exit {code}, {time.perf_counter() - start:.0f} s)", flush=True)
        if code != 0:
            failed.append(f"{script.name} (exit {code})")
    print(f"\n{len(scripts) - len(failed)} of {len(scripts)} benchmarks finished"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
