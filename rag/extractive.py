"""The offline default answerer: quotes the most relevant source sentences verbatim.

Faithful by construction: every sentence of the answer is a sentence of a source, followed by
its citation marker. It refuses when no sentence carries the question's key terms and the kind
of answer asked for (a number for "hoeveel", a date for "wanneer"), whatever the similarity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ingest.terms import key_terms
from rag.evidence import (
    Sentence,
    coverage,
    expected_kind,
    has_kind,
    quantity_targets,
    sentences_of,
    term_matches,
)
from rag.types import Answer, Citation
from vectorstore.embedders import Embedder
from vectorstore.store import Hit

REFUSAL = (
    "Daarover vind ik geen antwoord in de documenten. Probeer de vraag anders te stellen, "
    "of kijk of het juiste document is geïndexeerd."
)


@dataclass(frozen=True)
class ExtractiveConfig:
    max_sentences: int = 3
    min_coverage: float = 0.5  # weighted share of the question's key terms in the best sentence
    min_similarity: float = 0.80  # cosine(query, sentence) floor for the best sentence (e5 scale)
    follow_gap: float = 0.04  # further sentences: similarity at most this far below the best
    max_candidates: int = 60
    context_chars: int = 240


@dataclass
class _Scored:
    sentence: Sentence
    coverage: float
    similarity: float
    score: float
    qualifies: bool


def _weights(keys: list[str], sentences: list[Sentence]) -> dict[str, float]:
    """Rarer key terms weigh more (idf over the candidate sentences)."""
    n = len(sentences) or 1
    stem_sets = [set(s.stems) for s in sentences]
    return {
        k: 1.0 + math.log((n + 1) / (1 + sum(term_matches(k, st) for st in stem_sets)))
        for k in keys
    }


class ExtractiveAnswerer:
    def __init__(self, embedder: Embedder, config: ExtractiveConfig | None = None) -> None:
        self.embedder = embedder
        self.config = config or ExtractiveConfig()

    def score(self, question: str, hits: list[Hit]) -> list[_Scored]:
        cfg = self.config
        sentences = [s for s in sentences_of(hits) if len(s.text) >= 15][: cfg.max_candidates]
        if not sentences:
            return []
        keys = key_terms(question)
        weights = _weights(keys, sentences)
        kind = expected_kind(question)
        targets = quantity_targets(question)
        q = np.asarray(self.embedder.embed_query(question))
        vecs = np.asarray(self.embedder.embed_documents([s.text for s in sentences]))
        sims = vecs @ q
        scored = []
        for s, sim in zip(sentences, sims, strict=True):
            cov = coverage(keys, set(s.stems), weights)
            ok = (cov >= cfg.min_coverage and sim >= cfg.min_similarity
                  and has_kind(s.text, kind, targets))
            scored.append(_Scored(s, cov, float(sim), float(sim) + 0.1 * cov, ok))
        return sorted(scored, key=lambda x: -x.score)

    def answer(self, question: str, hits: list[Hit]) -> Answer:
        scored = self.score(question, hits)
        best = next((x for x in scored if x.qualifies), None)
        if best is None:
            return Answer(question=question, answer=REFUSAL, citations=[], refused=True)
        chosen = [best]
        for x in scored:
            if len(chosen) >= self.config.max_sentences:
                break
            if x is best or x.similarity < best.similarity - self.config.follow_gap:
                continue
            if x.coverage < self.config.min_coverage or _redundant(x, chosen):
                continue
            chosen.append(x)
        return self._compose(question, [best, *_reading_order(chosen[1:])])

    def _compose(self, question: str, chosen: list[_Scored]) -> Answer:
        citations, parts = [], []
        for n, x in enumerate(chosen, 1):
            s, ctx = x.sentence, self.config.context_chars
            citations.append(
                Citation(
                    n=n,
                    source=s.hit.source,
                    title=s.hit.title,
                    date=s.hit.date,
                    page=s.hit.page,
                    char_start=s.char_start,
                    char_end=s.char_end,
                    quote=s.quote,
                    score=x.score,
                    context_before=s.context_before[-ctx:],
                    context_after=s.context_after[:ctx],
                )
            )
            parts.append(f"{s.text} [{n}]")
        return Answer(question=question, answer=" ".join(parts), citations=citations)


def _redundant(x: _Scored, chosen: list[_Scored]) -> bool:
    a = set(x.sentence.stems)
    for c in chosen:
        b = set(c.sentence.stems)
        if a and b and len(a & b) / len(a | b) > 0.5:
            return True
    return False


def _reading_order(chosen: list[_Scored]) -> list[_Scored]:
    """Documents in order of first appearance; within a document, source order."""
    first_seen: dict[str, int] = {}
    for i, x in enumerate(chosen):
        first_seen.setdefault(x.sentence.hit.source, i)
    return sorted(chosen, key=lambda x: (first_seen[x.sentence.hit.source], x.sentence.char_start))
