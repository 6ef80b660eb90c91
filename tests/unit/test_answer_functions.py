"""Pure functions of the answer and refusal rules that test_answer_rules.py does not reach
directly: the refusal tiers, list and continuation helpers, sentence offsets and ordering."""

from __future__ import annotations

import pytest

from rag.answer_extend import Context, Scored, continuation, neighbours, other_side
from rag.evidence import (
    announced_count,
    ends_list,
    quantity_targets,
    rounds_off,
    sentences_of,
)
from rag.extractive import (
    ExtractiveAnswerer,
    ExtractiveConfig,
    _fill_gaps,
    _reading_order,
    _redundant,
)
from rag.extractive import _weights as weights
from vectorstore.embedders import FakeEmbedder
from vectorstore.records import Hit

pytestmark = pytest.mark.unit


def hit(text: str, source: str = "/d/a.txt", start: int = 0) -> Hit:
    return Hit(chunk_id=f"{source}-{start}", source=source, title="A", date=None, pages=(),
               char_start=start, char_end=start + len(text), text=text, original=text, score=1)


def scored(s, sim=0.9, score=1.0, qualifies=True, with_next=False) -> Scored:
    return Scored(s, 1.0, sim, score, qualifies, own=1.0, with_next=with_next)


def test_the_refusal_rule_has_two_tiers():
    rule = ExtractiveAnswerer(FakeEmbedder(), ExtractiveConfig()).passes
    assert rule(0.5, 0.80)  # enough key terms at the floor
    assert not rule(0.49, 0.87)  # too few terms, not similar enough for the second tier
    assert rule(0.2, 0.88)  # the second tier: few terms, very close in meaning
    assert not rule(0.19, 0.95)  # ... but never no terms at all
    assert not rule(1.0, 0.77)  # all terms, below the similarity floor


def test_rarer_key_terms_weigh_more():
    w = weights(["gemeente", "paspoort"], [frozenset({"gemeente"}), frozenset({"gemeente"}),
                                           frozenset({"gemeente", "paspoort"})])
    assert w["paspoort"] > w["gemeente"] >= 1.0


def test_quantity_targets_and_announced_counts():
    assert quantity_targets("Hoeveel sociaal werkers zijn er?") == ["sociaal", "werker"]
    assert quantity_targets("Wat kost een paspoort?") == []
    assert announced_count("Wij vragen aandacht voor drie belangrijke onderwerpen.") == 3
    assert announced_count("Dit zijn de 4 punten die ertoe doen.") == 4
    assert announced_count("Het volgende is van belang:") is None
    assert ends_list("Tot slot vragen wij om erkenning.")
    assert not ends_list("Wij vragen tot slot niets.")


def test_sentences_keep_exact_offsets_into_the_original():
    original = "Eerste zin over de haven.\nTweede zin met een af-\nbreking erin. Derde."
    h = hit(original, start=100)
    doc = "x" * 100 + original
    got = sentences_of([h])
    assert len(got) >= 2
    for s in got:
        assert doc[s.char_start:s.char_end] == s.quote
    assert "afbreking" in got[1].text and "\n" in got[1].quote  # normalised text, raw quote


def test_neighbours_and_continuation_take_the_announced_list_in_order():
    text = ("Wij vragen drie dingen van het kabinet. Ten eerste meer geld voor wijkteams. "
            "Ten tweede minder regels voor sociaal werkers. Tot slot erkenning van het vak. "
            "Het weer was mooi die dag in Den Haag.")
    sents = sentences_of([hit(text)])
    nxt = neighbours(sents)
    assert nxt[sents[0].key] is sents[1] and sents[-1].key not in nxt
    got = continuation(scored(sents[0]), Context(nxt, [], None), ExtractiveConfig())
    assert [s.text for s in got] == [s.text for s in sents[1:4]]  # stops at "Tot slot"


def test_a_motions_considerations_run_on_to_its_request_and_stop_there():
    text = ("De Kamer, gehoord de beraadslaging, constaterende dat er 35 miljoen euro is "
            "gereserveerd voor geestelijke verzorging; overwegende dat het kabinet drie "
            "programma's heeft; verzoekt de regering rond de zomer met een concreet plan te "
            "komen, en gaat over tot de orde van de dag. Het weer was mooi in Den Haag.")
    sents = sentences_of([hit(text.replace("; ", ";\n"))])
    got = continuation(scored(sents[0]), Context(neighbours(sents), [], None),
                       ExtractiveConfig())
    assert [s.text.split()[0] for s in got] == ["overwegende", "verzoekt"]


def test_a_short_sentence_that_rounds_off_the_best_one_is_quoted_with_it():
    text = ("De een wil meer geld naar dit onderwerp, de ander naar die maatregel. "
            "Daar komen we samen uit. Het weer was mooi die dag in Den Haag.")
    sents = sentences_of([hit(text)])
    got = continuation(scored(sents[0]), Context(neighbours(sents), [], None),
                       ExtractiveConfig())
    assert [s.text for s in got] == ["Daar komen we samen uit."]
    assert rounds_off("Dat is onacceptabel.")
    assert not rounds_off("Dat is een lange zin die over iets heel anders gaat dan de vorige.")
    assert not rounds_off("Het weer was mooi.")


def test_the_one_sentence_between_two_quoted_sentences_is_quoted_too():
    text = ("De een wil meer geld naar dit onderwerp, schrijft Rutte. Daar komen we samen uit. "
            "Want uiteindelijk willen we allemaal het land vooruithelpen. Het regent vandaag.")
    a, b, c, d = sentences_of([hit(text)])
    ctx = Context(neighbours([a, b, c, d]), [], None)
    got = _fill_gaps([scored(a), scored(c)], ctx, scored)
    assert [x.sentence.text for x in got] == [a.text, b.text, c.text]
    # two sentences apart, or not adjacent at all: nothing is added
    assert [x.sentence for x in _fill_gaps([scored(a), scored(d)], ctx, scored)] == [a, d]
    assert [x.sentence for x in _fill_gaps([scored(a)], ctx, scored)] == [a]
    # a quoted title the splitter cut is completed by the sentence that closes it
    t, rest, other = sentences_of([hit("Rutte schreef onder de titel 'Samen naar de eindstreep. "
                                       "En verder'. Hij wil verbinding zoeken met iedereen.")])
    ctx = Context(neighbours([t, rest, other]), [], None)
    assert [x.sentence for x in _fill_gaps([scored(t)], ctx, scored)] == [t, rest]


def test_other_side_quotes_a_disagreeing_source():
    a = sentences_of([hit("Het paspoort is tien jaar geldig volgens de wet.")])[0]
    b = sentences_of([hit("Het paspoort is vijf jaar geldig volgens de folder.", "/d/b.txt")])[0]
    same = sentences_of([hit("Het paspoort is tien jaar geldig, zegt de gemeente.",
                             "/d/c.txt")])[0]
    ctx = Context({}, [], "duration")
    best = scored(a)
    assert other_side(best, [best, scored(same), scored(b)], {a.key}, ctx)[0].sentence is b
    assert other_side(best, [best, scored(same)], {a.key}, ctx) == []


def test_redundancy_and_reading_order():
    s1, s2 = sentences_of([hit("De gemeente betaalt de kosten van de nieuwe bibliotheek. "
                               "Het college legt de plannen voor aan de raad.")])
    dup = sentences_of([hit("De gemeente betaalt de kosten van de nieuwe bibliotheek.",
                            "/d/b.txt")])[0]
    assert _redundant(scored(dup), [scored(s1)]) and not _redundant(scored(s2), [scored(s1)])
    order = _reading_order([scored(dup), scored(s2), scored(s1)])
    assert [x.sentence for x in order] == [dup, s1, s2]  # documents by first appearance


def test_a_question_in_the_source_is_no_answer_unless_asked_for():
    from rag.evidence import asks_for_question, is_question

    assert is_question("Hoeveel mensen moeten en kunnen in Nederland wonen?")
    assert is_question("Vindt u dat goed?”")
    assert not is_question("Het eigen risico gaat naar nul.")
    # a statement glued to a heading and a question by the PDF extraction stays a candidate
    assert not is_question("Het wordt dus teruggedraaid.GEZONDE MAATSCHAPPIJ Wat willen we?")
    assert asks_for_question("Welke vraag stelde de heer Nijboer aan de minister?")
    assert not asks_for_question("Hoeveel jaar moet je in Nederland wonen?")

    text = ("Hoeveel jaar moet je in Nederland wonen voor de naturalisatie van een vreemdeling? "
            "De vreemdeling moet ten minste vijf jaar in Nederland wonen voor de naturalisatie.")
    answerer = ExtractiveAnswerer(FakeEmbedder(), ExtractiveConfig(min_similarity=0.0))
    q = "Hoeveel jaar moet je in Nederland wonen voor de naturalisatie?"
    answer = answerer.answer(q, [hit(text)])
    assert not answer.refused
    assert all(not c.quote.endswith("?") for c in answer.citations), answer.answer
