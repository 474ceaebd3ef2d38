"""The public report pages (/reports/ and /reports/<month>) in Chromium: navigation, charts, keyboard, the phone
width, print, and axe's WCAG 2.1 A/AA rules.

Dataset (MIN_CELL_SIZE=1 so that small figures show instead of being hidden): one employer; in each month from
2026-09 to 2026-11 one vacancy of occupation 8153 and two jobseekers wanting 8153. Reports are built for 2026-10
and 2026-11, so the index lists two months, newest first.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from jobmatch.extensions import state
from tests import factories
from tests.browser.conftest import VIEWPORTS, assert_accessible, shot
from tests.conftest import auth, issue_tokens

MONTHS = ["2026-09", "2026-10", "2026-11"]
REPORTED = ["2026-11", "2026-10"]  # newest first, as the index lists them
MONTH = REPORTED[0]
WARD = "31498"
PAGES = ["/reports/", f"/reports/{MONTH}"]


@pytest.fixture(scope="module", autouse=True)
def reports(live_server, es, tmp_path_factory):
    """Records of three months and the reports of the last two, stored through the app itself.

    The vacancies and jobseekers go in with `jobmatch import` (one bulk request and one refresh per file): posted
    one by one through the API each write waits for a refresh, about a second apiece.
    """
    app = live_server.app
    state(app).settings["MIN_CELL_SIZE"] = 1
    headers = auth(issue_tokens(es, live_server.prefix)["counsellor"])
    created = app.test_client().post("/api/v1/employers", json=factories.employer(), headers=headers)
    assert created.status_code == 201, created.get_json()
    employer = created.get_json()["employer_id"]
    rows = {"jobs": [factories.job(employer, external_id=f"browser-job-{month}", posted_at=f"{month}-05",
                                   occupation_code="8153", title="Công nhân may", workplace={"legacy_ward_code": WARD})
                     for month in MONTHS],
            "workers": [factories.worker(external_id=f"browser-worker-{month}-{day}", registered_at=f"{month}-{day}",
                                         max_commute_km=50, residence={"legacy_ward_code": WARD})
                        for month in MONTHS for day in (10, 11)]}
    folder = tmp_path_factory.mktemp("browser-records")
    runner = app.test_cli_runner()
    for kind, records in rows.items():
        path = folder / f"{kind}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        imported = runner.invoke(args=["jobmatch", "import", kind, str(path)])
        assert imported.exit_code == 0 and '"rejected": 0' in imported.output, imported.output
    built = runner.invoke(args=["jobmatch", "report", "--from", REPORTED[-1], "--to", MONTH])
    assert built.exit_code == 0, built.output
    es.indices.refresh(index=f"{live_server.prefix}reports")
    return REPORTED


def open_ok(page: Page, path: str) -> Page:
    """Go to `path` and check the answer is a 200 HTML page."""
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    assert response.headers["content-type"].startswith("text/html")
    return page


def test_the_index_lists_the_reports_newest_first_and_a_click_opens_the_month(desktop, live_server):
    open_ok(desktop, "/reports/")
    links = desktop.locator("main a, body a").filter(has_text="Tháng")
    expect(links).to_have_text([f"Tháng {m}" for m in REPORTED])
    shot(desktop, "reports-index")
    desktop.get_by_role("link", name=f"Tháng {MONTH}").click()
    expect(desktop).to_have_url(live_server(f"/reports/{MONTH}"))
    expect(desktop.get_by_role("heading", level=1)).to_contain_text(f"tháng {MONTH}")


def test_the_month_page_has_titled_charts(desktop):
    open_ok(desktop, f"/reports/{MONTH}")
    charts = desktop.locator("svg[role=img].trend")
    assert charts.count() >= 11  # one per trend indicator (TREND_KEYS), plus the forecast's
    for i in range(charts.count()):
        chart = charts.nth(i)
        title = chart.locator(":scope > title")
        expect(title).to_have_count(1)
        assert title.text_content().strip(), f"chart {i} has an empty <title>"
        expect(chart).to_be_visible()
    # The accessible name comes from the <title> (aria-labelledby), so a screen reader announces each chart.
    expect(desktop.get_by_role("img", name="Người tìm việc đăng ký mới", exact=False).first).to_be_visible()
    shot(desktop, f"report-{MONTH}")


def test_a_data_table_opens_with_the_keyboard(desktop):
    open_ok(desktop, f"/reports/{MONTH}")
    first = desktop.locator("details.data").first
    expect(first).not_to_have_attribute("open", "")
    table = first.locator("table")
    expect(table).to_be_hidden()
    for _ in range(40):  # only the CSV and XLSX links come before the first summary
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.matches('details.data > summary')"):
            break
    else:
        pytest.fail("Tab never reached a data table's summary")
    focused = first.locator("summary")
    expect(focused).to_be_focused()
    # A keyboard user must see where the focus is (WCAG 2.4.7): Chromium's focus ring, unless a style removed it.
    assert focused.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    desktop.keyboard.press("Enter")
    expect(first).to_have_attribute("open", "")
    expect(table).to_be_visible()
    expect(table.locator("tr")).to_have_count(13)  # the header and 12 months
    expect(table.locator("tr").last.locator("td.num")).to_have_text("2")  # first chart: 2 new jobseekers in MONTH
    desktop.keyboard.press("Enter")
    expect(table).to_be_hidden()


@pytest.mark.parametrize("path", PAGES)
def test_nothing_overflows_sideways_on_a_phone(phone, path):
    open_ok(phone, path)
    width = VIEWPORTS["phone"]["width"]
    assert phone.evaluate("document.documentElement.clientWidth") == width  # the viewport meta tag is honoured
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{path} is {scroll_width} px wide on a {width} px phone"
    shot(phone, f"{'report-' + MONTH if MONTH in path else 'reports-index'}-phone")


def test_the_month_page_prints(desktop):
    open_ok(desktop, f"/reports/{MONTH}")
    desktop.emulate_media(media="print")
    expect(desktop.locator("details.data").first).to_be_hidden()  # the @media print rule: no folded tables on paper
    expect(desktop.locator("svg.trend").first).to_be_visible()
    shot(desktop, f"report-{MONTH}-print")
    pdf = desktop.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violations(page_at, path, viewport):
    page = open_ok(page_at(viewport), path)
    assert_accessible(page, f"{path} at {viewport} width")
