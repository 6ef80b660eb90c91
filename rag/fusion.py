"""Hybrid retrieval: dense (e5) and lexical (BM25) rankings fused.

Default fusion is weighted reciprocal rank fusion, score(c) = sum_r w_r / (rrf_k + rank_r(c))
(rank 1-based). `method="convex"` instead mixes min-max normalised scores,
w_d * dense + w_l * lexical, over the union of both candidate lists.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.filters import parse_where
from vectorstore.lexical import LexicalIndex
from vectorstore.store import Hit

DenseSearch = Callable[..., list[Hit]]  # (query, k, where) -> hits


@dataclass(frozen=True)
class FusionConfig:
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    rrf_k: float = 60.0
    candidates: int = 50  # per retriever, before fusion
    method: str = "rrf"  # or "convex"

    def __post_init__(self) -> None:
        if self.method not in ("rrf", "convex"):
            raise ValueError(f"unknown fusion method {self.method!r}")
        if self.dense_weight < 0 or self.lexical_weight < 0:
            raise ValueError("fusion weights must be >= 0")


def rrf(
    rankings: Sequence[Sequence[Hit]], weights: Sequence[float] | None = None, k: float = 60.0
) -> list[Hit]:
    """Weighted reciprocal rank fusion by `chunk_id`; `score` becomes the fused score.

    The first ranking holding a chunk supplies its Hit; ties keep first-seen order.
    """
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    fused: dict[str, float] = {}
    first: dict[str, Hit] = {}
    for ranking, w in zip(rankings, weights, strict=True):
        for rank, hit in enumerate(ranking, start=1):
            first.setdefault(hit.chunk_id, hit)
            fused[hit.chunk_id] = fused.get(hit.chunk_id, 0.0) + w / (k + rank)
    order = sorted(fused, key=lambda cid: -fused[cid])  # stable: first-seen order on ties
    return [dataclasses.replace(first[cid], score=fused[cid]) for cid in order]


def _minmax(hits: Sequence[Hit]) -> dict[str, float]:
    if not hits:
        return {}
    scores = [h.score for h in hits]
    lo, hi = min(scores), max(scores)
    span = hi - lo
    return {h.chunk_id: (h.score - lo) / span if span > 0 else 1.0 for h in hits}


def convex(
    rankings: Sequence[Sequence[Hit]], weights: Sequence[float] | None = None
) -> list[Hit]:
    """Weighted sum of min-max normalised scores (a chunk missing from a list scores 0 there)."""
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    fused: dict[str, float] = {}
    first: dict[str, Hit] = {}
    for ranking, w in zip(rankings, weights, strict=True):
        for cid, s in _minmax(ranking).items():
            fused[cid] = fused.get(cid, 0.0) + w * s
        for hit in ranking:
            first.setdefault(hit.chunk_id, hit)
    order = sorted(fused, key=lambda cid: -fused[cid])
    return [dataclasses.replace(first[cid], score=fused[cid]) for cid in order]


class HybridRetriever:
    """`retrieve(query, k, where)` over a dense search callable and a `LexicalIndex`."""

    def __init__(
        self,
        dense: DenseSearch | None,
        lexical: LexicalIndex | None,
        config: FusionConfig | None = None,
    ) -> None:
        if dense is None and lexical is None:
            raise ValueError("need at least one retriever")
        self.dense = dense
        self.lexical = lexical
        self.config = config or FusionConfig()

    def rankings(self, query: str, n: int, where: dict | None = None) -> list[list[Hit]]:
        out: list[list[Hit]] = []
        if self.dense is not None and self.config.dense_weight > 0:
            out.append(self.dense(query, k=n, where=where))
        else:
            out.append([])
        if self.lexical is not None and self.config.lexical_weight > 0:
            out.append(self.lexical.search(query, k=n, **parse_where(where)))
        else:
            out.append([])
        return out

    def retrieve(self, query: str, k: int = 5, where: dict | None = None) -> list[Hit]:
        c = self.config
        dense, lexical = self.rankings(query, max(k, c.candidates), where)
        if not lexical:
            return dense[:k]
        if not dense:
            return lexical[:k]
        weights = (c.dense_weight, c.lexical_weight)
        if c.method == "convex":
            return convex([dense, lexical], weights)[:k]
        return rrf([dense, lexical], weights, k=c.rrf_k)[:k]

    __call__ = retrieve
