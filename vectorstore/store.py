"""Chunks and document originals in Chroma (chunks through langchain-chroma).

Two collections: `<name>_chunks` (vectors, normalised text, offsets, original wording) and
`<name>_documents` (one record per document: metadata and the full original text). A document
record is written last, so a crash mid-ingest never leaves a document that counts as done.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from chromadb.api import ClientAPI
from chromadb.errors import NotFoundError
from langchain_chroma import Chroma

from ingest.models import Chunk, Document
from vectorstore.embedders import Embedder, EmbedderIdentity

SCHEMA = "vraagbaak-1"


class IndexMismatchError(Exception):
    """The index was built with another embedding model than the one configured."""


@dataclass(frozen=True)
class DocumentRecord:
    source: str
    title: str
    date: str | None
    type: str
    sha256: str
    chunks: int
    chunking: str
    pages: dict[int, tuple[int, int]]


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its document metadata and original wording."""

    chunk_id: str
    source: str
    title: str
    date: str | None
    pages: tuple[int, ...]
    char_start: int
    char_end: int
    text: str  # normalised text used for retrieval
    original: str  # document.original[char_start:char_end]
    score: float

    @property
    def page(self) -> int | None:
        return self.pages[0] if self.pages else None


def date_key(date: str | None) -> int:
    """'2021-02' -> 20210200; None -> 0 (for Chroma's numeric range filters)."""
    if not date:
        return 0
    parts = [int(p) for p in date.split("-")[:3]] + [0, 0]
    return parts[0] * 10000 + parts[1] * 100 + parts[2]


def _pages_str(pages: tuple[int, ...]) -> str:
    return ",".join(map(str, pages))


def _hit(meta: dict, text: str, chunk_id: str, score: float) -> Hit:
    return Hit(
        chunk_id=chunk_id,
        source=meta["source"],
        title=meta.get("title", ""),
        date=meta.get("date") or None,
        pages=tuple(int(p) for p in str(meta.get("pages", "")).split(",") if p),
        char_start=int(meta["char_start"]),
        char_end=int(meta["char_end"]),
        text=text,
        original=meta.get("original", ""),
        score=score,
    )


class ChromaStore:
    """Dense store of chunks plus the originals of their documents."""

    def __init__(
        self, client: ClientAPI, embedder: Embedder | None = None, name: str = "vraagbaak"
    ) -> None:
        self._client = client
        self._embedder = embedder
        self._last_query: tuple[str, list[float]] | None = None
        self._chunks_name = f"{name}_chunks"
        self._documents = client.get_or_create_collection(
            f"{name}_documents", metadata={"schema": SCHEMA}, embedding_function=None
        )
        self._chunks = self._open_chunks(embedder.identity if embedder else None)
        self._vs = (
            Chroma(client=client, collection_name=self._chunks_name, embedding_function=embedder)
            if embedder and self._chunks is not None
            else None
        )

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

    # -- documents -------------------------------------------------------------------------
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
        )

    # -- writing ---------------------------------------------------------------------------
    def add_chunks(self, document: Document, chunks: list[Chunk]) -> None:
        """Embed and add chunks (call in batches); the document record is written separately."""
        if self._vs is None:
            raise RuntimeError("store opened without an embedder cannot add chunks")
        metas = [
            {
                "source": c.source,
                "title": document.title,
                "date": document.date or "",
                "date_key": date_key(document.date),
                "sha256": document.sha256,
                "index": c.index,
                "char_start": c.char_start,
                "char_end": c.char_end,
                "pages": _pages_str(c.pages),
                "original": document.original[c.char_start : c.char_end],
            }
            for c in chunks
        ]
        self._vs.add_texts([c.text for c in chunks], metadatas=metas, ids=[c.id for c in chunks])

    def finish_document(self, document: Document, n_chunks: int, chunking: str) -> None:
        """Drop chunks of older versions, then record the document as complete (last step)."""
        if self._chunks is not None:
            self._chunks.delete(
                where={"$and": [{"source": document.source}, {"sha256": {"$ne": document.sha256}}]}
            )
        meta = {
            "source": document.source,
            "title": document.title,
            "date": document.date or "",
            "type": document.type,
            "sha256": document.sha256,
            "chunks": n_chunks,
            "chunking": chunking,
            "pages": json.dumps({str(k): list(v) for k, v in document.pages.items()}),
        }
        self._documents.upsert(
            ids=[document.source], documents=[document.original], metadatas=[meta],
            embeddings=[[1.0]],
        )

    def delete_chunks(self, source: str) -> None:
        if self._chunks is not None:
            self._chunks.delete(where={"source": source})

    def delete_document(self, source: str) -> bool:
        existed = self.document(source) is not None
        self._documents.delete(ids=[source])
        self.delete_chunks(source)
        return existed

    def reset(self) -> None:
        """Drop every collection of this index."""
        for name in (self._chunks_name, self._documents.name):
            with contextlib.suppress(NotFoundError, ValueError):
                self._client.delete_collection(name)

    # -- reading ---------------------------------------------------------------------------
    def count_chunks(self, source: str | None = None) -> int:
        if self._chunks is None:
            return 0
        if source is None:
            return self._chunks.count()
        return len(self._chunks.get(where={"source": source}, include=[])["ids"])

    def search(self, query: str, k: int = 5, where: dict | None = None) -> list[Hit]:
        """Dense search; `score` is the cosine similarity."""
        if self._vs is None or self._chunks.count() == 0:
            return []
        vec = self._query_vector(query)
        found = self._vs.similarity_search_by_vector_with_relevance_scores(vec, k=k, filter=where)
        return [
            _hit(doc.metadata, doc.page_content, doc.id or "", 1.0 - float(dist))
            for doc, dist in found
        ]

    def similarities(self, query: str, chunk_ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of `query` to the given chunks (ids not stored are left out).

        Used to complete score fusion for candidates only the lexical search found.
        """
        if self._vs is None or not chunk_ids:
            return {}
        got = self._chunks.get(ids=list(chunk_ids), include=["embeddings"])
        if not got["ids"]:
            return {}
        q = np.asarray(self._query_vector(query), dtype=np.float32)
        m = np.asarray(got["embeddings"], dtype=np.float32)
        sims = m @ q / np.maximum(np.linalg.norm(m, axis=1) * np.linalg.norm(q), 1e-12)
        return {cid: float(x) for cid, x in zip(got["ids"], sims, strict=True)}

    def _query_vector(self, query: str) -> list[float]:
        """The query's embedding; the last one is kept (search, then `similarities`)."""
        last = self._last_query
        if last is not None and last[0] == query:
            return last[1]
        vec = self._embedder.embed_query(query)
        self._last_query = (query, vec)
        return vec

    def chunks_of(self, source: str) -> list[Hit]:
        got = self._chunks.get(where={"source": source}, include=["metadatas", "documents"])
        hits = [
            _hit(m, d, i, 0.0)
            for i, m, d in zip(got["ids"], got["metadatas"], got["documents"], strict=True)
        ]
        return sorted(hits, key=lambda h: h.char_start)
