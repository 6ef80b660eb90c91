import argparse
import json
import math
import uuid

import pytest

from rag.evaluate import (
    EvalResult,
    Question,
    doc_rank,
    evaluate,
    format_table,
    metrics,
    read_questions,
    write_questions,
)
from vectorstore.records import Hit

pytestmark = pytest.mark.unit


def hit(source: str, text: str = "tekst", cid: str | None = None) -> Hit:
    return Hit(chunk_id=cid or f"{source}-{text}", source=source, title="", date=None, pages=(),
               char_start=0, char_end=len(text), text=text.lower(), original=text, score=1.0)


def test_metrics_hand_computed():
    # ranks 1, 3, none, 12 (beyond the cut-off)
    m = metrics([1, 3, None, 12])
    assert m["n"] == 4
    assert m["recall@1"] == pytest.approx(0.25)
    assert m["recall@5"] == pytest.approx(0.5)
    assert m["recall@10"] == pytest.approx(0.5)
    assert m["mrr"] == pytest.approx((1 + 1 / 3) / 4)
    assert m["ndcg@10"] == pytest.approx((1 + 1 / math.log2(4)) / 4)
    assert metrics([])["n"] == 0 and metrics([])["mrr"] == 0.0


def test_doc_rank_counts_distinct_documents_and_checks_quote():
    hits = [hit("/c/a.txt", "Eerste deel"), hit("/c/a.txt", "Tweede deel"),
            hit("/c/b.txt", "Iets"), hit("/c/doel.txt", "Niets"),
            hit("/c/doel.txt", "De  Minister\nantwoordt ja")]
    assert doc_rank(hits, Question("v", "doel.txt")) == 3
    assert doc_rank(hits, Question("v", "/doel.txt", "minister ANTWOORDT")) == 3
    assert doc_rank(hits, Question("v", "doel.txt", "nee")) is None
    assert doc_rank(hits, Question("v", "a.txt", "tweede")) == 1
    assert doc_rank(hits, Question("v", "x.txt")) is None


def test_jsonl_round_trip_and_errors(tmp_path):
    qs = [Question("Wat kost de bieb?", "brief.txt", "de kosten"), Question("Wie?", "b.txt")]
    path = tmp_path / "q.jsonl"
    write_questions(path, qs)
    assert read_questions(path) == qs
    (tmp_path / "bad.jsonl").write_text('{"question": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        read_questions(tmp_path / "bad.jsonl")


def test_evaluate_runs_retrieve_and_table():
    answers = {"q1": [hit("/a.txt")], "q2": [hit("/b.txt"), hit("/a.txt")], "q3": []}
    seen_k = []

    class Retrieve:
        def retrieve(self, q, k=5, filters=None):
            seen_k.append(k)
            return answers[q]

    qs = [Question("q1", "a.txt"), Question("q2", "a.txt"), Question("q3", "a.txt")]
    result = evaluate(Retrieve(), qs, name="stub", fetch=20)
    assert result.ranks == [1, 2, None] and seen_k == [20, 20, 20]
    assert result.summary()["mrr"] == pytest.approx(0.5)
    assert result.summary([True, False, False])["recall@1"] == 1.0
    table = format_table([("stub", result.summary())], {"stub": result.latency_ms()})
    lines = table.splitlines()
    assert lines[0].startswith("| config | n | recall@1 | recall@5 | recall@10 | mrr | ndcg@10")
    assert lines[2].startswith("| stub | 3 | 0.333 | 0.667 | 0.667 | 0.500 |")
    assert EvalResult("x").latency_ms() == (0.0, 0.0)


def _components(tmp_path):
    from rag.build import build
    from rag.settings import Settings

    settings = Settings(embedder="fake", data_dir=tmp_path / "data",
                        collection=f"t{uuid.uuid4().hex[:10]}")
    return build(settings, in_memory=True)


def test_eval_command_json_and_compare(tmp_path, capsys):
    from ui import cmd_eval

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "haven.txt").write_text("De havenarbeiders in Rotterdam staken voor hogere lonen.",
                                    encoding="utf-8")
    (docs / "fiets.txt").write_text("De gemeente Utrecht betaalt nieuwe fietsenstallingen.",
                                    encoding="utf-8")
    c = _components(tmp_path)
    try:
        c.indexer.progress = False
        c.indexer.ingest([docs])
        qpath = tmp_path / "q.jsonl"
        write_questions(qpath, [Question("waarom staken havenarbeiders", "haven.txt", "lonen"),
                                Question("fietsenstallingen gemeente", "fiets.txt")])
        parser = argparse.ArgumentParser()
        cmd_eval.add_parser(parser.add_subparsers(dest="command"))
        args = parser.parse_args(["eval", str(qpath), "--json"])
        assert cmd_eval.run(c, args) == 0
        out = json.loads(capsys.readouterr().out)
        assert set(out) == {"n", "recall@1", "recall@5", "recall@10", "mrr", "ndcg@10"}
        assert out["n"] == 2 and out["recall@10"] == 1.0
        args = parser.parse_args(["eval", str(qpath), "--compare", "dense,bm25,hybrid"])
        assert cmd_eval.run(c, args) == 0
        table = capsys.readouterr().out
        assert [ln.split("|")[1].strip() for ln in table.splitlines()[2:]] == [
            "dense", "bm25", "hybrid"]
        bm25_row = table.splitlines()[3].split("|")
        assert bm25_row[3].strip() == "1.000"  # BM25 ranks both right first
        args = parser.parse_args(["eval", str(qpath), "--json", "--compare", "bm25",
                                  "--doc", "fiets.txt"])
        assert cmd_eval.run(c, args) == 0
        out = json.loads(capsys.readouterr().out)
        assert out[0]["config"] == "bm25" and out[0]["recall@10"] == 0.5
    finally:
        c.catalog.reset()
