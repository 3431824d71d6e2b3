"""Reading user files in the encodings mtmend accepts (writing them: :mod:`mtmend.corpus.outfile`)."""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mtmend.corpus.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Whole-file reads stop here unless the caller allows more (a text article is far smaller;
# /dev/zero or a disk image is not a text file).
MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded text file and the encoding that was used (``guessed``: chosen by mtmend, not by a BOM or UTF-8)."""

    text: str
    encoding: str
    guessed: bool = False


def decode(data: bytes, name: str, *, chinese: bool = False, encoding: str | None = None) -> str:
    """Decode a text file by :func:`decode_text`'s rule and return the text."""
    return decode_text(data, name, chinese=chinese, encoding=encoding).text


def decode_text(data: bytes, name: str, *, chinese: bool = False, encoding: str | None = None) -> Decoded:
    """Decode a text file: UTF-8 (with or without BOM) or UTF-16 with BOM; anything else needs ``encoding``
    (which applies only to a file that is not UTF-8: valid UTF-8 is never meant as Latin-1).

    Only a Chinese file (``chinese``) that is not UTF-8 is tried as GB18030, and the result says
    so (``guessed``): for English text that guess turns Latin-1 ``Zürich`` into ``Z黵ich``.
    Raises :class:`InputError` naming ``name`` for binary data or an encoding it cannot use.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(_check_text(data.decode(codec), name), codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid {codec} after its byte-order mark ({exc.reason})") from exc
    if b"\x00" in data:
        raise InputError(f"{name}: looks binary (NUL bytes); expected UTF-8 or UTF-16 (with BOM) text")
    try:
        return Decoded(_check_text(data.decode("utf-8"), name), "utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start
    if encoding:
        return Decoded(_check_text(_decode_as(data, name, encoding), name), encoding)
    if chinese:
        try:
            return Decoded(_check_text(data.decode("gb18030"), name), "gb18030", guessed=True)
        except UnicodeDecodeError:
            pass
    raise InputError(
        f"{name}: not UTF-8 (byte 0x{data[at]:02x} at offset {at}) and has no UTF-16 byte-order mark; "
        "give its encoding with --encoding (e.g. --encoding latin-1 or gb18030) or convert it to UTF-8"
    )


def _decode_as(data: bytes, name: str, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise InputError(f"--encoding {encoding}: unknown encoding") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def _check_text(text: str, name: str) -> str:
    # Control characters other than tab/newline/CR mean binary data, or a wrong guess.
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if bad and bad * 100 > len(text):
        raise InputError(f"{name}: looks binary ({bad} control characters); expected a text file")
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL characters; expected a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_input(path: Path | str, expected: str = "a text file", limit: int = -1,
               max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """A user's file as bytes (its first ``limit`` bytes, or all of it up to ``max_bytes``).

    One-line errors for the usual mistakes, and for a file (or device, or pipe) larger than
    ``max_bytes``: refused, never read until memory runs out.
    """
    try:
        with open(path, "rb") as handle:
            if limit >= 0:
                return handle.read(limit)
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory, expected {expected}") from exc
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc
    if len(data) > max_bytes:
        raise InputError(f"{path}: larger than {max_bytes:,} bytes; expected {expected} "
                         "(raise the limit with --max-file-bytes if it really is one)")
    return data


MAX_LINE_BYTES = 64 * 1024 * 1024


def iter_lines(path: Path | str, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[str]:
    """A user's zh-en text file (MQM, glossary) line by line (without line ends), never held in memory whole.

    Such files carry a Chinese side, so one that is not UTF-8 may be GB18030 (see :func:`decode_text`).
    UTF-8 (with or without BOM) is streamed; a file whose first 64 KiB are UTF-16 with
    BOM, GB18030, not UTF-8 or old Mac line ends is decoded whole by :func:`decode`, as
    :func:`read_text` does. Invalid UTF-8 further on raises :class:`InputError` naming the line.
    """
    head = read_input(path, limit=1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or not _utf8_prefix(head) or (b"\r" in head and b"\n" not in head):
        yield from read_text(path, chinese=True).splitlines()
        return
    if not head.strip():
        raise InputError(f"{path}: is empty; nothing to read")
    with open(path, "rb") as handle:
        yield from utf8_lines(handle, lambda number: f"{path}:{number}", max_line_bytes)


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


def read_text(path: Path | str, *, chinese: bool = False, encoding: str | None = None,
              max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read and decode a user's text file, with one-line errors for the usual mistakes."""
    return read_decoded(path, chinese=chinese, encoding=encoding, max_bytes=max_bytes).text


def read_decoded(path: Path | str, *, chinese: bool = False, encoding: str | None = None,
                 max_bytes: int = MAX_FILE_BYTES) -> Decoded:
    """:func:`read_text`, also saying which encoding was used."""
    head = read_input(path, limit=1 << 16)
    if head.startswith(b"\x00" * 16):
        raise InputError(f"{path}: starts with NUL bytes; expected a text file (is it a device or binary file?)")
    decoded = decode_text(read_input(path, max_bytes=max_bytes), str(path), chinese=chinese, encoding=encoding)
    if not decoded.text.strip():
        raise InputError(f"{path}: is empty; nothing to import")
    return decoded


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


def check_scripts(zh_text: str, en_text: str, zh_name: str, en_name: str) -> None:
    """Refuse a pair whose sides are swapped or in the wrong script."""
    if cjk_share(zh_text) < 0.3:
        hint = " (the files look swapped: Chinese source first)" if cjk_share(en_text) >= 0.3 else ""
        raise InputError(f"{zh_name}: expected Chinese source text but found little Chinese{hint}")
    if cjk_share(en_text) >= 0.3:
        raise InputError(f"{en_name}: expected the English translation but found mostly Chinese")
