"""Extractive answers against generated ones from a local model, on the corpus question set
with the election programmes beside the corpus as distractors.

    .venv/bin/python bench/llm_answers.py [--index .bench/index-llm] [--limit N]
                                          [--backend openai|ollama --base-url URL --model NAME]

Starts llama-cpp-python's OpenAI-compatible server with SmolLM2-135M-Instruct
(`make llm-test-deps`), asks every question of tests/data/corpus_questions.jsonl with the
extractive answerer and with the model (`VRAAGBAAK_ANSWERER=openai`), and reports per answerer:
answerable answered from the right document / refused, unanswerable refused, the share of
generated sentences that grounding supported, the share of citations verified against the
stored original, and latency p50/p95. SmolLM2-135M writes no usable Dutch: its figures show
the plumbing and what grounding keeps out, not answer quality. With --base-url the bench uses
your own server instead (e.g. Ollama with a Dutch-capable model).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from common import REPO, SHARED, percentiles

from rag.build import build
from rag.chain import QAChain
from rag.settings import Settings

sys.path.insert(0, str(REPO))
from tests.llm_server import MODEL_ALIAS, llama_server  # noqa: E402

QUESTION_FILE = REPO / "tests/data/corpus_questions.jsonl"


def run(chain: QAChain, questions: list[dict], label: str) -> None:
    right = refused_a = refused_u = n_a = n_u = 0
    sentences = supported = cites = verified = fallbacks = 0
    secs = []
    for q in questions:
        a = chain.ask(q["question"])
        secs.append(a.seconds)
        sentences += len(a.sentences)
        supported += sum(s.supported for s in a.sentences)
        cites += len(a.citations)
        verified += sum(c.verified for c in a.citations)
        fallbacks += a.answerer != chain_name(chain)
        if q["answerable"]:
            n_a += 1
            refused_a += a.refused
            right += not a.refused and any(c.source.endswith(q["doc"]) for c in a.citations)
        else:
            n_u += 1
            refused_u += a.refused
    p50, p95 = percentiles(secs)
    print(f"| {label} | {right}/{n_a} | {refused_a}/{n_a} | {refused_u}/{n_u} | "
          f"{supported}/{sentences} ({100 * supported / max(sentences, 1):.0f} %) | "
          f"{verified}/{cites} ({100 * verified / max(cites, 1):.0f} %) | "
          f"{p50:.0f} / {p95:.0f} ms | {fallbacks} |", flush=True)


def chain_name(chain: QAChain) -> str:
    return getattr(chain._answerer, "name", "extractive")  # noqa: SLF001 (bench only)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", default=str(REPO / ".bench/index-llm"))
    ap.add_argument("--limit", type=int, default=0, help="only the first N questions")
    ap.add_argument("--backend", default="openai", choices=["openai", "ollama"])
    ap.add_argument("--base-url", help="your LLM server (default: start the SmolLM2 server)")
    ap.add_argument("--model", default=MODEL_ALIAS)
    args = ap.parse_args()
    questions = [json.loads(x) for x in QUESTION_FILE.read_text(encoding="utf-8").splitlines()
                 if x.strip()]
    if args.limit:
        questions = questions[: args.limit]
    base = Settings().model_copy(update={"data_dir": Path(args.index)})
    c = build(base)
    programmes = [p for p in (SHARED / "data").rglob("*_2021.txt")]
    report = c.ingest([SHARED / "corpus", *programmes], progress=False)
    print(f"index {args.index}: {len(c.catalog.documents())} documents "
          f"({len(report.added)} added now), {len(questions)} questions\n")
    print("| answerer | answerable: right document | answerable refused | unanswerable "
          "refused | generated sentences supported | citations verified | ask p50 / p95 | "
          "fallbacks |\n|---|---|---|---|---|---|---|---|")
    run(c.chain, questions, "extractive")
    def generated(url: str, label: str) -> None:
        llm = build(base.model_copy(update={
            "answerer": args.backend, "llm_base_url": url, "llm_model": args.model,
            "llm_timeout": 120}))
        llm.embedder = c.embedder  # one model in memory
        run(llm.chain, questions, label)

    if args.base_url:
        generated(args.base_url, f"{args.backend}: {args.model}")
        return
    with llama_server() as url:
        generated(url, f"openai: {MODEL_ALIAS} (llama.cpp server)")


if __name__ == "__main__":
    main()
