"""The records every index writes and every reader gets back, in one place.

A chunk is stored as one *row*: `chunk_row(document, chunk)` writes it, `hit_from_row(row,
score)` reads it back as a `Hit`. Every index (Chroma, BM25) and every bench uses this pair;
how an index encodes a row (Chroma metadata, a BM25 file) is that index's private business.
`Filters` is the one filter language above the indexes: documents and/or a date range.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.models import Chunk, Document

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class DocumentRecord:
    """What the index knows of one document (its original text is read separately)."""

    source: str
    title: str
    date: str | None
    type: str
    sha256: str
    chunks: int
    chunking: str
    pages: dict[int, tuple[int, int]]
    identifier: str | None = None  # publication identifier (h-tk-20172018-70-10, kst-...)


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its document metadata and original wording.

    Promise: `original` is the document's original text at `[char_start, char_end)`.
    `score` is whatever the retriever that returned it ranks by (cosine, BM25, fused).
    """

    chunk_id: str
    source: str
    title: str
    date: str | None
    pages: tuple[int, ...]
    char_start: int
    char_end: int
    text: str  # normalised text used for retrieval
    original: str  # document.original[char_start:char_end]
    score: float
    # the chunk's place in the document's structure (artikel, lid, kop, publicatie, spreker)
    structure: dict[str, str] = field(default_factory=dict, compare=False)
    # running headers inside `original` (`[start, end)` into it): cut out of its sentences
    furniture: tuple[tuple[int, int], ...] = ()

    @property
    def page(self) -> int | None:
        return self.pages[0] if self.pages else None


def date_key(date: str | None) -> int:
    """'2021-02' -> 20210200; None -> 0 (for numeric date-range filters)."""
    if not date:
        return 0
    parts = [int(p) for p in date.split("-")[:3]] + [0, 0]
    return parts[0] * 10000 + parts[1] * 100 + parts[2]


def date_upper_key(date: str) -> int:
    """Inclusive upper bound: '2021' -> 20219999, '2021-02' -> 20210299, a day -> that day."""
    parts = date.split("-")
    key = date_key(date)
    if len(parts) == 1:
        return key + 9999
    if len(parts) == 2:
        return key + 99
    return key


def chunk_row(document: Document, chunk: Chunk) -> dict:
    """The stored form of a chunk: ids, document metadata, offsets, text and original."""
    return {
        "chunk_id": chunk.id,
        "source": chunk.source,
        "sha256": document.sha256,
        "title": document.title,
        "date": document.date,
        "date_key": date_key(document.date),
        "index": chunk.index,
        "pages": list(chunk.pages),
        "char_start": chunk.char_start,
        "char_end": chunk.char_end,
        "text": chunk.text,
        "original": document.original[chunk.char_start : chunk.char_end],
        "structure": dict(chunk.structure),
        "furniture": [list(span) for span in chunk.furniture],
    }


def hit_from_row(row: dict, score: float) -> Hit:
    """A stored row (as `chunk_row` wrote it) as a `Hit` with `score`."""
    return Hit(
        chunk_id=row["chunk_id"],
        source=row["source"],
        title=row.get("title", ""),
        date=row.get("date") or None,
        pages=tuple(int(p) for p in row.get("pages", ())),
        char_start=int(row["char_start"]),
        char_end=int(row["char_end"]),
        text=row["text"],
        original=row.get("original", ""),
        score=score,
        structure=dict(row.get("structure") or {}),
        furniture=row_furniture(row),
    )


def row_furniture(row: dict) -> tuple[tuple[int, int], ...]:
    """A stored row's running-header spans (none in rows written before they were kept)."""
    return tuple((int(a), int(b)) for a, b in row.get("furniture") or ())


def _check_date(value: str) -> str:
    if not _DATE.match(value):
        raise ValueError(f"ongeldige datum {value!r}: gebruik JJJJ, JJJJ-MM of JJJJ-MM-DD")
    return value


@dataclass(frozen=True)
class Filters:
    """Documents (indexed sources) and/or an inclusive date range (JJJJ[-MM[-DD]]).

    A date range keeps documents without a date out. Every index implements the same
    meaning (tests/integration/test_chunk_index_contract.py).
    """

    sources: tuple[str, ...] | None = None
    date_from: str | None = None
    date_to: str | None = None

    def __init__(self, sources: Iterable[str] | None = None, date_from: str | None = None,
                 date_to: str | None = None) -> None:
        object.__setattr__(self, "sources", tuple(sources) if sources is not None else None)
        object.__setattr__(self, "date_from", date_from)
        object.__setattr__(self, "date_to", date_to)
        for d in (date_from, date_to):
            if d is not None:
                _check_date(d)

    @property
    def empty(self) -> bool:
        return self.sources is None and self.date_from is None and self.date_to is None

    def date_range(self) -> tuple[int, int] | None:
        """Inclusive `date_key` range (the lower bound >= 1 keeps undated documents out)."""
        if self.date_from is None and self.date_to is None:
            return None
        lo = date_key(self.date_from) if self.date_from else 1
        hi = date_upper_key(self.date_to) if self.date_to else 99999999
        return lo, hi

    def accepts(self, source: str, date: str | None) -> bool:
        """Whether a chunk of `source` dated `date` passes (the reference semantics)."""
        if self.sources is not None and source not in self.sources:
            return False
        rng = self.date_range()
        return rng is None or rng[0] <= date_key(date) <= rng[1]
