"""The seam between ingest and retrieval: what every index of chunks can do.

Implemented by `ChromaStore` (dense; it also keeps the document records) and `LexicalIndex`
(BM25). The indexer writes to a list of them; retrievers read through `search` and `scores`.
Every implementation passes the same contract suite
(tests/integration/test_chunk_index_contract.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from ingest.models import Chunk, Document
from vectorstore.records import Filters, Hit


@runtime_checkable
class ChunkSink(Protocol):
    """What the indexer writes to: every index, and stores derived from chunks that are not
    searched themselves (the sentence vectors of vectorstore/sentence_vectors.py)."""

    def add_chunks(self, document: Document, chunks: Sequence[Chunk]) -> None:
        """Add (or replace, by chunk id) some chunks of `document`; call in batches."""

    def finish_document(self, document: Document, chunk_ids: Sequence[str],
                        chunking: str) -> None:
        """The document's chunks are exactly `chunk_ids` now: drop the source's others."""

    def delete_source(self, source: str) -> object:
        """Remove every chunk (and record) of `source`."""

    def flush(self) -> None:
        """Make the writes so far durable (a no-op where every write already is)."""


@runtime_checkable
class ChunkIndex(ChunkSink, Protocol):
    """A searchable `ChunkSink`."""

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The top `k` chunks for `query` within `filters`, best first (`score`: the index's)."""

    def scores(self, query: str, chunk_ids: Sequence[str]) -> dict[str, float]:
        """This index's score of `query` for given chunks (ids it does not hold left out)."""
