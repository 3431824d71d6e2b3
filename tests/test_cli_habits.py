"""CLI habits: global options after the command, "did you mean", no workspace left by a failed import."""

from __future__ import annotations

import json

import pytest

from conftest import SAMPLE_DOCS, SAMPLES

DOC = SAMPLE_DOCS[0]


def _status(cli, *argv: str) -> list[dict]:
    code, out, err = cli(*argv)
    assert code == 0, err
    return json.loads(out)


def test_workspace_option_after_the_command(cli, sample_workspace, tmp_path):
    before = _status(cli, "-w", sample_workspace, "status", "--format", "json")
    after = _status(cli, "status", "-w", sample_workspace, "--format", "json")
    assert after == before and {d["document"] for d in after} == set(SAMPLE_DOCS)
    # Given twice, the one after the command wins (it is the nearer, more specific one).
    assert _status(cli, "-w", tmp_path / "none", "status", "--workspace", sample_workspace, "--format", "json") == before
    code, _, err = cli("tmx", "validate", "-w", sample_workspace, SAMPLES / f"{DOC}.txt")
    assert code != 0 and "Traceback" not in err  # parsed (a text file is no TMX), not refused as usage


@pytest.mark.parametrize(("argv", "suggestion"), [
    (("stauts",), "did you mean 'status'?"),
    (("tmx", "valdate", "x.tmx"), "did you mean 'validate'?"),
    (("status", "--format", "jsno"), "did you mean 'json'?"),
])
def test_mistyped_words_get_a_suggestion(cli, capsys, argv, suggestion):
    with pytest.raises(SystemExit) as exit_info:
        cli(*argv)
    assert exit_info.value.code == 2
    assert suggestion in capsys.readouterr().err


def test_nothing_close_gets_no_suggestion(cli, capsys):
    with pytest.raises(SystemExit):
        cli("zzzzzz")
    assert "did you mean" not in capsys.readouterr().err


def test_mistyped_document_name_gets_a_suggestion(cli, sample_workspace):
    code, _, err = cli("-w", sample_workspace, "export", "-o", "-", DOC[:-1] + "5")
    assert code == 4 and f"did you mean {DOC!r}?" in err and len(err.strip().splitlines()) == 1


def test_failed_import_leaves_no_workspace(cli, tmp_path):
    ws = tmp_path / "new-ws"
    swapped = (SAMPLES / f"{DOC}.txt", SAMPLES / f"{DOC}.zh.txt")
    code, _, err = cli("import", *swapped, "-w", ws)
    assert code == 2 and "swapped" in err
    assert not ws.exists()
    ws.mkdir()  # an existing empty folder stays, without a database in it
    assert cli("import", *swapped, "-w", ws)[0] == 2
    assert ws.is_dir() and list(ws.iterdir()) == []


def test_failed_import_keeps_an_existing_workspace(cli, sample_workspace):
    before = _status(cli, "status", "-w", sample_workspace, "--format", "json")
    code, _, _ = cli("import", SAMPLES / f"{DOC}.txt", SAMPLES / f"{DOC}.zh.txt", "-w", sample_workspace)
    assert code == 2
    assert _status(cli, "status", "-w", sample_workspace, "--format", "json") == before
