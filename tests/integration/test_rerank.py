"""The optional cross-encoder path, with a tiny BERT cross-encoder the test builds itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.rerank import CrossEncoderReranker, RerankerError, RerankingRetriever
from vectorstore.records import Filters, Hit

pytestmark = pytest.mark.integration

WORDS = ("de het een van in is op en te voor gemeente fiets park boeren stikstof haven "
         "staking minister brief sociaal werk wanneer wat hoeveel kost").split()


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory) -> Path:
    """A 2-layer BERT with one output label and a word-level vocabulary, saved locally."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    folder = tmp_path_factory.mktemp("tiny-cross-encoder")
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n",
                     encoding="utf-8")
    BertTokenizer(vocab_file=str(vocab), do_lower_case=True).save_pretrained(folder)
    torch.manual_seed(7)
    config = BertConfig(vocab_size=5 + len(WORDS), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=128, num_labels=1)
    BertForSequenceClassification(config).eval().save_pretrained(folder)
    return folder


def hit(cid: str, text: str, score: float) -> Hit:
    return Hit(chunk_id=cid, source=f"/d/{cid}.txt", title=cid, date=None, pages=(),
               char_start=0, char_end=len(text), text=text, original=text, score=score)


HITS = [hit("a", "de boeren in het park", 0.9), hit("b", "de haven staking", 0.8),
        hit("c", "de minister schrijft een brief over stikstof", 0.7),
        hit("d", "sociaal werk in de gemeente", 0.6), hit("e", "wat kost een fiets", 0.5)]


def test_reranker_orders_by_the_cross_encoder(tiny_cross_encoder):
    from sentence_transformers import CrossEncoder

    query = "wat kost de fiets van de gemeente"
    reranker = CrossEncoderReranker(tiny_cross_encoder)
    direct = CrossEncoder(str(tiny_cross_encoder), device="cpu").predict(
        [(query, h.text) for h in HITS])
    expected = sorted(range(len(HITS)), key=lambda i: -direct[i])
    got = reranker.rerank(query, HITS, k=3)
    assert [h.chunk_id for h in got] == [HITS[i].chunk_id for i in expected[:3]]
    assert [h.score for h in got] == pytest.approx([float(direct[i]) for i in expected[:3]],
                                                   abs=1e-5)
    # everything but the score is the first stage's hit, untouched
    for h in got:
        orig = next(x for x in HITS if x.chunk_id == h.chunk_id)
        assert (h.text, h.original, h.source) == (orig.text, orig.original, orig.source)
    assert reranker.rerank(query, [], k=3) == []


def test_reranking_retriever_asks_the_first_stage_for_candidates(tiny_cross_encoder):
    calls = []

    class FirstStage:
        def retrieve(self, query, k=5, filters=None):
            calls.append((query, k, filters))
            return HITS[:k]

    retriever = RerankingRetriever(FirstStage(), CrossEncoderReranker(tiny_cross_encoder),
                                   candidates=4)
    only_c = Filters(sources=["/d/c.txt"])
    got = retriever.retrieve("stikstof", k=2, filters=only_c)
    assert calls == [("stikstof", 4, only_c)]
    assert len(got) == 2 and {h.chunk_id for h in got} <= {"a", "b", "c", "d"}
    retriever.retrieve("stikstof", k=5)
    assert calls[-1][1] == 5  # never fewer candidates than asked for


def test_components_wire_the_configured_reranker(tiny_cross_encoder, tmp_path):
    from rag.build import build
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path, embedder="fake", reranker_model=tiny_cross_encoder,
                        rerank_candidates=3)
    components = build(settings, in_memory=True)
    assert isinstance(components.reranker, CrossEncoderReranker)
    assert isinstance(components.retriever, RerankingRetriever)
    assert components.retriever.candidates == 3
    assert build(Settings(data_dir=tmp_path, embedder="fake"), in_memory=True).reranker is None


def test_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(RerankerError, match=str(tmp_path / "geen-model")):
        CrossEncoderReranker(tmp_path / "geen-model")
