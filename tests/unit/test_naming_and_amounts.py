"""Which documents a question names by a law's ordinary title words, and what answers "hoeveel"
about an amount of money or with a verb after it: session 15."""

from __future__ import annotations

from types import SimpleNamespace as Doc

import pytest

from rag.evidence import has_kind, quantity_targets
from rag.named_documents import NamedDocuments, phrase_words

pytestmark = pytest.mark.unit

LAWS = [Doc(source="/w/wet_bescherming_persoonsgegevens_BWBR0011468.md",
            title="Wet bescherming persoonsgegevens"),
        Doc(source="/w/wet_basisregistratie_personen_BWBR0033715.md",
            title="Wet basisregistratie personen"),
        Doc(source="/w/algemene_wet_bestuursrecht_BWBR0005537.md",
            title="Algemene wet bestuursrecht"),
        Doc(source="/w/algemene_wet_gelijke_behandeling_BWBR0006502.md",
            title="Algemene wet gelijke behandeling"),
        Doc(source="/w/wet_op_de_lijkbezorging_BWBR0005009.md", title="Wet op de lijkbezorging"),
        Doc(source="/w/paspoortwet_BWBR0005212.md", title="Paspoortwet"),
        Doc(source="/p/Volt_2021.txt", title="Verkiezingsprogramma Volt 2021"),
        Doc(source="/h/h-tk-20172018-70-12.xml", title="Nederlandse economie na de brexit")]


def test_a_law_s_ordinary_title_word_names_it_only_beside_another_title_word():
    assert phrase_words("Wet bescherming persoonsgegevens",
                        "/w/wet_bescherming_persoonsgegevens_BWBR0011468.md") == {
        "bescherming": frozenset({"wet", "persoonsgegevens"}),
        "persoonsgegevens": frozenset({"wet", "bescherming"})}
    assert phrase_words("Paspoortwet", "/w/paspoortwet.md") == {}  # one word: a name
    assert phrase_words("Verkiezingsprogramma Volt 2021", "/p/Volt_2021.txt") == {}  # a name
    names = NamedDocuments(lambda: LAWS)
    assert names.naming("Mag de inlichtingendienst persoonsgegevens over mij verwerken?"
                        ).sources == []
    assert names.named("Uit hoeveel personen bestaat een stembureau?") == []
    assert names.naming("Wat zegt de Wet bescherming persoonsgegevens over bewaren?").sources == [
        "/w/wet_bescherming_persoonsgegevens_BWBR0011468.md"]
    assert names.naming("Hoe hoog is de boete van het College bescherming persoonsgegevens?"
                        ).sources == ["/w/wet_bescherming_persoonsgegevens_BWBR0011468.md"]
    assert names.naming("Wie regelt volgens de wet op de lijkbezorging de uitvaart?").sources == [
        "/w/wet_op_de_lijkbezorging_BWBR0005009.md"]  # past "op de"
    assert names.named("Wat zegt de paspoortwet over kinderen?") == [
        "/w/paspoortwet_BWBR0005212.md"]
    assert names.named("Wat wil Volt met de hyperloop?") == ["/p/Volt_2021.txt"]


def test_a_document_named_only_by_words_of_a_longer_name_is_not_named():
    names = NamedDocuments(lambda: LAWS)
    assert names.naming("Wat verbiedt de Algemene wet gelijke behandeling?").sources == [
        "/w/algemene_wet_gelijke_behandeling_BWBR0006502.md"]  # not also the Awb
    assert names.naming("Uit hoeveel leden bestaat de Algemene Rekenkamer?").sources == []


def test_an_adjective_of_a_country_names_no_document():
    names = NamedDocuments(lambda: LAWS)
    assert names.named("Kan ik mijn Nederlandse nationaliteit kwijtraken?") == []
    assert names.named("Wat zei de Kamer over de Nederlandse Brexit-plannen?") == [
        "/h/h-tk-20172018-70-12.xml"]  # by its other title word


@pytest.mark.parametrize(("question", "text"), [
    ("Hoeveel vakantiegeld moeten AOW'ers volgens 50PLUS krijgen?",
     "o Een volwaardige vakantie-uitkering voor AOW’ers (8 procent);"),
    ("Hoeveel saneringsgeld is er in 2012 naar Vestia gegaan?",
     "Er is in 2012 675 miljoen euro als saneringssteun naar Vestia gegaan."),
    ("Hoeveel trek je af van de belasting als je 100 euro aan de kerk geeft?",
     "Als je bijvoorbeeld 100 euro geeft, mag je 125 euro aftrekken."),
])
def test_an_amount_answers_how_much_money_and_a_verb_after_hoeveel_counts_nothing(question, text):
    assert has_kind(text, "number", quantity_targets(question))


def test_a_number_of_something_else_does_not_answer_how_much_money_or_how_many():
    assert quantity_targets("Hoeveel trek je af?") == []
    assert quantity_targets("Hoeveel mensen wonen er in Nederland?") == ["mens", "woon"]
    assert not has_kind("Er wonen 17 miljoen mensen in 12 provincies.", "number",
                        quantity_targets("Hoeveel provinciegeld krijgen gemeenten?"))
    assert not has_kind("De regeling telt 3 artikelen.", "number",
                        quantity_targets("Hoeveel subsidie krijgt een boer?"))


def test_a_sentence_that_opens_with_deze_or_die_is_about_what_the_sentence_before_names():
    from rag.extractive import ExtractiveAnswerer, ExtractiveConfig
    from vectorstore.embedders import FakeEmbedder
    from vectorstore.records import Hit

    text = ("De douane werft sinds maart nieuwe douaniers voor de brexit. Deze worden vanaf "
            "juni opgeleid.")
    hit = Hit(chunk_id="h-1", source="/h/h.xml", title="Nederlandse economie na de brexit",
              date=None, pages=(), char_start=0, char_end=len(text), text=text, original=text,
              score=1.0, structure={})
    answerer = ExtractiveAnswerer(FakeEmbedder(256), ExtractiveConfig(
        min_similarity=-1.0, high_similarity=2.0))
    scored = {x.sentence.text: x for x in answerer.score(
        "Vanaf wanneer leidt de douane de nieuwe douaniers op?", [hit])}
    deze = scored["Deze worden vanaf juni opgeleid."]
    assert deze.own < deze.coverage  # "douane", "douaniers" from the sentence before
    assert deze.qualifies


def test_new_synonyms_of_session_15():
    from ingest.synonyms import synonyms
    from ingest.terms import stems

    assert stems("sportvissen")[0] in synonyms(stems("hengelen")[0])
    assert stems("gelegenheid")[0] in synonyms(stems("kans")[0])


def test_a_plural_in_s_of_a_noun_in_en_meets_its_singular():
    from ingest.terms import key_forms, text_forms
    from rag.evidence import term_matches

    key = key_forms("Wat gebeurt er met het vermogen?")[0]
    assert term_matches(key, text_forms("Er komt een heffing op financiële vermogens."))
    assert term_matches(key_forms("Wanneer mag een kitten weg?")[0],
                        text_forms("Kittens blijven twaalf weken bij hun moeder."))
    # "gemeenten" keeps its "ge-": no "meen" that "mening" would meet
    assert not term_matches(key_forms("Wat is de mening van de partij?")[0],
                            text_forms("De gemeenten besluiten."))


def test_a_separable_verb_with_geven_keeps_its_ge():
    from ingest.terms import stem_word, stems

    assert stem_word("doorgeeft") == stem_word("doorgeven") == "doorgeef"
    assert stem_word("aangeeft") == stem_word("aangeven")
    assert stems("uitgeeft") == stems("uitgegeven")
    assert stem_word("geeft") == "geef"


def test_a_particle_before_a_time_ends_the_clause_and_vanwege_is_no_key():
    from ingest.terms import key_forms, text_forms

    forms = text_forms("Het bestuursorgaan handelt de klacht af binnen zes weken.")
    assert "afhandel" in forms
    assert not any("vanweg" in k for key in key_forms("Wat kost het vanwege corona?")
                   for k in key)


def test_a_number_word_meets_its_digits():
    from ingest.terms import key_forms, text_forms
    from rag.evidence import term_matches

    tien = next(k for k in key_forms("Gaat een pakje naar een tientje?") if "tien" in k)
    assert term_matches(tien, text_forms("De prijs gaat naar minimaal € 10 per pakje."))
    assert not term_matches(tien, text_forms("De prijs gaat naar minimaal € 12 per pakje."))


def test_a_compound_with_its_head_left_out_is_read_whole():
    from ingest.terms import key_forms, text_forms
    from rag.evidence import term_matches

    forms = text_forms("Dit geldt voor de inlichtingen- en veiligheidsdiensten.")
    assert term_matches(key_forms("Mag de inlichtingendienst dat?")[0], forms)
    forms = text_forms("De termijn voor een bezwaar- of beroepschrift is zes weken.")
    key = next(k for k in key_forms("Wanneer dien ik een bezwaarschrift in?")
               if any(a.startswith("bezwaarschr") for a in k))
    assert term_matches(key, forms)
    assert not term_matches(key_forms("Mag de inlichtingendienst dat?")[0],
                            text_forms("Dit geldt voor de veiligheidsdiensten."))


def test_every_word_that_names_the_news_item_is_no_key_term():
    from ingest.terms import key_forms
    from rag.extractive import without_kind_words
    from rag.named_documents import NEWS_WORDS

    for word in NEWS_WORDS:
        keys = without_kind_words(key_forms(f"Wat staat er volgens het {word} over de zorg?"))
        assert [k[0] for k in keys] == ["zorg"], word


@pytest.mark.unit
def test_a_tax_or_allowance_is_answered_by_a_percentage_or_an_amount():
    """"hoeveel belasting / uitkering / vergoeding": the counted word's stem ("belast") is a
    money noun, so "het toptarief van 49,5%" and "300 euro" answer, "drie gemeenten" not."""
    for question, text in [
        ("Hoeveel belasting betaal je hooguit over extra inkomen?",
         "De belastingdruk is nergens hoger dan het toptarief van 49,5%."),
        ("Hoeveel vergoeding krijgt een vrijwilliger?", "De vrijwilliger krijgt 300 euro."),
        ("Hoeveel uitkering krijgt een werkloze?", "De uitkering is 70 procent van het loon."),
    ]:
        assert has_kind(text, "number", quantity_targets(question)), question
    assert not has_kind("Het geldt in drie gemeenten.", "number",
                        quantity_targets("Hoeveel belasting betaal je?"))


@pytest.mark.unit
def test_how_many_units_to_pay_for_is_a_count_not_an_amount():
    from rag.evidence import asks_money

    assert not asks_money("Voor hoeveel eenheden moeten wij volgens 50PLUS betalen?")
    assert asks_money("Hoeveel euro moet ik betalen voor een paspoort?")
    assert asks_money("Hoeveel moet ik betalen voor een paspoort?")
    assert asks_money("Wat kost een paspoort?")
    assert has_kind("Zij betalen voor twee eenheden en niet voor drie.", "number",
                    quantity_targets("Voor hoeveel eenheden moeten wij betalen?"))
