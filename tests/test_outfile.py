"""Writing a file a user names: what is at the destination keeps its type, mode and links."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mtmend.corpus.errors import InputError
from mtmend.corpus.outfile import open_output, sweep_stale_temps

DOC = "000_46a1daae881aeae4"
# Every command that writes a file a user names, as (argv before FILE, argv after FILE).
WRITERS = {
    "export-tmx": (["export", "-o"], ["--format", "tmx"]),
    "export-text": (["export", "-o"], [DOC]),
    "report-html": (["report", "--html"], []),
    "mqm-export": (["mqm", "export"], []),
}


def _write(cli, ws: Path, writer: str, dest: Path | str) -> tuple[int, str, str]:
    before, after = WRITERS[writer]
    return cli("-w", ws, *before, dest, *after)


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("writer", WRITERS)
def test_chmod_600_file_keeps_its_mode_and_inode_type(cli, sample_workspace, tmp_path, writer):
    dest = tmp_path / "out.file"
    dest.write_text("old\n")
    dest.chmod(0o600)
    code, _, err = _write(cli, sample_workspace, writer, dest)
    assert code == 0, err
    info = dest.stat()
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600
    assert dest.read_text(encoding="utf-8") != "old\n"
    assert _temps(tmp_path) == []


@pytest.mark.parametrize("writer", ["export-tmx", "report-html"])
def test_fifo_stays_a_fifo_and_receives_the_output(cli, sample_workspace, tmp_path, writer):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = _write(cli, sample_workspace, writer, fifo)
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].lstrip().startswith(b"<")
    assert _temps(tmp_path) == []


def test_character_device_copy_stays_a_device(cli, sample_workspace, tmp_path):
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a copy of /dev/null
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot create a character device here ({exc.strerror}); needs CAP_MKNOD")
    before = null.lstat()
    code, _, err = cli("-w", sample_workspace, "export", "-o", null, "--format", "tmx")
    assert code == 0, err
    info = null.lstat()
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)
    assert (info.st_mode, info.st_ino) == (before.st_mode, before.st_ino)
    assert _temps(tmp_path) == []


def test_dev_stdout_is_written_not_replaced(sample_workspace, tmp_path):
    """Through a real process whose standard output is a pipe: /dev/stdout names that pipe."""
    run = subprocess.run(
        [sys.executable, "-m", "mtmend.cli.main", "-w", str(sample_workspace), "export", "-o", "/dev/stdout",
         "--format", "tmx"], capture_output=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(b"<?xml") and b"</tmx>" in run.stdout


def test_symlink_is_followed_like_cp_and_stays_a_link(cli, sample_workspace, tmp_path):
    real = tmp_path / "real.tmx"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.tmx"
    link.symlink_to(real.name)
    code, _, err = cli("-w", sample_workspace, "export", "-o", link)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == real.name
    assert real.read_bytes().startswith(b"<?xml") and stat.S_IMODE(real.stat().st_mode) == 0o640


def test_dangling_symlink_is_refused(cli, sample_workspace, tmp_path):
    link = tmp_path / "link.tmx"
    link.symlink_to(tmp_path / "missing" / "x.tmx")
    code, _, err = cli("-w", sample_workspace, "export", "-o", link)
    assert code == 2 and "symbolic link" in err and "Traceback" not in err
    assert link.is_symlink() and not (tmp_path / "missing").exists()


def test_hard_links_all_see_the_new_content(cli, sample_workspace, tmp_path):
    first, second = tmp_path / "a.tmx", tmp_path / "b.tmx"
    first.write_text("old")
    os.link(first, second)
    code, _, err = cli("-w", sample_workspace, "export", "-o", first)
    assert code == 0, err
    assert first.stat().st_ino == second.stat().st_ino and second.read_bytes().startswith(b"<?xml")


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    dest = tmp_path / "keep.txt"
    dest.write_text("precious\n")
    dest.chmod(0o600)
    with pytest.raises(RuntimeError), open_output(dest) as out:
        out.write("half")
        raise RuntimeError("refused")
    assert dest.read_text() == "precious\n" and stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert _temps(tmp_path) == []


def test_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        with open_output(tmp_path / "new.txt") as out:
            out.write("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_leftovers_of_killed_writers_are_swept_on_the_next_write(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    stale = [tmp_path / f".out.tmx.mtmend-{dead_pid}-abcdefgh.tmp", tmp_path / ".out.tmx.k2j_x9q1.part"]
    alive = tmp_path / f".out.tmx.mtmend-{os.getppid()}-abcdefgh.tmp"  # a running writer's file
    unrelated = tmp_path / ".other.tmx.k2j_x9q1.part"
    for path in (*stale, alive, unrelated):
        path.write_text("partial")
    with open_output(tmp_path / "out.tmx") as out:
        out.write("done")
    assert not any(p.exists() for p in stale)
    assert alive.exists() and unrelated.exists()
    assert sweep_stale_temps(tmp_path / "out.tmx") == []


def test_killed_export_leaves_no_temporary_file(sample_workspace, tmp_path):
    """SIGKILL while writing: the unnamed (or swept) temporary never piles up."""
    code = (
        "import sys, time\n"
        "from mtmend.corpus.outfile import open_output\n"
        "with open_output(sys.argv[1]) as out:\n"
        "    out.write('x' * 100000); out.flush(); print('writing', flush=True); time.sleep(60)\n"
    )
    dest = tmp_path / "big.txt"
    proc = subprocess.Popen([sys.executable, "-c", code, str(dest)], stdout=subprocess.PIPE)
    assert proc.stdout.readline() == b"writing\n"
    proc.kill()
    proc.wait()
    assert not dest.exists()
    with open_output(dest) as out:  # the next run sweeps a named leftover, if the file system needed one
        out.write("ok")
    assert _temps(tmp_path) == []


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: None, "does not exist"),
])
def test_bad_destinations_are_one_line_errors(tmp_path, make, message):
    dest = tmp_path / "d"
    make(dest)
    target = dest if dest.exists() else dest / "sub" / "x.txt"
    with pytest.raises(InputError, match=message), open_output(target) as out:
        out.write("x")


def test_dev_stdout_redirected_to_a_file_writes_into_that_file(sample_workspace, tmp_path):
    """`mtmend export -o /dev/stdout > out.tmx`: the shell's file gets the data and stays the same file."""
    out = tmp_path / "out.tmx"
    with open(out, "wb") as handle:
        inode = os.fstat(handle.fileno()).st_ino
        run = subprocess.run([sys.executable, "-m", "mtmend.cli.main", "-w", str(sample_workspace), "export", "-o",
                              "/dev/stdout", "--format", "tmx"], stdout=handle, stderr=subprocess.PIPE, timeout=120)
    assert run.returncode == 0, run.stderr
    assert out.stat().st_ino == inode and out.read_bytes().startswith(b"<?xml")
    assert _temps(tmp_path) == []


def test_regular_file_under_dev_shm_is_replaced_atomically(tmp_path):
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        pytest.skip("no writable /dev/shm here")
    dest = shm / f"mtmend-test-{os.getpid()}.txt"
    try:
        dest.write_text("old")
        dest.chmod(0o600)
        inode = dest.stat().st_ino
        with open_output(dest) as out:
            out.write("new")
        assert dest.read_text() == "new" and stat.S_IMODE(dest.stat().st_mode) == 0o600
        assert dest.stat().st_ino != inode  # replaced, not rewritten in place
    finally:
        dest.unlink(missing_ok=True)
