"""Whom a question asks ("volgens minister De Jonge") and who says a Handelingen sentence: the
named speaker's spreekbeurt answers, not the motion another member read out before it."""

from __future__ import annotations

import pytest

from ingest.structure import is_speaker_line, speaker_before
from rag.answer_extend import Scored, neighbours
from rag.evidence import Sentence, is_fragment, sentences_of
from rag.extractive import ExtractiveAnswerer, ExtractiveConfig, _speakers_own
from rag.speakers import asked_speaker, sentence_speaker, spoken_by
from vectorstore.embedders import FakeEmbedder
from vectorstore.records import Hit

pytestmark = pytest.mark.unit

MOTION = ("Mevrouw Agema (PVV):\n"
          "verzoekt de regering de zorgzwaartepakketten in de Wlz samen te voegen tot één "
          "pakket met één gemiddeld tarief voor kleine verpleeghuizen.\n"
          "Minister De Jonge:\n"
          "Kleine verpleeghuizen met zware zorgzwaartepakketten houden bij één gemiddeld tarief "
          "te weinig over.\n")


def _hit(text: str = MOTION, start: int = 1000) -> Hit:
    return Hit(chunk_id="h-tk-20172018-70-3.xml-4", source="/p/h-tk-20172018-70-3.xml",
               title="Handelingen", date=None, pages=(), char_start=start,
               char_end=start + len(text), text=text, original=text, score=1.0,
               structure={"spreker": "Mevrouw Agema (PVV)",
                          "sprekers": "Mevrouw Agema (PVV); Minister De Jonge"})


@pytest.mark.parametrize("question, name", [
    ("Wat zegt minister De Jonge over kleine verpleeghuizen, zoals PVV'er Agema voorstelde?",
     "jonge"),
    ("Waar moet minister Ollongren volgens GroenLinks-Kamerlid Kröger aandacht aan besteden?",
     "kröger"),
    ("Waarom vindt VVD-Kamerlid Veldman het Duitse plan niet in orde?", "veldman"),
    ("Hoe lang praat de Kamer volgens GroenLinks-Kamerlid Van der Lee al over overnames?", "lee"),
    ("Welk probleem noemt ChristenUnie-Kamerlid Dik-Faber in haar motie?", "dik-faber"),
    ("Hoe groot was volgens mevrouw Agema het onrechtmatig bestede pgb-geld?", "agema"),
    ("Minister Ollongren zei wat over de huurders van Humanitas?", "ollongren"),
    ("Wat wil Rutte met de sociale zekerheid?", None),  # no titled speaker
    ("Wat vroeg minister Hoekstra aan Kamerlid Nijboer?", None),  # two, neither says
])
def test_the_speaker_a_question_asks_about(question, name):
    assert asked_speaker(question) == name


def test_a_sentence_is_spoken_by_the_speaker_of_its_own_spreekbeurt():
    hit = _hit()
    minister_at = hit.char_start + MOTION.index("Kleine verpleeghuizen")
    assert sentence_speaker(hit, hit.char_start + MOTION.index("verzoekt")) == "Mevrouw Agema (PVV)"
    assert sentence_speaker(hit, minister_at) == "Minister De Jonge"
    assert speaker_before(MOTION, MOTION.index("verzoekt")) == "Mevrouw Agema (PVV)"
    assert spoken_by("Minister De Jonge", "jonge") and not spoken_by("Minister De Jonge", "agema")
    assert spoken_by("Mevrouw Agema ( PVV )", "agema") and not spoken_by(None, "agema")


def test_what_the_minister_says_is_answered_from_his_spreekbeurt_not_the_motion():
    answerer = ExtractiveAnswerer(FakeEmbedder(256), ExtractiveConfig(
        min_similarity=-1.0, pair_min_similarity=-1.0, high_similarity=2.0))
    hit = _hit()
    said = "Wat zegt minister De Jonge over één gemiddeld tarief voor kleine verpleeghuizen?"
    answer = answerer.answer(said, [hit])
    assert not answer.refused
    assert [c.quote.split()[0] for c in answer.citations] == ["Kleine"]
    # without a named speaker the motion may answer too
    plain = answerer.answer("Wat zegt de regering over één gemiddeld tarief voor kleine "
                            "verpleeghuizen?", [hit])
    assert any(c.quote.startswith("verzoekt") for c in plain.citations)


def _scored(hit: Hit, text: str, coverage: float, qualifies: bool) -> Scored:
    start = hit.original.index(text)
    sentence = Sentence(hit=hit, rank=0, char_start=hit.char_start + start,
                        char_end=hit.char_start + start + len(text), text=text, quote=text,
                        context_before="", context_after="")
    return Scored(sentence, coverage, 0.87, 1.0, qualifies, own=coverage)


def test_the_named_speakers_own_sentence_answers_at_a_lower_tier_the_others_not_at_all():
    hit = _hit()
    motion = _scored(hit, "verzoekt de regering", 0.6, True)
    answer = _scored(hit, "Kleine verpleeghuizen", 0.45, False)  # below the 0.5 of the rule
    weak = _scored(hit, "te weinig over", 0.3, False)
    got = _speakers_own([motion, answer, weak], "jonge", (0.4, 0.85))
    assert [(x.qualifies, x.blocked) for x in got] == [(False, True), (True, False),
                                                       (False, False)]
    # no speaker named, or the named one not among the candidates: nothing changes
    assert _speakers_own([motion, answer], None, (0.4, 0.85)) == [motion, answer]
    assert _speakers_own([motion, answer], "wiebes", (0.4, 0.85)) == [motion, answer]


TWO_TURNS = ("De heer Krol (50PLUS):\n"
             "In Leiden zijn vorige week mensenlevens gered door een koolmonoxidemelder.\n"
             "De heer Hijink (SP):\n"
             "Daarnaast wil ik de minister bedanken voor haar toezeggingen over melders.\n")


def test_a_speaker_line_is_a_label_not_a_sentence_to_quote():
    assert is_speaker_line("De heer Kops (PVV):") and is_speaker_line("Minister De Jonge: ")
    assert is_speaker_line("Mevrouw Dik-Faber (ChristenUnie):")
    assert not is_speaker_line("De heer Kops zei: dat klopt niet.")
    assert is_fragment("De heer Krol (50PLUS):")
    assert not is_fragment("De heer Krol wil de minister bedanken.")


def test_an_answer_does_not_run_on_into_the_next_speakers_turn():
    hit = _hit(TWO_TURNS)
    sentences = sentences_of([hit])
    nxt = neighbours(sentences)
    krol = next(s for s in sentences if s.text.startswith("In Leiden"))
    assert krol.key not in nxt  # the speaker line after it ends the turn
    assert not any(is_speaker_line(s.text) for s in nxt.values())
    answerer = ExtractiveAnswerer(FakeEmbedder(256), ExtractiveConfig(
        min_similarity=-1.0, pair_min_similarity=-1.0, high_similarity=2.0))
    answer = answerer.answer("Waar zijn volgens de heer Krol mensenlevens gered door een "
                             "koolmonoxidemelder?", [hit])
    assert [c.quote.split()[0] for c in answer.citations] == ["In"]
