"""Memo-ready document names (issue 18, item 5), against the real files in ../shared: a law by
its citeertitel or short name, a programme by its party, a letter by sender and addressee,
never a title cut off with "…"."""

from __future__ import annotations

import json

import pytest

from ingest.loaders import load_document
from ingest.naming import document_name, law_title, letter_parties, programme_party
from rag.citation_format import format_citation
from tests.conftest import SHARED, need

pytestmark = pytest.mark.unit

DATA = SHARED / "data"


@pytest.mark.parametrize(("name", "title"), [
    ("grondwet_BWBR0001840.md", "Grondwet"),
    ("algemene_wet_bestuursrecht_BWBR0005537.md", "Algemene wet bestuursrecht"),
    ("kieswet_BWBR0004627.md", "Kieswet"),
    ("paspoortwet_BWBR0005212.md", "Paspoortwet"),
    # the citeertitel says "met vermelding van het jaartal van het Staatsblad": the year is 2002
    ("wet_op_de_inlichtingen-_en_veiligheidsdiensten_2002_BWBR0013409.md",
     "Wet op de inlichtingen- en veiligheidsdiensten 2002"),
    # no citeertitel in the text: "Wet van 7 maart 1991, houdende ..." -> the file's name
    ("wet_op_de_lijkbezorging_BWBR0005009.md", "Wet op de lijkbezorging"),
])
def test_laws_are_named_by_their_citeertitel_or_short_name(name, title):
    assert load_document(need(DATA / "wetten_2017" / name)).title == title


@pytest.mark.parametrize(("name", "title"), [
    ("PVV_2021.txt", "Verkiezingsprogramma PVV 2021"),  # cover: "Het gaat om u"
    ("PvdA_2021.txt", "Verkiezingsprogramma PvdA 2021"),  # cover cut: "Ons plan voor een"
    ("GroenLinks_2021.txt", "Verkiezingsprogramma GroenLinks 2021"),
    ("PvdD_2021.txt", "Verkiezingsprogramma Partij voor de Dieren (PvdD) 2021"),
    ("BoerBurgerBeweging_2021.txt", "Verkiezingsprogramma BoerBurgerBeweging (BBB) 2021"),
    ("VijftigPLUS_2021.txt", "Verkiezingsprogramma 50PLUS 2021"),
    ("SGP_2021.txt", "Verkiezingsprogramma SGP 2021"),  # its text never says so: the folder
])
def test_programmes_are_named_by_their_party(name, title):
    assert load_document(need(DATA / "verkiezingsprogrammas_2021" / name)).title == title


def test_programme_party_from_the_text_when_the_file_name_has_none():
    text = "Verkiezingsprogramma 2021\n\nDe PVV wil minder regels. De PVV kiest voor u. D66 niet."
    assert programme_party("programma", text) == "PVV"
    assert document_name("x", text, "programma") == "Verkiezingsprogramma PVV 2021"
    # a text about programmes (no party, or the word only in a plural) keeps its title
    assert document_name("Over data", "De verkiezingsprogrammas_2021 map.", "README") == (
        "Over data")


def test_letters_name_sender_and_addressee():
    letter = "Geachte mevrouw Jansen,\n\nWij vragen aandacht.\n\nMet vriendelijke groet,\n\n" \
             "Stichting Buurtwerk Utrecht\n"
    assert letter_parties(letter) == ("Stichting Buurtwerk Utrecht", "de mevrouw Jansen")
    assert document_name("Geachte mevrouw Jansen", letter, "brief") == (
        "Brief van Stichting Buurtwerk Utrecht aan de mevrouw Jansen")


def test_the_social_work_letter_names_its_addressee_and_the_sidecar_its_sender(tmp_path):
    path = need(SHARED / "corpus" / "003_60de30e4263decae.txt")
    assert load_document(path).title == "Brief aan de heer Rutte"  # the text has no sender
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    meta = copy.with_name(path.stem + ".meta.json")
    meta.write_text(json.dumps({"afzender": "het sociaal werk"}))
    assert load_document(copy).title == "Brief van het sociaal werk aan de heer Rutte"


def test_handelingen_without_item_title_are_named_by_their_reference():
    doc = load_document(need(DATA / "handelingen_2018-04-05" / "h-tk-20172018-70-1.xml"))
    assert doc.title == "Handelingen II 2017/18, nr. 70, item 1"


def test_a_news_item_is_named_by_its_whole_first_sentence_and_cited_without_nesting():
    doc = load_document(need(SHARED / "corpus" / "000_a0185afebb45fdde.txt"))
    assert doc.title.endswith("niet uit te vergroten.") and "…" not in doc.title
    cite = format_citation(doc.title, doc.date, None, "“We moeten juist verbinding zoeken”")
    assert cite.startswith("‘“We moeten juist verbinding zoeken”’ — VVD-leider Rutte")
    assert cite.endswith(", februari 2021")


def test_law_title_rules_on_their_own():
    assert law_title("Wet van 4 juni 1992, houdende algemene regels van bestuursrecht "
                     "(Algemene wet bestuursrecht)", "", "awb") == "Algemene wet bestuursrecht"
    assert law_title("Grondwet voor het Koninkrijk der Nederlanden", "", "gw") == "Grondwet"
    assert law_title("Wet van 1 mei 2000, houdende iets", "", "mijn_wet_BWBR0000001") == (
        "Mijn wet")
