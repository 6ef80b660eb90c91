"""Sentence search (rag/sentence_search.py): every sentence of the index against the question;
the answering chain gets the chunks of the closest sentences that the chunk retrievers
missed. Deterministic hash vectors (FakeEmbedder) stand in for the model."""

from __future__ import annotations

import numpy as np
import pytest

from rag.sentence_search import SentenceBoostRetriever, SentenceSearch
from vectorstore.embedders import FakeEmbedder
from vectorstore.records import Filters, Hit

pytestmark = pytest.mark.unit

EMB = FakeEmbedder(256)


def _row(cid: str, source: str, text: str, start: int = 0, date: str | None = None) -> dict:
    return {"chunk_id": cid, "source": source, "title": source, "date": date, "pages": [],
            "char_start": start, "char_end": start + len(text), "text": text, "original": text}


ROWS = [
    _row("a0", "/d/zorg.txt", "De zorgverzekering wordt duurder. Het eigen risico gaat naar nul "
         "voor iedereen."),
    _row("b0", "/d/wonen.txt", "Er komen meer sociale huurwoningen. De huren worden bevroren "
         "voor twee jaar.", date="2021-01"),
    _row("c0", "/d/onderwijs.txt", "Leraren krijgen meer salaris. De basisbeurs komt terug "
         "voor alle studenten."),
]


def _vectors(texts: list[str]) -> np.ndarray:
    return np.asarray(EMB.embed_documents(texts), dtype=np.float32)


def _search(rows=ROWS, **kw) -> SentenceSearch:
    return SentenceSearch(lambda: rows, _vectors, EMB.embed_query, **kw)


def test_the_chunk_of_the_closest_sentence_comes_first_once():
    search = _search()
    assert len(search) == 6  # every sentence of at least MIN_SENTENCE_CHARS
    found = search.chunks("het eigen risico gaat naar nul", n=6)
    assert found[0][0]["chunk_id"] == "a0"
    assert len({row["chunk_id"] for row, _ in found}) == len(found)  # each chunk once
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)


def test_filters_keep_other_documents_out():
    search = _search()
    only = search.chunks("het eigen risico gaat naar nul", n=6,
                         filters=Filters(sources=["/d/onderwijs.txt"]))
    assert [row["source"] for row, _ in only] == ["/d/onderwijs.txt"]
    dated = search.chunks("huren bevroren", n=6, filters=Filters(date_from="2021"))
    assert [row["chunk_id"] for row, _ in dated] == ["b0"]  # undated documents drop out


def test_off_until_every_sentence_vector_is_kept_and_above_the_chunk_limit():
    calls = []

    def vectors(texts):
        calls.append(texts)
        return _vectors(texts)

    assert SentenceSearch(lambda: ROWS, vectors, EMB.embed_query,
                          ready=lambda: False).chunks("eigen risico") == []
    assert SentenceSearch(lambda: ROWS, vectors, EMB.embed_query,
                          max_chunks=2).chunks("eigen risico") == []
    assert calls == []  # nothing embedded or looked up for a search that is off


class _Base:
    def __init__(self, hits):
        self.hits = hits

    def retrieve(self, query, k=5, filters=None):
        return self.hits[:k]


def _hit(row: dict) -> Hit:
    return Hit(chunk_id=row["chunk_id"], source=row["source"], title="", date=None, pages=(),
               char_start=0, char_end=len(row["original"]), text=row["text"],
               original=row["original"], score=1.0)


def test_the_boost_adds_missed_chunks_after_the_first_stage_hits():
    base = _Base([_hit(ROWS[1]), _hit(ROWS[2])])
    boost = SentenceBoostRetriever(base, _search(), extra=1)
    hits = boost.retrieve("het eigen risico gaat naar nul", k=2)
    assert [h.chunk_id for h in hits] == ["b0", "c0", "a0"]  # first stage first, then added
    assert hits[2].original == ROWS[0]["original"]
    # nothing to add when the first stage found it; extra=0 is the first stage alone
    assert [h.chunk_id for h in SentenceBoostRetriever(_Base([_hit(ROWS[0])]), _search(),
                                                       extra=2).retrieve("eigen risico nul", 1)
            ][:1] == ["a0"]
    assert SentenceBoostRetriever(base, _search(), extra=0).retrieve("eigen risico", 2) == \
        base.hits


def test_a_filtered_search_scores_only_the_kept_sentences_and_agrees_with_the_full_one():
    rng = np.random.default_rng(0)
    rows = [{"chunk_id": f"c{i}", "source": f"/d/{i % 10}.txt", "char_start": 0,
             "original": f"Zin nummer {i} gaat over onderwerp {i % 7} en meer woorden hier."}
            for i in range(40)]
    vecs = {r["original"]: rng.normal(size=8).astype(np.float32) for r in rows}
    query = rng.normal(size=8).astype(np.float32)
    embedded = []

    def embed(q: str) -> list[float]:
        embedded.append(q)
        return query.tolist()

    search = SentenceSearch(lambda: rows, lambda texts: np.stack([vecs[t] for t in texts]),
                            embed)
    only = Filters(sources=["/d/3.txt"])
    within = search.chunks("vraag", n=5, filters=only)
    assert within and all(r["source"] == "/d/3.txt" for r, _ in within)
    everything = [(r["chunk_id"], s) for r, s in search.chunks("andere vraag", n=40)
                  if r["source"] == "/d/3.txt"]
    assert [r["chunk_id"] for r, _ in within] == [c for c, _ in everything[: len(within)]]
    assert np.allclose([s for _, s in within], [s for _, s in everything[: len(within)]],
                       atol=1e-5)
