"""Many documents in one run: which files pair up, and running the slow part in worker processes.

Three ways to name the pairs (:func:`pairs_from_arguments`, :func:`pairs_from_folder`,
:func:`pairs_from_manifest`), one runner (:func:`run_ordered`): work items go to up to
``workers`` processes, a bounded number at a time (a folder of thousands of articles
never sits in memory at once), and their results come back *in input order*, so a batch
writes the workspace exactly as the same imports run one by one would. A failing item
is a result like any other: the batch goes on.

Folder naming convention: ``NAME.zh.txt`` is the Chinese source; its English MT is
``NAME.en.txt`` or ``NAME.txt`` (both present is ambiguous and that document fails).
Other files are ignored. Documents are named ``NAME``, as importing the pair alone would
name them, and taken in sorted order of ``NAME``.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtmend.corpus.errors import InputError, MtmendError

__all__ = [
    "Pair",
    "align_presplit",
    "pairs_from_arguments",
    "pairs_from_folder",
    "pairs_from_manifest",
    "read_presplit",
    "run_ordered",
]

_ZH_SUFFIX = ".zh.txt"


@dataclass(frozen=True, slots=True)
class Pair:
    """A Chinese file, its English translation, the document name (``None``: the default),
    and a problem found while pairing (the pair then fails without being read)."""

    zh: Path
    en: Path
    name: str | None = None
    problem: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.zh.name


def pairs_from_arguments(files: Sequence[str]) -> list[Pair]:
    """``ZH EN [ZH EN …]`` from the command line."""
    if len(files) % 2:
        raise InputError(f"expected ZH EN pairs, got an odd number of files ({len(files)}): the last has no partner")
    return [Pair(Path(zh), Path(en)) for zh, en in zip(files[::2], files[1::2], strict=True)]


def pairs_from_folder(folder: Path) -> list[Pair]:
    """The ``NAME.zh.txt`` files of ``folder`` with their ``NAME.en.txt`` / ``NAME.txt``."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.is_file())
    except OSError as error:
        raise InputError(f"{folder}: cannot list the folder ({error.strerror})") from None
    present = set(names)
    pairs = []
    for file_name in names:
        if not file_name.endswith(_ZH_SUFFIX) or file_name == _ZH_SUFFIX:
            continue
        stem = file_name[: -len(_ZH_SUFFIX)]
        candidates = [c for c in (f"{stem}.en.txt", f"{stem}.txt") if c in present]
        problem = None
        if not candidates:
            problem = f"no English file {stem}.en.txt or {stem}.txt beside {file_name}"
        elif len(candidates) == 2:
            problem = f"both {stem}.en.txt and {stem}.txt are present: keep one, or use --manifest"
        en = folder / (candidates[0] if candidates else f"{stem}.txt")
        pairs.append(Pair(folder / file_name, en, stem, problem))
    if not pairs:
        raise InputError(
            f"{folder}: no NAME.zh.txt files (a folder import pairs NAME.zh.txt with NAME.en.txt or NAME.txt)"
        )
    return pairs


def pairs_from_manifest(path: Path, text: str) -> list[Pair]:
    """Lines ``ZH<TAB>EN[<TAB>NAME]``; relative paths are relative to the manifest's folder.

    Blank lines and lines starting with ``#`` are skipped. A line with the wrong number
    of columns refuses the whole manifest (``InputError`` naming the line): a half-read
    manifest would import a batch nobody asked for.
    """
    base = path.parent
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) not in (2, 3) or not all(cols):
            raise InputError(
                f"{path}:{number}: expected ZH<TAB>EN or ZH<TAB>EN<TAB>NAME with no empty column, "
                f"found {len(cols)} column(s)"
            )
        pairs.append(Pair(base / cols[0], base / cols[1], cols[2] if len(cols) == 3 else None))
    if not pairs:
        raise InputError(f"{path}: the manifest lists no documents")
    return pairs


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one item: its value, or the error that stopped it."""

    item: Any
    value: Any = None
    error: MtmendError | None = None


def run_ordered(
    items: Iterable[Any],
    prepare: Callable[[Any], Any],
    work: Callable[[Any], Any],
    finish: Callable[[Any, Any], Any],
    workers: int,
) -> Iterator[Outcome]:
    """For each item, in order: ``prepare`` (here), ``work`` (in a worker process when
    ``workers > 1``; it and its argument must pickle), then ``finish(item, result)`` (here).

    ``prepare`` may return ``None`` to skip the work (``finish`` then gets ``None``).
    An :class:`MtmendError` or ``OSError`` at any step becomes that item's error.
    """
    if workers <= 1:
        for item in items:
            yield _one(item, lambda task: work(task), prepare, finish)
        return
    # Not "fork": a forked worker would inherit the caller's open SQLite connection, which
    # SQLite forbids carrying across fork(); forkserver workers start from a clean process.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        window: deque[tuple[Any, Any]] = deque()
        for item in items:
            window.append((item, _submit(pool, item, prepare, work)))
            if len(window) >= 2 * workers:
                yield _collect(*window.popleft(), finish)
        while window:
            yield _collect(*window.popleft(), finish)


def _one(item: Any, run: Callable[[Any], Any], prepare, finish) -> Outcome:
    try:
        task = prepare(item)
        result = None if task is None else run(task)
        return Outcome(item, finish(item, result))
    except MtmendError as error:
        return Outcome(item, error=error)
    except OSError as error:
        return Outcome(item, error=InputError(f"{getattr(item, 'label', item)}: {error.strerror or error}"))


def _submit(pool, item: Any, prepare, work) -> Any:
    """The future of ``work(prepare(item))``; a finished value or error when there is no work."""
    try:
        task = prepare(item)
    except (MtmendError, OSError) as error:
        return error
    return None if task is None else pool.submit(work, task)


def _collect(item: Any, pending: Any, finish) -> Outcome:
    if isinstance(pending, BaseException):
        return _one(item, lambda task: task, lambda _: _raise(pending), finish)
    return _one(item, lambda future: future.result(), lambda _: pending, finish)


def _raise(error: BaseException) -> Any:
    raise error


def read_presplit(path: Path) -> list[str]:
    """The sentences of a one-sentence-per-line file (a final newline adds no sentence)."""
    from mtmend.corpus.textio import read_text

    lines = read_text(path).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def align_presplit(task: tuple[Path, Path, bool]) -> str:
    """Beads, in ``[zh]:[en]`` lines, of two presplit files (``task``: zh, en, use the dictionary).

    Runs in a worker process for ``align --presplit --output-dir``.
    """
    from mtmend.corpus.align import align, format_beads
    from mtmend.corpus.textio import check_scripts

    zh_path, en_path, dictionary = task
    zh, en = read_presplit(zh_path), read_presplit(en_path)
    check_scripts("\n".join(zh), "\n".join(en), str(zh_path), str(en_path))
    return format_beads(align(zh, en, dictionary=dictionary))
