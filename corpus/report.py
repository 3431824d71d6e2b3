"""A self-contained HTML report: the LQA verdict and error list, tables and inline SVG charts.

Everything the page needs (CSS, charts, the few lines of script that filter the error
list) is inside the one file, so it opens offline and can be mailed; nothing is loaded
from a file or the network. Reading only: the report takes a fresh snapshot without
recording it. The LQA parts are :mod:`mtmend.corpus.report_lqa`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from mtmend.corpus.model import Pass
from mtmend.corpus import lqa, report_lqa
from mtmend.corpus import mqm as mqm_model
from mtmend.corpus.progress import take_snapshot
from mtmend.corpus.snapshot import Snapshot
from mtmend.corpus.store import Workspace, now

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}th,td{padding:.2em .6em;border-bottom:1px solid #eee}
th{text-align:left;background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:flex;flex-wrap:wrap;gap:1em}.chart{border:1px solid #ddd;background:#fff}
.sig{font:12px monospace;color:#555}.muted{color:#777}
"""
_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], css: str = "") -> str:
    """An HTML table; numbers right-aligned."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="n">{_fmt(v)}</td>' if isinstance(v, (int, float)) else f"<td>{escape(_fmt(v))}</td>"
            for v in row
        ) + "</tr>"
        for row in rows
    )
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def line_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[float | None]],
               width: int = 520, height: int = 220) -> str:
    """An SVG line chart of one or more series over passes (gaps where a value is missing)."""
    left, right, top, bottom = 48, 40, 28, 36
    values = [v for vs in series.values() for v in vs if v is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    low = min(low, 0.0)
    high = high if high > low else low + 1.0
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / (n - 1) if n > 1 else 0.5)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - low) / (high - low))

    parts = [f'<text x="{width / 2}" y="18" text-anchor="middle" font-weight="bold">{escape(title)}</text>',
             f'<line x1="{left}" y1="{y(low)}" x2="{width - right}" y2="{y(low)}" stroke="#999"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{y(low)}" stroke="#999"/>',
             f'<text x="{left - 4}" y="{y(high) + 4}" text-anchor="end" font-size="11">{high:.3g}</text>',
             f'<text x="{left - 4}" y="{y(low) + 4}" text-anchor="end" font-size="11">{low:.3g}</text>']
    for i, label in enumerate(labels):
        parts.append(f'<text x="{x(i)}" y="{height - bottom + 14}" text-anchor="middle" font-size="10">{escape(label)}</text>')
    for k, (name, vs) in enumerate(series.items()):
        color = _COLORS[k % len(_COLORS)]
        points = [(x(i), y(v)) for i, v in enumerate(vs) if v is not None]
        if len(points) > 1:
            coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline class="series" fill="none" stroke="{color}" stroke-width="2" points="{coords}"/>')
        parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{color}"/>' for px, py in points]
        parts.append(f'<text x="{left + 8 + 130 * k}" y="{height - 6}" font-size="11" fill="{color}">■ {escape(name)}</text>')
    return (f'<svg class="chart" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>')


def bar_chart(title: str, items: Sequence[tuple[str, dict[str, int]]], width: int = 700) -> str:
    """Horizontal stacked bars: one bar per label, one colour per key (e.g. annotation state)."""
    keys = sorted({k for _, parts in items for k in parts})
    total = max((sum(parts.values()) for _, parts in items), default=1) or 1
    label_w, row_h, top = 260, 20, 28
    height = top + row_h * len(items) + 30
    out = [f'<text x="{width / 2}" y="18" text-anchor="middle" font-weight="bold">{escape(title)}</text>']
    for i, (label, parts) in enumerate(items):
        y0, x0 = top + i * row_h, float(label_w)
        out.append(f'<text x="{label_w - 6}" y="{y0 + 14}" text-anchor="end" font-size="11">{escape(label)}</text>')
        for k in keys:
            w = (width - label_w - 50) * parts.get(k, 0) / total
            if w > 0:
                color = _COLORS[keys.index(k) % len(_COLORS)]
                out.append(f'<rect class="bar" x="{x0:.1f}" y="{y0 + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{color}"/>')
                x0 += w
        out.append(f'<text x="{x0 + 4:.1f}" y="{y0 + 14}" font-size="11">{sum(parts.values())}</text>')
    for j, k in enumerate(keys):
        out.append(f'<text x="{label_w + 110 * j}" y="{height - 8}" font-size="11" fill="{_COLORS[j % len(_COLORS)]}">■ {escape(k)}</text>')
    return (f'<svg class="chart" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(out)}</svg>')


def _category_counts(ws: Workspace) -> list[tuple[str, dict[str, int]]]:
    out: dict[str, dict[str, int]] = {}
    for category, state, n in ws.category_state_counts():
        out.setdefault(category, {})[state] = n
    return sorted(out.items(), key=lambda kv: -sum(kv[1].values()))


def _document_rows(snap: Snapshot) -> tuple[list[str], list[list]]:
    """The documents table of a snapshot: statuses, open issues, MQM, then each comparison's scores."""
    comps = list(snap.metrics)
    rows = []
    for name, entry in snap.documents.items():
        segs = entry.segments
        found, remaining = snap.mqm_scores(name)
        row = [name, sum(segs.values()), segs.get("raw", 0), segs.get("auto_fixed", 0), segs.get("reviewed", 0),
               entry.open_issues, found, remaining]
        for comp in comps:
            d = snap.metrics[comp].documents.get(name)
            row += [None] * 3 if d is None else [s.score for s in d[1]]
        rows.append(row)
    metric_heads = [f"{c} {s.metric}" for c in comps for s in snap.metrics[c].scores]
    headers = ["document", "segments", "raw", "auto-fixed", "reviewed", "open issues", "MQM found", "MQM remaining", *metric_heads]
    return headers, rows


def _charts(passes: Sequence[Pass]) -> list[str]:
    """Figures over passes, one line chart each (target vs reference only when references exist)."""
    labels = [f"{p.id} {p.kind}" for p in passes]

    def series(get) -> list[float | None]:
        return [get(p.snapshot) for p in passes]

    def metric(comp: str, prefix: str):
        return lambda s: s.metric(comp, prefix)

    charts = [
        line_chart("Open issues and segments reviewed", labels, {
            "open issues": series(lambda s: s.open_issues),
            "reviewed": series(lambda s: s.segments.get("reviewed", 0)),
        }),
        line_chart("MQM per segment (lower is better)", labels, {
            "found in MT": series(lambda s: s.mqm_scores()[0]),
            "remaining": series(lambda s: s.mqm_scores()[1]),
        }),
        line_chart("Post-editing effort (TER, raw MT vs target)", labels, {
            "effort TER": series(metric("effort", "TER")), "HTER (reviewed)": series(metric("hter", "TER")),
        }),
    ]
    if any(v is not None for v in series(metric("target_ref", "BLEU"))):
        charts.append(line_chart("Target vs reference", labels, {
            "BLEU": series(metric("target_ref", "BLEU")), "chrF++": series(metric("target_ref", "chrF")),
            "TER": series(metric("target_ref", "TER")),
        }))
    return charts


def render(ws: Workspace, title: str = "mtmend report", threshold: float | None = None) -> str:
    """The whole page as a string; ``threshold`` is the MQM Core quality pass mark (default 90)."""
    snap = take_snapshot(ws)
    passes = [p for p in ws.passes() if p.finished and p.snapshot is not None]
    headers, doc_rows = _document_rows(snap)
    documents = ws.documents()
    per_doc, corpus = lqa.verdicts(ws, documents, mqm_model.DEFAULT_THRESHOLD if threshold is None else threshold)
    signatures = sorted({f"{s.metric}|{s.signature}" for m in snap.metrics.values() for s in m.scores})
    if snap.mqm is not None and snap.mqm.signature:
        signatures.append(snap.mqm.signature)
    cats = _category_counts(ws)
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">Workspace {escape(str(ws.folder))} — generated {escape(now())} — {len(passes)} passes</p>',
        report_lqa.verdict_section(per_doc, corpus, mqm_model.PROFILES[0].name),
        "<h2>Documents</h2>", table(headers, doc_rows, "documents"),
        report_lqa.error_section(lqa.error_rows(ws, documents)),
        "<h2>Figures over passes</h2>",
        '<div class="charts">' + "".join(_charts(passes)) + "</div>" if passes else "<p>No passes recorded yet.</p>",
        "<h2>What each pass decided</h2>", report_lqa.decisions_table(lqa.pass_decisions(ws)),
        "<h2>Annotations by category</h2>",
        bar_chart("Annotations by category and state", cats) if cats else "<p>No annotations yet.</p>",
        "<h2>Signatures</h2>", "".join(f'<p class="sig">{escape(s)}</p>' for s in signatures),
    ]
    if snap.metrics_skipped is not None:
        body.append(f'<p class="muted">Metrics left out: {escape(snap.metrics_skipped)}</p>')
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{_CSS}{report_lqa.CSS}</style></head><body>{''.join(body)}</body></html>\n")
