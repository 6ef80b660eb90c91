"""Paired latency of the named-document retrieval path, session 19 vs session 20, in one process.

    .venv/bin/python bench/ab_named_path.py [--index .bench/index-eval] [--rounds 6] [--only24]

Separate `bench_ask.py` processes of one code spread by ~10 % in p95 on this machine, as much as
the change they should measure. Here one set of components serves two chains that differ only in
`_step_retrieve`: the session-19 path (a question that names a document gets k chunks in all, its
three named passages first, and loses the sentence search's extra chunks) and the current one (as
many chunks as without a name). Each question is asked of both, alternating which goes first.
"""

from __future__ import annotations

import argparse
import copy
import json
import time
import types
from dataclasses import replace
from pathlib import Path

import numpy as np
from common import REPO
from langchain_core.runnables import RunnableLambda

from rag.build import build
from rag.settings import Settings
from vectorstore.records import Filters


def _session19_retrieve(self, turn):
    hits = self._retriever.retrieve(turn.query, turn.k, turn.filters)
    named = self._named(turn.query) if self._named and turn.filters is None else []
    if named:
        query = self._within(turn.query) if self._within else turn.query
        mine = self._retriever.retrieve(query, turn.k, Filters(sources=named))
        keep = mine[: max(1, turn.k - 2)]
        ids = {h.chunk_id for h in keep}
        hits = [*keep, *[h for h in hits if h.chunk_id not in ids]][: turn.k]
    return replace(turn, hits=hits)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", type=Path, default=REPO / ".bench/index-eval")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--only24", action="store_true",
                    help="only bench_ask.py's 24 questions (else also 120 of answer_eval.jsonl)")
    args = ap.parse_args()
    c = build(Settings().model_copy(update={"data_dir": args.index}))
    new = c.chain
    old = copy.copy(new)
    old._step_retrieve = types.MethodType(_session19_retrieve, old)
    old.runnable = (RunnableLambda(old._step_retrieve) | RunnableLambda(old._step_answer)
                    | RunnableLambda(old._step_verify))
    data = REPO / "tests/data"
    qs = [json.loads(x)["question"] for x in
          (data / "corpus_questions.jsonl").read_text(encoding="utf-8").splitlines()]
    if not args.only24:
        qs += [json.loads(x)["question"] for x in
               (data / "answer_eval.jsonl").read_text(encoding="utf-8").splitlines()][:120]
    new.ask("opwarmen")
    old.ask("opwarmen")
    times: dict[str, list[float]] = {"session 19": [], "session 20": []}
    for r in range(args.rounds):
        for i, q in enumerate(qs):
            pair = [("session 19", old), ("session 20", new)]
            for name, chain in (pair if (i + r) % 2 else pair[::-1]):
                t0 = time.perf_counter()
                chain.ask(q)
                times[name].append(time.perf_counter() - t0)
    for name, v in times.items():
        ms = np.asarray(v) * 1000
        print(f"{name}: {len(ms)} asks, p50 {np.percentile(ms, 50):.1f} ms, "
              f"p95 {np.percentile(ms, 95):.1f} ms, mean {ms.mean():.1f} ms")


if __name__ == "__main__":
    main()
