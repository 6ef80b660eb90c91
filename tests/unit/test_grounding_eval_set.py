"""The grounding threshold set (tests/data/grounding_eval.jsonl) is well formed: every anchor
is in its document, supported and unsupported sentences are balanced in each half, and no
sentence copies its anchor (a paraphrase must be a paraphrase)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from tests.conftest import REPO, SHARED, need

pytestmark = pytest.mark.unit

ITEMS = [json.loads(x) for x in (REPO / "tests/data/grounding_eval.jsonl").read_text(
    encoding="utf-8").splitlines() if x.strip()]


def test_the_set_is_balanced_per_half():
    assert len(ITEMS) >= 32 and len({i["id"] for i in ITEMS}) == len(ITEMS)
    counts = Counter((i["split"], i["supported"]) for i in ITEMS)
    assert counts[("dev", True)] == counts[("dev", False)] > 0
    assert counts[("test", True)] == counts[("test", False)] > 0


@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_anchor_is_in_its_document_and_the_sentence_is_not_a_copy(item):
    path = next((p for p in need(SHARED).rglob(item["doc"]) if p.is_file()), None)
    assert path is not None, item["doc"]
    text = path.read_text(encoding="utf-8", errors="replace")
    pattern = r"\s+".join(map(re.escape, item["anchor"].split()))
    assert re.search(pattern, text), item["anchor"]
    assert item["sentence"].rstrip(".") != item["anchor"].rstrip(".")
