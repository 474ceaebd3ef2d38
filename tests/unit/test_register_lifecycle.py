"""The pure lifecycle rules: when a vacancy has expired, when a registration has lapsed, what each records."""

from datetime import date

from jobmatch.records import lifecycle

TODAY = date(2026, 11, 23)


def test_a_vacancy_is_open_through_its_expiry_day_and_expired_the_day_after():
    job = {"status": "open", "expires_at": "2026-11-22"}
    assert lifecycle.vacancy_expiry(job, TODAY) == date(2026, 11, 22)
    assert lifecycle.vacancy_expiry({**job, "expires_at": "2026-11-23"}, TODAY) is None
    assert lifecycle.vacancy_expiry({"status": "open"}, TODAY) is None  # no expiry: stays open
    for other in ({**job, "status": "filled"}, {**job, "status": "draft"}, {**job, "closed_at": "2026-10-01"}):
        assert lifecycle.vacancy_expiry(other, TODAY) is None


def test_an_expired_vacancy_is_closed_on_its_expiry_date_not_on_the_read_or_sweep_day():
    read = lifecycle.as_read({"job_id": "j", "status": "open", "expires_at": "2026-06-30"}, TODAY)
    assert (read["status"], read["closed_at"], read["closed_by"]) == ("expired", "2026-06-30", "system:lifecycle")
    assert read["close_reason"].startswith("expired")
    still_open = {"job_id": "j", "status": "open", "expires_at": "2026-12-31"}
    assert lifecycle.as_read(still_open, TODAY) == still_open


def test_last_contact_is_the_latest_of_contact_registration_and_hire():
    assert lifecycle.last_contact({"registered_at": "2026-01-05"}) == date(2026, 1, 5)
    assert lifecycle.last_contact({"registered_at": "2026-01-05", "last_contact_at": "2026-03-01",
                                   "placed_at": "2026-02-01"}) == date(2026, 3, 1)
    assert lifecycle.last_contact({}) is None


def test_a_registration_lapses_lapse_days_after_the_last_contact():
    person = {"registered_at": "2026-01-05", "employment_status": "unemployed"}
    assert lifecycle.lapse_date(person, TODAY, 180) == date(2026, 7, 4)
    assert lifecycle.lapse_date(person, date(2026, 7, 3), 180) is None
    assert lifecycle.lapse_date({**person, "last_contact_at": "2026-11-01"}, TODAY, 180) is None
    for exempt in ({**person, "employment_status": "placed"}, {**person, "closed_at": "2026-02-01"},
                   {**person, "registration_status": "inactive"}):
        assert lifecycle.lapse_date(exempt, TODAY, 180) is None


def test_lapse_and_reactivation_keep_both_dates():
    person = {"registered_at": "2026-01-05"}
    lapsed = {**person, **lifecycle.lapsed_fields(person, date(2026, 7, 4), 180)}
    assert (lapsed["registration_status"], lapsed["lapsed_at"]) == ("inactive", "2026-07-04")
    assert lapsed["lapse_reason"] == "lapsed: no contact for 180 days"
    assert lapsed["inactive_periods"] == [{"gte": "2026-07-04"}]
    back = {**lapsed, **lifecycle.reactivated_fields(lapsed, TODAY, "came back for a job fair", "tok-1")}
    assert (back["registration_status"], back["lapsed_at"], back["last_contact_at"]) == ("active", None, "2026-11-23")
    assert back["inactive_periods"] == [{"gte": "2026-07-04", "lt": "2026-11-23"}]
    assert [(e["at"], e["from"], e["to"], e["by"]) for e in back["status_history"]] == [
        ("2026-07-04", "active", "inactive", "system:lifecycle"), ("2026-11-23", "inactive", "active", "tok-1")]
    assert lifecycle.lapse_date(back, TODAY, 180) is None  # the reactivation is a contact


def test_reactivated_on_the_day_it_lapsed_leaves_no_empty_period():
    lapsed = lifecycle.lapsed_fields({}, TODAY, 180)
    assert lifecycle.reactivated_fields(lapsed, TODAY, "phoned", None)["inactive_periods"] == []
