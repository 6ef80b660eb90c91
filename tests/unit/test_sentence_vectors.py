"""Sentence vectors kept by content (vectorstore/sentence_vectors.py): the ingest fills them
with exactly the sentences the answerer later scores, so answering embeds only the question;
they survive a restart, are emptied when another model writes, and an old index catches up."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from ingest.chunker import ChunkingConfig
from rag.evidence import sentences_of
from rag.extractive import ExtractiveAnswerer
from tests.conftest import CORPUS, need
from vectorstore.embedders import EmbedderIdentity, FakeEmbedder
from vectorstore.indexer import Indexer
from vectorstore.sentence_vectors import SentenceVectorIndex, SentenceVectors

pytestmark = pytest.mark.unit


class Counting(FakeEmbedder):
    def __init__(self, dimension: int = 64) -> None:
        super().__init__(dimension)
        self.passages: list[str] = []
        self.queries = 0

    def embed_documents(self, texts):
        self.passages += texts
        return super().embed_documents(texts)

    def embed_query(self, text):
        self.queries += 1
        return super().embed_query(text)


@pytest.fixture
def corpus(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(need(CORPUS), docs)
    return docs


def test_after_ingest_answering_embeds_only_the_question(fake_store, corpus, tmp_path):
    model = Counting()
    cache = SentenceVectors(model, tmp_path / "zinnen.sqlite")
    indexer = Indexer(fake_store, ChunkingConfig(1000, 150), progress=False,
                      indexes=[fake_store, SentenceVectorIndex(cache)])
    indexer.ingest([corpus])
    assert len(cache) > 20 and len(model.passages) == len(set(model.passages))
    model.passages.clear()
    answerer = ExtractiveAnswerer(cache)
    for question in ("Wat vraagt het sociaal werk aan Rutte?",
                     "Waarom doet Rutte geen beloften in de campagne?"):
        hits = fake_store.search(question, k=5)
        answerer.answer(question, hits)
        texts = [s.text for s in sentences_of(hits)]
        assert texts and not model.passages  # every sentence came from the ingest
    assert model.queries == 2


def test_a_new_index_needs_no_catch_up_pass(tmp_path, corpus, monkeypatch):
    from rag.build import build
    from rag.settings import Settings

    def no_catch_up(*args, **kwargs):
        raise AssertionError("a new index re-read its chunks for sentence vectors")

    monkeypatch.setattr(SentenceVectorIndex, "catch_up", no_catch_up)
    c = build(Settings(data_dir=tmp_path / "index", embedder="fake"))
    assert c.ingest([corpus], progress=False).added
    assert c.sentence_vectors.complete and len(c.sentence_vectors) > 20


def test_cached_vectors_are_the_vectors_and_survive_a_restart(tmp_path):
    texts = ["De raad besluit vandaag.", "Het college voert het besluit uit."]
    first = SentenceVectors(Counting(), tmp_path / "z.sqlite")
    want = np.asarray(FakeEmbedder().embed_documents(texts))
    assert np.allclose(first.vectors(texts), want)
    again = Counting()
    second = SentenceVectors(again, tmp_path / "z.sqlite")  # another process, same file
    assert np.array_equal(second.vectors(texts[::-1]), want[::-1]) and not again.passages


def test_another_model_empties_the_file(tmp_path):
    SentenceVectors(Counting(), tmp_path / "z.sqlite").vectors(["Een zin over de raad."])

    class Other(Counting):
        def __init__(self) -> None:
            super().__init__(64)
            self.identity = EmbedderIdentity("fake", "ander-model", "1", 64)

    other = Other()
    cache = SentenceVectors(other, tmp_path / "z.sqlite")
    cache.vectors(["Een zin over de raad."])
    assert other.passages == ["Een zin over de raad."]  # not served the first model's vector


def test_an_index_built_before_the_cache_catches_up_once(fake_store, corpus, tmp_path):
    Indexer(fake_store, ChunkingConfig(1000, 150), progress=False).ingest([corpus])
    model = Counting()
    cache = SentenceVectors(model, tmp_path / "z.sqlite")
    sink = SentenceVectorIndex(cache)
    assert sink.catch_up(fake_store, progress=False) > 20 and cache.complete
    assert sink.catch_up(fake_store, progress=False) == 0  # once
    hits = fake_store.search("Wat vraagt het sociaal werk aan Rutte?", k=5)
    model.passages.clear()
    cache.vectors([s.text for s in sentences_of(hits)])
    assert not model.passages
