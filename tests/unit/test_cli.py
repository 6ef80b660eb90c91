import json
import shutil

import pytest

from tests.conftest import CORPUS, need
from ui.cli import main

pytestmark = pytest.mark.unit


@pytest.fixture
def run(tmp_path, capsys):
    data = tmp_path / "data"

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data), "--embedder", "fake", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_ingest_list_search_remove_json(run, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(need(CORPUS), docs)
    code, out, _ = run("ingest", str(docs), "--json", "--no-progress")
    assert code == 0 and len(json.loads(out)["added"]) == 2

    code, out, _ = run("list", "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 2
    assert set(listed[0]) >= {"source", "title", "date", "chunks"}
    news = next(d for d in listed if d["source"].endswith("000_a0185afebb45fdde.txt"))
    assert news["date"] == "2021-02" and news["chunks"] >= 1

    code, out, _ = run("search", "zorg- en welzijnsdriehoek", "-k", "3", "--json")
    hits = json.loads(out)
    assert code == 0 and 1 <= len(hits) <= 3
    assert set(hits[0]) >= {"source", "title", "date", "page", "char_start", "char_end",
                            "text", "score"}
    original = (docs / hits[0]["source"].split("/")[-1]).read_text(encoding="utf-8")
    assert hits[0]["text"] in original

    code, out, _ = run("remove", "000_a0185afebb45fdde.txt")
    assert code == 0
    code, out, _ = run("list", "--json")
    assert [d["source"].split("/")[-1] for d in json.loads(out)] == ["003_60de30e4263decae.txt"]


def test_errors_go_to_stderr_with_nonzero_exit(run, tmp_path):
    code, out, err = run("remove", "bestaat-niet.txt")
    assert code != 0 and out == "" and "niet gevonden" in err
    empty = tmp_path / "leeg.txt"
    empty.write_text("   \n")
    code, out, err = run("ingest", str(empty), "--no-progress")
    assert code == 2 and "leeg.txt" in err


def test_doctor_reports_cpu_threads_and_the_index_identity(run, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(need(CORPUS), docs)
    assert run("ingest", str(docs), "--no-progress")[0] == 0
    code, out, _ = run("doctor", "--json")
    r = json.loads(out)
    assert code == 0
    assert r["cpu"]["usable_cores"] >= 1 and isinstance(r["cpu"]["flags"], list)
    assert r["embedder"]["setting"] == "fake" and r["execution"] is None  # fake has no paths
    assert r["index"]["identity"].startswith("fake:hash-bow") and r["index"]["compatible"]
    assert r["index"]["documents"] == 2
    assert r["threads"]["torch"] >= 1 and r["versions"]["torch"]
    assert r["sentence_search"]["on"] and r["sentence_search"]["vectors"] > 20
    code, out, _ = run("doctor")
    assert code == 0 and "Threads:" in out and "past bij het ingestelde model" in out
    assert "zinnen zoeken aan" in out


def test_doctor_says_why_the_sentence_search_is_off(run, tmp_path):
    """An index whose sentence vectors were never marked complete (chunks written by
    `Components.indexer` alone) answers without sentence search: doctor says so and how to
    mend it, and `vraagbaak ingest` mends it."""
    from rag.build import build
    from rag.settings import Settings

    c = build(Settings(data_dir=tmp_path / "data", embedder="fake"))
    c.indexer.progress = False
    assert not c.indexer.ingest([need(CORPUS)]).failed
    code, out, _ = run("doctor", "--json")
    r = json.loads(out)["sentence_search"]
    assert code == 0 and not r["on"] and "vraagbaak ingest" in r["reason_off"]
    assert run("ingest", str(need(CORPUS)), "--no-progress")[0] == 0
    assert json.loads(run("doctor", "--json")[1])["sentence_search"]["on"]


def test_commands_that_embed_nothing_never_load_the_model(run, tmp_path, monkeypatch):
    import rag.build

    loads: list[str] = []
    real = rag.build.make_embedder
    monkeypatch.setattr(rag.build, "make_embedder",
                        lambda s, **kw: loads.append(s.embedder) or real(s, **kw))
    docs = tmp_path / "docs"
    shutil.copytree(need(CORPUS), docs)
    assert run("ingest", str(docs), "--no-progress")[0] == 0
    assert loads == ["fake"]  # new text to embed: the model loads
    loads.clear()
    assert run("ingest", str(docs), "--no-progress")[0] == 0  # all unchanged
    (tmp_path / "leeg.txt").write_text("", encoding="utf-8")
    assert run("ingest", str(tmp_path / "leeg.txt"), "--no-progress")[0] == 2  # refused
    assert run("list")[0] == 0
    assert run("find", "sociaal werk")[0] == 0
    assert run("show", "000_a0185afebb45fdde.txt")[0] == 0
    assert run("remove", "000_a0185afebb45fdde.txt")[0] == 0
    assert loads == []
    assert run("search", "sociaal werk")[0] == 0  # a query needs the model
    assert loads == ["fake"]


def test_find_and_show_cite_a_law_by_article_and_member(run, tmp_path):
    from tests.conftest import SHARED

    law = need(SHARED / "data" / "wetten_2017" / "grondwet_BWBR0001840.md")
    assert run("ingest", str(law), "--no-progress")[0] == 0
    code, out, _ = run("find", "De wet regelt wie Nederlander is", "--cite")
    assert code == 0
    assert "“De wet regelt wie Nederlander is” — artikel 2, eerste lid, Grondwet" in out
    code, out, _ = run("find", "De wet regelt wie Nederlander is", "--json")
    hit = json.loads(out)[0]
    code, out, _ = run("show", "grondwet_BWBR0001840.md", "--start", str(hit["char_start"]),
                       "--end", str(hit["char_end"]), "--json")
    assert json.loads(out)["reference"] == "artikel 2, eerste lid, Grondwet"


def test_search_json_names_the_article_a_law_passage_starts_in(run):
    from tests.conftest import SHARED

    law = need(SHARED / "data" / "wetten_2017" / "grondwet_BWBR0001840.md")
    assert run("ingest", str(law), "--no-progress")[0] == 0
    hits = json.loads(run("search", "Nederlander regelt de wet", "-k", "5", "--json")[1])
    refs = [h["reference"] for h in hits]
    assert refs and all(r is None or (r.startswith("artikel ") and r.endswith("Grondwet"))
                        for r in refs)
    assert any(r for r in refs)
