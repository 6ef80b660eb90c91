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

from rag.build import fusion_config
from rag.evaluate import evaluate, format_table, read_questions
from rag.filters import Filters
from rag.fusion import HybridRetriever

CONFIGS = ("current", "dense", "bm25", "hybrid")


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    """--doc / --from / --to, shared by search, ask and eval."""
    p.add_argument("--doc", action="append", dest="docs", metavar="BRON",
                   help="alleen dit document (pad of uniek einde ervan; herhaalbaar)")
    p.add_argument("--from", dest="date_from", metavar="DATUM",
                   help="alleen documenten vanaf deze datum (JJJJ, JJJJ-MM of JJJJ-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATUM",
                   help="alleen documenten tot en met deze datum")


def filters_from_args(components, args: argparse.Namespace) -> Filters:
    """Filters from --doc/--from/--to; each --doc is resolved against the indexed sources."""
    sources = None
    if getattr(args, "docs", None):
        known = [d.source for d in components.catalog.documents()]
        sources = []
        for given in args.docs:
            resolved = str(Path(given).expanduser().resolve())
            if given in known or resolved in known:
                sources.append(given if given in known else resolved)
                continue
            matches = [s for s in known if s.endswith(given)]
            if len(matches) != 1:
                what = "meerdere documenten" if matches else "geen document"
                raise ValueError(f"--doc {given}: {what} in de index")
            sources.append(matches[0])
    return Filters(sources, getattr(args, "date_from", None), getattr(args, "date_to", None))


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
    """The retrieve callable (query, k, where) for a named configuration."""
    if name == "current":
        return components.retrieve
    if name == "dense":
        return components.store.search
    lexical = components.lexical
    if name == "bm25":
        return HybridRetriever(None, lexical).retrieve
    if name == "hybrid":
        return HybridRetriever(components.store.search, lexical,
                               fusion_config(components.settings),
                               dense_scores=components.store.similarities).retrieve
    raise ValueError(f"onbekende configuratie {name!r} (kies uit {', '.join(CONFIGS)})")


def run(components, args: argparse.Namespace) -> int:
    questions = read_questions(args.questions)
    if not questions:
        print(f"fout: geen vragen in {args.questions}", file=sys.stderr)
        return 1
    names = [n.strip() for n in (args.compare or "current").split(",") if n.strip()]
    where = filters_from_args(components, args).where()
    results = []
    for name in names:
        retrieve = retriever(components, name)

        def call(q: str, k: int, retrieve=retrieve) -> list:
            return retrieve(q, k=k, where=where)

        results.append(evaluate(call, questions, name=name, fetch=args.k))
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
