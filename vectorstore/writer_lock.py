"""One writer per index: an exclusive lock on the data dir for ingest, remove and reset.

A second writer fails at once with a message naming the holder (process id, command, since
when) instead of interleaving its writes with the first (which lost vectors and BM25 rows).
Readers (`ask`, `serve`) never take it. The lock is an advisory `flock` on
`<data dir>/schrijver.lock`, released by the kernel when the holder dies, even by SIGKILL. It
guards one machine; with a Chroma server, writers on other machines are kept out by the lease
in `server_lock.py`, which a writer takes as well.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = "schrijver.lock"


class IndexBusyError(RuntimeError):
    """Another process is writing to this index."""


@contextmanager
def writer_lock(data_dir: Path, what: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the index's writer lock while the block runs (waiting up to `wait` seconds)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_NAME
    fh = path.open("a+", encoding="utf-8")
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusyError(_busy_message(path, data_dir)) from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "what": what,
                             "since": time.strftime("%Y-%m-%d %H:%M:%S")}))
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fh.flush()
            fcntl.flock(fh, fcntl.LOCK_UN)
    finally:
        fh.close()


def _busy_message(path: Path, data_dir: Path) -> str:
    try:
        holder = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        holder = {}
    who = (f"proces {holder.get('pid', '?')} ({holder.get('what', '?')}, sinds "
           f"{holder.get('since', '?')})") if holder else "een ander proces"
    return (f"De index in {data_dir} wordt al bijgewerkt door {who}. Wacht tot dat klaar is en "
            "probeer het dan opnieuw. (Another process is writing to this index.)")
