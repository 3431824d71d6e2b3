"""``mtmend status``: per-document segment counts by status and open issues."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

from mtmend.cli.common import format_table, open_workspace


def register(sub) -> None:
    p = sub.add_parser(
        "status",
        help="per document: segments, raw / auto-fixed / reviewed, open issues",
        description="Print one row per document: segments, how many are raw, auto-fixed and "
        "reviewed, and open issues (suggestions and flags awaiting a decision).",
    )
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="table for people, json for scripts (default: table)")
    p.set_defaults(run=run)


def run(args) -> int:
    with open_workspace(args) as ws:
        rows = ws.status()
    if args.format == "json":
        json.dump([asdict(r) for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    headers = ("document", "segments", "raw", "auto_fixed", "reviewed", "open_issues")
    table = [tuple(getattr(r, h) for h in headers) for r in rows]
    if len(rows) > 1:
        table.append(("total", *(sum(getattr(r, h) for r in rows) for h in headers[1:])))
    print(format_table(headers, table))
    return 0
