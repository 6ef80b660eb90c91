"""Running headers glued into the text after their page number (ingest/furniture.py
`page_headers`, VVD and PVV programmes): never a line of their own, found by page numbers that
increase through the document; cut with their chapter part, the glued text kept."""

from __future__ import annotations

import hashlib

import pytest

from ingest.chunker import ChunkingConfig, chunk_document
from ingest.furniture import page_headers, running_headers
from ingest.models import Document
from ingest.passage_sentences import passage_sentences

pytestmark = pytest.mark.unit

FIXED = "Verkiezingsprogramma 2021 -2025  -  "
CHAPTERS = ["Economie en Ondernemen", "Wonen en Vervoer"]
FILLER = ("Dit is een lange zin over het beleid van de partij die niets herhaalt en de pagina "
          "vult met gewone tekst over onderwerp {n}. ") * 8
GLUED = ["worden omgezet in banen", "proces rond de vergunning", "De investeringen stijgen",
         "nauwelijks de mogelijkheid", "van de veranderingen"]


def _vvd(pages: int = 10) -> str:
    """Pages of text whose running header (page number, fixed part, chapter) is glued to the
    sentence before and the words after it; on some pages it opens a line without number."""
    out = []
    for n in range(1, pages + 1):
        chapter = CHAPTERS[0] if n <= pages // 2 else CHAPTERS[1]
        body = FILLER.format(n=n)
        if n % 3 == 0:
            out.append(f"{body}\n{FIXED}{chapter}{GLUED[n % 5]} en verder.\n")
        else:
            out.append(f"{body}{n + 4} {FIXED}{chapter}{GLUED[n % 5]} en verder.\n")
    return "".join(out)


def test_a_header_after_increasing_page_numbers_is_cut_with_its_chapter():
    text = _vvd()
    got = [text[a:b] for a, b in page_headers(text)]
    assert len(got) == 10
    assert all(g.rstrip().endswith(tuple(CHAPTERS)) for g in got), got
    assert sum(g.startswith(FIXED) for g in got) == 3  # the ones opening a line, no number
    assert "6 " + FIXED + CHAPTERS[0] in got  # with its page number
    for _, b in page_headers(text):  # the words glued after it stay
        assert text[b:].startswith(tuple(GLUED))


def test_the_glued_words_start_a_sentence_of_their_own():
    text = _vvd()
    sents = [t for _, _, t in passage_sentences(text, tuple(running_headers(text)))]
    assert not any("Verkiezingsprogramma" in t for t in sents)
    assert any(t.startswith("worden omgezet in banen") for t in sents)
    assert any(t.startswith("proces rond de vergunning") for t in sents)


@pytest.mark.parametrize("make", [
    # a numbered list: the same words after increasing numbers, but close together
    lambda: "".join(f"{n} Wij willen dat punt {n} geregeld wordt.\n" for n in range(1, 9)),
    # article numbers of a law printed as a PDF: "Artikel 5 De burgemeester kan ..."
    lambda: "".join(f"Artikel {n} De burgemeester kan {FILLER.format(n=n)}\n"
                    for n in range(1, 9)),
    # a date repeated on every page: its number does not increase
    lambda: "".join(f"{FILLER.format(n=n)}17 MAART 2021 STEL JE VOOR\n" for n in range(1, 9)),
    # four pages only
    lambda: "".join(f"{FILLER.format(n=n)}{n} {FIXED}Wonen\n" for n in range(1, 5)),
])
def test_content_after_numbers_is_no_page_header(make):
    assert page_headers(make()) == []


def test_a_decimal_is_no_page_number():
    text = "".join(f"{FILLER.format(n=n)}Het groeit met 1.{n} Procent per jaar en meer.\n"
                   for n in range(1, 9))
    assert page_headers(text) == []


def test_running_headers_merges_both_kinds_without_overlap():
    line = "FVD Concept verkiezingsprogramma 2021-2025"
    text = "".join(f"{FILLER.format(n=n)}\n{line}\n{n + 2} {FIXED}Wonen en meer tekst hier.\n"
                   for n in range(1, 9))
    spans = running_headers(text)
    assert spans == sorted(spans)
    assert all(b <= c for (_, b), (c, _) in zip(spans, spans[1:], strict=False))
    cut = [text[a:b] for a, b in spans]
    assert cut.count(line) == 8 and sum(FIXED.strip() in c for c in cut) == 8


def test_a_paged_document_is_chunked_without_its_page_headers():
    text = _vvd()
    doc = Document(source="/p/VVD_2021.txt", title="VVD", original=text, type="txt",
                   sha256=hashlib.sha256(text.encode()).hexdigest())
    chunks = chunk_document(doc, ChunkingConfig(600, 50))
    assert all("Verkiezingsprogramma" not in c.text for c in chunks)
    assert sum(len(c.furniture) for c in chunks) >= 10


def test_a_word_that_glued_sentences_share_is_no_chapter():
    """CDA: "Nu doorpakkenDe overheid ..." on three pages: "De" starts three sentences and is
    followed by a blank each time, so it stays; VVD's chapter is glued to the text after it."""
    starts = ["De overheid betaalt", "De gemeente regelt", "De burger kiest"]
    text = "".join(f"{FILLER.format(n=n)}\n{n + 5}Nu doorpakken\n" for n in range(1, 9))
    text += "".join(f"Een zin.Nu doorpakken{s} het zelf.\n" for s in starts)
    got = [text[a:b] for a, b in page_headers(text)]
    assert len(got) == 11 and all(g.endswith("Nu doorpakken") for g in got), got


D66_BEFORE = "Een nieuw begin - Laat iedereen vrij, maar niemand vallen."
D66_AFTER = ("| Verkiezingsprogramma 2021 - 2025                     De digitale versie lees je "
             "op d66.nl/eennieuwbegin")
D66_GLUED = ["Voorwoord van de lijsttrekker", "• Wij schaffen het stelsel af.", "bescherming "
             "tegen willekeur", "Voor D66 is dit een aansporing.", "Werkgevers betalen mee."]


def _d66(pages: int = 10) -> str:
    """Pages whose footer holds its page number in the middle ("... vallen.12 | Verkiezings-
    programma ..."), glued to the text before and after it, never on a line of its own."""
    out = []
    for n in range(1, pages + 1):
        end = ["afgeschaft. ", "een publieke functie.", "tegen 70 procent "][n % 3]
        out.append(f"{FILLER.format(n=n)}Dit wordt {end}{D66_BEFORE}{n + 1} {D66_AFTER}"
                   f"{D66_GLUED[n % 5]} En de tekst gaat door.\n")
    return "".join(out)


def test_a_footer_with_its_page_number_in_the_middle_is_cut_whole():
    text = _d66()
    spans = running_headers(text)
    got = [text[a:b] for a, b in spans]
    assert len(got) == 10
    assert all(g.startswith(D66_BEFORE) and g.endswith("d66.nl/eennieuwbegin") for g in got), got
    for a, b in spans:  # the text on either side stays, words glued to it whole
        assert text[:a].endswith(("afgeschaft. ", "functie.", "procent "))
        assert text[b:].startswith(tuple(D66_GLUED))
    sents = [t for _, _, t in passage_sentences(text, tuple(spans))]
    assert any(t.startswith("Voor D66 is dit een aansporing.") for t in sents)
    assert any(t.startswith("Voorwoord van de lijsttrekker") for t in sents)
    assert not any("niemand vallen" in t or "eennieuwbegin" in t for t in sents)
