"""The staff tabs ("Zoek exacte tekst", "Documenten") through gradio_client on a loopback port."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import CORPUS, LETTER
from tests.ui_server import serving
from vectorstore.records import Filters

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def served():
    if not LETTER.exists():
        pytest.fail(f"corpus file missing: {LETTER}")
    from ingest.chunker import ChunkingConfig
    from rag.phrase import PhraseIndex
    from ui.serve import offline_env
    from vectorstore.chroma_client import make_client
    from vectorstore.embedders import FakeEmbedder
    from vectorstore.indexer import Indexer
    from vectorstore.store import ChromaStore

    offline_env()
    import gradio as gr

    from ui.staff_tabs import add_staff_tabs

    name = f"t{uuid.uuid4().hex[:8]}"
    store = ChromaStore(make_client(in_memory=True), FakeEmbedder(), name=name)
    Indexer(store, ChunkingConfig(), progress=False).ingest([CORPUS])
    index = PhraseIndex(store)
    from rag.cited import open_passage

    with gr.Blocks() as app, gr.Tabs():
        add_staff_tabs(index.find, store.documents, store.original,
                       open_passage=lambda *a: open_passage(store, *a))
    try:
        with serving(app) as url:
            yield url, store
    finally:
        store.reset()


def test_phrase_search_endpoint(served):
    from gradio_client import Client

    url, store = served
    client = Client(url, verbose=False)
    html, hits, pick, citation, viewer = client.predict(
        "de zorg- en welzijnsdriehoek", False, api_name="/zoek_tekst")
    assert len(hits) == 1
    hit = hits[0]
    original = store.original(hit["source"])
    assert hit["text"] == "de zorg- en \nwelzijnsdriehoek"
    assert original[hit["char_start"]:hit["char_end"]] == hit["text"]
    assert "<mark>de zorg- en \nwelzijnsdriehoek</mark>" in html
    assert citation.startswith("“de zorg- en welzijnsdriehoek” — ")
    assert (pick["value"] if isinstance(pick, dict) else pick) == 0
    assert "<mark id=\"vb-passage\">de zorg- en \nwelzijnsdriehoek</mark>" in viewer
    assert len(viewer) > len(original)  # the whole document, escaped

    # curly-quote tolerance, fuzzy scores, HTML escaping of the phrase's results
    _, hits, _, _, _ = client.predict("'omzien naar elkaar", False, api_name="/zoek_tekst")
    assert hits and hits[0]["text"] == "‘Omzien naar elkaar"
    html, hits, _, _, _ = client.predict("haarvatten van de samenleefing", True,
                                         api_name="/zoek_tekst")
    assert hits and 0 < hits[0]["score"] < 1 and "gelijkenis" in html
    html, hits, _, citation, _ = client.predict("<b>nergens</b>", False, api_name="/zoek_tekst")
    assert hits == [] and "Niet gevonden" in html and "<b>" not in html and citation == ""


def test_show_hit_and_documents(served):
    from gradio_client import Client

    url, _ = served
    client = Client(url, verbose=False)
    _, hits, _, _, _ = client.predict("sociaal werk", False, api_name="/zoek_tekst")
    assert len(hits) >= 2
    citation, viewer = client.predict(hits, 1, api_name="/toon_hit")
    assert citation == hits[1]["citation"] and "<mark" in viewer

    table = client.predict("", "", "", api_name="/documenten")
    rows = table["data"] if isinstance(table, dict) else table
    assert len(rows) == 2
    assert any(r[4].endswith(LETTER.name) for r in rows)
    letter_title = next(r[0] for r in rows if r[4].endswith(LETTER.name))
    table = client.predict(letter_title[:8].upper(), "", "", api_name="/documenten")
    rows = table["data"] if isinstance(table, dict) else table
    assert any(r[4].endswith(LETTER.name) for r in rows)
    table = client.predict("", "2999", "", api_name="/documenten")
    rows = table["data"] if isinstance(table, dict) else table
    assert rows == [] or all(not any(r) for r in rows)


def test_chosen_documents_restrict_the_chat(tmp_path):
    """/kies_documenten restricts the session's /chat questions (FakeAsk records `filters`)."""
    from gradio_client import Client

    from rag.phrase import PhraseIndex
    from tests.ui_server import corpus_store, running_app

    with corpus_store() as store:
        source = next(d.source for d in store.documents() if d.source.endswith(LETTER.name))
        with running_app(find=PhraseIndex(store).find, documents=store.documents,
                         original=store.original) as (url, ask):
            client = Client(url, verbose=False)
            client.predict("Wat vraagt het sociaal werk?", api_name="/chat")
            note = client.predict([source], api_name="/kies_documenten")
            assert "alleen over 1 gekozen document" in note
            client.predict("En nu?", api_name="/chat")
            client.predict([], api_name="/kies_documenten")
            client.predict("En zonder keuze?", api_name="/chat")
    assert ask.filters == [None, Filters(sources=[source]), None]


def test_a_citation_is_opened_again_by_document_characters_and_version(served):
    """Issue 18: "Bronvermelding openen" (`/toon_bron`) shows a cited passage again."""
    from gradio_client import Client

    url, store = served
    client = Client(url, verbose=False)
    _, hits, _, _, _ = client.predict("de zorg- en welzijnsdriehoek", False,
                                      api_name="/zoek_tekst")
    hit = hits[0]
    name = hit["source"].rsplit("/", 1)[-1]
    citation, viewer = client.predict(name, hit["char_start"], hit["char_end"],
                                      hit["version"], api_name="/toon_bron")
    assert citation == hit["citation"]
    assert '<mark id="vb-passage">de zorg- en \nwelzijnsdriehoek</mark>' in viewer
    assert "oudere versie" not in viewer
    citation, viewer = client.predict(name, hit["char_start"], hit["char_end"], "ffffffff",
                                      api_name="/toon_bron")
    assert citation == "" and "versie ffffffff" in viewer and "niet gevonden" in viewer
