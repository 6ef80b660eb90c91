"""Content hashes of files (document identity, model provenance)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path, *more: Path) -> str:
    """Hex sha256 of a file's bytes (then those of `more` files), read in 1 MiB blocks."""
    h = hashlib.sha256()
    for p in (path, *more):
        with p.open("rb") as fh:
            for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()
