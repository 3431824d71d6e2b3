"""The private cache: 0700 per-user directory, checked files, rebuilt when corrupt or stale,
never trusted when someone else owns it, and everything still works when it is read-only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from mtmend.corpus import cache, dictionary, zhsegment

PLANTED = "我来到北京清华大学"


@pytest.fixture
def xdg(tmp_path, monkeypatch) -> Path:
    """A fresh XDG_CACHE_HOME, and jieba/CC-CEDICT reloaded from it on next use."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    zhsegment._shared.cache_clear()
    dictionary._dictionary.cache_clear()
    yield tmp_path / "xdg"
    zhsegment._shared.cache_clear()
    dictionary._dictionary.cache_clear()


@pytest.fixture(scope="session")
def built_caches(tmp_path_factory) -> dict[str, bytes]:
    """Both cache files as a fresh cache directory gets them (built once per session)."""
    folder = tmp_path_factory.mktemp("xdg")
    done = subprocess.run(
        [sys.executable, "-c", "from mtmend.corpus import zhsegment, dictionary; "
         "zhsegment.words('你好'); dictionary.zh_units('你好')"],
        env=dict(os.environ, XDG_CACHE_HOME=str(folder)), capture_output=True, text=True, check=True,
    )
    assert done.stderr == ""
    return {p.name: p.read_bytes() for p in (folder / "mtmend").iterdir()}


@pytest.fixture
def prebuilt(xdg, built_caches) -> Path:
    """The cache directory of ``xdg``, holding the session's built cache files."""
    folder = cache.cache_dir()
    for name, data in built_caches.items():
        assert cache_write(folder / name, data)
    return folder


def cache_write(path: Path, data: bytes) -> bool:
    path.write_bytes(data)
    os.chmod(path, 0o600)
    return True


def _plant_jieba_cache(folder: Path) -> None:
    """A well-formed jieba cache whose dictionary makes the whole planted sentence one word."""
    from mtmend.corpus.wordtable import WordTable
    import marshal

    freq = {PLANTED[:k]: 0 for k in range(1, len(PLANTED))} | {PLANTED: 10**9}
    table = WordTable.from_items(freq.items(), numeric=True)
    assert cache.store(zhsegment._CACHE_NAME, zhsegment._cache_key(), marshal.dumps((10**9, table.to_bytes())))


def test_cache_dir_is_created_private_under_xdg_cache_home(xdg):
    folder = cache.cache_dir()
    assert folder == xdg / "mtmend"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_relative_xdg_cache_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert cache.cache_dir() == tmp_path / ".cache" / "mtmend"
    assert not (tmp_path / "relative").exists()


def test_our_loose_cache_dir_is_tightened(xdg):
    (xdg / "mtmend").mkdir(parents=True, mode=0o777)
    os.chmod(xdg / "mtmend", 0o777)
    assert cache.cache_dir() == xdg / "mtmend"
    assert stat.S_IMODE((xdg / "mtmend").stat().st_mode) == 0o700


def test_symlinked_cache_dir_is_not_used(xdg, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    xdg.mkdir()
    (xdg / "mtmend").symlink_to(tmp_path / "elsewhere")
    assert cache.cache_dir() is None
    assert cache.store("x.bin", "k", b"data") is False
    assert not list((tmp_path / "elsewhere").iterdir())


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[:-1], id="truncated"),
        pytest.param(lambda b: b[:-5] + bytes([b[-5] ^ 1]) + b[-4:], id="bit-flip"),
        pytest.param(lambda b: b"x" + b[1:], id="bad-magic"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: b + b"\0", id="trailing-byte"),
    ],
)
def test_damaged_cache_file_is_refused(xdg, damage):
    assert cache.store("t.bin", "key", b"payload " * 100)
    path = cache.cache_dir() / "t.bin"
    path.write_bytes(damage(path.read_bytes()))
    assert cache.load("t.bin", "key") is None


def test_cache_file_is_stale_under_another_key(xdg):
    assert cache.store("t.bin", "built from version 1", b"payload")
    assert bytes(cache.load("t.bin", "built from version 1")) == b"payload"
    assert cache.load("t.bin", "built from version 2") is None


def test_cache_file_others_may_write_is_refused(xdg):
    assert cache.store("t.bin", "key", b"payload")
    path = cache.cache_dir() / "t.bin"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    os.chmod(path, 0o666)
    assert cache.load("t.bin", "key") is None


def test_corrupt_jieba_cache_is_rebuilt(prebuilt, built_caches):
    path = prebuilt / zhsegment._CACHE_NAME
    good = built_caches[zhsegment._CACHE_NAME]
    expected = zhsegment.words(PLANTED)
    zhsegment._shared.cache_clear()
    path.write_bytes(good[: len(good) // 2] + bytes([good[len(good) // 2] ^ 0xFF]) + good[len(good) // 2 + 1 :])
    zhsegment._shared.cache_clear()
    assert zhsegment.words(PLANTED) == expected
    assert path.read_bytes() == good  # rewritten as built


def test_planted_cache_of_another_user_is_ignored(prebuilt, xdg, monkeypatch):
    expected = zhsegment.words(PLANTED)
    zhsegment._shared.cache_clear()
    _plant_jieba_cache(prebuilt)
    assert zhsegment.words(PLANTED) == [PLANTED]  # ours: trusted, the planted word wins
    zhsegment._shared.cache_clear()
    if os.geteuid() == 0:  # root can hand the directory to someone else for real
        os.chown(xdg / "mtmend", 65534, 65534)
    else:
        monkeypatch.setattr(os, "geteuid", lambda real=os.geteuid(): real + 1)
    assert cache.cache_dir() is None
    assert zhsegment.words(PLANTED) == expected


def test_unusable_cache_location_still_works(prebuilt, tmp_path, monkeypatch):
    expected = zhsegment.words(PLANTED)
    zhsegment._shared.cache_clear()
    (tmp_path / "file").write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file" / "cache"))
    assert cache.cache_dir() is None
    assert zhsegment.words(PLANTED) == expected


def test_read_only_cache_dir_still_works(prebuilt, monkeypatch):
    """A 0500 cache dir without the jieba cache: built in memory, nothing written, all works."""
    folder = prebuilt
    (folder / zhsegment._CACHE_NAME).unlink()
    os.chmod(folder, 0o500)
    if os.geteuid() == 0:  # permissions do not bind root: fail creation as a read-only dir does
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        assert cache.store("t.bin", "key", b"payload") is False
        zhsegment._shared.cache_clear()
        assert zhsegment.words(PLANTED) == ["我", "来到", "北京", "清华大学"]
        assert sorted(p.name for p in folder.iterdir()) == [dictionary._INDEX_NAME]
    finally:
        os.chmod(folder, 0o700)


def test_cli_align_rebuilds_a_corrupt_dictionary_index_quietly(prebuilt, built_caches, tmp_path):
    """A corrupt CC-CEDICT index is rebuilt as built fresh; no run prints anything but beads."""
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("你好。\n谢谢你的帮助！\n", encoding="utf-8")
    en.write_text("Hello.\nThanks for your help!\n", encoding="utf-8")
    index = prebuilt / dictionary._INDEX_NAME
    good = built_caches[dictionary._INDEX_NAME]
    index.write_bytes(good[:1000] + b"\xff" * 64 + good[1064:])
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "mtmend.cli.main", "align", "--presplit", str(zh), str(en)],
            capture_output=True, text=True, env=dict(os.environ), check=False,
        )
        assert (done.returncode, done.stdout, done.stderr) == (0, "[0]:[0]\n[1]:[1]\n", "")
        assert index.read_bytes() == good


def test_no_home_directory_means_no_cache_not_one_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # what it returns when no home is known
    monkeypatch.chdir(tmp_path)
    assert cache.cache_dir() is None
    assert list(tmp_path.iterdir()) == []
