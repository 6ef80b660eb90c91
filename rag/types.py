"""Result types of the answering chain."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from rag.citation_format import format_citation


@dataclass(frozen=True)
class SourceSpan:
    """Where a passage is: the document, its title and date, the page, the offsets into its
    original, and `text == original[char_start:char_end]`. The first fields of a phrase hit
    and of a citation opened again (their JSON keys start with these, in this order)."""

    source: str
    title: str
    date: str | None
    page: int | None
    char_start: int
    char_end: int
    text: str


@dataclass(frozen=True)
class Citation:
    """One cited passage. Promise: `quote == original[char_start:char_end]` of `source`."""

    n: int
    source: str
    title: str
    date: str | None
    page: int | None
    char_start: int
    char_end: int
    quote: str
    score: float
    verified: bool = False
    context_before: str = ""  # original text just before the quote (for display)
    context_after: str = ""  # original text just after the quote
    reference: str | None = None  # official reference (artikel/lid, Handelingen, Kamerstukken)
    version: str | None = None  # short content hash of the document version quoted

    @classmethod
    def of(cls, n: int, span, score: float, context_chars: int = 240) -> Citation:
        """The citation of a source span (a `Sentence` or a grounding `Support`: anything with
        `hit`, `char_start`, `char_end`, `quote`, `context_before`, `context_after`)."""
        hit = span.hit
        return cls(n=n, source=hit.source, title=hit.title, date=hit.date, page=hit.page,
                   char_start=span.char_start, char_end=span.char_end, quote=span.quote,
                   score=score, context_before=span.context_before[-context_chars:],
                   context_after=span.context_after[:context_chars])

    def is_in(self, original: str | None) -> bool:
        """Whether the quote is `original` at the citation's offsets (the promise above)."""
        return original is not None and original[self.char_start:self.char_end] == self.quote

    def cite(self, max_chars: int = 300) -> str:
        """The citation to paste into a memo: `“quote” — artikel 2, tweede lid, Grondwet`
        where an official reference exists, else `“quote” — Title, date, p. N`."""
        return format_citation(self.title, self.date, self.page, self.quote, max_chars,
                               self.reference)

    def as_json(self, context: bool = True) -> dict:
        d = asdict(self)
        d["score"] = round(self.score, 6)
        if not context:
            del d["context_before"], d["context_after"]
        return d


@dataclass(frozen=True)
class ShortAnswer:
    """The phrase inside citation `n` that answers the question ("tien jaar"); same promise:
    `text == original[char_start:char_end]`."""

    n: int
    text: str
    char_start: int
    char_end: int
    verified: bool = False

    def as_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence the answerer produced; `supported`: grounded in the source sentence of
    citation `citation` (None: no citation). Unsupported sentences are not in `Answer.answer`."""

    text: str
    supported: bool
    citation: int | None = None
    reason: str | None = None  # why not supported (Dutch)

    def as_json(self) -> dict:
        return {"text": self.text, "supported": self.supported, "citation": self.citation,
                "reason": self.reason}


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str  # Dutch, with [n] markers that refer to citations: only what the user sees
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    seconds: float = 0.0
    short: ShortAnswer | None = None
    answerer: str = "extractive"  # "extractive", or the LLM backend ("ollama", "openai")
    sentences: list[AnswerSentence] = field(default_factory=list)
    notice: str | None = None  # e.g. the LLM was unreachable and the extractive answer stands
    query: str | None = None  # the standalone question retrieval used, when it differs
    # a refusal's closest passages (the best candidate sentences that share a key term with
    # the question, one per passage): shown as "no answer, but these are about it", never as
    # an answer; the same promise as a citation (`quote == original[char_start:char_end]`)
    related: list[Citation] = field(default_factory=list)

    def as_json(self, context: bool = True) -> dict:
        """The one JSON shape of an answer: the app's `/chat` output (with the text around
        each quote) and, with `context=False`, `vraagbaak ask --json`."""
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.as_json(context) for c in self.citations],
            "seconds": round(self.seconds, 3),
            "short_answer": self.short.as_json() if self.short else None,
            "answerer": self.answerer,
            "sentences": [x.as_json() for x in self.sentences],
            "notice": self.notice,
            "query": self.query,
            "related": [c.as_json(context) for c in self.related],
        }
