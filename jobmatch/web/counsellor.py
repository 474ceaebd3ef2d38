"""The counsellors' pages (admins may open them too): today's work, the jobseeker register with search, and a
person's page with their matches, one-click referrals and the moves of their placements.

Views call the same services as the API (workers, jobs, matching, placements) with the signed-in user as the
caller (`jobmatch.web.auth.principal_for`), so every access rule is the service's own; reads of personal data
are noted for the audit log under the user's id, as the API notes them under a token's. Writes are form posts
with the CSRF token, answered by a redirect back to the page (post/redirect/get) with a message.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

from jobmatch.audit.http import note
from jobmatch.clock import local_today
from jobmatch.errors import AppError, Conflict, NotFound, PreconditionFailed
from jobmatch.extensions import state
from jobmatch.matching.service import MatchParams
from jobmatch.placements import lifecycle
from jobmatch.records.access import worker_view
from jobmatch.reference import occupations
from jobmatch.web import services
from jobmatch.web.auth import login_required
from jobmatch.web.render import page
from jobmatch.web.views import bp

COUNSELLORS = ("counsellor", "admin")
PAGE_SIZE = 20  # people per page of the register
HOME_SIZE = 8  # items per list on the home page
MATCHES = 10  # vacancies on a person's page
NEW_DAYS = 7  # "new" vacancies: posted within this many days
MAX_QUERY = 200  # the API's limit on `q`

PLACEMENT_STATUSES = {"proposed": _l("Proposed"), "referred": _l("Referred"), "interviewed": _l("Interviewed"),
                      "offered": _l("Offered a job"), "hired": _l("Hired"), "rejected": _l("Rejected"),
                      "withdrawn": _l("Withdrawn")}
MOVES = {"referred": _l("Send to the employer"), "interviewed": _l("Mark as interviewed"),
         "offered": _l("Mark as offered"), "hired": _l("Mark as hired"), "rejected": _l("Mark as rejected"),
         "withdrawn": _l("Mark as withdrawn")}
REASON_STATUSES = {"met": _l("Met"), "partly_met": _l("Partly met"), "not_met": _l("Not met")}
TRAINING_LEVELS = {"none": _l("No vocational training"), "so_cap": _l("Elementary vocational"),
                   "trung_cap": _l("Intermediate vocational"), "cao_dang": _l("College"),
                   "dai_hoc": _l("University"), "sau_dai_hoc": _l("Postgraduate")}
EMPLOYMENT_STATUSES = {"unemployed": _l("Unemployed"), "employed_looking": _l("Employed, looking for a job"),
                       "student": _l("Student"), "placed": _l("Placed in a job")}
# Hard constraints a referral may break (jobmatch.placements.service.BLOCKING), as a counsellor reads them.
BLOCKING_REASONS = {"vacancy_not_open": _l("the vacancy is not open"),
                    "person_not_available": _l("the person is not available or already placed"),
                    "certificate": _l("a required certificate is missing"),
                    "accommodation": _l("the workplace lacks an accommodation the person needs"),
                    "task_demand": _l("a task demand the person cannot meet")}
# What a counsellor's page shows of a person (the audit entry names these fields when they are filled in).
SHOWN_FIELDS = ("worker_id", "personal", "birth_year", "residence", "training_level", "skills", "certificates",
                "work_history", "desired_occupations", "employment_status", "registered_at", "registration_status",
                "disability", "closed_at")


class ReferForm(FlaskForm):
    """Refer the person to one vacancy (the one-click "Giới thiệu")."""

    job_id = HiddenField()


class MoveForm(FlaskForm):
    """Move a placement to its next status; `etag` is the version the page showed (someone else's change since
    then is refused, not overwritten). The target status comes from the button pressed."""

    etag = HiddenField()


# --- services, as the API builds them, for the signed-in user ------------------------------------------------


def _english() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "en"


def _bilingual(item: dict[str, Any]) -> str:
    """Return the reader's language of a {"vi", "en"} text (matching reasons)."""
    return str(item.get("en") if _english() else item.get("vi")) or ""


def occupation_title(code: str | None) -> str:
    """Return an occupation's title in the reader's language, or the code when it is unknown."""
    found = occupations().get(code or "")
    if found is None:
        return code or ""
    return found.title_en if _english() else found.label_vi


def _shown(source: dict[str, Any]) -> dict[str, Any]:
    """Return what the pages show of a person: the counsellor's view of the record, only the fields used."""
    view = worker_view(source, services.acting())
    return {key: view[key] for key in SHOWN_FIELDS if key in view}


def _person_row(source: dict[str, Any]) -> dict[str, Any]:
    """Return a register row: name, commune, wanted occupations, training level, registration day."""
    shown = _shown(source)
    return {"worker_id": shown.get("worker_id"), "name": (shown.get("personal") or {}).get("full_name") or "—",
            "commune": (shown.get("residence") or {}).get("commune") or "",
            "occupations": [occupation_title(c) for c in shown.get("desired_occupations") or []],
            "training": TRAINING_LEVELS.get(shown.get("training_level") or "", shown.get("training_level") or ""),
            "registered_at": shown.get("registered_at") or "", "view": shown}


def _note_people(action: str, rows: list[dict[str, Any]]) -> None:
    """Note for the audit log the people a page shows, with the personal fields it shows of them."""
    if rows:
        note(action, "workers", [row["worker_id"] for row in rows], views=[row["view"] for row in rows])


def _job_summary(source: dict[str, Any]) -> dict[str, Any]:
    workplace = source.get("workplace") or {}
    return {"job_id": source.get("job_id"), "title": source.get("title") or "", "status": source.get("status"),
            "occupation": occupation_title(source.get("occupation_code")),
            "commune": workplace.get("commune") or "", "posted_at": source.get("posted_at") or "",
            "openings": source.get("openings"), "salary_min": source.get("salary_min"),
            "salary_max": source.get("salary_max")}


def _conflict_message(error: AppError) -> str:
    """Return a refused referral or move as a counsellor reads it."""
    if error.code == "constraint_violated":
        found = [str(text) for key, text in BLOCKING_REASONS.items() if key in error.message]
        return _("This person cannot be referred to this vacancy: %(reasons)s.",
                 reasons="; ".join(found) or error.message)
    if error.code == "invalid_transition":
        return _("This move is not allowed from the placement's current status.")
    if "already ended" in error.message:
        return _("This person's referral to this vacancy has already ended.")
    return error.message


# --- pages ------------------------------------------------------------------------------------------------------


@bp.route("/counsellor")
@login_required(roles=COUNSELLORS)
def counsellor_home() -> Any:
    """Today's work: follow-ups due, vacancies posted in the last days, the people waiting longest."""
    app_state = state()
    today = local_today(app_state.tz)
    placements = services.placements()
    due = placements.list({"follow_up_due": today, "size": HOME_SIZE}).items
    workers = services.workers()
    follow_ups = []
    for stored in due:
        source = stored.source
        pending = [key for key, item in sorted((source.get("follow_ups") or {}).items())
                   if not item.get("recorded_at") and item.get("due", "9999") <= today.isoformat()]
        try:
            person = _person_row(workers.get(source["worker_id"]).source)
        except NotFound:  # closed or erased since: the follow-up is still due, without a name
            person = None
        follow_ups.append({"placement": source, "person": person,
                           "months": [lifecycle.FOLLOW_UP_MONTHS[key] for key in pending],
                           "due": min((source["follow_ups"][k]["due"] for k in pending), default="")})
    _note_people("list", [f["person"] for f in follow_ups if f["person"]])
    since = today - timedelta(days=NEW_DAYS)
    new_jobs = services.jobs().posted_since(since, HOME_SIZE)
    waiting_page = workers.waiting_longest(HOME_SIZE)
    waiting = [_person_row(stored.source) for stored in waiting_page.items]
    _note_people("list", waiting)
    return page("web/counsellor/home.html", follow_ups=follow_ups,
                new_jobs=[_job_summary(s.source) for s in new_jobs.items], new_total=new_jobs.total,
                new_days=NEW_DAYS, waiting=waiting, waiting_total=waiting_page.total)


@bp.route("/counsellor/jobseekers")
@login_required(roles=COUNSELLORS)
def counsellor_jobseekers() -> Any:
    """The register of jobseekers, searchable with or without diacritics, a page at a time."""
    query = (request.args.get("q") or "").strip()[:MAX_QUERY]
    cursor = request.args.get("cursor") or None
    result = services.workers().list({"q": query or None, "size": PAGE_SIZE, "cursor": cursor})
    rows = [_person_row(stored.source) for stored in result.items]
    _note_people("list", rows)
    return page("web/counsellor/jobseekers.html", query=query, rows=rows, total=result.total,
                next_cursor=result.next_cursor, paged=bool(cursor))


@bp.route("/counsellor/jobseekers/<worker_id>")
@login_required(roles=COUNSELLORS)
def counsellor_jobseeker(worker_id: str) -> Any:
    """A person: what a counsellor needs of their record, their best vacancies with reasons, their placements."""
    stored = services.workers().get(worker_id)
    person = _person_row(stored.source)
    note("read", "workers", [stored.id], views=[person["view"]])
    matches = []
    if not stored.source.get("closed_at"):
        for item in services.matcher().jobs_for_worker(worker_id, MatchParams(size=MATCHES))["items"]:
            reasons = [{"text": _bilingual(r), "status": r["status"],
                        "label": REASON_STATUSES.get(r["status"], r["status"])} for r in item["reasons"]]
            matches.append({**_job_summary(item["job"]), "score": item["score"], "distance_km": item["distance_km"],
                            "met": [r for r in reasons if r["status"] == "met"],
                            "unmet": [r for r in reasons if r["status"] != "met"],
                            "flags": [_bilingual(f) for f in item.get("flags") or []]})
    placements = _person_placements(worker_id)
    referred = {p["job_id"] for p in placements}
    return page("web/counsellor/jobseeker.html", person=person, view=person["view"], matches=matches,
                placements=placements, referred=referred, refer_form=ReferForm(), move_form=MoveForm(),
                training_levels=TRAINING_LEVELS, employment_statuses=EMPLOYMENT_STATUSES,
                occupation_title=occupation_title)


def _person_placements(worker_id: str) -> list[dict[str, Any]]:
    """Return a person's placements, newest first, with the vacancy's title and the moves allowed next."""
    service = services.placements()
    found = service.list({"worker_id": worker_id, "size": 100}).items
    jobs = services.jobs()
    rows = []
    for stored in found:
        source = stored.source
        try:
            job = _job_summary(jobs.get(source["job_id"]).source)
        except NotFound:
            job = {"job_id": source["job_id"], "title": source["job_id"]}
        status = source.get("status") or ""
        rows.append({"placement_id": stored.id, "job_id": source["job_id"], "job": job, "status": status,
                     "status_label": PLACEMENT_STATUSES.get(status, status), "etag": stored.etag,
                     "since": source.get(f"{status}_at") or source.get("updated_at") or "",
                     "moves": [(to, MOVES[to]) for to in lifecycle.NEXT.get(status, ())]})
    return rows


@bp.route("/counsellor/jobseekers/<worker_id>/referrals", methods=["POST"])
@login_required(roles=COUNSELLORS)
def counsellor_refer(worker_id: str) -> Any:
    """Refer the person to a vacancy; referring the same pair again shows the referral already made."""
    form = ReferForm()
    back = url_for("web.counsellor_jobseeker", worker_id=worker_id) + "#placements"
    if not form.validate_on_submit() or not form.job_id.data:
        flash(_("Choose a vacancy to refer the person to."), "error")
        return redirect(back)
    try:
        stored, created = services.placements().create({"job_id": form.job_id.data, "worker_id": worker_id,
                                                "status": "referred", "reason": None, "session_id": None,
                                                "at": None})
    except Conflict as error:
        flash(_conflict_message(error), "error")
        return redirect(back)
    status = PLACEMENT_STATUSES.get(stored.source.get("status") or "", stored.source.get("status"))
    flash(_("Referral made.") if created else
          _("This person was already referred to this vacancy (status: %(status)s).", status=status),
          "success" if created else "info")
    return redirect(back)


@bp.route("/counsellor/placements/<placement_id>/moves", methods=["POST"])
@login_required(roles=COUNSELLORS)
def counsellor_move(placement_id: str) -> Any:
    """Move a placement to the status of the button pressed, if the life cycle allows it and nobody changed the
    placement since the page was shown."""
    form = MoveForm()
    service = services.placements()
    placement = service.get(placement_id)
    back = url_for("web.counsellor_jobseeker", worker_id=placement.source["worker_id"]) + "#placements"
    target = request.form.get("to") or ""
    if not form.validate_on_submit() or target not in lifecycle.STATUSES:
        flash(_("Choose the placement's new status."), "error")
        return redirect(back)
    try:
        moved = service.transition(placement_id, to=target, at=None, reason=None, etag=form.etag.data or None)
    except PreconditionFailed:
        flash(_("Someone else changed this placement meanwhile. Check its status and try again."), "error")
        return redirect(back)
    except Conflict as error:
        flash(_conflict_message(error), "error")
        return redirect(back)
    status = moved.source.get("status") or ""
    flash(_("Placement moved to “%(status)s”.", status=PLACEMENT_STATUSES.get(status, status)), "success")
    return redirect(back)
