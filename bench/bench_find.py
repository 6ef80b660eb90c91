"""Phrase search latency ("vraagbaak find") over all of ../shared/data.

    .venv/bin/python bench/bench_find.py [--phrases 200] [--fuzzy 20]

Ingests ../shared/data into a temporary Chroma with the fake embedder (fast; phrase search does
not use vectors), builds the PhraseIndex, then times real 2-6-word phrases sampled from the
documents' originals (exact search) and misspelt variants of some of them (fuzzy search).
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time

from common import SHARED, peak_rss_mib, percentiles

from ingest.chunker import ChunkingConfig
from rag.phrase import PhraseIndex
from vectorstore.chroma_client import make_client
from vectorstore.embedders import FakeEmbedder
from vectorstore.indexer import Indexer
from vectorstore.store import ChromaStore

WORD = re.compile(r"[^\W\d_]{2,}")


def sample_phrases(store: ChromaStore, n: int, rng: random.Random) -> list[str]:
    """Real phrases: 2-6 consecutive words (as they stand in the original, line breaks and
    all) from random places of random documents."""
    docs = [d.source for d in store.documents()]
    originals = {s: store.original(s) or "" for s in docs}
    out: list[str] = []
    while len(out) < n:
        text = originals[rng.choice(docs)]
        words = list(WORD.finditer(text))
        if len(words) < 10:
            continue
        i = rng.randrange(len(words) - 6)
        k = rng.randint(2, 6)
        out.append(text[words[i].start() : words[i + k - 1].end()])
    return out


def misspell(phrase: str, rng: random.Random) -> str:
    """Swap two neighbouring letters, or drop one, in a longer word of `phrase`."""
    words = phrase.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5] or [0]
    i = rng.choice(long)
    w = words[i]
    if len(w) >= 3:
        j = rng.randrange(1, len(w) - 1)
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :] if rng.random() < 0.5 else w[:j] + w[j + 1 :]
    words[i] = w
    return " ".join(words)


def timed(fn, phrases: list[str]) -> tuple[list[float], int]:
    times, found = [], 0
    for p in phrases:
        t0 = time.perf_counter()
        hits = fn(p)
        times.append(time.perf_counter() - t0)
        found += bool(hits)
    return times, found


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--phrases", type=int, default=200)
    ap.add_argument("--fuzzy", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    data = SHARED / "data"
    with tempfile.TemporaryDirectory() as tmp:
        store = ChromaStore(make_client(tmp), FakeEmbedder(), name="benchfind")
        t0 = time.perf_counter()
        report = Indexer(store, ChunkingConfig(), progress=False).ingest([data])
        print(f"ingest (fake embedder): {len(report.added)} documents, "
              f"{len(report.failed)} skipped, {time.perf_counter() - t0:.1f} s")

        index = PhraseIndex(store)
        t0 = time.perf_counter()
        index.refresh()
        print(f"PhraseIndex build: {time.perf_counter() - t0:.2f} s "
              f"({index.size / 1e6:.1f} M characters, {len(store.documents())} documents)")

        phrases = sample_phrases(store, args.phrases, rng)
        index.find(phrases[0])  # warm-up
        times, found = timed(index.find, phrases)
        p50, p95 = percentiles(times)
        print(f"exact  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {max(times) * 1000:7.1f} ms "
              f"({len(times)} phrases, {found} found)")

        fuzzy = [misspell(p, rng) for p in rng.sample(phrases, min(args.fuzzy, len(phrases)))]
        times, found = timed(lambda p: index.find(p, fuzzy=True, limit=10), fuzzy)
        p50, p95 = percentiles(times)
        print(f"fuzzy  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {max(times) * 1000:7.1f} ms "
              f"({len(times)} misspelt phrases, {found} found)")
        print(f"peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
