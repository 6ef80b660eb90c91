"""The data every layer above relies on: documents with their original text, and chunks."""

from __future__ import annotations

from dataclasses import dataclass, field


class LoadError(Exception):
    """A file that cannot be turned into a document; names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Document:
    """One source document.

    `original` is the text exactly as extracted (mojibake repaired, nothing else changed);
    every chunk offset points into it. `pages` maps a 1-based page number to its
    `[start, end)` range in `original` (PDF only; empty otherwise).
    """

    source: str
    title: str
    original: str
    type: str
    sha256: str
    date: str | None = None
    pages: dict[int, tuple[int, int]] = field(default_factory=dict)
    # an official publication's identifier (officielebekendmakingen: h-tk-20172018-70-10)
    identifier: str | None = None

    def pages_for(self, start: int, end: int) -> list[int]:
        """Page numbers whose range overlaps `[start, end)`."""
        return [p for p, (s, e) in sorted(self.pages.items()) if s < end and start < e]


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of a document.

    Promise: `document.original[char_start:char_end]` is the original wording of this chunk;
    `text` is its normalised form used for retrieval.
    """

    id: str
    source: str
    index: int
    char_start: int
    char_end: int
    text: str
    pages: tuple[int, ...] = ()
    # where the chunk starts in the document's structure (ingest/outline.py): artikel, lid,
    # kop, publicatie, spreker (and sprekers when it holds several spreekbeurten)
    structure: dict[str, str] = field(default_factory=dict, compare=False)
    # the document's running headers inside this chunk (ingest/furniture.py `running_headers`),
    # `[start, end)` relative to `char_start`: no words of its sentences
    furniture: tuple[tuple[int, int], ...] = ()

    @property
    def page(self) -> int | None:
        return self.pages[0] if self.pages else None
