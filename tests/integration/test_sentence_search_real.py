"""Sentence search with the real e5 model and a real index (issue 13): after `ingest`, every
sentence's kept vector is searchable, and the answering chain adds the chunks of the closest
sentences to its first-stage hits."""

from __future__ import annotations

import pytest

from rag.build import build
from rag.sentence_search import SentenceBoostRetriever
from rag.settings import Settings
from tests.conftest import DATA, need

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def components(tmp_path_factory):
    c = build(Settings(data_dir=tmp_path_factory.mktemp("zinnen")))
    report = c.ingest([need(DATA / "verkiezingsprogrammas_2021" / "SP_2021.txt"),
                       need(DATA / "wetten_2017" / "grondwet_BWBR0001840.md")], progress=False)
    assert not report.failed
    return c


def test_every_kept_sentence_is_searchable_and_finds_its_own_chunk(components):
    c = components
    assert c.sentence_vectors.complete
    embedded = c.sentence_vectors.misses  # the ingest's
    assert len(c.sentence_search) > 500
    rows = c.lexical.rows()
    row = next(r for r in rows if "De wet regelt wie Nederlander is." in r["original"])
    found = c.sentence_search.chunks("De wet regelt wie Nederlander is.", n=5)
    assert found[0][0]["chunk_id"] == row["chunk_id"] and found[0][1] > 0.9
    assert c.sentence_vectors.misses == embedded  # nothing embedded: the vectors kept at ingest


def test_the_chain_asks_with_the_sentence_boost(components):
    c = components
    assert isinstance(c.chain._retriever, SentenceBoostRetriever)
    hits = c.chain._retriever.retrieve("Wie regelt wie Nederlander is?", 5)
    assert 5 <= len(hits) <= 5 + c.settings.sentence_search_extra
    assert len({h.chunk_id for h in hits}) == len(hits)
    answer = c.ask("Wie regelt wie Nederlander is?", [])
    assert not answer.refused
    assert answer.citations[0].reference == "artikel 2, eerste lid, Grondwet"
