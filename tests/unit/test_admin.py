"""Admin actions (ui/admin.py): password handling, safe stored names, never overwriting,
and every corpus-changing action refused without an admin session."""

from __future__ import annotations

import pytest

from ui.admin import AdminActions, NotAdminError, read_password, report_text, safe_name

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("given, expected", [
    ("brief.txt", "brief.txt"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\win.ini.md", "win.ini.md"),
    ("rapport\nversie 2.pdf", "rapport_versie 2.pdf"),
    ("...verborgen.txt", "verborgen.txt"),
    ("a..b.docx", "a.b.docx"),
    ("programma.exe", None),
    ("zonder-type", None),
    (".txt", None),
])
def test_stored_names_are_safe(given, expected):
    assert safe_name(given) == expected


def _actions(tmp_path, calls):
    return AdminActions("geheim-wachtwoord", tmp_path / "documenten",
                        ingest=lambda paths: calls.append(("ingest", paths)),
                        remove=lambda source: calls.append(("remove", source)) or True)


def test_nothing_changes_without_an_admin_session(tmp_path):
    calls = []
    actions = _actions(tmp_path, calls)
    upload = tmp_path / "brief.txt"
    upload.write_text("tekst", encoding="utf-8")
    with pytest.raises(NotAdminError):
        actions.add(False, [str(upload)])
    with pytest.raises(NotAdminError):
        actions.delete(False, "/x/brief.txt", True)
    assert calls == [] and not (tmp_path / "documenten").exists()
    assert not actions.login("fout") and not actions.login("") and not actions.login(None)
    assert actions.login("geheim-wachtwoord")


def test_uploads_never_overwrite_and_delete_needs_confirmation(tmp_path):
    calls = []
    actions = _actions(tmp_path, calls)
    a = tmp_path / "in1" / "brief.txt"
    b = tmp_path / "in2" / "brief.txt"
    for f, text in ((a, "eerste"), (b, "tweede")):
        f.parent.mkdir()
        f.write_text(text, encoding="utf-8")
    stored, refused = actions.store(True, [str(a), str(b), str(tmp_path / "x.exe")])
    assert [p.name for p in stored] == ["brief.txt", "brief-2.txt"]
    assert [p.read_text(encoding="utf-8") for p in stored] == ["eerste", "tweede"]
    assert refused and refused[0][0] == "x.exe"
    assert "aan" in actions.delete(True, str(stored[0]), False)  # not confirmed
    assert calls == []
    assert actions.delete(True, str(stored[0]), True).startswith("Verwijderd")
    assert calls == [("remove", str(stored[0]))] and not stored[0].exists()


def test_password_from_a_file_wins(tmp_path):
    secret = tmp_path / "wachtwoord"
    secret.write_text("uit-bestand\n", encoding="utf-8")
    assert read_password("uit-env", secret) == "uit-bestand"
    assert read_password("uit-env", None) == "uit-env"
    assert read_password(None, None) is None and read_password("", None) is None


def test_report_is_dutch():
    assert report_text(None, [("x.exe", "bestandstype niet toegestaan")]).startswith(
        "**Geweigerd:** x.exe")
