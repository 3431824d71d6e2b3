"""``--scheduler tcp://HOST:PORT``: a real ``dask scheduler`` and two ``dask worker`` processes; one is killed mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine_fixtures import clean_filter, text_lines

distributed = pytest.importorskip("distributed", reason="Dask is a test extra: pip install -e '.[test]'")
DASK = Path(sys.executable).with_name("dask")


# The suite shares a small machine with other work: Dask's own timeouts, raised through its
# configuration (as the README tells users of a busy cluster), so load cannot drop a connection.
PATIENT = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "120s",
           "DASK_DISTRIBUTED__COMM__TIMEOUTS__TCP": "300s",
           "DASK_DISTRIBUTED__SCHEDULER__WORKER_TTL": "600s"}


def _start(argv: list[str], log: Path) -> subprocess.Popen:
    with log.open("wb") as sink:
        return subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT, env=PATIENT)


@pytest.fixture
def remote_cluster(tmp_path):
    """(scheduler address, control client, {pid: worker process}) on 127.0.0.1 with random ports."""
    if not DASK.exists():
        pytest.skip(f"{DASK} missing: install the test extras")
    info = tmp_path / "scheduler.json"
    procs = [_start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--dashboard-address", "127.0.0.1:0",
                     "--scheduler-file", str(info)], tmp_path / "scheduler.log")]
    try:
        deadline = time.monotonic() + 90
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = {}
        for k in range(2):
            proc = _start([str(DASK), "worker", "--scheduler-file", str(info), "--nthreads", "1", "--no-nanny",
                           "--host", "127.0.0.1", "--no-dashboard", "--dashboard-address", "127.0.0.1:0",
                           "--name", f"w{k}"], tmp_path / f"worker{k}.log")
            procs.append(proc)
            workers[proc.pid] = proc
        with distributed.Client(scheduler_file=str(info), timeout="60s") as client:
            client.wait_for_workers(2, timeout=90)
            yield json.loads(info.read_text())["address"], client, workers
    finally:
        for proc in procs:  # test processes holding nothing worth a graceful shutdown
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def _busy_worker(client, pids: dict[str, int]) -> int | None:
    """The pid of a worker running one of mtmend's tasks right now."""
    for address, keys in client.processing().items():
        if any(str(key).startswith("mtmend-") for key in keys) and address in pids:
            return pids[address]
    return None


def test_a_killed_worker_changes_nothing(tmp_path, remote_cluster):
    address, control, workers = remote_cluster
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for k in range(16):
        (inputs / f"shard-{k:02d}.txt").write_text("\n".join(text_lines(2500 + 11 * k)[3 * k:]) + "\n", encoding="utf-8")
    argv = [sys.executable, "-m", "mtmend.cli.main", "clean", "--engine", "dask", "--input", str(inputs / "*.txt"),
            "--output", str(out), "--scheduler", address, "--blocksize", "128kB"]
    pids = control.run(os.getpid)  # worker address -> process id
    run = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=PATIENT)
    try:
        done = out / ".mtmend" / "done"
        victim, deadline = None, time.monotonic() + 180
        while victim is None and run.poll() is None and time.monotonic() < deadline:
            if done.is_dir() and any(done.iterdir()):
                victim = _busy_worker(control, pids)
            time.sleep(0.01)
        assert victim in workers, "the run ended before a worker could be killed mid-run"
        finished_before = len(list(done.iterdir()))
        os.kill(victim, signal.SIGKILL)
        workers[victim].wait()
        _, err = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    err = err.decode("utf-8")
    assert run.returncode == 0, err
    assert finished_before < 16 and "cleaned 16 of 16 shard(s)" in err
    assert len(control.scheduler_info()["workers"]) == 1  # the rest ran on the survivor
    for shard in sorted(inputs.iterdir()):
        assert (out / shard.name).read_bytes() == clean_filter(shard.read_bytes())[1], shard.name
    assert len(list(done.iterdir())) == 16
    assert not [p for p in out.rglob("*") if p.name.endswith((".part", ".tmp")) or p.name == "parts"]


def test_an_unreachable_scheduler_is_one_line_and_honours_dask_timeouts(tmp_path):
    """A closed port: one line naming the address and what to do, exit non-zero, nothing written;
    the wait is Dask's configured connect timeout (set short here through its environment variable)."""
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    shard = tmp_path / "in.txt"
    shard.write_text("\n".join(text_lines(50)) + "\n", encoding="utf-8")
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "mtmend.cli.main", "clean", "--engine", "dask", "--input", str(shard),
                          "--output", str(tmp_path / "out"), "--scheduler", f"tcp://127.0.0.1:{port}"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode != 0
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0] and "dask scheduler" in lines[0], run.stderr
    assert "Traceback" not in run.stderr
    assert time.monotonic() - started < 25  # the configured 2 s, not the 30 s default
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.txt"))
