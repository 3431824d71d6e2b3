"""The LQA part of the HTML report, and the error list as TSV (Marot's layout) or JSON.

The HTML puts the verdict first (corpus and per document, green *pass* or red *fail*),
then the error list with one filter per column that people filter by (document,
category, severity, state, author). The filters are a few lines of inline script (no
file or network is loaded); the page's address can preset them
(``report.html#severity=Major&state=suggested``). Without script every error is shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from html import escape

from mtmend.corpus.lqa import FIELDS, ErrorRow, PassDecisions, Verdict

CSS = """
.verdict{display:inline-block;padding:.4em .9em;border-radius:4px;font-weight:bold;color:#fff;margin:.3em 0}
.verdict.pass{background:#1a7f37}.verdict.fail{background:#cf222e}
td.pass{color:#1a7f37;font-weight:bold}td.fail{color:#cf222e;font-weight:bold}
table.errors{width:100%;table-layout:fixed}table.errors th{background:#fde8c8}
table.errors td{vertical-align:top;font-size:13px;overflow-wrap:anywhere}
.filters label{margin-right:1em}.filters select{max-width:16em}
"""
FILTERS = (("document", "document"), ("category", "category"), ("severity", "severity"), ("state", "state"),
           ("author", "author"))
_SCRIPT = """(function(){
var selects=document.querySelectorAll('select[data-filter]'),rows=document.querySelectorAll('tr.err');
var shown=document.getElementById('err-shown');
function apply(){var want={},n=0;selects.forEach(function(s){if(s.value!=='')want[s.dataset.filter]=s.value;});
rows.forEach(function(r){var ok=true;for(var k in want){if(r.dataset[k]!==want[k])ok=false;}r.hidden=!ok;if(ok)n++;});
shown.textContent=String(n);}
var preset=new URLSearchParams(location.hash.slice(1));
selects.forEach(function(s){var v=preset.get(s.dataset.filter);
if(v!==null&&Array.prototype.some.call(s.options,function(o){return o.value===v;}))s.value=v;
s.addEventListener('change',apply);});apply();})();"""


def verdict_section(per_doc: Sequence[Verdict], corpus: Verdict, profile: str) -> str:
    """The verdict badge and the per-document table."""
    word = "PASS" if corpus.passed else "FAIL"
    badge = (f'<p class="verdict {"pass" if corpus.passed else "fail"}" id="verdict">Corpus: {word} — quality '
             f"{corpus.quality:.2f} {'≥' if corpus.passed else '<'} {corpus.threshold:g} "
             f"({corpus.remaining_per_1000:.2f} penalty per 1,000 words remaining, "
             f"{corpus.found_per_1000:.2f} found in the MT, {corpus.words} words)</p>")
    rows = "".join(
        f"<tr><td>{escape(v.name)}</td><td class=\"n\">{v.words}</td><td class=\"n\">{v.found_per_1000:.2f}</td>"
        f"<td class=\"n\">{v.remaining_per_1000:.2f}</td><td class=\"n\">{v.quality:.2f}</td>"
        f"<td class=\"{'pass' if v.passed else 'fail'}\">{'pass' if v.passed else 'fail'}</td></tr>"
        for v in per_doc
    )
    head = "".join(f"<th>{h}</th>" for h in ("document", "words", "penalty/1,000 words found",
                                              "penalty/1,000 words remaining", "quality", f"≥ {corpus.threshold:g}"))
    return (f"<h2>LQA verdict</h2>{badge}"
            f'<p class="muted">MQM Core: quality = 100 − penalty per 1,000 words of the errors still in the '
            f"target (open suggestions and flags); weights {escape(profile)}.</p>"
            f'<table class="verdicts"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')


def error_section(rows: Iterable[ErrorRow]) -> str:
    """The filterable error list."""
    values: dict[str, set[str]] = {key: set() for key, _ in FILTERS}
    body, count = [], 0
    for r in rows:
        count += 1
        cells = {"document": r.document, "category": r.category, "severity": r.severity, "state": r.state,
                 "author": r.author}
        for key, value in cells.items():
            values[key].add(value)
        data = " ".join(f'data-{k}="{escape(v)}"' for k, v in cells.items())
        change = escape(r.before) + (f" → {escape(r.after)}" if r.after is not None else " (flagged)")
        body.append(
            f'<tr class="err" {data}><td>{escape(r.document)}</td><td class="n">{r.segment}</td>'
            f"<td>{escape(r.category)}</td><td>{escape(r.severity)}</td><td>{escape(r.state)}</td>"
            f"<td>{escape(r.author)} <span class=\"muted\">({escape(r.author_kind)})</span></td>"
            f'<td lang="zh">{escape(r.source)}</td><td lang="en">{escape(r.target)}</td>'
            f"<td>{change}</td><td>{escape(r.comment)}</td></tr>"
        )
    selects = "".join(
        f'<label>{label} <select data-filter="{key}"><option value="">all</option>'
        + "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in sorted(values[key]))
        + "</select></label>"
        for key, label in FILTERS
    )
    head = "".join(f"<th>{h}</th>" for h in ("document", "seg.", "category", "severity", "state", "who",
                                              "source", "target", "span → correction", "comment"))
    cols = "".join(f'<col style="width:{w}%">' for w in (10, 5, 10, 6, 7, 10, 16, 18, 11, 7))
    return (f'<h2 id="errors">Error list</h2><form class="filters">{selects}</form>'
            f'<p><span id="err-shown">{count}</span> of {count} errors shown</p>'
            f'<table class="errors"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>'
            f"<script>{_SCRIPT}</script>")


def decisions_table(rows: Sequence[PassDecisions]) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("pass", "kind", "finished", "who / what ran", "accept", "reject",
                                              "edit", "annotate", "confirm"))
    body = "".join(
        f"<tr><td class=\"n\">{p.pass_id}</td><td>{escape(p.kind)}</td><td>{escape(p.finished or '')}</td>"
        f"<td>{escape(p.who)}</td>" + "".join(f'<td class="n">{n}</td>' for n in (p.accept, p.reject, p.edit,
                                                                               p.annotate, p.confirm)) + "</tr>"
        for p in rows
    )
    return f'<table class="passes"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def tsv_lines(rows: Iterable[ErrorRow]) -> Iterator[str]:
    """The error list in the MQM/Marot TSV layout: system ``mt``, one row per error, the rest in ``metadata``.

    Marot reads ``system doc docSegId globalSegId rater source target category severity
    metadata``; the span is marked ``<v>…</v>`` in the target where it is still found.
    """
    from mtmend.corpus import mqm
    from mtmend.corpus.edits import find_span

    yield "\t".join(mqm.default_header(metadata=True)) + "\n"
    n, last = 0, None
    for r in rows:
        if (r.document, r.segment) != last:  # globalSegId numbers segments, not rows
            n, last = n + 1, (r.document, r.segment)
        marked = r.after if r.state == "applied" and r.after else r.before  # what the target holds now
        span = find_span(r.target, 0, 0, marked) if marked else None
        target = mqm.mark(r.target, *span) if span else r.target
        meta = json.dumps({"state": r.state, "author_kind": r.author_kind, "before": r.before, "correction": r.after,
                           "note": r.comment, "pass": r.pass_id}, ensure_ascii=False)
        fields = ["mt", r.document, str(r.segment), str(n), r.author, r.source, target, r.category, r.severity, meta]
        yield "\t".join(_flat(f) for f in fields) + "\n"


def _flat(text: str) -> str:
    """TSV has no quoting: tabs and line breaks inside a field become spaces."""
    return text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def json_text(rows: Iterable[ErrorRow], per_doc: Sequence[Verdict], corpus: Verdict) -> Iterator[str]:
    """The error list and the verdicts as one JSON document, streamed row by row."""
    yield '{"fields": ' + json.dumps(list(FIELDS)) + ', "errors": ['
    for n, r in enumerate(rows):
        yield ("," if n else "") + "\n  " + json.dumps(r.as_dict(), ensure_ascii=False)
    yield '\n], "verdicts": ' + json.dumps([v.as_dict() for v in per_doc], ensure_ascii=False)
    yield ', "corpus": ' + json.dumps(corpus.as_dict(), ensure_ascii=False) + "}\n"
