import hashlib

import pytest

from ingest.chunker import ChunkingConfig, chunk_document
from ingest.models import Document
from vectorstore.lexical import FILE_NAME, LexicalIndex
from vectorstore.records import Filters

pytestmark = pytest.mark.unit

LETTER = (
    "De werker van de gemeente Utrecht krijgt een nieuwe fiets. "
    "Het college betaalt de kosten van de bibliotheek."
)
NEWS = "Boeren protesteren in Den Haag tegen de stikstofregels. De minister reageert morgen."
OLD = "In de haven van Rotterdam staken de havenarbeiders al een week voor hogere lonen."


def _doc(text: str, source: str, date: str | None = None) -> Document:
    return Document(source=source, title=source.rsplit("/", 1)[-1], original=text, type="txt",
                    sha256=hashlib.sha256(text.encode()).hexdigest(), date=date)


def _fill(index: LexicalIndex, *docs: Document) -> None:
    for d in docs:
        chunks = chunk_document(d, ChunkingConfig(60, 0))
        index.add_chunks(d, chunks)
        index.finish_document(d, [c.id for c in chunks])


@pytest.fixture
def docs():
    return (_doc(LETTER, "/d/brief.txt", "2021-02-15"), _doc(NEWS, "/d/nieuws.txt", "2022-01"),
            _doc(OLD, "/d/oud.txt", "2019"))


def test_dutch_stemming_matches_inflected_forms(docs):
    index = LexicalIndex.open(None)
    _fill(index, *docs)
    hits = index.search("werkers", k=5)
    assert [h.source for h in hits] == ["/d/brief.txt"]
    assert "werker" in hits[0].text
    # stop words alone never match anything
    assert index.search("de het een van", k=5) == []
    assert index.search("protesterende boer", k=1)[0].source == "/d/nieuws.txt"


def test_hits_carry_original_wording_and_metadata(docs):
    index = LexicalIndex.open(None)
    _fill(index, *docs)
    h = index.search("bibliotheek kosten", k=1)[0]
    assert LETTER[h.char_start:h.char_end] == h.original
    assert "bibliotheek" in h.original
    assert h.title == "brief.txt" and h.date == "2021-02-15" and h.score > 0


def test_persistence_round_trip(tmp_path, docs):
    index = LexicalIndex.open(tmp_path / "lexical")
    _fill(index, *docs)
    before = [(h.chunk_id, round(h.score, 5)) for h in index.search("havenarbeiders lonen", 3)]
    index.save()
    files = sorted(p.name for p in (tmp_path / "lexical").iterdir())
    assert files == [FILE_NAME]  # atomic write left no temp file
    again = LexicalIndex.open(tmp_path / "lexical")
    assert len(again) == len(index) and again.load_seconds > 0
    after = [(h.chunk_id, round(h.score, 5)) for h in again.search("havenarbeiders lonen", 3)]
    assert after == before
    assert again.build_seconds == 0.0  # the saved BM25 matrix served it: no rebuild at start
    assert after[0][0] in {c.id for c in chunk_document(docs[2], ChunkingConfig(60, 0))}
    assert {s: sha for s, (sha, _) in again.sources().items()} == {d.source: d.sha256
                                                                  for d in docs}


def test_delete_and_new_version_after_reload(tmp_path, docs):
    index = LexicalIndex.open(tmp_path)
    _fill(index, *docs)
    index.save()
    index = LexicalIndex.open(tmp_path)
    assert index.delete_source("/d/oud.txt") > 0
    assert index.search("havenarbeiders", k=5) == []
    new = _doc(LETTER.replace("fiets", "scooter"), "/d/brief.txt", "2021-02-15")
    chunks = chunk_document(new, ChunkingConfig(60, 0))
    index.add_chunks(new, chunks)
    index.finish_document(new, [c.id for c in chunks])  # drops chunks of the older version
    assert index.search("fiets", k=5) == []
    assert index.search("scooter", k=5)[0].source == "/d/brief.txt"
    index.save()
    reloaded = LexicalIndex.open(tmp_path)
    assert {s: sha for s, (sha, _) in reloaded.sources().items()} == {
        "/d/brief.txt": new.sha256, "/d/nieuws.txt": docs[1].sha256}
    assert reloaded.search("scooter", k=1)[0].source == "/d/brief.txt"


def test_readding_same_chunk_ids_replaces(docs):
    index = LexicalIndex.open(None)
    _fill(index, *docs)
    n = len(index)
    _fill(index, docs[0])
    assert len(index) == n


def test_filters_sources_and_dates(docs):
    index = LexicalIndex.open(None)
    _fill(index, *docs)
    q = "gemeente minister havenarbeiders"
    assert {h.source for h in index.search(q, 10)} == {d.source for d in docs}
    got = index.search(q, 10, Filters(sources={"/d/nieuws.txt", "/d/oud.txt"}))
    assert {h.source for h in got} == {"/d/nieuws.txt", "/d/oud.txt"}
    f = Filters(date_from="2021", date_to="2021-02")  # 2021-02-15 falls inside the month
    assert {h.source for h in index.search(q, 10, f)} == {"/d/brief.txt"}
    f = Filters(date_to="2020")
    assert {h.source for h in index.search(q, 10, f)} == {"/d/oud.txt"}
    f = Filters(sources=["/d/brief.txt"], date_from="2022")
    assert index.search(q, 10, f) == []


def test_bad_filters_are_refused():
    with pytest.raises(ValueError):
        Filters(date_from="februari 2021")
    with pytest.raises(ValueError):
        Filters(date_to="2021-2")


def test_delete_document_neither_index_returns_it(fake_store, fake_indexer, tmp_path):
    (tmp_path / "a.txt").write_text(LETTER, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OLD, encoding="utf-8")
    fake_indexer.ingest([tmp_path])
    lexical = LexicalIndex.open(tmp_path / "lex")
    assert lexical.sync(fake_store) == (2, 0)  # built from the store's chunks
    assert lexical.sync(fake_store) == (0, 0)  # in step: nothing to do
    gone = str((tmp_path / "b.txt").resolve())
    assert any(h.source == gone for h in lexical.search("havenarbeiders", 5))
    fake_store.delete_source(gone)
    lexical.delete_source(gone)
    lexical.save()
    assert all(h.source != gone for h in fake_store.search("havenarbeiders lonen", k=10))
    assert LexicalIndex.open(tmp_path / "lex").search("havenarbeiders lonen", 10) == []


def test_sync_repairs_a_stale_index(fake_store, fake_indexer, tmp_path):
    (tmp_path / "a.txt").write_text(LETTER, encoding="utf-8")
    fake_indexer.ingest([tmp_path])
    lexical = LexicalIndex.open(None)
    lexical.add([{"chunk_id": "x", "source": "/weg.txt", "char_start": 0, "char_end": 3,
                  "text": "havenarbeiders"}])
    assert lexical.sync(fake_store) == (1, 1)
    assert lexical.search("havenarbeiders", 5) == []
    assert lexical.search("werkers", 5)[0].source == str((tmp_path / "a.txt").resolve())


def test_empty_index_and_unknown_words():
    index = LexicalIndex.open(None)
    assert index.search("iets", 5) == []
    index.add([{"chunk_id": "x", "source": "/a.txt", "char_start": 0, "char_end": 3,
                "text": "fietsen"}])
    assert index.search("zeppelin", 5) == []
    assert index.search("fiets", 0) == []


def test_parts_of_dutch_compounds_match():
    from ingest.terms import char_ngrams, stems

    text = "De gehoorschade bij jongeren neemt toe."
    index = LexicalIndex.open(None)
    index.add([{"chunk_id": "x", "source": "/a.txt", "char_start": 0, "char_end": len(text),
                "text": text}])
    assert not set(stems("schade aan het gehoor")) & set(stems(text))  # stems alone miss it
    assert "#schad" in char_ngrams("schade") and "#schad" in char_ngrams(text)
    hits = index.search("schade aan het gehoor", 5)
    assert [h.chunk_id for h in hits] == ["x"]


def test_index_of_an_older_tokenizer_is_rebuilt_from_the_store(fake_store, fake_indexer,
                                                                tmp_path):
    import json

    import numpy as np

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(LETTER, encoding="utf-8")
    fake_indexer.ingest([tmp_path / "docs"])
    old = LexicalIndex.open(tmp_path / "lex")
    old.sync(fake_store)
    old.save()
    with np.load(old.file) as z:
        parts = dict(z)
    parts["header"] = np.frombuffer(json.dumps({"format": "vraagbaak-lexical-1"}).encode(),
                                    dtype=np.uint8)
    np.savez(old.file, **parts)

    reopened = LexicalIndex.open(tmp_path / "lex")
    assert len(reopened) == 0  # not trusted: other tokens
    assert reopened.sync(fake_store) == (1, 0)
    reopened.save()
    assert LexicalIndex.open(tmp_path / "lex").search("fiets", 5)[0].source.endswith("a.txt")


def test_scores_of_given_chunks_match_search(docs):
    index = LexicalIndex.open(None)
    _fill(index, *docs)
    found = {h.chunk_id: h.score for h in index.search("werker fiets haven", k=10)}
    assert len(found) >= 2
    others = [r["chunk_id"] for r in index._rows if r["chunk_id"] not in found]  # noqa: SLF001
    got = index.scores("werker fiets haven", [*found, *others, "onbekend"])
    assert set(got) == set(found) | set(others)  # unknown ids are left out
    for cid, score in found.items():
        assert got[cid] == pytest.approx(score)
    assert all(got[c] == 0.0 for c in others)  # no term in common
    assert set(index.scores("xyzzy", list(found)).values()) == {0.0}


def test_scores_follow_changes_to_the_index(docs):
    index = LexicalIndex.open(None)
    _fill(index, docs[1])
    assert index.search("havenarbeiders", k=5) == []  # remembered: no term in the index
    _fill(index, docs[2])
    hits = index.search("havenarbeiders", k=5)
    assert [h.source for h in hits] == ["/d/oud.txt"]
    assert index.scores("havenarbeiders", [hits[0].chunk_id])[hits[0].chunk_id] > 0
    index.delete_source("/d/oud.txt")
    assert index.search("havenarbeiders", k=5) == []


def test_bm25s_debug_lines_stay_out_of_the_apps_log(docs, caplog):
    """bm25s sets its logger to DEBUG; once the app configures logging its "Building index from
    IDs" line leaked into `make run`'s output."""
    import logging

    index = LexicalIndex.open(None)
    _fill(index, *docs)
    with caplog.at_level(logging.DEBUG):
        assert index.search("werkers", k=5)
    assert not [r for r in caplog.records if r.name.startswith("bm25s")]


def test_a_documents_first_chunk(docs):
    index = LexicalIndex()
    _fill(index, *docs)
    first = index.first_chunk("/d/brief.txt")
    assert first is not None and first.char_start == 0
    assert first.original == LETTER[first.char_start:first.char_end]
    assert len([r for r in index.rows() if r["source"] == "/d/brief.txt"]) > 1  # of several
    assert index.first_chunk("/d/onbekend.txt") is None
