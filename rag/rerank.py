"""Optional reranking of the fused candidates by a cross-encoder (sentence-transformers).

No multilingual cross-encoder ships on PyPI, so none is on by default: users who have one
locally (e.g. a multilingual MiniLM or bge reranker saved as a sentence-transformers
`CrossEncoder` folder) set `VRAAGBAAK_RERANKER_MODEL` to its folder. Without one, the fused
ranking stands. The model is loaded from that folder only (`local_files_only`), never from the
network.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from rag.retrieval import Retriever
from vectorstore.records import Filters, Hit


class RerankerError(RuntimeError):
    """The reranker model cannot be used (message names the folder and the reason)."""


class CrossEncoderReranker:
    """Scores (question, passage) pairs with a local `CrossEncoder` and reorders the hits."""

    def __init__(self, model_path: Path | str, batch_size: int = 16,
                 max_length: int = 512) -> None:
        path = Path(model_path).expanduser()
        if not (path / "config.json").is_file():
            raise RerankerError(
                f"Reranker-model niet bruikbaar: {path} bevat geen config.json (verwacht: de map "
                "van een sentence-transformers CrossEncoder). (Reranker model folder not found "
                "or incomplete.)"
            )
        from sentence_transformers import CrossEncoder

        try:
            self._model = CrossEncoder(str(path), device="cpu", local_files_only=True,
                                       max_length=max_length)
        except (OSError, ValueError) as exc:
            raise RerankerError(f"Reranker-model {path} kan niet geladen worden: {exc}") from exc
        self.path = path
        self.batch_size = batch_size

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        """One relevance score per text (higher is more relevant)."""
        if not texts:
            return []
        out = self._model.predict([(query, t) for t in texts], batch_size=self.batch_size,
                                  show_progress_bar=False)
        return [float(x) for x in out]

    def rerank(self, query: str, hits: Sequence[Hit], k: int) -> list[Hit]:
        """The top `k` hits by the cross-encoder; `score` becomes its score (ties: fused order)."""
        scores = self.scores(query, [h.text for h in hits])
        order = sorted(range(len(hits)), key=lambda i: -scores[i])
        return [dataclasses.replace(hits[i], score=scores[i]) for i in order[:k]]


class RerankingRetriever:
    """A `Retriever`: the first stage's top `candidates`, reranked, cut to k."""

    def __init__(self, first_stage: Retriever, reranker: CrossEncoderReranker,
                 candidates: int = 20) -> None:
        self.first_stage = first_stage
        self.reranker = reranker
        self.candidates = candidates

    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        hits = self.first_stage.retrieve(query, k=max(k, self.candidates), filters=filters)
        return self.reranker.rerank(query, hits, k)
