"""What answers "hoeveel X" when the number stands apart from its noun, and the words of
session 16 (food, past modals)."""

from __future__ import annotations

import pytest

from ingest.terms import key_forms, stems
from rag.evidence import has_kind, key_name, quantity_targets

pytestmark = pytest.mark.unit


def test_the_number_of_something_answers_how_many_of_it_when_the_number_comes_later():
    targets = quantity_targets("Hoeveel vluchten wil het CDA nog toestaan op Schiphol?")
    assert has_kind("Het is wenselijk het aantal vluchten op Schiphol voorlopig te beperken met "
                    "een maximum van 500.000.", "number", targets)
    assert has_kind("Het aantal vluchten bedraagt 500.000.", "number", targets)


def test_the_number_of_something_else_or_no_number_does_not_answer_how_many():
    targets = quantity_targets("Hoeveel vluchten wil het CDA nog toestaan op Schiphol?")
    assert not has_kind("Het aantal passagiers op Schiphol groeit tot 2030 met 3 procent.",
                        "number", targets)
    assert not has_kind("Het aantal vluchten op Schiphol moet omlaag.", "number", targets)
    assert not has_kind("In 2019 groeide het aantal vluchten.", "number", targets)  # before
    assert not has_kind("Het aantal vluchten op Schiphol groeit tot 2030.", "number", targets)


def test_food_words_meet_each_other():
    from ingest.synonyms import synonyms

    assert stems("voeding")[0] in synonyms(stems("eten")[0])
    assert stems("eten")[0] in synonyms(stems("voedsel")[0])


def test_a_past_modal_verb_is_no_key_term():
    names = [key_name(k) for k in key_forms("Hoeveel geld moest Carlyle in het fonds stoppen?")]
    assert "moest" not in names
    assert "carlyl" in names and "geld" in names


@pytest.mark.parametrize("text", [
    "Een ieder die de leeftijd van veertien jaar heeft bereikt, is verplicht zich te tonen.",
    "Het gaat om mensen ouder dan 75 jaar.",
    "Kinderen van 12 jaar of ouder betalen de volle prijs.",
    "Alle 18-jarigen krijgen een brief van de gemeente.",
])
def test_an_age_does_not_answer_how_long(text):
    assert not has_kind(text, "duration")


def test_a_duration_beside_an_age_still_answers_how_long():
    assert has_kind("Het paspoort is tien jaar geldig.", "duration")
    assert has_kind("Voor mensen van 75 jaar en ouder duurt het drie maanden.", "duration")


def test_how_deep_or_far_is_answered_by_a_length_not_by_any_number():
    deep = quantity_targets("Hoe diep moet een kist onder de grond liggen?")
    assert has_kind("De kist ligt ten minste 0,65 meter onder de grond.", "number", deep)
    assert not has_kind("De begrafenis vindt plaats binnen 36 uren na het overlijden.",
                        "number", deep)
    far = quantity_targets("Hoe ver van Den Haag moet het nieuwe ministerie komen?")
    assert has_kind("Een departement op minimaal 100 km afstand van Den Haag.", "number", far)
    assert has_kind("Binnen 20 minuten ben je er met de trein.", "number", far)
    assert not has_kind("Er komen 3 nieuwe ministeries.", "number", far)


def test_which_channel_or_broadcaster_asks_for_a_name():
    from rag.evidence import expected_kind

    q = "Op welke zender was de ZEMBLA-uitzending over de sociale werkvoorziening te zien?"
    assert expected_kind(q) == "name"
    assert expected_kind("Welke omroep maakte de documentaire?") == "name"
    assert not has_kind("Gisteren was in de uitzending van ZEMBLA te zien wat er misging.",
                        "name", ["zembla", "uitzending"])
    assert has_kind("De uitzending van ZEMBLA was op NPO 2.", "name", ["zembla", "uitzending"])
