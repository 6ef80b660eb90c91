"""The honest question set (tests/data/answer_eval.jsonl) is well formed: every expected answer
occurs verbatim in its document as Vraagbaak loads it, halves and kinds are balanced."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import CORPUS, DATA, need

pytestmark = pytest.mark.unit

QUESTIONS = [json.loads(x) for x in (Path(__file__).parents[1] / "data" / "answer_eval.jsonl")
             .read_text(encoding="utf-8").splitlines() if x.strip()]


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def test_the_set_is_large_split_and_has_unanswerable_questions():
    assert len(QUESTIONS) >= 80
    assert sum(not q["answerable"] for q in QUESTIONS) >= 25
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    splits = Counter((q["split"], q["answerable"]) for q in QUESTIONS)
    for answerable in (True, False):
        dev, test = splits[("dev", answerable)], splits[("test", answerable)]
        assert abs(dev - test) <= 2, splits


def test_every_expected_answer_is_in_its_document_as_loaded():
    from ingest.loaders import load_document

    need(DATA)
    files = {p.name: p for p in [*need(CORPUS).iterdir(), *DATA.rglob("*")] if p.is_file()}
    originals: dict[str, str] = {}
    missing = []
    for q in QUESTIONS:
        if not q["answerable"]:
            continue
        if q["doc"] not in originals:
            originals[q["doc"]] = _fold(load_document(files[q["doc"]]).original)
        if _fold(q["quote"]) not in originals[q["doc"]]:
            missing.append(q["id"])
    assert not missing, missing
