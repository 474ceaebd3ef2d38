"""Languages of the web app: Vietnamese by default, English on request (Flask-Babel).

Message ids are English; `translations/vi/LC_MESSAGES/messages.po` holds the Vietnamese. Only the `.po` files
are in the repository: at start-up they are compiled into `.mo` files in a directory under the system's temp
dir named by a hash of the `.po` contents, so a fresh clone needs no extra command, every worker reuses the same
compiled files, a changed catalogue gets a new directory, and the source tree is never written to (the Docker
image runs as a user who cannot). Refresh the catalogues after changing a template or a message:

    .venv/bin/pybabel extract -F jobmatch/web/babel.cfg -k _l --no-location --sort-output -w 0 \
        -o jobmatch/web/translations/messages.pot jobmatch/web
    .venv/bin/pybabel update -N -w 0 -i jobmatch/web/translations/messages.pot \
        -d jobmatch/web/translations

(`-k _l`: the forms' lazy texts; `-N`: no guessed "fuzzy" translations, which the app would not show anyway.)

then translate the new entries in `vi/LC_MESSAGES/messages.po` (English needs none: the ids are English).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("vi", "en")  # the first is the default
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # each in its own language, as a switch shows them
DOMAIN = "messages"


def po_files(source: Path = TRANSLATIONS) -> list[Path]:
    """Return the catalogues (`<lang>/LC_MESSAGES/messages.po`), sorted."""
    return sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_catalogues(source: Path = TRANSLATIONS, target_root: Path | None = None) -> Path:
    """Compile every `.po` under `source` into `.mo` files; return the directory Flask-Babel should read."""
    files = po_files(source)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(source).as_posix().encode())
        digest.update(path.read_bytes())
    target = (target_root or Path(tempfile.gettempdir())) / f"jobmatch-translations-{digest.hexdigest()[:16]}"
    for path in files:
        mo = target / path.relative_to(source).with_suffix(".mo")
        if mo.exists():
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with path.open("rb") as handle:
            catalog = read_po(handle)
        # Write aside, then rename: workers starting together never read a half-written file.
        fd, temp = tempfile.mkstemp(dir=mo.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(temp, mo)
    return target


def choose_language(requested: str | None) -> str:
    """Return a supported language code: the requested one, or the default (Vietnamese)."""
    return requested if requested in LANGUAGES else LANGUAGES[0]
