"""Answers on the honest question set (tests/data/answer_eval.jsonl), per split and kind.

    .venv/bin/python bench/answer_eval.py [--split dev|test|all] [--index .bench/index-eval]
                                          [--questions FILE] [-v] [--corpus-only] [--samples]

Indexes ../shared/corpus and all of ../shared/data into --index once (reused on re-runs), then
asks every question of the split. Answerable: right when a citation of the expected document
holds the expected answer text (whitespace and case folded; across the cited sentences of that
document, in order); "other passage" / "other document" / "refused" otherwise. Unanswerable:
right when refused. Every citation's quote (and every related passage of a refusal) is checked
against the stored original. Also counted: refused answerable questions whose expected answer
is among the refusal's related passages (shown to the user as no answer).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from common import REPO, SHARED, percentiles

from rag.build import build
from rag.settings import Settings


def fold(text: str) -> str:
    return " ".join(text.lower().split())


def outcome(answer, q: dict) -> str:
    if not q["answerable"]:
        return "right" if answer.refused else "answered"
    if answer.refused:
        return "refused"
    mine = [c for c in answer.citations if Path(c.source).name == q["doc"]]
    if not mine:
        return "other document"
    joined = " ".join(fold(c.quote) for c in sorted(mine, key=lambda c: c.char_start))
    return "right" if fold(q["quote"]) in joined else "other passage"


def in_related(answer, q: dict) -> bool:
    """A refused answerable question whose expected quote is among the refusal's related
    passages (shown as no answer, for the citizen to read)."""
    return q["answerable"] and answer.refused and any(
        Path(c.source).name == q["doc"] and fold(q["quote"]) in fold(c.quote)
        for c in answer.related)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="all", choices=["dev", "test", "all"])
    ap.add_argument("--index", type=Path, default=REPO / ".bench/index-eval")
    ap.add_argument("--questions", type=Path, default=REPO / "tests/data/answer_eval.jsonl")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every question")
    ap.add_argument("--corpus-only", action="store_true",
                    help="index only ../shared/corpus (default index .bench/index-corpus) and "
                         "ask only the questions about its two documents")
    ap.add_argument("--samples", action="store_true",
                    help="take the corpus documents from samples/ (with the letter's sidecar, as "
                         "a new user has them) instead of ../shared/corpus (default index "
                         ".bench/index-eval-samples or .bench/index-samples)")
    args = ap.parse_args()
    if args.index == REPO / ".bench/index-eval":  # the default: one index per setting
        name = {(False, False): "index-eval", (False, True): "index-eval-samples",
                (True, False): "index-corpus", (True, True): "index-samples"}
        args.index = REPO / ".bench" / name[(args.corpus_only, args.samples)]
    c = build(Settings().model_copy(update={"data_dir": args.index}))
    t0 = time.perf_counter()
    corpus = REPO / "samples" if args.samples else SHARED / "corpus"
    sources = [corpus] if args.corpus_only else [corpus, SHARED / "data"]
    # as `vraagbaak ingest` does: also marks the sentence vectors complete, which turns on the
    # answering chain's sentence search (`c.indexer.ingest` alone left it off)
    report = c.ingest(sources, progress=False)
    if report.added:
        print(f"indexed {len(report.added)} documents in {time.perf_counter() - t0:.0f} s")
    qs = [json.loads(x) for x in args.questions.read_text(encoding="utf-8").splitlines() if x]
    qs = [q for q in qs if args.split == "all" or q["split"] == args.split]
    if args.corpus_only:
        names = {p.name for p in corpus.iterdir()}
        qs = [q for q in qs if q.get("doc") in names]
    table: Counter = Counter()
    kinds: Counter = Counter()
    secs, unverified, related = [], 0, 0
    for q in qs:
        answer = c.chain.ask(q["question"])
        secs.append(answer.seconds)
        unverified += sum(not x.verified for x in [*answer.citations, *answer.related])
        related += in_related(answer, q)
        got = outcome(answer, q)
        table[(q["answerable"], got)] += 1
        kinds[(q["kind"], got == "right")] += 1
        if args.verbose or got != "right":
            cited = "; ".join(f"{Path(x.source).name}: {x.quote[:90]!r}"
                              for x in answer.citations[:3])
            print(f"{q['id']} {'A' if q['answerable'] else 'U'} {got:<14} {q['kind']:<15} "
                  f"{q['question'][:70]}\n      -> {cited or '(geweigerd)'}")
    n_a = sum(v for (a, _), v in table.items() if a)
    n_u = sum(v for (a, _), v in table.items() if not a)
    print(f"\nsplit {args.split}: {len(qs)} questions")
    print(f"answerable   {table[(True, 'right')]}/{n_a} right "
          f"({100 * table[(True, 'right')] / max(n_a, 1):.0f} %): "
          + ", ".join(f"{k} {v}" for (a, k), v in sorted(table.items()) if a and k != "right"))
    print(f"unanswerable {table[(False, 'right')]}/{n_u} refused "
          f"({100 * table[(False, 'right')] / max(n_u, 1):.0f} %)")
    print(f"refused answerable with the expected quote among the related passages: {related}/"
          f"{table[(True, 'refused')]}")
    print("per kind: " + ", ".join(
        f"{k} {kinds[(k, True)]}/{kinds[(k, True)] + kinds[(k, False)]}"
        for k in sorted({k for k, _ in kinds})))
    p50, p95 = percentiles(secs)
    print(f"citations not verbatim: {unverified}; ask p50 {p50:.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
