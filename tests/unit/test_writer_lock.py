"""One writer per index (vectorstore/writer_lock.py): a second writer fails at once naming
the holder; a killed holder releases the lock; a real second `vraagbaak ingest` refuses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from vectorstore.writer_lock import LOCK_NAME, IndexBusyError, writer_lock

pytestmark = pytest.mark.unit

HOLD = ("import sys, time; from pathlib import Path\n"
        "from vectorstore.writer_lock import writer_lock\n"
        "with writer_lock(Path(sys.argv[1]), 'ingest'):\n"
        "    print('vast', flush=True); time.sleep(60)\n")


def test_a_second_writer_fails_at_once_naming_the_holder(tmp_path):
    with writer_lock(tmp_path, "ingest"):
        started = time.monotonic()
        with pytest.raises(IndexBusyError) as info, writer_lock(tmp_path, "remove"):
            pass
        assert time.monotonic() - started < 1
        assert f"proces {os.getpid()} (ingest" in str(info.value)
    with writer_lock(tmp_path, "remove"):  # released: the next writer gets it
        pass


def _holder(tmp_path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)],
                            stdout=subprocess.PIPE, text=True,
                            cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert proc.stdout.readline().strip() == "vast"
    return proc


def test_a_killed_holder_releases_the_lock_and_a_real_ingest_refuses_meanwhile(tmp_path):
    data = tmp_path / "index"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("De gemeente betaalt de bibliotheek.\n", encoding="utf-8")
    proc = _holder(data)
    try:
        from ui.cli import main

        code = main(["--data-dir", str(data), "--embedder", "fake", "ingest", str(docs),
                     "--no-progress"])
        assert code == 1
        with pytest.raises(IndexBusyError, match=f"proces {proc.pid}"), \
                writer_lock(data, "remove"):
            pass
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with writer_lock(data, "ingest"):  # the kernel released the dead holder's lock
        assert (data / LOCK_NAME).exists()
