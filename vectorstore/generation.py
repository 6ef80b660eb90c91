"""The index generation: a small file in the data dir that every writer changes after it
changed the index, so running readers (`serve`) notice cheaply (one stat and a tiny read per
question) and reopen what they hold in memory: Chroma's vector index, the BM25 index and the
document list."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

FILE_NAME = "generatie"


def current(data_dir: Path) -> str:
    """The generation now ("" when the index was never written)."""
    try:
        return (Path(data_dir) / FILE_NAME).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def bump(data_dir: Path) -> str:
    """A new generation, written atomically (temp file, then rename)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    value = uuid.uuid4().hex
    fd, tmp = tempfile.mkstemp(prefix=".generatie-", dir=data_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value)
    os.replace(tmp, data_dir / FILE_NAME)
    return value
