"""The ask flow: retrieve -> answer -> verify citations, as a LangChain runnable.

Each step takes and returns a typed `Turn`; `QAChain.runnable` composes them so a streaming
or generative answerer (an LLM chat model) can be put in the same pipeline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from langchain_core.runnables import Runnable, RunnableLambda

from rag.answer_extend import asks_start
from rag.followup import Rewriter, rewrite_heuristic
from rag.retrieval import Retriever
from rag.types import Answer, Citation
from vectorstore.records import Filters, Hit


class Answerer(Protocol):
    def answer(self, question: str, hits: list[Hit],
               on_token: Callable[[str], None] | None = None) -> Answer:
        """An answer from `hits`; a generating answerer passes its text to `on_token` as it
        comes (streaming). Citations must carry exact offsets: the chain verifies them."""


@dataclass(frozen=True)
class Turn:
    """One question on its way through the chain."""

    question: str  # as asked
    query: str  # standalone: a follow-up rewritten with the previous question (rag/followup.py)
    k: int
    filters: Filters | None = None
    hits: list[Hit] = field(default_factory=list)
    answer: Answer | None = None
    on_token: Callable[[str], None] | None = None  # streaming: generated text as it comes


Check = Callable[[list[Citation]], list[Citation]]


def check_against(original: Callable[[str], str | None]) -> Check:
    """The plain citation check: each quote against `original(source)`, read once per
    document; no references or versions (`References.check_all` adds those)."""

    def check(citations: list[Citation]) -> list[Citation]:
        originals = {s: original(s) for s in dict.fromkeys(c.source for c in citations)}
        return [replace(c, verified=c.is_in(originals[c.source])) for c in citations]

    return check


class QAChain:
    """question (+history, filters, k) -> `Answer` whose citations are checked against the
    stored originals."""

    def __init__(
        self,
        retriever: Retriever,
        answerer: Answerer,
        check: Check,
        k: int = 5,
        named: Callable[[str], list[str]] | None = None,
        within: Callable[[str], str] | None = None,
        rewriter: Rewriter = rewrite_heuristic,
        first_chunk: Callable[[str], Hit | None] | None = None,
        named_retriever: Retriever | None = None,
    ) -> None:
        # a document's first chunk, for "Waarmee begint de brief?" / "Aan wie is hij gericht?"
        self._first_chunk = first_chunk
        # verifies each citation and adds its official reference and version, reading all
        # documents of an answer at once (rag/references.py `References.check_all`), or only
        # verifies it (`check_against`)
        self._check = check
        self._retriever = retriever
        self._rewrite = rewriter
        self._named = named
        # the named documents' best passages come from the first stage: `retriever` may add
        # the sentence search's chunks after its k hits, and only the first k - 2 are kept
        self._named_retriever = named_retriever or retriever
        self._within = within  # the query for the named documents: without their names
        self._answerer = answerer
        self.k = k  # default passages per question; `ask(k=...)` overrides it per call
        self.runnable: Runnable[Turn, Turn] = (
            RunnableLambda(self._step_retrieve)
            | RunnableLambda(self._step_answer)
            | RunnableLambda(self._step_verify)
        )

    def ask(
        self,
        question: str,
        history: list[tuple[str, str]] | None = None,
        filters: Filters | None = None,
        k: int | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        started = time.perf_counter()
        turn = Turn(question=question.strip(),
                    query=self._rewrite(question.strip(), history),
                    k=k or self.k, filters=filters if filters and not filters.empty else None,
                    on_token=on_token)
        answer = self.runnable.invoke(turn).answer
        return replace(answer, seconds=time.perf_counter() - started)

    def _step_retrieve(self, turn: Turn) -> Turn:
        hits = self._retriever.retrieve(turn.query, turn.k, turn.filters)
        named = self._named(turn.query) if self._named and turn.filters is None else []
        if named:  # the question names documents: their best passages first, then the rest,
            # as many as the whole index's search gave (k plus the sentence search's extra
            # chunks: cutting to k cost 4 of 426 dev answers, session 20; keeping the named
            # documents' own extra chunks answered 3 more unanswerable ones wrongly, session 9)
            query = self._within(turn.query) if self._within else turn.query
            mine = self._named_retriever.retrieve(query, turn.k, Filters(sources=named))
            keep = mine[: max(1, turn.k - 2)]
            ids = {h.chunk_id for h in keep}
            hits = [*keep, *[h for h in hits if h.chunk_id not in ids]][: max(turn.k, len(hits))]
        if self._first_chunk is not None and hits and asks_start(turn.query):
            # the answer is at the start of the document asked about (the one it names, else
            # the best passage's): its first chunk, which the search seldom ranks
            ids = {h.chunk_id for h in hits}
            for source in dict.fromkeys(named or [hits[0].source]):
                first = self._first_chunk(source)
                if first is not None and first.chunk_id not in ids:
                    hits = [*hits, first]
        return replace(turn, hits=hits)

    def _step_answer(self, turn: Turn) -> Turn:
        answer = self._answerer.answer(turn.query, turn.hits, on_token=turn.on_token)
        query = turn.query if turn.query != turn.question else None
        return replace(turn, answer=replace(answer, question=turn.question, query=query))

    def _step_verify(self, turn: Turn) -> Turn:
        """Mark each citation (and each related passage of a refusal) verified when its quote
        is the original at its offsets; add its official reference (article and member,
        Handelingen, Kamerstukken) where one exists."""
        answer = turn.answer
        both = self._check([*answer.citations, *answer.related])
        checked, related = both[:len(answer.citations)], both[len(answer.citations):]
        short = answer.short
        if short is not None:  # inside its verified quote, so the original at its offsets
            cited = next((c for c in checked if c.n == short.n), None)
            inside = cited is not None and cited.char_start <= short.char_start <= (
                short.char_end) <= cited.char_end
            short = replace(short, verified=bool(
                inside and cited.verified and cited.quote[
                    short.char_start - cited.char_start:short.char_end - cited.char_start]
                == short.text))
        return replace(turn, answer=replace(answer, citations=checked, short=short,
                                            related=related))
