"""Structure kept at ingest (issue 18, item 1), over real files from ../shared/data: every chunk
carries its article and member (laws), publication and speaker (Handelingen) or heading, as
the citation rules of ingest/structure.py read them; Handelingen chunks hold whole
spreekbeurten where they fit."""

from __future__ import annotations

import re

import pytest

from ingest.chunker import ChunkingConfig, _group, chunk_document
from ingest.loaders import load_document
from ingest.outline import Outline
from tests.conftest import SHARED, need

pytestmark = pytest.mark.unit

LAWS = SHARED / "data" / "wetten_2017"
HANDELINGEN = SHARED / "data" / "handelingen_2018-04-05"


_ARTICLE = re.compile(r"^#{2,}\s*Artikel\s+(\S+)", re.MULTILINE)
_MEMBER = re.compile(r"^\s*(\d+)\.\s", re.MULTILINE)


def _scan(original: str, offset: int) -> tuple[str, str | None] | None:
    """An independent reading of the article and member at `offset`: the last article
    heading before it, closed by any later heading, and the last numbered member after it."""
    heads = [m for m in _ARTICLE.finditer(original) if m.start() <= offset]
    if not heads:
        return None
    head = heads[-1]
    if re.search(r"^#", original[head.end():offset + 1], re.MULTILINE):
        return None
    members = [m for m in _MEMBER.finditer(original, head.end()) if m.start() <= offset]
    return head.group(1), members[-1].group(1) if members else None


@pytest.mark.parametrize("law", ["grondwet_BWBR0001840.md",
                                 "algemene_wet_bestuursrecht_BWBR0005537.md"])
def test_every_law_chunk_names_the_article_and_member_it_starts_in(law):
    doc = load_document(need(LAWS / law))
    chunks = chunk_document(doc, ChunkingConfig())
    with_article = 0
    for c in chunks:
        place = _scan(doc.original, c.char_start)
        if place is None and (m := _ARTICLE.search(doc.original, c.char_start, c.char_end)):
            place = _scan(doc.original, m.start())  # opens with the headings above it
        if place is None:
            assert "artikel" not in c.structure
            continue
        with_article += 1
        assert (c.structure["artikel"], c.structure.get("lid")) == place
    assert with_article > 0.85 * len(chunks)  # the rest: the title, the Awb's Bijlagen


def test_grondwet_chunk_of_article_2_under_its_chapter():
    doc = load_document(need(LAWS / "grondwet_BWBR0001840.md"))
    at = doc.original.index("De wet regelt de toelating en de uitzetting")
    outline = Outline(doc.original, doc.identifier)
    assert outline.at(at) == {"artikel": "2", "lid": "2", "kop": "Grondrechten"}
    assert outline.at(doc.original.index("Allen die zich")) == {"artikel": "1",
                                                                "kop": "Grondrechten"}


def test_awb_article_numbers_as_written_and_the_next_heading_closes_the_article():
    doc = load_document(need(LAWS / "algemene_wet_bestuursrecht_BWBR0005537.md"))
    outline = Outline(doc.original, doc.identifier)
    place = outline.at(doc.original.index("De voor een of meer belanghebbenden nadelige"))
    assert (place["artikel"], place["lid"]) == ("3:4", "2")
    assert "artikel" not in outline.at(doc.original.index("Advisering"))


def test_handelingen_chunks_name_publication_and_speakers_and_keep_spreekbeurten_whole():
    doc = load_document(need(HANDELINGEN / "h-tk-20172018-70-10.xml"))
    size = 1000
    chunks = chunk_document(doc, ChunkingConfig(size=size))
    outline = Outline(doc.original, doc.identifier)
    turns = outline.soft_starts + [len(doc.original)]
    assert len(turns) > 50
    for c in chunks:
        assert c.structure["publicatie"] == "Handelingen II 2017/18, nr. 70, item 10"
        lines = [m.group(1).strip() for m in re.finditer(
            r"^((?:De heer|Mevrouw|De voorzitter|Minister|Staatssecretaris)\b[^\n]{0,100}):"
            r"[ \t]*$", doc.original, re.MULTILINE) if m.start() <= c.char_start]
        assert c.structure.get("spreker") == (lines[-1] if lines else None)
    multi = [c for c in chunks if "sprekers" in c.structure]
    assert multi and all(c.structure["sprekers"].startswith(c.structure["spreker"])
                         for c in multi)
    # a spreekbeurt that fits in a chunk is never cut in two
    for a, b in zip(turns, turns[1:], strict=False):
        if b - a <= size // 2:
            assert any(c.char_start <= a and c.char_end >= len(doc.original[:b].rstrip())
                       for c in chunks), doc.original[a:a + 80]
    # a chunk that starts a spreekbeurt starts at its speaker line
    starts = set(turns)
    opening = [c for c in chunks if doc.original[c.char_start:].startswith(
        (c.structure.get("spreker") or "\0") + ":")]
    assert len(opening) > 20 and all(c.char_start in starts for c in opening)


def test_markdown_headings_become_the_kop_of_other_documents():
    text = "# Gids\n\nInleiding hier.\n\n## Afval\n\nDe container staat buiten.\n"
    outline = Outline(text)
    assert outline.at(text.index("Inleiding")) == {"kop": "Gids"}
    assert outline.at(text.index("De container")) == {"kop": "Afval"}
    assert Outline("Platte tekst zonder koppen.").at(3) == {}


def test_soft_starts_open_a_chunk_only_when_the_unit_does_not_fit():
    units = [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50)]
    # the unit at index 2 (offsets 20-40) fits with 0-20 within 40: packed together
    assert _group(units, size=40, overlap=0, soft=frozenset({2, 4})) == [(0, 40), (40, 50)]
    # size 30: units 2-3 do not fit after 0-20, so the chunk ends before index 2
    assert _group(units, size=30, overlap=0, soft=frozenset({2, 4})) == [(0, 20), (20, 50)]
    # and the overlap never reaches back over a spreekbeurt's start
    assert _group(units, size=30, overlap=15, soft=frozenset({2}))[1][0] == 20
