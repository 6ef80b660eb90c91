"""The e5 tokenizer at run time: `tokenizer.json` (built by e5_tokenizer.py) loaded with the
`tokenizers` library alone.

Loading it through transformers' AutoTokenizer costs about 2 s per process start (importing
transformers, which imports torch, and building the tokenizer); the ONNX paths need nothing
else from transformers. `FastTokenizer` answers the calls the encoders make, with the same
ids (tested against AutoTokenizer in tests/integration/test_e5_embedder.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


class FastTokenizer:
    def __init__(self, model_dir: Path) -> None:
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        special = json.loads((Path(model_dir) / "special_tokens_map.json").read_text())
        pad = special.get("pad_token", "<pad>")
        pad = pad["content"] if isinstance(pad, dict) else pad
        self.pad_id = self._tok.token_to_id(pad)
        self._tok.no_padding()

    def __call__(self, texts: list[str], padding: bool = False, truncation: bool = False,
                 max_length: int | None = None, return_tensors: str | None = None,
                 add_special_tokens: bool = True, verbose: bool = False) -> dict:
        if truncation and max_length:
            self._tok.enable_truncation(max_length)
        else:
            self._tok.no_truncation()
        encs = self._tok.encode_batch(list(texts), add_special_tokens=add_special_tokens)
        ids = [e.ids for e in encs]
        if not padding and return_tensors is None:
            return {"input_ids": ids, "attention_mask": [[1] * len(x) for x in ids]}
        width = max((len(x) for x in ids), default=0)
        out = np.full((len(ids), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, x in enumerate(ids):
            out[row, :len(x)] = x
            mask[row, :len(x)] = 1
        return {"input_ids": out, "attention_mask": mask}


def load_tokenizer(model_dir: Path):
    """`FastTokenizer` where the model has a tokenizer.json, else transformers' own."""
    if (Path(model_dir) / "tokenizer.json").exists():
        return FastTokenizer(model_dir)
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
