"""Dutch terms: tokens, stop words and Snowball stems (shared by BM25 and answer checks)."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

from ingest.synonyms import Thesaurus, synonyms
from ingest.verb_forms import INSEPARABLE, PARTICLES, infinitive

QUESTION_WORDS = frozenset(
    "wie wat waar wanneer waarom hoe hoeveel welk welke waarmee waardoor waarvoor waaraan "
    "waarover waarin hoelang waartoe waarvan waarop waaruit waarbij waarnaar waartegen "
    "erover ervoor eraan erop ermee erbij ertoe ervan eruit erin".split()
)
STOPWORDS = frozenset(STOPWORDS_DUTCH) | QUESTION_WORDS | frozenset(
    "volgens staat stelt staan gaat gaan komt komen worden werden wordt zijn is was waren "
    "hebben heeft had hadden kunnen kan kon zullen zal zou zouden moeten moet mogen mag "
    "elkaar jullie wij we zij ze u uw onze ons hun hen deze dit die dat een de het "
    "er daar hier wel niet geen nog ook al dan toen of en maar want dus bij met "
    "vanwege wegens dankzij ondanks".split()
)
# Words of asking, not of the answer ("Wat zegt X over ...", "Wat gebeurt er als ..."): not key
# terms of a question for the answerer (BM25 keeps STOPWORDS only).
ASKING_WORDS = frozenset(
    "zegt zeggen zei vind vindt vinden denk denkt denken noemt noemen schrijft schrijven meldt "
    "gebeurt gebeuren iemand iemands mensen je jij ik mij mijn jouw gewone helemaal precies "
    "eigenlijk ongeveer ergens iets elk geval duurt duren bericht document tekst allemaal "
    "name citaat citaten citeert citeren citeerde geciteerd aangehaald slogan leus motto "
    "woorden gewoon gewoonweg zomaar nou überhaupt sowieso ding dingen "
    "voordat nadat zodat terwijl hoewel zodra totdat doordat opdat alvorens teneinde aangezien "
    "zoals tijdens via daarna vanuit echt bijvoorbeeld net liefst graag even tussen "
    "alsnog weer vd vh mn zn ff idd moest moesten mocht mochten konden "
    "vanaf vooral juist heen zo'n erom erna daarover daarbij daarmee daarvoor daarin "
    "daarop daarvan hoeven hoeft hoef kun kunt wilt zult bent hebt".split()
    # "met name"; a quotation's form (rag.evidence.QUOTE_QUESTION); a citizen's fillers
    # ("Kan ik gewoon ...", "Mag de overheid zomaar ...", "Welke dingen ...");
    # conjunctions ("wat moet ik doen voordat ik ...") join clauses and say nothing of the
    # answer; prepositions and adverbs a citizen adds ("tijdens", "via", "daarna", "net",
    # "echt", "weer", "vanaf welk jaarinkomen", "vooral", "juist") that the answer seldom
    # repeats; pronominal adverbs ("erom", "daarover") and "zo'n" point back at the question;
    # "hoeven" is a modal like "moeten"; chat shorthand ("vd" = van de)
)
# "Welke vormen van discriminatie ...": the noun says what form the answer takes, the answer
# names the forms without the word (but "Wie vormen de regering?" keeps the verb)
_FORM_NOUN = re.compile(r"\bwelke\s+(soorten|vormen|typen|types|manieren|voorbeelden|"
                        r"categorieën|onderdelen)\s+(?=van\b|om\b)", re.IGNORECASE)
# "in zijn eigen woorden": asks for a quotation (rag.evidence.QUOTE_QUESTION), "eigen" is
# not a word of it
# "Zijn de partijen het (over alles) eens?": agreeing, said with other words in the answer
_AGREE = re.compile(r"\bhet\b(?:\s+[^\W\d_]+){0,4}?\s+eens\b", re.IGNORECASE)
# not "Bent u het met ons eens dat ...?" (Kamervragen): asks the minister's view, which the
# answer gives without these words (Kamervragen dev: 1 right answer fewer with it)
_YOU_AGREE = re.compile(r"\b(?:bent|is|zijt)\s+u\b", re.IGNORECASE)
_AGREEING = ("eens", "hetzelfde", "eensgezind", "overeenstemming", "akkoord", "unaniem")
# "Hoeveel tijd ...": the kind of answer (a duration), not a word of it
_HOW_MUCH_TIME = re.compile(r"\bhoe\s?veel\s+(tijd)\b", re.IGNORECASE)
# "aan het eind van de brief": where in the document, not a word of the answer
_AT_THE_END = re.compile(r"\baan\s+het\s+(eind|einde|slot)\b", re.IGNORECASE)
# a citizen's frame, not words of the answer: "als het aan BIJ1 ligt", "als GroenLinks het voor
# het zeggen krijgt", "Stel dat partijen ..."
_FRAME = re.compile(r"\bals\s+het\s+aan\s+(?:[^\W\d_][\w'’-]*\s+){1,5}?(ligt|lag)\b|"
                    r"\bvoor\s+het\s+zeggen\s+(krijgt|krijgen|kreeg|heeft|hebben|had)\b|"
                    r"^\W*(stel)\s+(?:dat|nou|je)\b", re.IGNORECASE)
# "Mijn buurvrouw heeft ...", "Kan mijn dochter ...?": the asker's own people; the answer names
# who it is about ("iemand", "een kind", "de aanvrager"), seldom the asker's relation
_KIN = re.compile(r"\b(?:mijn|m'n|onze|ons)\s+(buurman|buurvrouw|buren|dochter|dochtertje|zoon|"
                  r"zoontje|moeder|vader|opa|oma|broer|zus|zusje|broertje|vriend|vriendin|man|"
                  r"vrouw|tante|oom|neef|nicht|schoonmoeder|schoonvader|zwager|schoonzus|"
                  r"kleinzoon|kleindochter|huisgenoot|buurjongen|buurmeisje)\b", re.IGNORECASE)
_OWN_WORDS = re.compile(r"\b(?:zijn|haar|hun)\s+(eigen)\s+woorden\b", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
# the patterns whose (last) group is a word of asking, not of the answer
_NO_KEYS = (_FORM_NOUN, _OWN_WORDS, _HOW_MUCH_TIME, _AT_THE_END, _FRAME, _KIN)
# fixed phrases whose words say nothing of the answer: "op dit moment" (nu), "in plaats van",
# "in principe", "op eigen houtje" (zelf), "van plan" (willen)
_IDIOM = re.compile(r"\b(?:op (?:dit|het) moment|in plaats van|in principe|op eigen houtje|"
                    r"van plan)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


# Snowball's Dutch stemmer (Kraaij-Pohlmann) strips "ge-" as if every word were a participle:
# "gemeente" and "mening" both become "meen", "gezondheid" "zon", "geweld" "wel", "gezin" "zin",
# "generaal" "neraal". Words (and their compounds) that start with one of these non-participle
# lexemes keep their "ge-"; the participles that share a beginning do not ("gevolgd": volgen).
_GE_WORDS = tuple(
    "gemeen gebruik gezond gebied gedeputeerde gezin geheel gehele geweld gelijk gezamenlijk "
    "gebouw generaal generatie gelegenheid gewoon gewone genoeg gezag gedrag gesprek geboorte "
    "gemiddeld geluk geschied getuig gevoel geslacht geest geschikt gebrek genees gewicht "
    "gedachte gender gevang gerecht geschil gemak geleidelijk geloof gelov gehoor gedurende "
    "geld genet gewas gebed gebit gedicht geding geweer gevolg geheim gehandicapt geniet genot "
    "gebeur gedeelte gevecht gezicht getal gewest geweten geduld geheugen gebaar gevel".split()
)
_GE_PARTICIPLES = frozenset(
    "gevolgd gevolgde gebouwd gebouwde gezonden gelukt gelukte gevoeld gehoord gehoorde "
    "gewoond gedicht gelegenheden".split()
)


# Nouns whose plural lengthens the vowel ("weg" / "wegen", "dag" / "dagen"): Snowball stems
# the plural with a long vowel ("weeg", "daag"), so "snelwegen" never met "snelweg". A word
# ending in one of these plurals (a compound's head too) is stemmed as its singular.
_LONG_PLURALS = {p: s for s, p in (w.split(":") for w in (
    "weg:wegen dag:dagen pad:paden glas:glazen bad:baden dak:daken hof:hoven "
    "slot:sloten god:goden verbod:verboden gebed:gebeden oorlog:oorlogen schot:schoten "
    "bevel:bevelen graf:graven blad:bladen vat:vaten schip:schepen stad:steden smid:smeden "
    "gebrek:gebreken bedrag:bedragen verdrag:verdragen verslag:verslagen lid:leden").split())}
# not "spelen", "dalen", "slagen", "geboden": mostly verbs ("speelt", "daalt", "slaagt") or a
# participle ("geboden" of "bieden")
# a verb's prefix before the plural makes it a verb: "bewegen", "overwegen", "besteden"; not
# a particle that also makes nouns of place ("binnenwegen", "buitenwegen")
_PLACE_PARTICLES = frozenset("binnen buiten open dicht los neer vast weg".split())
_VERB_PREFIXES = INSEPARABLE | (PARTICLES - _PLACE_PARTICLES) | {"mis", "ge", "weer"}
_LONG_PLURAL = re.compile("(" + "|".join(sorted(_LONG_PLURALS, key=len, reverse=True)) + ")$")


def stem_word(word: str) -> str:
    """The Snowball stem of a lower-case word, keeping the "ge-" of `_GE_WORDS`; a plural of
    `_LONG_PLURALS` has its singular's stem, a strong verb's participle its infinitive's."""
    return _keep_ge(word, _stemmer().stemWord(_base_form(word)))


@lru_cache(maxsize=65536)  # every token of every sentence and question passes here
def _base_form(word: str) -> str:
    """A plural of `_LONG_PLURALS` as its singular, a strong verb's past or participle as
    its infinitive (ingest/verb_forms.py); else the word."""
    m = _LONG_PLURAL.search(word)
    if m is not None and (m.start() == 0 or (m.start() >= 3 and word[: m.start()]
                                               not in _VERB_PREFIXES)):
        return word[: m.start()] + _LONG_PLURALS[m.group()]  # "verboden" is "verbod" first
    return infinitive(word)


# "aangeeft", "doorgeeft": Snowball strips the "ge" of "geeft" after the particle as if it were
# a participle's ("aanef", "dooref"); the particle before the stem of "geeft" meets "aangeven"
_PARTICLE_GEE = re.compile("^(" + "|".join(sorted(PARTICLES, key=len, reverse=True))
                           + r")(gee[^\W\d_]+)$")


def _keep_ge(word: str, stem: str) -> str:
    if (word[:2] == "ge" and stem[:2] != "ge" and word.startswith(_GE_WORDS)
            and word not in _GE_PARTICIPLES):
        return "ge" + stem
    if "gee" in word[2:9] and (m := _PARTICLE_GEE.match(word)):
        return m.group(1) + _stemmer().stemWord(m.group(2))
    return stem


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (hyphenated compounds split into parts too); a typographic
    apostrophe is a plain one ("AOW’ers" in a PDF, "AOW'ers" typed in a question)."""
    out: list[str] = []
    for m in _TOKEN.finditer(text.lower()):
        word = m.group().replace("’", "'")
        out.append(word)
        if "-" in word:
            out.extend(p for p in word.split("-") if p)
    return out


def stems(text: str, drop_stopwords: bool = True) -> list[str]:
    words = [t for t in tokens(text) if not (drop_stopwords and t in STOPWORDS)]
    found = _stemmer().stemWords([_base_form(w) for w in words])
    return [_keep_ge(w, s) for w, s in zip(words, found, strict=True)]


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


# -- forms for the answerer's term matching -----------------------------------------------------
# not "te": a particle before a te-infinitive belongs to the verb after it ("op te roepen"),
# and "om te ..." opens a clause of purpose ("erover doen om te beslissen")
_PREPOSITIONS = "over om aan in met voor bij op naar tot van"
# "handelt de klacht af binnen zes weken": a particle before a time's preposition ends it too
_CLAUSE_FINAL = re.compile(r"\b(" + "|".join(sorted(PARTICLES)) + r")\s*(?=[?.!,;:]|$|(?:"
                           + "|".join([*_PREPOSITIONS.split(), "binnen", "na", "tijdens"])
                           + r")\b)", re.IGNORECASE)
# "om in de Kamer te komen": "om" opens a clause; "gaat ... om met" is the verb "omgaan"
_OM_PREPOSITION = re.compile(r"\s*(?:" + "|".join(p for p in _PREPOSITIONS.split() if p != "met")
                             + r")\b", re.IGNORECASE)
# "Waar gaat de wet over?" = "Waarover gaat de wet?": the question word's stranded preposition,
# not a verb's particle ("overgaan")
_STRANDED = frozenset("over voor mee aan op in door naar van uit bij tegen toe om".split())


# The te-infinitive splits a separable verb the other way: "waar te maken" = "waarmaken",
# "uit te vergroten" = "uitvergroten", "mee te doen" = "meedoen".
_TE_INFINITIVE = re.compile(r"\b(" + "|".join(sorted(PARTICLES | {
    "waar", "bekend", "vrij", "stil", "goed", "klaar", "teniet", "tegemoet", "vooruit",
    "kennis", "plaats", "deel"})) + r")\s+te\s+(?:(?:kunnen|mogen|moeten|willen|blijven)\s+)?"
    r"([^\W\d_]{3,})", re.IGNORECASE)  # "mee te kunnen doen": meedoen


@lru_cache(maxsize=65536)  # every stem of every new sentence passes here
def stem_variants(stem: str) -> tuple[str, ...]:
    """A stem and its finite-verb form without -t ("treedt" -> "treed", "stelt" -> "stel"):
    Snowball leaves the -t of the present tense that the infinitive and noun lack."""
    if len(stem) > 4 and stem.endswith("dt"):
        return stem, stem[:-1]
    if len(stem) > 4 and stem.endswith("t") and not stem.endswith(("tt", "st", "cht")):
        return stem, stem[:-1]
    if len(stem) > 4 and stem.endswith(("nst", "rst", "lst")):  # "wenst" -> "wens"
        return stem, stem[:-1]
    if len(stem) >= 5 and stem.endswith("en"):  # "vermogens" -> "vermogen", as "vermogen"
        return stem, _keep_ge(stem, _stemmer().stemWord(stem))  # -> "vermoog": as the singular
    return (stem, *_adjective_base(stem))


def _adjective_base(stem: str) -> tuple[str, ...]:
    """"sociale" as "sociaal": Snowball stems the inflected adjective to "social", the base to
    "sociaal" (so "sociale basis" never met "sociaal werk"). Other inflected adjectives keep
    their -e ("grote", "hoge"): matching them to "groot", "hoog" answered one more
    unanswerable question on the answer set's dev half and gained none."""
    return (stem[:-2] + "aal",) if stem.endswith("ial") else ()


def _clause_particles(text: str) -> list[tuple[int, str]]:
    """Particles that end a clause (or precede a preposition): "treedt hij af?" -> "af"; not
    "samen met" (together with)."""
    return [(m.start(), p) for m in _CLAUSE_FINAL.finditer(text)
            if not ((p := m.group(1).lower()) == "om" and _OM_PREPOSITION.match(text, m.end()))
            and not (p == "samen" and _WITH.match(text, m.end()))]


_WITH = re.compile(r"\s*met\b", re.IGNORECASE)


def _words(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group().lower().replace("’", "'")) for m in _TOKEN.finditer(text)]


def _joined(particle: str, word: str) -> list[str]:
    return [particle + v for v in stem_variants(stem_word(word))]


# Stop words that are finite verbs: "Wat stelt de SP voor?" keys "voorstel" although "stelt"
# alone says nothing.
_VERB_STOPWORDS = frozenset(
    "staat stelt staan stellen gaat gaan komt komen doet doen zet zetten legt leggen houdt houden "
    "neemt nemen geeft geven brengt brengen treedt treden wordt worden is zijn heeft hebben "
    "kan kunnen zal zullen moet moeten mag mogen".split()
)


# verbs that take no particle: "Mag ik de straat op ...?" is no "opmogen", "Wanneer moet het
# Dolfinarium dicht?" no "dichtmoeten", "Op welke website heeft Rutte ... gezet?" no "samenhebben"
_AUXILIARIES = frozenset(
    "kan kunnen zal zullen moet moeten mag mogen wordt worden is zijn heeft hebben".split()
)


_ACRONYM_MODIFIER = re.compile(r"([^\W\d_]{2,4})-[^\W_]{3,}|([^\W_]{2,6})'ers?")


def _acronym_modifier(word: str) -> tuple[str, ...]:
    """"WW-uitkering", "btw-tarieven", "EU-landen": the acronym before the hyphen says what the
    text may name alone ("de kortdurende WW"); not a longer word ("minister-president").
    "CDA'er", "D66'ers": a member of the party ("De heer Ronnes (CDA)")."""
    m = _ACRONYM_MODIFIER.fullmatch(word)
    short = m and (m.group(1) or m.group(2))
    return (short,) if short and short not in STOPWORDS else ()


def compound_parts(word: str) -> list[str]:
    """A long word's splits into two words of >= 4 letters, each as "modifier+head" of their
    stems ("hondenbelasting" -> ..., "hond+belast", ...): a sentence that holds both parts
    says the compound in words ("De belasting wordt geheven naar het aantal honden")."""
    if len(word) < 8 or not word.isalpha():
        return []
    out = []
    for i in range(4, len(word) - 3):
        head, modifier = word[i:], word[:i]
        if modifier.endswith("s") and len(modifier) > 4:  # "arbeids|markt": a linking s
            modifier = modifier[:-1]
        if modifier in STOPWORDS or head in STOPWORDS:
            continue
        out.append(f"{stem_word(modifier)}+{stem_word(head)}")
    return out


def key_forms(question: str, thesaurus: Thesaurus | None = None) -> list[tuple[str, ...]]:
    """The question's key terms, each as the alternatives that count as a match: its stem and
    the stem without a finite -t. With a separable verb ("Wanneer treedt hij af?", "Wat stelt
    de SP voor?", "Welke partijen doen mee?") the words before the particle also match as
    particle + stem ("aftreed", "voorstel", "meedoen"); a verb that is a stop word becomes
    that joined key alone. Synonyms come from `thesaurus` (None: the built-in one)."""
    form_nouns = {m.start(m.lastindex) for p in _NO_KEYS for m in p.finditer(question)}
    form_nouns |= {w.start() for m in _IDIOM.finditer(question)
                   for w in _TOKEN.finditer(question, m.start(), m.end())}
    words = [(pos, w) for pos, w in _words(question) if pos not in form_nouns]
    particles = [(pos, p) for pos, p in _clause_particles(question)
                 if words and pos > words[0][0]]
    if words and words[0][1] == "waar" and particles and particles[0][1] in _STRANDED:
        particles = particles[1:]  # "Waar gaat de wet over?": waarover, no verb "overgaan"
    particle_pos = {pos for pos, _ in particles}
    # "op te roepen", "af te schaffen": the particle joins the verb after "te"
    te_infinitives = [m for m in _TE_INFINITIVE.finditer(question)
                      if m.group(1).lower() != "om"]  # "om te beslissen": purpose, no verb
    te_joined = {m.start(2): _joined(m.group(1).lower(), m.group(2).lower())
                 for m in te_infinitives}
    particle_pos |= {m.start(1) for m in te_infinitives}
    # "hoe groot / lang / vaak ..." asks for a measure: the adjective is part of the question
    measure = {b[0] for a, b in zip(words, words[1:], strict=False)
               if a[1] == "hoe" and b[1] not in _VERB_STOPWORDS}  # "hoe gaat ... om": a verb
    out: dict[str, tuple[str, ...]] = {}
    for pos, word in words:
        if pos in particle_pos or pos in measure or word in QUESTION_WORDS:
            continue
        joined = [*(j for ppos, p in particles if ppos > pos for j in _joined(p, word)),
                  *te_joined.get(pos, ())]
        if word in STOPWORDS or word in ASKING_WORDS:
            if joined and word in _VERB_STOPWORDS and word not in _AUXILIARIES:
                out.setdefault(joined[-1], tuple(dict.fromkeys(joined)))
            continue
        stem = stem_word(word)
        if len(stem) > 1 and stem not in out:
            out[stem] = tuple(dict.fromkeys([*stem_variants(stem), *joined,
                                             *synonyms(stem, thesaurus), *_acronym_modifier(word),
                                             *compound_parts(word)]))
    if _AGREE.search(question) and not _YOU_AGREE.search(question):  # "eens" is a stop word
        out.setdefault("eens", tuple(stem_word(w) for w in _AGREEING))
    return list(out.values())


# Dutch leaves out a compound's shared head: "bezwaar- of beroepschrift", "inlichtingen- en
# veiligheidsdiensten". The first word joined to each possible head of the second (a text
# cannot say where the head begins; the other joins are long strings no question holds)
_ELIDED = re.compile(r"\b([^\W\d_]{3,})-\s+(?:en|of|tot|dan)\s+([^\W\d_]{7,})")


@lru_cache(maxsize=16384)  # sentences of popular chunks come back often
def text_forms(text: str) -> frozenset[str]:
    """All forms a key may match in `text`: stems, their -t variants, and particle + verb
    joins before clause-final particles (a sentence "Hij treedt morgen af." holds "aftreed")."""
    forms: set[str] = set()
    for stem in stems(text):
        forms.update(stem_variants(stem))
    for m in _TE_INFINITIVE.finditer(text):
        forms.update(_joined(m.group(1).lower(), m.group(2).lower()))
    for m in _ELIDED.finditer(text):  # "bezwaar- of beroepschrift": also "bezwaarschrift"
        first, second = m.group(1).lower(), m.group(2).lower()
        forms.update(stem_word(first + second[i:]) for i in range(3, len(second) - 3))
    particles = _clause_particles(text)
    if particles:
        words = _words(text)
        for ppos, p in particles:
            before = [w for pos, w in words if ppos - 60 < pos < ppos][-8:]
            for w in before:
                forms.update(_joined(p, w))
    return frozenset(forms)
