"""The sentences of a passage's original wording, as the answerer quotes and embeds them.

One function for both sides: the answerer splits a retrieved passage with it (rag/evidence.py),
and the ingest pre-computes the passage vectors of the same sentence texts
(vectorstore/sentence_vectors.py), so a question looks them up instead of embedding them.
"""

from __future__ import annotations

from functools import lru_cache

from ingest.furniture import all_furniture, cut, inline_line_numbers, line_numbers
from ingest.normalize import normalize
from ingest.sentences import sentence_spans

MIN_SENTENCE_CHARS = 15  # shorter ones ("Ja.", "Artikel 3") are never quoted as an answer


def passage_sentences(original: str, furniture: tuple[tuple[int, int], ...] = ()
                      ) -> list[tuple[int, int, str]]:
    """(start, end, text) per sentence: `original[start:end]` is its wording, `text` its
    normalised one-line form; page furniture (headers, page numbers, and the document's
    running headers the chunk knows, `furniture`: spans into `original`) is cut out. Recent
    passages are remembered (the answerer splits the same popular chunks again and again)."""
    return list(_split(original, tuple(furniture)))


@lru_cache(maxsize=4096)
def _split(original: str, furniture: tuple[tuple[int, int], ...]
           ) -> tuple[tuple[int, int, str], ...]:
    norm = normalize(original)
    # original offsets of the characters of line numbers: no words of a sentence
    numbered = {o for a, b in [*line_numbers(original), *inline_line_numbers(original)]
                for o in range(a, b)}
    out: list[tuple[int, int, str]] = []
    cuts = all_furniture(norm.text, norm.offsets, furniture)
    for s, e in cut(sentence_spans(norm.text), cuts):
        if numbered:
            while s < e and (norm.text[s].isspace() or norm.offsets[s] in numbered):
                s += 1
        while s < e and norm.text[s].isspace():
            s += 1
        while e > s and norm.text[e - 1].isspace():
            e -= 1
        if e - s < 2:
            continue
        os_, oe = norm.to_original(s, e)
        text = norm.text[s:e].replace("\n", " ")
        if numbered and any(o in numbered for o in norm.offsets[s:e]):
            text = " ".join("".join(c for c, o in zip(norm.text[s:e], norm.offsets[s:e],
                                                       strict=True)
                                    if o not in numbered).split())
        out.append((os_, oe, text))
    return tuple(out)
