"""The short answer inside a quoted sentence: the phrase that answers "hoe lang", "hoeveel",
"wanneer" ("tien jaar", "8 weken", "5 april 2018"), pointed at, never rewritten.

`short_span` returns offsets into the sentence's original wording, so the span is shown
highlighted inside its quote and is checked against the stored original like the quote itself.
"""

from __future__ import annotations

import re

from ingest.terms import stems
from rag.evidence import (
    DATE,
    MONTHS_RE,
    NUMBER_WORDS_RE,
    QUOTED,
    TIME_UNITS_RE,
    expected_kind,
    quantity_targets,
)

_AMOUNT = rf"(?:\d+(?:[.,]\d+)*|{NUMBER_WORDS_RE})"
_DURATION = re.compile(
    rf"\b(?:(?:binnen|na|voor|gedurende|maximaal|ten hoogste|ten minste|minstens|hooguit)\s+)?"
    rf"(?:{_AMOUNT}|een|enkele|paar)\s+(?:\w+\s+)?(?:{TIME_UNITS_RE})\b",
    re.IGNORECASE)
_FULL_DATE = re.compile(
    rf"\b\d{{1,2}}\s+(?:{MONTHS_RE})(?:\s+\d{{4}})?\b|\b(?:{MONTHS_RE})\s+\d{{4}}\b",
    re.IGNORECASE)


def short_span(question: str, text: str) -> tuple[int, int] | None:
    """`[start, end)` of the phrase in `text` that answers `question`, if one can be pointed at."""
    kind = expected_kind(question)
    if kind == "duration":
        m = _DURATION.search(text)
    elif kind == "date":
        m = _FULL_DATE.search(text) or DATE.search(text)
    elif kind == "number":
        m = _counted(text, quantity_targets(question))
    elif kind == "quote":
        m = QUOTED.search(text)
    else:
        return None
    if m is None:
        return None
    return (m.start(), m.end()) if isinstance(m, re.Match) else m


def _counted(text: str, targets: list[str]) -> tuple[int, int] | None:
    """A number with the noun it counts ("250 gemeenten"), else the first number."""
    first = None
    for m in re.finditer(rf"\b{_AMOUNT}\b(?:\s+(?:miljoen|miljard|procent|euro)){{0,2}}",
                         text, re.IGNORECASE):
        first = first or (m.start(), m.end())
        if not targets:
            break
        for w in list(re.finditer(r"\s+([^\W\d_]+)", text[m.end():]))[:3]:
            word_stems = stems(w.group(1), drop_stopwords=False)
            if any(t in st or st in t for st in word_stems for t in targets if len(st) > 2):
                return m.start(), m.end() + w.end()
    return first
