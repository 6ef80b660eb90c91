"""The short answer inside a quoted sentence: the phrase that answers "hoe lang", "hoeveel",
"wanneer" ("tien jaar", "8 weken", "5 april 2018"), pointed at, never rewritten.

`short_span` returns offsets into the sentence's original wording, so the span is shown
highlighted inside its quote and is checked against the stored original like the quote itself.
"""

from __future__ import annotations

import re

from ingest.terms import stems
from rag.evidence import (
    CLOCK_QUESTION,
    DATE,
    FULL_DATE,
    ITEM_NUMBER,
    NUMBER_WORDS_RE,
    QUOTED,
    TIME_UNITS_RE,
    asks_money,
    counts,
    expected_kind,
    quantity_targets,
)

_AMOUNT = rf"(?:\d+(?:[.,]\d+)*|{NUMBER_WORDS_RE})"
_DURATION = re.compile(
    rf"\b(?:(?:binnen|na|voor|gedurende|maximaal|ten hoogste|ten minste|minstens|hooguit)\s+)?"
    rf"(?:{_AMOUNT}|een|enkele|paar)\s+(?:\w+\s+)?(?:{TIME_UNITS_RE})\b",
    re.IGNORECASE)


# "de leeftijd van achttien jaar", "18 jaar oud": an age, not how long something lasts
_AGE_BEFORE = re.compile(r"\b(?:leeftijd|leeftijdsgrens)\s+(?:van\s+)?(?:\w+\s+)?$",
                         re.IGNORECASE)
_AGE_AFTER = re.compile(r"^\s*(?:oud|of ouder|of jonger)\b", re.IGNORECASE)


# "Op welke leeftijd ...", "Vanaf welke leeftijd ...": "65-jarige leeftijd", "de leeftijd van
# veertien jaar", "18 jaar of ouder"
_AGE_QUESTION = re.compile(r"\b(welke|welk)\s+leeftijd\b|\bhoe oud\b", re.IGNORECASE)
_AGE = re.compile(
    rf"\b(?:{_AMOUNT})-jarige\s+leeftijd\b|\bleeftijd\s+van\s+(?:{_AMOUNT})\s+jaar\b"
    rf"|\b(?:{_AMOUNT})\s+jaar(?:\s+oud|\s+of\s+(?:ouder|jonger))\b", re.IGNORECASE)
# "Hoe laat ..." (`CLOCK_QUESTION`), "Hoeveel uur ...": "22.06 uur", "om 10:15"
_HOURS_QUESTION = re.compile(r"\bhoe ?veel uur\b", re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}[.:]\d{2}\s*uur\b|\b\d{1,2}\s*uur\b", re.IGNORECASE)
_MONEY_SPAN = re.compile(
    rf"(?:€\s*{_AMOUNT}(?:\s+(?:miljoen|miljard))?|\b{_AMOUNT}(?:\s+(?:miljoen|miljard))?"
    r"\s+euro\b)", re.IGNORECASE)


def short_span(question: str, text: str) -> tuple[int, int] | None:
    """`[start, end)` of the phrase in `text` that answers `question`, if one can be pointed at."""
    for asks, span in ((_AGE_QUESTION.search(question), _AGE),
                       (CLOCK_QUESTION.search(question) or _HOURS_QUESTION.search(question),
                        _CLOCK),
                       (asks_money(question), _MONEY_SPAN)):
        if asks and (m := span.search(text)):
            return m.start(), m.end()
    kind = expected_kind(question)
    if kind == "duration":
        m = _duration(text, set(stems(question)))
    elif kind in ("date", "when"):
        m = FULL_DATE.search(text) or DATE.search(text)
    elif kind == "number":
        m = _counted(text, quantity_targets(question))
    elif kind == "quote":
        m = QUOTED.search(text)
    else:
        return None
    if m is None:
        return None
    return (m.start(), m.end()) if isinstance(m, re.Match) else m


def _duration(text: str, question_stems: set[str]) -> tuple[int, int] | None:
    """The span of time in `text` that is no age; of several, the one just after a word of
    the question ("... achttien jaar ..., geldig voor vijf jaren": "Hoe lang is het geldig?")."""
    found = [m for m in _DURATION.finditer(text)
             if not _AGE_BEFORE.search(text[:m.start()]) and not _AGE_AFTER.match(text[m.end():])]
    if not found:
        return None
    for m in found:
        before = stems(" ".join(text[:m.start()].split()[-3:]))
        if question_stems & set(before):
            return m.start(), m.end()
    return found[0].start(), found[0].end()


def _counted(text: str, targets: list[str]) -> tuple[int, int] | None:
    """A number with the noun it counts ("250 gemeenten"), else the first number; a list's
    number that opens the sentence ("1  Het koopkrachtverlies van 20 procent") is none."""
    first = None
    skip = ITEM_NUMBER.match(text)
    for m in re.finditer(rf"\b{_AMOUNT}\b(?:\s+(?:miljoen|miljard|procent|euro)){{0,2}}",
                         text, re.IGNORECASE):
        if skip and m.start() < skip.end():
            continue
        first = first or (m.start(), m.end())
        if not targets:
            break
        for w in list(re.finditer(r"\s*(%|[^\W\d_]+|\d\S*)", text[m.end():]))[:3]:
            if w.group(1)[0].isdigit():
                break  # the next number counts what follows it
            word = "procent" if w.group(1) == "%" else w.group(1)  # "30%": 30 procent
            if counts(targets, set(stems(word, drop_stopwords=False))):
                return m.start(), m.end() + w.end()
    return first
