"""Sentences of retrieved chunks with exact original offsets, and checks of what they contain."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import normalize
from ingest.sentences import sentence_spans
from ingest.terms import stems, tokens
from vectorstore.store import Hit

_NUMBER_WORDS = (
    "één twee drie vier vijf zes zeven acht negen tien elf twaalf twintig dertig veertig "
    "vijftig honderd honderden duizend duizenden miljoen miljoenen miljard procent helft kwart"
).split()
_NUMBER = re.compile(r"\d+([.,]\d+)?|\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
)
_DATE = re.compile(
    r"\b(1[89]\d\d|20\d\d)\b|\b(" + _MONTHS.replace(" ", "|") + r")\b|\b\d{1,2}[-/]\d{1,2}\b"
    r"|\b(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|vandaag|gisteren|morgen"
    r"|volgend jaar|vorig jaar|binnenkort|over \w+ (dagen|weken|maanden|jaar))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a retrieved chunk; `quote` is its exact original wording."""

    hit: Hit
    rank: int  # rank of the chunk in retrieval
    char_start: int  # into the document's original
    char_end: int
    text: str  # normalised (line breaks folded, hyphenation joined)
    quote: str
    context_before: str
    context_after: str

    @property
    def stems(self) -> list[str]:
        return stems(self.text)


def sentences_of(hits: list[Hit]) -> list[Sentence]:
    """Split each hit's original wording into sentences mapped to document offsets."""
    out: list[Sentence] = []
    seen: set[tuple[str, int]] = set()
    for rank, hit in enumerate(hits):
        norm = normalize(hit.original)
        for s, e in sentence_spans(norm.text):
            os_, oe = norm.to_original(s, e)
            key = (hit.source, hit.char_start + os_)
            if key in seen:  # overlapping chunks repeat sentences
                continue
            seen.add(key)
            out.append(
                Sentence(
                    hit=hit,
                    rank=rank,
                    char_start=hit.char_start + os_,
                    char_end=hit.char_start + oe,
                    text=norm.text[s:e].replace("\n", " "),
                    quote=hit.original[os_:oe],
                    context_before=hit.original[:os_],
                    context_after=hit.original[oe:],
                )
            )
    return out


def expected_kind(question: str) -> str | None:
    """What kind of answer the question asks for: 'number', 'date', or None."""
    q = question.lower()
    if re.search(r"\bhoe ?veel\b|\bhoe (groot|lang|hoog|duur)\b|\bwelk (bedrag|percentage|aantal)"
                 r"|\bhoeveelste\b", q):
        return "number"
    if re.search(r"\bwanneer\b|\bin welk jaar\b|\bop welke (datum|dag)\b|\bsinds wanneer\b"
                 r"|\bin welke maand\b", q):
        return "date"
    return None


def quantity_targets(question: str) -> list[str]:
    """Stems of the words that "hoeveel" asks a number of ("hoeveel sociaal werkers")."""
    m = re.search(r"\bhoe ?veel\s+((?:[^\W\d_]+\s*){1,2})", question.lower())
    if not m:
        return []
    return [s for s in stems(m.group(1)) if len(s) > 2]


def has_kind(text: str, kind: str | None, targets: list[str] | None = None) -> bool:
    """Whether `text` holds the kind of answer asked for; for a number, next to its noun."""
    if kind == "date":
        return bool(_DATE.search(text))
    if kind != "number":
        return True
    if not targets:
        return bool(_NUMBER.search(text))
    words = tokens(text)
    word_stems = stems(" ".join(words), drop_stopwords=False)
    for i, w in enumerate(words):
        if _NUMBER.fullmatch(w) or any(c.isdigit() for c in w):
            window = set(word_stems[i + 1 : i + 4])
            if any(term_matches(t, window) for t in targets):
                return True
    return False


def term_matches(key: str, sentence_stems: set[str]) -> bool:
    """A key stem is present as a word or as part of a compound (>= 5 letters)."""
    if key in sentence_stems:
        return True
    if len(key) < 5:
        return False
    return any(key in s or (len(s) >= 5 and s in key) for s in sentence_stems)


def coverage(keys: list[str], sentence_stems: set[str], weights: dict[str, float]) -> float:
    if not keys:
        return 1.0
    total = sum(weights.get(k, 1.0) for k in keys)
    got = sum(weights.get(k, 1.0) for k in keys if term_matches(k, sentence_stems))
    return got / total
