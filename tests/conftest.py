"""Shared fixtures: paths to ../shared, fake components with an in-memory Chroma."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
DATA = SHARED / "data"
LETTER = CORPUS / "003_60de30e4263decae.txt"
NEWS = CORPUS / "000_a0185afebb45fdde.txt"


@pytest.fixture(scope="session", autouse=True)
def _model_cache(tmp_path_factory):
    """One model cache per test run (the e5 model is built there once), not the user's."""
    if "VRAAGBAAK_CACHE_DIR" not in os.environ:
        os.environ["VRAAGBAAK_CACHE_DIR"] = str(tmp_path_factory.mktemp("vraagbaak-cache"))


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture
def fake_store():
    """A ChromaStore on the in-memory client, fake embedder, unique collection."""
    from vectorstore.chroma_client import make_client
    from vectorstore.embedders import FakeEmbedder
    from vectorstore.store import ChromaStore

    client = make_client(in_memory=True)
    name = f"t{uuid.uuid4().hex[:12]}"
    store = ChromaStore(client, FakeEmbedder(), name=name)
    yield store
    store.reset()


@pytest.fixture
def fake_indexer(fake_store):
    from ingest.chunker import ChunkingConfig
    from vectorstore.indexer import Indexer

    return Indexer(fake_store, ChunkingConfig(400, 60), progress=False)
