"""Documents a question names: "Wat wil GroenLinks met het minimumloon?", "Wat zegt de
Paspoortwet over ...". Such a question is about that document first, so the chain retrieves
from it as well as from the whole index.

A name token is a word of a document's title or file name that at most `max_df` documents
carry (so "wet" or "2021" never count) and that is not a stop word. A title's ordinary word
names its document only when the question writes it as a name ("de Partij voor de Dieren",
not "een partij").
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.terms import STOPWORDS

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_NAME_WORDS = 10
# a document's kind in its title ("Brief aan de heer Rutte"): "de brief" names the only letter
_KINDS = frozenset("brief nota rapport verslag advies toespraak speech memo notitie".split())
# "volgens het (nieuws)bericht": a news item, whose title is its first sentence (longer than
# `MAX_NAME_WORDS` words); programmes, laws, letters and Handelingen have short names
NEWS_WORDS = frozenset("bericht nieuwsbericht nieuwsartikel krantenartikel".split())


def name_tokens(title: str, source: str) -> dict[str, bool]:
    """Distinctive-looking words of a title and a file name ("SP_2021.txt" -> {"sp"}), each
    with whether a question must write it with a capital to name the document: a title's
    ordinary word ("Partij voor de Dieren", "125 miljoen euro voor ... Humanitas") names it
    only as a name ("de Partij voor de Dieren", not "een partij"); a file name's word, or one
    written unlike a word ("PvdA", "GroenLinks", "50PLUS"), names it however it is typed. A
    title of more than `MAX_NAME_WORDS` words (a news item's first sentence) is no name: only
    its lone capitalised words are (`lone_names`)."""
    title_words = _WORD.findall(title)
    words: dict[str, bool] = {}
    if len(title_words) > MAX_NAME_WORDS:
        title_words = []
    for w in title_words:
        if len(w) >= 3 and not _PLACE_ADJECTIVE.search(w):
            plain = (w[1:].islower() and not any(c.isdigit() for c in w)
                     and w.lower() not in _KINDS)
            words[w.lower()] = words.get(w.lower(), True) and plain
    for w in _WORD.findall(Path(source).stem):
        if len(w) >= 2:
            words[w.lower()] = False
    short = initialism(title)
    if short:
        words[short] = False
    return {w: cap for w, cap in words.items() if w not in STOPWORDS and not w.isdigit()}


# "Nederlandse", "Europese": Dutch capitalises these adjectives, so the capital says no name
_PLACE_ADJECTIVE = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ]{3,}(?:se|sche)$")


def phrase_words(title: str, source: str) -> dict[str, frozenset[str]]:
    """The ordinary (lower-case) words of a title of several words that its file name also
    carries ("Wet bescherming persoonsgegevens"; not "Volt" of "Verkiezingsprogramma Volt"),
    each with the title's other words: such a word names the document only beside one of them
    ("de Wet bescherming persoonsgegevens", "het College bescherming persoonsgegevens"), not
    alone ("of de dienst persoonsgegevens over mij heeft", "hoeveel personen"). A one-word
    title ("Paspoortwet") names its document however typed."""
    words = [w for w in _WORD.findall(title) if w.lower() not in _LINKS and not w.isdigit()]
    if not 2 <= len(words) <= MAX_NAME_WORDS:
        return {}
    in_file = {w.lower() for w in _WORD.findall(Path(source).stem)}
    lower = frozenset(w.lower() for w in words)
    return {w.lower(): lower - {w.lower()} for i, w in enumerate(words)
            if w.lower() in in_file and (w.islower() or i == 0 and w[1:].islower())
            and not w.lower().endswith("wet") and w.lower() not in _KINDS}


def lone_names(title: str) -> list[str]:
    """The person's or organisation's names in a long title (a news item's first sentence,
    "VVD-leider Rutte doet een oproep ... voor de Tweede Kamerverkiezingen ..."): a capitalised
    word between lower-case ones ("Rutte"). The first word is capitalised anyway, and a run of
    capitals ("Tweede Kamerverkiezingen") is an institution or an event other documents name.
    Lower-cased; none for a title of at most `MAX_NAME_WORDS` words (its words are names)."""
    words = _WORD.findall(title)
    if len(words) <= MAX_NAME_WORDS:
        return []

    def capital(i: int) -> bool:
        return 0 <= i < len(words) and words[i][:1].isupper()

    return [w.lower() for i, w in enumerate(words) if i > 0 and len(w) >= 3 and capital(i)
            and not capital(i - 1) and not capital(i + 1) and w.lower() not in STOPWORDS]


_LAW_TITLE = re.compile(r"^(?:algemene\s+)?(?:rijks)?wet\b|^(?:besluit|regeling|verordening)\b",
                        re.IGNORECASE)


def is_law_title(title: str) -> bool:
    """"Wet openbaarheid van bestuur", "Algemene wet bestuursrecht", "Gemeentewet"."""
    first = title.split(maxsplit=1)[0].lower() if title.strip() else ""
    return bool(_LAW_TITLE.search(title)) or (first.endswith("wet") and len(first) > 3)


_LINKS = frozenset("op de het van en der voor in inzake tot".split())


def initialism(title: str) -> str | None:
    """How a law is abbreviated: the first letters of its title's words without the linking
    ones ("Wet openbaarheid van bestuur" -> "wob", "Algemene wet bestuursrecht" -> "awb",
    "Wet op de inlichtingen- en veiligheidsdiensten 2002" -> "wiv"); None for other titles
    or fewer than three letters."""
    if not is_law_title(title):
        return None
    letters = "".join(w[0] for w in _WORD.findall(title)
                      if w.lower() not in _LINKS and not w.isdigit())
    return letters.lower() if len(letters) >= 3 else None


# "Wat doet de VVD naast de brief nog ...?": a letter that is mentioned, not the source asked
_MENTIONED_KIND = re.compile(r"\b(?:naast|behalve|buiten|na|over|met|zonder|tegen|sinds|op)\s+"
                             r"(?:de|het|deze|die|dat|een|zijn|haar|hun)\s+\Z", re.IGNORECASE)


# the words that lead up to a name and go with it: "volgens de", "van het", "voor de", "in de"
_NAME_LEAD = re.compile(r"(?:\b(?:volgens|van|in|bij|voor|op|en)\s+)?(?:\b(?:de|het|der)\s+)?"
                        r"(?:\b(?:voor|van|op)\s+(?:de|het)\s+)?\s*\Z", re.IGNORECASE)


# "Wat zei de minister in het debat over de Wob?": a debate about the law, not the law
_DEBATE = re.compile(r"\b(debat\w*|kamerdebat\w*|kamerlid|kamerleden|staatssecretaris|motie\w*|"
                     r"handelingen|zei|zeiden|sprak|betoog)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Naming:
    """The documents a question names ("Wat wil BIJ1 ...": BIJ1's programme) and its naming
    words (["bij1"])."""

    sources: list[str]
    words: list[str]
    # only laws named: other documents that mention them (a programme's "de Wob wordt
    # aangescherpt") do not answer "Moet ik bij een Wob-verzoek uitleggen waarom?" (unless
    # the question is about a debate: "Wat zei het Kamerlid over de Wob?")
    laws_only: bool = False
    # named as a news item ("volgens het bericht"): that document answers, not a passage
    # elsewhere that names the same person ("tien jaar Rutte" in a programme). Not "de brief":
    # "de brief van Rutte" is the letter a news item reports on, not a document of its own
    as_news: bool = False


class NamedDocuments:
    """Maps a question to the sources it names; the catalog is re-read every `ttl` seconds."""

    def __init__(self, documents: Callable[[], list], max_df: int = 2, max_named: int = 3,
                 ttl: float = 30.0) -> None:
        self._documents = documents
        self._max_df, self._max_named, self._ttl = max_df, max_named, ttl
        self._index: dict[str, set[str]] = {}
        self._capital: set[str] = set()  # tokens that name a document only with a capital
        self._firm: dict[str, set[str]] = {}  # names of what a document is (not lone names)
        self._laws: set[str] = set()
        self._phrase: dict[str, frozenset[str]] = {}  # tokens that name only beside these
        self._loaded = float("-inf")

    def _refresh(self) -> None:
        if time.monotonic() - self._loaded < self._ttl:
            return
        index: dict[str, set[str]] = {}
        lone: dict[str, set[str]] = {}
        capital: dict[str, bool] = {}
        laws: set[str] = set()
        phrase: dict[str, frozenset[str] | None] = {}  # None: names its document alone too
        for d in self._documents():
            if is_law_title(d.title or ""):
                laws.add(d.source)
            beside = phrase_words(d.title or "", d.source)
            for token, cap in name_tokens(d.title or "", d.source).items():
                index.setdefault(token, set()).add(d.source)
                capital[token] = capital.get(token, True) and cap
                if token in beside and phrase.get(token, frozenset()) is not None:
                    phrase[token] = phrase.get(token, frozenset()) | beside[token]
                else:  # a name of another document, or of this one, alone
                    phrase[token] = None
            for token in lone_names(d.title or ""):
                lone.setdefault(token, set()).add(d.source)
                capital[token] = capital.get(token, True)
            if len(_WORD.findall(d.title or "")) > MAX_NAME_WORDS:
                for token in NEWS_WORDS:  # a news item: its title is its first sentence
                    index.setdefault(token, set()).add(d.source)
                    capital[token] = False
        both = {t: index.get(t, set()) | lone.get(t, set()) for t in {*index, *lone}}
        self._index = {t: s for t, s in both.items() if len(s) <= self._max_df}
        # names of what a document is (its short title, file name, abbreviation), not only of
        # whom it mentions: the answerer answers a question that uses one from that document
        self._firm = {t: s for t, s in index.items() if len(s) <= self._max_df}
        self._capital = {t for t, cap in capital.items() if cap}
        self._laws = laws
        self._phrase = {t: w for t, w in phrase.items() if w is not None}
        self._loaded = time.monotonic()

    def _names(self, question: str, firm: bool = False
               ) -> tuple[set[str], list[re.Match[str]]]:
        self._refresh()
        by_source: dict[str, set[str]] = {}
        naming: list[re.Match[str]] = []
        matches = list(_WORD.finditer(question))
        content = [i for i, m in enumerate(matches) if m.group().lower() not in _LINKS]
        for i, m in enumerate(matches):
            word = m.group()
            token = word.lower()
            if token in self._capital and (i == 0 or word[0].islower()):
                continue  # "een partij", or a question's first word: no name
            kind = token in _KINDS or token in NEWS_WORDS
            if firm and kind and _MENTIONED_KIND.search(question, 0, m.start()):
                continue
            if token in self._phrase and not self._beside(matches, content, i):
                continue  # "persoonsgegevens" alone: no "Wet bescherming persoonsgegevens"
            sources = (self._firm if firm else self._index).get(token)
            if sources:
                for source in sources:  # a kind ("het bericht") is no part of a name
                    by_source.setdefault(source, set()).update(set() if kind else {token})
                naming.append(m)
        # "de Algemene wet gelijke behandeling" names that law, not also the Algemene wet
        # bestuursrecht: a document named only by words that name another one too is dropped
        found = {s for s, words in by_source.items()
                 if not words or not any(words < other for other in by_source.values())}
        return found, naming

    def _beside(self, matches: list[re.Match[str]], content: list[int], i: int) -> bool:
        """Whether the nearest word before or after word `i` (past "op de", "van") is another
        word of the title that word `i` comes from."""
        at = content.index(i)
        near = [content[j] for j in (at - 1, at + 1) if 0 <= j < len(content)]
        words = self._phrase[matches[i].group().lower()]
        return any(matches[j].group().lower() in words for j in near)

    def named(self, question: str) -> list[str]:
        """Sources whose distinctive name the question uses (none when it names too many)."""
        found, _ = self._names(question)
        return sorted(found) if len(found) <= self._max_named else []

    def naming(self, question: str) -> Naming:
        """The sources the question names by what they are (a title, a file name, a law's
        abbreviation; not a name a news item's first sentence mentions) and the words it names
        them with."""
        found, naming = self._names(question, firm=True)
        if not found or len(found) > self._max_named:
            return Naming([], [])
        # "het bericht" names the news item, but a passage that says "bericht" does not speak
        # of it; "de brief" stays a word a passage may name it by: "de brief van Rutte" is the
        # letter the news item reports on, in sentences that say "brief"
        said = {m.group().lower() for m in naming}
        words = said - NEWS_WORDS
        return Naming(sorted(found), sorted(words),
                      laws_only=found <= self._laws and not _DEBATE.search(question),
                      as_news=bool(said & NEWS_WORDS))

    def within(self, question: str) -> str:
        """The question to search the named documents with: without the words that name them
        ("Welke vluchten wil GroenLinks schrappen?" -> "Welke vluchten wil schrappen?").
        Inside GroenLinks's programme the name says nothing, yet it outweighed "vluchten" in
        both BM25 and the question's vector (the answer's chunk ranked 60th of 214)."""
        found, naming = self._names(question)
        if not naming or len(found) > self._max_named:
            return question
        out, last = [], 0
        for m in naming:
            if "-" in question[max(0, m.start() - 1):m.end() + 1]:
                continue  # part of a compound: "Wob-verzoek" keeps its name
            start = m.start()
            lead = _NAME_LEAD.search(question, last, start)  # "volgens de ", "de ", "van het "
            if lead is not None:
                start = lead.start()
            out.append(question[last:start])
            last = m.end()
        out.append(question[last:])
        stripped = " ".join("".join(out).split())
        stripped = re.sub(r"\s+([?.!,])", r"\1", stripped)
        return stripped if _WORD.search(stripped) else question
