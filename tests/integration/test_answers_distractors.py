"""Issue 13's app scenario with real models: the corpus beside a programme and a law that
mention the same names. A question that names a document's author prefers that document, and
questions without content are refused."""

import pytest

from rag.build import build
from rag.settings import Settings
from tests.conftest import CORPUS, DATA, need

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def components(tmp_path_factory):
    c = build(Settings(data_dir=tmp_path_factory.mktemp("distractors")))
    programme = need(DATA / "verkiezingsprogrammas_2021" / "GroenLinks_2021.txt")
    law = need(DATA / "wetten_2017" / "paspoortwet_BWBR0005212.md")
    report = c.ingest([need(CORPUS), programme, law], progress=False)
    assert not report.failed
    return c


def test_the_social_workers_letter_answers_what_social_work_asks_of_rutte(components):
    answer = components.chain.ask("Wat vraagt het sociaal werk aan Rutte?")
    assert not answer.refused
    assert answer.citations[0].source.endswith("003_60de30e4263decae.txt"), answer.answer
    for c in answer.citations:
        assert components.catalog.original(c.source)[c.char_start:c.char_end] == c.quote
        assert c.verified


@pytest.mark.parametrize("question", ["???", "Wat is het?", "Hoeveel?"])
def test_questions_without_content_are_refused(components, question):
    answer = components.chain.ask(question)
    assert answer.refused and answer.citations == []


def test_titles_are_clean_for_citizens(components):
    titles = {d.source.rsplit("/", 1)[-1]: d.title for d in components.catalog.documents()}
    assert titles["paspoortwet_BWBR0005212.md"] == "Paspoortwet"
    assert titles["GroenLinks_2021.txt"] == "Verkiezingsprogramma GroenLinks 2021"
    assert titles["003_60de30e4263decae.txt"] == "Brief aan de heer Rutte"
