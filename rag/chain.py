"""The ask flow as LangChain runnables: retrieve -> answer -> verify citations."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from langchain_core.runnables import Runnable, RunnableLambda

from ingest.terms import key_terms
from rag.types import Answer
from vectorstore.store import Hit

Retrieve = Callable[[str, int, dict | None], list[Hit]]


class Answerer(Protocol):
    def answer(self, question: str, hits: list[Hit]) -> Answer: ...


def standalone_question(question: str, history: list[tuple[str, str]] | None) -> str:
    """A follow-up with almost no content words ("En in 2020?") borrows the previous question's
    terms; one without a single word ("???") stays as it is, and is refused."""
    if history and len(key_terms(question)) < 2 and any(ch.isalnum() for ch in question):
        return f"{history[-1][0]} {question}"
    return question


class QAChain:
    """question (+history, filters) -> `Answer` whose citations are checked against originals."""

    def __init__(
        self,
        retrieve: Retrieve,
        answerer: Answerer,
        original: Callable[[str], str | None],
        k: int = 5,
        named: Callable[[str], list[str]] | None = None,
    ) -> None:
        self._retrieve = retrieve
        self._named = named
        self._answerer = answerer
        self._original = original
        self.k = k
        self.runnable: Runnable = (
            RunnableLambda(self._step_retrieve)
            | RunnableLambda(self._step_answer)
            | RunnableLambda(self._step_verify)
        )

    def ask(
        self,
        question: str,
        history: list[tuple[str, str]] | None = None,
        where: dict | None = None,
    ) -> Answer:
        started = time.perf_counter()
        query = standalone_question(question.strip(), history)
        answer = self.runnable.invoke({"question": question.strip(), "query": query,
                                       "where": where})
        return replace(answer, seconds=time.perf_counter() - started)

    def _step_retrieve(self, state: dict) -> dict:
        hits = self._retrieve(state["query"], self.k, state["where"])
        named = self._named(state["query"]) if self._named and state["where"] is None else []
        if named:  # the question names documents: their best passages first, then the rest
            mine = self._retrieve(state["query"], self.k, {"source": {"$in": named}})
            keep = mine[: max(1, self.k - 2)]
            ids = {h.chunk_id for h in keep}
            hits = [*keep, *[h for h in hits if h.chunk_id not in ids]][: self.k]
        return {**state, "hits": hits}

    def _step_answer(self, state: dict) -> Answer:
        answer = self._answerer.answer(state["query"], state["hits"])
        return replace(answer, question=state["question"])

    def _step_verify(self, answer: Answer) -> Answer:
        """Mark each citation verified when its quote is the original at its offsets."""
        originals: dict[str, str | None] = {}
        checked = []
        for c in answer.citations:
            if c.source not in originals:
                originals[c.source] = self._original(c.source)
            text = originals[c.source]
            checked.append(replace(c, verified=text is not None
                                   and text[c.char_start:c.char_end] == c.quote))
        short = answer.short
        if short is not None:
            cited = next((c for c in checked if c.n == short.n), None)
            text = originals.get(cited.source) if cited else None
            short = replace(short, verified=bool(cited and cited.verified and text is not None
                                                 and text[short.char_start:short.char_end]
                                                 == short.text))
        return replace(answer, citations=checked, short=short)
