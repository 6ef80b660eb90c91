"""A user's own synonyms (`VRAAGBAAK_THESAURUS_FILE`) beside the built-in ones: read, checked,
and used by the extractive answerer."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.synonyms import Thesaurus, ThesaurusError, synonyms
from ingest.terms import key_forms, stem_word
from rag.extractive import ExtractiveAnswerer, ExtractiveConfig
from vectorstore.embedders import FakeEmbedder
from vectorstore.records import Hit

pytestmark = pytest.mark.unit

TEXT = "Het voortgezet algemeen overleg over het omgevingsrecht is verplaatst naar volgende week."


def _hit(text: str) -> Hit:
    return Hit(chunk_id="h-1", source="/h/handelingen.xml", title="Regeling van werkzaamheden",
               date=None, pages=(), char_start=0, char_end=len(text), text=text, original=text,
               score=1.0, structure={})


def _answerer(thesaurus: Thesaurus | None) -> ExtractiveAnswerer:
    return ExtractiveAnswerer(FakeEmbedder(256), ExtractiveConfig(
        min_similarity=-1.0, high_similarity=2.0), thesaurus=thesaurus)


def test_a_users_file_adds_groups_of_words_and_phrases(tmp_path: Path):
    f = tmp_path / "eigen.txt"
    f.write_text("# eigen woorden\nVAO, voortgezet algemeen overleg\nWob Woo  # wetten\n\n",
                 encoding="utf-8")
    mine = Thesaurus.builtin().extended(f)
    assert stem_word("woo") in mine.synonyms(stem_word("wob"))
    assert any("+" in s for s in mine.synonyms(stem_word("vao")))  # the phrase's words
    assert mine.synonyms(stem_word("toezegging")) == synonyms(stem_word("toezegging"))  # kept
    assert Thesaurus.builtin().synonyms(stem_word("wob")) == ()  # the built-in one is unchanged


def test_the_answerer_uses_the_users_synonyms(tmp_path: Path):
    f = tmp_path / "eigen.txt"
    f.write_text("VAO, voortgezet algemeen overleg\n", encoding="utf-8")
    question = "Wat gebeurt er met het VAO?"
    assert _answerer(None).answer(question, [_hit(TEXT)]).refused  # "VAO" is in no sentence
    mine = Thesaurus.builtin().extended(f)
    answer = _answerer(mine).answer(question, [_hit(TEXT)])
    assert not answer.refused
    assert answer.citations[0].quote == TEXT
    assert any(len(k) > 1 for k in key_forms(question, mine) if stem_word("vao") in k)


@pytest.mark.parametrize(("content", "reason"), [
    ("Wob, Woo\nalleen\n", "regel 2"),
    (b"\xff\xfe kapot", "kan niet gelezen worden"),
])
def test_a_bad_file_is_named_with_its_reason(tmp_path: Path, content, reason):
    f = tmp_path / "thesaurus.txt"
    if isinstance(content, bytes):
        f.write_bytes(content)
    else:
        f.write_text(content, encoding="utf-8")
    with pytest.raises(ThesaurusError, match=reason) as e:
        Thesaurus.builtin().extended(f)
    assert str(f) in str(e.value)
    with pytest.raises(ThesaurusError, match="bestaat niet"):
        Thesaurus.builtin().extended(tmp_path / "weg.txt")


def test_the_cli_names_a_broken_thesaurus_at_the_start(tmp_path: Path, monkeypatch, capsys):
    from ui.cli import main

    f = tmp_path / "thesaurus.txt"
    f.write_text("eenzaam\n", encoding="utf-8")
    monkeypatch.setenv("VRAAGBAAK_THESAURUS_FILE", str(f))
    monkeypatch.setenv("VRAAGBAAK_EMBEDDER", "fake")
    assert main(["--data-dir", str(tmp_path / "data"), "list"]) != 0
    err = capsys.readouterr().err
    assert str(f) in err and "regel 1" in err


def test_a_phrase_matches_a_sentence_that_holds_its_content_words(tmp_path: Path):
    from ingest.terms import text_forms
    from rag.evidence import term_matches

    f = tmp_path / "eigen.txt"
    f.write_text("AIVD, Algemene Inlichtingen- en Veiligheidsdienst\n", encoding="utf-8")
    key = key_forms("Waar klaag ik over de AIVD?", Thesaurus.builtin().extended(f))[-1]
    assert term_matches(key, text_forms(
        "De Algemene Inlichtingen- en Veiligheidsdienst verwerkt gegevens."))  # "en" aside
    assert not term_matches(key, text_forms("De Veiligheidsdienst verwerkt gegevens."))
