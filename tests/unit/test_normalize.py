import pytest

from ingest.normalize import normalize
from ingest.sentences import sentence_spans
from tests.conftest import LETTER, need

pytestmark = pytest.mark.unit


def _check_offsets(original: str) -> None:
    n = normalize(original)
    assert len(n.text) == len(n.offsets)
    assert n.offsets == sorted(n.offsets)
    for ch, off in zip(n.text, n.offsets, strict=True):
        if not ch.isspace():
            assert original[off] == ch
        else:
            assert original[off].isspace()


def test_joins_hyphenated_line_break_and_maps_back():
    original = "De welzijns-\ndriehoek is belangrijk."
    n = normalize(original)
    assert n.text == "De welzijnsdriehoek is belangrijk."
    start = n.text.index("welzijnsdriehoek")
    s, e = n.to_original(start, start + len("welzijnsdriehoek"))
    assert original[s:e] == "welzijns-\ndriehoek"
    _check_offsets(original)


def test_keeps_real_hyphen_and_suspended_compound():
    n = normalize("de zorg- en\nwelzijnsdriehoek en Noord-\nHolland")
    assert "zorg- en welzijnsdriehoek" in n.text
    assert "Noord-" in n.text  # uppercase continuation: not joined


def test_blank_line_inside_sentence_becomes_space():
    original = "het vertrouwen van \n\nburgers in de overheid.\n\nNieuwe alinea."
    n = normalize(original)
    assert n.text == "het vertrouwen van burgers in de overheid.\nNieuwe alinea."
    _check_offsets(original)


def test_a_line_that_opens_with_a_number_goes_on_with_its_sentence_or_starts_an_item():
    original = ("In 2030 gebruikt Nederland tenminste \n50% minder energie. Uiterlijk in \n2030 "
                "en waar mogelijk eerder. De punten:\n1. wonen\n2. zorg,\n3. werk\n"
                "op pagina\n12De partij")
    n = normalize(original)
    assert "tenminste 50% minder energie." in n.text
    assert "Uiterlijk in 2030 en waar mogelijk eerder." in n.text
    # list items, and a page number glued to the next line, keep their own line
    assert "De punten:\n1. wonen\n2. zorg,\n3. werk" in n.text
    assert "op pagina\n12De partij" in n.text
    _check_offsets(original)


def test_letter_offsets_hold_and_sentences_are_whole():
    original = need(LETTER).read_text(encoding="utf-8")
    _check_offsets(original)
    n = normalize(original)
    assert "zorg- en welzijnsdriehoek in wijken" in n.text
    sentences = [n.text[s:e] for s, e in sentence_spans(n.text)]
    assert any(s.startswith("Het sociaal werk vormt samen") and s.endswith("cruciaal beroep.")
               for s in sentences)
    assert all("  " not in s for s in sentences)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dit is zin een. Dit is zin twee.", 2),
        ("Zie o.a. artikel 3. Dat is duidelijk.", 2),
        ("Volgens J. de Vries is dat zo. Echt waar!", 2),
        ("Bijv. dit. En ca. 30 mensen kwamen. Klaar?", 3),
        ("Kop zonder punt\nTekst van de alinea.", 2),
        ("Het kost 3.5 miljoen. Dat is veel.", 2),
    ],
)
def test_dutch_sentence_boundaries(text, expected):
    assert len(sentence_spans(text)) == expected
