"""Dutch terms: tokens, stop words and Snowball stems (shared by BM25 and answer checks)."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

QUESTION_WORDS = frozenset(
    "wie wat waar wanneer waarom hoe hoeveel welk welke waarmee waardoor waarvoor waaraan "
    "waarover waarin hoelang".split()
)
STOPWORDS = frozenset(STOPWORDS_DUTCH) | QUESTION_WORDS | frozenset(
    "volgens staat stelt staan gaat gaan komt komen worden werden wordt zijn is was waren "
    "hebben heeft had hadden kunnen kan kon zullen zal zou zouden moeten moet mogen mag "
    "elkaar jullie wij we zij ze u uw onze ons hun hen deze dit die dat een de het "
    "er daar hier wel niet geen nog ook al dan toen of en maar want dus bij met".split()
)
_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (hyphenated compounds split into parts too)."""
    out: list[str] = []
    for m in _TOKEN.finditer(text.lower()):
        word = m.group()
        out.append(word)
        if "-" in word:
            out.extend(p for p in word.split("-") if p)
    return out


def stems(text: str, drop_stopwords: bool = True) -> list[str]:
    words = [t for t in tokens(text) if not (drop_stopwords and t in STOPWORDS)]
    return _stemmer().stemWords(words)


def char_ngrams(text: str, n: int = 5) -> list[str]:
    """Character n-grams of the content words, padded with "_" and marked with "#".

    Dutch writes compounds as one word ("gehoorschade", "schadevergoeding"): stems alone
    never match their parts; shared n-grams do. Words shorter than n stay whole.
    """
    out: list[str] = []
    for t in tokens(text):
        if t in STOPWORDS:
            continue
        w = f"_{t}_"
        out.extend(["#" + w] if len(w) <= n else ["#" + w[i : i + n] for i in
                                                  range(len(w) - n + 1)])
    return out


def key_terms(question: str) -> list[str]:
    """Stems of the content words of a question, in order, without duplicates."""
    seen: dict[str, None] = {}
    for s in stems(question):
        if len(s) > 1:
            seen.setdefault(s, None)
    return list(seen)
