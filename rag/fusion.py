"""Hybrid retrieval: dense (e5) and lexical (BM25) rankings fused.

`FusionConfig`'s own default is weighted reciprocal rank fusion,
score(c) = sum_r w_r / (rrf_k + rank_r(c)) (rank 1-based). The score-based methods mix
normalised scores, w_d * dense + w_l * lexical, over the union of both candidate lists:
`method="convex"` normalises each list min-max, `method="zscore"` by its mean and standard
deviation (less at the mercy of the one lowest score that min-max stretches to 0).

Score completion (`complete_scores`, score-based methods only): a candidate that only one
retriever returned is scored by the other one too (`ChunkIndex.scores`), so the fusion
compares complete scores instead of guessing; without a scorer, a missing chunk gets that
list's lowest normalised score. The product default
(`rag.settings`) is chosen by measurement in bench/kamervragen.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vectorstore.chunk_index import ChunkIndex
from vectorstore.records import Filters, Hit

Scorer = Callable[[str, list[str]], dict[str, float]]  # (query, chunk ids) -> scores
METHODS = ("rrf", "convex", "zscore")


@dataclass(frozen=True)
class FusionConfig:
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    rrf_k: float = 60.0
    candidates: int = 50  # per retriever, before fusion
    method: str = "rrf"  # or "convex" (min-max) or "zscore"
    complete_scores: bool = True  # score-based methods: score one retriever's finds by both

    def __post_init__(self) -> None:
        if self.method not in METHODS:
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


def _minmax(hits: Sequence[Hit]) -> Callable[[float], float]:
    """x -> (x - min) / (max - min) over the list's scores (1.0 when they are all equal)."""
    scores = [h.score for h in hits]
    lo, span = min(scores), max(scores) - min(scores)
    return lambda x: (x - lo) / span if span > 0 else 1.0


def _zscore(hits: Sequence[Hit]) -> Callable[[float], float]:
    """x -> (x - mean) / std over the list's scores (0.0 when they are all equal)."""
    scores = [h.score for h in hits]
    mean = sum(scores) / len(scores)
    std = (sum((x - mean) ** 2 for x in scores) / len(scores)) ** 0.5
    return lambda x: (x - mean) / std if std > 0 else 0.0


_NORMALISE = {"convex": _minmax, "zscore": _zscore}


def convex(
    rankings: Sequence[Sequence[Hit]],
    weights: Sequence[float] | None = None,
    normalise: str = "convex",
    extra: Sequence[dict[str, float]] | None = None,
) -> list[Hit]:
    """Weighted sum of normalised scores (`normalise`: "convex" min-max, or "zscore").

    `extra[i]` holds raw scores, by list i's retriever, of chunks list i lacks; they are
    normalised with list i's own statistics. A chunk missing from a list without an extra
    score gets that list's lowest normalised value (0 for min-max).
    """
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    extra = list(extra) if extra is not None else [{}] * len(rankings)
    if not len(weights) == len(extra) == len(rankings):
        raise ValueError("one weight (and one extra table) per ranking")
    first: dict[str, Hit] = {}
    for ranking in rankings:
        for hit in ranking:
            first.setdefault(hit.chunk_id, hit)
    fused = dict.fromkeys(first, 0.0)
    for ranking, w, more in zip(rankings, weights, extra, strict=True):
        if not ranking:
            continue
        scale = _NORMALISE[normalise](ranking)
        table = {h.chunk_id: scale(h.score) for h in ranking}
        floor = min(table.values())
        for cid in fused:
            if cid in table:
                fused[cid] += w * table[cid]
            elif cid in more:
                fused[cid] += w * scale(more[cid])
            else:
                fused[cid] += w * floor
    order = sorted(fused, key=lambda cid: -fused[cid])  # stable: first-seen order on ties
    return [dataclasses.replace(first[cid], score=fused[cid]) for cid in order]


def missing_scores(
    query: str, rankings: Sequence[Sequence[Hit]], scorers: Sequence[Scorer | None]
) -> list[dict[str, float]]:
    """Per list: its retriever's scores for the candidates only the other lists hold."""
    union = list(dict.fromkeys(h.chunk_id for r in rankings for h in r))
    out: list[dict[str, float]] = []
    for ranking, scorer in zip(rankings, scorers, strict=True):
        have = {h.chunk_id for h in ranking}
        lacking = [c for c in union if c not in have]
        out.append(scorer(query, lacking) if scorer and ranking and lacking else {})
    return out


def fuse(
    rankings: Sequence[Sequence[Hit]],
    weights: Sequence[float],
    config: FusionConfig,
    extra: Sequence[dict[str, float]] | None = None,
) -> list[Hit]:
    """Fuse ranked lists by `config.method` (rrf, convex or zscore; `extra`: see `convex`)."""
    if config.method == "rrf":
        return rrf(rankings, weights, k=config.rrf_k)
    return convex(rankings, weights, normalise=config.method, extra=extra)


class HybridRetriever:
    """A `Retriever` over a dense and a lexical `ChunkIndex`, fused by `config`."""

    def __init__(
        self,
        dense: ChunkIndex | None,
        lexical: ChunkIndex | None,
        config: FusionConfig | None = None,
    ) -> None:
        if dense is None and lexical is None:
            raise ValueError("need at least one retriever")
        self.dense = dense
        self.lexical = lexical
        self.config = config or FusionConfig()

    def rankings(self, query: str, n: int, filters: Filters | None = None) -> list[list[Hit]]:
        c = self.config
        return [
            index.search(query, k=n, filters=filters) if index is not None and w > 0 else []
            for index, w in ((self.dense, c.dense_weight), (self.lexical, c.lexical_weight))
        ]

    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        c = self.config
        dense, lexical = self.rankings(query, max(k, c.candidates), filters)
        if not lexical:
            return dense[:k]
        if not dense:
            return lexical[:k]
        extra = None
        if c.method != "rrf" and c.complete_scores:
            extra = missing_scores(query, [dense, lexical],
                                   [self.dense.scores, self.lexical.scores])
        return fuse([dense, lexical], (c.dense_weight, c.lexical_weight), c, extra)[:k]
