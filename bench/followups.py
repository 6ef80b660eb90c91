"""How often the follow-up heuristic takes a standalone question for a follow-up.

    .venv/bin/python bench/followups.py [-v]

Every question of tests/data/answer_eval.jsonl and tests/data/corpus_questions.jsonl stands
alone; in a chat, one taken for a follow-up is searched as "... over <the previous topic>"
(rag/followup.py). Prints how many are taken for follow-ups (-v: which). No model is loaded.
"""

from __future__ import annotations

import argparse
import json

from common import REPO

from rag.followup import is_follow_up


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", action="store_true", help="list the questions taken for follow-ups")
    args = ap.parse_args()
    questions = [json.loads(line)["question"]
                 for name in ("answer_eval.jsonl", "corpus_questions.jsonl")
                 for line in (REPO / "tests/data" / name).read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    taken = [q for q in questions if is_follow_up(q)]
    print(f"{len(taken)} of {len(questions)} standalone questions taken for follow-ups")
    if args.v:
        for q in taken:
            print(f"  {q}")


if __name__ == "__main__":
    main()
