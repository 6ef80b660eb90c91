"""Rules that complete an extractive answer beyond its best sentence (rag/extractive.py):
the items of an announced list and "Daarnaast ..." continuations, a second topic the best
sentence misses, and the other side of a disagreement about a number or date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.structure import is_speaker_line
from ingest.terms import stems, text_forms
from rag.evidence import (
    REQUEST_VERBS,
    Key,
    Sentence,
    alternatives,
    announced_count,
    announces_list,
    continues,
    ends_list,
    explains,
    has_kind,
    is_fragment,
    is_instruction,
    rounds_off,
    term_matches,
    values_in,
)
from rag.named_documents import NEWS_WORDS
from rag.speakers import sentence_speaker
from vectorstore.records import Hit


@dataclass
class Scored:
    """A candidate sentence with what the refusal rule and the ranking look at."""

    sentence: Sentence
    coverage: float  # key terms in the sentence and its document's title
    similarity: float
    score: float
    qualifies: bool
    own: float = 0.0  # key terms in the sentence alone
    with_next: bool = False  # qualifies only together with the next sentence
    kind_ok: bool = True  # holds the kind of answer asked for (number, duration, date)
    pair: tuple[float, float, bool] | None = None  # with the next sentence: coverage, sim, kind
    lead: Sentence | None = None  # the quotation just before that this sentence refers to
    blocked: bool = False  # may not answer: outside the named documents, or without the names


@dataclass(frozen=True)
class Context:
    """What one question's scoring knows beyond the scores: each sentence's next sentence, the
    question's key terms and the kind of answer asked for; for "Waarmee begint de brief?" the
    first sentence that answers it; each sentence's previous one, where adjacent."""

    next: dict[tuple[str, int], Sentence]
    keys: list[Key]
    kind: str | None
    first: tuple[str, int] | None = None
    before: dict[tuple[str, int], Sentence] | None = None  # each sentence's previous one


# what a document is, as its name says ("Brief aan ...", "Verkiezingsprogramma PVV 2021"): a
# question's "de brief" names the kind of document, it is not covered by the title
_KIND_FORMS = text_forms("brief brieven verkiezingsprogramma programma handelingen "
                         "kamerstukken item heer mevrouw " + " ".join(sorted(NEWS_WORDS)))


# "volgens de brief van het sociaal werk": the letter whose sender the question names
_LETTER_OF = re.compile(r"\b(?:volgens|in|uit|met)\s+de\s+brief\s+van\s+(.+?)"
                        r"(?=\s+(?:aan|over|die|dat|om|tijdens|in|bij)\b|[?,.!]|$)", re.IGNORECASE)
# "volgens de sociaal werkers ...": the sender named as the source
_ACCORDING_TO = re.compile(r"\bvolgens\s+(?:de|het)\s+(.+)$", re.IGNORECASE)
_TITLE_SENDER = re.compile(r"^Brief van (.+?) aan\b", re.IGNORECASE)


def _close(a: str, b: str) -> bool:
    """Stems of one word ("werker", "werk"): equal, or sharing a prefix of 4 letters that is
    the whole of the shorter one."""
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (len(short) >= 4 and long_.startswith(short))


def letter_of_sender(question: str, titles: set[str]) -> set[str]:
    """The titles among `titles` of the letters whose sender the question names ("Hoeveel
    ..., volgens de brief van het sociaal werk?" -> "Brief van het sociaal werk aan de heer
    Rutte"); empty when it names none or no such letter is among them. "De brief van Rutte"
    is the letter Rutte wrote, not one addressed to him."""
    m = _LETTER_OF.search(question)
    according = _ACCORDING_TO.search(question)
    if m is None and according is None:
        return set()
    wanted = [w for w in stems(m.group(1)) if len(w) >= 3] if m else []
    said = [w for w in stems(according.group(1)) if len(w) >= 3] if according else []
    out = set()
    for title in titles:
        t = _TITLE_SENDER.match(title)
        have = [h for h in stems(t.group(1)) if len(h) >= 3] if t else []
        of_sender = bool(wanted) and all(any(_close(w, h) for h in have) for w in wanted)
        # "volgens de sociaal werkers ...": the sender's words open what follows "volgens"
        by_sender = bool(have and said) and all(any(_close(w, h) for w in said[: len(have)])
                                                for h in have)
        if of_sender or by_sender:
            out.add(title)
    return out


# "Waarmee begint de brief?", "Met welk citaat opent de brief?", "Wat is de eerste zin ...?"
_OPENING = re.compile(r"\b(?:begint|beginnen|opent|openen|start)\b|\beerste zin\b|\baanhef\b",
                      re.IGNORECASE)
_OPENING_FORMS = text_forms("begint opent start eerste zin aanhef")
_LEAD = 20
_DOCUMENT_WORD = re.compile(r"\b(?:brief|bericht|nieuwsbericht|programma|verkiezingsprogramma|"
                            r"tekst|document|toespraak|verslag|stuk)\b", re.IGNORECASE)


def asks_opening(question: str) -> bool:
    """Whether the question asks how a document begins ("Waarmee begint de brief?"; not "Hoe
    begint de procedure?")."""
    return bool(_OPENING.search(question)) and bool(_DOCUMENT_WORD.search(question))


# "Aan wie is de brief gericht?", "Wie is de geadresseerde?": the letter's salutation answers
_ADDRESSEE_QUESTION = re.compile(
    r"\baan wie\b.*\b(?:gericht|geschreven|gestuurd|verstuurd|geadresseerd|brief|schrijven|"
    r"schrijft)\b|\bgeadresseerde\b|\bvoor wie is (?:de|deze|die) brief\b", re.IGNORECASE)
_ADDRESSEE_FORMS = text_forms("gericht geschreven gestuurd verstuurd geadresseerd geadresseerde "
                              "schrijven schrijft")
SALUTATION = re.compile(r"^\s*(?:zeer\s+)?(?:geachte|beste|hooggeachte|lieve)\s+\w",
                        re.IGNORECASE)


def asks_start(question: str) -> bool:
    """Whether the answer is at a document's start: how it opens, or whom a letter is to."""
    return asks_opening(question) or asks_addressee(question)


def asks_addressee(question: str) -> bool:
    """Whether the question asks whom a letter is addressed to ("Aan wie is de brief
    gericht?")."""
    return bool(_ADDRESSEE_QUESTION.search(question))


def without_addressee_words(keys: list[Key]) -> list[Key]:
    """An addressee question's keys without "gericht"/"geschreven": the salutation ("Geachte
    heer Rutte,") answers it without them. Empty when nothing else is left."""
    return _drop(keys, _ADDRESSEE_FORMS)


def salutations(sentences: list[Sentence]) -> dict[str, Sentence]:
    """Per document, its first salutation ("Geachte heer Rutte,") among `sentences`."""
    out: dict[str, Sentence] = {}
    for s in sentences:
        if SALUTATION.match(s.text):
            cur = out.get(s.hit.source)
            if cur is None or s.char_start < cur.char_start:
                out[s.hit.source] = s
    return out


def _drop(keys: list[Key], forms: frozenset[str]) -> list[Key]:
    """`keys` without those any of whose alternatives is in `forms`."""
    return [k for k in keys if not set(alternatives(k)) & forms]


def _without(keys: list[Key], forms: frozenset[str]) -> list[Key]:
    """`keys` without those any of whose alternatives is in `forms` (all keys when only
    those)."""
    return _drop(keys, forms) or keys


_REQUEST_FORMS = text_forms(REQUEST_VERBS)


def without_request_words(keys: list[Key]) -> list[Key]:
    """A request question's keys without "vraagt"/"roept op": the request ("investeer in
    ...") answers it without those words, and "vraagt extra inzet" is no request."""
    return _without(keys, _REQUEST_FORMS)


_MONEY_FORMS = text_forms("geld bedrag euro")


def without_money_words(keys: list[Key]) -> list[Key]:
    """"Hoeveel geld / euro ...": an amount ("€ 450", "35 miljoen") answers it without the
    words "geld" or "euro"."""
    return _without(keys, _MONEY_FORMS)


_MOTION_SIGNED = re.compile(r"\b(deze|de) motie is voorgesteld door\b", re.IGNORECASE)
_MOTION_SPAN = 800  # characters from a motion's "verzoekt ..." to the line that names its authors


def preceding_requests(sentences: list[Sentence]) -> dict[tuple[str, int], Sentence]:
    """For each "Deze motie is voorgesteld door de leden ..." (Handelingen), the request of
    that motion ("verzoekt de regering ...") shortly before it in its document: the authors
    and the request are two sentences with the chair's label between them."""
    out: dict[tuple[str, int], Sentence] = {}
    for group in _by_document(sentences):
        last = None
        for x in group:
            if has_kind(x.text, "request") and not _MOTION_SIGNED.search(x.text):
                last = x
            elif (_MOTION_SIGNED.search(x.text) and last is not None
                  and x.char_start - last.char_end <= _MOTION_SPAN):
                out[x.key] = last
    return out


def without_opening_words(keys: list[Key]) -> list[Key]:
    """An opening question's keys without "begint"/"opent"/"eerste zin": the first sentence
    answers it without those words."""
    return _without(keys, _OPENING_FORMS)


def opening_sentences(sentences: list[Sentence]) -> dict[str, Sentence]:
    """Per document whose first chunk is among the candidates (it starts within the first
    `_LEAD` characters: a document may open with blank lines), its first sentence."""
    out: dict[str, Sentence] = {}
    for s in sentences:
        if s.hit.char_start < _LEAD:
            cur = out.get(s.hit.source)
            if cur is None or s.char_start < cur.char_start:
                out[s.hit.source] = s
    return out


def without_kind_words(keys: list[Key]) -> list[Key]:
    """The question's keys without the words that name a kind of document ("volgens de
    brief", "in het verkiezingsprogramma"): they say where to look, not what the answer
    holds, so they neither count against a sentence nor for it (all keys when only those)."""
    return _without(keys, _KIND_FORMS)


# "Brief (van het sociaal werk) aan de heer Rutte": whom a letter is addressed to
_ADDRESSEE = re.compile(r"^brief\b.*?\baan\s+(.+)$", re.IGNORECASE)
# the verbs of a person's own view or words: "Wat wil Rutte", "Vindt Rutte dat", "Rutte zegt"
_OWN_VIEW = ("wil|wilde|vindt|vond|zegt|zei|denkt|dacht|schrijft|schreef|noemt|erkent|"
             "benadrukt|verwacht|belooft|beloofde|hoopt|pleit|waarschuwt|roept")


def _speaks(question: str, name: str) -> bool:
    """Whether `name` is the subject of a verb of view or speech in `question`."""
    n = re.escape(name)
    return bool(re.search(rf"\b(?:{_OWN_VIEW})\s+(?:de\s+heer\s+|mevrouw\s+)?{n}\b"
                          rf"|\b{n}\s+(?:{_OWN_VIEW})\b", question, re.IGNORECASE))


def document_forms(hit: Hit, question: str = "") -> frozenset[str]:
    """Terms of a document's title and file name: "Wat zegt de Paspoortwet over ..." names the
    document, not a word of the answer sentence. A letter's addressee ("aan de heer Rutte")
    does not name it for a question about the addressee's own view ("Wat voor overheid wil
    Rutte?"): that is in what Rutte said, not in what was written to him."""
    name = Path(hit.source).stem.replace("_", " ").replace("-", " ")
    forms = text_forms(f"{hit.title} {name}") - _KIND_FORMS
    m = _ADDRESSEE.match(hit.title or "")
    if m is None or not question:
        return forms
    names = [w for w in re.findall(r"[^\W\d_]+", m.group(1)) if w[:1].isupper()]
    speaking = [w for w in names if _speaks(question, w)]
    return forms - text_forms(" ".join(speaking)) if speaking else forms


def place_forms(hit: Hit, offset: int | None = None) -> frozenset[str]:
    """Terms of a passage's heading and speaker ("Dwangsom bij niet tijdig beslissen", "De heer
    Paternotte (D66)"): like a title, they say what its sentences are about and who says them.
    With `offset` (into the document) the speaker of the spreekbeurt holding it."""
    who = (hit.structure.get("spreker") if offset is None else sentence_speaker(hit, offset))
    return text_forms(f"{hit.structure.get('kop', '')} {who or ''}".strip())


def _by_document(sentences: list[Sentence]) -> list[list[Sentence]]:
    """The sentences of each document, in source order."""
    by_source: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_source.setdefault(s.hit.source, []).append(s)
    return [sorted(group, key=lambda s: s.char_start) for group in by_source.values()]


def neighbours(sentences: list[Sentence]) -> dict[tuple[str, int], Sentence]:
    """Each sentence's next sentence in its document, where the two are adjacent and no
    speaker line ("De heer Kops (PVV):") parts them: an answer does not run on into the next
    speaker's turn."""
    nxt = {}
    for group in _by_document(sentences):
        for a, b in zip(group, group[1:], strict=False):
            if is_speaker_line(a.text) or is_speaker_line(b.text):
                continue
            if 0 <= b.char_start - a.char_end <= 12:
                nxt[a.key] = b
    return nxt



def continuation(best: Scored, ctx: Context, cfg) -> list[Sentence]:
    """Sentences after the best one that complete it: the other half of a pair that
    qualifies together, the items of an announced list, "Daarnaast ..." sentences, what a
    term it introduces ("de zogenaamde X") is."""
    out: list[Sentence] = []
    s = best.sentence
    listing = announces_list(s.text)
    count = announced_count(s.text) if listing else None
    room = cfg.max_list_sentences - 1 if listing else cfg.max_sentences - 1
    room = min(room, count) if count else room
    while len(out) < room:
        nxt = ctx.next.get(s.key)
        if nxt is None or is_instruction(nxt.text):
            break
        if is_fragment(nxt.text):  # a bare list number ("2.") between items: skip it
            s = nxt
            continue
        item = continues(nxt.text) or (listing and (count or not out)) or (
            not out and (explains(s.text, nxt.text) or rounds_off(nxt.text)))
        if not (item or (best.with_next and not out)):
            break
        out.append(nxt)
        if ends_list(nxt.text):
            break
        s = nxt
    return out

def second_topic(best: Scored, group: list[Sentence], scored: list[Scored], taken: set,
             ctx: Context, gap: float) -> list[Scored]:
    """When the question asks about two things and the answer so far covers one, the best
    sentence that covers a missing key term: of the best sentence's document, or one that
    answers the question itself. A word of another document's sentence is no second topic
    ("Op welke leeftijd ... volgens 50PLUS ... AOW krijgen?" got the PvdD's "... krijgt vanaf
    dan AOW" for "krijgen"; 20 of 97 right answers of the dev half cited a second document,
    7 now). The sentence right after one of the answer's own, when it holds a missing term,
    comes first and needs no similarity: the text goes on about the question ("In 2016 kreeg
    Careyn een aanwijzing." "... zodat de termijn met een jaar werd verlengd.")."""
    have = set().union(*(s.forms for s in group)) | document_forms(best.sentence.hit)
    missing = [k for k in ctx.keys if not term_matches(k, have)]
    if not missing or len(missing) == len(ctx.keys):
        return []
    by_key = {x.sentence.key: x for x in scored}
    for s in group:  # the text's own next sentence, when it holds a missing term
        nxt = ctx.next.get(s.key)
        x = by_key.get(nxt.key) if nxt is not None else None
        if x is not None and x.sentence.key not in taken and not x.blocked and any(
                term_matches(k, nxt.forms) for k in missing):
            return [x]
    floor = best.similarity - gap
    for x in scored:
        if x.sentence.key in taken or x.similarity < floor or x.blocked:
            continue
        if not x.qualifies and x.sentence.hit.source != best.sentence.hit.source:
            continue
        if x.own > 0 and any(term_matches(k, x.sentence.forms) for k in missing):
            return [x]
    return []

def other_side(best: Scored, scored: list[Scored], taken: set, ctx: Context) -> list[Scored]:
    """For a number or date: a qualifying sentence of another document that states a
    different value, so an answer never quotes one side of a disagreement only."""
    mine = values_in(best.sentence.text, ctx.kind)
    if not mine:
        return []
    for x in scored:
        if x.sentence.key in taken or not x.qualifies:
            continue
        if x.sentence.hit.source == best.sentence.hit.source:
            continue
        if x.score < best.score - 0.1:
            break
        theirs = values_in(x.sentence.text, ctx.kind)
        if theirs and not theirs & mine:
            return [x]
    return []

