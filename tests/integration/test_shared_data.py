"""All of ../shared/data goes through load -> chunk -> store (fake embedder: fast)."""

import pytest

from ingest.chunker import ChunkingConfig
from tests.conftest import DATA, need
from vectorstore.indexer import Indexer

pytestmark = pytest.mark.slow


def test_all_shared_data_ingests_without_crash(fake_store):
    indexer = Indexer(fake_store, ChunkingConfig(), progress=False)
    report = indexer.ingest([need(DATA)])
    assert report.failed == []
    docs = fake_store.documents()
    assert len(docs) >= 45
    assert fake_store.count_chunks() == sum(d.chunks for d in docs) > 3000
    for d in docs:
        original = fake_store.original(d.source)
        assert "Ã" not in original and "â€" not in original, d.source
    handelingen = [d for d in docs if "handelingen" in d.source]
    assert len(handelingen) == 14
    text = "".join(fake_store.original(d.source) for d in handelingen)
    assert "één" in text and "cliëntondersteuner" in text
    # every chunk's original wording is exactly the slice of its document
    for d in docs[::5]:
        original = fake_store.original(d.source)
        for hit in fake_store.chunks_of(d.source):
            assert original[hit.char_start:hit.char_end] == hit.original
    again = indexer.ingest([DATA])
    assert again.chunks_added == 0 and len(again.unchanged) == len(docs)
