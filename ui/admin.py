"""Admin actions behind a password: add documents (upload) and remove them, the same code
path as the CLI (`Indexer.ingest` / `Indexer.remove`, under the writer lock).

The password comes from `VRAAGBAAK_ADMIN_PASSWORD` or a file named by
`VRAAGBAAK_ADMIN_PASSWORD_FILE` (a mounted secret); without one the admin part does not exist.
It is compared in constant time. Uploaded files are stored under `<data dir>/documenten/`
with a sanitised name that never overwrites another file.
"""

from __future__ import annotations

import hmac
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders import SUPPORTED_SUFFIXES


class NotAdminError(PermissionError):
    """A corpus-changing action without an admin session."""


def read_password(password: str | None, password_file: Path | None) -> str | None:
    """The admin password from settings (a file wins); None: no admin part."""
    if password_file is not None:
        text = Path(password_file).read_text(encoding="utf-8").strip()
        return text or None
    return password or None


def safe_name(name: str) -> str | None:
    """A file name safe to store: no directories, no `..`, no control characters, an allowed
    type; None when nothing usable remains."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[^\w.\- ]", "_", name).strip(" .")
    name = re.sub(r"\.{2,}", ".", name)[:120]
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or f".{suffix.lower()}" not in SUPPORTED_SUFFIXES:
        return None
    return name


@dataclass
class AdminActions:
    """What an admin session may do; every method checks the session first."""

    password: str
    upload_dir: Path
    ingest: Callable  # Indexer.ingest(paths) -> IngestReport
    remove: Callable  # Indexer.remove(source) -> bool
    max_files: int = 50

    def login(self, given: str | None) -> bool:
        return hmac.compare_digest((given or "").encode(), self.password.encode())

    @staticmethod
    def require(admin: bool) -> None:
        if not admin:
            raise NotAdminError("Alleen voor beheerders: log eerst in.")

    def store(self, admin: bool, files: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
        """Copy uploaded files into the upload dir; (stored paths, refused (name, reason))."""
        self.require(admin)
        stored, refused = [], []
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        for f in (files or [])[: self.max_files]:
            original = Path(f).name
            name = safe_name(original)
            if name is None:
                refused.append((original, "bestandstype niet toegestaan of ongeldige naam"))
                continue
            target = self.upload_dir / name
            n = 2
            while target.exists():  # never overwrite: another document keeps its file
                stem, _, suffix = name.rpartition(".")
                target = self.upload_dir / f"{stem}-{n}.{suffix}"
                n += 1
            shutil.copyfile(f, target)
            stored.append(target)
        for f in (files or [])[self.max_files:]:
            refused.append((Path(f).name, f"meer dan {self.max_files} bestanden tegelijk"))
        return stored, refused

    def add(self, admin: bool, files: list[str]):
        """Store and index uploaded files; (report, refused)."""
        stored, refused = self.store(admin, files)
        report = self.ingest(stored) if stored else None
        return report, refused

    def delete(self, admin: bool, source: str, confirmed: bool) -> str:
        self.require(admin)
        if not source:
            return "Kies eerst een document."
        if not confirmed:
            return "Vink eerst aan dat u het document echt wilt verwijderen."
        if not self.remove(source):
            return "Dat document staat niet (meer) in de index."
        stored = Path(source)
        if stored.parent == self.upload_dir.resolve() and stored.exists():
            stored.unlink()  # an uploaded file goes with its document
        return f"Verwijderd: {stored.name}"


def report_text(report, refused: list[tuple[str, str]]) -> str:
    """An ingest report in Dutch, for the admin tab."""
    lines = []
    if report is not None:
        def names(xs):
            return ", ".join(Path(x).name for x in xs) or "-"

        lines += [f"**Toegevoegd:** {names(report.added)}",
                  f"**Bijgewerkt:** {names(report.updated)}",
                  f"**Ongewijzigd:** {names(report.unchanged)}"]
        lines += [f"**Niet gelukt:** {Path(s).name}: {r}" for s, r in report.failed]
        lines.append(f"{report.chunks_added} passages toegevoegd in {report.seconds:.1f} s.")
    lines += [f"**Geweigerd:** {n}: {r}" for n, r in refused]
    return "\n\n".join(lines) or "Geen bestanden gekozen."
