"""Local dates and times: the calendar day of the province (TIMEZONE), not the server's UTC day.

Convention for stored times (docs in README, "Dates and times"):

* business dates (`registered_at`, `posted_at`, ...) are the local calendar date in TIMEZONE;
* business times (placement event `at`, `reopened_at`, `closed_at`) are local time with its offset (+07:00);
* bookkeeping times (`created_at`, `updated_at`, `recorded_at`, `generated_at`, audit and token times) stay UTC
  with its offset (+00:00): they order writes, not business events, and every one of them carries its offset.

Services take the zone as an argument (no Flask here), so scripts and tests choose it explicitly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo


def local_date(instant: datetime, tz: tzinfo) -> date:
    """Return the calendar date in `tz` at `instant` (an aware datetime; a naive one is taken as UTC)."""
    aware = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    return aware.astimezone(tz).date()


def local_today(tz: tzinfo, now: datetime | None = None) -> date:
    """Return today's date in `tz` (at `now` when given, for tests)."""
    return local_date(now or datetime.now(UTC), tz)


def local_now_iso(tz: tzinfo, now: datetime | None = None) -> str:
    """Return the current time in `tz`, ISO 8601 with its offset, to the millisecond."""
    aware = now or datetime.now(UTC)
    aware = aware if aware.tzinfo else aware.replace(tzinfo=UTC)
    return aware.astimezone(tz).isoformat(timespec="milliseconds")
