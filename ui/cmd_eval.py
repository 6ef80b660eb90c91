"""`vraagbaak eval QUESTIONS.jsonl`: retrieval quality of the current index and configuration.

    vraagbaak eval vragen.jsonl [--json] [--compare dense,bm25,hybrid] [-k 30]
                                [--doc BRON ...] [--from JJJJ[-MM[-DD]]] [--to ...]

Prints a table (one row per configuration) of recall@1/5/10, MRR@10 and nDCG@10 (document
level, see rag.evaluate); `--json` prints one object (or, with --compare, a list of objects
with a "config" key) with keys n, recall@1, recall@5, recall@10, mrr, ndcg@10.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rag.evaluate import evaluate, format_table, read_questions
from ui.sources import add_filter_arguments, filters_from_args

CONFIGS = ("current", "dense", "bm25", "hybrid")


def add_parser(subparsers) -> argparse.ArgumentParser:
    s = subparsers.add_parser("eval", help="zoekkwaliteit meten met een vragenbestand (JSONL)")
    s.add_argument("questions", type=Path,
                   help='JSONL: {"question": ..., "doc": einde van het bronpad, "quote"?: ...}')
    s.add_argument("--json", action="store_true")
    s.add_argument("--compare", metavar="CONFIGS",
                   help=f"komma-gescheiden configuraties, één rij elk: {', '.join(CONFIGS)}")
    s.add_argument("-k", type=int, default=30,
                   help="aantal passages per vraag opgehaald (standaard 30; metrics tot 10 "
                        "documenten)")
    add_filter_arguments(s)
    return s


def retriever(components, name: str):
    """The retriever for a named configuration ("current": as configured, reranker included)."""
    if name == "current":
        return components.retriever
    if name not in CONFIGS:
        raise ValueError(f"onbekende configuratie {name!r} (kies uit {', '.join(CONFIGS)})")
    return components.first_stage(name)


def run(components, args: argparse.Namespace) -> int:
    questions = read_questions(args.questions)
    if not questions:
        print(f"fout: geen vragen in {args.questions}", file=sys.stderr)
        return 1
    names = [n.strip() for n in (args.compare or "current").split(",") if n.strip()]
    filters = filters_from_args(components.catalog, args)
    results = [evaluate(retriever(components, name), questions, name=name, fetch=args.k,
                        filters=filters) for name in names]
    if args.json:
        if args.compare:
            out = [{"config": r.name, **r.summary()} for r in results]
        else:
            out = results[0].summary()
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_table([(r.name, r.summary()) for r in results],
                           {r.name: r.latency_ms() for r in results}))
    return 0
