"""Official figures through the API and the CLI on the real node: entered with a source, replaced on re-entry."""

from __future__ import annotations

import pytest

from jobmatch.figures.service import FigureStore
from tests.conftest import auth, isolated_app, issue_tokens


@pytest.fixture(scope="module")
def figures_app(es, embedder):
    with isolated_app(es, embedder, "figures") as (app, prefix):
        yield app, prefix, issue_tokens(es, prefix)


def test_analysts_enter_a_figure_with_its_source_and_entering_again_replaces_it(figures_app, es):
    app, prefix, tokens = figures_app
    client = app.test_client()
    url = "/api/v1/figures/unemployment_rate/2025"
    body = {"value": 0.021, "source": "GSO, Điều tra lao động việc làm 2025, bảng 2.1", "as_of": "2025-12-31"}
    first = client.put(url, json=body, headers=auth(tokens["analyst"]))
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["value"] == 0.021 and first.get_json()["area_code"] == "province"
    again = client.put(url, json={**body, "value": 0.023}, headers=auth(tokens["analyst"]))
    assert again.status_code == 200
    listed = client.get("/api/v1/figures?key=unemployment_rate", headers=auth(tokens["counsellor"])).get_json()
    assert [(f["year"], f["value"]) for f in listed["items"]] == [(2025, 0.023)]  # one figure, replaced
    assert "social_insurance_coverage" in listed["known"]
    assert FigureStore(es, prefix).latest(2026)["unemployment_rate"]["source"].startswith("GSO")


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/api/v1/figures/unemployment_rate/2025", {"value": 2.7, "source": "GSO"}, "value"),
    ("/api/v1/figures/unemployment_rate/2025", {"value": 0.02}, "source"),
    ("/api/v1/figures/happiness_index/2025", {"value": 0.5, "source": "x"}, "key"),
])
def test_bad_figures_name_the_field(figures_app, url, body, field):
    app, _, tokens = figures_app
    response = app.test_client().put(url, json=body, headers=auth(tokens["analyst"]))
    assert response.status_code == 422, response.get_json()
    assert any(field in names for names in response.get_json()["errors"].values())


def test_only_analysts_and_admins_enter_figures(figures_app):
    app, _, tokens = figures_app
    for role in ("counsellor", "employer"):
        response = app.test_client().put("/api/v1/figures/unemployment_rate/2024", json={"value": 0.02, "source": "x"},
                                         headers=auth(tokens[role]))
        assert response.status_code == 403, role


def test_the_cli_enters_a_figure(figures_app, es):
    app, prefix, _ = figures_app
    result = app.test_cli_runner().invoke(args=["jobmatch", "figures", "set", "social_insurance_coverage", "0.31",
                                                "--year", "2025", "--source", "BHXH tỉnh, báo cáo 2025"])
    assert result.exit_code == 0, result.output
    assert "social_insurance_coverage 2025: 0.3100" in result.output
    assert FigureStore(es, prefix).get("social_insurance_coverage", 2025)["entered_by"] == "cli"
