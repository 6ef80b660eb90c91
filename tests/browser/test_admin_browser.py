"""The "Beheer" tab in Chromium with a real index: wrong password refused, an admin uploads
two files (one of a refused type) and sees the Dutch report, the document is answerable, then
removed after a confirmation. Without a login, a raw call of the delete event changes nothing,
and without an admin part Gradio's upload route is closed."""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request

import pytest

from tests.ui_server import serving

pytestmark = pytest.mark.browser

PASSWORD = "juist-wachtwoord-123"
TEXT = "In de haven van Rotterdam staken de havenarbeiders al een week voor hogere lonen.\n"


@pytest.fixture
def admin_app(tmp_path):
    from rag.build import build
    from rag.settings import Settings
    from ui.admin import AdminActions
    from ui.app import create_app

    c = build(Settings(data_dir=tmp_path / "index", embedder="fake"))
    actions = AdminActions(PASSWORD, (tmp_path / "index" / "documenten").resolve(),
                           c.indexer.ingest, c.indexer.remove)
    app = create_app(c.ask, find=c.find, documents=c.documents, original=c.original,
                     admin=actions)
    with serving(app, uploads=True) as url:
        yield url, c


def test_admin_uploads_and_removes_a_document(browser, admin_app, tmp_path):
    url, c = admin_app
    upload = tmp_path / "haven.txt"
    upload.write_text(TEXT, encoding="utf-8")
    bad = tmp_path / "virus.exe"
    bad.write_bytes(b"MZ")
    page = browser.new_page()
    page.goto(url, wait_until="load")
    page.get_by_role("tab", name="Beheer").click()
    page.get_by_label("Wachtwoord beheerder").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Onjuist wachtwoord.").wait_for(timeout=10_000)
    assert not page.locator("#vb-upload").is_visible()

    page.get_by_label("Wachtwoord beheerder").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Ingelogd als beheerder.").wait_for(timeout=10_000)
    page.locator("#vb-upload input[type=file]").set_input_files([str(upload), str(bad)])
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Toevoegen en indexeren").click()
    page.locator("#vb-rapport").get_by_text("Toegevoegd:").wait_for(timeout=30_000)
    report = page.locator("#vb-rapport").inner_text()
    assert "haven.txt" in report
    docs = c.documents()
    assert [d.source.rsplit("/", 1)[-1] for d in docs] == ["haven.txt"]
    assert "/documenten/" in docs[0].source  # stored under the data dir

    page.locator("#vb-verwijder-doc input").click()
    page.get_by_role("option", name="haven.txt", exact=False).first.click()
    page.get_by_role("button", name="Verwijderen").click()
    page.get_by_text("Vink eerst aan").wait_for(timeout=10_000)
    assert len(c.documents()) == 1
    page.get_by_label("Ja, ik wil dit document echt verwijderen").check()
    page.get_by_role("button", name="Verwijderen").click()
    page.get_by_text("Verwijderd: haven.txt").wait_for(timeout=10_000)
    assert c.documents() == []

    page.get_by_role("button", name="Afmelden").click()
    page.get_by_text("Afgemeld.").wait_for(timeout=10_000)
    assert not page.locator("#vb-upload").is_visible()
    assert not page.get_by_role("button", name="Verwijderen").is_visible()
    page.close()


def test_without_a_login_the_api_cannot_change_the_corpus(admin_app, tmp_path):
    from gradio_client import Client

    url, c = admin_app
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "haven.txt").write_text(TEXT, encoding="utf-8")
    c.indexer.ingest([tmp_path / "d"])
    source = c.documents()[0].source
    api = Client(url, verbose=False).view_api(return_format="dict", print_info=False)
    names = json.dumps(api)
    assert "do_delete" not in names and "do_add" not in names and "do_login" not in names
    for fn_index in range(40):  # raw calls of every event, the admin flag forged as true
        body = json.dumps({"data": [True, source, True], "fn_index": fn_index,
                           "session_hash": "aanvaller"}).encode()
        req = urllib.request.Request(f"{url}/gradio_api/queue/join", data=body,
                                     headers={"Content-Type": "application/json"})
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(req, timeout=10).read()
        with contextlib.suppress(urllib.error.HTTPError, TimeoutError, OSError):
            urllib.request.urlopen(f"{url}/gradio_api/queue/data?session_hash=aanvaller",
                                   timeout=10).read()
    assert [d.source for d in c.documents()] == [source]  # nothing was deleted


def test_the_upload_route_is_closed_without_an_admin_part():
    from tests.ui_server import running_app

    with running_app() as (url, _):
        req = urllib.request.Request(f"{url}/gradio_api/upload", data=b"x", method="POST")
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(req, timeout=10)
        assert info.value.code == 403
