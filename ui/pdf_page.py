"""The PDF page itself, with the cited span highlighted from the characters' boxes.

The stored original of a PDF is its text layer (pypdf) with page ranges; the page image is
rendered by PDFium (pypdfium2), whose own text layer gives every character's box. The cited
span's part on each page is found in PDFium's page text by its non-space characters (the two
extractions differ in line breaks and spacing, not in the characters), and the boxes of those
characters, joined per line, are painted over the page. A span across a line, a column or a
page break is highlighted in every piece: a page break gives two pages, each with its part.

Only a file that is still the indexed version (same sha256) is rendered; otherwise the caller
keeps the text view.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

SCALE = 1.5  # 108 dpi: readable in the viewer, ~150-300 KB per page as PNG
HIGHLIGHT = (255, 214, 0, 110)


@dataclass(frozen=True)
class PageImage:
    page: int  # 1-based
    png: bytes
    boxes: int  # highlighted boxes drawn (0: the part was not found on the page)

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def _squeeze(text: str) -> tuple[str, list[int]]:
    """The non-space characters of `text` and the index of each in `text`."""
    keep = [(c, i) for i, c in enumerate(text) if not c.isspace()]
    return "".join(c for c, _ in keep), [i for _, i in keep]


def _rects(textpage, first: int, last: int) -> list[tuple[float, float, float, float]]:
    """Character boxes first..last (PDFium indices) joined into one rectangle per line."""
    lines: list[list[float]] = []
    for i in range(first, last + 1):
        left, bottom, right, top = textpage.get_charbox(i)
        if right <= left or top <= bottom:
            continue
        if (lines and max(lines[-1][1], bottom) < min(lines[-1][3], top)  # same line: the
                and left >= lines[-1][0]):  # boxes overlap vertically and it goes on rightwards
            line = lines[-1]
            line[0], line[1] = min(line[0], left), min(line[1], bottom)
            line[2], line[3] = max(line[2], right), max(line[3], top)
        else:
            lines.append([left, bottom, right, top])
    return [tuple(x) for x in lines]


def page_parts(pages: dict[int, tuple[int, int]], start: int, end: int) -> list[tuple[int, int,
                                                                                      int]]:
    """(page, start, end) of the span `[start, end)` on each page it touches."""
    out = []
    for p, (s, e) in sorted(pages.items()):
        a, b = max(s, start), min(e, end)
        if a < b:
            out.append((p, a, b))
    return out


def render_span(path: Path, sha256: str, original: str, pages: dict[int, tuple[int, int]],
                start: int, end: int) -> list[PageImage] | None:
    """The pages holding `original[start:end]` of the PDF at `path`, each highlighted; None
    when the file is gone, changed since it was indexed, or not a readable PDF."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != sha256 or not pages:
        return None
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    out = []
    try:
        for page_no, a, b in page_parts(pages, start, end):
            if not 1 <= page_no <= len(pdf):
                continue
            page = pdf[page_no - 1]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            want, _ = _squeeze(original[a:b])
            have, index = _squeeze(text)
            rects = []
            at = have.find(want) if want else -1
            if at >= 0:
                rects = _rects(textpage, index[at], index[at + len(want) - 1])
            image = page.render(scale=SCALE).to_pil().convert("RGBA")
            overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(overlay)
            height = page.get_height()
            for left, bottom, right, top in rects:
                draw.rectangle([left * SCALE - 1, (height - top) * SCALE - 1,
                                right * SCALE + 1, (height - bottom) * SCALE + 1],
                               fill=HIGHLIGHT)
            buf = io.BytesIO()
            Image.alpha_composite(image, overlay).convert("RGB").save(buf, format="PNG",
                                                                       optimize=True)
            out.append(PageImage(page_no, buf.getvalue(), len(rects)))
    finally:
        pdf.close()
    return out


def page_images(catalog, source: str, start: int, end: int,
                max_pages: int = 3) -> list[PageImage] | None:
    """The PDF pages holding `[start, end)` of `source` in `catalog` (a `ChromaStore`),
    highlighted; None for other documents or a file changed since it was indexed."""
    rec = catalog.document(source)
    if rec is None or rec.type != "pdf" or not rec.pages:
        return None
    original = catalog.original(source)
    parts = page_parts(rec.pages, start, end)[:max_pages]
    if original is None or not parts:
        return None
    return render_span(Path(source), rec.sha256, original, rec.pages, parts[0][1],
                       parts[-1][2])
