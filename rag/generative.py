"""Generative answers from a configured LLM (a LangChain chat model), grounded sentence by
sentence in the exact source text (rag/grounding.py).

Flow: numbered passages + the question go into the versioned Dutch prompt
(rag/prompts/antwoord.v1.txt); the model's text streams to `on_token`; the finished text is
split into sentences and each is grounded in the passages it cites. Only supported sentences
are shown, each with a marker to the source span that supports it (exact offsets, verified by
the chain like every citation). Unsupported sentences are dropped from `answer` and reported in
`sentences` with the reason. Nothing supported: the refusal. The backend down, slow or failing:
the extractive answer, with a Dutch notice; never a hang, never a stack trace.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from ingest.synonyms import Thesaurus
from ingest.terms import key_forms, text_forms
from rag.answer_extend import document_forms
from rag.citation_format import location
from rag.evidence import coverage
from rag.grounding import GroundedSentence, Grounder
from rag.types import Answer, AnswerSentence, Citation
from vectorstore.records import Hit

log = logging.getLogger(__name__)

PROMPT_VERSION = "antwoord.v1"
PROMPT_FILE = Path(__file__).parent / "prompts" / f"{PROMPT_VERSION}.txt"
REFUSAL = "Daarover staat geen antwoord in de documenten. Probeer de vraag anders te stellen."
UNREACHABLE = ("Het taalmodel is nu niet bereikbaar of te traag. Hieronder staan de zinnen uit de "
               "documenten die het best bij uw vraag passen.")
UNREACHABLE_SHORT = "Het taalmodel is nu niet bereikbaar of te traag."
DROPPED = "{n} zin(nen) van het taalmodel weggelaten: niet onderbouwd door de bronnen."


class LLMUnavailableError(RuntimeError):
    """The chat model failed, timed out or returned nothing."""


def load_prompt(path: Path = PROMPT_FILE) -> tuple[str, str]:
    """(system, user) templates from the prompt file; lines starting with "# " are comments."""
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if not x.startswith("# ")]
    text = "\n".join(lines)
    _, rest = text.split("=== system ===", 1)
    system, user = rest.split("=== user ===", 1)
    return system.strip(), user.strip()


def _source_block(n: int, hit: Hit) -> str:
    """One numbered source as data: its text between markers it cannot close itself."""
    body = re.sub(r"</?bron\b[^>]*>", " ", hit.original, flags=re.IGNORECASE).strip()
    meta = ", ".join(x for x in (hit.title, location(hit.date, hit.page)) if x)
    return f'<bron nummer="{n}" titel="{meta}">\n{body}\n</bron>'


def build_messages(question: str, hits: list[Hit],
                   templates: tuple[str, str] | None = None) -> list[BaseMessage]:
    """The chat messages: the rules as the system message, the numbered sources and the
    question as the user message."""
    system, user = templates or load_prompt()
    sources = "\n\n".join(_source_block(n, h) for n, h in enumerate(hits, 1))
    return [SystemMessage(system), HumanMessage(user.format(bronnen=sources, vraag=question))]


def _text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content)


class GenerativeAnswerer:
    """`Answerer` over a LangChain chat model, with grounding and an extractive fallback."""

    def __init__(self, model: BaseChatModel, grounder: Grounder, fallback, name: str,
                 timeout: float = 60.0, max_sources: int = 5, max_sentences: int = 8,
                 min_topic_coverage: float = 0.2, min_topic_similarity: float = 0.78,
                 thesaurus: Thesaurus | None = None,
                 related: Callable[[str, list[Hit]], list[Citation]] | None = None) -> None:
        self.model = model
        # a refusal's closest passages (the extractive answerer's `related`); None: none
        self.related = related
        self.thesaurus = thesaurus  # synonyms of the question's key terms; None: built-in
        self.max_sentences = max_sentences  # of the model's text, in order
        self.min_topic_coverage = min_topic_coverage  # see `on_topic`
        self.min_topic_similarity = min_topic_similarity
        self.grounder = grounder
        self.fallback = fallback  # an Answerer (the extractive one) for when the model fails
        self.name = name
        self.timeout = timeout
        self.max_sources = max_sources
        self.templates = load_prompt()

    def generate(self, question: str, hits: list[Hit],
                 on_token: Callable[[str], None] | None = None) -> str:
        """The model's raw text, streamed to `on_token`; raises LLMUnavailableError."""
        messages = build_messages(question, hits, self.templates)
        deadline = time.monotonic() + self.timeout
        parts: list[str] = []
        try:
            for chunk in self.model.stream(messages):
                piece = _text(chunk.content)
                if piece:
                    parts.append(piece)
                    if on_token is not None:
                        on_token(piece)
                if time.monotonic() > deadline:
                    raise LLMUnavailableError(f"geen volledig antwoord binnen {self.timeout:.0f} s")
        except LLMUnavailableError:
            raise
        except Exception as exc:  # connection refused, HTTP errors, timeouts of the client
            raise LLMUnavailableError(f"{type(exc).__name__}: {exc}") from exc
        text = "".join(parts).strip()
        if not text:
            raise LLMUnavailableError("leeg antwoord van het taalmodel")
        return text

    def answer(self, question: str, hits: list[Hit],
               on_token: Callable[[str], None] | None = None) -> Answer:
        hits = hits[: self.max_sources]
        if not hits:
            return Answer(question=question, answer=REFUSAL, refused=True, answerer=self.name)
        try:
            text = self.generate(question, hits, on_token)
        except LLMUnavailableError as exc:
            log.warning("LLM answer failed, extractive fallback: %s", exc)
            fallback = self.fallback.answer(question, hits)
            return replace(fallback, notice=UNREACHABLE_SHORT if fallback.refused
                           else UNREACHABLE)
        grounded = self.grounder.ground(text, hits, limit=self.max_sentences)
        answer = compose(question, self.on_topic(question, grounded), self.name)
        if answer.refused and self.related is not None:
            answer = replace(answer, related=self.related(question, hits))
        return answer

    def on_topic(self, question: str,
                 grounded: list[GroundedSentence]) -> list[GroundedSentence]:
        """A supported sentence whose source span has nothing of the question (no key term
        with its document's title, or far in meaning) does not answer it: a model that
        copies an unrelated source sentence does not turn a refusal into an answer."""
        keys = key_forms(question, self.thesaurus)
        spans = [g for g in grounded if g.supported and g.support is not None]
        if not spans or not keys:
            return grounded
        q = np.asarray(self.grounder.embedder.embed_query(question))
        sims = np.asarray(self.grounder.embedder.embed_documents(
            [g.support.quote for g in spans])) @ q
        sim_of = {id(g): float(x) for g, x in zip(spans, sims, strict=True)}
        out = []
        for g in grounded:
            if g in spans:
                forms = text_forms(g.support.quote) | document_forms(g.support.hit)
                if (coverage(keys, forms, {}) < self.min_topic_coverage
                        or sim_of[id(g)] < self.min_topic_similarity):
                    g = replace(g, supported=False, reason="gaat niet over de vraag")
            out.append(g)
        return out


def compose(question: str, grounded: list[GroundedSentence], answerer: str) -> Answer:
    """Supported sentences with renumbered markers and one citation per distinct source span;
    the unsupported ones only in `sentences`."""
    citations: list[Citation] = []
    numbers: dict[tuple[str, int, int], int] = {}
    parts: list[str] = []
    sentences: list[AnswerSentence] = []
    for g in grounded:
        if not g.supported or g.support is None:
            sentences.append(AnswerSentence(g.text, False, None, g.reason))
            continue
        s = g.support
        key = (s.hit.source, s.char_start, s.char_end)
        if key not in numbers:
            numbers[key] = len(citations) + 1
            citations.append(Citation.of(numbers[key], s, round(g.similarity, 6)))
        n = numbers[key]
        parts.append(f"{g.text} [{n}]")
        sentences.append(AnswerSentence(g.text, True, n))
    dropped = sum(not x.supported for x in sentences)
    if not parts:
        return Answer(question=question, answer=REFUSAL, refused=True, answerer=answerer,
                      sentences=sentences)
    return Answer(question=question, answer=" ".join(parts), citations=citations,
                  answerer=answerer, sentences=sentences,
                  notice=DROPPED.format(n=dropped) if dropped else None)
