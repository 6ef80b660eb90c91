"""Sentence-aligned chunks with size and overlap, offsets into the original text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ingest.furniture import PAGED_TYPES, all_furniture, cut, running_headers
from ingest.models import Chunk, Document
from ingest.normalize import Normalized, normalize
from ingest.outline import Outline
from ingest.sentences import sentence_spans


@dataclass(frozen=True)
class ChunkingConfig:
    size: int = 1000
    overlap: int = 150

    def __post_init__(self) -> None:
        if self.size < 50:
            raise ValueError("chunk size must be at least 50 characters")
        if not 0 <= self.overlap < self.size // 2:
            raise ValueError("chunk overlap must be >= 0 and less than half the chunk size")

    @property
    def signature(self) -> str:
        """Identifies the chunking; a document chunked otherwise is re-chunked on ingest."""
        # v2: page furniture out of the text; v3: a law's chunks do not straddle articles;
        # v4: whole spreekbeurten per chunk where they fit, structure metadata per chunk;
        # v5: a paged document's running headers (repeated lines) out of text and sentences;
        # v6: also where they are glued into a line; v7: also headers glued after a page number;
        # v8: such a header also where glued elsewhere
        return f"sentences-v8/{self.size}/{self.overlap}"


def chunk_id_prefix(document: Document, config: ChunkingConfig) -> str:
    """Chunk ids are unique per (source, content, chunking): two copies of one file, or one
    file chunked two ways, never share an id (ids `<prefix>-<index>`)."""
    key = f"{document.source}\0{document.sha256}\0{config.signature}".encode()
    return hashlib.sha256(key).hexdigest()[:16]


def _split_long(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """Cut a sentence longer than `size` at word boundaries."""
    pieces = []
    while end - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        cut = cut if cut > start else start + size
        pieces.append((start, cut))
        start = cut + 1 if text[cut : cut + 1] == " " else cut
    pieces.append((start, end))
    return pieces


def _units(text: str, size: int) -> list[tuple[int, int]]:
    units: list[tuple[int, int]] = []
    for s, e in sentence_spans(text):
        units.extend(_split_long(text, s, e, size) if e - s > size else [(s, e)])
    return units


def _group(units: list[tuple[int, int]], size: int, overlap: int,
           starts: frozenset[int] = frozenset(),
           soft: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Greedy packing of sentence spans; trailing sentences up to `overlap` chars repeat.

    A unit whose index is in `starts` (an article heading) always opens a new chunk. A unit in
    `soft` (a spreekbeurt) opens a new chunk when its whole unit (up to the next start) does
    not fit in the current one. The overlap never reaches back before either."""
    bounds = sorted(starts | soft)
    block_end: dict[int, int] = {}  # soft start index -> end offset of its unit
    for n, b in enumerate(bounds):
        last = (bounds[n + 1] if n + 1 < len(bounds) else len(units)) - 1
        block_end[b] = units[last][1]
    stops = starts | soft
    groups: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        j = i
        while (j + 1 < len(units) and units[j + 1][1] - units[i][0] <= size
               and j + 1 not in starts
               and not (j + 1 in soft and block_end[j + 1] - units[i][0] > size)):
            j += 1
        groups.append((units[i][0], units[j][1]))
        if j + 1 >= len(units):
            break
        k = j + 1
        while (k - 1 > i and units[j][1] - units[k - 1][0] <= overlap
               and k not in stops):
            k -= 1
        i = k
    return groups


def _unit_indices(norm: Normalized, units: list[tuple[int, int]],
                  offsets: list[int]) -> frozenset[int]:
    """Indices of the units where a structural unit (given by its offsets in the original)
    begins; the first unit never counts."""
    out, h = set(), 0
    for idx, (s, e) in enumerate(units):
        start = norm.to_original(s, e)[0]
        while h < len(offsets) and offsets[h] <= start:
            if idx:
                out.add(idx)
            h += 1
    return frozenset(out)


def _text(text: str, start: int, end: int, furniture: list[tuple[int, int]]) -> str:
    """The chunk's text for retrieval: running headers and page numbers cut out (the chunk's
    offsets still cover them in the original)."""
    pieces = [text[a:b] for a, b in cut([(start, end)], furniture)]
    return " ".join(" ".join(p.split()) for p in pieces if p.strip())


def chunk_document(
    document: Document, config: ChunkingConfig, normalized: Normalized | None = None
) -> list[Chunk]:
    """Chunks of `document`, each mapped back to `document.original`."""
    norm = normalized or normalize(document.original)
    headers = running_headers(document.original) if document.type in PAGED_TYPES else []
    furniture = all_furniture(norm.text, norm.offsets, headers)
    chunks = []
    prefix = chunk_id_prefix(document, config)
    units = _units(norm.text, config.size)
    outline = Outline(document.original, document.identifier)
    starts = _unit_indices(norm, units, outline.hard_starts)
    soft = _unit_indices(norm, units, outline.soft_starts) - starts
    for index, (s, e) in enumerate(_group(units, config.size, config.overlap, starts, soft)):
        start, end = norm.to_original(s, e)
        chunks.append(
            Chunk(
                id=f"{prefix}-{index:05d}",
                source=document.source,
                index=index,
                char_start=start,
                char_end=end,
                text=_text(norm.text, s, e, furniture),
                pages=tuple(document.pages_for(start, end)),
                structure=outline.of_span(start, end),
                furniture=tuple((max(a, start) - start, min(b, end) - start)
                                for a, b in headers if a < end and start < b),
            )
        )
    return chunks
