"""mtmend's private per-user cache: a directory only its owner can use, and checked files in it.

Derived data that is slow to build (jieba's prefix dictionary, the CC-CEDICT index) is
kept in ``$XDG_CACHE_HOME/mtmend`` (``~/.cache/mtmend`` when the variable is unset or
not an absolute path, as the XDG spec says). The directory is created ``0700``; one
owned by someone else, or a symlink, is not used at all (a planted cache could change
what the aligner and the glossary match), and one of ours that others can enter is
tightened back to ``0700``.

A cache file starts with a magic line, its *key*, and the length and CRC-32 of its
payload (the check of gzip and PNG, twenty times cheaper here than a SHA-256, which
would cost more than the load it guards; ownership, not the checksum, is the trust
boundary). The key names everything the payload was built from (data version, mtmend
version, builder), so a stale file is refused exactly as a truncated or corrupt one is,
and either is rebuilt. A file is also refused when it is not a regular file we own that
nobody else may write. Caching
is an optimisation: when the directory cannot be created or written (a read-only home,
a full disk) everything still works, only slower.
"""

from __future__ import annotations

import os
import stat
import struct
import tempfile
import zlib
from pathlib import Path

__all__ = ["cache_dir", "load", "store"]

_APP = "mtmend"
_MAGIC = b"mtmend-cache-2\n"
_SIZES = struct.Struct("<IQI")  # key length, payload length, payload CRC-32


def cache_dir() -> Path | None:
    """The private cache directory, created ``0700`` if missing; ``None`` when unusable."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path(os.path.expanduser("~")) / ".cache"
    if not root.is_absolute():  # no home directory at all: no cache, rather than one in the cwd
        return None
    path = root / _APP
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        pass  # read-only or missing parent: an existing directory may still be readable
    return path if _private_dir(path) else None


def _private_dir(path: Path) -> bool:
    """Whether ``path`` is a real directory we own, tightened to 0700 if it was looser."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        return False
    if info.st_mode & 0o077:
        try:
            os.chmod(path, 0o700)
        except OSError:
            return False
    return True


def _header(key: str, payload: bytes) -> bytes:
    encoded = key.encode("utf-8")
    return _MAGIC + _SIZES.pack(len(encoded), len(payload), zlib.crc32(payload)) + encoded


def load(name: str, key: str) -> memoryview | None:
    """The payload of cache file ``name`` if it was stored under ``key`` and is intact.

    ``None`` for a missing, foreign-owned, group/world-writable, corrupt or stale file.
    """
    folder = cache_dir()
    if folder is None:
        return None
    try:
        fd = os.open(folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            return None
        data = handle.read()
    encoded = key.encode("utf-8")
    start = len(_MAGIC) + _SIZES.size + len(encoded)
    if len(data) < start or not data.startswith(_MAGIC):
        return None
    key_size, size, crc = _SIZES.unpack_from(data, len(_MAGIC))
    if key_size != len(encoded) or data[start - len(encoded) : start] != encoded or len(data) - start != size:
        return None  # stale (built from something else) or truncated
    payload = memoryview(data)[start:]  # no copy of a many-megabyte payload
    return payload if zlib.crc32(payload) == crc else None


def store(name: str, key: str, payload: bytes) -> bool:
    """Write cache file ``name`` atomically (readers see the old file or the new one).

    Returns False, writing nothing, when the cache directory is missing or read-only.
    """
    folder = cache_dir()
    if folder is None:
        return False
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")  # created 0600
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_header(key, payload))
            handle.write(payload)
        os.replace(tmp, folder / name)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
    return True
