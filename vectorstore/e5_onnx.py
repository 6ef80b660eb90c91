"""The e5 model under ONNX Runtime: export once beside the model, quantise, run.

`ensure_onnx(model_dir, "fp32" | "int8")` writes `<model_dir>/onnx/model-<kind>.onnx` once (export
with PyTorch's TorchScript exporter ~7 s; dynamic int8 quantisation of the MatMuls per channel
~8 s), built in a temp file and renamed into place under a lock, so concurrent processes build
it once. `OrtEncoder` runs it: tokenise with the model's own tokenizer, mean-pool over the
attention mask, normalise: the same vectors as the sentence-transformers pipeline (cosine
>= 0.99999 for fp32).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

ONNX_DIR = "onnx"
OPSET = 17


def onnx_file(model_dir: Path, kind: str) -> Path:
    return Path(model_dir) / ONNX_DIR / f"model-{kind}.onnx"


def _export_fp32(model_dir: Path, out: Path) -> None:
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), add_pooling_layer=False,
                                      local_files_only=True, attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        def __init__(self, bert) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.ones(2, 16, dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "last_hidden_state": {0: "batch", 1: "tokens"}}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(Encoder(model), (ids, ids.clone()), str(out),
                          input_names=["input_ids", "attention_mask"],
                          output_names=["last_hidden_state"], dynamic_axes=axes,
                          opset_version=OPSET, dynamo=False)


def _quantize_int8(src: Path, out: Path) -> None:
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))
    quantize_dynamic(str(src), str(out), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul"])


def ensure_onnx(model_dir: Path, kind: str, progress: Callable[[str], None] = print) -> Path:
    """The ONNX file of `kind` ("fp32" or "int8") for `model_dir`, built if missing."""
    import fcntl

    if kind not in ("fp32", "int8"):
        raise ValueError(f"unknown ONNX kind {kind!r}")
    target = onnx_file(model_dir, kind)
    if target.is_file():
        return target
    src = ensure_onnx(model_dir, "fp32", progress) if kind == "int8" else None  # before locking
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.is_file():
            return target
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".model-{kind}-",
                                        suffix=".onnx")
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            if kind == "fp32":
                progress("e5: exporting the model to ONNX (one-off, ~10 s)")
                _export_fp32(model_dir, tmp)
            else:
                progress("e5: quantising the ONNX model to int8 (one-off, ~10 s)")
                _quantize_int8(src, tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    return target


class OrtEncoder:
    """Texts (prompt included) -> L2-normalised mean-pooled vectors, on ONNX Runtime."""

    def __init__(self, model_path: Path, tokenizer, threads: int, max_length: int = 512) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(str(model_path), opts,
                                             providers=["CPUExecutionProvider"])
        self._tokenizer = tokenizer
        self._max_length = max_length

    def encode(self, texts: list[str]) -> np.ndarray:
        enc = self._tokenizer(texts, padding=True, truncation=True, max_length=self._max_length,
                              return_tensors="np", verbose=False)
        mask = enc["attention_mask"].astype(np.int64)
        hidden = self._session.run(None, {"input_ids": enc["input_ids"].astype(np.int64),
                                          "attention_mask": mask})[0]
        weights = mask[..., None].astype(np.float32)
        vecs = (hidden * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)
        return (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)
