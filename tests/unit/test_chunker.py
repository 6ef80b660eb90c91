import hashlib

import pytest

from ingest.chunker import ChunkingConfig, chunk_document
from ingest.models import Document
from ingest.normalize import normalize
from ingest.sentences import sentence_spans
from tests.conftest import LETTER, need

pytestmark = pytest.mark.unit


def _doc(text: str, pages=None) -> Document:
    return Document(source="/x/doc.txt", title="t", original=text, type="txt",
                    sha256=hashlib.sha256(text.encode()).hexdigest(), pages=pages or {})


def test_chunks_map_back_to_original_and_respect_sentences():
    original = need(LETTER).read_text(encoding="utf-8")
    doc = _doc(original)
    chunks = chunk_document(doc, ChunkingConfig(300, 60))
    assert len(chunks) > 3
    norm = normalize(original)
    sentences = {norm.text[s:e].replace("\n", " ") for s, e in sentence_spans(norm.text)}
    for c in chunks:
        assert len(c.text) <= 300
        assert normalize(original[c.char_start:c.char_end]).text.replace("\n", " ") == c.text
        assert not original[c.char_start].isspace() and not original[c.char_end - 1].isspace()
        # chunk starts at a sentence start and ends at a sentence end
        assert any(c.text.startswith(s) for s in sentences)
        assert any(c.text.endswith(s) for s in sentences)


def test_overlap_repeats_trailing_sentences():
    text = " ".join(f"Dit is zin nummer {i} van de tekst." for i in range(40))
    chunks = chunk_document(_doc(text), ChunkingConfig(200, 70))
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert b.char_start < a.char_end  # overlapping
        assert a.char_end - b.char_start <= 70


def test_no_overlap_when_zero():
    text = " ".join(f"Zin {i} is kort." for i in range(60))
    chunks = chunk_document(_doc(text), ChunkingConfig(100, 0))
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert b.char_start > a.char_end


def test_long_sentence_is_cut_at_words():
    text = "woord " * 200 + "einde."
    chunks = chunk_document(_doc(text), ChunkingConfig(100, 0))
    assert all(len(c.text) <= 100 for c in chunks)
    assert all(c.text.split()[0] in ("woord", "einde.") for c in chunks)
    assert "".join(c.text.replace(" ", "") for c in chunks) == text.replace(" ", "")


def test_ids_stable_and_pages_assigned():
    text = "Eerste pagina tekst. " * 20 + "\n\n" + "Tweede pagina tekst. " * 20
    split = text.index("\n\n")
    doc = _doc(text, pages={1: (0, split), 2: (split + 2, len(text))})
    a = chunk_document(doc, ChunkingConfig(200, 0))
    b = chunk_document(doc, ChunkingConfig(200, 0))
    assert [c.id for c in a] == [c.id for c in b]
    copy = chunk_document(Document(**{**doc.__dict__, "source": "/elders/kopie.txt"}),
                          ChunkingConfig(200, 0))
    assert not {c.id for c in a} & {c.id for c in copy}  # two copies never share an id
    other = chunk_document(doc, ChunkingConfig(300, 0))
    assert not {c.id for c in a} & {c.id for c in other}  # nor two chunkings
    assert a[0].pages == (1,) and a[-1].pages == (2,)


def test_config_rejects_bad_values():
    with pytest.raises(ValueError):
        ChunkingConfig(1000, 600)
    with pytest.raises(ValueError):
        ChunkingConfig(10, 0)


def test_running_headers_are_left_out_of_chunk_text_but_not_out_of_the_offsets():
    header = "VERKIEZINGSPROGRAMMA PARTIJ VOOR DE DIEREN TWEEDE KAMERVERKIEZINGEN 2021 51"
    text = (f"De veestapel moet kleiner. {header} De Partij voor de Dieren wil minder vee.\n"
            f"Een tweede zin over natuur.\n12\nEen derde zin over water.")
    chunks = chunk_document(_doc(text), ChunkingConfig(1000, 100))
    assert len(chunks) == 1
    c = chunks[0]
    assert "VERKIEZINGSPROGRAMMA" not in c.text
    assert "De Partij voor de Dieren wil minder vee." in c.text and "derde zin" in c.text
    assert header in text[c.char_start:c.char_end]  # the quote stays the original


@pytest.mark.parametrize("law", ["grondwet_BWBR0001840.md",
                                 "algemene_wet_bestuursrecht_BWBR0005537.md"])
def test_a_laws_chunks_never_straddle_two_articles(law):
    """Issue 18: a chunk holds at most one article heading, and where it holds one, nothing of
    the previous article comes before it (only the chapter/title headings above it)."""
    import re

    from ingest.loaders import load_document
    from tests.conftest import SHARED, need

    article = re.compile(r"^#{2,}\s*Artikel\s+\S+", re.MULTILINE)
    doc = load_document(need(SHARED / "data" / "wetten_2017" / law))
    chunks = chunk_document(doc, ChunkingConfig())
    assert len(chunks) > 100
    for c in chunks:
        text = doc.original[c.char_start:c.char_end]
        heads = list(article.finditer(text))
        assert len(heads) <= 1, text[:200]
        if heads:
            before = text[:heads[0].start()]
            assert all(not line.strip() or line.lstrip().startswith("#")
                       or line.startswith("<meta") for line in before.splitlines()), before
