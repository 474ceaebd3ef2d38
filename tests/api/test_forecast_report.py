"""The monthly report's forecast section, built on the real node from nine months of records of its own prefix.

Dataset (MIN_CELL_SIZE=1 so that the figures show): from 2026-03 to 2026-11, month i (0..8) has i // 2 + 1
vacancies of occupation 8153 (major group 8) and 2 jobseekers wanting 8153; a draft vacancy in November does not
count. Nine months is under a year: the benchmark is the naive forecast, with 6 months of training before the
first backtest origin (origins 2026-09, -10, -11: 3 + 2 + 1 = 6 scored forecasts).
"""

from __future__ import annotations

import csv
import io

import pytest

from jobmatch.extensions import state
from tests import factories
from tests.conftest import auth, isolated_app, issue_tokens

MONTHS = ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
WARD = "31498"


@pytest.fixture(scope="module")
def forecast_app(es, embedder):
    with isolated_app(es, embedder, "forecast") as (app, prefix):
        state(app).settings["MIN_CELL_SIZE"] = 1
        tokens = issue_tokens(es, prefix)
        client = app.test_client()
        headers = auth(tokens["counsellor"])

        def post(url, body):
            response = client.post(url, json=body, headers=headers)
            assert response.status_code in (200, 201), (url, response.get_json())
            return response.get_json()

        employer = post("/api/v1/employers", factories.employer())["employer_id"]
        common = {"certificates": [], "min_training_level": "none", "physical_demands": {}, "accommodations": [],
                  "optional_skills": [], "workplace": {"legacy_ward_code": WARD}, "occupation_code": "8153",
                  "title": "Công nhân may", "essential_skills": ["may"]}
        for i, month in enumerate(MONTHS):
            for n in range(i // 2 + 1):
                post("/api/v1/jobs", factories.job(employer, posted_at=f"{month}-{n + 5:02d}", **common))
            for n in range(2):
                post("/api/v1/workers", factories.worker(registered_at=f"{month}-{n + 10:02d}", max_commute_km=50,
                                                         certificates=[], residence={"legacy_ward_code": WARD}))
        post("/api/v1/jobs", factories.job(employer, posted_at="2026-11-20", status="draft", **common))
        built = app.test_cli_runner().invoke(args=["jobmatch", "report", "--month", "2026-11"])
        assert built.exit_code == 0, built.output
        yield app, auth(tokens["analyst"])


def test_the_report_forecasts_three_months_with_a_backtest(forecast_app):
    app, analyst = forecast_app
    report = app.test_client().get("/api/v1/reports/monthly/2026-11", headers=analyst).get_json()
    section = report["forecast"]
    assert section["months"] == ["2026-12", "2027-01", "2027-02"]
    assert section["history"] == {"from": "2026-03", "to": "2026-11", "months": 9}
    rows = {(r["kind"], r["group"]): r for r in section["series"]}
    assert set(rows) == {("new_vacancies", "total"), ("new_vacancies", "8"), ("new_jobseekers", "total"),
                         ("new_jobseekers", "8")}
    for row in rows.values():
        assert len(row["values"]) == 3 and None not in row["values"] and not row["withheld"]
        assert row["benchmark"] == "naive" and row["backtest_forecasts"] == 6
        assert row["mase"] is not None and row["benchmark_mase"] is not None and row["mape"] is not None
        assert row["mase"] <= row["benchmark_mase"]  # the chosen method is the best scored, the naive included
    jobs = rows[("new_vacancies", "total")]
    assert jobs["values"][0] >= 5  # rising 1,1,2,2,3,3,4,4,5 (the November draft left out)
    assert rows[("new_jobseekers", "8")]["values"] == [2, 2, 2]
    assert rows[("new_vacancies", "8")]["label_en"] and rows[("new_vacancies", "8")]["label_vi"]
    balance = {b["group"]: b for b in section["balance"]}
    assert balance["8"]["demand"] == sum(rows[("new_vacancies", "8")]["values"]) and balance["8"]["supply"] == 6
    assert balance["8"]["status"] in ("shortage", "balanced")


def test_the_forecast_is_in_the_csv_and_the_page(forecast_app):
    app, analyst = forecast_app
    client = app.test_client()
    text = client.get("/api/v1/reports/monthly/2026-11", query_string={"format": "csv"}, headers=analyst).get_data(
        as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    forecasts = [r for r in rows if r["section"] == "forecast"]
    assert len(forecasts) == 4 * 3 and {r["key"] for r in forecasts} >= {"new_vacancies/total/2026-12"}
    assert all("MASE" in r["definition"] for r in forecasts)
    assert [r["key"] for r in rows if r["section"] == "forecast_balance"] == ["8"]
    html = client.get("/reports/2026-11").get_data(as_text=True)
    assert "Forecast, next 3 months" in html and "2027-02" in html and "MASE" in html
