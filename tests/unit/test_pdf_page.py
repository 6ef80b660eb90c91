"""The PDF page itself in the viewer (issue 18): a cited sentence that runs across a line and
a page break is highlighted on both pages, from the characters' boxes; a changed file is not
rendered (the viewer keeps the text)."""

from __future__ import annotations

import io

import pytest

from ingest.loaders import load_document
from ui.pdf_page import render_span

pytestmark = pytest.mark.unit

SENTENCE = ("De gemeente betaalt de kosten van de nieuwe bibliotheek in het centrum van de stad "
            "en opent haar in het voorjaar.")


def _pdf(path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    y = height - 72
    for i in range(3):
        c.drawString(72, y, f"Regel {i + 1} van het verslag over de begroting.")
        y -= 16
    words = SENTENCE.split()
    c.drawString(72, 90, "Dit is de inleiding van het stuk. " + " ".join(words[:7]))
    c.drawString(72, 74, " ".join(words[7:11]))  # the sentence goes on below, then on page 2
    c.showPage()
    c.drawString(72, height - 72, " ".join(words[11:]))
    c.drawString(72, height - 88, "Daarna volgt nog een slotzin over iets anders.")
    c.showPage()
    c.save()


def _yellow(png: bytes) -> int:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for r, g, b in img.getdata() if r > 200 and g > 150 and b < 120)


def test_a_sentence_across_a_page_break_is_highlighted_on_both_pages(tmp_path):
    path = tmp_path / "verslag.pdf"
    _pdf(path)
    doc = load_document(path)
    assert set(doc.pages) == {1, 2}
    start = doc.original.index("De gemeente betaalt")
    end = doc.original.index("voorjaar.") + len("voorjaar.")
    assert doc.pages[1][1] <= end and start < doc.pages[1][1]  # it crosses the page break
    images = render_span(path, doc.sha256, doc.original, doc.pages, start, end)
    assert [i.page for i in images] == [1, 2]
    assert images[0].boxes == 2 and images[1].boxes == 1  # two lines, then one
    assert all(_yellow(i.png) > 200 for i in images)
    other = render_span(path, doc.sha256, doc.original, doc.pages,
                        doc.original.index("Daarna"), doc.original.index("Daarna") + 6)
    assert [i.page for i in other] == [2] and other[0].boxes == 1


def test_a_changed_file_is_not_rendered(tmp_path):
    path = tmp_path / "verslag.pdf"
    _pdf(path)
    doc = load_document(path)
    path.write_bytes(path.read_bytes() + b"\n%")
    assert render_span(path, doc.sha256, doc.original, doc.pages, 0, 10) is None


def test_the_staff_viewer_shows_the_pdf_page_for_a_phrase_hit(fake_indexer, tmp_path):
    from rag.phrase import PhraseIndex
    from ui.pdf_page import page_images
    from ui.staff_tabs import render_document

    path = tmp_path / "verslag.pdf"
    _pdf(path)
    assert not fake_indexer.ingest([path]).failed
    store = fake_indexer.store
    hit = PhraseIndex(store).find("Daarna volgt nog een slotzin")[0]
    pages = page_images(store, hit.source, hit.char_start, hit.char_end)
    assert [p.page for p in pages] == [2] and pages[0].boxes == 1
    html = render_document(hit.title, store.original(hit.source), hit.char_start,
                           hit.char_end, pages)
    assert 'src="data:image/png;base64,' in html and "Pagina 2" in html
    assert '<mark id="vb-passage">Daarna volgt nog een slotzin</mark>' in html  # text too
    text = tmp_path / "notitie.txt"
    text.write_text("Een gewone notitie over de begroting.\n", encoding="utf-8")
    fake_indexer.ingest([text])
    assert page_images(store, str(text.resolve()), 0, 5) is None  # text keeps the text view
