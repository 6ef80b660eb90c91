"""Helpers for the UI tests: a deterministic fake `ask` over a real corpus file, and a server.

A plain module (not a conftest) so that the integration and browser tests can both import it.
"""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rag.types import Answer, Citation
from vectorstore.records import Filters

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
LETTER = CORPUS / "003_60de30e4263decae.txt"
QUOTES = [
    "Wie deze mensen in haar kracht zet, bouwt een sterkere toekomst.",
    "Sociaal werkers zetten hun schouders eronder in coronatijd en maakten verschil",
]
CONTEXT = 120
REFUSE_WORD = "weigeren"
RELATED_WORD = "verwant"  # FakeAsk refuses, with the first quote as a related passage
FAIL_WORD = "ontplof"
STREAM_WORD = "stroom"  # FakeAsk streams its answer word by word
SLOW_WORD = "langzaam"  # FakeAsk takes a few seconds


def cite(n: int, text: str, quote: str, source: Path = LETTER) -> Citation:
    """A citation of `quote` at its first occurrence in `text`, with surrounding context."""
    start = text.index(quote)
    end = start + len(quote)
    return Citation(
        n=n, source=str(source), title="Brief aan de formateur", date="2021-04-01", page=1,
        char_start=start, char_end=end, quote=text[start:end], score=0.9 - n / 10,
        verified=True, context_before=text[max(0, start - CONTEXT):start],
        context_after=text[end:end + CONTEXT],
    )


class FakeAsk:
    """Answers every question with two citations from LETTER; records the history it got."""

    def __init__(self) -> None:
        self.text = LETTER.read_text(encoding="utf-8")
        self.calls: list[tuple[str, list[tuple[str, str]]]] = []
        self.filters: list[Filters | None] = []  # the `filters` of each call
        self.delay = 0.3  # seconds per streamed word; SLOW_WORD questions take 10x

    def __call__(self, question: str, history: list[tuple[str, str]],
                 filters: Filters | None = None, on_token=None) -> Answer:
        self.calls.append((question, list(history)))
        self.filters.append(filters)
        if on_token is not None and STREAM_WORD in question:  # generated text, word by word
            for word in "Dit antwoord komt woord voor woord binnen".split():
                on_token(word + " ")
                time.sleep(self.delay)
        if self.delay and SLOW_WORD in question:
            time.sleep(self.delay * 10)
        if FAIL_WORD in question:
            raise RuntimeError("model kapot <b>stacktrace</b>")
        if RELATED_WORD in question:
            return Answer(question=question, answer="Daar geven de documenten geen antwoord op.",
                          refused=True, related=[cite(1, self.text, QUOTES[0])])
        if REFUSE_WORD in question:
            return Answer(question=question, answer="Daar geven de documenten geen antwoord op.",
                          refused=True)
        cites = [cite(i + 1, self.text, q) for i, q in enumerate(QUOTES)]
        answer = ("Investeren in mensen die het slechtst af zijn versterkt de samenleving [1]. "
                  "Sociaal werkers maakten in coronatijd het verschil [2]. <i>Let op</i>")
        return Answer(question=question, answer=answer, citations=cites, seconds=0.01)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(ask=None, uploads: bool = False, **staff) -> Iterator[tuple[str, FakeAsk]]:
    """Serve `create_app(ask, **staff)` on a free loopback port; yield (url, ask); close
    afterwards. `staff`: `find`, `documents`, `original` for the staff tabs (see `corpus_store`)."""
    from ui.app import create_app

    ask = ask or FakeAsk()
    with serving(create_app(ask, **staff), uploads=uploads) as url:
        yield url, ask


@contextmanager
def corpus_store() -> Iterator[object]:
    """The real corpus (CORPUS) ingested into an in-memory ChromaStore with the fake embedder;
    yields the store (`documents()`, `original()`, usable by `rag.phrase.PhraseIndex`)."""
    import uuid

    from ingest.chunker import ChunkingConfig
    from vectorstore.chroma_client import make_client
    from vectorstore.embedders import FakeEmbedder
    from vectorstore.indexer import Indexer
    from vectorstore.store import ChromaStore

    name = f"t{uuid.uuid4().hex[:8]}"
    store = ChromaStore(make_client(in_memory=True), FakeEmbedder(), name=name)
    try:
        report = Indexer(store, ChunkingConfig(), progress=False).ingest([CORPUS])
        assert not report.failed, report.failed
        yield store
    finally:
        store.reset()


@contextmanager
def serving(app, uploads: bool = False) -> Iterator[str]:
    """Launch a `gr.Blocks` on a free loopback port, wait until it answers, close afterwards."""
    from ui.serve import launch

    port = free_port()
    url = launch(app, port=port, block=False, uploads=uploads)
    assert url.startswith(f"http://127.0.0.1:{port}"), url
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    try:
        yield url
    finally:
        app.close()
