"""Chroma clients: embedded (persistent or in-memory) or a `chroma run` server; telemetry off."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.config import Settings


class StoreUnavailableError(Exception):
    """The configured Chroma server cannot be reached."""


def _settings() -> Settings:
    return Settings(anonymized_telemetry=False, allow_reset=True)


def make_client(
    data_dir: Path | None = None, server_url: str | None = None, in_memory: bool = False
) -> ClientAPI:
    """An embedded client under `data_dir`, an HTTP client for `server_url`, or in-memory."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    if server_url:
        url = urlparse(server_url if "://" in server_url else f"http://{server_url}")
        try:
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=_settings(),
            )
        except Exception as exc:  # chromadb raises ValueError/ConnectionError variants
            raise StoreUnavailableError(
                f"Chroma-server op {server_url} is niet bereikbaar: {exc}"
            ) from exc
    if in_memory or data_dir is None:
        return chromadb.EphemeralClient(settings=_settings())
    path = Path(data_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_settings())
