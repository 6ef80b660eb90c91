"""Official references for citations: how a civil servant cites the passage.

    artikel 2, tweede lid, Grondwet
    Handelingen II 2017/18, nr. 70, item 10, spreker: de heer Koerhuis (VVD)
    Kamerstukken II 2020/21, 35 570, nr. 3, p. 4

`reference(source, char_start, page)` reads the document's record (title, publication
identifier) and original once per document version and answers None for documents without
such a structure (their citations keep the title, date and page form).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from ingest.naming import law_title
from ingest.outline import Outline
from ingest.structure import identifier_of
from rag.types import Citation
from vectorstore.records import DocumentRecord

VERSION_CHARS = 12  # a document version as citations name it: its sha256, shortened
MAX_ORIGINALS = 32  # originals `References.reference` keeps (a big index has thousands)


def short_version(sha256: str) -> str | None:
    """A document version as citations, phrase hits and the CLI name it."""
    return sha256[:VERSION_CHARS] or None


def law_name(title: str) -> str:
    """The name a law is cited by, from its stored title: the ingest's naming rules
    (ingest/naming.py `law_title`) already made it the citeertitel or short name; a title
    stored before them ("Wet van ..., houdende ... (Naam)", "Grondwet voor het Koninkrijk
    ...") gets the same rules here."""
    return law_title(title, "", "")


def _speaker(text: str) -> str:
    """"De heer Koerhuis (VVD)" -> "de heer Koerhuis (VVD)" (inside a sentence)."""
    first = text.split(" ", 1)[0]
    return (first.lower() + text[len(first):]) if first in ("De", "Mevrouw") else text


class References:
    """Official references for passages of the indexed documents."""

    def __init__(self, record: Callable[[str], DocumentRecord | None],
                 original: Callable[[str], str | None],
                 read: Callable[[list[str]], dict[str, tuple[DocumentRecord, str]]]) -> None:
        self._record = record
        self._original = original
        self._read = read  # records and originals of several documents in one request
        self._texts: dict[tuple[str, str], str] = {}  # (source, sha256) -> original
        self._lock = threading.Lock()

    def _text(self, rec: DocumentRecord) -> str | None:
        """The original of this version of the document, read once."""
        key = (rec.source, rec.sha256)
        with self._lock:
            if key not in self._texts:
                text = self._original(rec.source)
                if text is None:
                    return None
                self._texts = {k: v for k, v in self._texts.items() if k[0] != rec.source}
                self._texts[key] = text
                while len(self._texts) > MAX_ORIGINALS:  # the oldest first
                    del self._texts[next(iter(self._texts))]
            return self._texts[key]

    def reference(self, source: str, char_start: int, page: int | None = None) -> str | None:
        rec = self._record(source)
        text = self._text(rec) if rec is not None else None
        return _record_reference(rec, text, char_start, page) if text is not None else None

    def check_all(self, citations: list[Citation]) -> list[Citation]:
        """Each citation verified (its quote is the stored original at its offsets) and with
        its official reference and version: all documents read in one request, each quote
        checked against the original of the same record it is annotated from."""
        if not citations:
            return []
        docs = self._read(list(dict.fromkeys(c.source for c in citations)))
        out = []
        for c in citations:
            if c.source not in docs:  # removed from the index
                out.append(replace(c, verified=False))
                continue
            rec, text = docs[c.source]
            out.append(replace(c, reference=_record_reference(rec, text, c.char_start, c.page),
                               version=short_version(rec.sha256), verified=c.is_in(text)))
        return out


def _record_reference(rec: DocumentRecord, text: str, char_start: int,
                      page: int | None) -> str | None:
    """The official reference of the passage at `char_start` of the version `text` of the
    document `rec` describes (its title, its publication identifier)."""
    return official_reference(rec.title, rec.identifier or fallback_identifier(rec.source),
                              text, char_start, page)


def fallback_identifier(source: str) -> str | None:
    """For records written before identifiers were kept: an officielebekendmakingen file's
    name is its identifier (h-tk-20172018-70-10.xml)."""
    return identifier_of(source.rsplit("/", 1)[-1]) if source.endswith(".xml") else None


@lru_cache(maxsize=16)  # a string caches its hash: the same original is found at once
def outline_of(original: str, identifier: str | None) -> Outline:
    """The structure of a document version, read once (ingest/outline.py, the rules the
    chunker used for each chunk's `structure`)."""
    return Outline(original, identifier)


def official_reference(title: str, identifier: str | None, original: str, char_start: int,
                       page: int | None = None) -> str | None:
    """The official reference of the passage at `char_start` of a document; None when the
    document is neither a publication with an identifier nor a law with articles."""
    outline = outline_of(original, identifier)
    pub = outline.publication
    if pub is not None:
        who = outline.speaker(char_start) if pub.kind == "handelingen" else None
        ref = pub.cite(page=page)
        return f"{ref}, spreker: {_speaker(who)}" if who else ref
    if outline.is_law:
        place = outline.place(char_start)
        return place.cite(law_name(title)) if place else None
    return None
