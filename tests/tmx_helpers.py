"""Helpers for the TMX tests: building small workspaces from real text, the shared DTD."""

from __future__ import annotations

from pathlib import Path

from mtmend.corpus.model import Status
from mtmend.corpus.store import NewSegment, Workspace

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"


def shared_dtd():
    """The TMX 1.4b DTD from ../shared/data (the reference, not the packaged copy)."""
    from lxml import etree

    import pytest

    dtd = SHARED / "tmx" / "tmx14.dtd"
    if not dtd.is_file():
        pytest.skip("TMX DTD not available: ../shared/data ships only with dev/CI checkouts")
    return etree.DTD(str(dtd))


def assert_dtd_valid(path: Path) -> None:
    from lxml import etree

    dtd = shared_dtd()
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    ok = dtd.validate(tree)
    assert ok, f"{path} is not DTD-valid: {dtd.error_log.filter_from_errors()[:3]}"


def workspace_with(folder: Path, rows: list[tuple[str, str]], *, name: str = "doc",
                   status: Status = Status.RAW) -> Workspace:
    """A workspace with one document whose segments are the (zh, en) ``rows``."""
    ws = Workspace.open(folder, create=True)
    with ws.transaction():
        ws.add_document(name, [NewSegment(para=i, source=zh, mt=en, status=status) for i, (zh, en) in enumerate(rows)])
    return ws
