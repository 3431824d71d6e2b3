"""``mtmend rules``: the registry of repair rules, as a table or as the docs page."""

from __future__ import annotations

from mtmend.cli.common import format_table, output


def register(sub) -> None:
    p = sub.add_parser(
        "rules",
        help="list the repair rules (id, MQM category, severity, auto/suggest, description)",
        description="List the repair rules in the order they run. table: one line per rule; markdown: the "
        "rules reference page (docs/rules.md is generated with: mtmend rules --format markdown > docs/rules.md).",
    )
    p.add_argument("--format", choices=("table", "markdown"), default="table", help="output format (default: table)")
    p.set_defaults(run=run)


def run(args) -> int:
    from mtmend.cleaner.docs import rules_markdown
    from mtmend.cleaner.rules import RULES

    with output("-") as out:
        if args.format == "markdown":
            out.write(rules_markdown())
        else:
            rows = [(r.id, r.category, r.severity.value, r.mode, r.title) for r in RULES]
            out.write(format_table(("rule", "category", "severity", "mode", "description"), rows) + "\n")
    return 0
