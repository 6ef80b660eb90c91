"""The `ChunkIndex` contract (vectorstore/chunk_index.py), run against every back end:
in-memory Chroma, persistent Chroma, a real `chroma run` server, and the BM25 index.

A new index implementation joins by adding a fixture param; every test here must pass for it.
The fake embedder keeps the Chroma runs fast and deterministic; the contract is about storage,
filters, ids and scores, not about embedding quality.
"""

from __future__ import annotations

import hashlib
import uuid

import pytest

from ingest.chunker import ChunkingConfig, chunk_document
from ingest.models import Document
from vectorstore.chunk_index import ChunkIndex
from vectorstore.records import Filters

pytestmark = pytest.mark.integration

LETTER = ("De werker van de gemeente Utrecht krijgt een nieuwe fiets. Het college betaalt de "
          "kosten van de bibliotheek. De raad stemt in met het voorstel over de haven.")
NEWS = ("Boeren protesteren in Den Haag tegen de stikstofregels. De minister reageert morgen "
        "op de boeren. Het kabinet wil de stikstofuitstoot halveren.")
OLD = ("In de haven van Rotterdam staken de havenarbeiders al een week voor hogere lonen. "
       "De werkgevers bieden twee procent meer.")
UNDATED = "De bibliotheek van de gemeente opent een nieuwe vestiging in de haven."
CHUNKING = ChunkingConfig(60, 0)
QUERY = "haven gemeente boeren werker bibliotheek"


def _doc(text: str, source: str, date: str | None) -> Document:
    return Document(source=source, title=source.rsplit("/", 1)[-1], original=text, type="txt",
                    sha256=hashlib.sha256(text.encode()).hexdigest(), date=date)


DOCS = (_doc(LETTER, "/d/brief.txt", "2021-02-15"), _doc(NEWS, "/d/nieuws.txt", "2022-01"),
        _doc(OLD, "/d/oud.txt", "2019"), _doc(UNDATED, "/d/zonder-datum.txt", None))


def _chroma(client):
    from vectorstore.embedders import FakeEmbedder
    from vectorstore.store import ChromaStore

    return ChromaStore(client, FakeEmbedder(), name=f"c{uuid.uuid4().hex[:10]}")


@pytest.fixture(params=["chroma-memory", "chroma-persistent", "chroma-server", "bm25"])
def index(request, tmp_path) -> ChunkIndex:
    from vectorstore.chroma_client import make_client
    from vectorstore.lexical import LexicalIndex

    kind = request.param
    if kind == "bm25":
        yield LexicalIndex.open(tmp_path / "lexical")
        return
    if kind == "chroma-memory":
        client = make_client(in_memory=True)
    elif kind == "chroma-persistent":
        client = make_client(tmp_path / "data")
    else:
        client = make_client(server_url=request.getfixturevalue("chroma_server"))
    store = _chroma(client)
    yield store
    store.reset()


def _add(index: ChunkIndex, doc: Document, config: ChunkingConfig = CHUNKING) -> list[str]:
    chunks = chunk_document(doc, config)
    index.add_chunks(doc, chunks)
    ids = [c.id for c in chunks]
    index.finish_document(doc, ids, config.signature)
    index.flush()
    return ids


def _all(index: ChunkIndex, filters: Filters | None = None) -> list:
    return index.search(QUERY, k=100, filters=filters)


def test_is_a_chunk_index(index):
    assert isinstance(index, ChunkIndex)


def test_add_then_search_returns_exact_originals_and_stable_ids(index):
    ids = {d.source: _add(index, d) for d in DOCS}
    hits = _all(index)
    assert hits, "the query shares words with every document"
    by_source = {d.source: d for d in DOCS}
    for h in hits:
        doc = by_source[h.source]
        assert doc.original[h.char_start:h.char_end] == h.original  # the offset promise
        assert h.chunk_id in ids[h.source]
        assert h.title == doc.title and h.date == doc.date
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # ids are stable: chunking the same document again gives the same ids
    assert ids["/d/brief.txt"] == [c.id for c in chunk_document(DOCS[0], CHUNKING)]


def test_re_adding_a_document_replaces_instead_of_duplicating(index):
    for d in DOCS:
        _add(index, d)
    before = sorted(h.chunk_id for h in _all(index))
    _add(index, DOCS[0])
    _add(index, DOCS[0])
    after = sorted(h.chunk_id for h in _all(index))
    assert after == before and len(after) == len(set(after))


def test_finish_drops_the_chunks_of_an_older_version(index):
    for d in DOCS:
        _add(index, d)
    new = _doc(LETTER.replace("fiets", "scooter") + " De gemeente bouwt een brug.",
               "/d/brief.txt", "2021-02-15")
    new_ids = _add(index, new)
    mine = [h for h in _all(index) if h.source == "/d/brief.txt"]
    assert mine and {h.chunk_id for h in mine} <= set(new_ids)
    assert all("fiets " not in h.original for h in mine)
    # the same text chunked another way: only the new chunking's chunks remain
    other = ChunkingConfig(120, 0)
    other_ids = _add(index, new, other)
    mine = {h.chunk_id for h in _all(index) if h.source == "/d/brief.txt"}
    assert mine and mine <= set(other_ids) and not mine & set(new_ids)


def test_delete_source_removes_only_that_source(index):
    for d in DOCS:
        _add(index, d)
    index.delete_source("/d/oud.txt")
    index.flush()
    sources = {h.source for h in _all(index)}
    assert "/d/oud.txt" not in sources
    assert sources == {"/d/brief.txt", "/d/nieuws.txt", "/d/zonder-datum.txt"}
    index.delete_source("/d/bestaat-niet.txt")  # unknown sources are a no-op


@pytest.mark.parametrize("filters", [
    Filters(sources=["/d/oud.txt", "/d/nieuws.txt"]),
    Filters(date_from="2021-02"),
    Filters(date_from="2021", date_to="2021-02"),  # 2021-02-15 falls inside the month
    Filters(date_to="2020"),
    Filters(date_from="2019", date_to="2021-12-31"),
    Filters(sources=["/d/brief.txt", "/d/oud.txt"], date_to="2021-02-15"),
    Filters(sources=["/d/zonder-datum.txt"]),
    Filters(sources=["/d/brief.txt"], date_from="2022"),  # nothing passes
], ids=lambda f: f"{f.sources}-{f.date_from}-{f.date_to}")
def test_filters_mean_the_same_everywhere(index, filters):
    for d in DOCS:
        _add(index, d)
    got = {h.source for h in _all(index, filters)}
    expected = {d.source for d in DOCS if filters.accepts(d.source, d.date)}
    assert got == expected
    assert all(h.source in expected for h in index.search(QUERY, k=2, filters=filters))


def test_a_date_range_keeps_undated_documents_out(index):
    for d in DOCS:
        _add(index, d)
    assert "/d/zonder-datum.txt" not in {h.source for h in _all(index, Filters(date_to="2100"))}
    assert "/d/zonder-datum.txt" in {h.source for h in _all(index, Filters())}


def test_scores_of_given_ids_match_search_scores(index):
    for d in DOCS:
        _add(index, d)
    hits = index.search(QUERY, k=5)
    got = index.scores(QUERY, [h.chunk_id for h in hits] + ["onbekend-00000"])
    assert set(got) == {h.chunk_id for h in hits}  # unknown ids are left out
    for h in hits:
        assert got[h.chunk_id] == pytest.approx(h.score, abs=1e-5)
    assert index.scores(QUERY, []) == {}


def test_k_limits_and_an_empty_index_returns_nothing(index):
    assert index.search(QUERY, k=5) == []
    for d in DOCS:
        _add(index, d)
    assert len(index.search(QUERY, k=2)) == 2


def test_hits_carry_the_structure_of_their_chunk(index):
    """Issue 18: a chunk's place (artikel, lid, kop) comes back with its hit."""
    law = ("# Wet op de haven\n\n### Artikel 1\n\n1. De gemeente beheert de haven.\n\n"
           "2. De raad stelt de havengelden vast voor boeren en werkers.\n")
    doc = _doc(law, "/d/havenwet.md", None)
    chunks = chunk_document(doc, ChunkingConfig(50, 0))
    assert any(c.structure.get("lid") == "2" for c in chunks)
    index.add_chunks(doc, chunks)
    index.finish_document(doc, [c.id for c in chunks], CHUNKING.signature)
    index.flush()
    hits = {h.chunk_id: h for h in _all(index)}
    assert hits
    for c in chunks:
        if c.id in hits:
            assert hits[c.id].structure == c.structure
    assert any(h.structure.get("artikel") == "1" for h in hits.values())


def test_hits_carry_the_running_headers_of_their_chunk(index):
    """A paged document's running headers (ingest/furniture.py) come back with each hit, so
    the answerer cuts the sentences the ingest embedded."""
    header = "Programma van de havenpartij 2021-2025"
    text = "".join(f"De haven krijgt plan {w} voor de gemeente.\n{header}\n"
                   for w in ("een", "twee", "drie", "vier", "vijf"))
    doc = _doc(text, "/d/programma.txt", None)
    chunks = chunk_document(doc, ChunkingConfig(120, 0))
    assert sum(len(c.furniture) for c in chunks) == 5
    index.add_chunks(doc, chunks)
    index.finish_document(doc, [c.id for c in chunks], CHUNKING.signature)
    index.flush()
    hits = {h.chunk_id: h for h in _all(index)}
    found = [c for c in chunks if c.id in hits and c.furniture]
    assert len(found) >= 2
    for c in found:
        assert hits[c.id].furniture == c.furniture
        for a, b in c.furniture:
            assert hits[c.id].original[a:b] == header
