"""Phrase search over the originals of all indexed documents ("zoek exacte tekst").

Every document gets a search form: `ingest.normalize.normalize(original)` (hyphenated line
breaks joined, whitespace folded, so a phrase across a line break or a blank line is one
line) further folded: lower case, curly quotes -> straight, dashes -> "-", "\\n" -> " ", and
hyphens inside a word dropped (so "sociaal-economisch", "sociaal-\\neconomisch" and
"sociaaleconomisch" are one word). Every character keeps the index of its original character,
so a match maps back to the exact original wording. The phrase is folded the same way.

All search forms are joined into one string (documents separated by NUL), so an exact search is
one `str.find` loop; fuzzy search (rapidfuzz) scores fixed overlapping windows first and then
aligns the best ones. The index is built lazily from a catalog (`documents()`, `original()`),
and rebuilt when the set of (source, sha256) changes.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ingest.normalize import normalize
from rag.citation_format import format_citation, source_view
from rag.references import fallback_identifier, official_reference, short_version
from rag.types import SourceSpan

CONTEXT = 120  # characters of original text each side of a hit
SEP = "\x00"
WINDOW, STEP = 200, 100  # fuzzy pre-scoring windows: a phrase of <= STEP chars fits in one
FUZZY_CUTOFF = 75.0

_QUOTES = {c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"}
_DASHES = {c: "-" for c in "‐‑‒–—―−"}
_FOLD = str.maketrans({**_QUOTES, **_DASHES, "\n": " ", "\t": " ", "\r": " ", "\u00ad": "-",
                       SEP: " "})
_PUNCT = set(".,;:!?()[]'\"")
_INNER_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


@dataclass(frozen=True)
class PhraseHit(SourceSpan):
    """One occurrence of a phrase; `text` is `original[char_start:char_end]`."""

    context_before: str
    context_after: str
    score: float = 1.0
    reference: str | None = None  # official reference (rag/references.py), if any
    version: str | None = None  # short content hash of the document version

    def citation(self, max_chars: int = 300) -> str:
        """`“text” — artikel 2, tweede lid, Grondwet` where an official reference exists,
        else `“text” — Title, date, p. N`."""
        return format_citation(self.title, self.date, self.page, self.text, max_chars,
                               self.reference)

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "title": self.title,
            "date": self.date,
            "page": self.page,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "text": self.text,
            "context": self.context_before + self.text + self.context_after,
            "context_before": self.context_before,
            "context_after": self.context_after,
            "score": round(self.score, 4),
            "reference": self.reference,
            "version": self.version,
        }


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)  # e.g. "İ"


def fold(text: str, offsets: Iterable[int] | None = None) -> tuple[str, array]:
    """Search form of normalised `text`, and the offsets per character (default: identity)."""
    out = _lower_same_length(text).translate(_FOLD)
    offs = array("i", offsets if offsets is not None else range(len(text)))
    drops = [m.start() for m in _INNER_HYPHEN.finditer(out)]
    if drops:
        pieces, kept, prev = [], array("i"), 0
        for d in drops:
            pieces.append(out[prev:d])
            kept.extend(offs[prev:d])
            prev = d + 1
        pieces.append(out[prev:])
        kept.extend(offs[prev:])
        out, offs = "".join(pieces), kept
    return out, offs


def fold_phrase(phrase: str) -> str:
    return fold(normalize(phrase).text)[0].strip()


@dataclass(frozen=True)
class _Doc:
    source: str
    title: str
    date: str | None
    pages: tuple[tuple[int, int, int], ...]  # (start, end, page), sorted
    original: str
    start: int  # where its search form begins in the joined text
    identifier: str | None = None
    sha256: str = ""

    def page_at(self, pos: int) -> int | None:
        for s, e, p in self.pages:
            if s <= pos < e:
                return p
        return None


class PhraseIndex:
    """Exact and fuzzy phrase search over a catalog (`documents()`, `original(source)`)."""

    def __init__(self, catalog, refresh_seconds: float = 2.0) -> None:
        self.catalog = catalog
        self.refresh_seconds = refresh_seconds
        self.build_seconds = 0.0
        self._lock = threading.Lock()
        self._key: frozenset | None = None
        self._checked = 0.0
        self._docs: list[_Doc] = []
        self._starts: list[int] = []
        self._text = ""
        self._offsets = array("i")
        self._windows: list[str] = []
        self._window_pos = array("i")

    # -- building --------------------------------------------------------------------------
    def _ensure(self) -> None:
        now = time.monotonic()
        if self._key is not None and now - self._checked < self.refresh_seconds:
            return
        with self._lock:
            records = self.catalog.documents()
            key = frozenset((r.source, r.sha256) for r in records)
            if key != self._key:
                self._build(records)
                self._key = key
            self._checked = time.monotonic()

    def refresh(self) -> None:
        """Re-check the catalog now (rebuilds if documents were added, changed or removed)."""
        self._checked = 0.0
        self._ensure()

    def _build(self, records) -> None:
        t0 = time.perf_counter()
        docs, texts, offsets, pos = [], [], array("i"), 0
        for r in records:
            original = self.catalog.original(r.source)
            if original is None:
                continue
            norm = normalize(original)
            text, offs = fold(norm.text, norm.offsets)
            pages = tuple(sorted((s, e, p) for p, (s, e) in r.pages.items()))
            docs.append(_Doc(r.source, r.title, r.date, pages, original, pos,
                             getattr(r, "identifier", None) or fallback_identifier(r.source),
                             r.sha256))
            texts.append(text + SEP)
            offsets.extend(offs)
            offsets.append(len(original))
            pos += len(text) + 1
        self._docs, self._starts = docs, [d.start for d in docs]
        self._text, self._offsets = "".join(texts), offsets
        self._windows, self._window_pos = [], array("i")  # built at the first fuzzy search
        self.build_seconds = time.perf_counter() - t0

    def _ensure_windows(self) -> None:
        """The overlapping windows fuzzy search pre-scores (twice the text in memory, so only
        built once someone searches fuzzily)."""
        with self._lock:
            if self._windows or not self._docs:
                return
            windows, wpos = [], array("i")
            for i, d in enumerate(self._docs):
                end = (self._starts[i + 1] - 1 if i + 1 < len(self._docs)
                       else len(self._text) - 1)
                s = d.start
                while True:
                    windows.append(self._text[s : min(s + WINDOW, end)])
                    wpos.append(s)
                    if s + WINDOW >= end:
                        break
                    s += STEP
            self._window_pos, self._windows = wpos, windows

    @property
    def size(self) -> int:
        """Characters in the search form of all documents."""
        self._ensure()
        return len(self._text)

    # -- searching -------------------------------------------------------------------------
    def _doc_index(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos) - 1

    def _hit(self, s: int, e: int, score: float) -> PhraseHit:
        doc = self._docs[self._doc_index(s)]
        start, end = self._offsets[s], self._offsets[e - 1] + 1
        before, text, after = source_view(doc.original, start, end, CONTEXT)
        page = doc.page_at(start)
        ref = official_reference(doc.title, doc.identifier, doc.original, start, page)
        return PhraseHit(doc.source, doc.title, doc.date, page, start, end, text,
                         before, after, score, ref, short_version(doc.sha256))

    def find(self, phrase: str, fuzzy: bool = False, limit: int = 50,
             sources: Iterable[str] | None = None, whole_words: bool = True) -> list[PhraseHit]:
        """Occurrences of `phrase` (case-insensitive; line breaks, hyphenation and quote style
        do not matter), in document order; `fuzzy=True`: the closest matches, best first, with
        their similarity in `score` (0..1). `sources` restricts the search to those documents.
        `whole_words` (default): a match starts and ends at word boundaries, so "sociaal werk"
        does not match inside "Sociaal werkers"; False: anywhere, also inside a word.
        """
        self._ensure()
        q = fold_phrase(phrase)
        if not q or not self._docs:
            return []
        allowed = self._allowed(sources)
        if fuzzy:
            return self._fuzzy(q, limit, allowed)
        hits: list[PhraseHit] = []
        for pos in self._exact(q, whole_words):
            if len(hits) >= limit:
                break
            if allowed is None or self._doc_index(pos) in allowed:
                hits.append(self._hit(pos, pos + len(q), 1.0))
        return hits

    def _exact(self, q: str, whole_words: bool) -> Iterator[int]:
        """Start positions of folded `q` in the joined text, in order (with `whole_words`,
        only those at word boundaries)."""
        pos = self._text.find(q)
        while pos != -1:
            if not whole_words or self._at_word_edges(pos, pos + len(q)):
                yield pos
            pos = self._text.find(q, pos + 1)

    def _at_word_edges(self, s: int, e: int) -> bool:
        """`[s, e)` of the joined text neither starts nor ends inside a word."""
        t = self._text
        starts = s == 0 or not (t[s - 1].isalnum() and t[s].isalnum())
        ends = e >= len(t) or not (t[e].isalnum() and t[e - 1].isalnum())
        return starts and ends

    def count(self, phrase: str, whole_words: bool = True) -> int:
        """Number of exact occurrences of `phrase` in the whole index."""
        self._ensure()
        q = fold_phrase(phrase)
        if not q:
            return 0
        if not whole_words:
            return self._text.count(q)
        return sum(1 for _ in self._exact(q, whole_words))

    def _allowed(self, sources: Iterable[str] | None) -> set[int] | None:
        if sources is None:
            return None
        wanted = set(sources)
        return {i for i, d in enumerate(self._docs) if d.source in wanted}

    def _fuzzy(self, q: str, limit: int, allowed: set[int] | None,
               cutoff: float = FUZZY_CUTOFF) -> list[PhraseHit]:
        from rapidfuzz import fuzz, process

        candidates: list[tuple[float, int, int]] = []  # (score, start, end) in the joined text
        if len(q) <= STEP:
            self._ensure_windows()
            found = process.extract(q, self._windows, scorer=fuzz.partial_ratio,
                                    score_cutoff=cutoff, limit=max(limit * 4, 20))
            for _, _, w in found:
                base = self._window_pos[w]
                if allowed is not None and self._doc_index(base) not in allowed:
                    continue
                al = fuzz.partial_ratio_alignment(q, self._windows[w], score_cutoff=cutoff)
                if al is not None:
                    candidates.append((al.score, base + al.dest_start, base + al.dest_end))
        else:  # long phrase: best alignment per document
            for i, d in enumerate(self._docs):
                if allowed is not None and i not in allowed:
                    continue
                end = self._starts[i + 1] - 1 if i + 1 < len(self._docs) else len(self._text) - 1
                al = fuzz.partial_ratio_alignment(q, self._text[d.start:end], score_cutoff=cutoff)
                if al is not None:
                    candidates.append((al.score, d.start + al.dest_start, d.start + al.dest_end))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        taken: list[tuple[int, int]] = []
        hits: list[PhraseHit] = []
        for score, s, e in candidates:
            s, e = self._snap_word(s, e, q)
            if e <= s or any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            hits.append(self._hit(s, e, score / 100.0))
            if len(hits) >= limit:
                break
        return hits

    def _snap_word(self, s: int, e: int, q: str) -> tuple[int, int]:
        """Widen `[s, e)` of the joined text to whole words; trim spaces at the edges and
        punctuation the phrase does not have."""
        text, stop = self._text, " " + SEP
        while s > 0 and text[s - 1] not in stop and text[s] != " ":
            s -= 1
        while e < len(text) and text[e] not in stop and text[e - 1] != " ":
            e += 1
        while s < e and (text[s] == " " or (text[s] in _PUNCT and text[s] != q[0])):
            s += 1
        while e > s and (text[e - 1] == " " or (text[e - 1] in _PUNCT and text[e - 1] != q[-1])):
            e -= 1
        return s, e


_INDEXES: dict[int, PhraseIndex] = {}


def phrase_index(catalog) -> PhraseIndex:
    """One cached `PhraseIndex` per catalog object (built on first search)."""
    idx = _INDEXES.get(id(catalog))
    if idx is None or idx.catalog is not catalog:
        idx = _INDEXES[id(catalog)] = PhraseIndex(catalog)
    return idx


def make_find(catalog) -> Callable[..., list[PhraseHit]]:
    """`find(phrase, fuzzy=False, limit=50, sources=None)` over `catalog` (for the UI)."""
    return phrase_index(catalog).find
