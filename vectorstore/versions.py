"""Earlier versions of documents, so that a citation of an older version can still be read.

When a changed file is re-ingested, the store hands the version it replaces to
`DocumentVersions.keep` (its record and original text), in a collection `<name>_versies` beside
the documents; the newest `keep_versions` per document are kept. Removing a document removes
its versions too (a removal means the text must go).
"""

from __future__ import annotations

import contextlib
import time

from chromadb.api import ClientAPI
from chromadb.errors import NotFoundError


def _id(sha256: str, source: str) -> str:
    return f"{sha256}:{source}"


class DocumentVersions:
    def __init__(self, client: ClientAPI, name: str, keep_versions: int = 3) -> None:
        self._client = client
        self._name = f"{name}_versies"
        self.keep_versions = keep_versions
        self._col = None

    def _collection(self, create: bool):
        if self._col is None:
            try:
                self._col = (self._client.get_or_create_collection(self._name,
                                                                   embedding_function=None)
                             if create else self._client.get_collection(self._name,
                                                                        embedding_function=None))
            except (NotFoundError, ValueError):
                return None
        return self._col

    def keep(self, meta: dict, original: str) -> None:
        """Keep the replaced version (`meta`: its record's metadata) and drop the oldest
        beyond `keep_versions`."""
        if self.keep_versions <= 0:
            return
        col = self._collection(create=True)
        source, sha = meta["source"], meta.get("sha256", "")
        col.upsert(ids=[_id(sha, source)], documents=[original], embeddings=[[1.0]],
                   metadatas=[{**meta, "replaced_at": time.time()}])
        stale = [_id(m.get("sha256", ""), source)
                 for m in self.versions(source)[self.keep_versions:]]
        if stale:
            col.delete(ids=stale)

    def versions(self, source: str) -> list[dict]:
        """Kept versions of `source`, newest first (their record metadata plus `replaced_at`)."""
        col = self._collection(create=False)
        if col is None:
            return []
        got = col.get(where={"source": source}, include=["metadatas"])
        return sorted(got["metadatas"] or [], key=lambda m: -float(m.get("replaced_at", 0)))

    def get(self, source: str, sha_prefix: str) -> tuple[dict, str] | None:
        """The kept version of `source` whose sha256 starts with `sha_prefix`."""
        col = self._collection(create=False)
        if col is None or not sha_prefix:
            return None
        got = col.get(where={"source": source}, include=["metadatas", "documents"])
        for meta, text in zip(got["metadatas"], got["documents"], strict=True):
            if str(meta.get("sha256", "")).startswith(sha_prefix):
                return meta, text
        return None

    def delete_source(self, source: str) -> None:
        col = self._collection(create=False)
        if col is not None:
            col.delete(where={"source": source})

    def reset(self) -> None:
        with contextlib.suppress(NotFoundError, ValueError):
            self._client.delete_collection(self._name)
        self._col = None
