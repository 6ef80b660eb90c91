"""Answers that lean on a passage's place (its heading, its speaker) and on times counted from
an event ("op de vijfde dag na ...", "36 uren na het overlijden"): session 14."""

from __future__ import annotations

import pytest

from rag.evidence import expected_kind, has_kind, quantity_targets
from rag.extractive import ExtractiveAnswerer, ExtractiveConfig
from vectorstore.embedders import FakeEmbedder
from vectorstore.records import Hit

pytestmark = pytest.mark.unit


def _passage(text: str, title: str, source: str = "/d/doc.txt",
             structure: dict[str, str] | None = None) -> Hit:
    return Hit(chunk_id=f"{source}-1", source=source, title=title, date=None, pages=(),
               char_start=0, char_end=len(text), text=text, original=text, score=1.0,
               structure=structure or {})


def _answerer(**cfg) -> ExtractiveAnswerer:
    """The fake embedder's cosine is on another scale: the floors are off, the second tier too."""
    return ExtractiveAnswerer(FakeEmbedder(256), ExtractiveConfig(
        min_similarity=-1.0, high_similarity=2.0, **cfg))


@pytest.mark.parametrize("text", [
    "Begraving geschiedt niet eerder dan 36 uren na het overlijden.",
    "Hij meldt zich uiterlijk op de vijfde dag na de aanvang van zijn verblijf.",
    "De begrafenis is uiterlijk op de zesde werkdag na het overlijden.",
    "Het bezwaar wordt binnen zes weken ingediend.",
])
def test_a_time_counted_from_an_event_answers_when(text):
    assert expected_kind("Wanneer mag de begrafenis op zijn vroegst?") == "when"
    assert has_kind(text, "when")


@pytest.mark.parametrize("text", [
    "De Tweede Kamer telt honderdvijftig leden.",
    "De raad vergadert in het openbaar.",
    "Bouwen aan een sterke sociale basis, de komende jaren, samen met een nieuw kabinet.",
])
def test_a_number_or_an_ordinal_without_time_is_no_when(text):
    assert not has_kind(text, "when")


def test_an_ordinal_day_answers_how_many_days_but_not_how_many_members():
    days = quantity_targets("Binnen hoeveel dagen moet ik me bij de gemeente melden?")
    assert has_kind("Hij meldt zich uiterlijk op de vijfde dag na aankomst.", "number", days)
    assert not has_kind("Hij meldt zich bij de gemeente.", "number", days)
    members = quantity_targets("Hoeveel Kamerleden stemden voor?")
    assert not has_kind("De Tweede Kamer stemde voor op de tweede dag.", "number", members)
    assert has_kind("Op de derde dag na de dood.", "duration")


def _article(structure: dict[str, str]) -> Hit:
    return _passage("De dwangsom bedraagt € 20 per dag.", "Algemene wet bestuursrecht",
                    "/d/awb.md", structure)


def test_a_passages_heading_counts_for_the_question_like_its_title():
    answerer = _answerer()
    question = "Welk bedrag is de dwangsom als er niet tijdig op een aanvraag is beslist?"
    bare = answerer.answer(question, [_article({"artikel": "4:17"})])
    assert bare.refused
    headed = answerer.answer(question, [_article(
        {"artikel": "4:17", "kop": "Dwangsom bij niet tijdig beslissen op een aanvraag"})])
    assert not headed.refused
    assert headed.citations[0].quote == "De dwangsom bedraagt € 20 per dag."


def test_a_speaker_counts_for_a_question_that_names_him():
    text = "Inmiddels weten we dat de brexit de Britten slechts één resultaat heeft opgeleverd."
    question = "Wat heeft de brexit volgens Paternotte van D66 opgeleverd?"

    def hit(structure):
        return _passage(text, "Handelingen II 2017/18, nr. 70", "/d/h.xml", structure)

    assert _answerer().answer(question, [hit({})]).refused
    spoken = _answerer().answer(question, [hit({"spreker": "De heer Paternotte (D66)"})])
    assert [c.quote for c in spoken.citations] == [text]


def test_a_sentence_that_opens_with_a_pronoun_is_about_whom_the_sentence_before_names():
    text = ("Sociaal werkers staan midden in de wijk. Ze verminderen bestaansstress en "
            "eenzaamheid.")
    hit = _passage(text, "Brief aan de heer Rutte")
    scored = {x.sentence.text: x for x in _answerer().score(
        "Welke stress verminderen sociaal werkers in de wijk?", [hit])}
    pronoun = scored["Ze verminderen bestaansstress en eenzaamheid."]
    assert pronoun.own < 0.5 <= pronoun.coverage  # "sociaal werkers" from the sentence before
    assert pronoun.qualifies


def test_a_pronoun_after_a_members_number_looks_past_the_number():
    text = ("1. De voorzitter zorgt voor de orde in de vergadering. 2. Hij is bevoegd "
            "toehoorders voor ten hoogste drie maanden de toegang te ontzeggen.")
    hit = _passage(text, "Provinciewet")
    scored = {x.sentence.text: x for x in _answerer().score(
        "Hoe lang mag de voorzitter iemand weren die de orde in de vergadering verstoort?",
        [hit])}
    pronoun = next(x for t, x in scored.items() if t.startswith("Hij"))
    assert pronoun.coverage > pronoun.own  # "voorzitter", "orde", "vergadering" from sentence 1


def test_a_date_question_wants_a_day_of_the_calendar_not_a_span_from_now():
    assert expected_kind("Op welke datum zijn de verkiezingen?") == "date"
    assert not has_kind("Over ruim drie weken zijn de verkiezingen.", "date")
    assert has_kind("Op 17 maart 2021 zijn de verkiezingen.", "date")
    assert has_kind("De verkiezingen zijn op woensdag.", "date")
    # "wanneer" takes the span as well
    assert has_kind("Over ruim drie weken zijn de verkiezingen.", "when")


def test_a_pair_of_sentences_needs_its_own_similarity_floor():
    text = "De commissie van toezicht wordt door de minister ingesteld. Er zijn drie leden."
    hit = _passage(text, "Wet")
    question = "Hoeveel leden telt de commissie van toezicht?"

    def answered(pair_floor: float) -> bool:
        return not _answerer(pair_min_similarity=pair_floor).answer(question, [hit]).refused

    assert answered(-1.0)  # the first sentence names the commissie, the next the number
    assert not answered(2.0)
    assert ExtractiveConfig().pair_min_similarity > ExtractiveConfig().min_similarity
