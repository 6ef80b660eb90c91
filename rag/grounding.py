"""Sentence-level grounding of a generated answer in the exact source text.

The model's answer is split into sentences with their `[n]` markers. For each sentence the
source sentence (or two adjacent ones) that supports it is looked for inside the passages it
cites: the share of its content words found there, plus e5 similarity. Checks that catch what
a model invents, whatever the scores say:

- a marker that points at a source that was not given;
- a number or a name that does not occur in the cited passages;
- a quotation (text between quotation marks) that is not in the cited passages.

A supported sentence carries its source span with exact offsets, so the citation keeps the
promise `quote == original[char_start:char_end]`. Thresholds: `GroundingConfig`, measured by
bench/grounding_eval.py (README).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.sentences import sentence_spans
from ingest.terms import key_forms
from rag.evidence import Sentence, coverage, is_instruction, sentences_of
from vectorstore.embedders import Embedder
from vectorstore.records import Hit

_MARKER = re.compile(r"\[\s*(?:bron\s*)?(\d+(?:\s*[,;]\s*(?:bron\s*)?\d+)*)\s*\]", re.IGNORECASE)
_LEADING_MARKERS = re.compile(r"^(\s*\[[^\]]*\d[^\]]*\]\s*)+")
_TOKEN = re.compile(r"\w+(?:[.,]\d+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")  # a whole token: "D66" and "50PLUS" are names
_NUMBER_WORDS = {
    "een": None, "één": "1", "twee": "2", "drie": "3", "vier": "4", "vijf": "5", "zes": "6",
    "zeven": "7", "acht": "8", "negen": "9", "tien": "10", "elf": "11", "twaalf": "12",
    "dertien": "13", "veertien": "14", "vijftien": "15", "twintig": "20", "dertig": "30",
    "veertig": "40", "vijftig": "50", "honderd": "100", "duizend": "1000",
}
_QUOTED = re.compile(r"[\"“”„«]([^\"“”„«»]{3,}?)[\"“”»]|'([^']{3,}?)'|‘([^’]{3,}?)’")
_NO_ANSWER = re.compile(
    r"\b(staat|stond|vind|vinden|zit|is)\b.{0,30}\bniet in de (documenten|bronnen|tekst)\b"
    r"|\b(bronnen|documenten) (geven|bevatten|noemen|zeggen) (hier )?(geen|niets)\b"
    r"|\bgeen antwoord (op|in)\b", re.IGNORECASE)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w-]{2,}|[A-Z]{2,}\d*)\b")


@dataclass(frozen=True)
class GroundingConfig:
    min_overlap: float = 0.6  # share of the sentence's content words in its source span ...
    min_similarity: float = 0.84  # ... at this e5 cosine, or
    high_similarity: float = 0.90  # ... at this cosine,
    min_overlap_high: float = 0.3  # ... this share suffices
    max_markers: int = 3  # markers per sentence considered


@dataclass(frozen=True)
class Support:
    """The source span that supports a sentence: one sentence, or two adjacent ones."""

    hit: Hit
    marker: int  # 1-based number of the passage it is in, as given to the model
    char_start: int
    char_end: int
    quote: str  # original[char_start:char_end]
    context_before: str
    context_after: str


@dataclass(frozen=True)
class GroundedSentence:
    text: str  # the generated sentence without its markers
    markers: tuple[int, ...]  # as the model wrote them
    supported: bool
    reason: str | None = None  # why not (Dutch, for the user)
    support: Support | None = None
    overlap: float = 0.0
    similarity: float = 0.0


def split_answer(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answer's sentences with their markers: (text without markers, marker numbers).
    Markers written after the full stop ("... geldig. [1]") belong to the sentence before."""
    out: list[tuple[str, list[int]]] = []
    for s, e in sentence_spans(text):
        piece = text[s:e].strip()
        lead = _LEADING_MARKERS.match(piece)
        if lead and out:  # "[1] Daarnaast ..." after "... geldig.": the marker is the previous'
            out[-1][1].extend(_numbers(lead.group()))
            piece = piece[lead.end():].strip()
        markers = _numbers(piece)
        clean = " ".join(_MARKER.sub(" ", piece).split())
        clean = re.sub(r"\s+([.,;:!?])", r"\1", clean)
        if re.search(r"\w", clean):
            out.append((clean, markers))
        elif out:
            out[-1][1].extend(markers)
    return [(t, tuple(dict.fromkeys(m))) for t, m in out]


def _numbers(text: str) -> list[int]:
    return [int(n) for m in _MARKER.finditer(text) for n in re.findall(r"\d+", m.group(1))]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[‘’‚‛`´]", "'", text)
    text = re.sub(r"[“”„‟«»]", '"', text)
    text = re.sub(r"-\s*\n\s*", "", text)
    return " ".join(text.split())


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, digits and number words alike ("tien" and "10" are one)."""
    out = {t.replace(".", "").replace(",", ".") for t in _TOKEN.findall(text)
           if _NUMBER.fullmatch(t)}
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        value = _NUMBER_WORDS.get(word)
        if value:
            out.add(value)
    return out


def quotes_in(text: str) -> list[str]:
    """Text between quotation marks, at least two words."""
    found = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]
    return [q.strip() for q in found if len(q.split()) >= 2]


def names_in(text: str) -> set[str]:
    """Capitalised words and abbreviations that do not open the sentence (names, parties)."""
    return {m.group(1) for m in _NAME.finditer(text)}


def _units(hit: Hit, marker: int) -> list[tuple[Support, str, frozenset]]:
    """Every sentence of a passage, and every pair of adjacent sentences, as candidate spans."""
    sents = sentences_of([hit])
    out: list[tuple[Support, str, frozenset]] = []
    for i, s in enumerate(sents):
        if is_instruction(s.text):  # text addressed to a model never supports an answer
            continue
        out.append((_support(hit, marker, s, s), s.text, s.forms))
        if i + 1 < len(sents) and not is_instruction(sents[i + 1].text):
            t = sents[i + 1]
            out.append((_support(hit, marker, s, t), f"{s.text} {t.text}", s.forms | t.forms))
    return out


def _support(hit: Hit, marker: int, first: Sentence, last: Sentence) -> Support:
    a, b = first.char_start - hit.char_start, last.char_end - hit.char_start
    return Support(hit, marker, first.char_start, last.char_end, hit.original[a:b],
                   hit.original[:a], hit.original[b:])


class Grounder:
    """Grounds generated sentences in the passages they cite (see the module docstring)."""

    def __init__(self, embedder: Embedder, config: GroundingConfig | None = None) -> None:
        self.embedder = embedder
        self.config = config or GroundingConfig()

    def ground(self, answer: str, hits: list[Hit],
               limit: int | None = None) -> list[GroundedSentence]:
        """Every sentence of `answer` grounded in `hits`; past `limit` sentences the rest are
        not checked (and not shown). A sentence the model repeats word for word is said once
        (small models loop). The passages' spans are embedded once per answer."""
        cache: dict[int, list] = {}
        out = []
        said: set[str] = set()
        for text, markers in split_answer(answer):
            folded = " ".join(text.split())
            if folded in said:
                continue
            said.add(folded)
            if limit is not None and len(out) >= limit:
                out.append(GroundedSentence(text, markers, False, "voorbij de lengtegrens"))
            else:
                out.append(self.ground_sentence(text, markers, hits, cache))
        return out

    def passes(self, overlap: float, similarity: float) -> bool:
        c = self.config
        return (overlap >= c.min_overlap and similarity >= c.min_similarity) or (
            overlap >= c.min_overlap_high and similarity >= c.high_similarity)

    def _cited(self, markers: tuple[int, ...], hits: list[Hit]) -> list[int]:
        """The passages a sentence is checked against: those it cites (the first
        `max_markers`), or all of them when it cites none."""
        return list(markers[: self.config.max_markers]) or list(range(1, len(hits) + 1))

    def check(self, text: str, markers: tuple[int, ...], hits: list[Hit]) -> str | None:
        """The hard checks, whatever the scores: a refusal statement, a marker to a source not
        given, a number, quotation or name not in the cited passages. None: all pass."""
        if _NO_ANSWER.search(text):  # "Dat staat niet in de documenten.": the model refuses
            return "het taalmodel vond geen antwoord in de bronnen"
        if any(not 1 <= m <= len(hits) for m in markers):
            return "verwijst naar een bron die niet gegeven is"
        cited = self._cited(markers, hits)
        passage = _fold(" ".join(hits[m - 1].original for m in cited))
        missing = numbers_in(text) - numbers_in(passage)
        if missing:
            return f"getal niet in de bron: {', '.join(sorted(missing))}"
        for q in quotes_in(text):
            if _fold(q) not in passage:
                return "citaat staat niet zo in de bron"
        known = passage + " " + _fold(" ".join(
            f"{hits[m - 1].title} {Path(hits[m - 1].source).stem}" for m in cited))
        unknown = [n for n in names_in(text) if n.lower() not in known]
        if unknown:
            return f"naam niet in de bron: {', '.join(sorted(unknown))}"
        return None

    def candidates(self, text: str, markers: tuple[int, ...], hits: list[Hit],
                   cache: dict | None = None) -> list[tuple[Support, float, float]]:
        """Every source span of the cited passages with (word overlap, e5 similarity);
        `cache` keeps the passages' span vectors across the sentences of one answer."""
        cited = self._cited(markers, hits)
        keys = key_forms(text)
        units = [u for m in cited for u in self._embedded_units(hits[m - 1], m, cache)]
        if not keys or not units:
            return []
        q = np.asarray(self.embedder.embed_query(text))
        sims = np.asarray([vec for _, _, vec in units]) @ q
        return [(support, coverage(keys, forms, {}), float(sim))
                for ((support, forms, _), sim) in zip(units, sims, strict=True)]

    def _embedded_units(self, hit: Hit, marker: int,
                        cache: dict | None) -> list[tuple[Support, frozenset, object]]:
        """A passage's spans with their forms and vectors (from `cache` when there)."""
        if cache is not None and marker in cache:
            return cache[marker]
        units = _units(hit, marker)
        vecs = (np.asarray(self.embedder.embed_documents([t for _, t, _ in units]))
                if units else [])
        out = [(support, forms, vec) for (support, _, forms), vec in zip(units, vecs,
                                                                        strict=True)]
        if cache is not None:
            cache[marker] = out
        return out

    def ground_sentence(self, text: str, markers: tuple[int, ...], hits: list[Hit],
                        cache: dict | None = None) -> GroundedSentence:
        reason = self.check(text, markers, hits)
        if reason:
            return GroundedSentence(text, markers, False, reason)
        found = self.candidates(text, markers, hits, cache)
        if not found:
            return GroundedSentence(text, markers, False, "geen steun in de bron")
        # the best span; a single sentence beats the pair it starts when both pass
        support, ov, sim = max(found, key=lambda f: (self.passes(f[1], f[2]), f[1] + f[2],
                                                     -(f[0].char_end - f[0].char_start)))
        if not self.passes(ov, sim):
            reason = "geen bronverwijzing" if not markers else "geen steun in de bron"
            return GroundedSentence(text, markers, False, reason, overlap=ov, similarity=sim)
        return GroundedSentence(text, markers, True, None, support, ov, sim)
