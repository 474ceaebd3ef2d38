"""The web app's pure parts: next= checking, session lifetimes, and the translation catalogues (complete, and in
step with the templates and code)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from jobmatch.accounts.sessions import Lifetime, hash_session_id, is_live, new_session_id
from jobmatch.web.auth import safe_next
from jobmatch.web.i18n import TRANSLATIONS, compile_catalogues

WEB = TRANSLATIONS.parent


@pytest.mark.parametrize("target", ["/", "/analyst", "/admin/users?x=1", "/reports/2026-01"])
def test_local_paths_are_kept(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", [None, "", "analyst", "//evil.example", "///evil.example", "/\\evil.example",
                                    "https://evil.example/", "javascript:alert(1)", "/\r\n/x", "/x\x00",
                                    "/" + "a" * 600])
def test_other_targets_are_refused(target):
    assert safe_next(target) is None


def test_session_ids_are_random_and_stored_only_hashed():
    first, second = new_session_id(), new_session_id()
    assert first != second and len(first) >= 43
    assert hash_session_id(first) != first and len(hash_session_id(first)) == 64


def test_session_lifetime_idle_and_absolute():
    life = Lifetime(idle=timedelta(minutes=60), absolute=timedelta(hours=12))
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    doc = {"last_seen_at": (now - timedelta(minutes=59)).isoformat(),
           "expires_at": (now + timedelta(hours=1)).isoformat()}
    assert is_live(doc, life, now)
    assert not is_live({**doc, "last_seen_at": (now - timedelta(minutes=61)).isoformat()}, life, now)
    assert not is_live({**doc, "expires_at": (now - timedelta(seconds=1)).isoformat()}, life, now)
    assert not is_live({}, life, now)


def _catalogue(path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_every_message_has_a_vietnamese_translation():
    template = _catalogue(TRANSLATIONS / "messages.pot")
    vietnamese = _catalogue(TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po")
    missing = [m.id for m in template if m.id and not (vietnamese.get(m.id) and all(
        vietnamese.get(m.id).string if isinstance(vietnamese.get(m.id).string, tuple)
        else [vietnamese.get(m.id).string]))]
    assert not missing, f"untranslated in vi/LC_MESSAGES/messages.po: {missing}"


def test_the_template_catalogue_is_in_step_with_the_sources():
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = {m[2] if isinstance(m[2], str) else m[2][0]
             for m in extract_from_dir(str(WEB), method_map, keywords=keywords)}
    listed = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue(TRANSLATIONS / "messages.pot") if m.id}
    assert found == listed, ("run the pybabel extract/update commands in jobmatch/web/i18n.py: "
                             f"new {sorted(found - listed)}, gone {sorted(listed - found)}")


def test_catalogues_compile_into_a_directory_of_their_own(tmp_path):
    target = compile_catalogues(target_root=tmp_path)
    assert (target / "vi" / "LC_MESSAGES" / "messages.mo").stat().st_size > 0
    assert compile_catalogues(target_root=tmp_path) == target  # same contents, same directory, no rewrite
