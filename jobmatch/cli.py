"""`flask --app wsgi jobmatch ...`: tokens, start-up checks and the index commands from `indexer`."""

from __future__ import annotations

import json
import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo

from config.labour_market import FIGURES
from indexer.cli import IndexerContext, make_indices_group
from indexer.mappings import ModelInfo
from indexer.pipeline import ImportInterrupted
from jobmatch import demo
from jobmatch.accounts.passwords import password_problems
from jobmatch.accounts.service import AccountService, LoginLimits, User
from jobmatch.audit.log import AuditLog
from jobmatch.auth.tokens import ROLES, Principal, TokenStore
from jobmatch.clock import local_today
from jobmatch.errors import AppError, StartupError
from jobmatch.extensions import state
from jobmatch.figures.service import FigureStore
from jobmatch.imports import import_file
from jobmatch.metrics.disclosure import MARKER
from jobmatch.placements import history as placement_history
from jobmatch.placements.service import PlacementService
from jobmatch.records.refresh import transform_for
from jobmatch.records.service import record_id
from jobmatch.reports.build import generate, is_current
from jobmatch.reports.scheduler import previous_month
from jobmatch.reports.store import ReportStore, month_range
from jobmatch.startup import verify_indices

jobmatch_cli = AppGroup("jobmatch", help="jobmatch administration.")


def _store() -> TokenStore:
    app_state = state()
    return TokenStore(app_state.es, app_state.prefix)


@jobmatch_cli.command("create-token")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--employer-id", default=None, help="Required for --role employer: the employer it acts for.")
@click.option("--label", default="", help="Who or what the token is for (no personal data).")
def create_token(role: str, employer_id: str | None, label: str) -> None:
    """Issue a token and print it once; only its hash is stored."""
    try:
        token, record = _store().issue(role=role, employer_id=employer_id, label=label)
    except AppError as exc:
        raise click.ClickException(f"{exc.message}: {exc.errors}") from exc
    click.echo(token)
    click.echo(f"token_id={record['token_id']} role={role}", err=True)


@jobmatch_cli.command("revoke-token")
@click.argument("token_id")
def revoke_token(token_id: str) -> None:
    """Revoke a token by its public id."""
    try:
        record = _store().revoke(token_id)
    except AppError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"revoked {token_id} at {record['revoked_at']}")


@jobmatch_cli.command("ensure-token-file")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--role", type=click.Choice(ROLES), default="admin")
def ensure_token_file(path: Path, role: str) -> None:
    """Keep a working token in PATH (mode 600) for local development; create one only when needed."""
    store = _store()
    if path.exists() and store.authenticate(path.read_text().strip()):
        click.echo(f"{path}: token still valid")
        return
    token, _ = store.create(role=role, label=f"local {role} ({path.name})")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(token + "\n")
    click.echo(f"{path}: new {role} token written")


@jobmatch_cli.command("check")
def check() -> None:
    """Run the start-up checks (index models against EMBEDDING_MODEL) and report."""
    try:
        verify_indices(current_app.config)
    except StartupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("start-up checks passed")


@jobmatch_cli.command("import")
@click.argument("kind", type=click.Choice(["employers", "jobs", "workers"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write rejected rows (default: PATH.rejects.jsonl).")
@click.option("--batch-size", type=click.IntRange(1, 5000), default=256, show_default=True)
def import_command(kind: str, path: Path, rejects: Path | None, batch_size: int) -> None:
    """Import employers, jobs or workers from a CSV or JSON Lines file (idempotent by external_id)."""
    app_state = state()
    try:
        stats = import_file(path, kind, es=app_state.es, prefix=app_state.prefix, embedder=app_state.embedder,
                            rejects_path=rejects, batch_size=batch_size, tz=app_state.tz)
    except ImportInterrupted as exc:
        click.echo(json.dumps(exc.stats.as_dict(), ensure_ascii=False))
        raise click.ClickException(
            f"Elasticsearch stopped answering ({type(exc.cause).__name__}) after {exc.stats.read} rows read; "
            f"nothing stored is lost. Re-run the same command to resume: rows already imported are skipped as "
            f"unchanged.") from exc
    click.echo(json.dumps(stats.as_dict(), ensure_ascii=False))
    for record in stats.first_rejects:
        click.echo(f"rejected row {record['row']}: {json.dumps(record['reasons'], ensure_ascii=False)}", err=True)


@jobmatch_cli.command("demo")
@click.option("--employers", "employers_count", type=click.IntRange(1), default=200, show_default=True)
@click.option("--jobs", "jobs_count", type=click.IntRange(1), default=1000, show_default=True)
@click.option("--workers", "workers_count", type=click.IntRange(1), default=5000, show_default=True)
@click.option("--seed", type=int, default=2030, show_default=True)
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("var/demo"),
              show_default=True)
def demo_command(employers_count: int, jobs_count: int, workers_count: int, seed: int, directory: Path) -> None:
    """Generate the Sóc Trăng demo registers and import them (skipped when already loaded)."""
    app_state = state()
    wanted = {"employers": employers_count, "jobs": jobs_count, "workers": workers_count}
    marker = directory / "loaded.json"
    signature = {"seed": seed, "prefix": app_state.prefix, "history": 1, **wanted}
    if marker.exists() and json.loads(marker.read_text()) == signature and all(
            app_state.es.count(index=f"{app_state.prefix}{kind}", query={"term": {"source": demo.SOURCE}})["count"]
            >= count for kind, count in wanted.items()):
        click.echo(f"demo data already loaded ({marker})")
        _settle_demo(app_state)
        return
    today = local_today(app_state.tz)
    paths = demo.generate(directory, employers_count=employers_count, jobs_count=jobs_count,
                          workers_count=workers_count, seed=seed, today=today)
    for kind in demo.iter_kinds():
        stats = import_file(paths[kind], kind, es=app_state.es, prefix=app_state.prefix,
                            embedder=app_state.embedder, tz=app_state.tz)
        click.echo(f"{kind}: {json.dumps(stats.as_dict(), ensure_ascii=False)}")
        if stats.rejected:
            raise click.ClickException(f"{stats.rejected} demo {kind} rejected; see {stats.rejects_file}")
    history = placement_history.write(app_state.es, app_state.prefix, today=today, seed=seed)
    click.echo(f"history: {json.dumps(history)}")
    _settle_demo(app_state)
    marker.write_text(json.dumps(signature))


def _settle_demo(app_state: Any) -> None:
    """Expire and lapse demo records by the register lifecycle as of today (idempotent: also on a reload)."""
    changed = demo.settle(app_state.es, app_state.prefix, today=local_today(app_state.tz),
                          lapse_days=int(app_state.settings["JOBSEEKER_LAPSE_DAYS"]))
    click.echo(f"lifecycle: {json.dumps(changed)}")


def _report_months(month: str | None, first: str | None, last: str | None, demo_span: bool) -> list[str]:
    """Return the months a `report` run builds, from its options (see report_command)."""
    if month and (first or last or demo_span):
        raise click.UsageError("--month builds one month: leave out --from, --to and --demo-span")
    if first and demo_span:
        raise click.UsageError("--demo-span sets the first month: leave out --from")
    if last and not (first or demo_span):
        raise click.UsageError("--to needs --from (or --demo-span)")
    today = local_today(state().tz)
    previous = previous_month(today)
    if not (first or demo_span):
        return [month or previous]
    start = demo.first_month(today) if demo_span else first
    try:
        return month_range(str(start), last or previous)
    except AppError as exc:
        raise click.UsageError(f"{exc.message}: {json.dumps(exc.errors, ensure_ascii=False)}") from exc


@jobmatch_cli.command("report")
@click.option("--month", default=None, help="YYYY-MM; default: the previous month (local time).")
@click.option("--from", "first", default=None, help="YYYY-MM: build every month from this one to --to.")
@click.option("--to", "last", default=None, help="YYYY-MM, with --from; default: the previous month.")
@click.option("--demo-span", is_flag=True, help="From the first month of the demo data (18 months back).")
@click.option("--only-missing", is_flag=True,
              help="Skip months whose stored report is current (a quick re-run); older ones are rebuilt.")
def report_command(month: str | None, first: str | None, last: str | None, demo_span: bool,
                   only_missing: bool) -> None:
    """Build (or rebuild, replacing it) the monthly labour-market report of one month, or of every month in a
    range (oldest first, one line each), and store it; building a month again replaces it."""
    app_state = state()
    tz = str(app_state.settings["TIMEZONE"])
    k = int(app_state.settings["MIN_CELL_SIZE"])
    stored = {m for m, (fmt, built_k) in ReportStore(app_state.es, app_state.prefix).built_with().items()
              if is_current(fmt, built_k, k)} if only_missing else set()
    for one in _report_months(month, first, last, demo_span):
        if one in stored:
            click.echo(f"report {one} already stored (skipped); page /reports/{one}")
            continue
        try:
            report = generate(es=app_state.es, prefix=app_state.prefix, tz=tz, labour_force=app_state.labour_force,
                              month=one, actor="cli", min_cell_size=int(app_state.settings["MIN_CELL_SIZE"]))
        except AppError as exc:
            raise click.ClickException(f"{exc.message}: {json.dumps(exc.errors, ensure_ascii=False)}") from exc
        row = next(i for i in report["indicators"] if i["key"] == "placements")
        placements = MARKER if "value" in row["suppressed"] else row["value"]  # the terminal shows what readers see
        click.echo(f"report {one} stored: {placements} placements; JSON /api/v1/reports/monthly/{one}, "
                   f"page /reports/{one}")


@jobmatch_cli.group("placements")
def placements_group() -> None:
    """Referrals and placements."""


@placements_group.command("repair")
def repair_placements() -> None:
    """Apply every hire whose consequences (person placed, opening filled) were not recorded."""
    app_state = state()
    service = PlacementService(es=app_state.es, prefix=app_state.prefix, principal=Principal("cli", "admin"),
                               tz=app_state.tz)
    click.echo(f"{service.repair()} placements repaired")


@jobmatch_cli.group("figures")
def figures_group() -> None:
    """Official figures (survey, administrative) the 2030 targets are judged on."""


@figures_group.command("set")
@click.argument("key", type=click.Choice(sorted(FIGURES)))
@click.argument("value", type=click.FloatRange(0, 1))
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="The year the figure is for.")
@click.option("--source", required=True, help="Publication, table or agency it comes from.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Reference date.")
@click.option("--note", default=None)
def set_figure(key: str, value: float, year: int, source: str, as_of: datetime | None, note: str | None) -> None:
    """Enter a figure, e.g. `figures set unemployment_rate 0.021 --year 2025 --source "GSO LFS 2025"`."""
    app_state = state()
    doc = FigureStore(app_state.es, app_state.prefix).set(key=key, year=year, value=value, source=source,
                                                          as_of=as_of.date() if as_of else None, note=note,
                                                          actor="cli")
    click.echo(f"{key} {year}: {doc['value']:.4f} ({doc['source']}, as of {doc['as_of']}) stored")


@jobmatch_cli.group("audit")
def audit_group() -> None:
    """The audit log of accesses to personal data."""


@audit_group.command("purge")
def purge_audit() -> None:
    """Delete audit entries older than AUDIT_RETENTION_DAYS (the scheduler does this daily)."""
    app_state = state()
    days = app_state.settings["AUDIT_RETENTION_DAYS"]
    click.echo(f"{AuditLog(app_state.es, app_state.prefix).purge(days)} audit entries older than {days} days deleted")


def _indexer_context() -> IndexerContext:
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    app_state = state(app)
    embedder = app_state.embedder
    return IndexerContext(es=app_state.es, prefix=app_state.prefix, model_name=embedder.name,
                          model_info=lambda: ModelInfo(embedder.name, embedder.dimension),
                          embed=embedder.embed_documents, transform=transform_for(embedder))


jobmatch_cli.add_command(make_indices_group(_indexer_context))


def _accounts() -> AccountService:
    app_state = state()
    return AccountService(app_state.es, app_state.prefix, app_state.tz,
                          limits=LoginLimits.from_settings(app_state.settings))


def _app_error(exc: AppError) -> click.ClickException:
    """Return the terminal form of a service error: its message and, for bad input, the fields' problems."""
    detail = f": {json.dumps(exc.errors, ensure_ascii=False)}" if exc.errors else ""
    return click.ClickException(exc.message + detail)


def _password(path: Path | None) -> str:
    """Return the password from the first line of PATH, or ask for it twice without echoing it."""
    if path is not None:
        lines = path.read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""  # only the line end goes: spaces may belong to the password
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


def _user_named(service: AccountService, username: str) -> User:
    user = service.find(username)
    if user is None:
        raise click.ClickException(f"no user {username}")
    return user


password_file_option = click.option(
    "--password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
    help="Read the password from the first line of this file instead of asking for it.")


@jobmatch_cli.group("users")
def users_group() -> None:
    """People who sign in to the web application (API tokens stay for machines)."""


@users_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--employer-id", default=None, help="Required for --role employer: the employer the user acts for.")
@click.option("--display-name", default=None, help="The name shown in the web application.")
@password_file_option
def create_user(username: str, role: str, employer_id: str | None, display_name: str | None,
                password_file: Path | None) -> None:
    """Create a user; the password is read from --password-file or asked for twice."""
    try:
        user = _accounts().create(username, _password(password_file), role, employer_id=employer_id,
                                  display_name=display_name, actor="cli")
    except AppError as exc:
        raise _app_error(exc) from exc
    click.echo(f"user {user.username} created: user_id={user.user_id} role={user.role}")


@users_group.command("reset-password")
@click.argument("username")
@password_file_option
def reset_password(username: str, password_file: Path | None) -> None:
    """Set a user's password (and lift the throttling of failed sign-ins for the username)."""
    service = _accounts()
    user = _user_named(service, username)
    try:
        service.set_password(user.user_id, _password(password_file), actor="cli")
    except AppError as exc:
        raise _app_error(exc) from exc
    click.echo(f"password of {user.username} changed")


@users_group.command("list")
def list_users() -> None:
    """List the users, one a line, tab-separated (never a password hash)."""
    click.echo("username\trole\temployer_id\tactive\tuser_id\tdisplay_name")
    for user in _accounts().list_users():
        click.echo("\t".join([user.username, user.role, user.employer_id or "-", "yes" if user.active else "no",
                              user.user_id, user.display_name or "-"]))


@users_group.command("deactivate")
@click.argument("username")
def deactivate_user(username: str) -> None:
    """Deactivate a user: they can no longer sign in (idempotent)."""
    service = _accounts()
    user = service.set_active(_user_named(service, username).user_id, False, actor="cli")
    click.echo(f"user {user.username} is deactivated")


# One demo user per role; the employer one acts for the first demo employer (external id DN00000, jobmatch.demo).
DEMO_USERS = (("admin", "demo.admin", "Quản trị viên (demo)"), ("counsellor", "demo.counsellor", "Tư vấn viên (demo)"),
              ("employer", "demo.employer", "Doanh nghiệp (demo)"), ("analyst", "demo.analyst", "Phân tích (demo)"))
DEMO_EMPLOYER_EXTERNAL_ID = "DN00000"


def _demo_passwords(path: Path) -> dict[str, str]:
    """Return username -> password from a file `users ensure-demo` wrote (role, username, password a line)."""
    known = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and not line.startswith("#"):
            known[parts[1]] = parts[2]
    return known


def _new_password(username: str) -> str:
    while True:
        password = secrets.token_urlsafe(15)
        if not password_problems(password, username):
            return password


@users_group.command("ensure-demo")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def ensure_demo_users(path: Path) -> None:
    """Keep one demo user per role, with their passwords in PATH (mode 600), for local development: creates
    missing users, gives a new password to those PATH does not list, and changes nothing when all are there."""
    service = _accounts()
    known = _demo_passwords(path) if path.exists() else {}
    rows, changed = [], []
    for role, username, display_name in DEMO_USERS:
        user, password = service.find(username), known.get(username)
        try:
            if user is None:
                password = _new_password(username)
                employer_id = record_id("emp", DEMO_EMPLOYER_EXTERNAL_ID, demo.SOURCE) if role == "employer" else None
                service.create(username, password, role, employer_id=employer_id, display_name=display_name,
                               actor="cli")
                changed.append(f"{username} created")
            elif password is None:
                password = _new_password(username)
                service.set_password(user.user_id, password, actor="cli")
                changed.append(f"{username} given a new password")
        except AppError as exc:
            hint = " (load the demo data first: flask --app wsgi jobmatch demo)" if role == "employer" else ""
            raise click.ClickException(f"{exc.message}: {json.dumps(exc.errors, ensure_ascii=False)}{hint}") from exc
        rows.append(f"{role}\t{username}\t{password}\n")
    if not changed and path.exists():
        click.echo(f"{path}: demo users unchanged")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # the mode of os.open only applies to a new file; an older one may have been readable
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# jobmatch demo users (local development only): role, username, password; tab-separated\n")
        handle.writelines(rows)
    click.echo(f"{path}: demo users written ({'; '.join(changed) or 'file rewritten'})")
