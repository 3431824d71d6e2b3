"""Shared benchmark harness: a seeded zh–en corpus generator and a whole-process runner.

Generator: :func:`generate` writes ``lines`` realistic zh<TAB>en pairs whose English carries
the machine-translation damage the cleaner repairs (garbled straight quotes, ``. , Is``,
one-word fragments, missing and doubled spaces, space before punctuation, Chinese
punctuation, a capital after a comma, ``4.To`` list items, web furniture and image file
name lines, forbidden glossary variants), plus text that must survive untouched (decimals,
percentages, URLs). Files land in ``bench/out/`` named by a content hash of the parameters,
so a second run reuses them.

Runner: :func:`run_alternating` times *whole child processes*, reading each child's peak
RSS from ``os.wait4``, alternating the tools run by run so that drift (thermal, page
cache, noisy neighbours) hits all of them alike; :func:`print_table` prints medians and
ratios to the group's reference tool. Benchmarks import this module as ``common`` (the
script's folder is on ``sys.path`` when a ``bench/*.py`` script runs).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
GLOSSARY = ROOT / "corpus" / "samples" / "glossary.tsv"
SIZES = (10_000, 100_000, 1_000_000)
MISSING_EXTRA = "missing (pip install -e '.[bench]')"

# Part of the cache key, with this file's own bytes (so editing the generator never reuses stale files).
GENERATOR_VERSION = 1

# --- phrase lists (zh, en): seeded from the sample corpus's vocabulary -----------------

SUBJECTS = (
    ("海南省", "Hainan Province"), ("杭州市政府", "the Hangzhou municipal government"),
    ("本次论坛", "the forum"), ("与会代表", "the representatives at the meeting"),
    ("各国政府", "governments of various countries"), ("该公司", "the company"),
    ("区块链技术", "blockchain technology"), ("数字经济", "the digital economy"),
    ("人工智能", "artificial intelligence"), ("这一倡议", "the initiative"),
    ("许多企业", "many enterprises"), ("专家学者", "experts and scholars"),
    ("中国政府", "the Chinese government"), ("地方政府", "local governments"),
    ("该项目", "the project"), ("这份报告", "the report"), ("海口市", "Haikou"),
    ("新加坡", "Singapore"), ("迪拜区块链中心", "the Dubai Blockchain Center"),
)
PREDICATES = (
    ("推动了{}的发展", "promoted the development of {}"), ("将加快{}", "will accelerate {}"),
    ("高度重视{}", "attached great importance to {}"), ("吸引了{}", "attracted {}"),
    ("深刻改变了{}", "profoundly changed {}"), ("积极探索{}", "actively explored {}"),
    ("宣布将支持{}", "announced that it will support {}"), ("发布了{}", "released {}"),
    ("签署了关于{}的合作协议", "signed a cooperation agreement on {}"),
    ("加强了{}", "strengthened {}"), ("为{}提供了新的机遇", "provided new opportunities for {}"),
    ("开始建设{}", "started building {}"), ("将继续推进{}", "will continue to advance {}"),
)
OBJECTS = (
    ("数字金融", "digital finance"), ("产业振兴", "industrial revitalization"),
    ("全球治理体系", "the global governance system"), ("跨境支付", "cross-border payments"),
    ("人类的生产和生活方式", "the production and lifestyle of human beings"),
    ("技术研究和人才培养", "technical research and talent training"),
    ("区块链基础设施", "blockchain infrastructure"), ("国际合作", "international cooperation"),
    ("数据安全", "data security"), ("实体经济", "the real economy"), ("智慧城市", "smart cities"),
    ("创新创业", "innovation and entrepreneurship"), ("供应链金融", "supply chain finance"),
    ("数字化转型", "digital transformation"), ("100多家企业", "more than 100 enterprises"),
    ("来自多个国家和地区的部长级代表", "ministerial representatives from many countries and regions"),
    ("3.5亿元的投资", "an investment of 3.5 billion yuan"), ("监管沙盒", "a regulatory sandbox"),
)
OPENERS = (
    ("12月5日", "On December 5"), ("去年", "Last year"), ("近年来", "In recent years"),
    ("就在前一天", "Just the day before"), ("2018年3月", "In March 2018"),
    ("与此同时", "At the same time"), ("据介绍", "According to reports"),
    ("今年上半年", "In the first half of this year"),
)
TAILS = (
    ("成为国内区块链领域最为集中的区域之一", "becoming one of the most concentrated areas in the domestic blockchain field"),
    ("并取得了显著成效", "and achieved remarkable results"), ("增长率达到12.5%", "with a growth rate of 12.5%"),
    ("详情见www.8btc.com", "see www.8btc.com for details"), ("受到各方广泛关注", "attracting wide attention from all parties"),
    ("引起了全球投资者的兴趣", "arousing the interest of investors around the world"),
)
QUOTED = (("一带一路", "Belt and Road"), ("数字丝绸之路", "Digital Silk Road"),
          ("最多跑一次", "Run at Most Once"), ("21世纪海上丝绸之路", "21st Century Maritime Silk Road"))
IS_WHAT = (("全球首个区块链部长级论坛", "the world's first blockchain ministerial forum"),
           ("亚洲最大的金融科技活动之一", "one of the largest fintech events in Asia"),
           ("国际合作的重要平台", "an important platform for international cooperation"))
FRAGMENTS = ("Eyes.", "Important agenda.", "Transformation.", "Many cooperations.", "Development;")
LIST_VERBS = (("打造", "create"), ("完善", "improve"), ("推进", "promote"), ("建立", "establish"))
FURNITURE = (("热门搜索关键词", "Hot search keywords"), ("请先登录", "Please sign in first"),
             ("原视频可在此处找到。", "Original video could be found here."), ("分享到微信", "Share to WeChat"),
             ("返回首页", "Back to home page"), ("扫描二维码关注我们", "Scan the QR code to follow us"))


@dataclass(frozen=True)
class GenParams:
    """Everything that determines a generated corpus; its hash names the cached files.

    Rates are per line (``furniture``, ``image``, ``list_item``) or per sentence (the rest).
    """

    lines: int
    seed: int = 20191205
    words: int = 25
    furniture: float = 0.02
    image: float = 0.01
    list_item: float = 0.04
    glossary: float = 0.3
    forbidden: float = 0.5
    quote: float = 0.12
    is_split: float = 0.06
    fragment: float = 0.08
    no_space: float = 0.08
    comma_capital: float = 0.06
    double_space: float = 0.08
    space_before: float = 0.08
    zh_punct: float = 0.08
    version: int = GENERATOR_VERSION

    def key(self) -> str:
        """Content hash of the parameters, the glossary it reads and the generator's source."""
        blob = json.dumps(asdict(self), sort_keys=True).encode() + GLOSSARY.read_bytes() + Path(__file__).read_bytes()
        return hashlib.sha256(blob).hexdigest()[:12]


@dataclass(frozen=True)
class Corpus:
    """A generated corpus: the zh–en TSV and its English column, same line count."""

    params: GenParams
    tsv: Path
    english: Path

    @property
    def lines(self) -> int:
        return self.params.lines


def load_glossary(path: Path = GLOSSARY) -> list[tuple[str, str, tuple[str, ...]]]:
    """(zh, approved en, forbidden variants) rows of a glossary TSV (header ``zh en forbidden note``)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        # Verb entries (`organized by`) make no sense as subjects.
        if len(cols) >= 2 and cols[0] and cols[1] and not cols[1].endswith(" by"):
            forbidden = tuple(v.strip() for v in cols[2].split(" | ") if v.strip()) if len(cols) > 2 else ()
            rows.append((cols[0], cols[1], forbidden))
    return rows


class PairGenerator:
    """Seeded source of (zh, en) lines; same parameters, same lines, on every machine."""

    def __init__(self, params: GenParams, glossary: Sequence[tuple[str, str, tuple[str, ...]]]) -> None:
        self.p = params
        self.rng = random.Random(params.seed)
        self.glossary = list(glossary)

    def lines(self) -> Iterator[tuple[str, str]]:
        for _ in range(self.p.lines):
            yield self.line()

    def line(self) -> tuple[str, str]:
        """One line: rarely web furniture or an image file name, else ~``words`` English words."""
        r, p = self.rng.random(), self.p
        if r < p.furniture:
            return self.rng.choice(FURNITURE)
        if r < p.furniture + p.image:
            name = f"WX2019{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}-{self.rng.randint(0, 235959):06d} @ 2x"
            return name, name  # scraped screenshot name, identical on both sides
        zh, en, words = [], "", 0
        if self.rng.random() < p.list_item:
            n, (vz, ve) = self.rng.randint(1, 9), self.rng.choice(LIST_VERBS)
            oz, oe = self.rng.choice(OBJECTS)
            zh.append(f"{n}.{vz}{oz}；")
            en = f"{n}.To {ve} {oe};" if self.rng.random() < 0.5 else f"{n}. To {ve} {oe};"
            words = en.count(" ") + 1
        target = self.rng.randint(p.words - 10, p.words - 2)  # the last sentence overshoots
        while words < target:
            sz, se = self.sentence()
            zh.append(sz)
            en = self.join(en, se)
            words = en.count(" ") + 1
        return "".join(zh), self.spoil(en)

    def sentence(self) -> tuple[str, str]:
        """One parallel sentence, possibly with a garbled quote or a ``. , Is`` split."""
        rng, p = self.rng, self.p
        sz, se = self.subject()
        if rng.random() < 0.3:
            oz, oe = rng.choice(OPENERS)
            sz, se = f"{oz}，{sz}", f"{oe}, {se}"
        if rng.random() < p.quote:
            qz, qe = rng.choice(QUOTED)
            quoted = f'the" {qe} "' if rng.random() < 0.7 else f'the "{qe}"'
            return f"{sz}与“{qz}”沿线国家开展合作。", f"{_cap(se)} cooperated with countries along {quoted}."
        tz, te = rng.choice(PREDICATES)
        oz, oe = rng.choice(OBJECTS)
        zh, en = f"{sz}{tz.format(oz)}", f"{_cap(se)} {te.format(oe)}"
        if rng.random() < p.is_split:
            wz, we = rng.choice(IS_WHAT)
            return f"{zh}，是{wz}。", f"{en}. , Is {we}."
        if rng.random() < 0.35:
            az, ae = rng.choice(TAILS)
            ae = _cap(ae) if rng.random() < p.comma_capital / 0.35 else ae
            return f"{zh}，{az}。", f"{en}, {ae}."
        return f"{zh}。", f"{en}."

    def subject(self) -> tuple[str, str]:
        """A subject; sometimes a glossary term, then sometimes in a forbidden rendering."""
        if self.glossary and self.rng.random() < self.p.glossary:
            zh, approved, forbidden = self.rng.choice(self.glossary)
            if forbidden and self.rng.random() < self.p.forbidden:
                return zh, self.rng.choice(forbidden)
            return zh, approved
        return self.rng.choice(SUBJECTS)

    def join(self, text: str, sentence: str) -> str:
        """Append a sentence: sometimes without a space (``initiative.Chinese``) or after a fragment."""
        if not text:
            return sentence
        if self.rng.random() < self.p.fragment and text.endswith("."):
            text = f"{text} {self.rng.choice(FRAGMENTS)}"
        if self.rng.random() < self.p.no_space and text.endswith("."):
            return text + sentence
        return f"{text} {sentence}"

    def spoil(self, en: str) -> str:
        """Line-level spacing and punctuation damage: doubled spaces, `` ,``, Chinese punctuation."""
        rng, p = self.rng, self.p
        if rng.random() < p.double_space:
            en = _at_random(rng, en, " ", "  ")
        if rng.random() < p.space_before:
            en = _at_random(rng, en, ",", " ,") if "," in en else en[:-1] + " " + en[-1]
        if rng.random() < p.zh_punct:
            choice = rng.randrange(3)
            if choice == 0 and ", " in en:
                en = _at_random(rng, en, ", ", "，")
            elif choice == 1:
                en = en[:-1] + "。" if en.endswith(".") else en + "。"
            else:
                en = f"{en} （Port）" if rng.random() < 0.5 else f"{en} See 《Blockchain White Paper》."
        return en


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _at_random(rng: random.Random, text: str, old: str, new: str) -> str:
    """Replace one occurrence of ``old``, chosen at random, by ``new``."""
    starts = [k for k in range(len(text)) if text.startswith(old, k)]
    if not starts:
        return text
    k = rng.choice(starts)
    return text[:k] + new + text[k + len(old):]


def generate(lines: int, **overrides) -> Corpus:
    """The corpus for these parameters, generated into ``bench/out/`` unless already cached.

    Files are written atomically, so an interrupted run never leaves a truncated cache entry.
    """
    from mtmend.corpus.outfile import open_output

    params = GenParams(lines=lines, **overrides)
    stem = OUT / f"zhen-{lines}-{params.key()}"
    corpus = Corpus(params, stem.with_suffix(".tsv"), stem.with_suffix(".en.txt"))
    if corpus.tsv.exists() and corpus.english.exists():
        return corpus
    OUT.mkdir(parents=True, exist_ok=True)
    gen = PairGenerator(params, load_glossary())
    with open_output(corpus.tsv) as tsv, open_output(corpus.english) as english:
        for zh, en in gen.lines():
            tsv.write(f"{zh}\t{en}\n")
            english.write(en + "\n")
    return corpus


def size_label(lines: int) -> str:
    """``10k``, ``1M``: sizes as people say them."""
    if lines >= 1_000_000 and lines % 1_000_000 == 0:
        return f"{lines // 1_000_000}M"
    if lines >= 1000 and lines % 1000 == 0:
        return f"{lines // 1000}k"
    return str(lines)


def parse_size(text: str) -> int:
    """Inverse of :func:`size_label`: ``10k`` → 10000, ``1M`` → 1000000, ``2500`` → 2500."""
    text = text.strip()
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale > 1 else text
    if not number.isdigit():
        raise ValueError(f"not a size: {text!r} (use e.g. 10k, 100k, 1M)")
    return int(number) * scale


# --- runner ----------------------------------------------------------------------


# Python children decode stdin as UTF-8 whatever the locale, as a user's UTF-8 terminal would.
CHILD_ENV = {**os.environ, "PYTHONUTF8": "1"}


def executable(name: str) -> str | None:
    """The venv's console script beside this interpreter, else one on PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


class ToolFailed(Exception):
    """A measured child process exited non-zero."""


@dataclass(frozen=True)
class Tool:
    """One command measured on one input; ``argv=None`` means unavailable, ``missing`` says why."""

    name: str
    operation: str
    argv: tuple[str, ...] | None
    input: Path | None
    units: int
    missing: str = ""
    group: str = ""


@dataclass(frozen=True)
class Sample:
    """One whole-process run: wall seconds and the child's peak resident set size in MB."""

    wall: float
    rss_mb: float
    cpu: float = 0.0  # user + system seconds of the child and the children it waited for (workers)


@dataclass(frozen=True)
class Result:
    tool: Tool
    samples: tuple[Sample, ...] = ()
    error: str = ""
    output_lines: int | None = None

    @property
    def ok(self) -> bool:
        return bool(self.samples) and not self.error

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)

    @property
    def throughput(self) -> float:
        return self.tool.units / self.wall

    @property
    def spread(self) -> float:
        """(slowest − fastest) / median, in %: how noisy the repeats were."""
        walls = [s.wall for s in self.samples]
        return 100 * (max(walls) - min(walls)) / self.wall


def measure(argv: Sequence[str], stdin: Path | None, stdout: Path | None = None) -> Sample:
    """Run one child to completion; wall time from spawn to reap, peak RSS from ``wait4``.

    ``ru_maxrss`` is the largest resident set of the child (or of any descendant it waited
    for), in KiB on Linux — for worker pools that is the largest single process, not the sum.
    Linux also records the memory the child shared with its parent before ``exec``, so call
    this from a small process (the bench scripts are): a fat parent inflates every figure.
    """
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    inp = stdin.open("rb") if stdin else subprocess.DEVNULL
    err_path = OUT / ".stderr"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with err_path.open("wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdin=inp, stdout=out, stderr=err, env=CHILD_ENV)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    finally:
        for handle in (out, inp):
            if handle is not subprocess.DEVNULL:
                handle.close()
    if proc.returncode != 0:
        tail = err_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] or ["no stderr"]
        raise ToolFailed(f"exit {proc.returncode}: {tail[0][:200]}")
    return Sample(wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def run_alternating(tools: Sequence[Tool], repeats: int, warmup: bool = True,
                    progress: bool = True) -> list[Result]:
    """Run every available tool ``repeats`` times, interleaved: A B C, B C A, C A B, …

    The first pass of each (untimed when ``warmup``) also counts its output lines, a
    cheap check that every tool really processed the whole input.
    """
    OUT.mkdir(parents=True, exist_ok=True)
    live = [t for t in tools if t.argv is not None]
    samples: dict[int, list[Sample]] = {id(t): [] for t in live}
    errors: dict[int, str] = {}
    lines: dict[int, int] = {}
    for k, tool in enumerate(live):
        target = OUT / f".run-{k}.out"
        try:
            sample = measure(tool.argv, tool.input, target)
            lines[id(tool)] = count_lines(target)
            if not warmup:
                samples[id(tool)].append(sample)
        except ToolFailed as exc:
            errors[id(tool)] = str(exc)
        target.unlink(missing_ok=True)
    runnable = [t for t in live if id(t) not in errors]
    for r in range(repeats - (0 if warmup else 1)):
        order = runnable[r % len(runnable):] + runnable[: r % len(runnable)] if runnable else []
        for tool in order:
            if id(tool) in errors:
                continue
            if progress:
                print(f"  run {r + 1}/{repeats}: {tool.name} ({tool.operation})", file=sys.stderr, flush=True)
            try:
                samples[id(tool)].append(measure(tool.argv, tool.input, OUT / ".run.out"))
            except ToolFailed as exc:
                errors[id(tool)] = str(exc)
    (OUT / ".run.out").unlink(missing_ok=True)
    results = []
    for tool in tools:
        if tool.argv is None:
            results.append(Result(tool, error=tool.missing or "missing"))
        else:
            results.append(Result(tool, tuple(samples[id(tool)]), errors.get(id(tool), ""), lines.get(id(tool))))
    return results


# --- printing --------------------------------------------------------------------


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: Sequence[int] = (0, 1, -1)) -> str:
    """Plain aligned table; columns in ``left`` (default: first two and last) left-aligned, others right."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lefts = {i % len(headers) for i in left}

    def fmt(row: Sequence[str]) -> str:
        cells = [str(c).ljust(w) if i in lefts else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        return "  ".join(cells).rstrip()

    return "\n".join([fmt(headers), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows])


def result_rows(results: Sequence[Result], reference: Result | None) -> list[list[str]]:
    """Table rows; ``mtmend ×`` is the reference's throughput ÷ this row's (> 1: the reference is faster).

    A tool that is missing or failed keeps its row, with the reason in the last column.
    """
    rows = []
    for res in results:
        head = [res.tool.name, res.tool.operation, f"{res.tool.units:,}"]
        if not res.ok:
            rows.append(head + ["–"] * 6 + [res.error or "missing"])
            continue
        ratio = f"{reference.throughput / res.throughput:.2f}×" if reference is not None and reference.ok else "n/a"
        out = f"{res.output_lines:,}" if res.output_lines is not None else "?"
        rows.append(head + [f"{res.wall:.3f}", f"{res.spread:.0f}%", f"{res.throughput:,.0f}",
                            f"{res.rss_mb:,.0f}", ratio, out, ""])
    return rows


TABLE_HEADERS = ("tool", "operation", "lines", "median s", "spread", "lines/s", "peak MB", "mtmend ×", "out lines",
                 "note")


def print_table(title: str, results: Sequence[Result], reference: Result | None,
                headers: Sequence[str] = TABLE_HEADERS) -> None:
    """Print a titled result table; ``headers`` lets other benchmarks rename units (``units/s``)."""
    print(f"\n{title}")
    print(format_table(headers, result_rows(results, reference)))


def machine_note(own_load: float = 0.0) -> str:
    """CPUs and load average: a loaded machine makes every figure noisier (see the spread column).

    ``own_load`` is what the benchmark itself adds (about 1–2 right after ``-j 2`` runs).
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    busy = load - own_load > 0.5 * cpus
    warn = "  WARNING: machine busy, figures will be noisy" if busy else ""
    return f"python {sys.version.split()[0]}, {cpus} CPUs, load average {load:.2f}{warn}"
