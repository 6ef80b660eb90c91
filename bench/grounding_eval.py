"""Grounding thresholds, measured: which generated sentences count as supported by a passage.

    .venv/bin/python bench/grounding_eval.py [--split dev|test|all]

tests/data/grounding_eval.jsonl: sentences as an LLM writes them at B1 level about one passage
(a window of ~1,000 characters around a source sentence of ../shared), half supported by it
(paraphrases), half not (plausible claims the passage does not make). For every sentence the
hard checks (numbers, names, quotations) and the best source span's word overlap and e5
similarity are computed once; then each threshold pair is scored: supported-right (a supported
sentence accepted) and supported-wrong (an unsupported one accepted). The default is chosen on
the dev half; the test half is only reported.
"""

from __future__ import annotations

import argparse
import json
import re

from common import REPO, SHARED

from ingest.loaders import load_document
from rag.build import build, offline_environment
from rag.grounding import Grounder, GroundingConfig
from rag.settings import Settings
from vectorstore.records import Hit

WINDOW = 500


def passage(doc_name: str, anchor: str) -> Hit:
    path = next(p for p in SHARED.rglob(doc_name) if p.is_file())
    doc = load_document(path)
    m = re.search(r"\s+".join(map(re.escape, anchor.split())), doc.original)  # line breaks
    a, b = max(0, m.start() - WINDOW), min(len(doc.original), m.end() + WINDOW)
    text = doc.original[a:b]
    return Hit(chunk_id=f"{doc_name}-{a}", source=str(path), title=doc.title, date=doc.date,
               pages=(), char_start=a, char_end=b, text=" ".join(text.split()), original=text,
               score=1.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="all", choices=["dev", "test", "all"])
    args = ap.parse_args()
    offline_environment()
    embedder = build(Settings()).embedder
    items = [json.loads(x) for x in (REPO / "tests/data/grounding_eval.jsonl").read_text(
        encoding="utf-8").splitlines() if x.strip()]
    default = GroundingConfig()
    grounder = Grounder(embedder, default)
    rows = []
    for it in items:
        hit = passage(it["doc"], it["anchor"])
        hard = grounder.check(it["sentence"], (1,), [hit])
        found = [] if hard else [(ov, sim) for _, ov, sim in
                                 grounder.candidates(it["sentence"], (1,), [hit])]
        rows.append((it, hard, found))
        best = max(found, key=lambda f: f[0] + f[1]) if found else (0, 0)
        print(f"{it['id']} {it['split']:<4} {'S' if it['supported'] else 'U'} "
              f"{'hard: ' + hard if hard else f'overlap {best[0]:.2f} sim {best[1]:.3f}'}  "
              f"{it['sentence'][:70]}")
    grid = [(ov, sim) for ov in (0.3, 0.4, 0.5, 0.6, 0.7) for sim in (0.80, 0.82, 0.84, 0.86)]
    print("\n| min overlap / min sim (+ second tier "
          f"{default.min_overlap_high}/{default.high_similarity}) | split | supported right | "
          "supported wrong |\n|---|---|---|---|")
    for ov_min, sim_min in grid:
        g = Grounder(embedder, GroundingConfig(min_overlap=ov_min, min_similarity=sim_min))
        for split in ("dev", "test"):
            if args.split not in ("all", split):
                continue
            sel = [r for r in rows if r[0]["split"] == split]
            acc = [r for r in sel if not r[1] and any(g.passes(o, s) for o, s in r[2])]
            right = sum(r[0]["supported"] for r in acc)
            wrong = len(acc) - right
            n_s = sum(r[0]["supported"] for r in sel)
            mark = " **(default)**" if (ov_min, sim_min) == (default.min_overlap,
                                                           default.min_similarity) else ""
            print(f"| {ov_min}/{sim_min}{mark} | {split} | {right}/{n_s} | "
                  f"{wrong}/{len(sel) - n_s} |")


if __name__ == "__main__":
    main()
