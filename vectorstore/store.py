"""Chunks and document originals in Chroma: one `ChunkIndex` (vectorstore/chunk_index.py).

Two collections: `<name>_chunks` (vectors, normalised text, offsets, original wording) and
`<name>_documents` (one record per document: metadata and the full original text). A document
record is written last, so a crash mid-ingest never leaves a document that counts as done.
Chroma's metadata encoding and its `where` filters stay inside this module.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable, Sequence

import numpy as np
from chromadb.api import ClientAPI
from chromadb.errors import NotFoundError

from ingest.models import Chunk, Document
from vectorstore.embedders import Embedder, EmbedderIdentity
from vectorstore.records import DocumentRecord, Filters, Hit, chunk_row, hit_from_row
from vectorstore.versions import DocumentVersions

SCHEMA = "vraagbaak-1"


class IndexMismatchError(Exception):
    """The index was built with another embedding model than the one configured."""


def _metadata(row: dict) -> dict:
    """A `chunk_row` as Chroma metadata (no None values, no lists; text and id apart)."""
    meta = {k: v for k, v in row.items() if k not in ("chunk_id", "text")}
    meta["date"] = row["date"] or ""
    meta["pages"] = ",".join(map(str, row["pages"]))
    meta["structure"] = json.dumps(row.get("structure") or {}, ensure_ascii=False)
    meta["furniture"] = json.dumps(row.get("furniture") or [])
    return meta


def _row(meta: dict, text: str, chunk_id: str) -> dict:
    """The `chunk_row` that `_metadata` encoded."""
    row = dict(meta, chunk_id=chunk_id, text=text)
    row["date"] = meta.get("date") or None
    row["pages"] = [int(p) for p in str(meta.get("pages", "")).split(",") if p]
    row["structure"] = json.loads(meta.get("structure") or "{}")
    row["furniture"] = json.loads(meta.get("furniture") or "[]")
    return row


def _where(filters: Filters | None) -> dict | None:
    """`Filters` as a Chroma `where` dict (None: no filter)."""
    if filters is None:
        return None
    clauses: list[dict] = []
    if filters.sources is not None:
        clauses.append({"source": {"$in": list(filters.sources)}})
    rng = filters.date_range()
    if rng is not None:  # the lower bound (>= 1) also keeps undated documents out
        clauses.append({"date_key": {"$gte": rng[0]}})
        if filters.date_to is not None:
            clauses.append({"date_key": {"$lte": rng[1]}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaStore:
    """Dense `ChunkIndex` of chunks plus the records and originals of their documents."""

    def __init__(
        self, client: ClientAPI, embedder: Embedder | None = None, name: str = "vraagbaak",
        keep_versions: int = 3, rows: Callable[[str], dict | None] | None = None,
    ) -> None:
        self._client = client
        # a chunk's row by id from an index that holds them in memory (BM25's): a search
        # then reads only ids and distances from Chroma (its metadata read was 2/3 of a search)
        self._row_of = rows
        self.versions = DocumentVersions(client, name, keep_versions)
        self._embedder = embedder
        self._last_query: tuple[str, list[float]] | None = None
        self._chunks_name = f"{name}_chunks"
        self._documents = client.get_or_create_collection(
            f"{name}_documents", metadata={"schema": SCHEMA}, embedding_function=None
        )
        self._chunks = self._open_chunks(embedder.identity if embedder else None)
        self._committed: dict[str, str] | None = None  # source -> sha256 of its record

    def _open_chunks(self, identity: EmbedderIdentity | None):
        try:
            col = self._client.get_collection(self._chunks_name, embedding_function=None)
        except (NotFoundError, ValueError):
            if identity is None:
                return None
            meta = {"schema": SCHEMA, **identity.as_metadata()}
            return self._client.create_collection(
                self._chunks_name,
                metadata=meta,
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        stored = EmbedderIdentity.from_metadata(col.metadata or {})
        if identity is not None and not identity.compatible(stored):
            found = stored.describe() if stored else "een onbekend model"
            raise IndexMismatchError(
                f"De index is gebouwd met {found}, maar ingesteld is {identity.describe()}. "
                "Vectoren van verschillende modellen kunnen niet gemengd worden: indexeer opnieuw "
                "(`vraagbaak reset` en daarna `vraagbaak ingest ...`), of stel het oude model in. "
                "(The index was built with another embedding model; re-index.)"
            )
        return col

    @property
    def identity(self) -> EmbedderIdentity | None:
        return EmbedderIdentity.from_metadata(self._chunks.metadata or {}) if self._chunks else None

    @property
    def embedder(self) -> Embedder | None:
        return self._embedder

    # -- generation: readers notice writers (also other processes, also via a server) ------
    def generation(self) -> str:
        """The index generation: changed by every writer after it changed the index (stored in
        the documents collection's metadata, so every process on this Chroma sees it; about a
        millisecond embedded, one request in server mode)."""
        meta = self._client.get_collection(self._documents.name).metadata or {}
        return str(meta.get("generation", ""))

    def bump_generation(self) -> str:
        """A new generation (after an ingest or a removal that changed something)."""
        col = self._client.get_collection(self._documents.name)
        value = uuid.uuid4().hex
        col.modify(metadata={**(col.metadata or {}), "generation": value})
        return value

    # -- documents -------------------------------------------------------------------------
    def committed(self) -> dict[str, str]:
        """source -> sha256 of every document record, read once per store instance (a reader
        reopens its store when the index generation changes). A chunk counts only when its
        document's record holds its version: chunks of an ingest still running, or killed,
        are never returned."""
        if self._committed is None:
            self._committed = {r.source: r.sha256 for r in self.documents()}
        return self._committed

    def documents(self) -> list[DocumentRecord]:
        got = self._documents.get(include=["metadatas"])
        recs = [self._record(m) for m in got["metadatas"] or []]
        return sorted(recs, key=lambda r: r.source)

    def document(self, source: str) -> DocumentRecord | None:
        got = self._documents.get(ids=[source], include=["metadatas"])
        return self._record(got["metadatas"][0]) if got["ids"] else None

    def original(self, source: str) -> str | None:
        got = self._documents.get(ids=[source], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def read(self, sources: list[str]) -> dict[str, tuple[DocumentRecord, str]]:
        """The records and originals of `sources` (those indexed), in one request: one
        answer's citations are checked against one consistent state of the index."""
        if not sources:
            return {}
        got = self._documents.get(ids=list(dict.fromkeys(sources)),
                                  include=["metadatas", "documents"])
        return {i: (self._record(m), d) for i, m, d in zip(
            got["ids"], got["metadatas"] or [], got["documents"] or [], strict=True)}

    def version(self, source: str, sha_prefix: str) -> tuple[DocumentRecord, str] | None:
        """The record and original of a version of `source` whose sha256 starts with
        `sha_prefix`: the indexed one, or one kept when it was replaced (versions.py)."""
        rec = self.document(source)
        if rec is not None and sha_prefix and rec.sha256.startswith(sha_prefix):
            text = self.original(source)
            return (rec, text) if text is not None else None
        got = self.versions.get(source, sha_prefix)
        return (self._record(got[0]), got[1]) if got else None

    @staticmethod
    def _record(meta: dict) -> DocumentRecord:
        return DocumentRecord(
            source=meta["source"],
            title=meta.get("title", ""),
            date=meta.get("date") or None,
            type=meta.get("type", ""),
            sha256=meta.get("sha256", ""),
            chunks=int(meta.get("chunks", 0)),
            chunking=meta.get("chunking", ""),
            pages={int(k): tuple(v) for k, v in json.loads(meta.get("pages", "{}")).items()},
            identifier=meta.get("identifier") or None,
        )

    # -- writing (ChunkIndex) --------------------------------------------------------------
    def add_chunks(self, document: Document, chunks: Sequence[Chunk],
                   embeddings: Sequence[Sequence[float]] | None = None) -> None:
        """Embed (unless `embeddings` are given) and upsert chunks; call in batches. The
        document record is written by `finish_document`."""
        if self._embedder is None or self._chunks is None:
            raise RuntimeError("store opened without an embedder cannot add chunks")
        if not chunks:
            return
        rows = [chunk_row(document, c) for c in chunks]
        texts = [r["text"] for r in rows]
        vectors = embeddings if embeddings is not None else self._embedder.embed_documents(texts)
        self._chunks.upsert(ids=[r["chunk_id"] for r in rows], embeddings=list(vectors),
                            documents=texts, metadatas=[_metadata(r) for r in rows])

    def finish_document(self, document: Document, chunk_ids: Sequence[str],
                        chunking: str) -> None:
        """Drop the source's chunks that are not `chunk_ids` (older versions), then record
        the document as complete (the last write)."""
        if self._chunks is not None:
            have = self._chunks.get(where={"source": document.source}, include=[])["ids"]
            stale = sorted(set(have) - set(chunk_ids))
            if stale:
                self._chunks.delete(ids=stale)
        meta = {
            "source": document.source,
            "title": document.title,
            "date": document.date or "",
            "type": document.type,
            "sha256": document.sha256,
            "chunks": len(chunk_ids),
            "chunking": chunking,
            "pages": json.dumps({str(k): list(v) for k, v in document.pages.items()}),
            "identifier": document.identifier or "",
        }
        old = self._documents.get(ids=[document.source], include=["metadatas", "documents"])
        if old["ids"] and old["metadatas"][0].get("sha256") != document.sha256:
            self.versions.keep(old["metadatas"][0], old["documents"][0])  # still citable
        self._documents.upsert(
            ids=[document.source], documents=[document.original], metadatas=[meta],
            embeddings=[[1.0]],
        )
        self._committed = None

    def delete_source(self, source: str) -> bool:
        """Delete the source's chunks, then its record (a crash in between leaves a record
        that a second `remove` deletes, never chunks without one). True if it was indexed."""
        existed = self.document(source) is not None
        if self._chunks is not None:
            self._chunks.delete(where={"source": source})
        self._documents.delete(ids=[source])
        self.versions.delete_source(source)
        self._committed = None
        return existed

    def drop_uncommitted(self) -> int:
        """Delete chunks that no document record holds (left by a killed ingest or remove);
        returns how many. Run by the writer before it writes."""
        if self._chunks is None:
            return 0
        committed = self.committed()
        stale: list[str] = []
        offset, page = 0, 5000
        while True:
            got = self._chunks.get(include=["metadatas"], limit=page, offset=offset)
            for cid, m in zip(got["ids"], got["metadatas"], strict=True):
                if m is None or committed.get(m.get("source")) != m.get("sha256"):
                    stale.append(cid)
            if len(got["ids"]) < page:
                break
            offset += page
        for i in range(0, len(stale), 1000):
            self._chunks.delete(ids=stale[i : i + 1000])
        return len(stale)

    def flush(self) -> None:
        """Nothing to do: Chroma persists every write."""

    def reset(self) -> None:
        """Drop every collection of this index."""
        for name in (self._chunks_name, self._documents.name):
            with contextlib.suppress(NotFoundError, ValueError):
                self._client.delete_collection(name)
        self.versions.reset()
        self._seen_chunks = False

    # -- reading (ChunkIndex) --------------------------------------------------------------
    def count_chunks(self, source: str | None = None) -> int:
        if self._chunks is None:
            return 0
        if source is None:
            return self._chunks.count()
        return len(self._chunks.get(where={"source": source}, include=[])["ids"])

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """Dense search; `score` is the cosine similarity."""
        if self._embedder is None or self._chunks is None or not self._has_chunks():
            return []
        vector = [self._query_vector(query)]
        if self._row_of is None:
            got = self._chunks.query(query_embeddings=vector, n_results=k, where=_where(filters),
                                     include=["metadatas", "documents", "distances"])
            rows = [_row(m, d, i) if m is not None else None for i, m, d in
                    zip(got["ids"][0], got["metadatas"][0], got["documents"][0], strict=True)]
        else:
            got = self._chunks.query(query_embeddings=vector, n_results=k, where=_where(filters),
                                     include=["distances"])
            rows = self._rows(got["ids"][0])
        committed = self.committed()
        return [
            hit_from_row(row, 1.0 - float(dist))
            for row, dist in zip(rows, got["distances"][0], strict=True)
            # None: deleted by another process since this one loaded its index
            if row is not None and committed.get(row.get("source")) == row.get("sha256")
        ]

    def _rows(self, ids: list[str]) -> list[dict | None]:
        """The rows of `ids` from the in-memory lookup; those it lacks (added by another
        process since) from Chroma."""
        rows = [self._row_of(i) for i in ids]
        missing = [i for i, r in zip(ids, rows, strict=True) if r is None]
        if missing:
            got = self._chunks.get(ids=missing, include=["metadatas", "documents"])
            found = {i: _row(m, d, i) for i, m, d in
                     zip(got["ids"], got["metadatas"], got["documents"], strict=True) if m}
            rows = [r if r is not None else found.get(i) for i, r in zip(ids, rows, strict=True)]
        return rows

    def _has_chunks(self) -> bool:
        """Whether the collection holds chunks (an empty index embeds no question). Once seen
        non-empty it is not counted again: a query on an emptied collection finds nothing."""
        if not self.__dict__.get("_seen_chunks"):
            self._seen_chunks = self._chunks.count() > 0
        return self._seen_chunks

    def scores(self, query: str, chunk_ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of `query` to the given chunks (ids not stored are left out).

        Used to complete score fusion for candidates only the lexical search found.
        """
        if self._embedder is None or self._chunks is None or not chunk_ids:
            return {}
        got = self._chunks.get(ids=list(chunk_ids), include=["embeddings"])
        if not got["ids"]:
            return {}
        q = np.asarray(self._query_vector(query), dtype=np.float32)
        m = np.asarray(got["embeddings"], dtype=np.float32)
        sims = m @ q / np.maximum(np.linalg.norm(m, axis=1) * np.linalg.norm(q), 1e-12)
        return {cid: float(x) for cid, x in zip(got["ids"], sims, strict=True)}

    def _query_vector(self, query: str) -> list[float]:
        """The query's embedding; the last one is kept (search, then `scores`)."""
        last = self._last_query
        if last is not None and last[0] == query:
            return last[1]
        vec = self._embedder.embed_query(query)
        self._last_query = (query, vec)
        return vec

    def rows_of(self, source: str) -> list[dict]:
        """The stored rows (`chunk_row` form) of one document's committed version, in
        document order."""
        if self._chunks is None:
            return []
        got = self._chunks.get(where={"source": source}, include=["metadatas", "documents"])
        sha = self.committed().get(source)
        rows = [_row(m, d, i)
                for i, m, d in zip(got["ids"], got["metadatas"], got["documents"], strict=True)
                if m is not None and m.get("sha256") == sha]
        return sorted(rows, key=lambda r: r["char_start"])

    def chunks_of(self, source: str) -> list[Hit]:
        return [hit_from_row(r, 0.0) for r in self.rows_of(source)]
