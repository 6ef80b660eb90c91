"""Dutch strong verbs: their past tense and participle as the infinitive, before stemming.

Snowball stems "gekozen" to "koos" and "kiezen" to "kies", so "Wie kiest de leden?" never met
"De leden worden gekozen". A word that is a strong verb's past or participle, on its own or
after a verb's prefix ("aangenomen", "verkozen", "opnam"), is read as the infinitive. Forms
that are also common nouns ("namen", "reden", "weken", "zonden") are read so only behind a
prefix ("aannamen" is still "aannemen").
"""

from __future__ import annotations

# infinitive: past singular, past plural, participle (with its "ge-")
_VERBS = """
kiezen koos kozen gekozen
krijgen kreeg kregen gekregen
nemen nam namen genomen
geven gaf gaven gegeven
blijven bleef bleven gebleven
schrijven schreef schreven geschreven
spreken sprak spraken gesproken
komen kwam kwamen gekomen
zien zag zagen gezien
vinden vond vonden gevonden
houden hield hielden gehouden
stijgen steeg stegen gestegen
brengen bracht brachten gebracht
denken dacht dachten gedacht
kopen kocht kochten gekocht
zoeken zocht zochten gezocht
bieden bood boden geboden
sluiten sloot sloten gesloten
lopen liep liepen gelopen
sterven stierf stierven gestorven
blijken bleek bleken gebleken
verliezen verloor verloren verloren
beginnen begon begonnen begonnen
winnen won wonnen gewonnen
liggen lag lagen gelegen
zitten zat zaten gezeten
dragen droeg droegen gedragen
trekken trok trokken getrokken
stelen stal stalen gestolen
verdwijnen verdween verdwenen verdwenen
dwingen dwong dwongen gedwongen
zenden zond zonden gezonden
vallen viel vielen gevallen
hangen hing hingen gehangen
vangen ving vingen gevangen
roepen riep riepen geroepen
slaan sloeg sloegen geslagen
helpen hielp hielpen geholpen
gelden gold golden gegolden
treden trad traden getreden
heffen hief hieven geheven
schuiven schoof schoven geschoven
binden bond bonden gebonden
kijken keek keken gekeken
lijken leek leken geleken
rijden reed reden gereden
wijzen wees wezen gewezen
wijken week weken geweken
wegen woog wogen gewogen
schieten schoot schoten geschoten
"""
# also nouns, adjectives or other words: only behind a prefix
_AMBIGUOUS = frozenset("namen gaven boden sloten sloot lagen lag stal stalen zonden bond bonden "
                       "reden wezen wees week weken schoten won golden gold gevallen".split())
# Separable-verb particles ("treedt ... af" = "aftreden", "aan" + "ge" + "nomen"), one list for
# the whole code base (ingest/terms.py splits and joins them), and inseparable prefixes
# ("ver" + "kozen")
PARTICLES = frozenset(
    "aan af bij binnen buiten dicht door in los mee na neer om onder op open over samen tegen "
    "terug toe uit vast voor weg".split()
)
INSEPARABLE = frozenset("be ver ont her er".split())

_FORMS: dict[str, str] = {}
for _line in _VERBS.split("\n"):
    if _line.strip():
        _inf, *_forms = _line.split()
        for _f in _forms:
            _FORMS.setdefault(_f, _inf)
_LONGEST = max(map(len, _FORMS))
_PREFIXES = frozenset([*PARTICLES, *INSEPARABLE,
                       *(p + q for p in PARTICLES for q in INSEPARABLE)])


def infinitive(word: str) -> str:
    """`word` (lower case) as its strong verb's infinitive when it is a past or participle
    ("gekozen" -> "kiezen", "aangenomen" -> "aannemen", "verkoos" -> "verkiezen"); else
    `word`."""
    start = next((i for i in range(max(0, len(word) - _LONGEST), len(word) - 2)
                  if word[i:] in _FORMS), None)
    if start is None:
        return word
    form, prefix = word[start:], word[:start]
    inf = _FORMS[form]
    if not prefix:
        return word if form in _AMBIGUOUS else inf
    return prefix + inf if prefix in _PREFIXES else word  # "opnam", "aangenomen", "verkozen"
