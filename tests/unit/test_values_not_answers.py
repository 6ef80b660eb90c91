"""Values that do not answer the kind of answer a question asks for: a value the question states
itself, an age range read as a date, a law's date read as a number (session 20)."""

from __future__ import annotations

import pytest

from rag.evidence import expected_kind, given_values, has_kind
from rag.extractive import ExtractiveAnswerer, ExtractiveConfig
from vectorstore.embedders import FakeEmbedder
from vectorstore.records import Hit

pytestmark = pytest.mark.unit

TREES = "Hoeveel geld gaat het planten van de 10 miljoen nieuwe bomen van D66 kosten?"


def _hit(text: str) -> Hit:
    return Hit(chunk_id="d-0", source="/p/D66_2021.txt", title="Verkiezingsprogramma D66",
               date=None, pages=(), char_start=0, char_end=len(text), text=text, original=text,
               score=1.0)


def test_the_values_a_question_states_are_found_whole():
    pattern = given_values(TREES)
    assert pattern is not None and pattern.fullmatch("10 miljoen")
    assert pattern.fullmatch("10  miljoen")  # a line break of a PDF
    assert not pattern.search("110 miljoen") and not pattern.search("10,5 miljoen")
    assert given_values("Hoeveel procent van de stemmen kreeg de VVD?") is None  # a unit alone
    assert given_values("Wat wil D66 met de bibliotheek?") is None
    assert given_values("Hoeveel kost een paspoort van tien jaar?").search("tien jaar")


@pytest.mark.parametrize("text", [
    "We planten de komende jaren 10 miljoen nieuwe bomen in Nederland.",
    "Met 10 miljoen bomen erbij wordt Nederland groener.",
])
def test_the_questions_own_amount_is_no_answer_to_how_much(text):
    given = given_values(TREES)
    assert has_kind(text, "money", ["geld"])  # without the question's values: an amount
    assert not has_kind(text, "money", ["geld"], None, given)


def test_another_amount_beside_the_questions_own_still_answers():
    text = "De 10 miljoen nieuwe bomen kosten samen 300 miljoen euro."
    assert has_kind(text, "money", ["geld"], None, given_values(TREES))
    year = given_values("In welk jaar na 2020 stopt de verkoop van benzineauto's?")
    assert not has_kind("Vanaf 2020 rijden er meer elektrische auto's.", "date", None, None, year)
    assert has_kind("Vanaf 2030 worden geen nieuwe benzineauto's verkocht.", "date", None, None,
                    year)


def test_an_age_range_is_no_date():
    assert expected_kind("Vanaf welk jaar wil de SGP kinderen gratis laten reizen?") == "date"
    assert not has_kind("De SGP wil gratis ov voor kinderen van 0-11 jaar.", "date")
    assert has_kind("De uitslag wordt op 12-3 bekendgemaakt.", "date")


def test_a_date_is_no_answer_to_how_high():
    assert expected_kind("Hoe hoog is de boete voor een winkel die discrimineert?") == "number"
    assert not has_kind("Wet van 2 maart 1994, houdende algemene regels ter bescherming tegen "
                        "discriminatie.", "number", [])
    assert not has_kind("Dit besluit treedt in werking op 1 januari 2021.", "number", [])
    assert has_kind("De boete bedraagt ten hoogste 2 maanden loon.", "number", [])


def test_the_answerer_refuses_when_only_the_questions_own_amount_is_there():
    answerer = ExtractiveAnswerer(FakeEmbedder(256), ExtractiveConfig(
        min_similarity=-1.0, pair_min_similarity=-1.0))
    trees = _hit("We planten de komende jaren 10 miljoen nieuwe bomen in Nederland.")
    assert answerer.answer(TREES, [trees]).refused
    priced = _hit("Het planten van 10 miljoen nieuwe bomen kost 300 miljoen euro.")
    assert not answerer.answer(TREES, [priced]).refused


def test_how_something_is_called_asks_for_a_name():
    question = "Hoe heet de nieuwe voorzitter van de raad van bestuur van Careyn?"
    assert expected_kind(question) == "name"
    assert expected_kind("Hoe heten de twee nieuwe ministers?") == "name"
    words = question.lower().rstrip("?").split()
    assert not has_kind("Er kwam een nieuwe raad van bestuur en een nieuwe voorzitter van de "
                        "raad van bestuur.", "name", words)
    assert has_kind("De nieuwe voorzitter is mevrouw Jansen.", "name", words)


def test_how_much_tax_is_answered_by_a_rate_but_how_much_money_is_not():
    from rag.evidence import asks_money, quantity_targets

    tax = "Hoeveel winstbelasting moeten multinationals in Europa volgens Volt minstens betalen?"
    assert asks_money(tax)
    rate = "Volt wil dat multinationals in Europa tenminste 15% winstbelasting gaan betalen."
    assert has_kind(rate, "money", quantity_targets(tax))
    money = "Hoeveel geld kost de verhoging van de dividendbelasting?"
    assert not has_kind("De dividendbelasting gaat naar 30 procent.", "money",
                        quantity_targets(money))
    assert has_kind("Dat kost 2 miljard euro.", "money", quantity_targets(money))


def test_a_verb_and_a_name_after_hoeveel_count_nothing_of_their_own():
    from rag.evidence import quantity_targets

    assert quantity_targets("Hoeveel exporteert Nederland jaarlijks naar het VK?") == []
    assert quantity_targets("Hoeveel verdient Rutte als premier?") == []
    assert quantity_targets("Hoeveel Nederlanders stemmen niet?") == ["nederlander", "stem"]
    assert quantity_targets("Hoeveel woningen bouwt de VVD?") == ["woon", "bouwt"]


def test_the_sentence_after_a_term_introduced_as_zogenaamd_says_what_it_is():
    from rag.evidence import explains

    term = "Het WSW kijkt in het toezicht naar de zogenaamde concentratiehuurders."
    assert explains(term, "Dat zijn huurders die verantwoordelijk zijn voor 1% van de inkomsten.")
    assert not explains(term, "Het WSW heeft daarvoor geen regels.")
    assert not explains("Het WSW kijkt naar huurders.", "Dat zijn er veel.")
    answerer = ExtractiveAnswerer(FakeEmbedder(256), ExtractiveConfig(
        min_similarity=-1.0, pair_min_similarity=-1.0))
    text = (f"{term} Dat zijn huurders die verantwoordelijk zijn voor ten minste 1% van de "
            "jaarinkomsten. De minister komt erop terug.")
    hit = Hit(chunk_id="h-0", source="/h/debat.xml", title="Debat", date=None, pages=(),
              char_start=0, char_end=len(text), text=text, original=text, score=1.0)
    a = answerer.answer("Wat zijn concentratiehuurders volgens het WSW?", [hit])
    assert [c.quote[:7] for c in a.citations] == ["Het WSW", "Dat zij"]
