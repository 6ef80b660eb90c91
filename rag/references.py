"""Official references for citations: how a civil servant cites the passage.

    artikel 2, tweede lid, Grondwet
    Handelingen II 2017/18, nr. 70, item 10, spreker: de heer Koerhuis (VVD)
    Kamerstukken II 2020/21, 35 570, nr. 3, p. 4

`reference(source, char_start, page)` reads the document's record (title, publication
identifier) and original once per document version and answers None for documents without
such a structure (their citations keep the title, date and page form).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from ingest.structure import identifier_of, is_law, law_place, publication, speaker_at
from vectorstore.records import DocumentRecord

VERSION_CHARS = 12  # a document version as citations name it: its sha256, shortened


def short_version(sha256: str) -> str | None:
    """A document version as citations, phrase hits and the CLI name it."""
    return sha256[:VERSION_CHARS] or None

_PAREN_NAME = re.compile(r"\(([^()]{3,80})\)\s*$")


def law_name(title: str) -> str:
    """The name a law is cited by: its citeertitel (already the title when the text gives
    one), the name in parentheses of a "Wet van ..., houdende ... (Naam)" title, or
    "Grondwet"."""
    title = " ".join(title.split())
    if m := _PAREN_NAME.search(title):
        return m.group(1).strip()
    if title.startswith("Grondwet"):
        return "Grondwet"
    return title


def _speaker(text: str) -> str:
    """"De heer Koerhuis (VVD)" -> "de heer Koerhuis (VVD)" (inside a sentence)."""
    first = text.split(" ", 1)[0]
    return (first.lower() + text[len(first):]) if first in ("De", "Mevrouw") else text


class References:
    """Official references for passages of the indexed documents."""

    def __init__(self, record: Callable[[str], DocumentRecord | None],
                 original: Callable[[str], str | None]) -> None:
        self._record = record
        self._original = original
        self._cache: dict[tuple[str, str], tuple[DocumentRecord, str]] = {}
        self._lock = threading.Lock()

    def _document(self, source: str) -> tuple[DocumentRecord, str] | None:
        rec = self._record(source)
        if rec is None:
            return None
        key = (source, rec.sha256)
        with self._lock:
            if key not in self._cache:
                text = self._original(source)
                if text is None:
                    return None
                self._cache = {k: v for k, v in self._cache.items() if k[0] != source}
                self._cache[key] = (rec, text)
            return self._cache[key]

    def version(self, source: str) -> str | None:
        """The short content hash (12 hex digits) of the indexed version of `source`."""
        rec = self._record(source)
        return short_version(rec.sha256) if rec is not None else None

    def reference(self, source: str, char_start: int, page: int | None = None) -> str | None:
        doc = self._document(source)
        if doc is None:
            return None
        rec, text = doc
        return official_reference(rec.title, rec.identifier or fallback_identifier(source),
                                  text, char_start, page)


def fallback_identifier(source: str) -> str | None:
    """For records written before identifiers were kept: an officielebekendmakingen file's
    name is its identifier (h-tk-20172018-70-10.xml)."""
    return identifier_of(source.rsplit("/", 1)[-1]) if source.endswith(".xml") else None


def official_reference(title: str, identifier: str | None, original: str, char_start: int,
                       page: int | None = None) -> str | None:
    """The official reference of the passage at `char_start` of a document; None when the
    document is neither a publication with an identifier nor a law with articles."""
    pub = publication(identifier, original)
    if pub is not None:
        who = speaker_at(original, char_start) if pub.kind == "handelingen" else None
        ref = pub.cite(page=page)
        return f"{ref}, spreker: {_speaker(who)}" if who else ref
    if is_law(original):
        place = law_place(original, char_start)
        return place.cite(law_name(title)) if place else None
    return None
