"""The command line: help everywhere, the align command, packaging hygiene."""

from __future__ import annotations

import argparse
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT, SAMPLES
from mtmend.cli.main import COMMANDS, build_parser


def test_top_level_help_lists_every_command(cli):
    with pytest.raises(SystemExit) as exit_info:
        cli("--help")
    assert exit_info.value.code == 0


def _subparsers(parser, prefix=()):
    """Every (command path, parser) pair, nested subcommands included."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name), sub
                yield from _subparsers(sub, (*prefix, name))


ALL_COMMANDS = [path for path, _ in _subparsers(build_parser())]


def test_nested_commands_are_found():
    assert ("tmx", "validate") in ALL_COMMANDS and ("mqm", "score") in ALL_COMMANDS
    assert {path[0] for path in ALL_COMMANDS} == set(COMMANDS)


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=" ".join)
def test_every_command_explains_itself(path, capsys):
    parser = build_parser()
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args([*path, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert f"mtmend {' '.join(path)}" in text
    # A description beyond the usage line, and every option documented.
    sub = dict(_subparsers(parser))[path]
    assert sub.description and len(sub.description) > 40
    for action in sub._actions:
        assert action.help, f"{path}: option {action.option_strings or action.dest} has no help"


def test_top_level_help_mentions_each_command(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    text = capsys.readouterr().out
    for command in COMMANDS:
        assert command in text


def test_align_presplit_prints_beads(tmp_path, cli):
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("会议于12月5日在海口开幕。\n论坛由海南省主办。\n这是全球首个区块链部长级论坛。\n", encoding="utf-8")
    en.write_text(
        "The meeting opened in Haikou on December 5.\n"
        "The forum was hosted by Hainan Province.\n"
        "It is the world's first blockchain ministerial forum.\n",
        encoding="utf-8",
    )
    code, out, _ = cli("align", "--presplit", zh, en)
    assert code == 0
    assert out.splitlines() == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]


def test_align_needs_no_workspace_and_rejects_swapped_files(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("align", "--presplit", SAMPLES / "000_46a1daae881aeae4.txt", SAMPLES / "000_46a1daae881aeae4.zh.txt")
    assert code == 2 and "swapped" in err
    assert not (tmp_path / "mtmend.db").exists()


def test_status_without_workspace_is_a_clear_error(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MTMEND_WORKSPACE", raising=False)
    code, _, err = cli("status")
    assert code == 3 and "no workspace" in err and "mtmend import" in err


def test_workspace_from_environment(sample_workspace, cli, monkeypatch):
    monkeypatch.setenv("MTMEND_WORKSPACE", str(sample_workspace))
    code, out, _ = cli("status")
    assert code == 0 and "000_46a1daae881aeae4" in out


def test_wheel_installs_only_under_the_mtmend_namespace(tmp_path):
    """PyPI has unrelated `tmx`, `corpus` and `cleaner` packages: never shadow them."""
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("mtmend-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert top == {"mtmend"}
    for package in ("corpus", "tmx", "cleaner", "review", "cli"):
        assert f"mtmend/{package}/__init__.py" in names
    assert "mtmend/corpus/samples/000_46a1daae881aeae4.txt" in names
