import pytest

from rag.fusion import FusionConfig, HybridRetriever, convex, missing_scores, rrf
from vectorstore.lexical import LexicalIndex
from vectorstore.records import Filters, Hit

pytestmark = pytest.mark.unit


def hit(cid: str, score: float = 0.0, source: str | None = None) -> Hit:
    return Hit(chunk_id=cid, source=source or f"/d/{cid}.txt", title=cid, date=None, pages=(),
               char_start=0, char_end=1, text=cid, original=cid, score=score)


def test_rrf_hand_computed():
    dense = [hit("a"), hit("b"), hit("c")]
    lexical = [hit("c"), hit("a"), hit("d")]
    fused = rrf([dense, lexical], k=60)
    scores = {h.chunk_id: h.score for h in fused}
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert scores["b"] == pytest.approx(1 / 62)
    assert scores["d"] == pytest.approx(1 / 63)
    assert [h.chunk_id for h in fused] == ["a", "c", "b", "d"]


def test_rrf_weights_shift_the_order():
    dense = [hit("a"), hit("b")]
    lexical = [hit("b"), hit("a")]
    assert [h.chunk_id for h in rrf([dense, lexical], [2.0, 1.0], k=1)] == ["a", "b"]
    assert [h.chunk_id for h in rrf([dense, lexical], [1.0, 2.0], k=1)] == ["b", "a"]
    assert rrf([dense, lexical], [1.0, 2.0], k=1)[0].score == pytest.approx(1 / 3 + 2 / 2)
    with pytest.raises(ValueError):
        rrf([dense], [1.0, 1.0])


def test_convex_minmax():
    dense = [hit("a", 0.9), hit("b", 0.7), hit("c", 0.5)]
    lexical = [hit("c", 10.0), hit("b", 5.0)]
    fused = {h.chunk_id: h.score for h in convex([dense, lexical], [0.5, 0.5])}
    assert fused["a"] == pytest.approx(0.5)
    assert fused["b"] == pytest.approx(0.5 * 0.5 + 0.5 * 0.0)
    assert fused["c"] == pytest.approx(0.5 * 0.0 + 0.5 * 1.0)


def test_zscore_hand_computed():
    dense = [hit("a", 0.9), hit("b", 0.7), hit("c", 0.5)]  # mean 0.7, std sqrt(0.08/3)
    lexical = [hit("c", 10.0), hit("b", 6.0)]  # mean 8, std 2
    sd = (0.08 / 3) ** 0.5
    fused = {h.chunk_id: h.score for h in convex([dense, lexical], [0.4, 0.6], "zscore")}
    assert fused["a"] == pytest.approx(0.4 * 0.2 / sd + 0.6 * -1.0)  # lexical floor: -1
    assert fused["b"] == pytest.approx(0.4 * 0.0 + 0.6 * -1.0)
    assert fused["c"] == pytest.approx(0.4 * -0.2 / sd + 0.6 * 1.0)


def test_missing_scores_complete_the_fusion():
    dense = [hit("a", 0.9), hit("b", 0.7), hit("c", 0.5)]
    lexical = [hit("c", 10.0), hit("b", 6.0)]
    asked = []

    def lex_scores(query, ids):
        asked.append((query, ids))
        return {"a": 9.0}

    extra = missing_scores("q", [dense, lexical], [None, lex_scores])
    assert extra == [{}, {"a": 9.0}] and asked == [("q", ["a"])]
    fused = {h.chunk_id: h.score for h in convex([dense, lexical], [0.5, 0.5], extra=extra)}
    # a's real BM25 score (9.0) is normalised with the lexical list's min-max (6..10)
    assert fused["a"] == pytest.approx(0.5 * 1.0 + 0.5 * 0.75)
    without = {h.chunk_id: h.score for h in convex([dense, lexical], [0.5, 0.5])}
    assert without["a"] == pytest.approx(0.5)
    # a chunk the scorer found to score above the list's best can exceed 1 after min-max
    assert convex([dense, lexical], [0.0, 1.0], extra=[{}, {"a": 12.0}])[0].chunk_id == "a"


class FixedIndex:
    """A dense side that returns fixed hits and records its calls (search and scores)."""

    def __init__(self, hits):
        self.hits, self.calls, self.scored = hits, [], []

    def search(self, query, k=5, filters=None):
        self.calls.append((query, k, filters))
        return list(self.hits)

    def scores(self, query, chunk_ids):
        self.scored.append(sorted(chunk_ids))
        return dict.fromkeys(chunk_ids, 0.1)


def test_hybrid_completes_scores_only_for_score_methods(lexical):
    dense = FixedIndex([hit("c", 0.9), hit("z", 0.8, "/d/z.txt")])
    for method, expect in (("zscore", [["a", "b"]]), ("convex", [["a", "b"]]), ("rrf", [])):
        dense.scored.clear()
        got = HybridRetriever(dense, lexical, FusionConfig(method=method)).retrieve("werker")
        assert dense.scored == expect and {h.chunk_id for h in got} >= {"a", "b", "c"}
    dense.scored.clear()
    off = FusionConfig(method="zscore", complete_scores=False)
    HybridRetriever(dense, lexical, off).retrieve("werker")
    assert dense.scored == []


def test_fusion_config_validates():
    with pytest.raises(ValueError):
        FusionConfig(method="max")
    with pytest.raises(ValueError):
        FusionConfig(dense_weight=-1)


@pytest.fixture
def lexical():
    index = LexicalIndex.open(None)
    index.add([
        {"chunk_id": "a", "source": "/d/a.txt", "char_start": 0, "char_end": 1,
         "text": "de werkers in de haven staken", "date": "2020-05-01"},
        {"chunk_id": "b", "source": "/d/b.txt", "char_start": 0, "char_end": 1,
         "text": "een werker van de gemeente", "date": "2022-01-01"},
        {"chunk_id": "c", "source": "/d/c.txt", "char_start": 0, "char_end": 1,
         "text": "fietsen in het park"},
    ])
    return index


def test_hybrid_fuses_and_passes_filters(lexical):
    dense = FixedIndex([hit("c", 0.9), hit("b", 0.8, "/d/b.txt")])
    hybrid = HybridRetriever(dense, lexical, FusionConfig(candidates=7, method="rrf"))
    got = hybrid.retrieve("werker", k=3)
    # b: rank 2 dense + rank 1 or 2 lexical beats c (dense rank 1 only)
    assert got[0].chunk_id == "b" and {h.chunk_id for h in got} == {"a", "b", "c"}
    assert dense.calls[-1] == ("werker", 7, None)
    only_a = Filters(sources=["/d/a.txt"])
    got = hybrid.retrieve("werker", k=3, filters=only_a)
    assert dense.calls[-1][2] == only_a
    # the lexical side honoured the filter (the fake dense side ignores it)
    assert "a" in {h.chunk_id for h in got}
    assert all(h.chunk_id != "b" for h in hybrid.rankings("werker", 5, only_a)[1])


def test_hybrid_one_sided(lexical):
    only_lex = HybridRetriever(None, lexical)
    assert [h.source for h in only_lex.retrieve("werkers", 5)] in (
        ["/d/a.txt", "/d/b.txt"], ["/d/b.txt", "/d/a.txt"])
    no_lex = HybridRetriever(FixedIndex([hit("z", 1.0)]), lexical,
                             FusionConfig(lexical_weight=0))
    assert [h.chunk_id for h in no_lex.retrieve("werkers", 5)] == ["z"]
    with pytest.raises(ValueError):
        HybridRetriever(None, None)
