"""The "Beheer" tab: admin login, upload with an ingest report, delete with a confirmation.
Present only when an admin password is configured (ui/admin.py). Every action checks the
session's admin flag on the server (a `gr.State`, which no API client can set); the events are
private (not in the API)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from ingest.loaders import SUPPORTED_SUFFIXES
from ui.admin import AdminActions, NotAdminError, report_text


def _choices(documents: Callable) -> list[tuple[str, str]]:
    return [(f"{d.title} ({Path(d.source).name})", d.source) for d in documents()]


def add_admin_tab(actions: AdminActions, documents: Callable) -> None:
    """Add the tab to the enclosing `gr.Blocks` (inside `gr.Tabs`)."""
    with gr.Tab("Beheer"):
        admin = gr.State(False)
        with gr.Row():
            password = gr.Textbox(label="Wachtwoord beheerder", type="password", scale=3,
                                  elem_id="vb-wachtwoord")
            login = gr.Button("Inloggen", scale=1, elem_id="vb-inloggen")
        status = gr.Markdown("Alleen voor beheerders: log in om documenten toe te voegen of "
                             "te verwijderen.", elem_id="vb-beheer-status")
        with gr.Group(visible=False) as panel:
            files = gr.File(label="Documenten toevoegen (txt, md, pdf, docx, html, xml)",
                            file_count="multiple", file_types=sorted(SUPPORTED_SUFFIXES),
                            elem_id="vb-upload")
            add = gr.Button("Toevoegen en indexeren", variant="primary", elem_id="vb-toevoegen")
            report = gr.Markdown(elem_id="vb-rapport")
            doc = gr.Dropdown(label="Document verwijderen", choices=[], elem_id="vb-verwijder-doc")
            sure = gr.Checkbox(label="Ja, ik wil dit document echt verwijderen",
                               elem_id="vb-zeker")
            delete = gr.Button("Verwijderen", variant="stop", elem_id="vb-verwijderen")
            deleted = gr.Markdown(elem_id="vb-verwijderd")
            logout = gr.Button("Afmelden", elem_id="vb-afmelden")

    def do_login(given: str):
        if actions.login(given):
            return (True, gr.update(visible=True), "Ingelogd als beheerder.", "",
                    gr.update(choices=_choices(documents), value=None))
        time.sleep(1.0)  # slows down guessing
        return False, gr.update(visible=False), "Onjuist wachtwoord.", "", gr.update()

    def do_add(is_admin: bool, paths: list[str] | None,
               progress=gr.Progress(track_tqdm=True)):  # noqa: B008 (Gradio injects it)
        try:
            rep, refused = actions.add(is_admin, [str(p) for p in paths or []])
        except NotAdminError as exc:
            return str(exc), gr.update(), None
        return report_text(rep, refused), gr.update(choices=_choices(documents)), None

    def do_delete(is_admin: bool, source: str | None, confirmed: bool):
        try:
            text = actions.delete(is_admin, source or "", bool(confirmed))
        except NotAdminError as exc:
            return str(exc), gr.update(), False
        if not text.startswith("Verwijderd"):  # nothing changed: keep the choice
            return text, gr.update(), gr.update()
        return text, gr.update(choices=_choices(documents), value=None), False

    def do_logout():
        return (False, gr.update(visible=False), "Afgemeld.", "",
                gr.update(choices=[], value=None))

    logout.click(do_logout, None, [admin, panel, status, password, doc], api_visibility="private")
    login.click(do_login, [password], [admin, panel, status, password, doc],
                api_visibility="private")
    password.submit(do_login, [password], [admin, panel, status, password, doc],
                    api_visibility="private")
    add.click(do_add, [admin, files], [report, doc, files], api_visibility="private")
    delete.click(do_delete, [admin, doc, sure], [deleted, doc, sure], api_visibility="private")
