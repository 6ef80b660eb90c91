"""Turn one file (txt, md, html, pdf, docx, xml) into a `Document`, or raise `LoadError`.

`Document.original` is fixed here; nothing downstream may change it (chunk offsets point
into it). Mojibake is repaired with a conservative ftfy configuration (`FTFY_CONFIG`).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import ftfy
from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from ingest.dates import normalise_date, split_date_prefix
from ingest.hashing import file_sha256
from ingest.models import Document, LoadError
from ingest.naming import document_name
from ingest.structure import identifier_of
from ingest.titles import (
    choose_title,
    clean_title,
    looks_broken,
    markdown_title,
    split_front_matter,
    stem_title,
)

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".xml"}
)
MAX_FILE_MB = 25.0  # default cap on a file's size (VRAAGBAAK_MAX_FILE_MB)
MAX_UNZIPPED_MB = 200.0  # a DOCX may unpack to at most this much ...
MAX_ZIP_RATIO = 100.0  # ... and at most this many times its own size (zip bombs)

# Repair encoding errors only: keep quotes, line breaks, ligatures, widths, controls and
# Unicode normalisation exactly as they are (offsets into `original` must stay honest).
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

_SKIP_NODES = (Comment, Declaration, Doctype, ProcessingInstruction)
_GLUE = "\x00"  # marks "no space here" between XML tokens (before <sup>/<inf>)


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


class _Reject(Exception):
    """Internal: the file cannot be loaded; the message is the reason."""


class _Parsed(NamedTuple):
    original: str
    title: str | None = None
    date: str | None = None
    pages: dict[int, tuple[int, int]] = {}
    identifier: str | None = None


def load_document(path: Path, source: str | None = None,
                  max_mb: float = MAX_FILE_MB) -> Document:
    """Load `path` into a `Document`; `source` defaults to the resolved path. Files over
    `max_mb`, and anything that cannot be parsed within bounds, raise `LoadError`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(str(path), f"bestandstype '{suffix or '(geen)'}' wordt niet ondersteund")
    try:
        size = path.stat().st_size
        if size > max_mb * 1e6:
            raise LoadError(str(path), f"bestand is te groot ({size / 1e6:.1f} MB; de grens is "
                            f"{max_mb:g} MB, instelling VRAAGBAAK_MAX_FILE_MB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(str(path), "bestand bestaat niet") from None
    except OSError as exc:
        reason = f"bestand kan niet gelezen worden: {exc.strerror or exc}"
        raise LoadError(str(path), reason) from exc
    kind = "html" if suffix == ".htm" else suffix[1:]
    try:
        if not data.strip():
            raise _Reject("bestand is leeg")
        parsed = _LOADERS[kind](data, path.stem)
    except _Reject as exc:
        raise LoadError(str(path), str(exc)) from None
    except RecursionError:  # thousands of nested elements
        raise LoadError(str(path), "de opmaak is te diep genest om te lezen") from None
    meta, meta_bytes = read_sidecar(path)
    title = choose_title(parsed.title, text=parsed.original, stem=path.stem)
    if looks_broken(title):
        title = stem_title(path.stem) or title
    identifier = parsed.identifier or (identifier_of(path.name) if kind == "xml" else None)
    title = document_name(title, parsed.original, path.stem, identifier, meta, path.parent.name)
    return Document(
        source=source if source is not None else str(path.resolve()),
        title=title,
        original=parsed.original,
        type=kind,
        sha256=hashlib.sha256(data + meta_bytes).hexdigest(),
        date=meta.get("date") or parsed.date,
        pages=dict(parsed.pages),
        identifier=identifier,
    )


def sidecar_path(path: Path) -> Path | None:
    """A document's metadata file, if any: `name.txt.meta.json` or else `name.meta.json`."""
    for meta_path in (path.with_name(path.name + ".meta.json"),
                      path.with_name(path.stem + ".meta.json")):
        if meta_path.is_file():
            return meta_path
    return None


def document_sha256(path: Path) -> str:
    """The hash a document is indexed under: its file's bytes, then its sidecar's, so editing
    either re-indexes it (without a sidecar: the file's sha256, as before sidecars existed)."""
    meta_path = sidecar_path(path)
    return file_sha256(path, *([meta_path] if meta_path else []))


def read_sidecar(path: Path) -> tuple[dict[str, str], bytes]:
    """The sidecar's `title`, `date`, `afzender` and `geadresseerde` (also `sender`,
    `addressee`; other keys are ignored) and its bytes (hashed with the document, see
    `document_sha256`). A bad sidecar is an error naming the file."""
    meta_path = sidecar_path(path)
    if meta_path is None:
        return {}, b""
    raw = meta_path.read_bytes()
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        reason = f"metadatabestand {meta_path.name} is geen geldige JSON: {exc}"
        raise LoadError(str(meta_path), reason) from None
    if not isinstance(meta, dict):
        raise LoadError(str(meta_path), f"metadatabestand {meta_path.name} moet een "
                        "JSON-object zijn")
    out = {}
    if isinstance(meta.get("title"), str) and clean_title(meta["title"]):
        out["title"] = clean_title(meta["title"])
    for key, alias in (("afzender", "sender"), ("geadresseerde", "addressee")):
        value = meta.get(key, meta.get(alias))
        if isinstance(value, str) and clean_title(value):
            out[key] = clean_title(value)
    if meta.get("date") is not None:
        date = str(meta["date"]).strip()
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
            raise LoadError(str(meta_path), f"metadatabestand {meta_path.name}: datum {date!r} "
                            "is niet JJJJ, JJJJ-MM of JJJJ-MM-DD")
        out["date"] = date
    return out, raw


# --- text decoding -------------------------------------------------------------------------


def _looks_like_text(text: str, min_ascii: float = 0.0) -> bool:
    """At most 5% control/unassigned characters (and at least `min_ascii` ASCII)."""
    sample = text[:200_000]
    if not sample:
        return True
    bad = sum(
        1
        for ch in sample
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\t\n\r\f\v"
    )
    ascii_share = sum(1 for ch in sample if ch < "\x80") / len(sample)
    return bad / len(sample) <= 0.05 and ascii_share >= min_ascii


def _decode(data: bytes) -> str:
    """Bytes -> text: UTF-8 (BOM allowed), UTF-16 with BOM, else cp1252 if that reads as
    text; binary data is rejected. Mojibake is repaired with `FTFY_CONFIG`."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _Reject("geen geldige UTF-16-tekst") from None
    elif b"\x00" in data:
        raise _Reject("binair bestand (bevat NUL-bytes), geen tekst")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = ""
            if not text or not _looks_like_text(text, min_ascii=0.5):
                raise _Reject("geen geldige UTF-8-tekst (en ook geen cp1252-tekst)") from None
    if not _looks_like_text(text):
        raise _Reject("binair bestand: geen leesbare tekst")
    if not text.strip():
        raise _Reject("bestand is leeg (alleen witruimte)")
    return ftfy.fix_text(text, FTFY_CONFIG)


# --- txt / md ------------------------------------------------------------------------------


def _load_txt(data: bytes, stem: str) -> _Parsed:
    date, text = split_date_prefix(_decode(data))
    return _Parsed(text, None, date)


def _load_md(data: bytes, stem: str) -> _Parsed:
    date, text = split_date_prefix(_decode(data))
    fields, rest = split_front_matter(text)
    if fields and rest.strip():
        text = rest
        date = normalise_date(fields.get("date")) or date
    return _Parsed(text, fields.get("title") or markdown_title(text), date)


# --- markup (HTML, XML) -> text --------------------------------------------------------------


def _walk(node: Tag, level: Callable[[Tag], int], glue: frozenset[str], out: list) -> None:
    """Flatten `node` into text pieces and break levels (1 = new line, 2 = blank line)."""
    for child in node.children:
        if isinstance(child, Tag):
            name = child.name.lower()
            brk = level(child)
            if brk < 0:
                continue
            if name in ("td", "th") and child.find_previous_sibling(("td", "th")):
                out.append(" | ")
            if name in glue:
                out.append(_GLUE)
            out.extend([brk] if brk else [])
            _walk(child, level, glue, out)
            out.extend([brk] if brk else [])
        elif not isinstance(child, _SKIP_NODES):
            out.append(str(child))


def _assemble(pieces: list, join: Callable[[list[str]], str]) -> str:
    """Join text runs with `join`; break levels become "\\n" or "\\n\\n" between lines."""
    out: list[str] = []
    run: list[str] = []
    pending = 0
    for piece in [*pieces, 1]:
        if isinstance(piece, str):
            run.append(piece)
            continue
        line = join(run)
        run.clear()
        if line:
            if out:
                out.append("\n" * max(pending, 1))
            out.append(line)
            pending = 0
        pending = max(pending, piece)
    return "".join(out)


def _join_html(run: list[str]) -> str:
    return " ".join("".join(run).split())


def _join_tokens(run: list[str]) -> str:
    """Pretty-printed XML: tokens joined by one space, none before `,.:;)!?`, after `(`,
    before a glued `<sup>`, or before `-word` (continuation after an inline element)."""
    out = ""
    glued = False
    for raw in run:
        if raw == _GLUE:
            glued = True
            continue
        token = " ".join(raw.split())
        if not token:
            continue
        tight = token[0] in ",.:;)!?" or (token[0] == "-" and token[1:2].isalnum())
        if out and not (glued or tight or out.endswith("(")):
            out += " "
        out += token
        glued = False
    return out


def _text(tag: Tag | None) -> str | None:
    return " ".join(tag.get_text(" ").split()) if tag is not None else None


# --- html ------------------------------------------------------------------------------------

_HTML_DROP = _names("script style nav header footer noscript template")
_HTML_LINE = _names("br li tr dt dd caption")
_HTML_PARA = _names(
    "p h1 h2 h3 h4 h5 h6 div ul ol dl table pre blockquote section article main aside figure"
    " form address hr"
)
_HTML_DATE_META = ("date", "dc.date", "dcterms.created", "dcterms.date", "article:published_time")


def _html_level(tag: Tag) -> int:
    name = tag.name.lower()
    if name in _HTML_DROP or name == "head":
        return -1
    return 2 if name in _HTML_PARA else 1 if name in _HTML_LINE else 0


def _html_date(soup: BeautifulSoup) -> str | None:
    for meta in soup.find_all("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        if key in _HTML_DATE_META and (value := normalise_date(meta.get("content"))):
            return value
    time = soup.find("time", attrs={"datetime": True})
    return normalise_date(time.get("datetime")) if time else None


def _load_html(data: bytes, stem: str) -> _Parsed:
    soup = BeautifulSoup(_decode(data), "lxml")
    title = _text(soup.title) or _text(soup.find("h1"))
    pieces: list = []
    _walk(soup.body or soup, _html_level, frozenset(), pieces)
    text = _assemble(pieces, _join_html)
    if not text:
        raise _Reject("HTML bevat geen tekst")
    return _Parsed(text, title, _html_date(soup))


# --- xml (officielebekendmakingen) -----------------------------------------------------------

_OP_INLINE = _names(
    "nadruk extref intref politiek naam voorvoegsels achternaam voornaam initialen functie"
    " sup inf li.nr unl"
)
_OP_LINE = _names(
    "nr spreker vergadering-nummer vergaderdatum vergadertijd li titel kop motie-info"
)
_OP_GLUE = frozenset({"sup", "inf"})


def _op_level(tag: Tag) -> int:
    name = tag.name
    if name == "metadata":
        return -1
    if name in _OP_INLINE or (name == "al" and tag.parent is not None and tag.parent.name == "li"):
        return 0
    return 1 if name in _OP_LINE else 2


def _load_xml(data: bytes, stem: str) -> _Parsed:
    text = _decode(data)  # ftfy repairs the double-encoded UTF-8 before parsing
    start = text.find("<?xml")
    text = text[start if start >= 0 else max(text.find("<"), 0) :]
    soup = BeautifulSoup(text, "lxml-xml")
    root = soup.find(True)
    if root is None:
        raise _Reject("XML bevat geen elementen")
    pieces: list = []
    schema = root.name == "officiele-publicatie" or soup.find("al") is not None
    if schema:
        _walk(soup, _op_level, _OP_GLUE, pieces)
        title = _text(soup.find("item-titel")) or f"Handelingen {stem}"
        date = normalise_date(_text(soup.find("vergaderdatum")))
    else:
        _walk(soup, lambda tag: 1, frozenset(), pieces)
        title, date = _text(soup.find(("title", "titel", "kop", "heading"))), None
    original = _assemble(pieces, _join_tokens)
    if not original:
        raise _Reject("XML bevat geen tekst")
    ident = next((i for m in soup.find_all("meta")
                  if (i := identifier_of(m.get("content") or ""))), None)
    return _Parsed(original, title, date, identifier=ident)


# --- pdf -------------------------------------------------------------------------------------


_PLACEHOLDER_TITLES = frozenset({"", "untitled", "naamloos", "document", "(anonymous)"})


def _load_pdf(data: bytes, stem: str) -> _Parsed:
    """Page texts joined by "\\n\\n"; `pages` holds each page's [start, end) in `original`."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # AES without the optional crypto package, bad keys, ...
                opened = False
            if not opened:
                raise _Reject("PDF is versleuteld (wachtwoord nodig); sla hem onversleuteld op")
        texts = [ftfy.fix_text(page.extract_text() or "", FTFY_CONFIG) for page in reader.pages]
        meta = reader.metadata or {}
        title = str(meta.get("/Title") or "").strip()
        title = None if title.lower() in _PLACEHOLDER_TITLES else title
        date = normalise_date(str(meta.get("/CreationDate") or ""))
    except _Reject:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise _Reject(f"PDF kan niet gelezen worden: {exc or type(exc).__name__}") from exc
    if not any(t.strip() for t in texts):
        raise _Reject("PDF heeft geen tekstlaag (gescand of alleen afbeeldingen); maak er eerst "
                      "tekst van met OCR")
    pages: dict[int, tuple[int, int]] = {}
    pos = 0
    for number, page_text in enumerate(texts, start=1):
        pages[number] = (pos, pos + len(page_text))
        pos += len(page_text) + 2
    return _Parsed("\n\n".join(texts), title, date, pages)


# --- docx ------------------------------------------------------------------------------------

_DOCX_HEADING = ("heading", "title", "kop", "titel")


def _load_docx(data: bytes, stem: str) -> _Parsed:
    """Paragraphs and tables (a row per line, cells split by " | ") joined by "\\n\\n"."""
    import docx
    from docx.table import Table

    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        heading = None
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                rows = []
                for row in item.rows:
                    cells = list(dict.fromkeys(row.cells))  # merged cells repeat
                    rows.append(" | ".join(" ".join(c.text.split()) for c in cells))
                blocks.append("\n".join(r for r in rows if r.strip(" |")))
                continue
            style = (item.style.name if item.style is not None else "") or ""
            if heading is None and item.text.strip() and style.lower().startswith(_DOCX_HEADING):
                heading = item.text
            blocks.append(item.text)
        title = clean_title(document.core_properties.title) or heading
    except Exception as exc:  # zipfile, lxml and python-docx errors on damaged files
        raise _Reject(f"DOCX kan niet gelezen worden: {exc or type(exc).__name__}") from exc
    text = ftfy.fix_text("\n\n".join(b for b in blocks if b.strip()), FTFY_CONFIG)
    if not text:
        raise _Reject("DOCX bevat geen tekst")
    return _Parsed(text, title)


def _check_zip(data: bytes) -> None:
    """Refuse a zip (DOCX) that would unpack beyond the caps, before anything unpacks it."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _Reject(f"DOCX kan niet gelezen worden: geen geldig zip-bestand ({exc})") from exc
    if unpacked > MAX_UNZIPPED_MB * 1e6 or unpacked > MAX_ZIP_RATIO * max(len(data), 1):
        raise _Reject(f"DOCX pakt uit tot {unpacked / 1e6:.0f} MB (van {len(data) / 1e3:.0f} "
                      "KB): geweigerd als mogelijke zip-bom")


_LOADERS: dict[str, Callable[[bytes, str], _Parsed]] = {
    "txt": _load_txt,
    "md": _load_md,
    "html": _load_html,
    "xml": _load_xml,
    "pdf": _load_pdf,
    "docx": _load_docx,
}
