"""A running reader (what `serve` holds) follows ingests and removals made by other processes:
after a CLI `ingest` it answers from the new document, through BM25 and dense search alike;
after a CLI `remove` it no longer cites the removed one (and does not crash on its vectors)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.integration

OLD = "De gemeente betaalt de kosten van de nieuwe bibliotheek in het centrum van de stad.\n"
NEW = ("In de haven van Rotterdam staken de havenarbeiders al een week voor hogere lonen. "
       "De werkgevers bieden twee procent meer.\n")


def _cli(data, *args, url: str | None = None, collection: str | None = None):
    env = {**os.environ, **({"VRAAGBAAK_COLLECTION": collection} if collection else {})}
    server = ["--chroma-url", url] if url else []
    subprocess.run([sys.executable, "-m", "ui.cli", "--data-dir", str(data), "--embedder",
                    "fake", *server, *args], cwd=REPO, check=True, capture_output=True, env=env)


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


def test_several_servers_on_one_chroma_server_follow_a_writer(tmp_path, chroma_server):
    """Issue 17's setup: one `chroma run`, two readers (each with its own data dir and BM25),
    one writer process; after an ingest and a remove, both readers answer from the new
    corpus through BM25 and dense alike, at their next question."""
    from rag.build import build
    from rag.settings import Settings
    from vectorstore.records import Filters

    name = f"t{uuid.uuid4().hex[:8]}"
    (tmp_path / "oud").mkdir()
    (tmp_path / "oud" / "bieb.txt").write_text(OLD, encoding="utf-8")
    (tmp_path / "nieuw").mkdir()
    (tmp_path / "nieuw" / "haven.txt").write_text(NEW, encoding="utf-8")
    writer = tmp_path / "schrijver"
    _cli(writer, "ingest", str(tmp_path / "oud"), "--no-progress", url=chroma_server,
         collection=name)
    readers = [build(Settings(data_dir=tmp_path / f"lezer{i}", embedder="fake",
                              chroma_url=chroma_server, collection=name)) for i in (1, 2)]
    for r in readers:
        r.ask("Wat kost de bibliotheek?")
        assert r.refresh_if_changed() is False

    _cli(writer, "ingest", str(tmp_path / "nieuw"), "--no-progress", url=chroma_server,
         collection=name)
    haven = str((tmp_path / "nieuw" / "haven.txt").resolve())
    for r in readers:
        r.ask("Waarom staken de havenarbeiders?")  # the next question notices the change
        only = Filters(sources=[haven])
        assert r.lexical.search("havenarbeiders lonen", 5, only), "BM25 follows"
        assert r.store.search("havenarbeiders staken lonen", 5, only), "dense follows"
        # the citation check's one request for records and originals, over HTTP too
        assert r.catalog.read([haven, "/weg.txt"])[haven][1] == r.catalog.original(haven)
        answer = r.ask("Waarom staken de havenarbeiders?")
        assert all(c.verified for c in [*answer.citations, *answer.related])

    _cli(writer, "remove", "bieb.txt", url=chroma_server, collection=name)
    gone = str((tmp_path / "oud" / "bieb.txt").resolve())
    for r in readers:
        r.ask("Wat kost de bibliotheek?")
        assert all(h.source != gone for h in r.retriever.retrieve("bibliotheek kosten", 5))
        assert [d.source for d in r.documents()] == [haven]


def test_writers_on_two_machines_coordinate_through_the_chroma_server(tmp_path, chroma_server):
    """Two writers with their own data dirs (as on two machines: no shared flock) on one
    `chroma run`: while one writes, the other's ingest stops at once naming the holder;
    afterwards it goes through."""
    import chromadb

    from vectorstore.server_lock import server_writer_lock

    name = f"t{uuid.uuid4().hex[:8]}"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bieb.txt").write_text(OLD, encoding="utf-8")
    host, port = chroma_server.rsplit("//", 1)[1].split(":")
    machine_a = chromadb.HttpClient(host=host, port=int(port))
    env = {**os.environ, "VRAAGBAAK_COLLECTION": name}
    cmd = [sys.executable, "-m", "ui.cli", "--data-dir", str(tmp_path / "machine-b"),
           "--embedder", "fake", "--chroma-url", chroma_server, "ingest", str(tmp_path / "docs"),
           "--no-progress"]
    with server_writer_lock(machine_a, name, "ingest"):
        busy = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env=env)
        assert busy.returncode == 1
        assert f"proces {os.getpid()}" in busy.stderr and "Chroma-server" in busy.stderr
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "toegevoegd" in done.stdout
