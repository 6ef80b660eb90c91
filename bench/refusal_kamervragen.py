"""Refusal calibrated on Kamervragen: answered-right / answered-wrong / refused, per threshold.

    .venv/bin/python bench/refusal_kamervragen.py [--n 400] [--json OUT.json]

Every unique answer of ../shared/data/kamervragen/validation.csv is indexed (the product's
ingest, chunking and hybrid retrieval; embeddings cached in .bench/kamervragen-cache). For N
questions evenly spaced over the rows whose answer has >= 100 characters:

- answerable: the question over the index with its own answer in it;
- unanswerable: the same question with its own answer left out of the retrieved passages (the
  first `top_k` hits of other documents; the topic stays through the other answers). Leaving it
  out of the hits rather than the index keeps one index; only the fusion's normalisation of the
  candidate list differs.

The extractive answerer scores the candidate sentences once per question; each rule setting
(min_coverage x min_similarity, plus a second tier min_coverage_high at high_similarity, or none)
is then applied to those scores: the best-scoring sentence
that qualifies answers (right when it comes from the question's own answer). Questions are split
by position into a dev half (even) and a test half (odd): pick the setting on dev, report test.
The answer-kind rule (number / duration / date) and the adjacent-pair rule apply as in the app.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from common import REPO
from embed_cache import CachedEmbedder
from kamervragen import LONG, read_rows, write_corpus

from rag.build import build, make_embedder
from rag.extractive import ExtractiveConfig
from rag.settings import Settings
from vectorstore.records import hit_from_row

COVERAGES = (0.3, 0.4, 0.5, 0.6)
SIMILARITIES = (0.78, 0.80, 0.84)
SECOND_TIERS = (None, (0.25, 0.86), (0.2, 0.88), (0.35, 0.86), (0.15, 0.90))  # (coverage, sim)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def features(answerer, question: str, hits, right: str) -> list[tuple]:
    """(coverage, own, similarity, kind_ok, pair_cov_ok_sim, right) of each scored sentence
    that may answer (not `blocked`), best score first. `pair` holds the pair's (coverage,
    similarity) when it has a next one."""
    rows = []
    for x in answerer.score(question, hits):
        if x.blocked:  # outside the named documents, or without the question's names
            continue
        rows.append((x.coverage, x.own, x.similarity, x.kind_ok, x.pair, x.sentence.hit.source
                     .endswith(right)))
    return rows


def decide(rows: list[tuple], min_cov: float, min_sim: float, tier2=None,
           pair_min_own: float = ExtractiveConfig.pair_min_own,
           pair_min_sim: float = ExtractiveConfig.pair_min_similarity) -> str:
    """'right', 'wrong' or 'refused' under one rule setting (the app's rule, see extractive)."""
    def passes(c: float, s: float) -> bool:
        return (c >= min_cov and s >= min_sim) or (
            tier2 is not None and c >= tier2[0] and s >= tier2[1])

    for cov, own, sim, kind_ok, pair, right in rows:
        ok = own > 0 and kind_ok and passes(cov, sim)
        if not ok and pair is not None and own >= pair_min_own:
            ok = pair[2] and pair[1] >= pair_min_sim and passes(pair[0], pair[1])
        if ok:
            return "right" if right else "wrong"
    return "refused"


def with_extra(hits: list, near: list, extra: int) -> list:
    """`hits` plus up to `extra` chunks of the closest sentences not among them (as the app's
    SentenceBoostRetriever adds them)."""
    have = {h.chunk_id for h in hits}
    added = [h for h in near if h.chunk_id not in have]
    return hits + list({h.chunk_id: h for h in added}.values())[:extra]


def matrix(records: list[dict], min_cov: float, min_sim: float, tier2=None) -> dict:
    m = {"answered-right": 0, "answered-wrong": 0, "refused-answerable": 0,
         "answered-unanswerable": 0, "refused-unanswerable": 0}
    for r in records:
        a = decide(r["answerable"], min_cov, min_sim, tier2)
        m["refused-answerable" if a == "refused" else f"answered-{a}"] += 1
        u = decide(r["unanswerable"], min_cov, min_sim, tier2)
        m["refused-unanswerable" if u == "refused" else "answered-unanswerable"] += 1
    n = len(records) or 1
    m["right%"] = round(100 * m["answered-right"] / n, 1)
    m["refused-unanswerable%"] = round(100 * m["refused-unanswerable"] / n, 1)
    return m


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--cache", type=Path, default=REPO / ".bench/kamervragen-cache")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--records", type=Path,
                    help="write every question's scored sentences (features, right) as JSON")
    ap.add_argument("--no-sentence-search", action="store_true",
                    help="leave out the chunks of the closest sentences (rag/sentence_search.py)")
    args = ap.parse_args()
    settings = Settings()
    rows = read_rows(None)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="refusal-") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        questions, long_rows = write_corpus(rows, folder)
        c = build(settings.model_copy(update={"data_dir": Path(tmp) / "index"}))
        embedder = CachedEmbedder(make_embedder(settings), args.cache)
        c.embedder = embedder  # cached_property: the whole app uses the cached embedder
        c.indexer.progress = False
        c.indexer.ingest([folder])
        embedder.save()
        c.sentence_vectors.mark_complete()  # every chunk went through the sentence sink
        extra = 0 if args.no_sentence_search else settings.sentence_search_extra
        secs = time.perf_counter() - started
        log(f"indexed {len(c.catalog.documents())} answers in {secs:.0f} s")
        picked = [q for q, long in zip(questions, long_rows, strict=True) if long]
        step = max(1, len(picked) // args.n)
        picked = picked[::step][: args.n]
        answerer = c.extractive
        k = settings.top_k
        records = []
        for i, q in enumerate(picked):
            hits = c.retriever.retrieve(q.question, k + 10)
            own = [h for h in hits if h.source.endswith(q.doc)]
            others = [h for h in hits if not h.source.endswith(q.doc)]
            near = [hit_from_row(row, score) for row, score in
                    c.sentence_search.chunks(q.question)] if extra else []
            records.append({
                "answerable": features(answerer, q.question,
                                       with_extra(hits[:k], near, extra), q.doc),
                "unanswerable": features(answerer, q.question,
                                         with_extra(others[:k], [h for h in near if not
                                                                 h.source.endswith(q.doc)],
                                                    extra), q.doc),
                "retrieved": bool(own[:1]) and hits.index(own[0]) < k,
            })
            if (i + 1) % 50 == 0:
                embedder.save()
                log(f"  {i + 1}/{len(picked)} questions, {time.perf_counter() - started:.0f} s")
        embedder.save()
    halves = {"dev": records[0::2], "test": records[1::2]}
    grid = {f"{mc}/{ms} + {'-' if t2 is None else f'{t2[0]}/{t2[1]}'}":
            {h: matrix(r, mc, ms, t2) for h, r in halves.items()}
            for mc in COVERAGES for ms in SIMILARITIES for t2 in SECOND_TIERS}
    print(f"Kamervragen refusal: {len(records)} questions (answer >= {LONG} chars), each asked "
          f"with and without its own answer; retrieved in top {settings.top_k}: "
          f"{sum(r['retrieved'] for r in records)}\n")
    print("| rule: coverage/similarity + second tier | half | answered-right | answered-wrong | "
          "refused-answerable | answered-unanswerable | refused-unanswerable |")
    print("|---|---|---|---|---|---|---|")
    for key, by_half in grid.items():
        for half, m in by_half.items():
            print(f"| {key} | {half} | {m['answered-right']} ({m['right%']} %) | "
                  f"{m['answered-wrong']} | {m['refused-answerable']} | "
                  f"{m['answered-unanswerable']} | {m['refused-unanswerable']} "
                  f"({m['refused-unanswerable%']} %) |")
    current = (f"{settings.min_coverage}/{settings.min_similarity} + "
               f"{settings.min_coverage_high}/{settings.high_similarity}")
    print(f"\ncurrent setting {current}: {grid.get(current)}")
    print(f"wall time {time.perf_counter() - started:.0f} s")
    if args.records:
        args.records.write_text(json.dumps(records), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"grid": grid, "n": len(records)}, indent=2),
                             encoding="utf-8")


if __name__ == "__main__":
    main()
