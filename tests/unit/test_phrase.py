"""Phrase search, citation formatting and the `find` / `show` commands over ../shared/corpus."""

from __future__ import annotations

import argparse
import json
from types import SimpleNamespace

import pytest

from rag.citation_format import format_citation, format_date, shorten, source_view
from rag.phrase import PhraseIndex, fold_phrase
from tests.conftest import CORPUS, LETTER, need

pytestmark = pytest.mark.unit


@pytest.fixture
def store(fake_store):
    from ingest.chunker import ChunkingConfig
    from vectorstore.indexer import Indexer

    report = Indexer(fake_store, ChunkingConfig(), progress=False).ingest([need(CORPUS)])
    assert not report.failed
    return fake_store


@pytest.fixture
def index(store):
    return PhraseIndex(store)


def _letter_hits(index, phrase, **kw):
    return [h for h in index.find(phrase, **kw) if h.source == str(LETTER.resolve())]


def _check_offsets(store, hit):
    original = store.original(hit.source)
    assert original[hit.char_start : hit.char_end] == hit.text
    assert original[: hit.char_start].endswith(hit.context_before)
    assert original[hit.char_end :].startswith(hit.context_after)


@pytest.mark.parametrize(
    ("phrase", "newlines"),
    [
        ("de zorg- en welzijnsdriehoek", 1),  # spans a line break
        ("het vertrouwen van burgers", 2),  # spans a blank line
        ("haarvaten van de samenleving", 2),  # spans a blank line
    ],
)
def test_phrase_across_line_breaks(store, index, phrase, newlines):
    hits = _letter_hits(index, phrase)
    assert len(hits) == 1
    hit = hits[0]
    _check_offsets(store, hit)
    assert hit.text.count("\n") == newlines
    assert " ".join(hit.text.split()) == phrase
    assert hit.score == 1.0
    assert hit.title and hit.source.endswith(LETTER.name)


def test_curly_quotes_and_case(store, index):
    hits = _letter_hits(index, "'Omzien naar elkaar, vooruitkijken naar de toekomst'")
    assert len(hits) == 1
    assert hits[0].text == "‘Omzien naar elkaar, vooruitkijken naar de toekomst’"
    _check_offsets(store, hits[0])
    upper = _letter_hits(index, "HET VERTROUWEN VAN BURGERS")
    assert [(h.char_start, h.char_end) for h in upper] == [
        (h.char_start, h.char_end) for h in _letter_hits(index, "het vertrouwen van burgers")]


def test_hyphenated_word_and_phrase_line_breaks(store, index):
    """A phrase typed with a hyphen or copied with its line breaks still matches."""
    joined = _letter_hits(index, "welzijnsdriehoek")
    assert joined and joined == _letter_hits(index, "welzijns-driehoek")
    copied = _letter_hits(index, "het vertrouwen van \n\nburgers")
    assert len(copied) == 1 and copied[0].text == "het vertrouwen van \n\nburgers"


def test_every_occurrence_in_document_order(store, index):
    hits = index.find("sociaal werk", whole_words=False)
    assert len(hits) >= 3
    assert index.count("sociaal werk", whole_words=False) >= len(hits)
    for h in hits:
        _check_offsets(store, h)
        assert h.text.lower().replace("\n", " ").startswith("sociaal")
    keys = [(h.source, h.char_start) for h in hits]
    assert keys == sorted(keys)
    assert len(index.find("sociaal werk", limit=2)) == 2
    assert index.find("sociaal werk", sources=["elders"]) == []


def test_whole_words_by_default_substrings_on_request(store, index):
    """Issue 18: "sociaal werk" must not match inside "Sociaal werkers" (a copied citation
    would end mid-word); with whole_words=False it does."""
    whole = index.find("sociaal werk", limit=500)
    inside = index.find("sociaal werk", limit=500, whole_words=False)
    assert whole and len(inside) > len(whole)
    originals = {h.source: store.original(h.source) for h in inside}
    for h in whole:
        after = originals[h.source][h.char_end:h.char_end + 1]
        assert not after.isalnum()  # ends where a word ends
    assert any(originals[h.source][h.char_end:h.char_end + 3] == "ers" for h in inside)
    assert index.count("sociaal werk") == len(whole)
    assert index.count("sociaal werk", whole_words=False) == len(inside)
    assert index.find("ociaal werk") == [] and index.find("ociaal werk", whole_words=False)


def test_not_found_and_empty(index):
    assert index.find("dit staat nergens in de documenten xyz") == []
    assert index.find("   ") == []


def test_fuzzy_finds_misspelt_phrase(store, index):
    hits = index.find("haarvatten van de samenleefing", fuzzy=True, limit=5)
    assert hits
    best = hits[0]
    assert 0.75 <= best.score < 1.0
    assert " ".join(best.text.split()) == "haarvaten van de samenleving"
    _check_offsets(store, best)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    exact = index.find("haarvaten van de samenleving", fuzzy=True, limit=1)
    assert exact[0].score == 1.0


def test_rebuilds_when_documents_change(store, index):
    assert index.find("welzijnsdriehoek")
    store.delete_source(str(LETTER.resolve()))
    index.refresh()
    assert _letter_hits(index, "welzijnsdriehoek") == []


def test_fold_phrase():
    assert fold_phrase("“Zorg–\nen” Welzijns-driehoek") == '"zorg- en" welzijnsdriehoek'


def test_format_citation_and_ellipsis():
    assert format_date("2018-04-05") == "5 april 2018"
    assert format_date("2021-02") == "februari 2021"
    assert format_date(None) == ""
    c = format_citation("Brief", "2018-04-05", 2, "de zorg- en \nwelzijnsdriehoek")
    assert c == "“de zorg- en welzijnsdriehoek” — Brief, 5 april 2018, p. 2"
    assert format_citation("Brief", None, None, "kort") == "“kort” — Brief"
    long = "Sociaal werkers zetten hun schouders eronder in coronatijd en maakten verschil"
    short = format_citation("Brief", "2021", None, long, max_chars=40)
    quote = short.split("”")[0].lstrip("“")
    assert quote.endswith("…") and len(quote) <= 40
    assert long.startswith(quote[:-1])
    assert long[len(quote) - 1] == " "  # cut at a word boundary
    # a quote with quotation marks of its own is not nested in “ ”: ‘ ’ around it, verbatim
    inner = 'Rutte schrijft: "We moeten juist verbinding zoeken".'
    assert format_citation("Bericht", None, None, inner) == f"‘{inner}’ — Bericht"
    assert shorten("a b", 10) == "a b"


def test_source_view():
    text = "een twee drie vier vijf zes zeven"
    assert source_view(text, 9, 13) == ("een twee ", "drie", " vier vijf zes zeven")
    before, passage, after = source_view(text, 9, 13, context=6)
    assert passage == "drie" and text.find(before + passage + after) >= 0
    assert not before.startswith(" ") and len(before) <= 9
    assert source_view(text, -5, 999)[1] == text


def _args(**kw):
    base = {"command": "find", "fuzzy": False, "limit": 50, "json": True, "cite": False}
    return argparse.Namespace(**{**base, **kw})


def test_cmd_find_json(store, capsys):
    from ui import cmd_find

    components = SimpleNamespace(catalog=store)
    rc = cmd_find.run(components, _args(phrase="het vertrouwen van burgers", cite=True))
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 1
    hit = out[0]
    for key in ("source", "title", "date", "page", "char_start", "char_end", "text", "context",
                "score"):
        assert key in hit
    original = store.original(hit["source"])
    assert original[hit["char_start"] : hit["char_end"]] == hit["text"]
    assert "\n" in hit["text"] and hit["text"] in hit["context"]
    assert hit["citation"].startswith("“het vertrouwen van burgers” — ")

    rc = cmd_find.run(components, _args(phrase="haarvaten", json=False, cite=True))
    text = capsys.readouterr().out
    assert rc == 0 and "»haarvaten«" in text and "“haarvaten” — " in text

    assert cmd_find.run(components, _args(phrase="  ")) == 1
    assert "fout" in capsys.readouterr().err


def test_cmd_show(store, capsys):
    from ui import cmd_find

    components = SimpleNamespace(catalog=store)
    original = store.original(str(LETTER.resolve()))
    start = original.index("haarvaten")
    args = argparse.Namespace(command="show", source=LETTER.name, start=start, end=start + 9,
                              context=None, json=True)
    assert cmd_find.run(components, args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["text"] == "haarvaten"
    assert out["before"] + out["text"] + out["after"] == original
    args.json = False
    assert cmd_find.run(components, args) == 0
    assert "»haarvaten«" in capsys.readouterr().out
    args.end = len(original) + 10
    assert cmd_find.run(components, args) == 1
    args.source, args.end = "bestaat-niet.txt", start
    assert cmd_find.run(components, args) == 1
    assert "niet gevonden" in capsys.readouterr().err
