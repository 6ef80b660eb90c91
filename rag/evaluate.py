"""Retrieval evaluation: recall@1/5/10, MRR@10 and nDCG@10 over a questions JSONL file.

Each line: {"question": ..., "doc": ..., "quote": ...?}. `doc` names the expected source as a
suffix of the ingested path; `quote`, when given, must occur in the retrieved chunk (compared
case- and whitespace-insensitively, in the original wording or the normalised text).

Metrics are document level: the retrieved chunks are read as a ranking of distinct documents
(first appearance), and a question's rank is the document rank of the first relevant chunk.
There is one relevant document per question, so with binary relevance nDCG@10 = 1/log2(rank+1)
and MRR@10 = 1/rank (0 beyond rank 10).
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rag.retrieval import Retriever
from vectorstore.records import Filters, Hit

METRICS = ("recall@1", "recall@5", "recall@10", "mrr", "ndcg@10")
DEPTH = 10


@dataclass(frozen=True)
class Question:
    question: str
    doc: str
    quote: str | None = None


def read_questions(path: Path | str) -> list[Question]:
    out = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                out.append(Question(obj["question"], obj["doc"], obj.get("quote") or None))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: geen geldige vraag ({exc})") from exc
    return out


def write_questions(path: Path | str, questions: Iterable[Question]) -> None:
    with Path(path).open("w", encoding="utf-8") as fh:
        for q in questions:
            obj = {"question": q.question, "doc": q.doc}
            if q.quote:
                obj["quote"] = q.quote
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def is_relevant(hit: Hit, q: Question) -> bool:
    if not hit.source.endswith(q.doc):
        return False
    if q.quote is None:
        return True
    quote = _squash(q.quote)
    return quote in _squash(hit.original) or quote in _squash(hit.text)


def doc_rank(hits: Sequence[Hit], q: Question) -> int | None:
    """1-based document rank of the first relevant chunk, or None when none is relevant."""
    seen: set[str] = set()
    for hit in hits:
        seen.add(hit.source)
        if is_relevant(hit, q):
            return len(seen)
    return None


def metrics(ranks: Sequence[int | None]) -> dict[str, float | int]:
    """The summary object: n, recall@1/5/10, mrr (@10), ndcg@10."""
    n = len(ranks)

    def mean(values: Iterable[float]) -> float:
        return sum(values) / n if n else 0.0

    def within(r: int | None, k: int) -> bool:
        return r is not None and r <= k

    return {
        "n": n,
        "recall@1": mean(1.0 if within(r, 1) else 0.0 for r in ranks),
        "recall@5": mean(1.0 if within(r, 5) else 0.0 for r in ranks),
        "recall@10": mean(1.0 if within(r, 10) else 0.0 for r in ranks),
        "mrr": mean(1.0 / r if within(r, DEPTH) else 0.0 for r in ranks),
        "ndcg@10": mean(1.0 / math.log2(r + 1) if within(r, DEPTH) else 0.0 for r in ranks),
    }


@dataclass
class EvalResult:
    name: str
    ranks: list[int | None] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def summary(self, select: Sequence[bool] | None = None) -> dict[str, float | int]:
        ranks = self.ranks if select is None else [
            r for r, keep in zip(self.ranks, select, strict=True) if keep
        ]
        return metrics(ranks)

    def latency_ms(self) -> tuple[float, float]:
        """p50 and p95 retrieval time in milliseconds."""
        if not self.seconds:
            return 0.0, 0.0
        ordered = sorted(self.seconds)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        return statistics.median(ordered) * 1000, p95 * 1000


def evaluate(
    retriever: Retriever, questions: Sequence[Question], name: str = "", fetch: int = 30,
    filters: Filters | None = None,
) -> EvalResult:
    """Retrieve `fetch` chunks per question (more than 10 documents' worth) within `filters`."""
    result = EvalResult(name)
    for q in questions:
        started = time.perf_counter()
        hits = retriever.retrieve(q.question, k=fetch, filters=filters)
        result.seconds.append(time.perf_counter() - started)
        result.ranks.append(doc_rank(hits, q))
    return result


def format_table(rows: Sequence[tuple[str, dict]], latency: dict[str, tuple] | None = None) -> str:
    """Markdown table, one row per configuration."""
    head = ["config", "n", *METRICS]
    if latency:
        head += ["p50 ms", "p95 ms"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    for name, s in rows:
        cells = [name, str(s["n"]), *(f"{s[m]:.3f}" for m in METRICS)]
        if latency:
            p50, p95 = latency.get(name, (0.0, 0.0))
            cells += [f"{p50:.0f}", f"{p95:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
