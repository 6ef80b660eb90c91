"""A running reader (what `serve` holds) follows ingests and removals made by other processes:
after a CLI `ingest` it answers from the new document, through BM25 and dense search alike;
after a CLI `remove` it no longer cites the removed one (and does not crash on its vectors)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.integration

OLD = "De gemeente betaalt de kosten van de nieuwe bibliotheek in het centrum van de stad.\n"
NEW = ("In de haven van Rotterdam staken de havenarbeiders al een week voor hogere lonen. "
       "De werkgevers bieden twee procent meer.\n")


def _cli(data, *args):
    subprocess.run([sys.executable, "-m", "ui.cli", "--data-dir", str(data), "--embedder",
                    "fake", *args], cwd=REPO, check=True, capture_output=True)


def test_a_running_reader_follows_another_processes_ingest_and_remove(tmp_path):
    from rag.build import build
    from rag.settings import Settings
    from vectorstore.records import Filters

    data = tmp_path / "index"
    (tmp_path / "oud").mkdir()
    (tmp_path / "oud" / "bieb.txt").write_text(OLD, encoding="utf-8")
    (tmp_path / "nieuw").mkdir()
    (tmp_path / "nieuw" / "haven.txt").write_text(NEW, encoding="utf-8")
    _cli(data, "ingest", str(tmp_path / "oud"), "--no-progress")

    reader = build(Settings(data_dir=data, embedder="fake"))
    assert reader.refresh_if_changed() is False  # remembers the generation it opened
    assert [d.source.rsplit("/", 1)[-1] for d in reader.documents()] == ["bieb.txt"]
    reader.ask("Wat kost de bibliotheek?")

    _cli(data, "ingest", str(tmp_path / "nieuw"), "--no-progress")
    assert {d.source.rsplit("/", 1)[-1] for d in reader.documents()} == {"bieb.txt",
                                                                          "haven.txt"}
    haven = str((tmp_path / "nieuw" / "haven.txt").resolve())
    only = Filters(sources=[haven])
    assert reader.lexical.search("havenarbeiders lonen", 5, only)  # BM25 sees it
    assert reader.store.search("havenarbeiders staken lonen", 5, only)  # and dense
    hits = reader.retriever.retrieve("Waarom staken de havenarbeiders?", 3)
    assert hits[0].source == haven

    _cli(data, "remove", "bieb.txt")
    reader.ask("Wat kost de bibliotheek?")  # no crash on vectors deleted elsewhere
    gone = str((tmp_path / "oud" / "bieb.txt").resolve())
    assert all(h.source != gone for h in reader.retriever.retrieve("bibliotheek kosten", 5))
    assert all(h.source != gone for h in reader.lexical.search("bibliotheek kosten", 5))
    assert [d.source for d in reader.documents()] == [haven]
