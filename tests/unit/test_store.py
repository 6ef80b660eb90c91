import hashlib
import uuid

import pytest

from ingest.chunker import ChunkingConfig, chunk_document
from ingest.models import Document
from vectorstore.chroma_client import make_client
from vectorstore.embedders import FakeEmbedder
from vectorstore.records import Filters, date_key
from vectorstore.store import ChromaStore, IndexMismatchError

pytestmark = pytest.mark.unit

TEXT = (
    "Het sociaal werk vormt samen met de huisartsen de zorg- en welzijnsdriehoek. "
    "Sociaal werkers zetten hun schouders eronder in coronatijd.\n\n"
    "De gemeente betaalt de kosten van de bibliotheek. Fietsen in het park is verboden."
)


def _doc(text=TEXT, source="/d/brief.txt", date="2021-02") -> Document:
    return Document(source=source, title="Brief", original=text, type="txt",
                    sha256=hashlib.sha256(text.encode()).hexdigest(), date=date)


def _index(store: ChromaStore, doc: Document) -> int:
    chunks = chunk_document(doc, ChunkingConfig(100, 0))
    store.add_chunks(doc, chunks)
    store.finish_document(doc, [c.id for c in chunks], "sig")
    return len(chunks)


def test_add_search_and_original_wording(fake_store):
    doc = _doc()
    n = _index(fake_store, doc)
    assert fake_store.count_chunks() == n
    hits = fake_store.search("fietsen in het park verboden", k=2)
    assert hits and "Fietsen in het park" in hits[0].original
    h = hits[0]
    assert doc.original[h.char_start:h.char_end] == h.original
    assert h.title == "Brief" and h.date == "2021-02"
    assert fake_store.original(doc.source) == doc.original
    rec = fake_store.document(doc.source)
    assert rec.chunks == n and rec.sha256 == doc.sha256


def test_read_gives_records_and_originals_of_several_documents_at_once(fake_store):
    doc, other = _doc(), _doc(TEXT + " Extra.", source="/d/b.txt")
    _index(fake_store, doc)
    _index(fake_store, other)
    got = fake_store.read([doc.source, "/d/weg.txt", other.source, doc.source])
    assert set(got) == {doc.source, other.source}  # a source not indexed is left out
    assert got[doc.source][1] == doc.original and got[other.source][1] == other.original
    assert got[other.source][0].sha256 == other.sha256
    assert fake_store.read([]) == {}


def test_filter_by_source_and_date(fake_store):
    _index(fake_store, _doc())
    other = _doc(TEXT.replace("Fietsen", "Wandelen"), source="/d/oud.txt", date="2019-05-01")
    _index(fake_store, other)
    hits = fake_store.search("park", k=10, filters=Filters(sources=["/d/oud.txt"]))
    assert hits and {h.source for h in hits} == {"/d/oud.txt"}
    hits = fake_store.search("park", k=10, filters=Filters(date_from="2020"))
    assert hits and {h.source for h in hits} == {"/d/brief.txt"}


def test_delete_document_removes_chunks_and_record(fake_store):
    _index(fake_store, _doc())
    keep = _doc(TEXT + " Extra.", source="/d/keep.txt")
    _index(fake_store, keep)
    assert fake_store.delete_source("/d/brief.txt")
    assert fake_store.document("/d/brief.txt") is None
    assert {h.source for h in fake_store.search("sociaal werk", k=20)} == {"/d/keep.txt"}
    assert not fake_store.delete_source("/d/brief.txt")


def test_new_version_replaces_old_chunks(fake_store):
    _index(fake_store, _doc())
    new = _doc("Een heel andere tekst over de begroting van 2022. Met twee zinnen.")
    n = _index(fake_store, new)
    assert fake_store.count_chunks("/d/brief.txt") == n
    assert all("begroting" in h.text or "zinnen" in h.text
               for h in fake_store.chunks_of("/d/brief.txt"))


def test_other_model_is_refused_with_clear_message():
    client = make_client(in_memory=True)
    name = f"t{uuid.uuid4().hex[:10]}"
    store = ChromaStore(client, FakeEmbedder(64), name=name)
    _index(store, _doc())
    with pytest.raises(IndexMismatchError, match="indexeer opnieuw"):
        ChromaStore(client, FakeEmbedder(32), name=name)
    # without a model the catalog still opens (list/remove)
    assert [d.source for d in ChromaStore(client, None, name=name).documents()] == ["/d/brief.txt"]
    store.reset()


def test_date_key():
    assert date_key("2021-02") == 20210200
    assert date_key("2018-04-05") == 20180405
    assert date_key(None) == 0


def test_scores_match_search_scores(fake_store):
    _index(fake_store, _doc())
    hits = fake_store.search("fietsen in het park", k=3)
    sims = fake_store.scores("fietsen in het park", [h.chunk_id for h in hits] + ["nope"])
    assert set(sims) == {h.chunk_id for h in hits}  # unknown ids are left out
    for h in hits:
        assert sims[h.chunk_id] == pytest.approx(h.score, abs=1e-4)
    assert fake_store.scores("park", []) == {}


def test_rows_from_a_lookup_give_the_same_hits_and_missing_ones_come_from_chroma():
    """A store given the rows in memory (BM25's, in the app) reads only ids and distances
    from Chroma; rows the lookup lacks (written by another process since) are read there."""
    from vectorstore.lexical import LexicalIndex

    client = make_client(in_memory=True)
    name = f"t{uuid.uuid4().hex[:8]}"
    plain = ChromaStore(client, FakeEmbedder(), name=name)
    lex = LexicalIndex.open(None)
    docs = [_doc(), _doc(TEXT.replace("Fietsen", "Wandelen"), source="/d/oud.txt")]
    for doc in docs:
        chunks = chunk_document(doc, ChunkingConfig(100, 0))
        plain.add_chunks(doc, chunks)
        plain.finish_document(doc, [c.id for c in chunks], "sig")
        if doc.source == "/d/brief.txt":  # the other document is unknown to the lookup
            lex.add_chunks(doc, chunks)
    asked: list[str] = []

    def lookup(chunk_id: str):
        asked.append(chunk_id)
        return lex.row(chunk_id)

    fast = ChromaStore(client, FakeEmbedder(), name=name, rows=lookup)
    for filters in (None, Filters(sources=["/d/oud.txt"])):
        want = plain.search("fietsen wandelen park", k=10, filters=filters)
        got = fast.search("fietsen wandelen park", k=10, filters=filters)
        assert len(want) >= 2 and got == want
    assert asked and {h.source for h in got} == {"/d/oud.txt"}
    assert lex.row("onbekend") is None
