"""Follow-up questions rewritten into standalone ones before retrieval.

"En wat zegt de PvdA daarover?" after "Wat wil de VVD met de hypotheekrenteaftrek?" becomes
"Wat zegt de PvdA over de hypotheekrenteaftrek?"-like text for retrieval: the new question with
the earlier question's topic, without the earlier subject (the VVD) that the new one replaces.
A question on a new topic is left alone, so an earlier topic never drags along.

`rewrite_heuristic` works without a model; `LLMRewriter` asks the configured chat model and
falls back to the heuristic when the model fails or answers nonsense.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from ingest.terms import STOPWORDS, key_terms

log = logging.getLogger(__name__)

History = list[tuple[str, str]]  # (standalone question, answer text), oldest first
Rewriter = Callable[[str, History | None], str]

# "daarover", "erover", "hierover", "daarvan", ... : a pronominal adverb points back
_POINTS_BACK = re.compile(
    r"\b(daar|er|hier)(over|van|mee|bij|voor|tegen|aan|in|op|om|door|na|uit|naar|toe)\b"
    r"|\b(dat|dit|die|deze)\s+(plan|plannen|punt|voorstel|onderwerp|regel|regeling|wet|partij|"
    r"maatregel|idee|standpunt)\b"
    r"|\b(dat|dit)\s*\?$"
    r"|\b(hetzelfde|ook zo)\b"
    r"|(?<=\bzit )(het|dat|dit)\b"
    r"|(?:(?<=\bis )|(?<=\bwas )|(?<=\bgeldt )|(?<=\bkost )|(?<=\bduurt )|(?<=\bwerkt ))"
    r"(dat|dit)\b"
    r"|\b(dat|dit)\b(?= (?:bij|voor|volgens|in|met) )",
    re.IGNORECASE)
# "zijn", "haar", "hun" before an article are no possessive ("Wanneer zijn de verkiezingen?"),
# nor is "zijn" after a question word ("Wat zijn hun plannen?")
_PERSON = re.compile(r"(?<!\bwat )(?<!\bwie )(?<!\bwaar )(?<!\bwanneer )(?<!\bhoeveel )"
                     r"(?<!\bwaarom )(?<!\bwelke )(?<!\bhoe )"
                     r"\b(hij|zij|ze|hem|haar|hun|zijn)\b"
                     r"(?!\s+(?:de|het|een|er|die|deze|dat|dit|alle)\b)", re.IGNORECASE)
# "zijn", "haar", "hun" are also a verb ("Hoeveel zijn ... kwijtgeraakt?") or stand before a
# noun of the question's own: they point back only in a question with little content; these
# subject and object pronouns always do
_SUBJECT_PRONOUN = re.compile(r"\b(hij|zij|ze|hem)\b", re.IGNORECASE)
# a noun with its own article: "de verkiezingen" is a topic of the question's own; not a noun
# that needs a complement ("Wat zijn de kosten?" after a plan: the plan's costs)
_OWN_NOUN = re.compile(r"\b(?:de|het)\s+([^\W\d_][\w-]*)", re.IGNORECASE)
_RELATIONAL = frozenset(key_terms(
    "kosten gevolgen voorwaarden voorwaarde regels regel nadelen nadeel voordelen voordeel "
    "redenen reden doel doelen uitzonderingen uitzondering bedrag budget termijn plan plannen "
    "opbrengst effect effecten bezwaren bezwaar alternatief alternatieven oplossing"))
_OPENS_FOLLOW_UP = re.compile(r"^\s*(en|maar|ook|of)\b", re.IGNORECASE)
_NAME = re.compile(r"\b([A-Z][\w-]*[A-Z0-9][\w-]*|[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?"
                   r"|\d+[A-Z]{2,}[\w-]*)\b")
_QUESTION_OPENERS = frozenset("Wat Wie Waar Wanneer Waarom Hoe Hoeveel Welke Welk Is Zijn "
                              "Mag Moet Kan Kun Wil Wordt Worden Heeft Hebben En Maar Ook "
                              "Of Geldt Zegt Vindt".split())


_VERBS = frozenset("wil willen zegt zeggen vindt vinden staat staan doet doen gaat gaan "
                   "moet moeten mag mogen kan kunnen zal zullen heeft hebben is zijn wordt worden "
                   "schrijft schreef vraagt vragen".split())


def _names(text: str) -> list[str]:
    """Names in a question: parties (VVD, PvdA, D66, 50PLUS), persons and places (Rutte,
    Utrecht); not the capital of a first word such as "Tot" or "Onder"."""
    first = re.match(r"\s*([\w-]+)", text)
    opener = first.group(1) if first and first.group(1).lower() in STOPWORDS else None
    return [n for n in _NAME.findall(text) if n not in _QUESTION_OPENERS and n != opener]


def _points_to_person(question: str) -> bool:
    """A pronoun for a person or party ("hij", "ze"; "zijn", "haar", "hun" only in a question
    with at most two content terms) and no name of its own."""
    if _names(question):
        return False
    if _SUBJECT_PRONOUN.search(question):
        return True
    return bool(_PERSON.search(question)) and len(key_terms(question)) <= 2


# a question with this many content terms has a topic of its own: its "dat", "erover" or
# "hij" points inside it (18 of 563 standalone questions of tests/data were taken for follow-ups)
_OWN_TOPIC = 5


def is_follow_up(question: str) -> bool:
    """Whether the question leans on the previous one: it points back ("daarover", "dat
    plan"), opens with "En ..." and is short, or names no content of its own. A question with
    `_OWN_TOPIC` content terms or more stands alone."""
    content = key_terms(question)
    if len(content) >= _OWN_TOPIC:
        return False  # "..., en wat kost dat?", "... als die erom vraagt": it points inside
    if _POINTS_BACK.search(question):
        return True
    if _OPENS_FOLLOW_UP.match(question) and len(content) <= 3:
        return True
    if _points_to_person(question):
        return True
    if len(content) == 1 and content[0] not in _RELATIONAL and any(
            key_terms(m.group(1)) == content for m in _OWN_NOUN.finditer(question)):
        return False  # "Wanneer zijn de verkiezingen?": its one term is a topic of its own
    return len(content) < 2 and any(ch.isalnum() for ch in question)


def rewrite_heuristic(question: str, history: History | None) -> str:
    """The standalone form of `question` for retrieval (itself when it stands alone)."""
    if not history or not is_follow_up(question):
        return question
    previous = history[-1][0]
    new_names, old_names = _names(question), _names(previous)
    q = question
    person = _points_to_person(q) and bool(old_names)
    if person:  # "Wanneer schreef hij ...?" after a question about Rutte
        q = _PERSON.sub(old_names[0], q, count=1)
    mine = set(key_terms(q))
    replaced = {t for n in old_names for t in key_terms(n)} if new_names else set()
    topic = [w for w in _topic_words(previous)
             if not set(key_terms(w)) & (mine | replaced)]
    if not topic:
        return _tidy(q)
    words = " ".join(topic)
    m = _POINTS_BACK.search(q)
    if m and m.group(1):  # "daarover" -> "over <topic>"
        return _tidy(f"{q[:m.start()]}{m.group(2)} {words}{q[m.end():]}")
    if m:  # "dat plan", "dat?", "hetzelfde" -> the topic itself
        return _tidy(f"{q[:m.start()]}{words}{q[m.end():]}")
    if person and len(key_terms(q)) >= 3:  # its own topic, only the person borrowed
        return _tidy(q)
    return _tidy(f"{q.rstrip('?.! ')} over {words}")


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([?.!,])", r"\1", " ".join(text.split())).rstrip(".! ")
    return text if text.endswith("?") else text + "?"


def _topic_words(question: str) -> list[str]:
    """The previous question's content words as written (not stems), in order."""
    words = re.findall(r"[\w-]+", question)
    keep = set(key_terms(question))
    out: list[str] = []
    for w in words:
        if w in _QUESTION_OPENERS or w.lower() in _VERBS:
            continue
        stems = key_terms(w)
        if stems and stems[0] in keep and w not in out:
            out.append(w)
    return out


REWRITE_PROMPT = (
    "Herschrijf de vervolgvraag tot één vraag die op zichzelf te begrijpen is, in het "
    "Nederlands. Gebruik het onderwerp uit de eerdere vraag alleen als de vervolgvraag ernaar "
    "verwijst. Geef alleen de herschreven vraag, zonder uitleg."
)


class LLMRewriter:
    """Rewrites follow-ups with the chat model; the heuristic decides whether a question is a
    follow-up at all (no model call for a standalone question) and is the fallback."""

    def __init__(self, model: BaseChatModel) -> None:
        self.model = model

    def __call__(self, question: str, history: History | None) -> str:
        if not history or not is_follow_up(question):
            return question
        previous = history[-1][0]
        try:
            reply = self.model.invoke([
                SystemMessage(REWRITE_PROMPT),
                HumanMessage(f"Eerdere vraag: {previous}\nVervolgvraag: {question}"),
            ])
            text = " ".join(str(reply.content).split()).strip().strip('"')
        except Exception as exc:  # the backend down or slow: the heuristic still helps
            log.warning("follow-up rewrite failed: %s", exc)
            text = ""
        if not text or len(text) > 300 or not key_terms(text):
            return rewrite_heuristic(question, history)
        return text
