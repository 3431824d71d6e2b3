"""The one way mtmend writes a file a user names (``export -o``, ``report --html``, ``mqm export``, …).

:func:`open_output` behaves like ``cp`` writing its destination, with the new content
put in place atomically where that is safe:

- ``-`` is standard output, written directly.
- A destination that exists and is not a regular file (a FIFO, ``/dev/null``, a terminal), or
  names an open file (``/dev/stdout``, ``/dev/fd/N``, ``/proc/self/fd/N``), is opened and written
  directly, never replaced: a device stays a device, a FIFO a FIFO.
- A symbolic link is followed, as ``cp`` does: the file it points to gets the new content and
  the link stays; a dangling link is refused (``cp``: "not writing through dangling symlink").
- A regular file is replaced atomically: the content goes to a temporary file in the same
  folder, which replaces the destination only once it is complete and synced. The old file's
  permission bits are kept (a ``chmod 600`` file stays 600), and its owner and group where
  the process is allowed to set them. A new file gets ``0666 & ~umask``, like ``open()``.
- A regular file with several hard links, or in a folder we may not write, is rewritten in
  place once the complete new content exists (as ``cp`` does), so every name sees it.

The temporary file is unnamed (Linux ``O_TMPFILE``) while it is written, so a killed
process leaves nothing behind. Where the file system cannot do that it is named
``.NAME.mtmend-PID-XXXXXXXX.tmp``; such leftovers of dead processes (and the
``.NAME.XXXXXXXX.part`` files older mtmend versions left) are removed by the next write to
the same destination.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from mtmend.corpus.errors import InputError
from mtmend.corpus.processes import pid_alive

_TEMP_TAG = "mtmend"
# Names of an already open file (``/dev/stdout``, ``/dev/fd/3``, ``/proc/self/fd/1``): written
# directly even when they lead to a regular file, which belongs to whoever opened it (the shell's
# ``>`` or ``>>``). Other files under /dev (``/dev/shm/x``) are ordinary files.
_OPEN_FILE_NAMES = re.compile(r"^/(dev/(stdout|stderr|fd/\d+)|proc/(self|\d+)/fd/\d+)$")


@contextmanager
def open_output(path: Path | str, *, binary: bool = False, encoding: str = "utf-8") -> Iterator[IO]:
    """A writable handle for ``path`` (see the module docstring for what happens to each kind).

    On an exception inside the ``with`` block a regular destination is left as it was.
    Raises :class:`InputError` for a missing folder, a directory, a dangling link or no permission.
    """
    if str(path) == "-":
        yield from _stdout(binary, encoding)
        return
    target = _resolve(Path(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from exc
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory; give a file name")
    if info is not None and (not stat.S_ISREG(info.st_mode) or _is_special_path(path, target)):
        yield from _direct(target, path, binary, encoding)
    else:
        yield from _replace(target, info, path, binary, encoding)


def _stdout(binary: bool, encoding: str) -> Iterator[IO]:
    if binary:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with data_stdout(encoding) as stream:
        yield stream


@contextmanager
def data_stdout(encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Standard output for data: always ``encoding`` (UTF-8), whatever the locale or PYTHONIOENCODING says.

    mtmend's data formats are UTF-8 in files; a pipe gets the same bytes, so
    ``PYTHONIOENCODING=ascii mtmend clean -`` neither fails nor escapes the Chinese.
    """
    stream = sys.stdout
    if _codec(getattr(stream, "encoding", None)) == _codec(encoding) or not hasattr(stream, "buffer"):
        yield stream
        stream.flush()
        return
    stream.flush()
    wrapper = io.TextIOWrapper(stream.buffer, encoding=encoding, newline="", write_through=True)
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()  # the buffer stays sys.stdout's


def _codec(name: str | None) -> str | None:
    import codecs

    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def _is_special_path(given: Path | str, target: Path) -> bool:
    """``/dev/stdout`` pointing at a redirected file is still "the standard output": write to it directly."""
    return any(_OPEN_FILE_NAMES.match(str(p)) for p in (os.path.abspath(given), target))


def _resolve(path: Path) -> Path:
    """Follow symbolic links like ``cp``; a link to nowhere is refused rather than created through."""
    if not path.is_symlink():
        return path
    if _OPEN_FILE_NAMES.match(os.path.abspath(path)):
        return path  # /dev/stdout -> /proc/self/fd/1 -> pipe:[…]: open the name itself
    target = Path(os.path.realpath(path))
    if not target.exists():
        raise InputError(f"{path}: is a symbolic link to {target}, which does not exist; not writing through it")
    return target


def _open_flags_error(path: Path | str, exc: OSError) -> InputError:
    if isinstance(exc, PermissionError):
        return InputError(f"{path}: permission denied")
    return InputError(f"{path}: cannot write ({exc.strerror})")


def _wrap(raw: IO[bytes], binary: bool, encoding: str) -> IO:
    return raw if binary else io.TextIOWrapper(raw, encoding=encoding, newline="")


def _direct(target: Path, given: Path | str, binary: bool, encoding: str) -> Iterator[IO]:
    """Devices, FIFOs, terminals: open the existing thing for writing and write into it."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_TRUNC | os.O_NOCTTY)
    except OSError as exc:
        raise _open_flags_error(given, exc) from exc
    with _wrap(os.fdopen(fd, "wb"), binary, encoding) as handle:
        yield handle
        handle.flush()


def _replace(target: Path, info: os.stat_result | None, given: Path | str,
             binary: bool, encoding: str) -> Iterator[IO]:
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"{given}: folder {folder} does not exist")
    sweep_stale_temps(target)
    in_place = info is not None and (info.st_nlink > 1 or not os.access(folder, os.W_OK | os.X_OK))
    if in_place:
        yield from _rewrite_in_place(target, given, binary, encoding)
        return
    temp = _TempFile.create(target, given)
    try:
        with _wrap(os.fdopen(temp.fd, "wb", closefd=False), binary, encoding) as handle:
            yield handle
            handle.flush()
        _keep_attributes(temp.fd, info)
        os.fsync(temp.fd)
        temp.commit(target)
    finally:
        temp.discard()


def _rewrite_in_place(target: Path, given: Path | str, binary: bool, encoding: str) -> Iterator[IO]:
    """Spool the complete content first, so a refused export never truncates the destination."""
    with tempfile.TemporaryFile() as spool:
        with _wrap(open(spool.fileno(), "wb", closefd=False), binary, encoding) as handle:
            yield handle
            handle.flush()
        spool.seek(0)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_TRUNC)
        except OSError as exc:
            raise _open_flags_error(given, exc) from exc
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(spool, out)
            out.flush()
            os.fsync(out.fileno())


def _keep_attributes(fd: int, info: os.stat_result | None) -> None:
    """The old file's permission bits, owner and group (the latter two where we are allowed)."""
    if info is None:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        return
    if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
        for uid, gid in ((info.st_uid, info.st_gid), (-1, info.st_gid)):
            try:
                os.fchown(fd, uid, gid)
                break
            except OSError:
                continue
    os.fchmod(fd, stat.S_IMODE(info.st_mode))  # after chown, which may clear set-id bits


class _TempFile:
    """An unnamed (``O_TMPFILE``) or recognisably named temporary file beside the destination."""

    def __init__(self, fd: int, name: Path | None, folder: Path, stem: str):
        self.fd, self.name, self.folder, self.stem = fd, name, folder, stem

    @classmethod
    def create(cls, target: Path, given: Path | str) -> _TempFile:
        folder, stem = target.parent, f".{target.name}.{_TEMP_TAG}-{os.getpid()}-"
        try:
            if hasattr(os, "O_TMPFILE"):
                try:
                    return cls(os.open(folder, os.O_TMPFILE | os.O_RDWR, 0o600), None, folder, stem)
                except OSError:
                    pass  # file system without O_TMPFILE: fall back to a named file
            fd, name = tempfile.mkstemp(prefix=stem, suffix=".tmp", dir=folder)
        except OSError as exc:
            raise _open_flags_error(given, exc) from exc
        return cls(fd, Path(name), folder, stem)

    def commit(self, target: Path) -> None:
        if self.name is None:
            self._give_name()
        os.replace(self.name, target)
        self.name = None
        _sync_folder(self.folder)

    def _give_name(self) -> None:
        """Name the unnamed file (recognisably) so it can be moved over the destination."""
        name = Path(tempfile.mktemp(prefix=self.stem, suffix=".tmp", dir=self.folder))
        folder_fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            # A dir_fd makes CPython call linkat(AT_SYMLINK_FOLLOW), which follows /proc's magic link.
            os.link(f"/proc/self/fd/{self.fd}", name.name, dst_dir_fd=folder_fd)
            self.name = name
            return
        except OSError:
            pass  # no /proc, or a kernel that refuses: copy into a named file instead
        finally:
            os.close(folder_fd)
        fd, named = tempfile.mkstemp(prefix=self.stem, suffix=".tmp", dir=self.folder)
        info = os.fstat(self.fd)
        os.lseek(self.fd, 0, os.SEEK_SET)
        with open(self.fd, "rb", closefd=False) as src, open(fd, "wb", closefd=False) as dst:
            shutil.copyfileobj(src, dst)
        os.fchmod(fd, stat.S_IMODE(info.st_mode))
        os.fsync(fd)
        os.close(self.fd)
        self.fd, self.name = fd, Path(named)

    def discard(self) -> None:
        os.close(self.fd)
        if self.name is not None:
            try:
                os.unlink(self.name)
            except FileNotFoundError:
                pass


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename is still atomic
    finally:
        os.close(fd)


def sweep_stale_temps(target: Path) -> list[Path]:
    """Remove temporary files earlier writes of ``target`` left behind when killed; return them.

    Only files named by this module (``.NAME.mtmend-PID-….tmp``) whose process is gone, and
    the ``.NAME.XXXXXXXX.part`` files of older mtmend versions, are touched.
    """
    name = re.escape(target.name)
    ours = re.compile(rf"^\.{name}\.{_TEMP_TAG}-(\d+)-[a-z0-9_]{{8}}\.tmp$")
    legacy = re.compile(rf"^\.{name}\.[a-z0-9_]{{8}}\.part$")
    removed = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        match = ours.match(entry.name)
        stale = (match and not pid_alive(int(match.group(1)))) or legacy.match(entry.name)
        if stale and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                continue
    return removed
