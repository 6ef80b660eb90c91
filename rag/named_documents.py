"""Documents a question names: "Wat wil GroenLinks met het minimumloon?", "Wat zegt de
Paspoortwet over ...". Such a question is about that document first, so the chain retrieves
from it as well as from the whole index.

A name token is a word of a document's title or file name that at most `max_df` documents
carry (so "wet" or "2021" never count) and that is not a stop word.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from ingest.terms import STOPWORDS

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_NAME_WORDS = 10


def name_tokens(title: str, source: str) -> set[str]:
    """Distinctive-looking words of a title and a file name ("SP_2021.txt" -> {"sp"}); a
    title of more than `MAX_NAME_WORDS` words (a news item's first sentence) is no name."""
    title_words = _WORD.findall(title)
    if len(title_words) > MAX_NAME_WORDS:
        title_words = []
    words = {w.lower() for w in title_words if len(w) >= 3}
    words |= {w.lower() for w in _WORD.findall(Path(source).stem) if len(w) >= 2}
    return {w for w in words if w not in STOPWORDS and not w.isdigit()}


class NamedDocuments:
    """Maps a question to the sources it names; the catalog is re-read every `ttl` seconds."""

    def __init__(self, documents: Callable[[], list], max_df: int = 2, max_named: int = 3,
                 ttl: float = 30.0) -> None:
        self._documents = documents
        self._max_df, self._max_named, self._ttl = max_df, max_named, ttl
        self._index: dict[str, set[str]] = {}
        self._loaded = float("-inf")

    def _refresh(self) -> None:
        if time.monotonic() - self._loaded < self._ttl:
            return
        index: dict[str, set[str]] = {}
        for d in self._documents():
            for token in name_tokens(d.title or "", d.source):
                index.setdefault(token, set()).add(d.source)
        self._index = {t: s for t, s in index.items() if len(s) <= self._max_df}
        self._loaded = time.monotonic()

    def named(self, question: str) -> list[str]:
        """Sources whose distinctive name the question uses (none when it names too many)."""
        self._refresh()
        found: set[str] = set()
        for word in _WORD.findall(question):
            found |= self._index.get(word.lower(), set())
        return sorted(found) if len(found) <= self._max_named else []
