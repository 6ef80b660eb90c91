"""Passage vectors of sentences, kept so that a question need not embed them.

The extractive answerer scores up to 60 sentences of the retrieved passages against the
question; embedding them at question time was most of an answer's latency. `SentenceVectors`
is an `Embedder` in front of the real one: it looks sentence vectors up by content (a hash of
the text) in a SQLite file in the data dir, embeds only what is missing and keeps that too.
The ingest fills it for every sentence of every new chunk (`SentenceVectorIndex`, a
`ChunkIndex`), so in the common case nothing is embedded at question time but the question.

Content-addressed, so nothing goes stale: a changed document brings new sentences, a removed
one leaves unused rows (harmless; `reset` drops the file). Vectors are stored as float32, so a
cached vector is the vector. The file records the embedder's identity and is emptied when
another model writes to it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ingest.models import Chunk, Document
from ingest.passage_sentences import MIN_SENTENCE_CHARS, passage_sentences
from vectorstore.embedders import Embedder, EmbedderIdentity
from vectorstore.records import row_furniture

FILE_NAME = "zinsvectoren.sqlite"


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class SentenceVectors(Embedder):
    """`embedder` with its passage vectors cached by text (`path` None: in memory only)."""

    def __init__(self, embedder: Embedder, path: Path | None = None) -> None:
        self.embedder = embedder
        self.path = path
        self._lock = threading.Lock()
        self._memory: dict[bytes, np.ndarray] = {}
        self._db: sqlite3.Connection | None = None
        self.hits = self.misses = 0

    @property
    def identity(self) -> EmbedderIdentity:  # type: ignore[override]
        return self.embedder.identity

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.vectors(texts).tolist()

    def _embed(self, texts: list[str], role: str) -> np.ndarray:
        if role == "passage":
            return self.vectors(texts)
        return np.asarray([self.embedder.embed_query(t) for t in texts], dtype=np.float32)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Passage vectors of `texts`, in order; only the ones never seen are embedded."""
        if not texts:
            return np.zeros((0, self.identity.dimension), dtype=np.float32)
        keys = [_key(t) for t in texts]
        found = self._lookup(set(keys))
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        self.hits += len(keys) - sum(k not in found for k in keys)
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            new = np.asarray(self.embedder.embed_documents([text_of[k] for k in missing]),
                             dtype=np.float32)
            self.misses += len(missing)
            fresh = dict(zip(missing, new, strict=True))
            self._store(fresh)
            found.update(fresh)
        return np.stack([found[k] for k in keys])

    def fill(self, texts: Sequence[str]) -> int:
        """Embed and keep the texts not kept yet (the ingest's side); how many were new."""
        before = self.misses
        self.vectors(list(dict.fromkeys(texts)))
        return self.misses - before

    # -- storage ----------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS vec (key BLOB PRIMARY KEY, v BLOB)")
            who = self.identity.describe()
            row = db.execute("SELECT v FROM meta WHERE k = 'identity'").fetchone()
            if row is None or row[0] != who:  # another model's vectors: start over
                db.execute("DELETE FROM vec")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('identity', ?)", (who,))
            db.commit()
            self._db = db
        return self._db

    def _lookup(self, keys: set[bytes]) -> dict[bytes, np.ndarray]:
        with self._lock:
            out = {k: self._memory[k] for k in keys if k in self._memory}
            db = self._conn()
            wanted = [k for k in keys if k not in out]
            if db is None or not wanted:
                return out
            for i in range(0, len(wanted), 500):
                part = wanted[i : i + 500]
                marks = ",".join("?" * len(part))
                rows = db.execute(f"SELECT key, v FROM vec WHERE key IN ({marks})",
                                  part).fetchall()
                for k, blob in rows:
                    out[k] = np.frombuffer(blob, dtype=np.float32)
            return out

    def _store(self, vectors: dict[bytes, np.ndarray]) -> None:
        with self._lock:
            db = self._conn()
            if db is None:
                self._memory.update(vectors)
                return
            db.executemany("INSERT OR IGNORE INTO vec VALUES (?, ?)",
                           [(k, np.asarray(v, dtype=np.float32).tobytes())
                            for k, v in vectors.items()])
            db.commit()

    def clear(self) -> None:
        """Forget every vector (after `reset`)."""
        with self._lock:
            self._memory.clear()
            db = self._conn()
            if db is not None:
                db.execute("DELETE FROM vec")
                db.execute("DELETE FROM meta WHERE k = 'complete'")
                db.commit()

    @property
    def complete(self) -> bool:
        """Whether every committed chunk's sentences are kept (set by `catch_up`)."""
        with self._lock:
            db = self._conn()
            return db is not None and db.execute(
                "SELECT 1 FROM meta WHERE k = 'complete'").fetchone() is not None

    def mark_complete(self) -> None:
        with self._lock:
            db = self._conn()
            if db is not None:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('complete', '1')")
                db.commit()

    def __len__(self) -> int:
        with self._lock:
            db = self._conn()
            return len(self._memory) if db is None else db.execute(
                "SELECT count(*) FROM vec").fetchone()[0]


class SentenceVectorIndex:
    """The ingest side: a `ChunkSink` that fills `SentenceVectors` with the passage vectors
    of every sentence of the chunks it is given. It keeps no chunks of its own."""

    def __init__(self, vectors: SentenceVectors) -> None:
        self.vectors = vectors

    def add_chunks(self, document: Document, chunks: Sequence[Chunk]) -> None:
        texts = [t for c in chunks
                 for _, _, t in passage_sentences(document.original[c.char_start:c.char_end],
                                                     c.furniture)
                 if len(t) >= MIN_SENTENCE_CHARS]  # the answerer scores no shorter ones
        self.vectors.fill(texts)

    def finish_document(self, document: Document, chunk_ids: Sequence[str],
                        chunking: str) -> None:
        return None

    def delete_source(self, source: str) -> None:
        return None  # shared by content with other documents; see the module docstring

    def flush(self) -> None:
        return None

    def catch_up(self, store, progress: bool = True) -> int:
        """Once per file: fill in the sentences of chunks indexed before it existed (an
        index built by an older version, or with `sentence_vectors_at_ingest` off). Every
        ingest after that adds its own. Returns how many sentences were embedded."""
        if self.vectors.complete:
            return 0
        from tqdm import tqdm

        added = 0
        docs = store.documents()
        for rec in tqdm(docs, desc="Zinsvectoren aanvullen", unit="document",
                        disable=not progress or not docs, dynamic_ncols=True):
            texts = [t for row in store.rows_of(rec.source)
                     for _, _, t in passage_sentences(row.get("original", ""), row_furniture(row))
                     if len(t) >= MIN_SENTENCE_CHARS]
            added += self.vectors.fill(texts)
        self.vectors.mark_complete()
        return added
