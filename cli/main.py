"""The ``mtmend`` command: argument parsing, dispatch, and turning errors into exit codes.

Each subcommand lives in its own module ``mtmend.cli.cmd_<name>`` with ``register``
(adds its parser) and ``run`` (does the work, returns an exit code). Heavy libraries are
imported inside ``run`` so ``mtmend --help`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys

from mtmend.corpus.version import mtmend_version

# The subcommands, in the order ``mtmend --help`` lists them.
COMMANDS = (
    "import",
    "align",
    "status",
    "export",
    "clean",
    "rules",
    "tmx",
    "score",
    "progress",
    "report",
    "mqm",
    "review",
    "segment",
)

EPILOG = """\
workspace: -w/--workspace DIR (before or after the command), else $MTMEND_WORKSPACE, else the current directory.
exit codes: 0 success; 1 failure or findings (e.g. validation errors); 2 bad input or usage;
3 workspace problem (missing, locked, too new, damaged); 4 not found; 5 conflict with existing work;
6 partial: done except for documents a reviewer holds (listed; run again later, or use --wait);
130 interrupted; 141 output pipe closed.
"""


class _Parser(argparse.ArgumentParser):
    """argparse with a "did you mean" for a mistyped command, action or choice."""

    def error(self, message: str):
        import difflib
        import re

        found = re.match(r"argument .*?: invalid choice: '(.*?)' \(choose from (.*)\)$", message)
        if found:
            choices = re.findall(r"'([^']*)'", found.group(2))
            close = difflib.get_close_matches(found.group(1), choices, n=1, cutoff=0.6)
            if close:
                message = f"{message}; did you mean {close[0]!r}?"
        super().error(message)


def _add_global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """-w/--workspace, accepted before the command and after it (``mtmend status -w ws``).

    After the command its default is SUPPRESS, so a value given before the command is kept.
    """
    parser.add_argument(
        "-w", "--workspace", metavar="DIR", **({} if top else {"default": argparse.SUPPRESS}),
        help="workspace folder (default: $MTMEND_WORKSPACE, else the current directory)",
    )


def _subparsers(parser: argparse.ArgumentParser):
    """Every subcommand parser below ``parser`` (commands and their actions)."""
    for action in parser._actions:  # argparse has no public way to list subparsers
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield child
                yield from _subparsers(child)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mtmend",
        description="Post-edit Chinese→English machine translation: an aligned zh–en workspace, "
        "rule-based repair, interactive review, TMX exchange and quality scores.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_global_options(parser, top=True)
    parser.add_argument("--version", action="version", version=f"%(prog)s {mtmend_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"mtmend.cli.cmd_{name}").register(sub)
    for child in _subparsers(parser):
        _add_global_options(child, top=False)
    return parser




def main(argv: list[str] | None = None) -> int:
    import sqlite3

    from mtmend.cli.visible import visible
    from mtmend.corpus.errors import MtmendError

    _tolerant_messages()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except MtmendError as exc:
        print(f"mtmend: error: {visible(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.DatabaseError as exc:
        # Raised mid-query by a damaged page: the workspace, not the user's command, is at fault.
        from mtmend.corpus.store import damaged_workspace

        error = damaged_workspace(getattr(args, "workspace", None), exc)
        print(f"mtmend: error: {visible(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("mtmend: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`mtmend … | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as exc:
        # Disk full, permission denied on an output file…: a user-level problem.
        name = f"{exc.filename}: " if exc.filename else ""
        print(f"mtmend: error: {visible(name)}{exc.strerror or exc}", file=sys.stderr)
        return 1


def _tolerant_messages() -> None:
    """Messages never fail on a character the terminal's encoding lacks (PYTHONIOENCODING=ascii):
    they are escaped instead. Data on standard output is UTF-8 regardless (outfile.data_stdout)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, io.UnsupportedOperation):
            continue


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
