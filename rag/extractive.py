"""The offline default answerer: quotes the most relevant source sentences verbatim.

Faithful by construction: every sentence of the answer is a sentence of a source, followed by
its citation marker. It refuses when no sentence carries the question's key terms and the kind
of answer asked for (a number for "hoeveel", a date for "wanneer"), whatever the similarity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from ingest.passage_sentences import MIN_SENTENCE_CHARS
from ingest.synonyms import Thesaurus
from ingest.terms import key_forms, stem_word, text_forms, tokens
from ingest.titles import cites_title
from rag.answer_extend import (
    SALUTATION,
    Context,
    Scored,
    asks_addressee,
    asks_opening,
    continuation,
    document_forms,
    letter_of_sender,
    neighbours,
    opening_sentences,
    other_side,
    place_forms,
    preceding_requests,
    salutations,
    second_topic,
    without_addressee_words,
    without_kind_words,
    without_money_words,
    without_opening_words,
    without_request_words,
)
from rag.evidence import (
    Key,
    Sentence,
    announces_list,
    asks_for_question,
    asks_money,
    asks_party,
    asks_title,
    coverage,
    expected_kind,
    first_item,
    given_values,
    has_kind,
    holds_head,
    is_fragment,
    is_instruction,
    is_question,
    key_name,
    later_item,
    names_any,
    names_new,
    open_quote,
    quantity_of,
    quantity_targets,
    refers_back,
    sentences_of,
    term_matches,
)
from rag.named_documents import MAX_NAME_WORDS, Naming
from rag.short_answer import short_span
from rag.speakers import asked_speaker, sentence_speaker, spoken_by
from rag.types import Answer, AnswerSentence, Citation, ShortAnswer
from vectorstore.embedders import Embedder
from vectorstore.records import Hit

REFUSAL = (
    "Daarover vind ik geen antwoord in de documenten. Probeer de vraag anders te stellen, "
    "of vraag de beheerder of het juiste document erbij zit."
)


@dataclass(frozen=True)
class ExtractiveConfig:
    max_sentences: int = 3  # the best sentence plus similar ones
    max_list_sentences: int = 5  # when the best announces a list, its items may follow
    min_coverage: float = 0.5  # weighted share of the question's key terms (sentence + title)
    min_similarity: float = 0.78  # cosine(query, sentence) floor for the best sentence (e5 scale)
    # second tier: a paraphrase shares fewer words but is very close in meaning
    high_similarity: float = 0.88
    min_coverage_high: float = 0.2
    follow_gap: float = 0.04  # further sentences: similarity at most this far below the best
    max_candidates: int = 60
    context_chars: int = 240
    max_related: int = 3  # a refusal's closest passages, shown as no answer (0: none)
    document_weight: float = 0.1  # preference for the document that covers the question best
    title_weight: float = 0.1  # ... and for the one whose title / file name the question names
    coverage_weight: float = 0.1  # ranking: similarity + this x coverage (+ the two above)
    # a sentence qualifies together with the next one only when it holds this weighted share
    # of the key terms itself (not one incidental word: bench/refusal_kamervragen.py)
    pair_min_own: float = 0.3
    # ... and reaches this similarity: the floor before session 14 lowered `min_similarity`
    # (at 0.78 the pair of a Handelingen thank-you and the next sentence's "Nederlandse"
    # answered "Welke minister heeft de brief ... beantwoord?")
    pair_min_similarity: float = 0.80
    # "Ik heb drie honden. Waar hangt mijn hondenbelasting van af?": the situation's own words
    # weigh this much (the answer speaks of the question, seldom of the asker's situation)
    situation_weight: float = 0.5
    # "volgens minister De Jonge": the named speaker's own sentences answer at this tier
    speaker_min_coverage: float = 0.4
    speaker_min_similarity: float = 0.85
    # "Uit hoeveel leden bestaat de Raad van State?": a name the question holds (a capital
    # word inside it) must be in the sentence, its document or its passage
    names_required: bool = True


_PRONOUN_START = re.compile(r"^\W*(?:hij|zij|ze|deze|die)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_FIRST_PERSON = re.compile(r"\b(ik|mijn|me|mij|wij|we|ons|onze)\b", re.IGNORECASE)


def situation_keys(question: str, keys: list[Key]) -> list[str]:
    """The key terms (names) that only the sentences before the question's last one hold, when
    that one has >= 3 of its own: "Mijn dochter is dertien. Heeft ze onze toestemming als
    ouders nodig om een ID-kaart aan te vragen?" -> "dochter", "dertien"."""
    parts = _SENTENCE_END.split(question.strip())
    if len(parts) < 2 or not all(_FIRST_PERSON.search(p) for p in parts[:-1]):
        return []  # a situation is the asker's own ("Kent u het bericht ...?" is none)
    asked = {key_name(k) for k in key_forms(parts[-1])}
    if len(asked) < 3:  # "Ik ben mijn kiezerspas kwijt. Kan ik een nieuwe krijgen?": the
        return []       # situation says what the question is about
    return [key_name(k) for k in keys if key_name(k) not in asked]


_NAME_WORD = re.compile(r"(?<=[^\W\d_]\s)[A-ZÀ-Þ][a-zß-ÿ]{3,}(?![^\W\d_])")


def question_names(question: str, keys: list[Key]) -> list[Key]:
    """The key terms of names the question holds: words with a capital inside the question
    (not its first word), "Raad van State" -> "raad", "state"; "Amsterdam". Not an
    abbreviation ("AIVD", "Awb"): the text names those in full."""
    stems_of = {stem_word(m.group().lower()) for m in _NAME_WORD.finditer(question)
                if not m.group().lower().startswith("nederland")}  # the setting, not a name
    return [k for k in keys if key_name(k) in stems_of]


def _holds_name(key: Key, forms: set[str] | frozenset[str]) -> bool:
    """Whether `forms` hold a name's key, also as the start of a longer form: "Frans" stems
    to "fran", "Franse" to "frans"."""
    name = key_name(key)
    return term_matches(key, forms) or any(f.startswith(name) for f in forms)


def _weights(keys: list[Key], forms: list[frozenset[str]]) -> dict[str, float]:
    """Rarer key terms weigh more (idf over the candidate sentences)."""
    n = len(forms) or 1
    return {
        key_name(k): 1.0 + math.log((n + 1) / (1 + sum(term_matches(k, f) for f in forms)))
        for k in keys
    }


class ExtractiveAnswerer:
    def __init__(self, embedder: Embedder, config: ExtractiveConfig | None = None,
                 naming: Callable[[str], Naming] | None = None,
                 thesaurus: Thesaurus | None = None) -> None:
        self.embedder = embedder
        self.config = config or ExtractiveConfig()
        self.thesaurus = thesaurus  # synonyms of key terms; None: the built-in ones
        self._naming = naming  # the documents a question names (rag/named_documents.py)

    def score(self, question: str, hits: list[Hit]) -> list[Scored]:
        """Every candidate sentence scored against the question, best first."""
        return self._score(question, hits)[0]

    def _score(self, question: str, hits: list[Hit]) -> tuple[list[Scored], Context]:
        cfg = self.config
        everything = sentences_of(hits)
        nexts = neighbours(everything)
        questions_ok = asks_for_question(question)
        addressee = asks_addressee(question)
        titled = asks_title(question)  # "Deze wet wordt aangehaald als ...": its name only
        sentences = [s for s in everything if len(s.text) >= MIN_SENTENCE_CHARS
                     and not is_instruction(s.text) and (titled or not cites_title(s.text))
                     and (not is_fragment(s.text) or (addressee and SALUTATION.match(s.text)))
                     and (questions_ok or not is_question(s.text))]
        sentences = sentences[: cfg.max_candidates]
        letters = letter_of_sender(question, {s.hit.title for s in sentences})
        if letters:  # "volgens de brief van het sociaal werk": that letter answers, no other
            sentences = [s for s in sentences if s.hit.title in letters]
        keys = without_kind_words(key_forms(question, self.thesaurus))
        kind = "money" if asks_money(question) else expected_kind(question)
        opening = asks_opening(question) and kind in (None, "quote")
        if opening:
            keys = without_opening_words(keys)
        if kind == "request":
            keys = without_request_words(keys)
        if kind == "money":
            keys = without_money_words(keys)
        greetings = salutations(sentences) if addressee and kind is None else {}
        if greetings:
            keys = without_addressee_words(keys)
            if not keys and len(greetings) == 1:  # "Aan wie is de brief gericht?": the letter
                keys = [tuple(sorted(document_forms(next(iter(greetings.values())).hit)))]
        ctx = Context(nexts, keys, None)
        if not sentences or not keys:  # nothing to quote, or a question without content
            return [], ctx
        forms = [s.forms for s in sentences]
        hits_of = {s.hit.source: s.hit for s in sentences}  # one per document, not sentence
        doc_forms = {src: document_forms(h, question) for src, h in hits_of.items()}
        weights = _weights(keys, forms)
        for name in situation_keys(question, keys):
            weights[name] *= cfg.situation_weight
        doc_all: dict[str, set[str]] = {src: set(f) for src, f in doc_forms.items()}
        for s, f in zip(sentences, forms, strict=True):
            doc_all[s.hit.source] |= f
        doc_cov = {src: coverage(keys, f, weights) for src, f in doc_all.items()}
        title_cov = {src: coverage(keys, f, weights) for src, f in doc_forms.items()}
        names = question_names(question, keys) if cfg.names_required else []
        targets = tokens(question) if kind == "name" else quantity_targets(question)
        party = kind == "name" and asks_party(question)
        of = quantity_of(question)  # "hoeveel procent van de stemmen": about the stemmen
        given = given_values(question)  # "de 10 miljoen bomen": no answer to "hoeveel geld"
        q = np.asarray(self.embedder.embed_query(question))
        vecs = np.asarray(self.embedder.embed_documents([s.text for s in sentences]))
        sims = vecs @ q
        sim_of = {s.key: float(v) for s, v in zip(sentences, sims, strict=True)}
        before = {nexts[a.key].key: a for a in everything if a.key in nexts}
        prevs = (before if kind == "quote" else
                 preceding_requests(everything) if kind == "request" else {})
        first = None  # opening question: the first sentence of the document it is about best
        if greetings:  # whom the letter is to: its salutation
            opening, starts = True, greetings
        else:
            starts = opening_sentences(sentences) if opening else {}
        if opening and starts:
            src = max(starts, key=lambda d: (title_cov[d], doc_cov[d]))
            if doc_cov[src] >= cfg.min_coverage:
                first = starts[src].key
        named_in: dict[str, bool] = {}

        def passage_names(hit: Hit) -> bool:
            """Whether the passage or its document's candidates hold every name asked."""
            if hit.chunk_id not in named_in:
                named_in[hit.chunk_id] = all(
                    _holds_name(k, doc_all[hit.source])
                    or _holds_name(k, text_forms(hit.original)) for k in names)
            return named_in[hit.chunk_id]

        scored = []
        for s, f, sim in zip(sentences, forms, sims, strict=True):
            title = doc_forms[s.hit.source] | place_forms(s.hit, s.char_start)
            prev = _sentence_before(s, before) if _PRONOUN_START.match(s.text) else None
            if prev is not None:  # "Hij ...", "Deze ...": what the sentence before names
                title = title | prev.forms
            own = coverage(keys, f, weights)
            near = f | title  # the sentence with its document's and place's words
            cov = coverage(keys, near, weights)
            counts_it = all(term_matches(t, f) for t in of)
            kind_ok = counts_it and has_kind(s.text, kind, targets, self.thesaurus, given)
            if party and not kind_ok and len(s.hit.title.split()) <= MAX_NAME_WORDS:
                kind_ok = names_new(s.hit.title, targets)  # "Welke partij wil ...": its programme
            lead = None
            if kind in ("quote", "request") and not kind_ok and own > 0:
                # "We zetten ons in om uw belofte waar te maken." after the quoted promise;
                # "Deze motie is voorgesteld door ..." after the motion's "verzoekt ..."
                quoted = prevs.get(s.key)
                if quoted is not None and has_kind(quoted.text, kind):
                    lead, kind_ok = quoted, True
            # a request of the document the question names ("Wat vraagt het sociaal werk aan
            # Rutte?": "investeer in ...") need not repeat the names of its sender
            named_ok = (own > 0 or (kind == "request" and title_cov[s.hit.source] > 0)
                        or holds_head(keys, f))
            if names and named_ok:
                named_ok = all(_holds_name(k, near) for k in names) or passage_names(s.hit)
            ok = named_ok and kind_ok and self.passes(cov, float(sim))
            if s.key == first and (kind_ok or kind is None):
                ok, cov = True, max(cov, doc_cov[s.hit.source])
            with_next, pair = False, None
            nxt = nexts.get(s.key)
            if own >= cfg.pair_min_own and nxt is not None and not is_instruction(nxt.text):
                pair = (coverage(keys, f | nxt.forms | title, weights),
                        max(float(sim), sim_of.get(nxt.key, -1.0)),
                        kind_ok or (counts_it and has_kind(nxt.text, kind, targets,
                                                                  self.thesaurus, given)))
                with_next = (not ok and pair[2] and pair[1] >= cfg.pair_min_similarity
                             and self.passes(pair[0], pair[1]))
            total = (float(sim) + (1.0 if s.key == first else 0.0) + cfg.coverage_weight * cov
                     + cfg.document_weight * doc_cov[s.hit.source]
                     + cfg.title_weight * title_cov[s.hit.source])
            scored.append(Scored(s, cov, float(sim), total, ok, own, with_next, kind_ok, pair,
                                 lead))
        scored = _blocked(scored, self._only_named(question))
        scored = _speakers_own(scored, asked_speaker(question),
                               (cfg.speaker_min_coverage, cfg.speaker_min_similarity))
        return (sorted(scored, key=lambda x: -x.score),
                Context(nexts, keys, kind, first, before))

    def _only_named(self, question: str) -> Callable[[Hit], bool] | None:
        """A question that names documents ("Wat wil BIJ1 met de koning?") is answered from
        them, or from a passage that names them too ("Mevrouw Agema (PVV): ..." in the
        Handelingen, for "Waarom stemde de PVV ..."): the SGP's sentence about the king is no
        answer to it, however close. None when it names none."""
        naming = self._naming(question) if self._naming else None
        if naming is None or not naming.sources:
            return None
        named = set(naming.sources)
        seen: dict[str, bool] = {}  # per chunk: its sentences share the answer

        def allowed(hit: Hit) -> bool:
            if hit.source in named:
                return True
            if naming.laws_only or naming.as_news:
                return False
            if hit.chunk_id not in seen:
                seen[hit.chunk_id] = names_any(hit, naming.words)
            return seen[hit.chunk_id]

        return allowed

    def passes(self, coverage: float, similarity: float) -> bool:
        """The refusal rule: enough of the question's terms at the similarity floor, or fewer
        terms at a high similarity (bench/refusal_kamervragen.py measures both tiers)."""
        cfg = self.config
        return (coverage >= cfg.min_coverage and similarity >= cfg.min_similarity) or (
            coverage >= cfg.min_coverage_high and similarity >= cfg.high_similarity)

    def answer(self, question: str, hits: list[Hit],
               on_token: Callable[[str], None] | None = None) -> Answer:
        """The answer; `on_token` is ignored (nothing is generated, so nothing streams)."""
        scored, ctx = self._score(question, hits)
        best = next((x for x in scored if x.qualifies or x.with_next), None)
        if best is None:
            return Answer(question=question, answer=REFUSAL, citations=[], refused=True,
                          related=self._related(scored))
        cfg = self.config
        by_key = {x.sentence.key: x for x in scored}

        def scored_of(s: Sentence) -> Scored:
            return by_key.get(s.key) or Scored(s, 0, 0, best.score, True)

        if best.sentence.key == ctx.first:  # how a document begins: its first sentence
            return self._compose(question, _fill_gaps([best], ctx, scored_of))
        lead = best.lead
        if lead is None and refers_back(best.sentence.text) and ctx.before:
            # "In afwijking van het eerste lid ...", "Dit geldt ook ...": the sentence it leans on
            prev = _sentence_before(best.sentence, ctx.before)
            if prev is not None and not is_fragment(prev.text) and not is_instruction(prev.text):
                lead = prev
        # "De tweede stap is ..." (the best, or the sentence it leans on): from the first item
        leads = [*_earlier_items(lead or best.sentence, ctx, cfg.max_list_sentences - 2),
                 *([lead] if lead else [])]
        group = [*leads, best.sentence, *continuation(best, ctx, cfg)]
        limit = cfg.max_list_sentences if len(group) > 2 else cfg.max_sentences
        chosen: list[Scored] = []

        def add(x: Scored, redundant_ok: bool = False) -> None:
            if len(group) + len(chosen) < limit and (
                    redundant_ok or not _redundant(x, [best, *chosen])):
                chosen.append(x)

        taken = {s.key for s in group}
        for x in second_topic(best, group, scored, taken, ctx, 2 * cfg.follow_gap):
            add(x)
        for x in other_side(best, scored, taken | {x.sentence.key for x in chosen}, ctx):
            add(x, redundant_ok=True)  # the same words with another value: a disagreement
        for x in scored:
            if len(group) + len(chosen) >= cfg.max_sentences:
                break
            key = x.sentence.key
            if key in taken or x in chosen or x.similarity < best.similarity - cfg.follow_gap:
                continue
            if not x.qualifies:
                continue
            add(x)
        tail: list[Scored] = []
        room = max(len(chosen), cfg.max_list_sentences - len(group))
        for x in _reading_order(chosen):  # a follower that announces a list brings its items,
            have = {t.sentence.key for t in tail} | taken  # a later item the ones before it
            items = [s for s in _earlier_items(x.sentence, ctx, cfg.max_list_sentences - 1)
                     if s.key not in have]
            if len(tail) + len(items) < room:
                tail.extend(map(scored_of, items))
            tail.append(x)
            if announces_list(x.sentence.text):
                have = {t.sentence.key for t in tail} | taken
                for s in continuation(x, ctx, cfg):
                    if s.key not in have:
                        tail.append(scored_of(s))
        tail = tail[:room]
        return self._compose(question, _fill_gaps([*map(scored_of, group), *tail], ctx,
                                                  scored_of))

    def related(self, question: str, hits: list[Hit]) -> list[Citation]:
        """The passages closest to `question` among `hits`, for a refusal (see `_related`)."""
        return self._related(self._score(question, hits)[0])

    def _related(self, scored: list[Scored]) -> list[Citation]:
        """A refusal's closest passages: the best sentences that hold a key term of the
        question themselves, one per passage (dev half: for 32 of the 94 answerable questions
        it refused, the expected answer is among these three)."""
        out: list[Citation] = []
        chunks: set[str] = set()
        for x in scored:
            if len(out) >= self.config.max_related:
                break
            if x.blocked or x.own <= 0 or x.sentence.hit.chunk_id in chunks:
                continue
            chunks.add(x.sentence.hit.chunk_id)
            out.append(Citation.of(len(out) + 1, x.sentence, x.score, self.config.context_chars))
        return out

    def _compose(self, question: str, chosen: list[Scored]) -> Answer:
        citations, parts = [], []
        for n, x in enumerate(chosen, 1):
            citations.append(Citation.of(n, x.sentence, x.score, self.config.context_chars))
            parts.append(f"{x.sentence.text} [{n}]")
        sentences = [AnswerSentence(x.sentence.text, True, n) for n, x in enumerate(chosen, 1)]
        return Answer(question=question, answer=" ".join(parts), citations=citations,
                      short=_short(question, citations), sentences=sentences)


def _sentence_before(s: Sentence, before: dict[tuple[str, int], Sentence]) -> Sentence | None:
    """The sentence before `s` in its passage, past a member's number ("2.")."""
    prev = before.get(s.key)
    if prev is not None and is_fragment(prev.text):
        prev = before.get(prev.key)
    return prev


def _earlier_items(s: Sentence, ctx: Context, room: int) -> list[Sentence]:
    """For a later item of a list ("De tweede stap is ..."), the sentences back to its first
    item ("Als eerste ..."), in source order; none when the first item is not within `room`
    sentences before it."""
    if not later_item(s.text) or not ctx.before:
        return []
    out: list[Sentence] = []
    prev = _sentence_before(s, ctx.before)
    while prev is not None and len(out) < room and not is_instruction(prev.text):
        out.append(prev)
        if first_item(prev.text):
            return out[::-1]
        prev = _sentence_before(prev, ctx.before)
    return []


def _fill_gaps(chosen: list[Scored], ctx: Context,
               scored_of: Callable[[Sentence], Scored]) -> list[Scored]:
    """The one sentence between two quoted sentences of a document is quoted too: "A. [B.] C."
    with B left out reads as if A and C were one thought ("De een wil meer geld ...".
    "Daar komen we samen uit." "Want uiteindelijk ..."). A quotation cut by the sentence
    splitter is completed with the sentence that closes it."""
    keys = {x.sentence.key for x in chosen}
    out: list[Scored] = []
    for x in chosen:
        out.append(x)
        middle = ctx.next.get(x.sentence.key)
        if middle is not None and middle.key not in keys and open_quote(x.sentence.text) \
                and not open_quote(x.sentence.text + " " + middle.text):
            out.append(scored_of(middle))  # the rest of a quotation the splitter cut
            keys.add(middle.key)
            continue
        after = ctx.next.get(middle.key) if middle is not None else None
        if (middle is not None and after is not None and middle.key not in keys
                and after.key in keys and not is_instruction(middle.text)
                and not is_fragment(middle.text)):  # "De voorzitter:" between two is no gap
            out.append(scored_of(middle))
            keys.add(middle.key)
    return out


def _redundant(x: Scored, chosen: list[Scored]) -> bool:
    a = set(x.sentence.stems)
    for c in chosen:
        b = set(c.sentence.stems)
        if a and b and len(a & b) / len(a | b) > 0.5:
            return True
    return False


def _short(question: str, citations: list[Citation]) -> ShortAnswer | None:
    """The answering phrase in the first citation that has one (rag/short_answer.py)."""
    for c in citations:
        span = short_span(question, c.quote)
        if span:
            a, b = span
            return ShortAnswer(c.n, c.quote[a:b], c.char_start + a, c.char_start + b)
    return None


def _reading_order(chosen: list[Scored]) -> list[Scored]:
    """Documents in order of first appearance; within a document, source order."""
    first_seen: dict[str, int] = {}
    for i, x in enumerate(chosen):
        first_seen.setdefault(x.sentence.hit.source, i)
    return sorted(chosen, key=lambda x: (first_seen[x.sentence.hit.source], x.sentence.char_start))


def _speakers_own(scored: list[Scored], name: str | None, tier: tuple[float, float]
                  ) -> list[Scored]:
    """"Wat zegt minister De Jonge over ...?": when the named speaker's spreekbeurten are among
    the candidates, the other speakers' sentences (a motion read out before his answer) may
    not answer, and his own answer at the lower `tier` (coverage, similarity): the question
    has already said whose words it wants, in terms the speaker's answer seldom repeats."""
    if name is None:
        return scored
    who = {x.sentence.key: sentence_speaker(x.sentence.hit, x.sentence.char_start)
           for x in scored}
    if not any(spoken_by(w, name) for w in who.values()):
        return scored
    out = []
    for x in scored:
        speaker = who[x.sentence.key]
        if speaker and not spoken_by(speaker, name):
            x = replace(x, qualifies=False, with_next=False, blocked=True)
        elif (speaker and not x.qualifies and not x.blocked and x.kind_ok and x.own > 0
              and x.coverage >= tier[0] and x.similarity >= tier[1]):
            x = replace(x, qualifies=True)
        out.append(x)
    return out


def _blocked(scored: list[Scored], allowed: Callable[[Hit], bool] | None) -> list[Scored]:
    """Candidates outside the documents the question names may not answer (when any of them
    was retrieved). Requiring the question's multiword names in the passage as well ("de Raad
    van State" not answered by "De raad bestaat uit ... leden") refused one more unanswerable
    question of the answer set's dev half, but cost 6 of 44 right answers on Kamervragen's dev
    half, whose questions name organisations and news items the answers do not repeat."""
    if allowed is None or not any(allowed(x.sentence.hit) for x in scored):
        return scored  # no names, or none of the named documents retrieved (filters)
    return [x if allowed(x.sentence.hit)
            else replace(x, qualifies=False, with_next=False, blocked=True) for x in scored]
