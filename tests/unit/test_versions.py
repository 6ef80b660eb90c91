"""Version awareness (issue 18): a citation names the version it quotes; a changed document's
previous versions stay readable (`show --version`), `diff` shows what changed word by word,
at most `keep_versions` are kept, and removing a document removes its versions."""

from __future__ import annotations

import json

import pytest

from ui.cli import main

pytestmark = pytest.mark.unit

V1 = "De gemeente betaalt tien euro per inwoner voor de bibliotheek. Het college besluit.\n"
V2 = "De gemeente betaalt twaalf euro per inwoner voor de bibliotheek. Het college besluit.\n"


@pytest.fixture
def run(tmp_path, capsys):
    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(tmp_path / "data"), "--embedder", "fake", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_an_older_version_stays_citable_and_diff_shows_the_change(run, tmp_path):
    doc = tmp_path / "bieb.txt"
    doc.write_text(V1, encoding="utf-8")
    assert run("ingest", str(doc), "--no-progress")[0] == 0
    old = json.loads(run("find", "betaalt tien euro", "--json")[1])[0]
    assert old["version"] and len(old["version"]) == 12

    doc.write_text(V2, encoding="utf-8")
    assert run("ingest", str(doc), "--no-progress")[0] == 0
    assert json.loads(run("find", "betaalt tien euro", "--json")[1]) == []  # not current
    new = json.loads(run("find", "betaalt twaalf euro", "--json")[1])[0]
    assert new["version"] != old["version"]

    code, out, _ = run("show", "bieb.txt", "--version", old["version"], "--start",
                       str(old["char_start"]), "--end", str(old["char_end"]), "--json")
    shown = json.loads(out)
    assert code == 0 and shown["text"] == "betaalt tien euro" and shown["older_version"]
    code, out, _ = run("show", "bieb.txt", "--version", new["version"][:8], "--json")
    assert code == 0 and not json.loads(out)["older_version"]
    code, _, err = run("show", "bieb.txt", "--version", "ffffffff")
    assert code == 1 and "niet gevonden" in err and old["version"] in err

    code, out, _ = run("diff", "bieb.txt")
    assert code == 0 and "[-tien-]{+twaalf+}" in out and "1 wijziging" in out
    changes = json.loads(run("diff", "bieb.txt", "--json")[1])["changes"]
    assert [(c["removed"], c["added"]) for c in changes] == [("tien", "twaalf")]


def test_at_most_keep_versions_are_kept_and_remove_drops_them(run, tmp_path):
    from rag.build import build
    from rag.settings import Settings

    doc = tmp_path / "bieb.txt"
    for n in range(6):
        doc.write_text(V1.replace("tien", f"{n + 10}"), encoding="utf-8")
        assert run("ingest", str(doc), "--no-progress")[0] == 0
    c = build(Settings(data_dir=tmp_path / "data", embedder="fake"))
    kept = c.catalog.versions.versions(str(doc.resolve()))
    assert len(kept) == 3  # the default keep_versions
    assert run("remove", "bieb.txt")[0] == 0
    c = build(Settings(data_dir=tmp_path / "data", embedder="fake"))
    assert c.catalog.versions.versions(str(doc.resolve())) == []


def test_the_app_marks_a_citation_of_an_older_version_and_reopens_it(run, tmp_path):
    """Issue 18 item 4 in the UI: a chat citation whose document changed since is marked in
    the sources panel; "Bronvermelding openen" shows the cited text of the older version,
    marked as older; every source block carries its citation to copy."""
    from html import escape

    from rag.build import build
    from rag.settings import Settings
    from ui.render import render_sources
    from ui.staff_tabs import render_passage

    doc = tmp_path / "bieb.txt"
    doc.write_text(V1, encoding="utf-8")
    assert run("ingest", str(doc), "--no-progress")[0] == 0
    c = build(Settings(data_dir=tmp_path / "data", embedder="fake"))
    answer = c.ask("Hoeveel euro betaalt de gemeente per inwoner voor de bibliotheek?", [])
    assert not answer.refused, answer.answer
    cited = answer.citations[0]
    panel = render_sources(answer, 1, c.current_version)
    assert "oudere versie" not in panel  # quoted from the indexed version
    assert f'data-bron="{escape(cited.cite(), quote=True)}"' in panel  # "Kopieer bronvermelding"

    doc.write_text(V2, encoding="utf-8")
    assert run("ingest", str(doc), "--no-progress")[0] == 0
    c.refresh_if_changed()
    now = c.current_version(cited.source)
    assert now and now != cited.version
    panel = render_sources(answer, 1, c.current_version)
    assert "vb-oud" in panel and f"Uit een oudere versie ({cited.version})" in panel
    assert f"versie is {now}" in panel

    old = c.open_passage(cited.source, cited.char_start, cited.char_end, cited.version)
    assert old.text == cited.quote and old.older_version and old.current_version == now
    view = render_passage(old)
    assert "oudere versie" in view and f"<mark id=\"vb-passage\">{cited.quote}" in view
    assert not c.open_passage(cited.source, 0, 5).older_version
