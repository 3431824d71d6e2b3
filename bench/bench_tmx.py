"""TMX export and import at scale: mtmend vs bare lxml streaming vs translate-toolkit.

Usage: python bench/bench_tmx.py [--units 10000,100000,1000000] [--repeat 3] [--ttk-max 100000] [--quick]

Every measurement runs in its own child process (so one run's memory never inflates
another's); a small wrapper process starts it and reads its peak RSS with
``resource.getrusage(RUSAGE_CHILDREN)``. Inputs are generated deterministically (seeded)
from realistic zh–en news sentences. Tools alternate inside each repetition; the table
shows the median time, throughput, peak RSS, and mtmend's time ratio to each peer.

The peers get the same content per unit as mtmend's clean export: a ``tuid``, the three
props (``x-mtmend-document``, ``-position``, ``-status``) and two ``tuv``s. The bare lxml
writer produces a byte-identical file with lxml's documented streaming idiom (nested
``xmlfile.element``); the bare lxml reader extracts the same fields (tuid, line, props,
each tuv's language and text) with ``iterparse`` on ``tu``, clearing each unit and
deleting its predecessors.

Operations:
  write  — stream N units to a TMX file (mtmend: ``tmx.writer.write_tmx`` building the
           clean export's units; lxml: bare ``xmlfile``; ttk: ``tmxfile.addtranslation`` + save)
  read   — parse that file back to units (mtmend: ``tmx.reader`` + the importer's language
           rule; lxml: bare ``iterparse``; ttk: ``tmxfile``)
  import — mtmend only: ``mtmend import FILE.tmx`` into a fresh workspace (SQLite included,
           and the pass snapshot of ``corpus.progress.end_pass``)
  import-nosnap — the same import with the pass snapshot left out (``progress.record_snapshot``
           replaced by a no-op in that child): the TMX import's own cost
  export — mtmend only: ``mtmend export -o FILE.tmx`` (clean) from the imported workspace
translate-toolkit keeps whole trees in memory (~4 KB per unit), so it runs only up to
``--ttk-max`` units.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ZH = ["海南自由贸易港数字经济与区块链国际合作论坛在海口开幕", "区块链技术的应用将给人类经济社会发展带来颠覆性变革",
      "杭州提出打造全球金融科技中心", "数字经济打破了国与国之间的边界", "很多部门已经开始做规划",
      "本次论坛由海南省工业和信息化厅主办", "我们聚焦金融与科技的结合", "巴林正从传统的产油国向数字经济转型"]
EN = ["the Hainan Free Trade Port Digital Economy and Blockchain International Cooperation Forum opened in Haikou",
      "the application of blockchain technology will bring disruptive changes to economic and social development",
      "Hangzhou proposed to build a \"Global Financial Technology Center\"", "the digital economy breaks the borders",
      "many departments have already started planning", "the forum was hosted by the Department of Industry & IT",
      "we focus on the combination of finance and technology", "Bahrain is transforming from an oil-producing country"]
XL = "xml:lang"
XML_LANG_NS = "{http://www.w3.org/XML/1998/namespace}lang"
DOCUMENT, POSITION, STATUS = "x-mtmend-document", "x-mtmend-position", "x-mtmend-status"
HEADER = {"creationtool": "mtmend", "creationtoolversion": "bench", "segtype": "sentence", "o-tmf": "mtmend",
          "adminlang": "en-US", "srclang": "zh-CN", "datatype": "plaintext"}


def pairs(n: int):
    """``n`` deterministic (zh, en) pairs, about 25 English words each, all distinct."""
    rng = random.Random(20240301)
    for i in range(n):
        a, b = rng.randrange(len(ZH)), rng.randrange(len(ZH))
        yield f"{ZH[a]}，{ZH[b]}。（{i}）", f"{EN[a].capitalize()}, and {EN[b]} <{i}>."


# ----------------------------------------------------------------- child tasks

def write_mtmend(n: int, path: str) -> None:
    from mtmend.tmx.model import Header, Prop, Unit, Variant
    from mtmend.tmx.writer import write_tmx

    document, status = Prop(DOCUMENT, "bench"), Prop(STATUS, "raw")  # shared, as the export shares them

    def units():
        for i, (zh, en) in enumerate(pairs(n)):
            yield Unit((Variant("zh-CN", zh), Variant("en-US", en)),
                       (document, Prop(POSITION, str(i)), status), (), f"bench:{i}")

    header = Header(srclang="zh-CN", segtype="sentence", creationtool="mtmend", creationtoolversion="bench",
                    datatype="plaintext", adminlang="en-US", o_tmf="mtmend")
    with open(path, "wb") as out:
        write_tmx(out, header, units())


def write_lxml(n: int, path: str) -> None:
    """The same units as :func:`write_mtmend` (tuid, the three clean-export props, two
    tuvs), written with the streaming idiom of lxml's documentation: nested ``element``."""
    from lxml import etree

    with etree.xmlfile(path, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n", etree.Element("header", HEADER), "\n")
            with xf.element("body"):
                xf.write("\n")
                for i, (zh, en) in enumerate(pairs(n)):
                    with xf.element("tu", tuid=f"bench:{i}"):
                        for kind, value in ((DOCUMENT, "bench"), (POSITION, str(i)), (STATUS, "raw")):
                            with xf.element("prop", type=kind):
                                xf.write(value)
                        with xf.element("tuv", {XL: "zh-CN"}):
                            with xf.element("seg"):
                                xf.write(zh)
                        with xf.element("tuv", {XL: "en-US"}):
                            with xf.element("seg"):
                                xf.write(en)
                    xf.write("\n")
            xf.write("\n")


def write_ttk(n: int, path: str) -> None:
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage="zh-CN", targetlanguage="en-US")
    for zh, en in pairs(n):
        store.addtranslation(zh, "zh-CN", en, "en-US")
    with open(path, "wb") as out:
        store.serialize(out)


def read_mtmend(n: int, path: str) -> None:
    from mtmend.tmx.langs import pick
    from mtmend.tmx.reader import read_tmx

    count = 0
    with read_tmx(path) as tmx:
        for unit in tmx.units():
            source, _ = pick(unit.variants, "zh-CN")
            target, _ = pick(unit.variants, "en-US")
            count += bool(source and target)
    _check(count, n)


def read_lxml(n: int, path: str) -> None:
    """What :func:`read_mtmend` gets from each unit (tuid, line, props, each tuv's
    language and text), with bare ``iterparse`` clearing elements as lxml's FAQ shows."""
    from lxml import etree

    count = 0
    for _, tu in etree.iterparse(path, events=("end",), tag="tu", resolve_entities=False, no_network=True):
        props = [(p.get("type"), p.text) for p in tu.iterchildren("prop")]
        variants = {tuv.get(XML_LANG_NS): tuv.findtext("seg") for tuv in tu.iterchildren("tuv")}
        unit = (tu.get("tuid"), tu.sourceline, props, variants)
        count += bool(unit[3].get("zh-CN") and unit[3].get("en-US"))
        tu.clear(keep_tail=False)
        while tu.getprevious() is not None:
            del tu.getparent()[0]
    _check(count, n)


def read_ttk(n: int, path: str) -> None:
    from translate.storage.tmx import tmxfile

    with open(path, "rb") as handle:
        store = tmxfile(handle)
    _check(sum(1 for u in store.units if u.source and u.target), n)


def import_mtmend(n: int, path: str) -> None:
    from mtmend.cli.main import main

    folder = tempfile.mkdtemp(prefix="bench-ws-")
    if main(["-w", folder, "import", path]) != 0:
        raise SystemExit("import failed")
    Path(path + ".ws").write_text(folder)


def import_nosnap_mtmend(n: int, path: str) -> None:
    from mtmend.corpus import progress
    from mtmend.corpus.store import Workspace
    from mtmend.tmx.importing import import_tmx

    progress.record_snapshot = lambda ws, pass_ids: None
    with Workspace.open(tempfile.mkdtemp(prefix="bench-ws-"), create=True) as ws:
        _check(import_tmx(ws, path).new_segments, n)


def export_mtmend(n: int, path: str) -> None:
    from mtmend.cli.main import main

    folder = Path(path + ".ws").read_text()
    if main(["-w", folder, "export", "-o", path + ".out.tmx"]) != 0:
        raise SystemExit("export failed")


def _check(count: int, n: int) -> None:
    if count != n:
        raise SystemExit(f"read {count} units, expected {n}")


TASKS = {
    ("write", "mtmend"): write_mtmend, ("write", "lxml"): write_lxml, ("write", "ttk"): write_ttk,
    ("read", "mtmend"): read_mtmend, ("read", "lxml"): read_lxml, ("read", "ttk"): read_ttk,
    ("import", "mtmend"): import_mtmend, ("import-nosnap", "mtmend"): import_nosnap_mtmend,
    ("export", "mtmend"): export_mtmend,
}


# -------------------------------------------------------------- measuring

def measure(op: str, tool: str, n: int, path: str) -> dict:
    """Run one task in a wrapper → child pair; the wrapper reads the child's peak RSS."""
    out = subprocess.run([sys.executable, __file__, "--wrap", op, tool, str(n), path],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def wrap(op: str, tool: str, n: int, path: str) -> None:
    child = subprocess.run([sys.executable, __file__, "--child", op, tool, str(n), path],
                           capture_output=True, text=True, check=False)
    if child.returncode != 0:
        sys.stderr.write(child.stderr)
        raise SystemExit(1)
    seconds = float(child.stdout.strip().splitlines()[-1])
    rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB
    print(json.dumps({"seconds": seconds, "rss_mb": rss_kb / 1024}))


def child(op: str, tool: str, n: int, path: str) -> None:
    task = TASKS[(op, tool)]
    start = time.perf_counter()
    task(n, path)
    print(time.perf_counter() - start)


def run(sizes: list[int], repeat: int, ttk_max: int) -> None:
    have_ttk = True
    try:
        import translate.storage.tmx  # noqa: F401
    except ImportError:
        have_ttk = False
        print("translate-toolkit: missing (pip install -e '.[bench]'); its rows are skipped", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-tmx-") as tmp:
        for n in sizes:
            tools = ["mtmend", "lxml"] + (["ttk"] if have_ttk and n <= ttk_max else [])
            results: dict[tuple[str, str], list[dict]] = {}
            for _ in range(repeat):
                for tool in tools:  # alternate tools inside each repetition
                    path = str(Path(tmp) / f"{tool}-{n}.tmx")
                    results.setdefault(("write", tool), []).append(measure("write", tool, n, path))
                    source = str(Path(tmp) / f"mtmend-{n}.tmx") if tool != "mtmend" else path
                    results.setdefault(("read", tool), []).append(measure("read", tool, n, source))
                mtmend_file = str(Path(tmp) / f"mtmend-{n}.tmx")
                results.setdefault(("import", "mtmend"), []).append(measure("import", "mtmend", n, mtmend_file))
                results.setdefault(("export", "mtmend"), []).append(measure("export", "mtmend", n, mtmend_file))
                results.setdefault(("import-nosnap", "mtmend"), []).append(
                    measure("import-nosnap", "mtmend", n, mtmend_file))
            for (op, tool), runs in results.items():
                good = [r for r in runs if "error" not in r]
                if not good:
                    rows.append((n, op, tool, None, None, None, runs[0]["error"]))
                    continue
                seconds = statistics.median(r["seconds"] for r in good)
                rss = max(r["rss_mb"] for r in good)
                rows.append((n, op, tool, seconds, n / seconds, rss, ""))
            if have_ttk and n > ttk_max:
                rows.append((n, "write/read", "ttk", None, None, None, f"not run above --ttk-max {ttk_max}"))
    _table(rows)
    _summary(rows)


def _table(rows) -> None:
    mt = {(n, op): s for n, op, tool, s, *_ in rows if tool == "mtmend" and s}
    print(f"{'units':>9}  {'op':<13} {'tool':<7} {'median s':>9} {'units/s':>9} {'peak MB':>8}  {'mtmend time ÷ this':>18}  note")
    for n, op, tool, seconds, rate, rss, note in rows:
        if seconds is None:
            print(f"{n:>9}  {op:<13} {tool:<7} {'-':>9} {'-':>9} {'-':>8}  {'-':>18}  {note}")
            continue
        ratio = mt.get((n, op), 0) / seconds if tool != "mtmend" and (n, op) in mt else None
        shown = f"{ratio:.2f}" if ratio else ""
        print(f"{n:>9}  {op:<13} {tool:<7} {seconds:>9.2f} {rate:>9,.0f} {rss:>8.0f}  {shown:>18}  {note}")


def _summary(rows) -> None:
    """Linearity (throughput per size, spread) and the issue's targets at the largest size."""
    measured = [r for r in rows if r[3] is not None]
    sizes = sorted({r[0] for r in measured})
    rate = {(n, op, tool): units_s for n, op, tool, _, units_s, _, _ in measured}
    secs = {(n, op, tool): seconds for n, op, tool, seconds, *_ in measured}
    print(f"\nLinearity: units/s at {', '.join(f'{n:,}' for n in sizes)}, then the marginal units/s from one size "
          "to the next (extra units ÷ extra seconds: the cost of each further unit, whatever a run pays once, "
          "such as imports); linear cost means marginal figures within 20% of each other")
    for op, tool in dict.fromkeys((op, tool) for _, op, tool, *_ in measured):
        have = [n for n in sizes if (n, op, tool) in rate]
        marginal = [(b - a) / (secs[(b, op, tool)] - secs[(a, op, tool)]) for a, b in zip(have, have[1:])
                    if secs[(b, op, tool)] > secs[(a, op, tool)]]
        spread = f"   marginal spread {100 * (max(marginal) - min(marginal)) / max(marginal):.0f}%" if len(marginal) > 1 else ""
        print(f"  {op:<13} {tool:<7} " + "  ".join(f"{rate[(n, op, tool)]:>9,.0f}" for n in have)
              + ("   marginal " + " / ".join(f"{m:,.0f}" for m in marginal) if marginal else "") + spread)
    largest = sizes[-1] if sizes else None
    print(f"\nTargets at {largest:,} units:" if largest else "\nTargets: nothing measured")
    for op in ("write", "read"):
        for peer, target in (("lxml", "mtmend time ≤ 1.5× bare lxml streaming"), ("ttk", "mtmend ≥ 2× translate-toolkit")):
            n = max((m for m in sizes if (m, op, peer) in rate and (m, op, "mtmend") in rate), default=None)
            if n is None:
                print(f"  {op}: {target}: n/a (not measured)")
                continue
            ratio = rate[(n, op, "mtmend")] / rate[(n, op, peer)]  # throughput ratio = inverse time ratio
            ok = ratio >= (1 / 1.5 if peer == "lxml" else 2.0)
            print(f"  {op}: {target} at {n:,}: mtmend {ratio:.2f}× the {peer} throughput ({'OK' if ok else 'NOT MET'})")
    for n, op, tool, _, _, rss, _ in measured:
        if n == largest and tool == "mtmend":
            print(f"  {op} peak memory under 100 MB: {rss:.0f} MB ({'OK' if rss < 100 else 'NOT MET'})")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("--wrap", "--child"):
        op, tool, n, path = argv[1], argv[2], int(argv[3]), argv[4]
        (wrap if argv[0] == "--wrap" else child)(op, tool, n, path)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", default="10000,100000,1000000",
                        help="comma-separated unit counts (default: 10000,100000,1000000)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement, median shown (default: 3)")
    parser.add_argument("--ttk-max", type=int, default=100000,
                        help="largest unit count translate-toolkit runs at (default: 100000)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 2,000 and 10,000 units, one repetition (default: off)")
    args = parser.parse_args(argv)
    if args.quick:
        args.units, args.repeat = "2000,10000", 1
    run([int(x) for x in args.units.split(",")], args.repeat, args.ttk_max)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("MTMEND_BUSY_TIMEOUT", "60")
    sys.exit(main())
