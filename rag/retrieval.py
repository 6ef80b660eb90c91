"""The retrieval seam: every retriever is `retrieve(query, k, filters) -> list[Hit]`.

Implementations: `IndexRetriever` (one `ChunkIndex`: dense Chroma or BM25 alone),
`HybridRetriever` (rag/fusion.py: both, fused) and `RerankingRetriever` (rag/rerank.py: a
cross-encoder over another retriever's candidates). `rag.build.Components.retriever` is the
configured one; the QA chain, `search`, `eval` and the benches all go through it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from vectorstore.chunk_index import ChunkIndex
from vectorstore.records import Filters, Hit


@runtime_checkable
class Retriever(Protocol):
    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The best `k` chunks for `query` within `filters`, best first."""


class IndexRetriever:
    """One index on its own (dense only, or BM25 only)."""

    def __init__(self, index: ChunkIndex) -> None:
        self.index = index

    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        return self.index.search(query, k=k, filters=filters)
