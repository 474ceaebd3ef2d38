"""`jobmatch report --from/--to` stores every month of a range; the listings show them all, newest first."""

import pytest

from jobmatch.extensions import state
from tests.conftest import auth, isolated_app, issue_tokens


@pytest.fixture(scope="module")
def ranged(es, embedder):
    with isolated_app(es, embedder, "report-range") as (app, prefix):
        state(app).labour_force = {"total": 1000, "urban": 400, "rural": 600, "year": 2025, "source": "test"}
        yield app, prefix


def test_a_range_builds_every_month_once_and_the_listings_link_them(ranged, es):
    app, prefix = ranged
    runner = app.test_cli_runner()
    first = runner.invoke(args=["jobmatch", "report", "--from", "2025-12", "--to", "2026-01"])
    assert first.exit_code == 0, first.output
    lines = first.output.strip().splitlines()
    assert [line.split()[1] for line in lines] == ["2025-12", "2026-01"]  # one line per month, oldest first
    again = runner.invoke(args=["jobmatch", "report", "--from", "2025-12", "--to", "2026-01"])
    assert again.exit_code == 0, again.output
    es.indices.refresh(index=f"{prefix}reports")
    assert es.count(index=f"{prefix}reports")["count"] == 2  # built again: replaced, not added
    quick = runner.invoke(args=["jobmatch", "report", "--from", "2025-11", "--to", "2026-01", "--only-missing"])
    assert quick.exit_code == 0, quick.output
    assert [line.split()[2] for line in quick.output.strip().splitlines()] == ["stored:", "already", "already"]
    es.indices.refresh(index=f"{prefix}reports")
    es.delete(index=f"{prefix}reports", id="2025-11", refresh=True)  # back to the two months listed below

    client = app.test_client()
    listing = client.get("/api/v1/reports/monthly", headers=auth(issue_tokens(es, prefix)["analyst"])).get_json()
    assert listing["months"] == ["2026-01", "2025-12"]
    assert listing["reports"][0] == {"month": "2026-01", "json": "/api/v1/reports/monthly/2026-01",
                                     "page": "/reports/2026-01"}
    page = client.get("/reports/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert html.index('href="/reports/2026-01"') < html.index('href="/reports/2025-12"')
    assert client.get("/reports/2026-01").status_code == 200


def test_a_bad_range_is_refused_before_anything_is_built(ranged, es):
    app, prefix = ranged
    runner = app.test_cli_runner()
    backwards = runner.invoke(args=["jobmatch", "report", "--from", "2026-03", "--to", "2026-02"])
    assert backwards.exit_code == 2 and "must not be before 2026-03" in backwards.output
    mixed = runner.invoke(args=["jobmatch", "report", "--month", "2026-03", "--from", "2026-02"])
    assert mixed.exit_code == 2
    alone = runner.invoke(args=["jobmatch", "report", "--to", "2026-02"])
    assert alone.exit_code == 2
    es.indices.refresh(index=f"{prefix}reports")
    assert not es.exists(index=f"{prefix}reports", id="2026-03")
