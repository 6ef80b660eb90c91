"""Running headers a paged document repeats (ingest/furniture.py `repeated_lines`): found per
document, kept out of chunk text and answer sentences, offsets still into the original."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from ingest.chunker import ChunkingConfig, chunk_document
from ingest.furniture import repeated_lines
from ingest.models import Document
from ingest.passage_sentences import passage_sentences
from rag.extractive import ExtractiveAnswerer, ExtractiveConfig
from vectorstore.embedders import FakeEmbedder
from vectorstore.records import chunk_row, hit_from_row
from vectorstore.store import _metadata, _row

pytestmark = pytest.mark.unit

HEADER = "FVD Concept verkiezingsprogramma 2021-2025"


def _programme(pages: int = 8) -> str:
    """A PDF-extracted programme: its running header on every page, once glued to the text
    that follows, once after a page number; a list lead-in that repeats as content."""
    topics = ["wonen", "zorg", "onderwijs", "defensie", "energie", "landbouw", "cultuur", "sport",
              "natuur"]
    out = []
    for n in range(1, pages + 1):
        out.append(f"Wij willen:\nDe belasting op arbeid gaat omlaag voor {topics[n]} en \n"
                   f"de lasten voor {topics[n - 1]} dalen.Soevereiniteit .{n}\n")
        if n == 2:
            out.append(f"{HEADER}Hoofdstuk 2: Zorg\n")
        elif n == 3:
            out.append(f"7 {HEADER}\n")
        else:
            out.append(f"{HEADER}\n")
    out.append("Wij willen dat de zorg in 2030 dichtbij is.\n")
    return "".join(out)


def _doc(text: str, kind: str = "txt") -> Document:
    return Document(source=f"/p/FVD_2021.{kind}", title="FVD", original=text, type=kind,
                    sha256=hashlib.sha256(text.encode()).hexdigest())


def test_a_repeated_mixed_case_line_is_a_running_header_wherever_it_starts_a_line():
    text = _programme()
    spans = repeated_lines(text)
    got = [text[a:b] for a, b in spans]
    assert got == [HEADER, HEADER, "7 " + HEADER] + [HEADER] * 5  # glued, numbered ones too
    assert text[spans[1][1]:].startswith("Hoofdstuk 2: Zorg")  # the glued text stays


def test_a_header_glued_into_a_line_is_cut_there_too():
    cda = "CDA-VERKIEZINGSPROGRAMMA 2021-2025"
    pages = "".join(f"{cda} {n}\nTekst over onderwerp nummer {n} en meer.\n" for n in range(5))
    text = pages + (f"We beschermen onze families en gezinnen{cda} Thuis14\n"
                    f"Er is sprake van een {cda} Thuis15\n"
                    f"Een woord in capitals: NIEUWS{cda} is geen kop.\n")
    cut = [text[a:b] for a, b in repeated_lines(text)]
    # five pages (with their number) and two glued; not inside a word in capitals
    assert cut.count(cda) == 2 and len(cut) == 7
    sents = [t for _, _, t in passage_sentences(text, tuple(repeated_lines(text)))]
    assert "We beschermen onze families en gezinnen" in sents


def test_a_header_never_on_a_line_of_its_own_is_found_where_it_opens_lines():
    ja21 = "JA21 Verkiezingsprogramma 2021"
    starts = ["natie in staat, zet het", "VOORWOORD", "1.3 Rechtstaat en balans", "met hun stem",
              "INHOUD", "overlast en criminaliteit"]
    text = "".join(f"{ja21}{s}\nTekst van pagina {n} over het onderwerp.\n"
                   for n, s in enumerate(starts))
    cut = [text[a:b] for a, b in repeated_lines(text)]
    assert cut == [ja21, ja21, ja21 + "1", ja21, ja21, ja21]  # "20211.3": a number glued on
    sents = [t for _, _, t in passage_sentences(text, tuple(repeated_lines(text)))]
    assert sents[0] == "natie in staat, zet het Tekst van pagina 0 over het onderwerp."
    assert not any(ja21 in t or "2021" in t for t in sents)
    # a list label glued to its first item is too short to be a header
    label = "".join(f"JA21 wil 6Een voorstel nummer {n} voor het land.\n" for n in range(6))
    assert repeated_lines(label) == []


VOLT = "Verkiezingsprogramma 2021 – 2025 Volt Nederland"
PAGE = ("Dit is een gewone zin over het beleid die de pagina vult en niets herhaalt over "
        "onderwerp {n}. ") * 12


def test_a_header_glued_to_what_follows_it_without_a_number_is_found_by_its_lines():
    starts = ["Wie we zijn", " Onze eerste uitdaging is", "liseren. En om dat doel te bereiken,",
              "en consumeren.", "Niet links of rechts,", " Waarom de politiek van nu Volt"]
    text = "".join(f"{PAGE.format(n=n)}\n{n + 2}\n{VOLT}{s}\n" for n, s in enumerate(starts))
    spans = repeated_lines(text)
    assert [text[a:b] for a, b in spans] == [VOLT] * 6
    assert [text[b:].split("\n")[0] for _, b in spans] == starts  # glued words stay whole
    sp = "VERKIEZINGSPROGRAMMA VAN DE SP 17 MAART 2021 STEL EEN DAAD"
    text = "".join(f"{PAGE.format(n=n)}\n{sp}{s}\n" for n, s in enumerate(
        ["INLEIDING", "1 EEN EERLIJK LAND", "‘Blijf niet mokkend", "7  Gemeenten moeten", "ZO"]))
    assert [text[a:b] for a, b in repeated_lines(text)] == [sp] * 5


@pytest.mark.parametrize("lines", [
    # content lines that open alike: no number among the shared words ...
    [f"BIJ1 staat voor een {w} samenleving." for w in "open vrije eerlijke groene warme".split()],
    # ... or close together (a list), not pages apart
    [f"In 2030 willen wij dat {w} groener is." for w in "stad land zorg werk dorp".split()],
])
def test_lines_that_merely_open_alike_are_no_headers(lines):
    pages = PAGE if lines[0].startswith("BIJ1") else "Kort. "
    text = "".join(f"{pages.format(n=n)}\n{line}\n" for n, line in enumerate(lines))
    assert repeated_lines(text) == []


@pytest.mark.parametrize("line", [
    "Wij willen:",                   # a list lead-in repeats as content
    "Onze keuzes: 1",                # a label with its number
    "Dank u wel.",                   # a sentence
    "MAATSCHAPPIJ",                  # one word
    "\u25b6Ver",                     # a bullet
    "### Artikel 1",                 # a Markdown heading
])
def test_repeated_content_lines_are_no_headers(line):
    text = "".join(f"{line}\nEen zin over onderwerp {n} die niets herhaalt.\n" for n in range(8))
    assert repeated_lines(text) == []


def test_a_line_repeated_less_often_than_the_threshold_is_kept():
    text = "".join(f"De kracht van PLUS\nZin nummer {n} over ouderen.\n" for n in range(4))
    assert repeated_lines(text) == []
    assert len(repeated_lines(text, min_repeats=4)) == 4
    # a header ending in a letter never cuts the start of a longer word
    longer = "De kracht van PLUSPUNTEN is groot.\n" + text
    assert all(longer[a:b] == "De kracht van PLUS" for a, b in repeated_lines(longer, 4))


def test_chunks_of_a_paged_document_leave_its_headers_out_of_text_and_sentences():
    text = _programme()
    chunks = chunk_document(_doc(text), ChunkingConfig(400, 50))
    assert all("Concept verkiezingsprogramma" not in c.text for c in chunks)
    assert sum(len(c.furniture) for c in chunks) >= 8
    for c in chunks:
        original = text[c.char_start:c.char_end]
        for a, b in c.furniture:  # relative to the chunk, and the original keeps them
            assert HEADER.startswith(original[a:b]) or original[a:b].endswith("2025")
        sents = passage_sentences(original, c.furniture)
        assert sents and all("verkiezingsprogramma" not in t for _, _, t in sents)
        for a, b, _ in sents:  # each quote is still the original wording
            assert original[a:b].strip() == original[a:b]
    glued = [t for c in chunks for _, _, t in passage_sentences(
        text[c.char_start:c.char_end], c.furniture) if t.startswith("Hoofdstuk 2")]
    assert glued  # the text glued to a header is a sentence of its own


def test_structured_formats_keep_their_repeated_lines():
    text = _programme()
    chunks = chunk_document(_doc(text, kind="md"), ChunkingConfig(400, 50))
    assert all(c.furniture == () for c in chunks)
    assert any("Concept verkiezingsprogramma" in c.text for c in chunks)


def test_the_header_spans_survive_both_stored_forms():
    doc = _doc(_programme())
    chunk = next(c for c in chunk_document(doc, ChunkingConfig(400, 50)) if c.furniture)
    row = chunk_row(doc, chunk)
    assert hit_from_row(row, 1.0).furniture == chunk.furniture  # the BM25 file's rows
    meta = _metadata(row)  # Chroma metadata: no lists
    assert isinstance(meta["furniture"], str)
    assert hit_from_row(_row(meta, row["text"], row["chunk_id"]), 1.0).furniture == \
        chunk.furniture
    old = {k: v for k, v in row.items() if k != "furniture"}  # a row from an older index
    assert hit_from_row(old, 1.0).furniture == ()


def test_an_answer_never_quotes_a_running_header_or_takes_its_year():
    doc = _doc(_programme())
    chunks = chunk_document(doc, ChunkingConfig(2000, 100))
    hits = [hit_from_row(chunk_row(doc, c), 1.0) for c in chunks]
    ans = ExtractiveAnswerer(FakeEmbedder(256), ExtractiveConfig(
        min_similarity=-1.0, pair_min_similarity=-1.0))
    got = ans.answer("Wat wil FVD met de zorg?", hits)
    assert not got.refused
    assert all("verkiezingsprogramma" not in c.quote for c in got.citations)
    for c in got.citations:
        assert doc.original[c.char_start:c.char_end] == c.quote
    # without the spans (an index from before), the header is glued into a sentence
    bare = [dataclasses.replace(h, furniture=()) for h in hits]
    assert any(HEADER in t for h in bare for _, _, t in passage_sentences(h.original))
