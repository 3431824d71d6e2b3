"""Reading user files in the encodings mtmend accepts (writing them: :mod:`mtmend.corpus.outfile`)."""

from __future__ import annotations

import codecs
import os
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from mtmend.corpus.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, name: str) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030.

    Raises :class:`InputError` naming ``name`` for binary data or any other encoding.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), name)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid {encoding} after its byte-order mark ({exc.reason})") from exc
    if b"\x00" in data:
        raise InputError(f"{name}: looks binary (NUL bytes); expected UTF-8, UTF-16 with BOM or GB18030 text")
    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8, UTF-16 (with BOM) or GB18030 text; convert it to UTF-8 "
            f"(e.g. iconv -f ENCODING -t UTF-8)"
        ) from exc
    return _check_text(text, name)


def _check_text(text: str, name: str) -> str:
    # Control characters other than tab/newline/CR mean binary data, or a wrong guess.
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if bad and bad * 100 > len(text):
        raise InputError(f"{name}: looks binary ({bad} control characters); expected a text file")
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL characters; expected a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_input(path: Path | str, expected: str = "a text file", limit: int = -1) -> bytes:
    """A user's file as bytes (at most ``limit``), with one-line errors for the usual mistakes."""
    try:
        with open(path, "rb") as handle:
            return handle.read(limit)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory, expected {expected}") from exc
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc


def iter_lines(path: Path | str) -> Iterator[str]:
    """A user's text file line by line (without line ends), never held in memory whole.

    UTF-8 (with or without BOM) is streamed; a file whose first 64 KiB are UTF-16 with
    BOM, GB18030, not UTF-8 or old Mac line ends is decoded whole by :func:`decode`, as
    :func:`read_text` does. Invalid UTF-8 further on raises :class:`InputError` naming the line.
    """
    head = read_input(path, limit=1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or not _utf8_prefix(head) or (b"\r" in head and b"\n" not in head):
        yield from read_text(path).splitlines()
        return
    if not head.strip():
        raise InputError(f"{path}: is empty; nothing to read")
    with open(path, "rb") as handle:
        yield from utf8_lines(handle, lambda number: f"{path}:{number}")


def utf8_lines(
    stream: IO[bytes], where: Callable[[int], str], max_bytes: int = 0, keep_ends: bool = False
) -> Iterator[str]:
    """Decode a UTF-8 byte stream line by line, without line ends (a leading BOM dropped).

    With ``keep_ends`` each line keeps its own ending (``\\n``, ``\\r\\n``, or none on a last
    line without one), so a filter can give every line back exactly as it came.

    Raises :class:`InputError` for invalid UTF-8, NUL bytes and (with ``max_bytes``) lines
    longer than that, each message starting with ``where(line number)``.
    """
    number = 0
    while True:
        raw = stream.readline(max_bytes + 1) if max_bytes else stream.readline()
        if not raw:
            return
        number += 1
        if max_bytes and len(raw) > max_bytes and not raw.endswith(b"\n"):
            raise InputError(
                f"{where(number)}: longer than {max_bytes:,} bytes; expected text with one paragraph or segment "
                "per line (is this a binary or minified file?)"
            )
        if b"\x00" in raw:
            raise InputError(f"{where(number)}: contains NUL bytes; expected UTF-8 text (is this a binary file?)")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{where(number)}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1}); "
                "convert it first, e.g. iconv -f GB18030 -t UTF-8"
            ) from None
        if number == 1 and line.startswith("\ufeff"):
            line = line[1:]
        yield line if keep_ends else line.rstrip("\r\n")


def _utf8_prefix(data: bytes) -> bool:
    """Whether ``data`` is UTF-8, allowing a character cut off at its end."""
    for cut in range(4):
        try:
            data[: len(data) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def read_text(path: Path | str) -> str:
    """Read and decode a user's text file, with one-line errors for the usual mistakes."""
    text = decode(read_input(path), str(path))
    if not text.strip():
        raise InputError(f"{path}: is empty; nothing to import")
    return text


def cjk_share(text: str) -> float:
    """Share of CJK ideographs among the letters of ``text`` (0.0 when it has none)."""
    cjk = latin = 0
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff":
            cjk += 1
        elif ch.isalpha():
            latin += 1
    total = cjk + latin
    return cjk / total if total else 0.0


def atomic_output(path: Path | str, mode: str = "w", encoding: str | None = "utf-8"):
    """Kept for callers of the old name: :func:`mtmend.corpus.outfile.open_output`."""
    from mtmend.corpus.outfile import open_output

    return open_output(path, binary="b" in mode, encoding=encoding or "utf-8")
