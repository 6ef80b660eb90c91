"""Dense search over single sentences, beside the chunk retrievers.

A chunk of 1,000 characters is one vector: a short sentence that answers a question ("Het
eigen risico gaat naar nul.") is diluted in it, and its chunk can rank below the top `k`.
Every sentence of the index already has its own passage vector (kept at ingest,
vectorstore/sentence_vectors.py), so a question can be compared with every sentence at the
cost of one matrix product (about 1.5 ms per 50,000 sentences on 2 cores).

`SentenceSearch` holds that matrix (float32, 1.5 KB per sentence), built on first use from
the BM25 index's rows and the kept vectors; it stays off (nothing is ever embedded for it)
until every sentence's vector is kept, and above `max_chunks` chunks;
`SentenceBoostRetriever` adds the chunks of the closest sentences that the first-stage
retriever missed, up to `extra`, after its `k` hits. Only the answering chain uses it;
`search` keeps its ranking. Measured on the dev half of tests/data/answer_eval.jsonl
(bench/answer_eval.py): 20/46 -> 24/46 answerable right, unanswerable refused unchanged.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from ingest.passage_sentences import MIN_SENTENCE_CHARS, passage_sentences
from rag.retrieval import Retriever
from vectorstore.records import Filters, Hit, hit_from_row, row_furniture

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_blas_thread():
    """The matrix product on one BLAS thread: OpenBLAS's idle threads spin after a call and
    slowed the question's embedding and Chroma's search that follow it (2x on 2 cores)."""
    return _controller().limit(limits=1, user_api="blas")


class SentenceSearch:
    """Every sentence of the index against a question vector."""

    def __init__(self, rows: Callable[[], list[dict]], vectors: Callable[[list[str]], np.ndarray],
                 embed_query: Callable[[str], list[float]], max_chunks: int = 50_000,
                 ready: Callable[[], bool] = lambda: True,
                 mask: Callable[[Filters], np.ndarray | None] | None = None) -> None:
        self._rows_of = rows
        self._mask_of = mask  # the rows' filter mask, in the order of `rows()` (BM25's)
        self._ready = ready
        self._vectors = vectors
        self._embed_query = embed_query
        self.max_chunks = max_chunks
        self._lock = threading.Lock()
        self._built = False
        self._rows: list[dict] = []
        self._owner = np.zeros(0, dtype=np.int32)  # sentence -> its chunk's row
        self._matrix: np.ndarray | None = None
        self._last: tuple[str, np.ndarray, np.ndarray] | None = None

    def off_reason(self, chunks: int) -> str | None:
        """Why the search stays off over an index of `chunks` chunks; None when it is on (or
        the index is empty). Vectors not kept for every sentence are never embedded here."""
        if chunks and not self._ready():
            return "niet alle zinnen hebben een vector: vraagbaak ingest vult ze aan"
        if chunks > self.max_chunks:
            return (f"{chunks} chunks (grens {self.max_chunks}, instelling "
                    "VRAAGBAAK_SENTENCE_SEARCH_MAX_CHUNKS)")
        return None

    def _build(self) -> None:
        rows = self._rows_of()
        if (why := self.off_reason(len(rows))) is not None:
            log.info("zinnen zoeken staat uit: %s", why)
            rows = []
        texts: list[str] = []
        owner: list[int] = []
        seen: set[tuple[str, int]] = set()
        for i, row in enumerate(rows):
            for start, _end, text in passage_sentences(row.get("original", ""), row_furniture(row)):
                key = (row["source"], int(row["char_start"]) + start)  # overlap: once
                if len(text) < MIN_SENTENCE_CHARS or key in seen:
                    continue
                seen.add(key)
                texts.append(text)
                owner.append(i)
        self._rows = rows
        self._owner = np.asarray(owner, dtype=np.int32)
        self._matrix = np.ascontiguousarray(self._vectors(texts), dtype=np.float32) if texts \
            else None
        self._built = True

    def __len__(self) -> int:
        self._ensure()
        return len(self._owner)

    def _ensure(self) -> None:
        with self._lock:
            if not self._built:
                self._build()

    def chunks(self, query: str, n: int = 30, filters: Filters | None = None
               ) -> list[tuple[dict, float]]:
        """The chunks (rows) of the `n` sentences closest to `query` within `filters`, best
        first, each once with its best sentence's similarity."""
        self._ensure()
        if self._matrix is None:
            return []
        keep = (self._keep(filters)[self._owner] if filters is not None and not filters.empty
                else None)
        scores = self._scores(query, keep)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        out: list[tuple[dict, float]] = []
        seen: set[int] = set()
        for j in top[np.argsort(-scores[top], kind="stable")]:
            if not np.isfinite(scores[j]):
                break
            i = int(self._owner[j])
            if i not in seen:
                seen.add(i)
                out.append((self._rows[i], float(scores[j])))
        return out

    def _scores(self, query: str, keep: np.ndarray | None = None) -> np.ndarray:
        """Similarity of every sentence to `query`, or of the `keep` rows only (-inf
        elsewhere). The last query's full product is kept: the chain asks twice when a
        question names documents (all documents, then the named ones). A few kept documents
        are a small part of the matrix: then only their rows are multiplied."""
        last = self._last
        if last is not None and last[0] == query and last[1] is self._matrix:
            full = last[2]
        else:
            inside = np.flatnonzero(keep) if keep is not None else None
            q = np.asarray(self._embed_query(query), dtype=np.float32)
            with _one_blas_thread():
                if inside is not None and len(inside) * 4 <= len(keep):
                    scores = np.full(len(keep), -np.inf, dtype=np.float32)
                    scores[inside] = self._matrix[inside] @ q
                    return scores
                full = self._matrix @ q
            self._last = (query, self._matrix, full)
        return full if keep is None else np.where(keep, full, -np.inf)

    def _keep(self, filters: Filters) -> np.ndarray:
        keep = self._mask_of(filters) if self._mask_of is not None else None
        if keep is None or len(keep) != len(self._rows):
            keep = np.fromiter((filters.accepts(r["source"], r.get("date")) for r in self._rows),
                               dtype=bool, count=len(self._rows))
        return keep


class SentenceBoostRetriever:
    """`base`'s `k` hits, then up to `extra` chunks whose sentences are closest to the query
    and that `base` did not return."""

    def __init__(self, base: Retriever, search: SentenceSearch, extra: int = 3,
                 sentences: int = 30) -> None:
        self.base = base
        self.search = search
        self.extra = extra
        self.sentences = sentences

    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        hits = self.base.retrieve(query, k, filters)
        if self.extra <= 0:
            return hits
        have = {h.chunk_id for h in hits}
        added: list[Hit] = []
        for row, score in self.search.chunks(query, self.sentences, filters):
            if row["chunk_id"] not in have:
                have.add(row["chunk_id"])
                added.append(hit_from_row(row, score))
                if len(added) >= self.extra:
                    break
        return hits + added
