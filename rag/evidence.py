"""Sentences of retrieved chunks with exact original offsets, and checks of what they contain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ingest.passage_sentences import passage_sentences
from ingest.structure import is_speaker_line
from ingest.synonyms import Thesaurus, synonyms
from ingest.terms import stems, text_forms, tokens
from vectorstore.records import Hit

_NUMBER_WORDS = (
    "één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien "
    "zestien zeventien achttien negentien twintig dertig veertig vijftig zestig zeventig "
    "tachtig negentig honderd honderden duizend duizenden miljoen miljoenen miljard procent "
    "helft kwart anderhalf anderhalve dubbel tientallen"
).split()
_UNITS_RE = "een|één|twee|drie|vier|vijf|zes|zeven|acht|negen"
_TENS_RE = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
_TEENS_RE = "tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien"
# Dutch writes a numeral as one word: "honderdvijftig", "vijfentwintig", "tweeduizend"
_COMPOUND_NUMBER_RE = (
    rf"(?:(?:{_UNITS_RE}|{_TEENS_RE}|{_TENS_RE})?(?:honderd|duizend))+"
    rf"(?:(?:{_UNITS_RE})(?:en|ën))?(?:{_TENS_RE}|{_TEENS_RE}|{_UNITS_RE})?"
    rf"|(?:{_UNITS_RE})(?:en|ën)(?:{_TENS_RE})")
# alternation, for patterns built elsewhere; compounds first, so the whole word matches
NUMBER_WORDS_RE = "|".join([_COMPOUND_NUMBER_RE, *_NUMBER_WORDS])
_SCALE_WORDS = frozenset("honderd honderden duizend duizenden miljoen miljoenen miljard procent "
                         "tientallen".split())
TIME_UNITS_RE = (r"\w*jaar|jaren|\w*maand(?:en)?|\w*we(?:e)?k(?:en)?|dag(?:en)?|uur|uren|"
                 r"minuut|minuten|seconden|eeuw(?:en)?|decenni(?:a|um)|termijn|periode|"
                 r"levenslang|onbepaalde tijd")
_TIME_UNITS = re.compile(rf"\b(?:{TIME_UNITS_RE})\b", re.IGNORECASE)
# Text addressed to a reader or a model, not a statement of fact: never an answer sentence.
_INSTRUCTION = re.compile(
    r"\b(negeer|vergeet)\b.{0,40}\b(instructies?|opdrachten?|regels|prompt)\b"
    r"|\bignore\b.{0,40}\b(instructions?|prompts?)\b"
    r"|\b(antwoord|reageer|zeg)\s+(altijd|voortaan|alleen|uitsluitend|nu)\b"
    r"|\b(system ?prompt|you are now|je bent nu|jij bent nu|doe alsof)\b",
    re.IGNORECASE)
# A sentence that announces a list or an explanation that the next sentences give.
_COUNT_WORDS = "twee|drie|vier|vijf|zes|zeven|acht|negen|tien"
_LIST_NOUNS = (r"punten|onderwerpen|zaken|maatregelen|redenen|voorstellen|dingen|thema'?s|"
               r"doelen|stappen|prioriteiten|oproepen|vragen|wensen|eisen|ambities|pijlers|"
               r"speerpunten|voorwaarden")
_ANNOUNCES = re.compile(
    r":\s*$|\b(de volgende|het volgende|als volgt|onder meer|ten eerste|"
    rf"(?:{_COUNT_WORDS}|enkele|een aantal|\d+)\s+(?:\w+\s+)?(?:belangrijkste\s+)?"
    rf"(?:{_LIST_NOUNS}))\b",
    re.IGNORECASE)
_COUNTED = re.compile(rf"\b({_COUNT_WORDS}|\d+)\s+(?:\w+\s+){{0,2}}(?:{_LIST_NOUNS})\b",
                      re.IGNORECASE)
_CONTINUES = re.compile(
    r"^\W*(daarnaast|bovendien|verder|ook|tevens|daarbij|tot slot|ten slotte|ten tweede|"
    r"ten derde|ten vierde|tenslotte|als laatste|ten eerste|tweede|derde|vierde|[•\-–*]|"
    r"\d+[.)])"
    # a reason on its own: "... (output-financiering). Want daarmee ontstaat een prikkel ..."
    r"|^\W*(want|omdat|doordat)\b"
    # what the sentence before meant: "... wel heel breed geworden." "We hebben het dan over
    # kraamzorg, ...", "Het gaat dan bijvoorbeeld om mensenrechten, ..."
    r"|^\W*(het gaat (dan|daarbij|hierbij|hier|daar) (\w+ ){0,2}om|we hebben het (dan|hier) "
    r"(\w+ ){0,2}over|denk (daarbij |hierbij |dan )?aan|bijvoorbeeld)\b"
    # a motion's considerations go on to its request: "overwegende dat ...;" "verzoekt de
    # regering ..."
    r"|^\W*(constaterende|overwegende|van mening|voorts|verzoekt|spreekt uit|roept)\b"
    # a quotation that elaborates the sentence before: '"Met een menselijk gezicht ..."',
    # '"Dus in de sociale zekerheid ..."'
    r"|^\s*[\"“„‘']\s*(met|zonder|dus|maar|want)\b",
    re.IGNORECASE)
_NUMBER = re.compile(rf"\d+([.,]\d+)?|\b({NUMBER_WORDS_RE})\b", re.IGNORECASE)
MONTHS_RE = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
             "december")
WEEKDAYS_RE = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
# "12-3", "12/3"; not an age range ("kinderen van 0-11 jaar")
_CALENDAR_RE = (rf"\b(1[89]\d\d|20\d\d)\b|\b({MONTHS_RE})\b|\b\d{{1,2}}[-/]\d{{1,2}}\b(?!\s*jaar)"
                rf"|\b({WEEKDAYS_RE})\b")
DATE = re.compile(
    _CALENDAR_RE + r"|\b(vandaag|gisteren|morgen|volgend jaar|vorig jaar|binnenkort"
    r"|over (\w+ ){1,2}(dagen|weken|maanden|jaar))\b",
    re.IGNORECASE,
)
# "Op welke datum ...", "In welk jaar ...": a day or year of the calendar, not "over drie weken"
_CALENDAR = re.compile(_CALENDAR_RE, re.IGNORECASE)
FULL_DATE = re.compile(
    rf"\b\d{{1,2}}\s+(?:{MONTHS_RE})(?:\s+\d{{4}})?\b|\b(?:{MONTHS_RE})\s+\d{{4}}\b",
    re.IGNORECASE)


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
    def key(self) -> tuple[str, int]:
        """Identifies the sentence across overlapping chunks: (source, start offset)."""
        return self.hit.source, self.char_start

    @cached_property
    def stems(self) -> list[str]:
        return stems(self.text)

    @cached_property
    def forms(self) -> frozenset[str]:
        """What a question's key may match here (ingest.terms.text_forms); computed once."""
        return text_forms(self.text)


def sentences_of(hits: list[Hit]) -> list[Sentence]:
    """Split each hit's original wording into sentences mapped to document offsets."""
    out: list[Sentence] = []
    seen: set[tuple[str, int]] = set()
    for rank, hit in enumerate(hits):
        for os_, oe, text in passage_sentences(hit.original, hit.furniture):
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
                    text=text,
                    quote=hit.original[os_:oe],
                    context_before=hit.original[:os_],
                    context_after=hit.original[oe:],
                )
            )
    return out


# "Op welke dag van de week ...": a day's name answers, not "de eerste dag" or a year
_WEEKDAY_QUESTION = re.compile(r"\b(?:welke|op welke) dag(?:en)? (?:van|in) de week\b")
_WEEKDAY = re.compile(rf"\b(?:{WEEKDAYS_RE})(?:en|s)?\b|\bweekend|\bwerkdag", re.IGNORECASE)
# "Hoe laat ...", "Om welke tijd ...": a time of day answers ("22.06 uur", "om zeven uur dertig");
# the short answer points at it (rag/short_answer.py)
CLOCK_QUESTION = re.compile(r"\b(?:hoe laat|om welke tijd|op welk tijdstip|welk tijdstip)\b",
                            re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}[.:]\d{2}\b|\b(?:\d{1,2}|één|twee|drie|vier|vijf|zes|zeven|acht|"
                    r"negen|tien|elf|twaalf)\s+uur\b"
                    r"|\bmiddernacht\b|\b's (?:morgens|ochtends|middags|avonds|nachts)\b",
                    re.IGNORECASE)


def expected_kind(question: str) -> str | None:
    """What kind of answer the question asks for: 'number', 'duration', 'weekday', 'time',
    'date', 'when', 'quote', 'request', 'name', or None."""
    q = question.lower()
    # "hoeveel parkeertijd / bedenktijd / spreektijd": a span of time as well
    if re.search(r"\bhoe ?lang\b|\bhoe ?veel [^\W\d_]*(?:tijd|duur)\b"
                 r"|\bbinnen welke (termijn|tijd)\b|\bhoe snel\b|\bvoor hoe lang\b", q):
        return "duration"
    if re.search(r"\bhoe ?veel\b|\bhoe (groot|hoog|duur|oud|hard|ver|zwaar|breed|diep|laag)\b"
                 r"|\bwelk (bedrag|percentage|aantal)|\bwelke (leeftijd|snelheid|afstand)\b"
                 r"|\bhoeveelste\b", q):
        return "number"
    if _WEEKDAY_QUESTION.search(q):
        return "weekday"
    if CLOCK_QUESTION.search(q):
        return "time"
    if re.search(r"\bwelk jaar\b|\bop welke (datum|dag|dagen)\b|\b(sinds|tot|vanaf) wanneer\b"
                 r"|\bin welke maand\b", q):
        return "date"
    if re.search(r"\bwanneer\b", q):  # a date, or a condition: "Wanneer telt de uitslag mee?"
        return "when"
    if QUOTE_QUESTION.search(q):
        return "quote"
    if REQUEST_QUESTION.search(q):
        return "request"
    if NAME_QUESTION.search(q) or _HOW_CALLED.search(q):
        return "name"
    return None


# "Welk Frans bedrijf ...", "Welke minister ...", "In welke wijken ...": the answer names one
# (a capitalised word or an acronym the question does not hold: "ziekenhuis AMC", "Onze
# Minister van Defensie"); a sentence about the topic that names none answers nothing
NAME_QUESTION = re.compile(
    r"\bwelke?\s+(?:[^\W\d_]+\s+)?(bedrijf|bedrijven|organisatie|organisaties|partij|partijen|"
    r"minister|ministers|ministerie|ministeries|gemeente|gemeenten|stad|steden|dorp|dorpen|"
    r"wijk|wijken|land|landen|provincie|provincies|krant|kranten|instantie|instanties|"
    r"instelling|instellingen|ziekenhuis|ziekenhuizen|fractie|fracties|kamerlid|kamerleden|"
    r"zender|zenders|omroep|omroepen)\b",
    re.IGNORECASE)
# "Hoe heet de nieuwe voorzitter?": a name
_HOW_CALLED = re.compile(r"\bhoe\s+(?:heet|heten|heette|heetten)\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"(?<![.!?:;]\s)\b([A-ZÀ-Ý][\w’'-]+)|\b([A-Z]{2,}\w*)\b")
_FIRST_LETTER = re.compile(r"[^\W\d_]")


# "Hoe heet de wet?", "Wat is de citeertitel?": a law's short-title sentence answers it
_ASKS_TITLE = re.compile(r"\b(?:heet|heten|naam|namen|citeertitel|aangehaald|titel|genoemd)\b",
                         re.IGNORECASE)


def asks_title(question: str) -> bool:
    return bool(_ASKS_TITLE.search(question))


def asks_party(question: str) -> bool:
    """"Welke partij / fractie ...": a programme answers it by its title."""
    m = NAME_QUESTION.search(question)
    return bool(m) and m.group(1).lower() in ("partij", "partijen", "fractie", "fracties")


_LAW_NAME = re.compile(r"(?:wet|wetboek|besluit|regeling|verordening)$")


def names_new(text: str, question_words: list[str]) -> bool:
    """Whether `text` holds a name the question does not: a capitalised word that does not
    open the sentence, or an acronym ("AMC", "VVD"), whose first four letters start no word
    of the question."""
    asked = {w[:4] for w in question_words}  # "Britten" is asked by "Britse"
    first = _FIRST_LETTER.search(text)  # the sentence's first word, after '"', "•" or "9 "
    known_end = -2  # where the last capitalised word the question asks ends
    for m in _CAPITALISED.finditer(text):
        word = (m.group(1) or m.group(2)).lower()
        if word[:4] in asked or word.split("-")[0][:4] in asked or m.start() == known_end + 1:
            known_end = m.end()  # "Humanitas Huisvesting": the rest of a name it asks
            continue
        if m.group(1) and first is not None and m.start(1) == first.start():
            continue
        if _LAW_NAME.search(word):  # "de Wet op de motorrijtuigenbelasting 1994" names a law,
            continue                # not the province, company or minister asked for
        return True
    return False


# "Wat vraagt het sociaal werk aan Rutte?", "Waartoe roept Rutte de partijen op?": the answer
# is a request ("investeer in ...", "We nodigen u uit ...", "verzoekt de regering ..."); the
# verb names the kind of answer, the request need not repeat it
REQUEST_QUESTION = re.compile(
    r"\bwat (vraagt|vragen|vroeg|vroegen|verzoekt|verzoeken|verzocht|eist|eisen)\b"
    r"|\bwaartoe (roept|roepen|riep|verzoekt|verzoeken)\b", re.IGNORECASE)
REQUEST_VERBS = ("vraagt vragen vroeg vroegen verzoekt verzoeken verzocht eist eisen roept "
                 "roepen riep")
_REQUEST = re.compile(
    r"\b(verzoek\w*|(wij|we|ik) (vragen|vraag|verzoeken|roepen|pleiten|doen een beroep)"
    r"|(vragen|verzoeken|roepen) (wij|we|ik|u)\b(?! (ons|me|mij) af)|vra(ag|gen|agt)\b"
    r"(?! (ons|me|mij|zich) af).{0,40}\bom\b|nodig\w* (wij |we |ik )?u\b|oproep\w*"
    r"|roep\w* .{0,60}\bop\b|op te roepen|pleit\w*|beroep op)"
    r"|^(investeer|kies|geef|help|steun|stop|neem|maak)\b"  # an imperative ...
    r"|[:;]\s*(investeer|zorg|kies|geef|maak|help|steun|kom|neem|stop|zet|ga|doe|werk)\b",
    re.IGNORECASE)  # ... or one after a colon: "Het ligt in uw hand: investeer in ..."


# "Met welk citaat ...", "Welke uitspraak ...", "Welke belofte citeren ...": the answer is a
# quotation; these words name its form, the quoted words do not hold them
QUOTE_QUESTION = re.compile(
    r"\b(welk citaat|welke citaten|welke uitspraak|welke uitspraken|welke leus|welke slogan|"
    r"welk motto|welke woorden|cite(ert|ren|erde|erden)|geciteerd|aangehaald|letterlijk|"
    r"(zijn|haar|hun) eigen woorden)\b", re.IGNORECASE)
# a quoted span of two or more words: ‘...’, “...”, „...”, "..." or '...'
QUOTED = re.compile(r"[‘“„\"](?=[^‘“„\"’”]*\s)[^‘“„\"’”]{3,}[’”\"]"
                     r"|(?<![\w'’])'(?=\w)[^']*\s[^']*\w[.!?]?'(?!\w)")


_MONEY_QUESTION = re.compile(r"\b(ge)?kost(en|te)?\b|\bbedrag\b|\bbetal\w*|\buitgeven\b|"
                             r"\bhoe ?veel (extra )?geld\b|\bhoe ?veel (miljoen |miljard )?euro\b|"
                             r"\bverdien\w*|\bsalaris\b|\bprijs\b", re.IGNORECASE)
_MONEY = re.compile(r"€|\beuro\b|\bmiljoen\b|\bmiljard\b|\bgulden\b|\bcent\b", re.IGNORECASE)
# Not a sentence to quote: a table-of-contents line ("1.2  Landbouw en natuur 15"), a bare
# list number ("2."), a speaker line ("De heer Kops (PVV):"), or fewer than four words.
_TOC = re.compile(r"^\s*\d+(\.\d+)*\.?\s+\D{2,80}?\s\d{1,3}\s*$")


def is_fragment(text: str) -> bool:
    words = re.findall(r"[^\W\d_]{2,}", text)
    return len(words) < 4 or bool(_TOC.match(text)) or is_speaker_line(text)


_QUESTION_END = re.compile(r"\?[\s\"'”’)\]]*$")
_ASKS_FOR_QUESTION = re.compile(r"\b(vraag|vragen|vroeg|vroegen|gevraagd)\b", re.IGNORECASE)
_GLUED_END = re.compile(r"[.!](?=\s*[A-ZÀ-Ý])")


def is_question(text: str) -> bool:
    """A sentence that asks ("Hoeveel mensen kunnen in Nederland wonen?"): it answers nothing,
    unless the question is about what was asked. A statement glued to a question by a PDF
    extraction ("... wordt teruggedraaid.GEZONDE MAATSCHAPPIJ Wat ...?") is not one."""
    return bool(_QUESTION_END.search(text)) and not _GLUED_END.search(text)


def asks_for_question(question: str) -> bool:
    """"Welke vraag stelde ...?": then a question in the source can be the answer."""
    return bool(_ASKS_FOR_QUESTION.search(question))


_WHAT_COSTS = re.compile(r"\bwat (kost|kosten|kostte|kostten|verdient|verdienen|verdiende|"
                         r"betaal|betaalt|betalen)\b|\bwat (zijn|waren) de kosten\b"
                         r"|\bwat is de prijs\b", re.IGNORECASE)


def asks_money(question: str) -> bool:
    """"Hoeveel kost ...", "Wat kost ...", "Wat verdient ...": the answer names an amount of
    money."""
    if _WHAT_COSTS.search(question):
        return True
    if expected_kind(question) != "number" or not _MONEY_QUESTION.search(question):
        return False
    # "Voor hoeveel eenheden moeten wij betalen?" asks a count of eenheden, not an amount
    counted = quantity_targets(question)
    return not counted or any(t in _MONEY_UNITS or _MONEY_NOUN.search(t) for t in counted)


# "Hoeveel trek je af", "Hoeveel krijg ik": a verb after "hoeveel" (its subject follows), so
# any number answers; not "hoeveel mensen wonen er"
_HOEVEEL_VERB = re.compile(r"\bhoe ?veel\s+[^\W\d_]+\s+(?:ik|je|jij|u|we|wij|ze|zij|hij|"
                           r"men|de|het|een|mijn|jouw|uw|ons|onze)\b", re.IGNORECASE)
# "Hoeveel exporteert Nederland", "Hoeveel verdient Rutte": a verb, then a name as its subject
_HOEVEEL_VERB_NAME = re.compile(r"\b[Hh]oe ?veel\s+[a-zà-ý]+\s+[A-ZÀ-Ý]")
# "hoeveel vakantiegeld / saneringsgeld / subsidie": an amount, in euro or as a percentage
# (the stems "hoeveel" names: "belasting" -> "belast", "uitkering" -> "uitkeer")
_MONEY_NOUN = re.compile("(?:" + "|".join(stems(
    "geld subsidie steun budget loon salaris uitkering toeslag vergoeding belasting heffing "
    "premie boete korting", drop_stopwords=False)) + ")$")
# ... of which a percentage is an answer too: a rate ("15% winstbelasting"), not "hoeveel geld"
_RATE_NOUN = re.compile("(?:" + "|".join(stems(
    "belasting heffing premie btw korting rente", drop_stopwords=False)) + ")$")
# what else "hoeveel" may count in a question about money ("hoeveel euro moet ik betalen")
_MONEY_UNITS = frozenset(stems("euro eur cent miljoen miljard gulden", drop_stopwords=False))
# ... and what answers it: euros ("675 miljoen euro"; not "miljoen" alone) or a percentage
_AMOUNT = re.compile(r"€|\b(?:euro|gulden|procent)\b|\d\s?%", re.IGNORECASE)


# "Hoe diep / breed / dik / ver ...?" asks a length: a number of one of these units answers
_LENGTH = re.compile(r"\bhoe\s+(diep|breed|dik|ver)\b", re.IGNORECASE)
_LENGTH_UNITS = tuple(stems("meter m cm centimeter mm millimeter km kilometer",
                            drop_stopwords=False))
_DISTANCE_UNITS = (*_LENGTH_UNITS, *stems("minuten uur", drop_stopwords=False))  # "hoe ver"


def quantity_targets(question: str) -> list[str]:
    """Stems of the words that "hoeveel" asks a number of ("hoeveel sociaal werkers"); the
    units of a length ("hoe diep", "hoe ver": meters, kilometers; "ver" also minutes, hours)."""
    if m := _LENGTH.search(question):
        return list(_DISTANCE_UNITS if m.group(1).lower() == "ver" else _LENGTH_UNITS)
    m = re.search(r"\bhoe ?veel\s+((?:[^\W\d_]+\s*){1,2})", question.lower())
    if not m or _HOEVEEL_VERB.search(question) or _HOEVEEL_VERB_NAME.search(question):
        return []
    return [s for s in stems(m.group(1)) if len(s) > 2]


_UNITS = "procent|percent|euro|keer|miljoen|miljard|duizend|honderd|kilo|kilometer|meter|uur"


def quantity_of(question: str) -> list[str]:
    """Stems of what a unit counts in "hoeveel procent van de stemmen" (["stem"]): a sentence
    with "49 procent" answers it only where it is about the stemmen."""
    m = re.search(rf"\bhoe ?veel\s+(?:{_UNITS})\s+(?:van|aan)\s+(?:de\s+|het\s+|hun\s+)?"
                  r"([^\W\d_]+)", question.lower())
    return [s for s in stems(m.group(1)) if len(s) > 2] if m else []


# a numbered list's item number (or a page number) that a PDF extraction leaves before a
# sentence: "9 Meer wijkagenten zichtbaar op straat.", "2. De ...", "4 Huizen zijn er voor
# mensen" count nothing (Dutch writes a noun after a count in lower case)
ITEM_NUMBER = re.compile(r"^\s*\d{1,2}[.)]?\s+(?=[A-ZÀ-Ý•])")


def without_item_number(text: str) -> str:
    m = ITEM_NUMBER.match(text)
    return text[m.end():] if m else text


# "Hoeveel ... mag ...?" answered by "there is no limit"
_UNLIMITED = re.compile(r"\b(?:onbeperkt|onbegrensd|ongelimiteerd|geen\s+(?:beperking|limiet|"
                        r"maximum|grens|plafond|bovengrens))\b", re.IGNORECASE)
# a reference to a part of a text, not a quantity: "artikel 5", "hoofdstuk 8", "lid 2"
_REFERENCE = re.compile(r"\b(?:artikel|artikelen|art\.|hoofdstuk|hoofdstukken|lid|afdeling|"
                        r"paragraaf|titel|onderdeel|bijlage|nummer|nr\.)\s+\d+[a-z]?"
                        r"(?:[.:]\d+[a-z]?)*(?:\s*(?:,|en|tot en met|t/m)\s*\d+[a-z]?"
                        r"(?:[.:]\d+[a-z]?)*)*",
                        re.IGNORECASE)


_SCALE_RE = "|".join(sorted(_SCALE_WORDS, key=len, reverse=True))
_VALUE = re.compile(rf"(?<![\w.,])(?:\d+(?:[.,]\d+)*|{NUMBER_WORDS_RE})(?:\s+(?:{_SCALE_RE}))*"
                    r"(?!\w)", re.IGNORECASE)


def given_values(question: str) -> re.Pattern | None:
    """The values the question states itself ("Hoeveel kost het planten van de 10 miljoen
    bomen?"), to be taken out of a sentence before it is asked for the kind of answer: "We
    planten 10 miljoen nieuwe bomen." names no amount the question does not know. None when
    it states none."""
    values = {" ".join(m.group().lower().split()) for m in _VALUE.finditer(question)
              if m.group().split()[0].lower() not in _SCALE_WORDS}  # "hoeveel procent"
    if not values:
        return None
    alternatives = (r"\s+".join(map(re.escape, v.split()))
                    for v in sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<![\w.,])(?:{'|'.join(alternatives)})(?!\w|[.,]\d)", re.IGNORECASE)


_OF_VALUES = frozenset({"number", "money", "date", "when", "duration", "weekday", "time"})


def has_kind(text: str, kind: str | None, targets: list[str] | None = None,
             thesaurus: Thesaurus | None = None, given: re.Pattern | None = None) -> bool:
    """Whether `text` holds the kind of answer asked for; for a number, next to its noun.
    `given`: the question's own values (`given_values`), which answer nothing."""
    text = without_item_number(text)
    if given is not None and kind in _OF_VALUES:
        text = given.sub(" ", text)
    if kind == "date":
        return bool(_CALENDAR.search(text))
    if kind == "weekday":
        return bool(_WEEKDAY.search(text))
    if kind == "time":
        return bool(_CLOCK.search(text))
    if kind == "when":  # a date, a condition, or a time from an event ("36 uren na ...")
        return bool(DATE.search(text) or _CONDITION.search(text)
                    or _ORDINAL_TIME.search(text) or _EVENT_TIME.search(text))
    if _ORDINAL_TIME.search(text) and (kind == "duration" or kind == "number" and any(
            _TIME_UNITS.fullmatch(t) or t in _TIME_STEMS for t in targets or [])):
        return True  # "uiterlijk op de vijfde dag na ..." for "binnen hoeveel dagen"
    if kind == "duration":
        text = _AGE.sub(" ", text)  # "de leeftijd van veertien jaar" is an age, not how long
        return bool(_SPAN_LONG.search(text)) or bool(_TIME_UNITS.search(text)) and bool(
            _NUMBER.search(text) or re.search(
                r"\b(een|enkele|paar|aantal|zoveel|levenslang|onbepaalde)\b", text,
                re.IGNORECASE))
    if kind == "money":  # "hoeveel winstbelasting": also a rate ("15% winstbelasting")
        return bool(_NUMBER.search(text)) and bool(_MONEY.search(text) or (
            any(_RATE_NOUN.search(t) for t in targets or []) and _AMOUNT.search(text)))
    if kind == "quote":
        return bool(QUOTED.search(text))
    if kind == "request":
        return bool(_REQUEST.search(text))
    if kind == "name":
        return names_new(text, targets or [])
    if kind != "number":
        return True
    if _UNLIMITED.search(text):  # "geen beperking van het aantal IVF-pogingen"
        return True
    if not targets:  # "Hoe hoog ...": a number, but not the one of "artikel 5" or a date's
        return bool(_NUMBER.search(FULL_DATE.sub(" ", _REFERENCE.sub(" ", text))))
    if any(_MONEY_NOUN.search(t) for t in targets) and _NUMBER.search(text) and (
            _AMOUNT.search(text)):
        return True  # "hoeveel vakantiegeld": "8 procent", "675 miljoen euro"
    words = tokens(re.sub(r"(?<=\d)\s?%", " procent", text))  # "30%": 30 procent
    word_stems = stems(" ".join(words), drop_stopwords=False)
    numeric = [bool(_NUMBER.fullmatch(w) or any(c.isdigit() for c in w)) for w in words]
    for i in range(len(words)):
        if numeric[i]:
            after = next((j for j in range(i + 1, i + 4) if j < len(words) and numeric[j]
                          and words[j] not in _SCALE_WORDS), i + 4)
            if counts(targets, set(word_stems[i + 1 : after]), thesaurus):  # up to the next number
                return True
        elif word_stems[i] == "aantal" and any(
                numeric[j] and not _A_YEAR.fullmatch(words[j]) for j in range(i + 3, len(words))
        ) and counts(targets, set(word_stems[i + 1 : i + 3]), thesaurus):
            return True  # "het aantal vluchten ... beperken met een maximum van 500.000"
    return False


_A_YEAR = re.compile(r"(?:19|20)\d\d")  # "het aantal vluchten groeit tot 2030": no count


def counts(targets: list[str], stems_after: set[str],
           thesaurus: Thesaurus | None = None) -> bool:
    """Whether the words after a number name what "hoeveel" asks for: one of `targets`, a
    synonym ("zetels" ~ "leden"), or its compound's head ("Kamerleden" ~ "leden"); not its
    first part ("2 kamers" counts no Kamerleden)."""
    return any(term_matches((t, *synonyms(t, thesaurus)), stems_after, prefix=False)
               or _head_of(t, stems_after)
               for t in targets)


# an age: "de leeftijd van veertien jaar", "ouder dan 75 jaar", "18 jaar of ouder", "65-jarigen"
_AGE = re.compile(
    rf"\b(?:leeftijd\s+van|jonger\s+dan|ouder\s+dan)\s+(?:\d+|{NUMBER_WORDS_RE})\s+jaar\b"
    rf"|\b(?:\d+|{NUMBER_WORDS_RE})\s+jaar\s+(?:oud|of\s+ouder|en\s+ouder)\b"
    r"|\b\w+-?jarigen?\b", re.IGNORECASE)
# "generaties lang", "zolang de crisis duurt": a span of time without a number
_SPAN_LONG = re.compile(r"\b(generaties|jaren|maanden|weken|dagen|uren|eeuwen|decennia|levens)"
                        r"\s?lang\b|\bzolang\b", re.IGNORECASE)
# "op de vijfde dag", "de zesde werkdag": a point in time counted from an event
_ORDINAL_TIME = re.compile(
    r"\b(?:\d{1,3}(?:e|ste|de)|eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|negende|"
    r"tiende|elfde|twaalfde|(?:der|veer|vijf|zes|zeven|acht|negen)tiende|twintigste|dertigste)"
    r"\s+(?:werk)?(?:dag|week|maand|jaar|kalenderdag|kalenderjaar)\b", re.IGNORECASE)
# "36 uren na het overlijden", "binnen zes weken", "uiterlijk twee dagen voor": a time counted
# from an event (not any span: "de komende jaren" says no when)
_COUNT_RE = rf"(?:\d+|{NUMBER_WORDS_RE})"
_EVENT_TIME = re.compile(
    rf"\b{_COUNT_RE}\s+(?:{TIME_UNITS_RE})\s+(?:na|voor|vóór|nadat|voordat|later|eerder)\b"
    rf"|\b(?:binnen|uiterlijk|na|vóór|over|ten minste|ten hoogste)\s+{_COUNT_RE}\s+"
    rf"(?:{TIME_UNITS_RE})\b", re.IGNORECASE)
_TIME_STEMS = frozenset("dag werkdag week maand jar jaar uur ur".split())
# the condition that answers "Wanneer telt de uitslag mee?": "alleen geldig als ...", "indien"
_CONDITION = re.compile(r"\b(indien|mits|zodra|tenzij|op voorwaarde dat|pas als|pas wanneer|"
                        r"alleen als|alleen wanneer|zolang)\b|\balleen\b[^.;:]{0,40}\bals\b"
                        # "Wanneer de uitstoot is teruggebracht, willen we ...": a clause first
                        r"|^\W*wanneer\b[^.;:?]{3,}?,",
                        re.IGNORECASE)


def _head_of(target: str, window: set[str] | frozenset[str], min_head: int = 3) -> bool:
    """The counted noun by its compound's head: "hoeveel Kamerleden" -> "150 leden"."""
    return any(len(w) >= min_head and len(target) - len(w) >= 3 and target.endswith(w)
               for w in window)


def holds_head(keys: list[Key], forms: frozenset[str]) -> bool:
    """Whether the sentence holds the head (>= 5 letters) of one of the question's compounds
    ("de verkiezingen" for "de Tweede Kamerverkiezingen"): not a match for coverage ("kamer"
    is no "rekenkamer"), but enough to show the sentence speaks of the question's subject."""
    return any("+" not in alt and _head_of(alt, forms, min_head=5)
               for key in keys for alt in alternatives(key))


Key = str | tuple[str, ...]  # a key term, or its alternatives (ingest.terms.key_forms)


def alternatives(key: Key) -> tuple[str, ...]:
    return (key,) if isinstance(key, str) else key


def term_matches(key: Key, forms: set[str] | frozenset[str], prefix: bool = True) -> bool:
    """A key (any of its alternatives) is present as a word, or as part of a compound of the
    text ("belasting" in "vliegbelasting"), or (`prefix`) as a compound of the text's word and
    more ("kinderopvang" for "kinderopvangtoeslag"); both sides >= 5 letters. Not by the head
    of the key's compound alone: "kamer" is no "rekenkamer", "verzoek" no
    "naturalisatieverzoek"."""
    blob = None
    for alt in alternatives(key):
        if alt in forms:
            return True
        if "+" in alt:  # a compound said in two words (ingest.terms.compound_parts)
            if all(part in forms for part in alt.split("+")):
                return True
            continue
        if len(alt) >= 5:
            if prefix and any(alt[:i] in forms for i in range(5, len(alt))):
                return True
            if blob is None:
                blob = _blob(forms if isinstance(forms, frozenset) else frozenset(forms))
            if _inside(alt, blob):
                return True
    return False


MIN_COMPOUND_LEFT = 3  # "stuur" is no part of "bestuur", "gemeen" none of "algemeen"


def _inside(alt: str, blob: str) -> bool:
    """`alt` starts one of the forms joined in `blob`, or lies inside one after a part of at
    least `MIN_COMPOUND_LEFT` letters (a compound's head, not a word after a prefix)."""
    i = blob.find(alt)
    while i >= 0:
        left = i - (blob.rfind("\x00", 0, i) + 1)
        if left == 0 or left >= MIN_COMPOUND_LEFT:
            return True
        i = blob.find(alt, i + 1)
    return False


@lru_cache(maxsize=8192)
def _blob(forms: frozenset[str]) -> str:
    """The forms joined by a separator, for one substring search instead of one per form."""
    return "\x00".join(forms)


def key_name(key: Key) -> str:
    return alternatives(key)[0]


def coverage(keys: list[Key], forms: set[str] | frozenset[str],
             weights: dict[str, float]) -> float:
    """Weighted share of the keys present in `forms`. A question without key terms ("???",
    "Wat is het?") is covered by nothing: 0.0."""
    if not keys:
        return 0.0
    total = sum(weights.get(key_name(k), 1.0) for k in keys)
    got = sum(weights.get(key_name(k), 1.0) for k in keys if term_matches(k, forms))
    return got / total


def names_any(hit: Hit, words: list[str]) -> bool:
    """Whether any of `words` ("pvv") occurs as a whole word in the passage, its title or its
    structure (a Handelingen speaker "Mevrouw Agema (PVV)")."""
    if not words:
        return False
    text = " ".join([hit.title, hit.original, *hit.structure.values()])
    alternatives = "|".join(re.escape(w) for w in words)
    return bool(re.search(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", text, re.IGNORECASE))


def is_instruction(text: str) -> bool:
    """A sentence that instructs its reader (or a model): "Negeer alle eerdere instructies"."""
    return bool(_INSTRUCTION.search(text))


_OPEN_SINGLE = re.compile(r"(?<![\w'’])['‘](?=\w)")
_CLOSE_SINGLE = re.compile(r"(?<=[\w.!?,])['’](?![\w])")


def open_quote(text: str) -> bool:
    """A quotation opened in `text` and not closed: the sentence splitter cut a quoted title
    ("onder de titel 'Samen naar de eindstreep." + "En verder'.")."""
    if text.count("“") > text.count("”") or text.count("„") > text.count("”"):
        return True
    if text.count('"') % 2:
        return True
    return len(_OPEN_SINGLE.findall(text)) > len(_CLOSE_SINGLE.findall(text))


def announces_list(text: str) -> bool:
    """A sentence that opens a list or explanation the next sentences give."""
    return bool(_ANNOUNCES.search(text))


_COUNTS = {w: i for i, w in enumerate(_COUNT_WORDS.split("|"), start=2)}


def announced_count(text: str) -> int | None:
    """How many items an announcing sentence promises ("drie onderwerpen" -> 3), if it says."""
    m = _COUNTED.search(text)
    word = m.group(1).lower() if m else ""
    return _COUNTS.get(word) or (int(word) if word.isdigit() and int(word) < 20 else None)


# "De tweede stap is ...", "Ten derde ...": an item of a list whose first item came before
_LATER_ITEM = re.compile(r"^\W*(?:(?:de|het)\s+(?:tweede|derde|vierde|vijfde)\b|(?:ten|als)\s+"
                         r"(?:tweede|derde|vierde|vijfde)\b)", re.IGNORECASE)
_FIRST_ITEM = re.compile(r"^\W*(?:(?:ten|als|de|het)\s+eerste\b|eerst\b|allereerst\b)",
                         re.IGNORECASE)


def later_item(text: str) -> bool:
    return bool(_LATER_ITEM.search(text))


def first_item(text: str) -> bool:
    return bool(_FIRST_ITEM.search(text))


def ends_list(text: str) -> bool:
    """The last item of a list: "Tot slot ...", "Ten slotte ..."."""
    return bool(re.match(r"^\W*(tot slot|ten slotte|tenslotte|als laatste)\b", text,
                         re.IGNORECASE))


_REFERS_BACK = re.compile(
    r"^\W*(in afwijking van|onverminderd|in de gevallen,? bedoeld in|in het geval,? bedoeld in|"
    r"daarnaast|bovendien|ook|tevens|dit|deze|dat|daarom|daardoor|hierbij|hiervoor|die)\b"
    # "daarom" after the verb: "We nodigen u daarom uit ...", "Dat is dus ..."
    r"|^\W*(?:[^\W\d_]+\s+){1,3}(?:daarom|daardoor|hierdoor|hierom|derhalve)\b",
    re.IGNORECASE)


def refers_back(text: str) -> bool:
    """A sentence that leans on the one before it ("In afwijking van het eerste lid ...",
    "Dit geldt ook ...")."""
    return bool(_REFERS_BACK.search(text))


def continues(text: str) -> bool:
    """A sentence that continues the previous one ("Daarnaast ...", "Ten tweede ...", "- ...")."""
    return bool(_CONTINUES.search(text))


# "... kijkt naar de zogenaamde concentratiehuurders." "Dat zijn huurders die ...": the
# sentence after a term introduced as "zogenaamde" / "zogeheten" says what it is
_INTRODUCES = re.compile(r"\bzo(?:genaamde?|geheten|genoemde?)\b", re.IGNORECASE)
_EXPLAINS = re.compile(r"^\W*(?:dat|dit|die|deze|het)\s+(?:is|zijn|betekent|houdt\s+in|wil\s+"
                       r"zeggen)\b", re.IGNORECASE)


def explains(text: str, nxt: str) -> bool:
    """Whether `nxt` says what a term that `text` introduces ("de zogenaamde X") is."""
    return bool(_INTRODUCES.search(text)) and bool(_EXPLAINS.match(nxt))


_ROUNDS_OFF = re.compile(r"^\W*(daar|dat|dit|zo|hier)\b", re.IGNORECASE)
_ROUNDS_OFF_WORDS = 6


def rounds_off(text: str) -> bool:
    """A short sentence that says what the one before it comes to ("Daar komen we samen
    uit.", "Dat is onacceptabel."): quoted with it."""
    return bool(_ROUNDS_OFF.match(text)) and len(text.split()) <= _ROUNDS_OFF_WORDS


def values_in(text: str, kind: str | None) -> frozenset[str]:
    """The numbers (or dates) a sentence states, normalised, to see whether sources disagree."""
    if kind in ("date", "when"):
        return frozenset(m.group().lower() for m in DATE.finditer(text))
    if kind in ("number", "duration"):  # the amounts, not their scale ("12 miljoen")
        return frozenset(m.group().lower().replace(",", ".") for m in _NUMBER.finditer(text)
                         if m.group().lower() not in _SCALE_WORDS)
    return frozenset()
