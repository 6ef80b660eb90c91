"""Load, clean and chunk documents. No database, no embeddings."""

from ingest.models import Chunk, Document, LoadError

__all__ = ["Chunk", "Document", "LoadError"]
