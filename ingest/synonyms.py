"""A small Dutch thesaurus for the answerer's term matching: a citizen asks with other words
than the document uses ("toezegging" for "belofte", "uitstellen" for "verdagen").

Groups hold words that may stand for one another in a question about public matters; related
words that are not interchangeable ("bezwaar" and "beroep" are different procedures) stay apart.
Irregular plurals the stemmer does not join ("lid" / "leden") are groups too. Matching is by
stem, so one inflected form per word is enough; a word whose stem collides with another word's
("lijk" is a corpse, and the stem of "lijken") is left out.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

GROUPS = """
belofte toezegging
premier minister-president
regering kabinet
overheid bestuursorgaan overheidsinstantie overheidsorgaan
burger inwoner ingezetene
mens persoon
online digitaal internet
uitstellen verdagen opschorten
uitslag uitkomst resultaat
verzet bezwaar
dood overlijden overleden sterven
begrafenis begraven teraardebestelling
huurcontract huurovereenkomst
contract overeenkomst
inenten inenting vaccineren vaccinatie
verplicht plicht verplichting
controleren controle toezicht inspectie
prijs tarief
registreren registratie inschrijven inschrijving
afschaffen schrappen opheffen
verhogen verhoging optrekken
verlagen verlaging
afbouwen verminderen terugdringen
stoppen beëindigen
invoeren introduceren
verbeteren versterken
werkloos werkloosheid
leraar docent onderwijzer
student studerende
studiefinanciering basisbeurs studiebeurs
lenen lening
huis woning
huurder bewoner
kind kinderen
oudere senior gepensioneerde
belasting heffing
geld middelen financiering budget
investeren investering
auto personenauto
proef experiment
boer landbouwer agrariër veehouder
rechter rechtbank
straf bestraffing
misdaad criminaliteit misdrijf delict
vluchteling asielzoeker
migrant immigrant
verbieden verbod
toestaan toelaten
lid leden zetel
stad steden
schip schepen
naturalisatie nederlanderschap nationaliteit
paspoort reisdocument
identiteitsbewijs legitimatie identiteitskaart id-kaart id-bewijs
wet wetgeving
parlement volksvertegenwoordiging staten-generaal
kiezer kiesgerechtigde stemgerechtigde
referendum volksraadpleging
lijsttrekker partijleider
besluit beslissing beschikking
aanvraag verzoek
antwoord reactie
snel spoedig
direct onmiddellijk meteen
voldoende genoeg
belangrijk essentieel cruciaal wezenlijk
hooguit maximaal hoogstens maximum
dag dagelijks
schandaal affaire
week wekelijks
maand maandelijks
jaar jaarlijks
minstens minimaal minimum tenminste
probleem knelpunt
lastig moeilijk moeizaam
hulp steun ondersteuning
helpen steunen ondersteunen
eenzaamheid eenzaam
schuld schulden
bedrijf onderneming
salaris loon
werknemer medewerker personeel
verschil tegenstelling
begin start aanvang
einde afloop sluiting
oprichten opzetten
vergoeding compensatie tegemoetkoming
tekort gebrek
uitnodigen uitnodiging
gezondheidszorg zorg
eten voedsel voeding
verkiezing stembusgang stembus
functie rol positie
leider voorman
partner partners
coalitie samenwerkingsverband
bericht nieuwsbericht
plan voornemen
doel streven
oplossing uitweg
oorzaak reden
invloed effect
toekomst vooruitzicht
pandemie coronacrisis corona covid
crisis noodsituatie
ziekte aandoening
arts dokter huisarts
patiënt zieke
welzijn welbevinden
bezoek werkbezoek
kennismaking ontmoeting
sterk krachtig
zwak kwetsbaar
arm minima
uitgeven besteden
bezuinigen besparen bezuiniging
tekort deficit
verdelen verdeling
ambtenaar ambtenaren
minister bewindsman bewindsvrouw
staatssecretaris bewindspersoon
vergadering bijeenkomst
debat discussie
motie voorstel
wetsvoorstel wetsontwerp
aanpassen veranderen
kopen koop
bouwen bouw nieuwbouw
energie stroom
vervoer transport
trein spoor
fiets rijwiel
uitstoot emissie
asiel vluchtelingen
grens grenzen
veiligheid bescherming
beschermen behoeden
gevaar dreiging
oorlog conflict
leger defensie krijgsmacht
politieagent agent
fraude bedrog
fraudeur oplichter
schade nadeel
recht aanspraak
plicht taak
eis voorwaarde
regel voorschrift
godsdienst religie
onderwijs scholing
opleiding studie
baan werkplek
bang angstig
boos kwaad
blij tevreden
voorgoed permanent
mening opvatting standpunt
koning monarchie koningshuis
gokken kansspel kansspelen
plek locatie
kans gelegenheid mogelijkheid
hengelen sportvissen sportvisserij
twee 2
drie 3
vier 4
vijf 5
zes 6
zeven 7
acht 8
negen 9
tien 10
twaalf 12
twintig 20
"""


class ThesaurusError(ValueError):
    """A thesaurus file that cannot be read: the message names the file, the line and why."""


def _stem(word: str) -> str:
    from ingest.terms import stems

    found = stems(word, drop_stopwords=False)  # a hyphenated word, then its parts
    return found[0] if found else word


def _entry(entry: str) -> str:
    """A word's stem; a phrase ("algemeen overleg") as its content words' stems joined by "+",
    which matches a text that holds them all (ingest.terms.compound_parts)."""
    from ingest.terms import stems

    words = stems(entry) if " " in entry.strip() else [_stem(entry)]
    return "+".join(words)


class Thesaurus:
    """Groups of words that may stand for one another, by stem: the built-in `GROUPS` and,
    from the settings (`VRAAGBAAK_THESAURUS_FILE`), a user's own ("Wob, Woo", "VAO,
    voortgezet algemeen overleg"). Matching is by stem, so one form per word is enough."""

    def __init__(self, groups: list[list[str]],
                 index: dict[str, tuple[str, ...]] | None = None) -> None:
        self._index = dict(index or {})
        for words in groups:
            group = tuple(dict.fromkeys(_entry(w) for w in words))
            for s in group:
                self._index[s] = tuple(dict.fromkeys([*self._index.get(s, ()), *group]))

    @classmethod
    def builtin(cls) -> Thesaurus:
        return _builtin()

    def extended(self, path: Path) -> Thesaurus:
        """This thesaurus plus the groups of a UTF-8 text file: one group per line, its words
        separated by commas (a phrase may then hold spaces) or else by spaces; "#" starts a
        comment. A line of one word, or a file that is not UTF-8 text, is an error naming the
        file and the line."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ThesaurusError(f"{path}: thesaurusbestand bestaat niet") from None
        except (OSError, UnicodeDecodeError) as e:
            raise ThesaurusError(f"{path}: thesaurusbestand kan niet gelezen worden ({e})") \
                from None
        groups = []
        for n, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            words = [w.strip() for w in (line.split(",") if "," in line else line.split())]
            words = [w for w in words if w]
            if len(words) < 2:
                raise ThesaurusError(f"{path}, regel {n}: een groep heeft minstens twee woorden "
                                     f"nodig ({raw.strip()!r})")
            groups.append(words)
        return Thesaurus(groups, self._index)

    def groups(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each stem with the stems of its group (itself included)."""
        return list(self._index.items())

    def synonyms(self, stem: str) -> tuple[str, ...]:
        """Stems that may stand for `stem` (without itself); () when it is in no group. A
        compound whose head is in a group gets the head's synonyms ("uitzendcontract" ->
        "uitzendovereenkomst")."""
        index = self._index
        if stem in index:
            return tuple(s for s in index[stem] if s != stem)
        for cut in range(3, len(stem) - 4):  # the longest head first
            head = stem[cut:]
            if head in index:
                return tuple(stem[:cut] + s for s in index[head] if s != head and "+" not in s)
        return ()


@lru_cache(maxsize=1)
def _builtin() -> Thesaurus:
    return Thesaurus([line.split() for line in GROUPS.strip().splitlines()])


def synonyms(stem: str, thesaurus: Thesaurus | None = None) -> tuple[str, ...]:
    """`stem`'s synonyms in `thesaurus` (None: the built-in one)."""
    return (thesaurus or _builtin()).synonyms(stem)
