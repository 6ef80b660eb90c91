"""Answer kinds for a day of the week and a time of day, a law's name that names no province or
company, and a later list item answered from the list's first item (session 21)."""

from __future__ import annotations

import pytest

from rag.evidence import expected_kind, first_item, has_kind, later_item, names_new
from rag.extractive import ExtractiveAnswerer, ExtractiveConfig
from vectorstore.embedders import FakeEmbedder
from vectorstore.records import Hit

pytestmark = pytest.mark.unit


def _hit(text: str, source: str = "/p/ChristenUnie_2021.txt") -> Hit:
    return Hit(chunk_id=f"{source}-0", source=source, title="Verkiezingsprogramma", date=None,
               pages=(), char_start=0, char_end=len(text), text=text, original=text, score=1.0)


def _answerer() -> ExtractiveAnswerer:
    # the fake embedder's cosine is on another scale than e5's: the floors are off
    return ExtractiveAnswerer(FakeEmbedder(256), ExtractiveConfig(
        min_similarity=-1.0, pair_min_similarity=-1.0))


@pytest.mark.parametrize("question, kind", [
    ("Op welke dag van de week vergaderen Provinciale Staten?", "weekday"),
    ("Welke dagen in de week is het museum gratis?", "weekday"),
    ("Hoe laat gaan de stembureaus open?", "time"),
    ("Om welke tijd sloot de vergadering?", "time"),
    ("Op welke dagen is het loket open?", "date"),
    ("Op welke dag verscheen de brief?", "date"),
    ("Over hoeveel parkeertijd rekent de gemeente de naheffing?", "duration"),
    ("Hoeveel bedenktijd krijg ik?", "duration"),
    ("Hoeveel parkeerplaatsen komen er?", "number"),
])
def test_a_day_of_the_week_and_a_time_of_day_are_kinds_of_answer(question, kind):
    assert expected_kind(question) == kind


def test_only_a_days_name_answers_which_day_of_the_week():
    assert has_kind("Provinciale staten vergaderen elke dinsdag.", "weekday")
    assert has_kind("De musea zijn in het weekend gratis.", "weekday")
    # "op de dag waarop ...", a year, a month: no day of the week
    assert not has_kind("Provinciale staten vergaderen voor de eerste maal op de dag waarop de "
                        "zittingsperiode begint.", "weekday")
    assert not has_kind("De regionale musea worden één dag per week gratis.", "weekday")
    assert not has_kind("Het programma van 17 maart 2021.", "weekday")


def test_only_a_clock_time_answers_what_time():
    assert has_kind("Sluiting 22.06 uur.", "time")
    assert has_kind("De stemming vangt aan om zeven uur dertig.", "time")
    assert has_kind("Aanvang 10:15 uur", "time")
    assert not has_kind("De vergadering duurde drie uren.", "time")
    assert not has_kind("Binnen een uur beslist de burgemeester.", "time")
    assert not has_kind("Op 5 april 2018 vergaderde de Kamer.", "time")


def test_a_laws_name_names_no_province_or_company():
    sentence = ("Bij naheffing worden opcenten berekend volgens het hoogste aantal dat in enige "
                "provincie van toepassing was, bedoeld in de Wet op de motorrijtuigenbelasting "
                "1994 en de Invorderingswet 1990.")
    assert not names_new(sentence, ["welke", "provincie", "heft", "hoogste"])
    assert names_new("Die provincie is Zeeland.", ["welke", "provincie"])
    assert names_new("Het bedrijf Siemens wil de vestiging verkopen.", ["welk", "bedrijf"])


def test_later_and_first_items_are_recognised():
    assert later_item("De tweede stap is het verhogen van het minimumloon.")
    assert later_item("Ten derde moet de overheid sterker worden.")
    assert later_item("Als tweede voeren we een vermogensbelasting in.")
    assert not later_item("Een tweede huis wordt zwaarder belast.")
    assert first_item("Als eerste voeren we een wettelijk minimumuurloon in.")
    assert first_item("Ten eerste bestaanszekerheid voor iedereen.")
    assert not first_item("Dit is de eerste stap.")


TEXT = ("De lonen moeten omhoog. "
        "Als eerste voeren we een wettelijk minimumuurloon in, bij een 36-urige werkweek. "
        "Dat betekent voor werknemers met een 40-urige werkweek al een verhoging met ruim 11%. "
        "De tweede stap is het verhogen van het minimumloon voor iedereen met 10% extra. "
        "Dat betekent dat de ChristenUnie voorstelt het minimumloon te verhogen tot ruim 21%. "
        "Zo wordt werken lonender.")


def _quotes(question: str, text: str = TEXT) -> list[str]:
    a = _answerer().answer(question, [_hit(text)])
    for c in a.citations:
        assert text[c.char_start:c.char_end] == c.quote
    return [c.quote for c in a.citations]


def test_a_later_list_item_is_answered_from_the_lists_first_item():
    quotes = _quotes("Hoe verhoogt de ChristenUnie het minimumloon in de tweede stap?")
    assert any(q.startswith("De tweede stap") for q in quotes)
    assert quotes[0].startswith("Als eerste voeren we")  # the list from its first item, in order
    assert quotes[1].startswith("Dat betekent voor werknemers")
    assert not any(q.startswith("De lonen moeten") for q in quotes)


def test_without_a_first_item_in_reach_no_sentence_before_is_added():
    text = TEXT.replace("Als eerste voeren", "Wij voeren")
    quotes = _quotes("Hoe verhoogt de ChristenUnie het minimumloon in de tweede stap?", text)
    assert quotes[0].startswith("De tweede stap")
    assert not any(q.startswith("Wij voeren") for q in quotes)


LAW = ("Deze wet kan worden aangehaald als „Wet op de identificatieplicht”. "
       "Een ieder die de leeftijd van veertien jaar heeft bereikt, is verplicht op de eerste "
       "vordering een identiteitsbewijs ter inzage aan te bieden.")


def test_a_laws_short_title_sentence_answers_only_what_the_law_is_called():
    def quotes(question: str) -> list[str]:
        h = _hit(LAW, "/p/wet_op_de_identificatieplicht_BWBR0006297.md")
        return [c.quote for c in _answerer().answer(question, [h]).citations]

    about = quotes("Waar gaat de Wet op de identificatieplicht over?")
    assert about and not any("aangehaald" in q for q in about)
    assert any("aangehaald" in q for q in quotes("Met welke titel kan de wet over de "
                                                 "identificatieplicht worden aangehaald?"))


def test_the_texts_own_next_sentence_brings_a_missing_term_whatever_its_similarity():
    """"Waarom werd de aanwijzing aan Careyn verlengd?": the best sentence names the
    aanwijzing, the next one why it was extended, in words of its own."""
    text = ("In 2016 kreeg Careyn een aanwijzing van de inspectie. "
            "Helaas moest men een jaar later constateren dat de opdracht in die brief te "
            "complex en te omvangrijk was, zodat de termijn met nog een jaar werd verlengd. "
            "De zorg in de regio Utrecht is intussen verbeterd.")
    h = _hit(text, "/p/h-tk-20172018-70-5.xml")
    a = _answerer().answer("Waarom werd de aanwijzing aan Careyn verlengd?", [h])
    quotes = [c.quote for c in a.citations]
    assert quotes[0].startswith("In 2016 kreeg Careyn")
    assert any("werd verlengd" in q for q in quotes)
    assert not any("Utrecht" in q for q in quotes)


def test_a_modals_forms_are_words_of_asking_not_key_terms():
    from ingest.terms import key_forms

    names = [k[0] for k in key_forms("Vanaf wanneer kun je volgens de ChristenUnie niet meer "
                                     "roken op het terras? Wilt u dat ook, bent u het eens?")]
    assert "kun" not in names and "wilt" not in names and "bent" not in names
    assert "rook" in names and "terras" in names


def test_the_rest_of_a_name_the_question_asks_is_no_new_name():
    asked = ["hoe", "heet", "het", "accountantskantoor", "humanitas"]
    assert not names_new("Er loopt een arbitragezaak tussen Humanitas Huisvesting en Humanitas "
                         "Zorg over de schade.", asked)
    assert names_new("Het kantoor heet Deloitte Accountants.", asked)
    assert names_new("De zaak tussen Humanitas en Woonbron loopt nog.", asked)  # not adjacent
    assert not names_new("Siemens Hengelo zoekt een koper.", ["welk", "bedrijf", "siemens"])
