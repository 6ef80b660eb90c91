"""Rules for citizens' questions found on fresh batches (session 13): letters, plurals, measures."""

from __future__ import annotations

from types import SimpleNamespace as Doc

import pytest

from ingest.terms import key_forms, stem_word, text_forms
from rag.answer_extend import document_forms
from rag.evidence import expected_kind, has_kind, term_matches
from rag.named_documents import NamedDocuments
from vectorstore.records import Hit

pytestmark = pytest.mark.unit

LETTER = "/s/003_brief.txt"
NEWS = "/s/000_nieuws.txt"


def _hit(source: str, title: str) -> Hit:
    return Hit(chunk_id=f"{source}-0", source=source, title=title, date=None, pages=(),
               char_start=0, char_end=10, text="x", original="x", score=1.0)


def test_a_letter_that_is_mentioned_is_not_the_source_asked_for():
    docs = [Doc(source=LETTER, title="Brief van het sociaal werk aan de heer Rutte"),
            Doc(source=NEWS, title="Rutte schrijft een brief aan de partijen en de VVD adverteert")]
    names = NamedDocuments(lambda: docs)
    assert names.naming("Wat staat er volgens de brief over eenzaamheid?").sources == [LETTER]
    assert names.naming("Wat vraagt de brief aan Rutte?").sources == [LETTER]
    # "naast de brief", "over de brief": a letter the question mentions, not where to look
    assert names.naming("Wat doet de VVD naast de brief nog?").sources == []
    assert names.naming("Wat zei de minister over de brief?").sources == []


def _keys(question: str) -> set[str]:
    return {k if isinstance(k, str) else k[0] for k in key_forms(question)}


def test_fillers_of_a_list_question_are_no_key_terms():
    keys = _keys("Welke dingen pakken sociaal werkers elke dag aan?")
    assert "ding" not in keys  # ("elke" stays: without it Kamervragen answered 1 more wrongly)
    assert "dag" in keys


@pytest.mark.parametrize("word,text", [("dag", "Ze pakken dagelijkse problemen aan."),
                                       ("jaar", "De huur stijgt jaarlijks."),
                                       ("week", "Het team overlegt wekelijks.")])
def test_every_day_matches_daily(word, text):
    key = next(k for k in key_forms(f"Wat gebeurt er elke {word}?") if word in k)
    assert term_matches(key, text_forms(text))
    assert not term_matches(key, text_forms("Ze pakken problemen aan."))


def test_in_his_own_words_asks_for_a_quotation():
    assert expected_kind("Wat voor overheid wil Rutte, in zijn eigen woorden?") == "quote"
    assert expected_kind("Wat zei de minister letterlijk?") == "quote"
    assert expected_kind("Wat voor overheid wil Rutte?") is None
    assert _keys("Wat voor overheid wil Rutte, in zijn eigen woorden?") == {"over", "rut"}
    assert "eig" in _keys("Heeft de gemeente een eigen zwembad?")


def test_a_letters_addressee_does_not_name_it_for_the_addressees_own_view():
    letter = _hit(LETTER, "Brief van het sociaal werk aan de heer Rutte")
    rutte = text_forms("Rutte")
    assert rutte <= document_forms(letter)
    assert rutte <= document_forms(letter, "Wat vraagt het sociaal werk aan Rutte?")
    assert rutte <= document_forms(letter, "Wat moet Rutte tijdens het werkbezoek ervaren?")
    assert not rutte & document_forms(letter, "Wat voor overheid wil Rutte?")
    assert not rutte & document_forms(letter, "Vindt Rutte dat de partijen het eens zijn?")
    assert not rutte & document_forms(letter, "Wat Rutte wil, is een sterke overheid?")
    assert text_forms("sociaal werk") <= document_forms(letter, "Wat wil Rutte?")
    news = _hit(NEWS, "VVD-leider Rutte doet een oproep")  # no letter: no addressee
    assert rutte <= document_forms(news, "Wat wil Rutte?")


@pytest.mark.parametrize("singular,plural", [("snelweg", "snelwegen"), ("dag", "dagen"),
                                             ("fietspad", "fietspaden"), ("verbod", "verboden"),
                                             ("bedrag", "bedragen"), ("stad", "steden"),
                                             ("lid", "leden")])
def test_a_plural_that_lengthens_its_vowel_meets_its_singular(singular, plural):
    assert stem_word(singular) == stem_word(plural)
    key = key_forms(f"Wat wil de partij met de {singular}?")[-1]
    assert term_matches(key, text_forms(f"De partij wil meer {plural}."))


@pytest.mark.parametrize("verb,finite", [("bewegen", "beweegt"), ("overwegen", "overweegt"),
                                         ("besteden", "besteedt"), ("spelen", "speelt"),
                                         ("dalen", "daalt")])
def test_verbs_ending_like_such_a_plural_keep_meeting_their_finite_forms(verb, finite):
    key = key_forms(f"Wanneer {finite} het?")[0]
    assert term_matches(key, text_forms(f"Ze gaan {verb}."))


def test_how_fast_and_from_which_age_ask_for_a_number():
    for q in ("Hoe hard mag je rijden op de snelweg?", "Vanaf welke leeftijd mag je gokken?",
              "Hoe ver mag de afstand zijn?"):
        assert expected_kind(q) == "number"
    assert has_kind("Maximumsnelheid op snelwegen verhogen naar 140 km/h", "number")
    assert not has_kind("Ze willen dat we in elektrische auto's gaan rijden.", "number")
    # "hoeveel Kamerleden": counted by the compound's head, now the three letters of "lid"
    assert has_kind("De Tweede Kamer bestaat uit honderdvijftig leden.", "number",
                    [stem_word("kamerleden")])


@pytest.mark.parametrize("question,filler", [
    ("Mag je van de SP weer een leegstaand gebouw kraken?", "weer"),
    ("Hoe lang mag een dier hooguit onderweg zijn tijdens transport?", "tijdens"),
    ("Krijg ik via de gemeente echt een uitkering?", "via"),
    ("Wat gebeurt er daarna met mijn aanvraag?", "daarna"),
    ("Vanaf welk jaarinkomen wil Volt mensen zwaarder belasten?", "vanaf"),
    ("Wat wil de VVD met zo'n werkgever?", "zo'n"),
    ("Moet de overheid ook informatie geven als niemand erom vraagt?", "erom"),
    ("Om welke burgers gaat het vooral?", "vooral"),
    ("Waarom hoeft een bedrijf geen premie te betalen?", "hoeft")])
def test_a_citizens_adverbs_and_prepositions_are_no_key_terms(question, filler):
    assert not any(filler in k or stem_word(filler) in k for k in key_forms(question))


@pytest.mark.parametrize("question,frame,kept", [
    ("Moet ik als het aan BIJ1 ligt nog betalen voor de bus?", "ligt", "bus"),
    ("Mag de verhuurder me als het aan de SP ligt uit huis zetten?", "ligt", "verhuur"),
    ("Kan dat nog als GroenLinks het voor het zeggen krijgt?", "krijgt", "groenlink"),
    ("Stel dat partijen ruziën over geld. Hoe denkt Rutte dat afloopt?", "stel", "ruziën")])
def test_a_citizens_frame_is_no_key_term(question, frame, kept):
    """Fresh batch of session 19: "als het aan X ligt" (if X had its way), "het voor het
    zeggen krijgt", "Stel dat ..." say how the citizen asks, not what the answer holds."""
    names = [k[0] for k in key_forms(question)]
    assert stem_word(frame) not in names and frame not in names
    assert kept in names


def test_a_verb_that_is_no_frame_stays_a_key_term():
    assert "ligt" in [k[0] for k in key_forms("Waar ligt het zwembad volgens de gemeente?")]
    assert "krijgt" in [k[0] for k in key_forms("Welke uitkering krijgt een weduwe?")]


def _letter_hits():
    text = ("Geachte heer Rutte,\n\n‘Omzien naar elkaar’, de menselijke maat en het vertrouwen "
            "herstellen. Sociaal werkers pakken dagelijkse problemen aan in de wijk.")
    first = Hit(chunk_id="l-0", source=LETTER, title="Brief aan de heer Rutte", date=None,
                pages=(), char_start=0, char_end=len(text), text=text, original=text, score=1.0)
    later_text = "Wij nodigen u uit voor een werkbezoek in de wijk om het sociaal werk te zien."
    later = Hit(chunk_id="l-1", source=LETTER, title="Brief aan de heer Rutte", date=None,
                pages=(), char_start=len(text) + 1, char_end=len(text) + 1 + len(later_text),
                text=later_text, original=later_text, score=1.0)
    return first, later, text + "\n" + later_text


def test_whom_a_letter_is_addressed_to_is_its_salutation():
    from rag.answer_extend import asks_addressee, asks_start
    from rag.chain import QAChain, check_against
    from rag.extractive import ExtractiveAnswerer, ExtractiveConfig
    from vectorstore.embedders import FakeEmbedder

    assert asks_addressee("Aan wie is de brief van het sociaal werk gericht?")
    assert asks_addressee("Aan wie hebben de sociaal werkers hun brief geschreven?")
    assert asks_addressee("Wie is de geadresseerde van de brief?")
    assert not asks_addressee("Aan wie geeft de gemeente een uitkering?")
    assert asks_start("Waarmee begint de brief?") and not asks_start("Wat vraagt de brief?")
    first, later, original = _letter_hits()

    class OnlyLater:  # the search finds the letter, but not its first chunk
        def retrieve(self, query, k=5, filters=None):
            return [later]

    answerer = ExtractiveAnswerer(FakeEmbedder(256), ExtractiveConfig(min_similarity=-1.0))
    for question in ("Aan wie is de brief van het sociaal werk gericht?",
                     "Aan wie is de brief gericht?"):
        chain = QAChain(OnlyLater(), answerer, check_against(lambda s: original),
                        first_chunk=lambda s: first if s == LETTER else None)
        a = chain.ask(question)
        assert [c.quote for c in a.citations] == ["Geachte heer Rutte,"]
        assert a.citations[0].verified
    # without the first chunk there is no salutation to quote: no other sentence stands in
    a = QAChain(OnlyLater(), answerer, check_against(lambda s: original)).ask(
        "Aan wie is de brief gericht?")
    assert not any(c.quote.startswith("Geachte") for c in a.citations)


@pytest.mark.parametrize("form,verb", [("gekozen", "kiezen"), ("koos", "kiezen"),
                                       ("verkozen", "verkiezen"), ("aangenomen", "aannemen"),
                                       ("opnam", "opnemen"), ("gestolen", "stelen"),
                                       ("onderzocht", "onderzoeken"), ("verloren", "verliezen"),
                                       ("binnengekomen", "binnenkomen")])
def test_a_strong_verbs_past_and_participle_meet_its_infinitive(form, verb):
    from ingest.verb_forms import infinitive

    assert infinitive(form) == verb
    assert stem_word(form) == stem_word(verb)


@pytest.mark.parametrize("word", ["namen", "reden", "weken", "gevallen", "gegevens", "vietnam",
                                  "kiezen", "vlag"])
def test_words_that_only_look_like_a_strong_verbs_form_are_left_alone(word):
    from ingest.verb_forms import infinitive

    assert infinitive(word) == word


def test_the_inflected_social_meets_its_base():
    key = key_forms("Wat willen de sociale werkers?")[1]
    assert term_matches(key, text_forms("Het sociaal werk vormt de basis."))
    key = key_forms("Wat doet het sociaal werk?")[1]
    assert term_matches(key, text_forms("een sterke sociale basis"))


def test_agreeing_is_a_key_term_said_with_other_words():
    key = next(k for k in key_forms("Zijn alle partijen het volgens Rutte overal over eens?")
               if stem_word("hetzelfde") in k)
    assert term_matches(key, text_forms("Hij erkent dat veel partijen niet over alles "
                                        "hetzelfde denken."))
    # the minister's view asked in Kamervragen style: no such key
    assert not any(stem_word("hetzelfde") in k
                   for k in key_forms("Bent u het met ons eens dat de wet faalt?"))


def test_a_quotation_that_elaborates_continues_the_sentence_before():
    from rag.evidence import continues

    assert continues('"Met een menselijk gezicht én de kracht om mensen te beschermen."')
    assert continues('"Dus in de sociale zekerheid moeten we iemand niet meer wantrouwen."')
    assert not continues("Met de nieuwe wet verandert er veel voor gemeenten.")


def test_according_to_the_sender_names_the_letter():
    from rag.answer_extend import letter_of_sender

    titles = {"Brief van het sociaal werk aan de heer Rutte", "Verkiezingsprogramma SP"}
    letter = {"Brief van het sociaal werk aan de heer Rutte"}
    assert letter_of_sender("Waarin moet Rutte volgens de sociaal werkers geld steken?",
                            titles) == letter
    assert letter_of_sender("Wat wil Rutte volgens het sociaal plan?", titles) == set()
    assert letter_of_sender("Wat zegt de SP volgens de krant?", titles) == set()


def test_how_much_time_and_between_are_no_key_terms():
    keys = _keys("Hoeveel tijd zat er tussen de brief en de verkiezingen?")
    assert not keys & {"tijd", "tuss", "tus", "tussen"}
    assert "brief" in keys


def test_a_hyphenated_synonym_is_one_word():
    key = key_forms("Wat vindt de premier?")[0]
    assert "minister-president" in key
    assert all("presidentmini" not in alt for alt in key)  # no parts glued to the whole


def test_the_head_of_a_questions_compound_shows_the_subject():
    from rag.evidence import holds_head

    keys = key_forms("Hoe lang is het nog tot de Tweede Kamerverkiezingen?")
    assert holds_head(keys, text_forms("Over ruim drie weken zijn de verkiezingen."))
    assert not holds_head(keys, text_forms("Over ruim drie weken is het zover."))
    assert not holds_head(key_forms("Wat doet de gemeenteraad?"),
                           text_forms("De raad vergadert."))  # a head of under 5 letters


@pytest.mark.parametrize("asked,written", [
    ("ID-kaart", "identiteitskaart"), ("voorgoed", "permanente"), ("koning", "monarchie"),
    ("meteen", "direct"), ("meningen", "opvattingen"), ("gokken", "kansspelen"),
    ("plekken", "locaties")])
def test_a_citizens_everyday_word_meets_the_documents_word(asked, written):
    keys = key_forms(f"Wat is {asked}?")
    assert keys and all(term_matches(k, text_forms(f"Er is {written}.")) for k in keys)
    assert not any(term_matches(k, text_forms("Er is niets.")) for k in keys)


def test_the_news_item_is_named_by_the_word_bericht():
    news_title = ("VVD-leider Rutte doet een oproep aan andere politieke partijen om in de "
                  "campagne voor de Tweede Kamerverkiezingen vooral verbinding te zoeken.")
    docs = [Doc(source=LETTER, title="Brief van het sociaal werk aan de heer Rutte"),
            Doc(source=NEWS, title=news_title),
            Doc(source="/s/SP_2021.txt", title="Verkiezingsprogramma SP 2021")]
    names = NamedDocuments(lambda: docs)
    assert names.naming("Hoe lang duurt het volgens het bericht nog?").sources == [NEWS]
    # ... but a passage elsewhere that says "bericht" does not speak of the news item
    assert names.naming("Hoe lang duurt het volgens het bericht nog?").words == []
    assert names.naming("Wat vraagt de brief?").words == ["brief"]
    # named as a news item, it alone answers; "de brief" may be the letter a news item
    # reports on, so a letter named by its kind does not shut out the others
    assert names.naming("Wat wil Rutte volgens het bericht?").as_news
    assert not names.naming("Wat vraagt de brief?").as_news
    assert names.naming("Wat staat er in het nieuwsbericht?").sources == [NEWS]
    # "het nieuwsbericht over zijn brief": the letter is mentioned, the news item asked
    assert names.naming("Wat schrijft het nieuwsbericht over zijn brief?").sources == [NEWS]
    assert names.naming("Wat zegt de SP over het bericht?").sources == ["/s/SP_2021.txt"]
    # a short title is no news item: "bericht" names nothing when no title is a sentence
    short = NamedDocuments(lambda: docs[::2])
    assert short.naming("Wat staat er in het bericht?").sources == []


def test_the_word_nieuwsbericht_is_no_term_the_answer_must_hold():
    from rag.answer_extend import without_kind_words

    keys = without_kind_words(key_forms("Welke functie heeft Rutte volgens het nieuwsbericht?"))
    assert {k[0] for k in keys} == {"functie", "rut"}


def test_chat_shorthand_and_a_place_in_the_document_are_no_key_terms():
    assert _keys("wat wense ze rutte toe aan het eind vd brief?") == {"wens", "rut", "brief"}
    assert "eind" in _keys("Wanneer is het eind van de crisis?")  # not a place in the text


@pytest.mark.parametrize("question,kin,kept", [
    ("Mijn buurvrouw heeft haar formulier fout ingevuld. Hoe moet de overheid haar behandelen?",
     "buurvrouw", "formulier"),
    ("Mijn dochter is tien. Kan ik volgens de ChristenUnie nog ouderschapsverlof krijgen?",
     "dochter", "ouderschapsverlof"),
    ("Mag m'n vader mijn paspoort aanvragen?", "vader", "paspoort")])
def test_the_askers_own_people_are_no_key_terms(question, kin, kept):
    """Fresh batches: "Mijn buurvrouw ...", "mijn dochter": the answer says "iemand", "een
    kind", seldom the asker's relation."""
    names = [k[0] for k in key_forms(question)]
    assert stem_word(kin) not in names and kept in " ".join(names)


def test_people_not_of_the_asker_stay_key_terms():
    assert stem_word("buurman") in [k[0] for k in key_forms("Wat mag een buurman doen?")]
    assert stem_word("dochter") in [k[0] for k in key_forms("Erft een dochter volgens de wet?")]
