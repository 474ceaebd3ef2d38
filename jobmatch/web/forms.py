"""The web app's forms (WTForms through Flask-WTF: every form carries the session's CSRF token).

Forms check only what a person can fix in the form (a field left empty); the rules of usernames, passwords and
roles live in the account service, whose field errors are shown beside the same fields (`add_service_errors`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Optional

from jobmatch.auth.tokens import ROLES

REQUIRED = _l("This field is required.")
ROLE_TITLES = {"admin": _l("Administrator"), "counsellor": _l("Employment counsellor"),
               "employer": _l("Employer"), "analyst": _l("Labour-market analyst")}
# Field problems the account service states in English only; the rest come as "Vietnamese / English".
SERVICE_MESSAGES = {"is taken": _l("This username is already taken."),
                    "is required for the employer role": _l("Required for the employer role."),
                    "is only allowed for the employer role": _l("Only for the employer role; leave it empty.")}


class LoginForm(FlaskForm):
    """Sign in with a username and a password."""

    username = StringField(_l("Username"), validators=[DataRequired(message=REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=REQUIRED)])
    next = HiddenField()


class LogoutForm(FlaskForm):
    """Sign out (a POST with the CSRF token: a link or an image elsewhere cannot sign anyone out)."""


class LanguageForm(FlaskForm):
    """Switch the interface language."""

    lang = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class CreateUserForm(FlaskForm):
    """Create a user (admins)."""

    username = StringField(_l("Username"), validators=[DataRequired(message=REQUIRED)])
    display_name = StringField(_l("Full name"), validators=[Optional()])
    role = SelectField(_l("Role"), choices=[SelectChoice(role, ROLE_TITLES[role]) for role in ROLES],
                       validators=[DataRequired(message=REQUIRED)])
    employer_id = StringField(_l("Employer id (employer role only)"), validators=[Optional()])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(message=REQUIRED)])


class PasswordForm(FlaskForm):
    """Set a new password for a user (admins)."""

    password = PasswordField(_l("New password"), validators=[DataRequired(message=REQUIRED)])


class ActiveForm(FlaskForm):
    """Activate or deactivate a user (admins)."""

    active = HiddenField(validators=[DataRequired()])


def localised(message: str) -> str:
    """Return a service message in the current language: "Vietnamese / English" messages are split, known
    English ones translated, anything else shown as it is."""
    if message in SERVICE_MESSAGES:
        return str(SERVICE_MESSAGES[message])
    vietnamese, sep, english = message.partition(" / ")
    if not sep:
        return message
    locale = get_locale()
    return english if locale is not None and locale.language == "en" else vietnamese


def add_service_errors(form: FlaskForm, errors: dict[str, Any] | None) -> list[str]:
    """Put the service's field errors (`{"json": {field: [problem]}}`) beside the form's fields; return the
    problems that belong to no field of the form, for the top of the page."""
    unplaced: list[str] = []
    for problems_by_field in (errors or {}).values():
        for name, problems in (problems_by_field or {}).items():
            field = form._fields.get(name)
            texts = [localised(str(p)) for p in (problems if isinstance(problems, list) else [problems])]
            if field is None:
                unplaced.extend(texts)
            else:
                field.errors = [*field.errors, *texts]
    return unplaced
