"""The employers' pages: their vacancies (list, post, edit), the candidates proposed for one and the referrals on
it, over the same services as the API (jobmatch.jobs, jobmatch.matching, jobmatch.placements, jobmatch.lookups).

The signed-in user acts as the `Principal` of its role and employer (`principal_for`), so the services apply
their own rules: an employer sees and changes only its own vacancies, gets only consenting candidates without
their private attributes, no policy boosts, and may move a referral only to interviewed, offered, hired or
rejected. Admins may look at these pages; only employers post, edit and move.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from jobmatch.audit.http import note
from jobmatch.errors import AppError, Conflict, PreconditionFailed, PreconditionRequired, ValidationFailed
from jobmatch.jobs.schemas import JobIn
from jobmatch.lookups.occupations import autocoder
from jobmatch.lookups.places import suggest_communes
from jobmatch.matching.service import MatchParams
from jobmatch.placements import lifecycle
from jobmatch.placements.service import EMPLOYER_MAY_SET, PlacementService
from jobmatch.records.repository import Stored
from jobmatch.records.service import validate
from jobmatch.reference import communes, occupations
from jobmatch.text import fold
from jobmatch.web import services
from jobmatch.web.auth import current_user, login_required
from jobmatch.web.forms import REQUIRED, localised
from jobmatch.web.render import page
from jobmatch.web.views import bp

VIEWERS = ("employer", "admin")
SUGGESTIONS = 8  # options offered in a type-ahead list
MATCHES = 20  # candidates shown for a vacancy
HOME_VACANCIES = 100
PLACEMENT_PAGE = 100
PLACEMENT_PAGES = 20  # at most this many pages of placements are counted on the home page

CONTRACT_LABELS = {"indefinite": _l("Indefinite term"), "fixed_term": _l("Fixed term"), "seasonal": _l("Seasonal"),
                   "part_time": _l("Part time"), "apprenticeship": _l("Apprenticeship"), "daily": _l("Daily work")}
TRAINING_LABELS = {"none": _l("No training required"), "so_cap": _l("Elementary vocational (sơ cấp)"),
                   "trung_cap": _l("Intermediate vocational (trung cấp)"), "cao_dang": _l("College (cao đẳng)"),
                   "dai_hoc": _l("University (đại học)"), "sau_dai_hoc": _l("Postgraduate")}
ACCOMMODATION_LABELS = {"step_free_access": _l("Step-free access"), "accessible_toilet": _l("Accessible toilet"),
                        "sign_language": _l("Sign language"), "flexible_hours": _l("Flexible hours"),
                        "remote_work": _l("Remote work"), "assistive_technology": _l("Assistive technology"),
                        "transport": _l("Transport")}
STATUS_LABELS = {"proposed": _l("Proposed"), "referred": _l("Referred"), "interviewed": _l("Interviewed"),
                 "offered": _l("Offered"), "hired": _l("Hired"), "rejected": _l("Rejected"),
                 "withdrawn": _l("Withdrawn"), "draft": _l("Draft"), "open": _l("Open"), "filled": _l("Filled"),
                 "closed": _l("Closed"), "expired": _l("Expired")}
MOVE_LABELS = {"interviewed": _l("Mark interviewed"), "offered": _l("Mark offered"), "hired": _l("Mark hired"),
               "rejected": _l("Reject")}
INSURANCE_LABELS = {"yes": _l("Yes"), "no": _l("No"), "": _l("Not stated")}

# The service's field names → the form's, where they differ.
FORM_FIELDS = {"occupation_code": "occupation", "workplace": "commune"}
# The service's problems (English) → what the form says, by pattern.
MESSAGES: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^Missing data for required field"), REQUIRED),
    (re.compile(r"^Not a valid (whole number|integer|number)"), _l("Enter a whole number, in digits.")),
    (re.compile(r"^Must be greater than or equal to (?P<min>\d+) and less than or equal to (?P<max>\d+)"),
     _l("Enter a number from %(min)s to %(max)s.")),
    (re.compile(r"^salary_min must not be above salary_max"),
     _l("The minimum salary must not be above the maximum salary.")),
    (re.compile(r"^Not a valid date"), _l("Enter a date as day, month and year.")),
    (re.compile(r"^expires_at must not be before posted_at"),
     _l("The closing date must not be before the posting date.")),
    (re.compile(r"^(unknown commune code|give commune_code)"), _l("Choose the commune from the list.")),
    (re.compile(r"^unknown occupation code"), _l("Choose the occupation from the list.")),
    (re.compile(r"^missing, and the title could not be coded"),
     _l("The occupation could not be recognised from the title: choose it from the list.")),
    (re.compile(r"^Must be one of"), _l("Choose one of the options.")),
    (re.compile(r"^Length must be between"), _l("This text is empty or too long.")),
    (re.compile(r"^has duplicates"), _l("Give each value only once.")),
    (re.compile(r"^no active employer"), _l("Your company's record is closed. Please contact the centre.")),
]


def _choices(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


# --- forms -----------------------------------------------------------------------------------------------------


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VacancyForm(FlaskForm):
    """A vacancy as an employer posts or edits it; the rules (salary, dates, codes) are the job service's."""

    title = StringField(_l("Job title"), validators=[DataRequired(message=REQUIRED)])
    occupation = StringField(_l("Occupation"), validators=[Optional()])
    commune = StringField(_l("Workplace commune or ward"), validators=[DataRequired(message=REQUIRED)])
    openings = StringField(_l("Number of openings"), default="1", validators=[DataRequired(message=REQUIRED)])
    salary_min = StringField(_l("Minimum salary (VND per month)"), validators=[Optional()])
    salary_max = StringField(_l("Maximum salary (VND per month)"), validators=[Optional()])
    contract_type = SelectField(_l("Contract type"), choices=_choices(CONTRACT_LABELS), default="indefinite")
    min_training_level = SelectField(_l("Minimum training level"), choices=_choices(TRAINING_LABELS),
                                     default="none")
    essential_skills = TextAreaField(_l("Skills required"), validators=[Optional()])
    accommodations = CheckboxesField(_l("What the workplace offers people with disabilities"),
                                     choices=_choices(ACCOMMODATION_LABELS), validators=[Optional()])
    expires_at = StringField(_l("Applications close on"), validators=[Optional()])
    social_insurance = RadioField(_l("Compulsory social insurance (BHXH)"), choices=_choices(INSURANCE_LABELS),
                                  default="", validators=[Optional()])
    etag = HiddenField()


class MoveForm(FlaskForm):
    """Move a referral to its next stage (the CSRF token and the version the page showed)."""

    to = HiddenField(validators=[DataRequired()])
    etag = HiddenField(validators=[DataRequired()])


# --- helpers ---------------------------------------------------------------------------------------------------


def occupation_label(code: str | None) -> str:
    """Return "code — title" of an occupation as the type-ahead offers it (the common Vietnamese name)."""
    if not code:
        return ""
    unit = occupations().get(code)
    if unit is None:
        return code
    return f"{code} — {unit.title_vi_common or unit.label_vi}"


def occupation_title(code: str | None) -> str:
    """Return an occupation's title in the page's language."""
    unit = occupations().get(code or "")
    if unit is None:
        return code or ""
    return unit.title_en if _lang() == "en" else (unit.title_vi_common or unit.label_vi)


def _lang() -> str:
    locale = get_locale()
    return locale.language if locale else "vi"


def commune_name(code: str | None) -> str:
    """Return a current commune's name."""
    found = communes().get(code or "")
    return found.name if found else (code or "")


def commune_code_for(text: str) -> str | None:
    """Return the commune a typed name (or code) means: an exact name, diacritics and case aside, else None."""
    typed = fold(text.strip())
    for code, commune in communes().items():
        if typed in (fold(commune.name), fold(code)):
            return code
    return None


def parse_occupation(text: str) -> str | None:
    """Return the code of a chosen occupation ("7212 — Thợ hàn" or "7212"), else None."""
    found = re.match(r"\s*(\d{4})\b", text or "")
    return found.group(1) if found else None


def whole_number(text: str | None) -> str | None:
    """Return a typed amount without its thousands separators ("8.000.000" → "8000000"); other text stays as it
    is for the service to refuse."""
    text = (text or "").strip()
    if not text:
        return None
    plain = re.sub(r"[\s.,]", "", text)
    return plain if plain.isdigit() else text


def vacancy_input(form: VacancyForm, current: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the vacancy fields the form gives (None clears a field on edit) and the problems found before the
    service sees them (a commune or occupation not from the list), by form field."""
    problems: dict[str, str] = {}
    occupation_text = (form.occupation.data or "").strip()
    code = parse_occupation(occupation_text)
    if occupation_text and code is None:
        problems["occupation"] = str(_l("Choose the occupation from the list."))
    commune = commune_code_for(form.commune.data or "")
    if (form.commune.data or "").strip() and commune is None:
        problems["commune"] = str(_l("Choose the commune from the list."))
    workplace: dict[str, Any] = {"commune_code": commune}
    kept = (current or {}).get("workplace") or {}
    if kept.get("commune_code") == commune:  # unchanged: keep the address, coordinates and pre-reform code
        workplace = {k: kept.get(k) for k in ("commune_code", "legacy_ward_code", "address", "lat", "lon")
                     if kept.get(k) is not None}
    skills = [s.strip() for s in re.split(r"[\n,;]", form.essential_skills.data or "") if s.strip()]
    insurance = {"yes": True, "no": False}.get(form.social_insurance.data or "")
    data = {"title": (form.title.data or "").strip() or None, "occupation_code": code, "workplace": workplace,
            "openings": whole_number(form.openings.data), "salary_min": whole_number(form.salary_min.data),
            "salary_max": whole_number(form.salary_max.data), "contract_type": form.contract_type.data,
            "min_training_level": form.min_training_level.data, "essential_skills": skills,
            "accommodations": list(form.accommodations.data or []),
            "expires_at": (form.expires_at.data or "").strip() or None, "social_insurance": insurance}
    return data, problems


def fill_form(form: VacancyForm, job: dict[str, Any], etag: str) -> None:
    """Put a stored vacancy into the form."""
    form.title.data = job.get("title")
    form.occupation.data = occupation_label(job.get("occupation_code"))
    form.commune.data = commune_name((job.get("workplace") or {}).get("commune_code"))
    form.openings.data = str(job.get("openings") or 1)
    form.salary_min.data = "" if job.get("salary_min") is None else str(job["salary_min"])
    form.salary_max.data = "" if job.get("salary_max") is None else str(job["salary_max"])
    form.contract_type.data = job.get("contract_type") or "indefinite"
    form.min_training_level.data = job.get("min_training_level") or "none"
    form.essential_skills.data = "\n".join(job.get("essential_skills") or [])
    form.accommodations.data = list(job.get("accommodations") or [])
    form.expires_at.data = (job.get("expires_at") or "")[:10]
    form.social_insurance.data = {True: "yes", False: "no"}.get(job.get("social_insurance"), "")
    form.etag.data = etag


def translate(problem: str) -> str:
    """Return a service problem in the page's language."""
    for pattern, text in MESSAGES:
        found = pattern.search(problem)
        if found:
            return str(text) % found.groupdict() if found.groupdict() else str(text)
    return localised(problem)


def _flatten(problems: Any) -> list[str]:
    if isinstance(problems, dict):  # a nested field (workplace): its inner problems
        return [text for inner in problems.values() for text in _flatten(inner)]
    if isinstance(problems, list):
        return [text for item in problems for text in _flatten(item)]
    return [str(problems)]


def show_service_errors(form: VacancyForm, error: ValidationFailed) -> list[str]:
    """Put the service's field problems beside the form's fields, in the page's language; return the rest."""
    unplaced: list[str] = []
    for by_field in (error.errors or {}).values():
        for name, problems in (by_field or {}).items():
            field = form._fields.get(FORM_FIELDS.get(name, name))
            texts = list(dict.fromkeys(translate(p) for p in _flatten(problems)))
            if name == "occupation_code" and error.extra.get("candidates"):
                offered = ", ".join(occupation_label(c["code"]) for c in error.extra["candidates"]["occupation_code"])
                texts.append(_("Perhaps: %(names)s", names=offered))
            if field is None or name in ("csrf_token", "etag"):
                unplaced.extend(texts)
            else:
                field.errors = [*field.errors, *texts]
    if not unplaced and not any(f.errors for f in form):
        unplaced.append(_("Please check what you entered and try again."))
    return unplaced


def _form_page(form: VacancyForm, *, job: Stored | None, status: int, problems: list[str] | None = None) -> Any:
    return page("web/employer/vacancy_form.html", status=status, form=form, job=job, problems=problems or [])


def placement_counts(service: PlacementService) -> dict[str, Counter[str]]:
    """Return, per vacancy, how many referrals reached referred, interviewed and hired."""
    counts: dict[str, Counter[str]] = {}
    cursor = None
    for _page in range(PLACEMENT_PAGES):
        found = service.list({"size": PLACEMENT_PAGE, "cursor": cursor})
        for item in found.items:
            reached = counts.setdefault(item.source.get("job_id", ""), Counter())
            for stage in ("referred", "interviewed", "hired"):
                if item.source.get(f"{stage}_at"):
                    reached[stage] += 1
        cursor = found.next_cursor
        if not cursor:
            break
    return counts


def placement_view(stored: Stored) -> dict[str, Any]:
    """Return what a page shows of a placement: never the person's snapshot (as the API)."""
    view = {k: v for k, v in stored.source.items() if k not in ("worker", "job")}
    view["etag"] = stored.etag
    view["moves"] = [to for to in lifecycle.NEXT.get(view.get("status") or "", ()) if to in EMPLOYER_MAY_SET]
    return view


# --- pages -----------------------------------------------------------------------------------------------------


@bp.route("/employer")
@login_required(roles=VIEWERS)
def employer_home() -> Any:
    """The employer's open vacancies with the referrals on each, and a link to post one."""
    listed = services.jobs().list({"status": "open", "size": HOME_VACANCIES})
    counts = placement_counts(services.placements())
    rows = [{"job": item.source, "counts": counts.get(item.id, Counter())} for item in listed.items]
    return page("web/employer/home.html", rows=rows, total=listed.total, can_post=_can_post())


def _can_post() -> bool:
    user = current_user()
    return user is not None and user.role == "employer"


@bp.route("/employer/vacancies/new", methods=["GET", "POST"])
@login_required(roles=("employer",))
def employer_new_vacancy() -> Any:
    """Post a vacancy."""
    form = VacancyForm()
    if request.method == "GET":
        return _form_page(form, job=None, status=200)
    if not form.validate_on_submit():
        return _form_page(form, job=None, status=422)
    principal = services.acting()
    data, problems = vacancy_input(form, None)
    if problems:
        for name, text in problems.items():
            form[name].errors = [*form[name].errors, text]
        return _form_page(form, job=None, status=422)
    payload = {k: v for k, v in data.items() if v is not None}
    payload["employer_id"] = principal.employer_id
    payload["source"] = "web"
    try:
        stored, _created = services.jobs().create(validate(JobIn, payload))
    except ValidationFailed as error:
        return _form_page(form, job=None, status=422, problems=show_service_errors(form, error))
    flash(_("Vacancy “%(title)s” posted.", title=stored.source["title"]), "success")
    return redirect(url_for("web.employer_vacancy", job_id=stored.id))


@bp.route("/employer/vacancies/<job_id>/edit", methods=["GET", "POST"])
@login_required(roles=("employer",))
def employer_edit_vacancy(job_id: str) -> Any:
    """Change a vacancy, guarded by the version the form was opened on (someone else's change is not lost)."""
    service = services.jobs()
    stored = service.get(job_id)  # another employer's vacancy: 404
    form = VacancyForm()
    if request.method == "GET":
        fill_form(form, stored.source, stored.etag)
        return _form_page(form, job=stored, status=200)
    if not form.validate_on_submit():
        return _form_page(form, job=stored, status=422)
    data, problems = vacancy_input(form, stored.source)
    if problems:
        for name, text in problems.items():
            form[name].errors = [*form[name].errors, text]
        return _form_page(form, job=stored, status=422)
    try:
        updated = service.patch(job_id, data, form.etag.data or None)
    except ValidationFailed as error:
        return _form_page(form, job=stored, status=422, problems=show_service_errors(form, error))
    except (PreconditionFailed, PreconditionRequired):
        return _form_page(form, job=stored, status=412, problems=[_(
            "Someone changed this vacancy after you opened this page. Open it again to see the changes, then "
            "make yours.")])
    flash(_("Vacancy “%(title)s” saved.", title=updated.source["title"]), "success")
    return redirect(url_for("web.employer_vacancy", job_id=updated.id))


@bp.route("/employer/vacancies/<job_id>")
@login_required(roles=VIEWERS)
def employer_vacancy(job_id: str) -> Any:
    """One vacancy: its details, the candidates matching it (as the API shows them to its employer) and the
    referrals on it with the moves the employer may make."""
    stored = services.jobs().get(job_id)  # another employer's vacancy: 404
    candidates: list[dict[str, Any]] = []
    excluded: dict[str, Any] = {}
    if stored.source.get("status") == "open":
        result = services.matcher().workers_for_job(job_id, MatchParams(size=MATCHES))
        candidates = [item for item in result["items"] if "worker" in item]
        excluded = result.get("excluded") or {}
        if candidates:
            note("list", "workers", [item["worker_id"] for item in candidates],
                 views=[item["worker"] for item in candidates])
    listed = services.placements().list({"job_id": job_id, "size": PLACEMENT_PAGE})
    return page("web/employer/vacancy.html", job=stored.source, candidates=candidates, excluded=excluded,
                referrals=[placement_view(item) for item in listed.items], move_form=MoveForm(),
                can_move=_can_post())


@bp.route("/employer/placements/<placement_id>/move", methods=["POST"])
@login_required(roles=("employer",))
def employer_move_placement(placement_id: str) -> Any:
    """Move a referral on (interviewed, offered, hired, rejected), guarded by the version the page showed."""
    service = services.placements()
    current = service.get(placement_id)  # a referral on another employer's vacancy: 404
    back = redirect(url_for("web.employer_vacancy", job_id=current.source["job_id"]) + "#referrals")
    form = MoveForm()
    if not form.validate_on_submit() or form.to.data not in EMPLOYER_MAY_SET:
        flash(_("This change is not possible."), "error")
        return back
    try:
        service.transition(placement_id, to=form.to.data, at=None, reason=None, etag=form.etag.data)
    except PreconditionFailed:
        flash(_("This referral was changed by someone else meanwhile. Check it and try again."), "error")
        return back
    except (Conflict, AppError) as error:
        if error.status >= 500:
            raise
        flash(_("This change is not possible."), "error")
        return back
    flash(_("Referral marked: %(status)s.", status=STATUS_LABELS[form.to.data]), "success")
    return back


# --- type-ahead ------------------------------------------------------------------------------------------------


def _typed() -> str:
    return (request.args.get("q") or "").strip()[:200]


@bp.route("/employer/suggest/occupations")
@login_required(roles=VIEWERS)
def employer_suggest_occupations() -> Any:
    """Occupations for what was typed, as the lookups service suggests them (diacritics optional)."""
    typed = _typed()
    items = autocoder().suggest(typed, size=SUGGESTIONS) if typed else []
    return jsonify({"items": [{"value": occupation_label(s.code), "code": s.code, "title_vi": s.title_vi,
                               "title_en": s.title_en, "matched": s.matched} for s in items]})


@bp.route("/employer/suggest/communes")
@login_required(roles=VIEWERS)
def employer_suggest_communes() -> Any:
    """Current communes for a place name of either generation, as the lookups service suggests them."""
    typed = _typed()
    items = suggest_communes(typed, size=SUGGESTIONS) if typed else []
    return jsonify({"items": [{"value": item["name"], "code": item["commune_code"], "matched": item["matched"]}
                              for item in items]})


@bp.app_template_global()
def employer_labels() -> dict[str, Any]:
    """Return the labels the employer's templates show for codes."""
    return {"contract": CONTRACT_LABELS, "training": TRAINING_LABELS, "accommodation": ACCOMMODATION_LABELS,
            "status": STATUS_LABELS, "move": MOVE_LABELS, "occupation": occupation_title, "commune": commune_name}

