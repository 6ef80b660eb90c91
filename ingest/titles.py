"""Title helpers for the loaders: cleaning, Markdown headings, front matter, first-line fallback."""

from __future__ import annotations

import re

MAX_TITLE = 200  # a title is never cut in a citation; the UI may shorten its display

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?!#)[ \t]*(\S.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
_FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)
_MARKUP_LINE = re.compile(r"^\s*(<[^>]*>\s*)+$")  # a line that is only HTML tags
_HAS_WORD = re.compile(r"\w")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\u00C0-\u00DD\"'‘“])")


def clean_title(value: str | None, limit: int = MAX_TITLE) -> str | None:
    """Collapse whitespace, drop trailing `,;:`, cut at a word boundary to <= `limit` chars
    (adding "…"); None when nothing with a letter or digit is left."""
    if not value:
        return None
    text = " ".join(value.split()).strip(" *_").rstrip(",;:").strip()
    if not _HAS_WORD.search(text):
        return None
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–") + "…"


def first_line_title(text: str, min_words: int = 3, max_lines: int = 4) -> str | None:
    """Title from the first text line with a letter; a short opening line (PDF-extracted
    cover pages: "Een" / "nieuw" / "begin") is joined with the next lines until it has
    `min_words` words (at most `max_lines` lines, never across a blank line)."""
    parts: list[str] = []
    for line in text.splitlines():
        if not line.strip() or _MARKUP_LINE.match(line) or not _HAS_LETTER.search(line):
            if parts:
                break
            continue
        parts.append(line.strip())
        if len(" ".join(parts).split()) >= min_words or len(parts) >= max_lines:
            break
    text = " ".join(parts)
    if len(text) > 120 and (end := _SENTENCE_END.search(text, 20)):
        text = text[: end.start() + 1]  # a news item's first line: its first sentence
    return clean_title(text)


def markdown_title(text: str) -> str | None:
    """Text of the first ATX heading of the highest level present (`# T`, also `##T`)."""
    headings = [(len(m.group(1)), m.group(2)) for m in _HEADING.finditer(text)]
    if not headings:
        return None
    top = min(level for level, _ in headings)
    return clean_title(next(title for level, title in headings if level == top))


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return `(fields, rest)` for a leading YAML front matter block (`---` ... `---`); only
    simple `key: value` lines are read. Without front matter: `({}, text)`."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, text[match.end() :]


def choose_title(*candidates: str | None, text: str = "", stem: str = "") -> str:
    """First usable candidate, else the first line of `text`, else the file stem."""
    for candidate in candidates:
        if title := clean_title(candidate):
            return title
    return first_line_title(text) or stem


_CITEERTITEL = re.compile(
    r"Deze (?:rijks)?wet (?:kan )?(?:wordt |worden )?aangehaald als:?[ \t]*"
    r"[„“\"']?([^\n.„“\"']{3,80})", re.IGNORECASE)
_BROKEN = re.compile(r"\w- (?!en\b|of\b|tot\b)\w|\d{4}[^\W\d_]|\b(?:19|20)\d\d\d{1,3}\b"
                     r"|[^\W\d_]{3}\d|^\d+[^\W\d_]|"
                     r"\binhoudsopgave\b|\s[.,;:]$", re.IGNORECASE)
_HASHY_STEM = re.compile(r"^\d*_?[0-9a-f]{12,}$")


def cites_title(sentence: str) -> bool:
    """Whether a sentence only gives its law's short title ("Deze wet kan worden aangehaald
    als ..."): an answer to what the law is called, to nothing else."""
    return bool(_CITEERTITEL.search(sentence))


def citeertitel(text: str) -> str | None:
    """A law's official short title where its text gives one ("Deze wet wordt aangehaald als:
    Paspoortwet.")."""
    m = _CITEERTITEL.search(text)
    return clean_title(m.group(1)) if m else None


def looks_broken(title: str | None) -> bool:
    """A title assembled from a PDF cover ("VERKIEZINGS- PROGRAMMA GROENLINKS 20212 3"): a word
    hyphenated across a line, a page number glued to a year or a word, a table of contents."""
    return bool(title) and bool(_BROKEN.search(title))


def stem_title(stem: str) -> str | None:
    """A readable title from a file name ("GroenLinks_2021" -> "GroenLinks 2021"); None for
    names that are only a number or a hash."""
    if _HASHY_STEM.match(stem.lower()):
        return None
    return clean_title(stem.replace("_", " "))
