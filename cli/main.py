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
)

EPILOG = """\
workspace: -w/--workspace DIR, else $MTMEND_WORKSPACE, else the current directory.
exit codes: 0 success; 1 failure or findings (e.g. validation errors); 2 bad input or usage;
3 workspace problem (missing, locked, too new, damaged); 4 not found; 5 conflict with existing work;
6 partial: done except for documents a reviewer holds (listed; run again later, or use --wait);
130 interrupted; 141 output pipe closed.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mtmend",
        description="Post-edit Chinese→English machine translation: an aligned zh–en workspace, "
        "rule-based repair, interactive review, TMX exchange and quality scores.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-w", "--workspace", metavar="DIR",
        help="workspace folder (default: $MTMEND_WORKSPACE, else the current directory)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {mtmend_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"mtmend.cli.cmd_{name}").register(sub)
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
