"""A disk cache of embeddings for benchmark re-runs (bench only, never the product)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from vectorstore.embedders import Embedder


def _key(role: str, text: str) -> str:
    return hashlib.sha1(f"{role}\0{text}".encode()).hexdigest()


class CachedEmbedder(Embedder):
    """Wraps an embedder; vectors are kept per (role, text) in `folder/<identity>.npz`."""

    def __init__(self, inner: Embedder, folder: Path) -> None:
        self.inner = inner
        self.identity = inner.identity
        ident = inner.identity
        folder.mkdir(parents=True, exist_ok=True)
        path = getattr(inner, "variant", "")  # e5-st's execution path: not in the identity
        name = f"{ident.backend}-{ident.model}-{ident.version}{'-' + path if path else ''}.npz"
        self.file = folder / name.replace("/", "_")
        self._vecs: dict[str, np.ndarray] = {}
        if self.file.exists():
            with np.load(self.file) as z:
                self._vecs = dict(zip(z["keys"].tolist(), z["vecs"], strict=True))
        self.hits = self.misses = 0

    def _embed(self, texts: list[str], role: str) -> np.ndarray:
        keys = [_key(role, t) for t in texts]
        todo = sorted({i for i, k in enumerate(keys) if k not in self._vecs})
        if todo:
            fresh = self.inner._embed([texts[i] for i in todo], role)  # noqa: SLF001
            for i, v in zip(todo, fresh, strict=True):
                self._vecs[keys[i]] = np.asarray(v, dtype=np.float32)
        self.misses += len(todo)
        self.hits += len(texts) - len(todo)
        return np.stack([self._vecs[k] for k in keys])

    def save(self) -> None:
        if self.misses:
            keys = list(self._vecs)
            np.savez(self.file, keys=np.array(keys), vecs=np.stack([self._vecs[k] for k in keys]))
