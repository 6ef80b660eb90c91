import shutil

import pytest

from tests.conftest import CORPUS, need

pytestmark = pytest.mark.unit


@pytest.fixture
def folder(tmp_path):
    src = need(CORPUS)
    dst = tmp_path / "docs"
    shutil.copytree(src, dst)
    return dst


def test_reingest_is_a_noop(fake_indexer, folder):
    first = fake_indexer.ingest([folder])
    assert len(first.added) == 2 and not first.failed
    chunks = fake_indexer.store.count_chunks()
    embedded = fake_indexer.store._embedder.passages_embedded
    assert embedded == chunks == first.chunks_added
    again = fake_indexer.ingest([folder])
    assert len(again.unchanged) == 2 and not again.added and not again.updated
    assert again.chunks_added == 0
    assert fake_indexer.store.count_chunks() == chunks
    assert fake_indexer.store._embedder.passages_embedded == embedded  # no new embeddings


def test_changed_file_replaces_its_chunks(fake_indexer, folder):
    fake_indexer.ingest([folder])
    letter = folder / "003_60de30e4263decae.txt"
    letter.write_text("Geachte heer Rutte,\n\nDit is een korte nieuwe brief over de begroting.\n",
                      encoding="utf-8")
    report = fake_indexer.ingest([folder])
    assert report.updated == [str(letter.resolve())]
    hits = fake_indexer.store.chunks_of(str(letter.resolve()))
    assert len(hits) == 1 and "begroting" in hits[0].original
    assert fake_indexer.store.document(str(letter.resolve())).chunks == 1


def test_prune_and_remove(fake_indexer, folder):
    fake_indexer.ingest([folder])
    news = folder / "000_a0185afebb45fdde.txt"
    news.unlink()
    report = fake_indexer.ingest([folder], prune=True)
    assert report.removed == [str(news.resolve())]
    assert fake_indexer.store.count_chunks(str(news.resolve())) == 0
    letter = str((folder / "003_60de30e4263decae.txt").resolve())
    assert fake_indexer.remove(letter)
    assert fake_indexer.store.documents() == []
    assert fake_indexer.store.count_chunks() == 0


def test_broken_files_are_reported_and_index_stays_intact(fake_indexer, folder, tmp_path):
    fake_indexer.ingest([folder])
    before = fake_indexer.store.count_chunks()
    docs_before = [d.source for d in fake_indexer.store.documents()]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "leeg.txt").write_text("")
    (bad / "kapot.pdf").write_bytes(b"%PDF-1.4\n\x00\x01 garbage \xff\xfe" * 20)
    (bad / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (bad / "kapot.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (bad / "goed.md").write_text("# Titel\n\nEen goede zin over de dijken van Zeeland.\n")
    report = fake_indexer.ingest([folder, bad, tmp_path / "bestaat-niet"])
    failed = {f.split("/")[-1]: reason for f, reason in report.failed}
    assert set(failed) == {"leeg.txt", "kapot.pdf", "junk.txt", "kapot.docx", "bestaat-niet"}
    assert all(reason for reason in failed.values())
    assert [s.split("/")[-1] for s in report.added] == ["goed.md"]
    assert fake_indexer.store.count_chunks() == before + 1
    assert set(docs_before) <= {d.source for d in fake_indexer.store.documents()}


def test_a_document_with_a_sidecar_is_unchanged_until_the_sidecar_changes(fake_indexer, folder):
    meta = folder / "003_60de30e4263decae.meta.json"
    meta.write_text('{"title": "Brief van het sociaal werk"}', encoding="utf-8")
    first = fake_indexer.ingest([folder])
    assert len(first.added) == 2 and not first.failed  # the sidecar itself is not a document
    embedded = fake_indexer.store._embedder.passages_embedded
    again = fake_indexer.ingest([folder])
    assert len(again.unchanged) == 2 and again.chunks_added == 0
    assert fake_indexer.store._embedder.passages_embedded == embedded
    meta.write_text('{"title": "Brief aan Rutte"}', encoding="utf-8")
    edited = fake_indexer.ingest([folder])
    assert [s.rsplit("/", 1)[-1] for s in edited.updated] == ["003_60de30e4263decae.txt"]
    titles = {d.source.rsplit("/", 1)[-1]: d.title for d in fake_indexer.store.documents()}
    assert titles["003_60de30e4263decae.txt"] == "Brief aan Rutte"
