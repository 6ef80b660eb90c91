"""Scale: the index grown to 1k, 10k, 30k and 100k chunks, measured at each size.

    .venv/bin/python bench/bench_scale.py [--sizes 1000,10000,30000,100000]
                                          [--base .bench/index-eval] [--out .bench/scale]

The corpus: the chunks of --base (the corpus plus all of ../shared/data, 6.7k chunks, built
by bench/answer_eval.py) recombined into new documents of 40 chunks. Each new chunk is the
first half (whole sentences) of one real chunk followed by the second half of another, drawn
with a fixed seed, so the text is real Dutch in new combinations and every document is new.
Its vector is the normalised sum of the two real chunks' e5 vectors (read from --base): real
e5 geometry, not computed for the recombined text. So:
- "write chunks/s" is the store + BM25 + records without the model (precomputed vectors);
  the model's own rate (chunks and their sentences) is measured once and printed beside it;
- every search figure runs the real app on the index with the real e5 model for the
  question; sentence vectors are filled as the ingest does (most come from --base's file,
  as the recombined chunks reuse its sentences; the few new ones are embedded, not counted
  in "write chunks/s").
At each size a fresh process measures: opening, BM25 load and rebuild, retrieval, ask and
phrase search p50/p95 over 40 questions of tests/data/answer_eval.jsonl, its peak RSS; then
`vraagbaak serve` is started and timed from process start to its first answer over HTTP
(cold start), with its peak RSS. Prints a table; writes docs/scale.png and docs/scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from common import REPO, peak_rss_mib, percentiles

from ingest.chunker import ChunkingConfig
from ingest.models import Chunk, Document
from ingest.normalize import normalize
from ingest.passage_sentences import passage_sentences
from vectorstore.sentence_vectors import SentenceVectorIndex

DOC_CHUNKS = 40


def base_material(base: Path) -> tuple[list[dict], np.ndarray]:
    """The base index's chunk rows and their stored vectors (read from the Chroma collection
    directly: a benchmark reusing the vectors, not something the product does)."""
    from rag.build import build
    from rag.settings import Settings

    c = build(Settings(data_dir=base))
    rows = [r for d in c.catalog.documents() for r in c.catalog.rows_of(d.source)]
    col = c.client.get_collection(f"{c.settings.collection}_chunks")
    vecs: dict[str, np.ndarray] = {}
    ids = [r["chunk_id"] for r in rows]
    for i in range(0, len(ids), 1000):
        got = col.get(ids=ids[i : i + 1000], include=["embeddings"])
        vecs.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32),
                        strict=True))
    return rows, np.stack([vecs[i] for i in ids])


def halves(original: str) -> tuple[str, str]:
    """The passage split between two sentences near its middle."""
    cuts = [e for _, e, _ in passage_sentences(original)][:-1]
    if not cuts:
        mid = len(original) // 2
        return original[:mid], original[mid:]
    cut = min(cuts, key=lambda e: abs(e - len(original) / 2))
    return original[:cut], original[cut:]


def synthetic_documents(rows: list[dict], vecs: np.ndarray, start: int, count: int,
                        seed: int = 17):
    """`count` new chunks (numbered from `start`) in documents of DOC_CHUNKS chunks; yields
    (document, chunks, vectors)."""
    rng = random.Random(seed + start)
    split = [halves(r["original"]) for r in rows]
    for d in range(start // DOC_CHUNKS, (start + count) // DOC_CHUNKS):
        parts, vs = [], []
        for _ in range(DOC_CHUNKS):
            a, b = rng.randrange(len(rows)), rng.randrange(len(rows))
            parts.append(split[a][0].strip() + " " + split[b][1].strip())
            v = vecs[a] + vecs[b]
            vs.append(v / np.linalg.norm(v))
        original = "\n\n".join(parts)
        source = f"/schaal/document-{d:05d}.txt"
        doc = Document(source=source, title=f"Schaaldocument {d}", original=original,
                       type="txt", sha256=f"{d:064x}", date="2021-01")
        chunks, pos = [], 0
        for i, p in enumerate(parts):
            chunks.append(Chunk(id=f"schaal{d:05d}-{i}", source=source, index=i,
                                char_start=pos, char_end=pos + len(p),
                                text=normalize(p).text))
            pos += len(p) + 2
        yield doc, chunks, vs


def grow(data: Path, rows, vecs, have: int, target: int) -> dict:
    """Add chunks up to `target` through the product's store and BM25 index, in the
    indexer's order; returns write figures."""
    from rag.build import build
    from rag.settings import Settings

    c = build(Settings(data_dir=data))
    t0 = time.perf_counter()
    dropped = c.store.drop_uncommitted()
    start_s = time.perf_counter() - t0
    signature = ChunkingConfig(c.settings.chunk_size, c.settings.chunk_overlap).signature
    sentences = SentenceVectorIndex(c.sentence_vectors)
    sentence_s = 0.0
    t0 = time.perf_counter()
    n = 0
    for doc, chunks, vs in synthetic_documents(rows, vecs, have, target - have):
        for i in range(0, len(chunks), 32):
            c.store.add_chunks(doc, chunks[i : i + 32], embeddings=vs[i : i + 32])
            c.lexical.add_chunks(doc, chunks[i : i + 32])
        t1 = time.perf_counter()
        sentences.add_chunks(doc, chunks)  # as the ingest does; most are --base's sentences
        sentence_s += time.perf_counter() - t1
        ids = [ch.id for ch in chunks]
        c.lexical.finish_document(doc, ids, signature)
        c.store.finish_document(doc, ids, signature)
        n += len(chunks)
    c.lexical.flush()
    c.store.bump_generation()
    secs = time.perf_counter() - t0 - sentence_s
    return {"added": n, "write_chunks_per_s": n / secs, "sentence_fill_s": sentence_s,
            "ingest_start_scan_s": start_s, "dropped": dropped}


def measure(data: Path) -> dict:
    """In a fresh process: opening, BM25, retrieval, ask, phrase search, peak RSS."""
    t0 = time.perf_counter()
    from rag.build import build
    from rag.settings import Settings
    from vectorstore.lexical import LexicalIndex

    c = build(Settings(data_dir=data))
    c.catalog.documents()
    open_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    c.lexical  # noqa: B018 (load and sync BM25)
    bm25_load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    LexicalIndex.open(None).sync(c.catalog)
    bm25_rebuild_s = time.perf_counter() - t0
    qs = [json.loads(x)["question"] for x in (REPO / "tests/data/answer_eval.jsonl")
          .read_text(encoding="utf-8").splitlines() if x.strip()][:40]
    for q in qs[:3]:  # model load and first-query caches
        c.ask(q)
    retr, ask, phrase = [], [], []
    for q in qs:
        t0 = time.perf_counter()
        c.retriever.retrieve(q, c.settings.top_k)
        retr.append(time.perf_counter() - t0)
    for q in qs:
        t0 = time.perf_counter()
        c.ask(q)
        ask.append(time.perf_counter() - t0)
    rng = random.Random(5)
    docs = c.catalog.documents()
    for _ in range(20):
        text = c.catalog.original(rng.choice(docs).source) or ""
        at = rng.randrange(max(1, len(text) - 200))
        words = text[at:at + 200].split()[1:7]
        t0 = time.perf_counter()
        c.find(" ".join(words))
        phrase.append(time.perf_counter() - t0)
    out = {"open_s": open_s, "bm25_load_s": bm25_load_s, "bm25_rebuild_s": bm25_rebuild_s,
           "rss_mib": peak_rss_mib()}
    for name, vals in (("retrieval", retr), ("ask", ask), ("phrase", phrase)):
        out[f"{name}_p50_ms"], out[f"{name}_p95_ms"] = percentiles(vals)
    return out


def cold_start(data: Path) -> dict:
    """`vraagbaak serve` from process start to its first answer over HTTP; its peak RSS."""
    from gradio_client import Client

    from tests.ui_server import free_port

    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "--data-dir", str(data), "serve",
                             "--port", str(port)], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = None
        while client is None and time.monotonic() - t0 < 600:
            try:
                client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            except Exception:  # not listening yet
                time.sleep(0.25)
        listening = time.monotonic() - t0
        client.predict("Wat wil de SP met het eigen risico in de zorg?", api_name="/chat")
        first = time.monotonic() - t0
        status = Path(f"/proc/{proc.pid}/status").read_text().splitlines()
        rss = next(int(x.split()[1]) / 1024 for x in status if x.startswith("VmHWM:"))
        return {"serve_listening_s": listening, "serve_first_answer_s": first,
                "serve_rss_mib": rss}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def disk_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def embed_rate(rows: list[dict], base: Path) -> dict:
    """The model's own rate: chunks, and chunks with their sentences (what ingest embeds)."""
    from rag.build import build
    from rag.settings import Settings

    e = build(Settings(data_dir=base)).embedder
    sample = rows[::max(1, len(rows) // 200)][:200]
    texts = [r["text"] for r in sample]
    sents = list(dict.fromkeys(t for r in sample for _, _, t in passage_sentences(r["original"])))
    e.embed_documents(texts[:8])
    t0 = time.perf_counter()
    e.embed_documents(texts)
    chunks_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    e.embed_documents(sents)
    sents_s = time.perf_counter() - t0
    return {"embed_chunks_per_s": len(texts) / chunks_s,
            "embed_chunks_with_sentences_per_s": len(texts) / (chunks_s + sents_s)}


def plot(results: list[dict], path: Path) -> None:
    """p95 latency against corpus size (log x), drawn with Pillow (no plotting library)."""
    from PIL import Image, ImageDraw

    w, h, left, right, top, bottom = 900, 520, 80, 30, 40, 60
    img = Image.new("RGB", (w, h), "white")
    g = ImageDraw.Draw(img)
    sizes = [r["chunks"] for r in results]
    series = [("retrieval p95", "retrieval_p95_ms", (31, 119, 180)),
              ("ask p95", "ask_p95_ms", (214, 39, 40)),
              ("phrase search p95", "phrase_p95_ms", (44, 160, 44))]
    ymax = max(r[k] for _, k, _ in series for r in results) * 1.1
    lx0, lx1 = np.log10(min(sizes)), np.log10(max(sizes))

    def xy(n: float, ms: float) -> tuple[float, float]:
        x = left + (np.log10(n) - lx0) / max(lx1 - lx0, 1e-9) * (w - left - right)
        return x, h - bottom - ms / ymax * (h - top - bottom)

    g.line([(left, top), (left, h - bottom), (w - right, h - bottom)], fill="black")
    for n in sizes:
        x, _ = xy(n, 0)
        g.line([(x, h - bottom), (x, h - bottom + 5)], fill="black")
        g.text((x - 15, h - bottom + 10), f"{n // 1000}k", fill="black")
    for i in range(6):
        ms = ymax * i / 5
        _, y = xy(sizes[0], ms)
        g.line([(left - 5, y), (left, y)], fill="black")
        g.text((10, y - 6), f"{ms:.0f} ms", fill="black")
    for j, (label, key, color) in enumerate(series):
        pts = [xy(r["chunks"], r[key]) for r in results]
        g.line(pts, fill=color, width=3)
        for x, y in pts:
            g.ellipse([x - 4, y - 4, x + 4, y + 4], fill=color)
        g.rectangle([w - 230, top + 20 * j, w - 215, top + 20 * j + 12], fill=color)
        g.text((w - 210, top + 20 * j), label, fill="black")
    g.text((left, 12), "Vraagbaak: latency p95 against corpus size (chunks, log scale)",
           fill="black")
    g.text((w // 2 - 60, h - 25), "chunks in the index", fill="black")
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,30000,100000")
    ap.add_argument("--base", type=Path, default=REPO / ".bench/index-eval")
    ap.add_argument("--out", type=Path, default=REPO / ".bench/scale")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    rows, vecs = base_material(args.base)
    print(f"base: {len(rows)} chunks from {args.base}")
    rate = embed_rate(rows, args.base)
    print(f"model: {rate['embed_chunks_per_s']:.1f} chunks/s; with their sentences "
          f"{rate['embed_chunks_with_sentences_per_s']:.1f} chunks/s")
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    shutil.copy(args.base / "zinsvectoren.sqlite", args.out / "zinsvectoren.sqlite")
    results, have = [], 0
    for size in sizes:
        wrote = grow(args.out, rows, vecs, have, size)
        have = size
        got = subprocess.run([sys.executable, __file__, "--measure", str(args.out)],
                             cwd=REPO, capture_output=True, text=True, check=True)
        row = {"chunks": size, **wrote, **json.loads(got.stdout.strip().splitlines()[-1]),
               **cold_start(args.out), "disk_mib": disk_mib(args.out)}
        results.append(row)
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v
                          for k, v in row.items()}), flush=True)
    print("\n| chunks | write chunks/s | disk MiB | serve RSS MiB | BM25 load s | BM25 rebuild s "
          "| retrieval p50/p95 ms | ask p50/p95 ms | phrase p50/p95 ms | cold start s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['chunks']:,} | {r['write_chunks_per_s']:.0f} | {r['disk_mib']:.0f} "
              f"| {r['serve_rss_mib']:.0f} | {r['bm25_load_s']:.2f} | {r['bm25_rebuild_s']:.1f} "
              f"| {r['retrieval_p50_ms']:.0f} / {r['retrieval_p95_ms']:.0f} "
              f"| {r['ask_p50_ms']:.0f} / {r['ask_p95_ms']:.0f} "
              f"| {r['phrase_p50_ms']:.0f} / {r['phrase_p95_ms']:.0f} "
              f"| {r['serve_first_answer_s']:.1f} |")
    (REPO / "docs").mkdir(exist_ok=True)
    (REPO / "docs/scale.json").write_text(json.dumps({"model": rate, "results": results},
                                                     indent=1) + "\n")
    plot(results, REPO / "docs/scale.png")
    print("wrote docs/scale.png and docs/scale.json")


if __name__ == "__main__":
    main()
