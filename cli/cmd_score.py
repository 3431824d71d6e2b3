"""``mtmend score``: BLEU / chrF++ / TER (with sacrebleu signatures) and MQM, now."""

from __future__ import annotations

import json
import sys

from mtmend.cli.common import format_table, info, open_workspace

LEVELS = ("corpus", "document", "segment")


def register(sub) -> None:
    from mtmend.corpus.mqm import PROFILES

    p = sub.add_parser(
        "score",
        help="print the current BLEU/chrF++/TER (with signatures) and MQM, and record a score pass",
        description="Score the workspace (or the named documents) now. Metrics, from sacrebleu: raw MT vs "
        "reference and current target vs reference (when references were imported), post-editing effort "
        "(raw MT vs current target, HTER-style) and HTER on reviewed segments; every score is printed "
        "with sacrebleu's signature. MQM: errors found in the raw MT (applied and open annotations) and "
        "those remaining in the target (open ones), mean per segment, plus penalty per 1,000 words. "
        "The figures are stored as a 'score' pass, so `mtmend progress` shows them.",
    )
    p.add_argument("documents", nargs="*", metavar="DOC", help="documents to score (default: all)")
    p.add_argument("--level", choices=LEVELS, default="document",
                   help="corpus totals only, per document plus totals, or per segment (default: document)")
    p.add_argument("--weights", choices=[pr.name for pr in PROFILES], default=PROFILES[0].name,
                   help=f"MQM weighting profile (default: {PROFILES[0].name})")
    p.add_argument("--mqm-by", choices=("document", "system"), default="document",
                   help="MQM rows per document, or per system (imported MQM files; other documents "
                   "count as system 'mt') (default: document)")
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="table for people, json for scripts (default: table)")
    p.add_argument("-j", "--workers", type=int, default=1, metavar="N",
                   help="worker processes for the metrics, worth it for large corpora (default: 1)")
    p.add_argument("--no-record", action="store_true",
                   help="do not store the figures as a pass (default: record a 'score' pass)")
    p.set_defaults(run=run)


def run(args) -> int:
    from mtmend.corpus import mqm, mqm_scoring, progress, workspace_scoring
    from mtmend.corpus.errors import InputError

    if args.workers < 1:
        raise InputError(f"--workers must be at least 1, got {args.workers}")
    with open_workspace(args) as ws:
        docs = ws.select_documents(args.documents)
        if not docs:
            raise InputError("nothing to score: the workspace has no documents (mtmend import first)")
        if args.level == "segment":
            return _segments(ws, docs, args.format)
        results = workspace_scoring.score_workspace(ws, docs, workers=args.workers)
        weights = mqm.profile(args.weights)
        found = mqm_scoring.workspace_scores(ws, docs, weights, by=args.mqm_by)
        remaining = mqm_scoring.workspace_scores(ws, docs, weights, by=args.mqm_by, remaining=True)
        if not args.no_record:
            with ws.transaction():
                pass_id = progress.begin_pass(ws, "score", " ".join(["mtmend score", *args.documents]))
            progress.end_pass(ws, pass_id, {"documents": [d.name for d in docs]})
    if args.format == "json":
        data = {
            "metrics": [
                {"comparison": r.comparison.key, "label": r.comparison.label, "segments": r.segments,
                 "scores": [s.as_dict() for s in r.corpus],
                 "documents": [{"document": d.document, "segments": d.segments,
                                "scores": [s.as_dict() for s in d.scores]} for d in r.documents]}
                for r in results
            ],
            "mqm": {"signature": weights.signature, "found": [s.as_dict() for s in found],
                    "remaining": [s.as_dict() for s in remaining]},
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(metrics_table(results, per_document=args.level == "document"))
    print()
    print(mqm_table(found, remaining, per_document=args.level == "document", unit=args.mqm_by))
    print(f"MQM: {weights.signature}")
    if not args.no_record:
        info("recorded as a 'score' pass (see mtmend progress)")
    return 0


def metrics_table(results, *, per_document: bool) -> str:
    """One row per comparison (and document): segments and the three metrics; then signatures."""
    if not results:
        return "metrics: nothing to compare (no segments)"
    names = [s.metric for s in results[0].corpus]
    rows = []
    for r in results:
        if per_document and len(r.documents) > 1:
            rows += [(r.comparison.key, d.document, d.segments, *(s.score for s in d.scores)) for d in r.documents]
        rows.append((r.comparison.key, "total" if len(r.documents) > 1 else r.documents[0].document,
                     r.segments, *(s.score for s in r.corpus)))
    lines = [format_table(("comparison", "document", "segments", *names), rows), ""]
    lines += [f"{r.comparison.key}: {r.comparison.label}" for r in results]
    signatures = {s.metric: s.signature for r in results for s in r.corpus}
    lines += [f"{name}|{sig}" for name, sig in signatures.items()]
    return "\n".join(lines)


def mqm_table(found, remaining, *, per_document: bool, unit: str = "document") -> str:
    """MQM per document: mean per segment of errors found and remaining, per 1,000 words."""
    rows = []
    left = {s.name: s for s in remaining}
    for s in found:
        rest = left[s.name]
        rows.append((s.name, s.segments, s.words, f"{s.score:.3f}", f"{rest.score:.3f}", f"{rest.per_1000:.2f}"))
    if len(rows) > 1:
        segs, words = sum(s.segments for s in found), sum(s.words for s in found)
        pen_f, pen_r = sum(s.penalty for s in found), sum(s.penalty for s in remaining)
        total = ("total", segs, words, f"{pen_f / segs if segs else 0.0:.3f}",
                 f"{pen_r / segs if segs else 0.0:.3f}", f"{pen_r * 1000 / words if words else 0.0:.2f}")
        rows = [*rows, total] if per_document else [total]
    headers = (unit, "segments", "words", "MQM found", "MQM remaining", "remaining/1k words")
    return format_table(headers, rows)


def _segments(ws, docs, fmt: str) -> int:
    """Sentence-level scores, one row per segment and comparison (not recorded as a pass)."""
    from mtmend.corpus import scoring

    lang = scoring.target_language(docs)
    rows = []
    for doc in docs:
        for seg in ws.segments(doc.id):
            fields = {"mt": seg.mt, "target": seg.target, "reference": seg.reference}
            for comp in scoring.COMPARISONS:
                hyp, ref = fields[comp.hyp], fields[comp.ref]
                if hyp is None or ref is None or (comp.reviewed_only and seg.status.value != "reviewed"):
                    continue
                scores = scoring.sentence_scores(hyp, ref, target_lang=lang)
                rows.append((doc.name, seg.position + 1, comp.key, scores))
    if fmt == "json":
        json.dump([{"document": d, "segment": p, "comparison": c, "scores": [s.as_dict() for s in sc]}
                   for d, p, c, sc in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("metrics: nothing to compare (no segments)")
        return 0
    names = [s.metric for s in rows[0][3]]
    print(format_table(("document", "segment", "comparison", *names),
                       [(d, p, c, *(s.score for s in sc)) for d, p, c, sc in rows]))
    for s in rows[0][3]:
        print(f"{s.metric}|{s.signature}")
    return 0
