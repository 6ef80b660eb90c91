"""Loaders: every type, the shared corpus, the Handelingen XML, and broken input."""

from __future__ import annotations

import hashlib
import io
import os
import random
import zipfile
from pathlib import Path

import pytest

from ingest.dates import normalise_date, split_date_prefix
from ingest.loaders import SUPPORTED_SUFFIXES, load_document
from ingest.models import LoadError
from ingest.titles import clean_title, first_line_title, markdown_title
from tests.conftest import DATA, LETTER, NEWS, need

pytestmark = pytest.mark.unit

HANDELINGEN = DATA / "handelingen_2018-04-05"


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def _pdf_bytes(pages: list[str], title: str | None = "Testrapport", encrypt=None) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    if title:
        c.setTitle(title)
    for text in pages:
        if text:
            c.drawString(72, 720, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def _load_error(path: Path) -> LoadError:
    with pytest.raises(LoadError) as info:
        load_document(path)
    assert path.name in str(info.value)
    assert info.value.reason and info.value.reason in str(info.value)
    return info.value


# --- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-02", "2021-02"),
        ("2021-02-03T10:00:00Z", "2021-02-03"),
        ("D:20210203101010+01'00'", "2021-02-03"),
        ("Donderdag 5 april 2018", "2018-04-05"),
        ("12 mrt. 2020", "2020-03-12"),
        ("5-4-2018", "2018-04-05"),
        ("2021-13", None),
        ("31 februari 2020", None),
        ("geen datum", None),
        (None, None),
    ],
)
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


def test_split_date_prefix_only_at_start():
    assert split_date_prefix(" date 2021-02-03 Tekst hier") == ("2021-02-03", "Tekst hier")
    assert split_date_prefix("Tekst date 2021-02 hier") == (None, "Tekst date 2021-02 hier")


def test_clean_title_truncates_at_word_boundary():
    long = "Een heel lange titel " * 10
    title = clean_title(long, limit=80)
    assert title is not None and len(title) <= 80 and title.endswith("…")
    assert long.startswith(title[:-1])
    assert title[-2] != " "
    assert clean_title("Geachte heer Rutte,") == "Geachte heer Rutte"
    assert clean_title("  ;: ") is None


def test_title_helpers():
    assert first_line_title("\n\nEen \nnieuw \nbegin\nLaat iedereen vrij") == "Een nieuw begin"
    assert markdown_title("<meta x='1' />\n\n##Grondwet \n\n### Artikel 1\n") == "Grondwet"
    assert markdown_title("geen kop") is None


# --- txt / md ----------------------------------------------------------------------------------


def test_news_item_date_prefix_is_parsed_and_removed():
    path = need(NEWS)
    raw = path.read_bytes()
    doc = load_document(path)
    text = raw.decode("utf-8")
    assert text.startswith(" date 2021-02 ")
    assert doc.date == "2021-02"
    assert doc.original == text[len(" date 2021-02 ") :]
    assert doc.original.startswith("VVD-leider Rutte")
    # the first sentence, whole: a citation never names a document by a cut-off title
    assert doc.title == doc.original[:doc.original.index("uit te vergroten.") + 17]
    assert "…" not in doc.title
    assert doc.type == "txt"
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.source == str(path.resolve())
    assert doc.pages == {}


def test_letter_is_kept_verbatim():
    path = need(LETTER)
    doc = load_document(path, source="corpus/brief.txt")
    assert doc.original == path.read_text(encoding="utf-8")
    assert "‘Omzien naar elkaar, vooruitkijken naar de toekomst’" in doc.original
    assert doc.date is None
    assert doc.title == "Brief aan de heer Rutte"  # from its salutation; no sender in the text
    assert doc.source == "corpus/brief.txt"


def test_txt_keeps_crlf_quotes_and_repairs_mojibake(tmp_path):
    path = _write(tmp_path, "a.txt", "“Ideeën” voor ‘s avonds\r\nDe cafÃ© is één\tplek.  \r\n")
    doc = load_document(path)
    assert doc.original == "“Ideeën” voor ‘s avonds\r\nDe café is één\tplek.  \r\n"


def test_txt_bom_and_cp1252(tmp_path):
    bom = load_document(_write(tmp_path, "bom.txt", "\ufeffHallo wereld".encode()))
    assert bom.original == "Hallo wereld"
    legacy = load_document(_write(tmp_path, "oud.txt", "Café ‘oud’ – één".encode("cp1252")))
    assert legacy.original == "Café ‘oud’ – één"
    wide = load_document(_write(tmp_path, "wide.txt", "Één tekst\n".encode("utf-16")))
    assert wide.original == "Één tekst\n"


def test_markdown_heading_and_front_matter(tmp_path):
    md = "Inleiding zonder kop\n\n# Jaarverslag 2020\n\n## Deel 1\n\nTekst.\n"
    doc = load_document(_write(tmp_path, "verslag.md", md))
    assert (doc.title, doc.type, doc.original) == ("Jaarverslag 2020", "md", md)
    fm = "---\ntitle: Nota ruimte\ndate: 2019-03-01\n---\nDe tekst.\n"
    doc = load_document(_write(tmp_path, "nota.md", fm))
    assert (doc.title, doc.date, doc.original) == ("Nota ruimte", "2019-03-01", "De tekst.\n")


def test_txt_title_falls_back_to_stem(tmp_path):
    doc = load_document(_write(tmp_path, "cijfers.txt", "12 34\n56\n"))
    assert doc.title == "cijfers"


# --- html --------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><title> Nieuws  over de Kieswet </title>
<meta name="DC.date" content="2021-03-04T09:00:00+01:00"><style>p {color: red}</style></head>
<body><nav><a href="/">Home</a></nav><header>Kop van de site</header>
<h1>Kieswet gewijzigd</h1>
<p>De <b>Kieswet</b> is
   gewijzigd.<br>Nieuwe regel.</p>
<div>Een blok<ul><li>punt één</li><li>punt twee</li></ul></div>
<table><tr><th>Jaar</th><th>Zetels</th></tr><tr><td>2021</td><td>150</td></tr></table>
<script>alert("x")</script><footer>Colofon</footer></body></html>"""


def test_html_blocks_title_and_date(tmp_path):
    doc = load_document(_write(tmp_path, "nieuws.html", HTML))
    assert doc.type == "html"
    assert doc.title == "Nieuws over de Kieswet"
    assert doc.date == "2021-03-04"
    assert doc.original == (
        "Kieswet gewijzigd\n\nDe Kieswet is gewijzigd.\nNieuwe regel.\n\nEen blok\n\n"
        "punt één\npunt twee\n\nJaar | Zetels\n2021 | 150"
    )
    for dropped in ("Home", "Kop van de site", "alert", "Colofon", "color"):
        assert dropped not in doc.original


def test_html_h1_title_and_time_date(tmp_path):
    html = "<html><body><h1>Besluit</h1><time datetime='2020-05'>mei</time><p>x</p></body></html>"
    doc = load_document(_write(tmp_path, "b.htm", html))
    assert (doc.title, doc.date, doc.type) == ("Besluit", "2020-05", "html")


# --- pdf ---------------------------------------------------------------------------------------


def test_pdf_pages_map_to_page_text(tmp_path):
    first, second = "Eerste pagina over de Grondwet.", "Tweede pagina: één cliënt."
    doc = load_document(_write(tmp_path, "rapport.pdf", _pdf_bytes([first, second])))
    assert doc.type == "pdf"
    assert doc.title == "Testrapport"
    assert doc.date is not None and len(doc.date) == 10
    assert sorted(doc.pages) == [1, 2]
    (s1, e1), (s2, e2) = doc.pages[1], doc.pages[2]
    assert s1 == 0 and e2 == len(doc.original)
    assert doc.original[e1:s2] == "\n\n"
    assert doc.original[s1:e1].strip() == first
    assert doc.original[s2:e2].strip() == second
    where = doc.original.index("cliënt")
    assert doc.pages_for(where, where + 6) == [2]
    assert doc.pages_for(0, len(doc.original)) == [1, 2]


def test_pdf_without_text_is_rejected(tmp_path):
    error = _load_error(_write(tmp_path, "scan.pdf", _pdf_bytes(["", ""])))
    assert "geen tekst" in error.reason


def test_encrypted_pdf_is_rejected(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = _pdf_bytes(["Geheim"], encrypt=StandardEncryption("wachtwoord", canPrint=0))
    error = _load_error(_write(tmp_path, "geheim.pdf", data))
    assert "PDF" in error.reason


@pytest.mark.parametrize(
    "data",
    [
        random.Random(1).randbytes(4000),
        b"%PDF-1.4\n" + bytes(range(256)) * 8,
        _pdf_bytes(["Afgebroken document"])[:400],
    ],
    ids=["random", "header-then-junk", "truncated"],
)
def test_corrupt_pdf_is_rejected(tmp_path, data):
    error = _load_error(_write(tmp_path, "kapot.pdf", data))
    assert error.reason.startswith("PDF")


# --- docx --------------------------------------------------------------------------------------


def test_docx_paragraphs_tables_and_heading_title(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Beleidsnotitie wonen", level=1)
    document.add_paragraph("Eerste alinea over één cliënt.")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("Jaar", "Woningen"), ("2021", "1200")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Slot.")
    path = tmp_path / "notitie.docx"
    document.save(path)
    doc = load_document(path)
    assert doc.type == "docx"
    assert doc.title == "Beleidsnotitie wonen"
    assert doc.original == (
        "Beleidsnotitie wonen\n\nEerste alinea over één cliënt.\n\n"
        "Jaar | Woningen\n2021 | 1200\n\nSlot."
    )
    document.core_properties.title = "Officiële titel"
    document.save(path)
    assert load_document(path).title == "Officiële titel"


def test_corrupt_docx_is_rejected(tmp_path):
    error = _load_error(_write(tmp_path, "kapot.docx", random.Random(2).randbytes(3000)))
    assert "DOCX" in error.reason
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hallo.txt", "geen Word-document")
    error = _load_error(_write(tmp_path, "zip.docx", buf.getvalue()))
    assert "DOCX" in error.reason


# --- xml -----------------------------------------------------------------------------------------


def test_handelingen_xml_mojibake_repaired():
    doc = load_document(need(HANDELINGEN / "h-tk-20172018-70-6.xml"))
    assert doc.type == "xml"
    assert doc.title == "Stemmingen moties Informele Milieuraad d.d. 10-11 april 2018"
    assert "Ã" not in doc.original and "ï»¿" not in doc.original
    assert "de motie-Kröger over één emissie-eis" in doc.original
    assert (
        "\n- de motie-Wassenberg over een reductie van het aantal gehouden dieren "
        "(21501-08, nr. 719);\n" in doc.original
    )
    assert "\n\nDe voorzitter:\n\n" in doc.original
    assert "  " not in doc.original


def test_handelingen_xml_speaker_and_date():
    doc = load_document(need(HANDELINGEN / "h-tk-20172018-70-4.xml"))
    assert "cliëntondersteuner" in doc.original
    assert "Mevrouw Bergkamp (D66):" in doc.original
    first = load_document(need(HANDELINGEN / "h-tk-20172018-70-1.xml"))
    assert first.date == "2018-04-05"
    assert first.title == "Handelingen II 2017/18, nr. 70, item 1"  # no item-titel: the reference
    assert first.original.startswith("70e vergadering\nDonderdag 5 april 2018\nAanvang 10:15 uur")


def test_all_handelingen_load_without_mojibake():
    files = sorted(need(HANDELINGEN).glob("*.xml"))
    assert len(files) == 14
    for path in files:
        doc = load_document(path)
        assert doc.original and "Ã" not in doc.original and "Â" not in doc.original


def test_synthetic_mojibake_xml_and_generic_xml(tmp_path):
    xml = (
        'ï»¿\n<?xml version="1.0" encoding="utf-8"?>\n<officiele-publicatie><handelingen>'
        "<agendapunt><item-titel>\n  Ã©Ã©n titel\n </item-titel><al>CO<sup>2</sup>-uitstoot "
        "(<extref>nr. 5</extref>).</al></agendapunt></handelingen></officiele-publicatie>"
    )
    doc = load_document(_write(tmp_path, "h.xml", xml))
    assert doc.title == "één titel"
    assert doc.original == "één titel\n\nCO2-uitstoot (nr. 5)."
    generic = "<?xml version='1.0'?><boek><titel>Boek</titel><deel>Deel <b>een</b></deel></boek>"
    doc = load_document(_write(tmp_path, "boek.xml", generic))
    assert doc.original == "Boek\nDeel\neen"
    assert doc.title == "Boek"


# --- broken input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("leeg.txt", b"", "leeg"),
        ("wit.md", b"  \n\t \r\n", "leeg"),
        ("bom.txt", "\ufeff \n".encode(), "leeg"),
        ("junk.txt", random.Random(3).randbytes(2000) + b"\x00", "binair"),
        ("controls.txt", bytes(range(1, 32)) * 20, "binair"),
        ("codering.txt", b"Tekst \x81\x8d\x90\x9d met kapotte bytes", "UTF-8"),
        ("leeg.html", b"<html><body><script>x()</script></body></html>", "geen tekst"),
        ("leeg.pdf", b"", "leeg"),
    ],
)
def test_bad_input_raises_load_error(tmp_path, name, data, reason):
    error = _load_error(_write(tmp_path, name, data))
    assert reason in error.reason


def test_unsupported_missing_and_unreadable(tmp_path):
    assert ".csv" not in SUPPORTED_SUFFIXES and ".docx" in SUPPORTED_SUFFIXES
    assert "ondersteund" in _load_error(_write(tmp_path, "tabel.csv", "a,b\n1,2\n")).reason
    assert "bestaat niet" in _load_error(tmp_path / "weg.txt").reason
    (tmp_path / "map.txt").mkdir()
    assert "gelezen" in _load_error(tmp_path / "map.txt").reason
    locked = _write(tmp_path, "slot.txt", "geheim")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running with privileges that ignore file permissions")
        assert "gelezen" in _load_error(locked).reason
    finally:
        locked.chmod(0o644)


def test_titles_citeertitel_broken_pdf_covers_and_sidecar(tmp_path):
    from ingest.loaders import load_document
    from ingest.models import LoadError
    from ingest.titles import looks_broken

    law = tmp_path / "paspoortwet_BWBR0005212.md"
    law.write_text("Rijkswet van 26 september 1991, houdende het stellen van regelen\n\n"
                   "### Artikel 1\n\nTekst.\n\nDeze rijkswet wordt aangehaald als: Paspoortwet.\n",
                   encoding="utf-8")
    assert load_document(law).title == "Paspoortwet"
    prog = tmp_path / "GroenLinks_2021.txt"
    prog.write_text("VERKIEZINGS- PROGRAMMA GROENLINKS 20212 3\n\nWij willen groen.\n",
                    encoding="utf-8")
    assert load_document(prog).title == "Verkiezingsprogramma GroenLinks 2021"
    assert not looks_broken("Wet op de inlichtingen- en veiligheidsdiensten")
    before = load_document(prog).sha256
    (tmp_path / "GroenLinks_2021.meta.json").write_text(
        '{"title": "GroenLinks: Recht door zee", "date": "2020-11"}', encoding="utf-8")
    doc = load_document(prog)
    assert (doc.title, doc.date) == ("GroenLinks: Recht door zee", "2020-11")
    assert doc.sha256 != before  # editing the sidecar re-indexes the document
    (tmp_path / "GroenLinks_2021.meta.json").write_text('{"date": "november"}', encoding="utf-8")
    with pytest.raises(LoadError, match="GroenLinks_2021.meta.json"):
        load_document(prog)
