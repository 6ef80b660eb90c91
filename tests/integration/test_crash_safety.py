"""Crash safety, proven: SIGKILL of `vraagbaak ingest` at seeded random moments, and crashes
injected at every step boundary of ingest and remove. After each: the index opens, no search
returns a chunk of an uncommitted document, a re-run completes, and every document is there
exactly once with the chunk count of a clean ingest, Chroma and BM25 agreeing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO, need

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ENV = {**os.environ, "VRAAGBAAK_EMBEDDER": "fake", "VRAAGBAAK_CHUNK_SIZE": "400",
       "VRAAGBAAK_CHUNK_OVERLAP": "0"}
QUERIES = ["onderwijs leraren", "zorg ziekenhuis", "klimaat energie", "wonen huren"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """90 documents of ~4,000 characters from the election programmes: ~1,100 chunks (an
    ingest of a few seconds, so the kills land inside it)."""
    src = sorted(need(DATA).rglob("*_2021.txt"))[:3]
    out = tmp_path_factory.mktemp("docs")
    n = 0
    for f in src:
        text = f.read_text(encoding="utf-8")
        for i in range(30):
            piece = text[i * 4000 + 1000:(i + 1) * 4000 + 1000]
            if len(piece.strip()) > 2000:
                (out / f"deel_{n:02d}.txt").write_text(piece, encoding="utf-8")
                n += 1
    return out


def _cli(data: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", "--data-dir", str(data), *args],
                          cwd=REPO, env=ENV, capture_output=True, text=True, check=check)


def _open(data: Path):
    from chromadb.api.client import SharedSystemClient

    from rag.build import build
    from rag.settings import Settings

    SharedSystemClient.clear_system_cache()
    return build(Settings(data_dir=data, embedder="fake", chunk_size=400, chunk_overlap=0))


def _state(data: Path) -> dict:
    c = _open(data)
    records = {r.source: (r.sha256, r.chunks) for r in c.catalog.documents()}
    rows = {}
    for source in records:
        for r in c.store.rows_of(source):
            assert r["chunk_id"] not in rows, "duplicate chunk id"
            rows[r["chunk_id"]] = source
    return {"records": records, "rows": rows, "components": c}


@pytest.fixture(scope="module")
def clean(folder, tmp_path_factory) -> dict:
    data = tmp_path_factory.mktemp("clean")
    _cli(data, "ingest", str(folder), "--no-progress")
    return _state(data)


def _check_reads_only_committed(c) -> None:
    committed = {r.source: r.sha256 for r in c.catalog.documents()}
    for q in QUERIES:
        for h in c.store.search(q, k=20):
            assert h.source in committed, f"uncommitted document in dense search: {h.source}"
        for h in c.lexical.search(q, k=20):
            assert h.source in committed, f"uncommitted document in BM25: {h.source}"
        c.chain.ask(q)


def _check_converged(data: Path, clean: dict) -> None:
    after = _state(data)
    assert {Path(s).name: v[1] for s, v in after["records"].items()} == {
        Path(s).name: v[1] for s, v in clean["records"].items()}
    assert len(after["rows"]) == len(clean["rows"])
    c = after["components"]
    assert c.store.count_chunks() == len(clean["rows"])  # no orphans left either
    assert sorted(r["chunk_id"] for r in c.lexical._rows) == sorted(after["rows"])  # noqa: SLF001


def test_sigkill_during_ingest_at_random_moments(folder, clean, tmp_path):
    rng = random.Random(20261127)
    partial = 0
    for trial in range(10):
        data = tmp_path / f"trial{trial}"
        if trial % 2:  # half the trials kill an update of an existing index
            _cli(data, "ingest", str(folder), "--no-progress")
            for f in sorted(folder.iterdir())[trial::5]:
                os.utime(f)  # same content: the next ingest leaves them unchanged
        proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "--data-dir", str(data),
                                 "ingest", str(folder), "--no-progress"], cwd=REPO, env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.2, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = _open(data)
        partial += len(killed.catalog.documents()) < len(clean["records"])
        _check_reads_only_committed(killed)  # right after the kill, before a re-run
        assert _cli(data, "ingest", str(folder), "--no-progress").returncode == 0
        _check_converged(data, clean)
    assert partial >= 4, f"only {partial} of 10 kills landed inside an ingest"


class Crash(Exception):
    """Stands for the process dying at this point (every write before it is durable)."""


def _crash_at(monkeypatch, cls, method: str, after: int = 0):
    calls = {"n": 0}
    original = getattr(cls, method)

    def wrapped(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > after:
            raise Crash(f"{cls.__name__}.{method}")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, method, wrapped)


BOUNDARIES = [  # (class, method, calls that succeed first)
    ("ChromaStore", "add_chunks", 3),  # some batches of a document in, not all
    ("LexicalIndex", "add_chunks", 3),  # dense has a batch BM25 lacks
    ("LexicalIndex", "finish_document", 2),  # chunks in, record not written
    ("ChromaStore", "finish_document", 2),  # BM25 finished, record not written
]


@pytest.mark.parametrize("cls_name, method, after", BOUNDARIES,
                         ids=[f"{c}.{m}" for c, m, _ in BOUNDARIES])
def test_a_crash_at_each_ingest_step_boundary(folder, clean, tmp_path, monkeypatch, cls_name,
                                              method, after):
    from vectorstore.lexical import LexicalIndex
    from vectorstore.store import ChromaStore

    cls = {"ChromaStore": ChromaStore, "LexicalIndex": LexicalIndex}[cls_name]
    data = tmp_path / "index"
    c = _open(data)
    c.indexer.progress = False
    with monkeypatch.context() as m:
        _crash_at(m, cls, method, after)
        with pytest.raises(Crash):
            c.indexer.ingest([folder])
    _check_reads_only_committed(_open(data))
    assert _cli(data, "ingest", str(folder), "--no-progress").returncode == 0
    _check_converged(data, clean)


@pytest.mark.parametrize("step", ["lexical", "chunks", "record"])
def test_a_crash_inside_remove_leaves_nothing_unremovable(folder, clean, tmp_path, monkeypatch,
                                                          step):
    from vectorstore.lexical import LexicalIndex

    data = tmp_path / "index"
    _cli(data, "ingest", str(folder), "--no-progress")
    c = _open(data)
    victim = sorted(c.catalog.documents(), key=lambda r: r.source)[0].source
    with monkeypatch.context() as m:
        if step == "lexical":
            _crash_at(m, LexicalIndex, "delete_source")
        else:
            store = c.store
            col = store._documents if step == "record" else store._chunks  # noqa: SLF001

            def boom(*a, **k):
                raise Crash(step)

            m.setattr(col, "delete", boom)
        with pytest.raises(Crash):
            c.indexer.remove(victim)
    after = _open(data)
    _check_reads_only_committed(after)
    still = victim in {r.source for r in after.catalog.documents()}
    if still:  # the record survived: a second remove deletes everything
        assert _cli(data, "remove", victim).returncode == 0
    after = _state(data)
    assert victim not in after["records"]
    assert victim not in set(after["rows"].values())
    assert after["components"].store.count_chunks(victim) == 0
