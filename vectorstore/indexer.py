"""The ingest flow: walk paths, skip unchanged files, load, chunk, embed, store, record."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ingest.chunker import ChunkingConfig, chunk_document
from ingest.loaders import MAX_FILE_MB, SUPPORTED_SUFFIXES, document_sha256, load_document
from ingest.models import LoadError
from vectorstore.chunk_index import ChunkSink
from vectorstore.store import ChromaStore


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks_added: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "chunks_added": self.chunks_added,
            "seconds": round(self.seconds, 3),
        }


SYMLINK = "symbolische koppeling: niet gevolgd (kopieer het bestand zelf in de map)"


def iter_files(paths: Iterable[Path]) -> Iterable[tuple[Path, str | None]]:
    """Files under `paths` (supported suffixes only inside folders; hidden ones skipped); a
    reason if unusable. Inside a folder, symbolic links are never followed: a link to
    /etc/passwd or out of the folder, or a link loop, is reported, not read."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                here = Path(root)
                for name in sorted(dirs):
                    if (here / name).is_symlink():
                        yield here / name, SYMLINK
                for name in sorted(files):
                    f = here / name
                    if name.startswith(".") or f.suffix.lower() not in SUPPORTED_SUFFIXES:
                        continue
                    yield (f, SYMLINK) if f.is_symlink() else (f, None)
        elif path.is_file():
            yield path, None
        else:
            yield path, "bestand of map bestaat niet (no such file or folder)"


class Indexer:
    """Keeps the indexes in step with files on disk; idempotent and incremental.

    `store` keeps the document records and is the first of `indexes` (default: the store
    alone). Order, for the crash promise: chunks go to every index in list order, documents
    are finished and deleted in reverse order, so the record in `store` is written last and
    removed last. A crash in between leaves a document that is not recorded as done (ingest
    redoes it) or still recorded (remove deletes it again); the BM25 index re-syncs from the
    records when it is opened.
    """

    def __init__(
        self,
        store: ChromaStore,
        chunking: ChunkingConfig,
        batch_size: int = 32,
        progress: bool = True,
        indexes: Sequence[ChunkSink] | None = None,
        max_file_mb: float = MAX_FILE_MB,
        lock: Callable[[str], AbstractContextManager] | None = None,
        on_change: Callable[[], object] | None = None,
    ) -> None:
        self._on_change = on_change or (lambda: None)  # e.g. bump the index generation
        self.max_file_mb = max_file_mb
        self._lock = lock or (lambda what: nullcontext())  # one writer (writer_lock.py)
        self.store = store
        self.indexes: list[ChunkSink] = list(indexes) if indexes is not None else [store]
        if not self.indexes or self.indexes[0] is not store:
            raise ValueError("the store that keeps the records must be the first index")
        self.chunking = chunking
        self.batch_size = batch_size
        self.progress = progress

    def ingest(self, paths: Sequence[Path], prune: bool = False) -> IngestReport:
        """Index `paths` under the writer lock (IndexBusyError if another writer holds it)."""
        with self._lock("ingest"):
            report = self._ingest(paths, prune)
            if report.added or report.updated or report.removed:
                self._on_change()
            return report

    def _ingest(self, paths: Sequence[Path], prune: bool) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()
        self.store.drop_uncommitted()  # what a killed writer left behind
        files = list(iter_files(paths))
        bar = tqdm(files, desc="Indexeren", unit="bestand", disable=not self.progress,
                   dynamic_ncols=True)
        try:
            for path, problem in bar:
                source = str(path.resolve())
                bar.set_postfix_str(path.name[-40:], refresh=False)
                if problem:
                    report.failed.append((str(path), problem))
                    continue
                try:
                    self._ingest_file(path, source, report)
                except LoadError as exc:
                    report.failed.append((source, exc.reason))
            if prune:
                for rec in self.store.documents():
                    if not Path(rec.source).exists():
                        self._delete(rec.source)
                        report.removed.append(rec.source)
        finally:
            self._flush()
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_file(self, path: Path, source: str, report: IngestReport) -> None:
        try:
            sha = document_sha256(path)
        except OSError as exc:
            raise LoadError(str(path), f"kan niet gelezen worden: {exc.strerror}") from exc
        old = self.store.document(source)
        if old and old.sha256 == sha and old.chunking == self.chunking.signature:
            report.unchanged.append(source)
            return
        document = load_document(path, source=source, max_mb=self.max_file_mb)
        chunks = chunk_document(document, self.chunking)
        if not chunks:
            raise LoadError(str(path), "geen tekst gevonden (no text found)")
        for i in range(0, len(chunks), self.batch_size):
            batch = chunks[i : i + self.batch_size]
            for index in self.indexes:
                index.add_chunks(document, batch)
        ids = [c.id for c in chunks]
        for index in reversed(self.indexes):
            index.finish_document(document, ids, self.chunking.signature)
        report.chunks_added += len(chunks)
        (report.updated if old else report.added).append(source)

    def _delete(self, source: str) -> bool:
        existed = self.store.document(source) is not None
        for index in reversed(self.indexes):
            index.delete_source(source)
        return existed

    def _flush(self) -> None:
        for index in self.indexes:
            index.flush()

    def remove(self, source: str) -> bool:
        """Delete a document from every index (its record last), under the writer lock."""
        with self._lock("remove"):
            existed = self._delete(source)
            self._flush()
            self._on_change()
            return existed
