"""Answers and refusals over ../shared/corpus with distractor documents ingested beside it.

    .venv/bin/python bench/distractors.py [--index .bench/index-e5-st] [--paths DIR...]

Ingests ../shared/corpus into the index (by default the one bench_ingest.py left with all of
../shared/data: the 16 election programmes, laws, Handelingen), then asks every question of
tests/data/corpus_questions.jsonl and reports, per question and in total: answered from the
right document with the expected quote, answered from another document, or refused.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common import REPO, SHARED

from rag.build import build
from rag.settings import Settings

QUESTION_FILE = REPO / "tests/data/corpus_questions.jsonl"


def fold(text: str) -> str:
    return " ".join(text.lower().split())


def outcome(answer, q: dict) -> str:
    if answer.refused:
        return "refused"
    right = [c for c in answer.citations if c.source.endswith(q["doc"])]
    if not right:
        return "other document"
    if q.get("quote") and not any(fold(q["quote"]) in fold(c.quote) for c in right):
        return "right document, other passage"
    return "right document"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", default=None, help="data dir (default .bench/index-<embedder>)")
    ap.add_argument("--paths", nargs="*", default=None,
                    help="distractors to ingest as well (default: none, the index has them)")
    args = ap.parse_args()
    settings = Settings()
    index = REPO / (args.index or f".bench/index-{settings.embedder}")
    c = build(settings.model_copy(update={"data_dir": index}))
    report = c.ingest([SHARED / "corpus", *map(Path, args.paths or [])], progress=False)
    docs = c.catalog.documents()
    print(f"index {index}: {len(docs)} documents, {c.store.count_chunks()} chunks "
          f"({len(report.added)} added now)")
    questions = [json.loads(x) for x in QUESTION_FILE.read_text(encoding="utf-8").splitlines()]
    table: dict[tuple[bool, str], int] = {}
    for q in questions:
        answer = c.chain.ask(q["question"])
        kind = outcome(answer, q)
        table[(q["answerable"], kind)] = table.get((q["answerable"], kind), 0) + 1
        cited = sorted({Path(x.source).name for x in answer.citations})
        print(f"{'A' if q['answerable'] else 'U'} {kind:<30} {q['question'][:60]:<60} "
              f"{', '.join(cited)}")
    print()
    for answerable in (True, False):
        n = sum(v for (a, _), v in table.items() if a == answerable)
        label = "answerable" if answerable else "unanswerable"
        parts = ", ".join(f"{k} {v}" for (a, k), v in sorted(table.items()) if a == answerable)
        print(f"{label:<13} {n:>3}: {parts}")


if __name__ == "__main__":
    main()
